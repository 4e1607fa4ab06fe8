//! The optional `[training]` section as written: one synchronous training job
//! on the site's accelerators, its power over a sub-second window (and the
//! mitigations that smooth it for the grid), and its interruptions over a run.
//!
//! The accelerator is declared here (count, TDP, idle, host power) until
//! `[[servers]]` gains accelerator SKUs; the keys are named so that a later
//! `server = "<sku>"` key can fill them from that SKU. Defaults are those of
//! an H100-class GPU (NVIDIA DGX H100 datasheet) and of Meta's Llama 3 run
//! (Dubey et al. 2024); see `plenum_models::training`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A synchronous training job: its power waveform and its goodput.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTraining {
    /// Accelerators (GPUs) in the job, all in lockstep.
    #[schemars(range(min = 1))]
    pub accelerators: u64,
    /// Thermal design power of one accelerator, W (default 700: H100 SXM5,
    /// NVIDIA DGX H100 datasheet).
    #[serde(default = "tdp_w")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub accelerator_tdp_w: f64,
    /// Power of one idle accelerator, W (default 90, an assumption for an
    /// H100 SXM5 with the job stopped: NVIDIA publishes no idle figure).
    #[serde(default = "idle_w")]
    #[schemars(range(min = 0.0))]
    pub accelerator_idle_w: f64,
    /// The server's power beyond its accelerators, per accelerator, W
    /// (default 575: the DGX H100's 10.2 kW maximum less 8 × 700 W, over 8).
    #[serde(default = "host_w")]
    #[schemars(range(min = 0.0))]
    pub host_power_w_per_accelerator: f64,
    /// Wall-clock length of the run, days (default 54, Llama 3's snapshot).
    #[serde(default = "run_days")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 3650.0))]
    pub run_days: f64,
    /// One iteration's phases, in order (default: 5 s of compute at the TDP,
    /// then 1 s of exposed communication at half of it; see the book).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub phases: Option<Vec<RawPhase>>,
    /// Time the job stops to write a checkpoint, s (default 3.3: Llama 3
    /// 405B's 6.5 TB of weights and optimizer state at the 2 TB/s sustained
    /// of Meta's Tectonic store, Dubey et al. 2024 §3.3).
    #[serde(default = "checkpoint_write_s")]
    #[schemars(range(min = 0.0))]
    pub checkpoint_write_s: f64,
    /// Accelerator power while a checkpoint is written, as a fraction of the
    /// TDP (default 0.15, an assumption: the accelerators wait on storage).
    #[serde(default = "checkpoint_power_fraction")]
    #[schemars(range(min = 0.0, max = 1.5))]
    pub checkpoint_power_fraction: f64,
    /// Training time between checkpoints, minutes; without it the optimum of
    /// Young and Daly for the interruption rate and the write time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub checkpoint_interval_min: Option<f64>,
    /// Minutes from an interruption to its detection (default 2, an assumption
    /// for a collective timeout).
    #[serde(default = "detection_min")]
    #[schemars(range(min = 0.0))]
    pub detection_min: f64,
    /// Minutes to restart the job on healthy nodes (default 5; FlashRecovery,
    /// Zhang et al. 2025, restores 4,800 devices in 2.5 min, conventional
    /// restarts take longer).
    #[serde(default = "restart_min")]
    #[schemars(range(min = 0.0))]
    pub restart_min: f64,
    /// Minutes to reload the last checkpoint (default 1).
    #[serde(default = "reload_min")]
    #[schemars(range(min = 0.0))]
    pub reload_min: f64,
    /// Causes of unexpected interruptions and their rates (default: the 18
    /// causes of Llama 3's Table 5, Dubey et al. 2024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub interruptions: Option<Vec<RawInterruptionCause>>,
    /// Monte Carlo replications of the run (default 200).
    #[serde(default = "replications")]
    #[schemars(range(min = 2, max = 100000))]
    pub replications: u64,
    /// Step of the power waveform, ms (default 100).
    #[serde(default = "step_ms")]
    #[schemars(range(min = 1, max = 60000))]
    pub step_ms: u64,
    /// Length of the waveform's window, s (default 600).
    #[serde(default = "window_s")]
    #[schemars(range(min = 1.0, max = 86400.0))]
    pub window_s: f64,
    /// An interruption in the window, s from its start (the job idles for its
    /// restart time): the largest swing the grid sees. None by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub window_interruption_at_s: Option<f64>,
    /// Lower edge of the oscillation band, Hz (default 0.1).
    #[serde(default = "band_low_hz")]
    #[schemars(range(min = 0.0))]
    pub band_low_hz: f64,
    /// Upper edge of the oscillation band, Hz (default 20; above Nyquist,
    /// `500 / step_ms`, nothing is seen).
    #[serde(default = "band_high_hz")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub band_high_hz: f64,
    /// The ramp the grid allows, MW/s: rack storage smooths to it and the
    /// site battery is sized for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub grid_ramp_limit_mw_per_s: Option<f64>,
    /// A software power floor: accelerators burn power to stay at or above
    /// this fraction of the TDP while the job runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub power_floor_fraction: Option<f64>,
    /// Accelerators in one rack (default 32: four 8-GPU servers), for rack storage.
    #[serde(default = "accelerators_per_rack")]
    #[schemars(range(min = 1))]
    pub accelerators_per_rack: u64,
    /// Energy storage in each rack, kWh (with `rack_storage_kw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub rack_storage_kwh: Option<f64>,
    /// Charge and discharge limit of each rack's storage, kW (with `rack_storage_kwh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub rack_storage_kw: Option<f64>,
    /// Capital cost of storage energy, USD/kWh (default 400; see the book).
    #[serde(default = "storage_usd_per_kwh")]
    #[schemars(range(min = 0.0))]
    pub storage_cost_usd_per_kwh: f64,
    /// Capital cost of storage power (inverters), USD/kW (default 300; see the book).
    #[serde(default = "storage_usd_per_kw")]
    #[schemars(range(min = 0.0))]
    pub storage_cost_usd_per_kw: f64,
}

/// One phase of an iteration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    /// What the phase is (`compute`, `communication`).
    #[schemars(length(min = 1))]
    pub name: String,
    /// Its length, s.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub duration_s: f64,
    /// Accelerator power during it, as a fraction of the TDP.
    #[schemars(range(min = 0.0, max = 1.5))]
    pub power_fraction: f64,
}

/// One cause of interruptions.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawInterruptionCause {
    /// Name of the cause (`faulty_gpu`).
    #[schemars(length(min = 1))]
    pub cause: String,
    /// Interruptions per million accelerator-hours.
    #[schemars(range(min = 0.0))]
    pub per_million_accelerator_hours: f64,
}

fn tdp_w() -> f64 {
    700.0
}
fn idle_w() -> f64 {
    90.0
}
fn host_w() -> f64 {
    575.0
}
fn run_days() -> f64 {
    54.0
}
fn checkpoint_write_s() -> f64 {
    3.3
}
fn checkpoint_power_fraction() -> f64 {
    0.15
}
fn detection_min() -> f64 {
    2.0
}
fn restart_min() -> f64 {
    5.0
}
fn reload_min() -> f64 {
    1.0
}
fn replications() -> u64 {
    200
}
fn step_ms() -> u64 {
    100
}
fn window_s() -> f64 {
    600.0
}
fn band_low_hz() -> f64 {
    0.1
}
fn band_high_hz() -> f64 {
    20.0
}
fn accelerators_per_rack() -> u64 {
    32
}
fn storage_usd_per_kwh() -> f64 {
    400.0
}
fn storage_usd_per_kw() -> f64 {
    300.0
}
