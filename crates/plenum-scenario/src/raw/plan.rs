//! Raw types of `[plan]`: capacity planning over years across a fleet of sites.

use super::choice::{self, Preset, choice};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Capacity planning: demand over months, sites, modules and a build policy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Months in the planning horizon.
    #[schemars(range(min = 1, max = 1200))]
    pub horizon_months: u32,
    /// Demand samples drawn (Monte Carlo over the growth noise).
    #[serde(default = "default_samples")]
    #[schemars(range(min = 1, max = 1000000))]
    pub samples: u32,
    /// Penalty for each MW of demand not served for a month, in US dollars.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub unserved_penalty_usd_per_mw_month: f64,
    /// IT load to serve over time.
    pub demand: RawDemand,
    /// What one build adds.
    pub module: RawModule,
    /// When and where to build.
    #[serde(default)]
    pub policy: RawPolicy,
    /// Candidate sites (`[[plan.sites]]`).
    #[schemars(length(min = 1))]
    pub sites: Vec<RawPlanSite>,
    /// Builds for `policy.build = "schedule"` (`[[plan.schedule]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<RawScheduledBuild>,
}

fn default_samples() -> u32 {
    1_000
}

/// Demand for critical IT capacity over the horizon.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    /// `linear`, `exponential`, `logistic` or `csv`.
    pub curve: DemandShape,
    /// Demand at month 0, MW of critical capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub start_mw: Option<f64>,
    /// Demand at the end of the horizon, MW (linear, exponential, logistic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub end_mw: Option<f64>,
    /// Logistic: month of fastest growth (default: the middle of the horizon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub midpoint_month: Option<f64>,
    /// Logistic: steepness per month (default 0.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub steepness_per_month: Option<f64>,
    /// CSV: file with one row a month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// CSV: column of MW (default `mw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_column: Option<String>,
    /// Lognormal growth noise: standard deviation of log demand after one year
    /// (a random walk in log space, sampled monthly).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 2.0))]
    pub noise_sigma_annual: f64,
}

/// One build: a hall, a container or a building.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    /// Critical power of one module, MW.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub size_mw: f64,
    /// Months from the decision to build until the module serves load.
    #[serde(default)]
    #[schemars(range(min = 0, max = 240))]
    pub lead_time_months: u32,
    /// Cooling the module can remove, MW of IT (default: its size); less strands power.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub cooling_mw: Option<f64>,
    /// Rack positions in the module (default: enough for its size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub racks: Option<u64>,
    /// Power chain design preset, `modern` or `legacy` (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_chain: Option<Preset>,
    /// Cooling design preset, `modern` or `legacy` (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling: Option<Preset>,
    /// Servers fail in place and are never repaired (Hamilton, CIDR 2007):
    /// usable capacity decays by `annual_failure_fraction` a year.
    #[serde(default)]
    pub fail_in_place: bool,
    /// Fail in place: fraction of servers failing each year (required then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub annual_failure_fraction: Option<f64>,
}

/// When and where to build.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// `threshold`: build so that forecast demand one lead time ahead stays
    /// below `utilization_threshold` of capacity; `schedule`: the `[[plan.schedule]]` list.
    #[serde(default = "default_build")]
    pub build: BuildPolicy,
    /// Where a threshold build goes: `cheapest` (fully burdened cost per kW),
    /// `greenest` (carbon per MWh) or `in_order` (the order of `[[plan.sites]]`).
    #[serde(default = "default_site_choice")]
    pub site_choice: SiteChoice,
    /// Highest planned utilization of built capacity.
    #[serde(default = "default_threshold")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub utilization_threshold: f64,
    /// Percentile of the demand distribution the plan is built for.
    #[serde(default = "default_percentile")]
    #[schemars(range(min = 1.0, max = 99.0))]
    pub forecast_percentile: f64,
}

impl Default for RawPolicy {
    fn default() -> Self {
        RawPolicy {
            build: default_build(),
            site_choice: default_site_choice(),
            utilization_threshold: default_threshold(),
            forecast_percentile: default_percentile(),
        }
    }
}

choice! {
    /// Shape of demand over the horizon: `linear`, `exponential`, `logistic` or `csv`.
    pub enum DemandShape {
        Linear = "linear",
        Exponential = "exponential",
        Logistic = "logistic",
        Csv = "csv",
    }
}

choice! {
    /// When to build: `threshold` (ahead of forecast demand) or `schedule` (a list).
    pub enum BuildPolicy {
        Threshold = "threshold",
        Schedule = "schedule",
    }
}

choice! {
    /// Where a threshold build goes: `cheapest`, `greenest` or `in_order`.
    pub enum SiteChoice {
        Cheapest = "cheapest",
        Greenest = "greenest",
        InOrder = "in_order",
    }
}

fn default_build() -> BuildPolicy {
    BuildPolicy::Threshold
}
fn default_site_choice() -> SiteChoice {
    SiteChoice::Cheapest
}
fn default_threshold() -> f64 {
    0.85
}
fn default_percentile() -> f64 {
    50.0
}

/// A candidate site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlanSite {
    /// Name.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Built-in climate (or `weather_epw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "choice::builtin_climate")]
    pub climate: Option<String>,
    /// EPW weather file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weather_epw: Option<String>,
    /// Built-in grid (default: the climate's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "choice::builtin_grid")]
    pub grid: Option<String>,
    /// Hourly carbon CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon_csv: Option<String>,
    /// Electricity price, USD/kWh (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub price_usd_per_kwh: Option<f64>,
    /// Land and build cost per critical watt (default: the scenario's facility).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub cost_usd_per_critical_w: Option<f64>,
    /// Most critical power the site can hold, MW.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub max_mw: Option<f64>,
    /// Capacity already built at month 0, MW.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub initial_mw: f64,
}

/// One scheduled build.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScheduledBuild {
    /// Month the build starts.
    pub month: u32,
    /// Site name.
    pub site: String,
    /// Modules to build (default 1).
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub modules: u32,
}

fn one() -> u32 {
    1
}
