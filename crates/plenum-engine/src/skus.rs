//! Server SKUs side by side: work per purchase dollar, per dollar of total cost
//! of ownership, and per joule.
//!
//! The comparison follows J. Hamilton, "Cooperative Expendable Micro-Slice
//! Servers (CEMS)", CIDR 2009, which compares servers by throughput per dollar
//! and per watt relative to a baseline; the first SKU with a work rate is the
//! baseline here. Work per joule uses peak power, as that paper does.

use plenum_models::finance::{monthly_payment_usd, static_energy_monthly_usd};
use plenum_models::units::W_PER_KW;
use plenum_scenario::Scenario;
use serde::Serialize;

const SECONDS_PER_MONTH: f64 = plenum_models::units::HOURS_PER_MONTH * 3_600.0;

/// One SKU's figures of merit.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuComparison {
    /// SKU name.
    pub name: String,
    /// Work per second at full load (the scenario's unit).
    pub work_rate: f64,
    /// Work per second per dollar of purchase price.
    pub work_per_usd: f64,
    /// Monthly cost of one server: its amortized price, its energy at peak
    /// power, and the power distribution & cooling capacity it occupies.
    pub tco_per_server_month_usd: f64,
    /// Work in a month per dollar of that monthly cost.
    pub work_per_tco_usd: f64,
    /// Work per joule at peak power.
    pub work_per_joule: f64,
    /// `work_per_usd` over the baseline's.
    pub work_per_usd_ratio: f64,
    /// `work_per_tco_usd` over the baseline's.
    pub work_per_tco_usd_ratio: f64,
    /// `work_per_joule` over the baseline's.
    pub work_per_joule_ratio: f64,
}

/// Compare every SKU that has a work rate, with energy at `pue` (the fixed or
/// simulated annual PUE); empty when none has one.
pub fn compare_skus(scenario: &Scenario, pue: f64) -> Vec<SkuComparison> {
    let finance = &scenario.finance;
    let facility = &scenario.facility;
    let facility_monthly_usd = monthly_payment_usd(
        facility.capex_usd,
        finance.cost_of_money_annual,
        finance.facility_amortization_years,
    );
    let power_cooling_per_kw_month_usd =
        facility_monthly_usd * facility.power_cooling_share / facility.critical_power_kw;
    let mut rows: Vec<SkuComparison> = scenario
        .servers
        .iter()
        .filter_map(|sku| {
            let work_rate = sku.work_rate?;
            let peak_kw = sku.peak_power_w / W_PER_KW;
            let tco = monthly_payment_usd(
                sku.price_usd,
                finance.cost_of_money_annual,
                finance.server_amortization_years,
            ) + static_energy_monthly_usd(peak_kw, 1.0, pue, scenario.energy.price_usd_per_kwh)
                + power_cooling_per_kw_month_usd * peak_kw;
            Some(SkuComparison {
                name: sku.name.clone(),
                work_rate,
                work_per_usd: work_rate / sku.price_usd,
                tco_per_server_month_usd: tco,
                work_per_tco_usd: work_rate * SECONDS_PER_MONTH / tco,
                work_per_joule: work_rate / sku.peak_power_w,
                work_per_usd_ratio: 1.0,
                work_per_tco_usd_ratio: 1.0,
                work_per_joule_ratio: 1.0,
            })
        })
        .collect();
    if let Some(base) = rows.first().cloned() {
        for row in &mut rows {
            row.work_per_usd_ratio = row.work_per_usd / base.work_per_usd;
            row.work_per_tco_usd_ratio = row.work_per_tco_usd / base.work_per_tco_usd;
            row.work_per_joule_ratio = row.work_per_joule / base.work_per_joule;
        }
    }
    rows
}
