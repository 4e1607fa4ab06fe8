//! What a run produces, as plain serializable data.
//!
//! The JSON that `plenum run --format json` prints is these types serialized;
//! field names carry their units.

use plenum_models::finance::CostLines;
use plenum_models::network::LeafSpineSizing;
use serde::Serialize;

use crate::skus::SkuComparison;
use crate::tables::DataTable;

/// Everything one run produced.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// What was run.
    pub scenario: ScenarioInfo,
    /// Problems with the design the run found (overloads, lost redundancy,
    /// mismatched inputs): the run completes, and these say what to fix.
    pub warnings: Vec<crate::warnings::Warning>,
    /// Cost breakdown and unit costs.
    pub cost: CostSummary,
    /// IT power figures.
    pub it: ItSummary,
    /// Network cost, power and sizing.
    pub network: NetworkSummary,
    /// Work per dollar and per joule by SKU, where SKUs give a work rate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skus: Vec<SkuComparison>,
    /// The simulated year (energy, pue, cooling, carbon, power_chain,
    /// oversubscription), when the scenario has `[cooling]`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub facility: Option<crate::facility::FacilitySummary>,
    /// Trace replay figures (`workload`, `energy.it_mwh`), when the scenario has
    /// `[workload]`; merged into the summary by [`Results::to_json`].
    #[serde(skip)]
    pub workload: Option<crate::workload::WorkloadSummary>,
    /// Reliability study, when the scenario has a `[reliability]` section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<crate::reliability::ReliabilitySummary>,
    /// Carbon-aware shifting against running at arrival, when the scenario
    /// has `[carbon_aware]` (filled by the caller that read its series).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carbon_aware: Option<crate::carbon_aware::CarbonAwareSummary>,
    /// Market-based carbon of the simulated year, when `[carbon]` has market
    /// keys; merged into the summary's `carbon` object by [`Results::to_json`].
    #[serde(skip)]
    pub carbon_market: Option<crate::carbon_market::MarketSummary>,
    /// Time series and event logs, written by `--out` (not part of the JSON summary).
    #[serde(skip)]
    pub tables: Vec<DataTable>,
}

/// Identity and size of the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// Seed used.
    pub seed: u64,
    /// Servers across all SKUs.
    pub servers: u64,
    /// vCPUs across the fleet.
    pub vcpus: u64,
    /// Critical power of the facility.
    pub critical_power_kw: f64,
}

/// Monthly cost and the unit costs derived from it.
#[derive(Debug, Clone, Serialize)]
pub struct CostSummary {
    /// Cost by line, with `total`.
    #[serde(serialize_with = "lines_with_total")]
    pub monthly_usd: CostLines,
    /// Each line's share of the total, with `total` (1).
    #[serde(serialize_with = "lines_with_total")]
    pub share: CostLines,
    /// Sum of the lines.
    pub total_monthly_usd: f64,
    /// Total over servers.
    pub per_server_month_usd: f64,
    /// Total over servers and 730 hours.
    pub per_server_hour_usd: f64,
    /// Total over critical kW.
    pub per_critical_kw_month_usd: f64,
    /// Power distribution & cooling plus energy.
    pub fully_burdened_power_monthly_usd: f64,
    /// Fully burdened cost of power over the total.
    pub fully_burdened_power_share: f64,
    /// Mean vCPU utilization used for the price floor: the simulated year's
    /// mean when the year is simulated, else the scenario's.
    pub mean_cpu_utilization: Option<f64>,
    /// Where that utilization comes from: `simulated year` or
    /// `utilization.mean_cpu_fraction`.
    pub mean_cpu_utilization_source: Option<String>,
    /// Cost of a used vCPU-hour at that utilization: the pay-as-you-go price floor.
    pub per_vcpu_hour_usd: Option<f64>,
    /// Capital by class.
    pub capex_usd: Capex,
}

/// Capital spent, by class.
#[derive(Debug, Clone, Serialize)]
pub struct Capex {
    /// All servers.
    pub servers: f64,
    /// Network gear.
    pub networking: f64,
    /// The facility.
    pub facility: f64,
}

/// IT power at nameplate.
#[derive(Debug, Clone, Serialize)]
pub struct ItSummary {
    /// Sum of server peak power and network power.
    pub nameplate_kw: f64,
    /// Nameplate over critical power; above 1 the site relies on servers never
    /// all peaking at once (oversubscription).
    pub nameplate_over_critical: f64,
}

/// Network cost and power.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetworkSummary {
    /// Capital.
    pub capex_usd: f64,
    /// Power draw.
    pub power_kw: f64,
    /// Device counts when the fabric was sized.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sizing: Option<LeafSpineSizing>,
}

fn lines_with_total<S: serde::Serializer>(lines: &CostLines, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(CostLines::NAMES.len() + 1))?;
    for (name, value) in CostLines::NAMES.iter().zip(lines.values()) {
        map.serialize_entry(name, &value)?;
    }
    map.serialize_entry("total", &lines.total())?;
    map.end()
}

impl Results {
    /// The JSON summary (what `plenum run --format json` prints). Market-based
    /// carbon joins the simulated year's `carbon`. A replay adds
    /// `workload`; its IT energy becomes `energy.it_mwh` unless a simulated
    /// facility year already reports energy, in which case it is
    /// `energy.replay_it_mwh` (the replay does not yet drive the facility year).
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("results serialize");
        if let (Some(market), Some(carbon)) =
            (&self.carbon_market, value.get_mut("carbon").and_then(|c| c.as_object_mut()))
            && let serde_json::Value::Object(fields) =
                serde_json::to_value(market).expect("market serializes")
        {
            carbon.extend(fields);
        }
        if let (Some(w), Some(map)) = (&self.workload, value.as_object_mut()) {
            let replay = serde_json::to_value(w).expect("workload serializes");
            map.insert("workload".into(), replay["workload"].clone());
            match map.get_mut("energy").and_then(|e| e.as_object_mut()) {
                Some(energy) => {
                    energy.insert("replay_it_mwh".into(), replay["energy"]["it_mwh"].clone());
                }
                None => {
                    map.insert("energy".into(), replay["energy"].clone());
                }
            }
        }
        value
    }
}
