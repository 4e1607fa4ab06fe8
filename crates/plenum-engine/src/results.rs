//! What a run produces, as plain serializable data.
//!
//! The sections of the JSON summary ([`crate::summary::Summary`]) that the
//! cost model fills are defined here; field names carry their units.

use plenum_models::finance::CostLines;
use plenum_models::network::LeafSpineSizing;
use serde::Serialize;

use crate::skus::SkuComparison;
use crate::tables::DataTable;

/// Everything one run produced; [`crate::summary::Summary::new`] turns it
/// into the JSON summary.
#[derive(Debug, Clone)]
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
    pub skus: Vec<SkuComparison>,
    /// The simulated year (energy, pue, cooling, carbon, power_chain,
    /// oversubscription), when the scenario has `[cooling]`.
    pub facility: Option<crate::facility::FacilitySummary>,
    /// Trace replay figures (`workload`, `energy.it_mwh`), when the scenario has
    /// `[workload]`; merged into the summary by [`crate::summary::Summary::new`].
    pub workload: Option<crate::workload::WorkloadSummary>,
    /// Reliability study, when the scenario has a `[reliability]` section.
    pub reliability: Option<crate::reliability::ReliabilitySummary>,
    /// Carbon-aware shifting against running at arrival, when the scenario
    /// has `[carbon_aware]` (filled by the caller that read its series).
    pub carbon_aware: Option<crate::carbon_aware::CarbonAwareSummary>,
    /// Market-based carbon of the simulated year, when `[carbon]` has market
    /// keys; its figures join the summary's `carbon` object
    /// ([`crate::summary::Summary::new`]).
    pub carbon_market: Option<crate::carbon_market::MarketSummary>,
    /// A training job's interruptions and goodput, when the scenario has `[training]`.
    pub training: Option<crate::training::TrainingSummary>,
    /// The training job's power swings as the grid sees them, when the
    /// scenario has `[training]`.
    pub power_dynamics: Option<crate::training::PowerDynamicsSummary>,
    /// Time series and event logs, written by `--out` (not part of the JSON summary).
    pub tables: Vec<DataTable>,
}

/// Identity and size of the scenario.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostSummary {
    /// Cost by line, with `total`.
    #[serde(with = "crate::json_forms::lines_with_total")]
    #[schemars(schema_with = "crate::json_forms::lines_with_total::schema")]
    pub monthly_usd: CostLines,
    /// Each line's share of the total, with `total` (1).
    #[serde(with = "crate::json_forms::lines_with_total")]
    #[schemars(schema_with = "crate::json_forms::lines_with_total::schema")]
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
    /// Cost of a used accelerator (GPU) hour: the total monthly cost over the
    /// fleet's accelerators × 730 hours × `per_gpu_hour_assumed_utilization`,
    /// the price floor per GPU-hour as `per_vcpu_hour_usd` is per vCPU-hour
    /// (present when the fleet has accelerators and a utilization is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gpu_hour_usd: Option<f64>,
    /// The accelerator utilization `per_gpu_hour_usd` assumes (fraction): the
    /// servers' mean utilization, which drives their accelerators
    /// (`mean_cpu_utilization`, from `mean_cpu_utilization_source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gpu_hour_assumed_utilization: Option<f64>,
    /// Capital by class.
    pub capex_usd: Capex,
}

/// Capital spent, by class.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capex {
    /// All servers.
    pub servers: f64,
    /// Network gear.
    pub networking: f64,
    /// The facility.
    pub facility: f64,
    /// Direct liquid cooling (CDUs, piping, heat rejection), when the
    /// scenario has `[cooling.liquid]`: amortized over the facility's years
    /// into the `power_distribution_cooling` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquid_cooling: Option<f64>,
}

/// IT power at nameplate.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItSummary {
    /// Sum of server peak power and network power.
    pub nameplate_kw: f64,
    /// Nameplate over critical power; above 1 the site relies on servers never
    /// all peaking at once (oversubscription).
    pub nameplate_over_critical: f64,
    /// The fleet's accelerators, when any SKU has `[servers.accelerators]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerators: Option<AcceleratorSummary>,
}

/// The fleet's accelerators (GPUs) at nameplate.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceleratorSummary {
    /// Accelerators across the fleet.
    pub count: u64,
    /// Servers that carry them.
    pub servers: u64,
    /// Sum of the accelerators' thermal design power.
    pub tdp_total_kw: f64,
    /// Sum of the accelerators' power at rest.
    pub idle_total_kw: f64,
    /// Nameplate of the accelerator servers (hosts and accelerators at full load).
    pub servers_nameplate_kw: f64,
    /// Accelerators' TDP over the whole IT nameplate (fraction).
    pub tdp_share_of_nameplate: f64,
}

/// Network cost and power.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSummary {
    /// Capital.
    pub capex_usd: f64,
    /// Power draw.
    pub power_kw: f64,
    /// Device counts when the fabric was sized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizing: Option<LeafSpineSizing>,
}
