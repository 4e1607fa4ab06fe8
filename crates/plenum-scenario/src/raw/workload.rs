//! The `[workload]` section as written: a trace or a generator to replay on
//! the fleet, and how work is placed, queued and powered.

use super::choice::{PowerModel, choice};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Replay a VM or job trace (or a synthetic workload) on the fleet.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    /// Where tasks come from: `opendc` (folder with tasks.parquet and
    /// fragments.parquet), `bitbrains` (GWA-T-12 CSV file or folder), `azure`
    /// (Azure V1 folder), `swf` (job log), `generate` (`[workload.generate]`)
    /// or `round_robin_jobs` (`[workload.jobs]`).
    pub source: TraceSource,
    /// Trace file or folder; `${PLENUM_DATA}` and other variables are expanded
    /// when the run loads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Unit of OpenDC's `mem_capacity`: `auto` (MiB unless implausibly large,
    /// then KiB), `kib`, `mib` or `gib`.
    #[serde(default = "default_memory_unit")]
    pub memory_unit: MemoryUnit,
    /// Hosts from an OpenDC topology JSON instead of `[[servers]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<String>,
    /// Host power against utilization for hosts from `[[servers]]` (idle and
    /// peak from the SKU), the words of `servers.power_model` but `table`:
    /// `linear`, `fwb` (Fan–Weber–Barroso, r = `power_exponent`, 1.4 by
    /// default), `sqrt`, `square`, `cubic` or `power` (`u^power_exponent`).
    #[serde(default = "default_power_model")]
    pub power_model: PowerModel,
    /// Exponent of `power_model = "power"` (`P_idle + (P_peak − P_idle)·u^e`;
    /// 1 is linear, 0.5 is sqrt), or `r` of `fwb` (default 1.4). `plenum
    /// calibrate` fits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.05, max = 10.0))]
    pub power_exponent: Option<f64>,
    /// Clock of one vCPU in MHz: for hosts from `[[servers]]` (one vCPU per
    /// hardware thread), and for traces that give no clock (azure, swf,
    /// generate, round_robin_jobs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub core_mhz: Option<f64>,
    /// `first_fit`, `best_fit`, `worst_fit`, `most_free_memory` (OpenDC's
    /// `Mem`), `random`, `power_aware` or `round_robin` (task k on host k mod H).
    #[serde(default = "default_placement")]
    pub placement: Placement,
    /// vCPUs placed per physical vCPU slot (1 = no overcommit). Memory is never overcommitted.
    #[serde(default = "default_overcommit")]
    #[schemars(range(min = 1.0))]
    pub cpu_overcommit: f64,
    /// What happens to a task that does not fit now: `fifo` (wait in order) or `reject`.
    #[serde(default = "default_queue")]
    pub queue: QueueRule,
    /// Switch hosts off while they run nothing.
    #[serde(default)]
    pub power_down_idle: bool,
    /// Seconds a switched-off host takes to wake before work starts on it.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub wake_up_delay_s: f64,
    /// Seconds between rows of the cluster series (and per-host series).
    #[serde(default = "default_sample_interval")]
    #[schemars(range(min = 1))]
    pub sample_interval_s: u64,
    /// Also produce the per-host series (hosts × samples rows); with `--out`
    /// it is written to `workload_host_series.parquet` as it is produced.
    #[serde(default)]
    pub host_series: bool,
    /// Stop the replay at this many seconds after the first submission
    /// (default: when the last task ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub until_s: Option<f64>,
    /// Parameters of `source = "generate"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<RawGenerate>,
    /// Parameters of `source = "round_robin_jobs"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobs: Option<RawJobs>,
    /// Which jobs may move in time, and how far, for `[carbon_aware]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexibility: Option<RawFlexibility>,
}

/// A rule giving the trace's jobs a flexibility: a window around the start
/// (`window_before_h`, `window_after_h`) or a deadline (`deadline_h`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFlexibility {
    /// Hours a job may start before its arrival (window rule; default 0).
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub window_before_h: f64,
    /// Hours a job may start after its arrival (window rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub window_after_h: Option<f64>,
    /// Hours after its arrival by which a job must finish (deadline rule;
    /// instead of the window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub deadline_h: Option<f64>,
    /// Jobs may be paused and resumed.
    #[serde(default)]
    pub interruptible: bool,
    /// Only jobs lasting at most this many hours are flexible (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub max_duration_h: Option<f64>,
    /// Share of the (eligible) jobs that are flexible, chosen by the seeded
    /// stream `flexibility` (default 1: all).
    #[serde(default = "default_share")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub share: f64,
}

