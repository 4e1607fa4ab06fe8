//! Market-based carbon of the simulated year: the scenario's contracts
//! (`[carbon]` market keys) against the hourly facility energy and grid
//! intensity the year produced (`plenum_models::carbon_market`), giving the
//! `carbon.market_based_t`, `carbon.cfe_score`, ... figures and the hourly
//! table's clean-supply columns.

use plenum_models::carbon_market::{Contracts, Matching, account, flat_supply_kwh, solar_supply_kwh};
use plenum_scenario::carbon_market::{MarketContracts, PpaProfile};
use serde::Serialize;

use crate::{ColumnValues, DataTable};

/// The market-based figures, merged into the summary's `carbon` object.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MarketSummary {
    /// Emissions by the market-based method under `matching`, tCO2.
    pub market_based_t: f64,
    /// Consumption matched hour by hour by contracted clean supply, over
    /// consumption (Google's 24/7 CFE score, contracted supply only), 0-1.
    pub cfe_score: f64,
    /// `annual` or `hourly`.
    pub matching: Matching,
    /// Contracted clean supply over the year, MWh.
    pub clean_supply_mwh: f64,
    /// Clean supply used in the hour it was delivered, MWh.
    pub hourly_matched_mwh: f64,
    /// Consumption covered by instruments under the matching rule, MWh.
    pub covered_mwh: f64,
    /// Certificates counted under the matching rule, MWh.
    pub certificates_applied_mwh: f64,
    /// Emission factor applied to uncovered consumption, gCO2/kWh.
    pub residual_mix_g_per_kwh: f64,
}

/// The hourly table's `facility_power_kw` and `carbon_intensity_g_per_kwh`
/// accounted against `contracts`; the table gains `clean_supply_kw` and
/// `clean_matched_kw`. `None` when the table lacks those columns.
pub fn account_year(contracts: &MarketContracts, hourly: &mut DataTable) -> Option<MarketSummary> {
    let column = |name: &str| match hourly.column(name).map(|c| &c.values) {
        Some(ColumnValues::F64(v)) => Some(v.clone()),
        _ => None,
    };
    // One hour at a constant kW is that many kWh.
    let load_kwh = column("facility_power_kw")?;
    let intensity = column("carbon_intensity_g_per_kwh")?;
    let hours = load_kwh.len();
    let supply_kwh = match contracts.ppa_profile {
        PpaProfile::Flat => flat_supply_kwh(hours, contracts.ppa_mwh_per_year),
        PpaProfile::Solar { latitude_deg } => {
            solar_supply_kwh(hours, contracts.ppa_mwh_per_year, latitude_deg)
        }
    };
    let matched_kw: Vec<f64> = load_kwh.iter().zip(&supply_kwh).map(|(l, s)| l.min(*s)).collect();
    let a = account(
        &load_kwh,
        &intensity,
        &Contracts {
            clean_supply_kwh: supply_kwh.clone(),
            certificates_mwh: contracts.certificates_mwh,
            residual_mix_g_per_kwh: contracts.residual_mix_g_per_kwh,
            matching: contracts.matching,
        },
    );
    let table = std::mem::replace(hourly, DataTable::new("", ""));
    *hourly = table
        .with(
            "clean_supply_kw",
            "Contracted clean supply delivered in the hour, kW",
            ColumnValues::F64(supply_kwh),
        )
        .with(
            "clean_matched_kw",
            "Contracted clean supply used in the hour (at most the facility's power), kW",
            ColumnValues::F64(matched_kw),
        );
    Some(MarketSummary {
        market_based_t: a.market_based_t,
        cfe_score: a.cfe_score,
        matching: contracts.matching,
        clean_supply_mwh: a.clean_supply_mwh,
        hourly_matched_mwh: a.hourly_matched_mwh,
        covered_mwh: a.covered_mwh,
        certificates_applied_mwh: a.certificates_applied_mwh,
        residual_mix_g_per_kwh: a.residual_mix_g_per_kwh,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_table_is_accounted_and_gains_its_columns() {
        let mut table = DataTable::new("hourly", "")
            .with("facility_power_kw", "", ColumnValues::F64(vec![100.0, 100.0]))
            .with("carbon_intensity_g_per_kwh", "", ColumnValues::F64(vec![200.0, 600.0]));
        let contracts = MarketContracts {
            matching: Matching::Hourly,
            ppa_mwh_per_year: 0.3,
            ppa_profile: PpaProfile::Flat,
            certificates_mwh: 0.0,
            residual_mix_g_per_kwh: None,
        };
        let s = account_year(&contracts, &mut table).expect("columns");
        // 150 kWh each hour covers both hours' 100 kWh: nothing left to emit.
        assert_eq!((s.market_based_t, s.cfe_score), (0.0, 1.0));
        assert_eq!(
            table.column("clean_matched_kw").map(|c| c.values.clone()),
            Some(ColumnValues::F64(vec![100.0; 2]))
        );
        assert_eq!(table.columns.len(), 4);
    }
}
