//! The `[carbon_aware]` section as written: the intensity series, the jobs
//! (the workload's, with `[workload.flexibility]`, or a periodic generator),
//! the forecast and the capacity.

use super::choice::choice;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Shift flexible jobs in time to hours of lower grid carbon intensity and
/// compare with running them at arrival (`carbon_aware.*` in the summary).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCarbonAware {
    /// Intensity file in gCO2/kWh: CSV or Parquet (by extension), any step.
    pub intensity: String,
    /// Timestamp column (default: the first CSV column; `timestamp` in Parquet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_column: Option<String>,
    /// Intensity column (default: `carbon_intensity`, `Carbon Intensity`,
    /// `avg_CI` or `carbon_intensity_avg`, whichever the file has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity_column: Option<String>,
    /// What times without an offset mean: `utc`, `local` (with `utc_offset_h`
    /// and `dst`) or `continuous` (the file's own clock, as written).
    #[serde(default = "default_clock")]
    pub clock: SeriesClockKind,
    /// Local standard time minus UTC, hours (clock = "local").
    #[serde(default)]
    #[schemars(range(min = -14.0, max = 14.0))]
    pub utc_offset_h: f64,
    /// Daylight-saving rule of local time: `none`, `eu` or `us`.
    #[serde(default = "default_dst")]
    pub dst: DstRule,
    /// Slot length in minutes (default: the file's usual step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1440))]
    pub step_min: Option<u64>,
    /// How rows become slots: `mean` (time-weighted) or `first` (the value at
    /// the slot's start, as the Let's Wait Awhile simulator keeps the :00 and :30 rows).
    #[serde(default = "default_aggregate")]
    pub aggregate: Aggregate,
    /// Which jobs: `workload` (the `[workload]` trace with
    /// `[workload.flexibility]`) or `periodic` (`[carbon_aware.periodic]`).
    #[serde(default = "default_jobs")]
    pub jobs: JobsSource,
    /// Forecast the policy sees: `perfect` or `noisy` (the actual series with
    /// `forecast_error_share` of seeded noise).
    #[serde(default = "default_forecast")]
    pub forecast: ForecastKind,
    /// σ of the forecast's relative error per slot (forecast = "noisy").
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 2.0))]
    pub forecast_error_share: f64,
    /// Hosts the site can run at once (default: the workload's hosts; the
    /// periodic jobs are unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub capacity_hosts: Option<u64>,
    /// The workload's time 0 on the series' clock, `YYYY-MM-DD HH:MM:SS`
    /// (default: the trace's own start, when it has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_start: Option<String>,
    /// Jobs of `jobs = "periodic"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periodic: Option<RawPeriodic>,
    /// What the shifted schedule may change: `temporal` (when, at the home
    /// site), `spatial` (where, among `sites`, starting at arrival) or `both`.
    #[serde(default = "default_policy")]
    pub policy: String,
    /// Name of the home site (the site of `intensity`, where every job arrives).
    #[serde(default = "default_home_name")]
    pub site_name: String,
    /// Data-residency zone of the home site: with `same_region_only`, jobs
    /// move only to sites of this region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Jobs may move only to sites of the home site's `region`.
    #[serde(default)]
    pub same_region_only: bool,
    /// Jobs may move only to sites at most this far from the home site
    /// (their `latency_ms`), ms (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub max_latency_ms: Option<f64>,
    /// Other sites of the fleet that flexible jobs may move to (`policy` =
    /// `spatial` or `both`); their series are read like `intensity`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<RawFleetSite>,
}

/// Another site of the fleet.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFleetSite {
    /// Name, unique in the fleet.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Its intensity file in gCO2/kWh (same columns, clock and step as `intensity`).
    pub intensity: String,
    /// Hosts it can run at once for shifted work (default: unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub capacity_hosts: Option<u64>,
    /// Its data-residency zone (see `same_region_only`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Network latency from the home site, ms (see `max_latency_ms`).
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub latency_ms: f64,
}

fn default_policy() -> String {
    "temporal".into()
}
fn default_home_name() -> String {
    "home".into()
}

/// One job a day at the same time (the study's "periodic" experiment).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeriodic {
    /// First day, `YYYY-MM-DD`.
    pub first_day: String,
    /// Number of days.
    #[schemars(range(min = 1, max = 36_600))]
    pub days: u64,
    /// Hour of day of each arrival on the series' clock (1.0 = 01:00).
    #[schemars(range(min = 0.0, max = 24.0))]
    pub start_h: f64,
    /// Run time of each job, minutes.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub duration_min: f64,
    /// Hours each job may move earlier and later (± window).
    #[schemars(range(min = 0.0))]
    pub window_h: f64,
    /// Jobs may be paused and resumed.
    #[serde(default)]
    pub interruptible: bool,
    /// Power of each job, kW.
    #[serde(default = "default_power")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub power_kw: f64,
}

choice! {
    /// What times without an offset mean: `utc`, `local` or `continuous`.
    pub enum SeriesClockKind {
        Utc = "utc",
        Local = "local",
        Continuous = "continuous",
    }
}

choice! {
    /// Daylight-saving rule of local time: `none`, `eu` or `us`.
    pub enum DstRule {
        None = "none",
        Eu = "eu",
        Us = "us",
    }
}

choice! {
    /// How rows become slots: `mean` or `first`.
    pub enum Aggregate {
        Mean = "mean",
        First = "first",
    }
}

choice! {
    /// Which jobs are shifted: `workload` or `periodic`.
    pub enum JobsSource {
        Workload = "workload",
        Periodic = "periodic",
    }
}

choice! {
    /// The forecast the policy sees: `perfect` or `noisy`.
    pub enum ForecastKind {
        Perfect = "perfect",
        Noisy = "noisy",
    }
}

fn default_clock() -> SeriesClockKind {
    SeriesClockKind::Utc
}
fn default_dst() -> DstRule {
    DstRule::None
}
fn default_aggregate() -> Aggregate {
    Aggregate::Mean
}
fn default_jobs() -> JobsSource {
    JobsSource::Workload
}
fn default_forecast() -> ForecastKind {
    ForecastKind::Perfect
}
fn default_power() -> f64 {
    1.0
}