fn default_share() -> f64 {
    1.0
}

/// A synthetic VM fleet: Poisson arrivals, lognormal lifetimes, diurnal load.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGenerate {
    /// VMs to generate.
    #[schemars(range(min = 1))]
    pub vms: u64,
    /// Seconds over which they arrive (Poisson rate = vms / window).
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub arrival_window_s: f64,
    /// Median VM lifetime, seconds.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub median_lifetime_s: f64,
    /// σ of the natural log of the lifetime.
    #[schemars(range(min = 0.0))]
    pub lifetime_sigma: f64,
    /// vCPU counts, drawn uniformly.
    #[schemars(length(min = 1))]
    pub cpu_counts: Vec<u32>,
    /// Memory per vCPU, MiB.
    #[serde(default)]
    pub memory_mib_per_cpu: u64,
    /// Lowest mean utilization of a VM (0..1).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub utilization_min: f64,
    /// Highest mean utilization of a VM (0..1).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub utilization_max: f64,
    /// Daily swing of the fleet's demand around its level (0 = flat).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub diurnal_amplitude: f64,
    /// Hour of the daily peak, from the trace start.
    #[serde(default = "default_peak_hour")]
    #[schemars(range(min = 0.0, max = 24.0))]
    pub peak_hour: f64,
    /// Seconds between steps of the diurnal demand.
    #[serde(default = "default_diurnal_step")]
    #[schemars(range(min = 1))]
    pub diurnal_step_s: u64,
}

/// `jobs` single-vCPU jobs, all at time 0, job i lasting (1 + i mod cycle) × unit_s.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJobs {
    /// Number of jobs.
    #[schemars(range(min = 1))]
    pub count: u64,
    /// Cycle of job lengths (5: 1, 2, 3, 4, 5 units).
    #[serde(default = "default_cycle")]
    #[schemars(range(min = 1))]
    pub cycle: u64,
    /// Seconds per unit of length.
    #[serde(default = "default_unit")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub unit_s: f64,
}

choice! {
    /// Where tasks come from: `opendc`, `bitbrains`, `azure`, `swf`,
    /// `generate` or `round_robin_jobs`.
    pub enum TraceSource {
        OpenDc = "opendc",
        Bitbrains = "bitbrains",
        Azure = "azure",
        Swf = "swf",
        Generate = "generate",
        RoundRobinJobs = "round_robin_jobs",
    }
}

choice! {
    /// Unit of OpenDC's `mem_capacity`: `auto`, `kib`, `mib` or `gib`.
    pub enum MemoryUnit {
        Auto = "auto",
        Kib = "kib",
        Mib = "mib",
        Gib = "gib",
    }
}

choice! {
    /// Placement policy (`plenum_models::placement::Policy`): `first_fit`,
    /// `best_fit`, `worst_fit`, `most_free_memory`, `random`, `power_aware`
    /// or `round_robin`.
    pub enum Placement {
        FirstFit = "first_fit",
        BestFit = "best_fit",
        WorstFit = "worst_fit",
        MostFreeMemory = "most_free_memory",
        Random = "random",
        PowerAware = "power_aware",
        RoundRobin = "round_robin",
    }
}

choice! {
    /// What happens to a task that does not fit now: `fifo` or `reject`.
    pub enum QueueRule {
        Fifo = "fifo",
        Reject = "reject",
    }
}

fn default_memory_unit() -> MemoryUnit {
    MemoryUnit::Auto
}
fn default_power_model() -> PowerModel {
    PowerModel::Linear
}
fn default_placement() -> Placement {
    Placement::FirstFit
}
fn default_overcommit() -> f64 {
    1.0
}
fn default_queue() -> QueueRule {
    QueueRule::Fifo
}
fn default_sample_interval() -> u64 {
    300
}
fn default_peak_hour() -> f64 {
    14.0
}
fn default_diurnal_step() -> u64 {
    3600
}
fn default_cycle() -> u64 {
    5
}
fn default_unit() -> f64 {
    1.0
}
