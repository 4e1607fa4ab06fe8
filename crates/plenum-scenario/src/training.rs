//! The validated `[training]` section and the rules that need more than one
//! field: rack storage given as energy and power together and with a ramp
//! limit to smooth to, an interruption inside the waveform's window, a band
//! with its low edge below its high edge, a window of at least two samples,
//! and an interruption rate or a checkpoint interval (the optimal interval
//! needs a rate).

use crate::problems::Problems;
use crate::raw::training::RawTraining;
use plenum_models::training::{InterruptionCause, Phase, llama3_causes};

/// Samples a waveform may hold (10 million: about 80 MB per series).
pub const MAX_WAVEFORM_STEPS: f64 = 1e7;

/// A validated training job.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    /// Accelerators in the job.
    pub accelerators: u64,
    /// TDP of one accelerator, W.
    pub accelerator_tdp_w: f64,
    /// Idle power of one accelerator, W.
    pub accelerator_idle_w: f64,
    /// Host power per accelerator, W.
    pub host_power_w_per_accelerator: f64,
    /// Wall-clock length of the run, h.
    pub run_hours: f64,
    /// One iteration's phases (power in W).
    pub phases: Vec<Phase>,
    /// Checkpoint write time, s.
    pub checkpoint_write_s: f64,
    /// Accelerator power while writing, W.
    pub checkpoint_power_w: f64,
    /// Given checkpoint interval, min (None: Young/Daly optimal).
    pub checkpoint_interval_min: Option<f64>,
    /// Detection, restart and reload, h.
    pub restart_h: f64,
    /// Causes of interruptions with their rates per accelerator-hour.
    pub causes: Vec<InterruptionCause>,
    /// Where the rates come from.
    pub causes_source: String,
    /// Monte Carlo replications.
    pub replications: u64,
    /// Waveform step, s.
    pub step_s: f64,
    /// Waveform samples.
    pub window_steps: usize,
    /// An interruption in the window, s from its start.
    pub window_interruption_at_s: Option<f64>,
    /// Band of the oscillation share, Hz.
    pub band_hz: (f64, f64),
    /// The grid's ramp limit, MW/s.
    pub grid_ramp_limit_mw_per_s: Option<f64>,
    /// Power floor per accelerator, W.
    pub power_floor_w: Option<f64>,
    /// Accelerators per rack.
    pub accelerators_per_rack: u64,
    /// Storage in each rack: (kWh, kW).
    pub rack_storage: Option<(f64, f64)>,
    /// Storage capital per kWh, USD.
    pub storage_cost_usd_per_kwh: f64,
    /// Storage capital per kW, USD.
    pub storage_cost_usd_per_kw: f64,
}

/// Where the default interruption rates come from.
pub const LLAMA3_SOURCE: &str =
    "Llama 3 405B pre-training, 54 days on 16,384 H100 GPUs (Dubey et al. 2024, Table 5)";

/// Validate `[training]`, adding problems to `p`; `None` when it has problems.
pub(crate) fn validate(t: &RawTraining, p: &mut Problems<'_>) -> Option<Training> {
    let before = p.count();
    let tdp = t.accelerator_tdp_w;
    let phases: Vec<Phase> = match &t.phases {
        Some(phases) => phases
            .iter()
            .map(|ph| Phase {
                name: ph.name.clone(),
                duration_s: ph.duration_s,
                accelerator_power_w: ph.power_fraction * tdp,
            })
            .collect(),
        // An illustrative iteration (see the book): compute at the TDP, then
        // exposed communication at half of it.
        None => vec![
            Phase { name: "compute".into(), duration_s: 5.0, accelerator_power_w: tdp },
            Phase { name: "communication".into(), duration_s: 1.0, accelerator_power_w: 0.5 * tdp },
        ],
    };
    let (causes, causes_source) = match &t.interruptions {
        Some(list) => (
            list.iter()
                .map(|c| InterruptionCause {
                    name: c.cause.clone(),
                    per_accelerator_hour: c.per_million_accelerator_hours / 1e6,
                })
                .collect(),
            "training.interruptions".to_string(),
        ),
        None => (llama3_causes(), LLAMA3_SOURCE.to_string()),
    };
    if let Some(list) = &t.interruptions {
        for (i, c) in list.iter().enumerate() {
            if list[..i].iter().any(|o| o.cause == c.cause) {
                p.add(
                    &format!("training.interruptions[{i}].cause"),
                    format!("`{}` is listed twice", c.cause),
                    None,
                );
            }
        }
    }
    let rate: f64 = causes.iter().map(|c| c.per_accelerator_hour).sum();
    if rate <= 0.0 && t.checkpoint_interval_min.is_none() {
        p.add(
            "training.checkpoint_interval_min",
            "with no interruptions there is no optimal checkpoint interval: give `checkpoint_interval_min`",
            None,
        );
    }
    let step_s = t.step_ms as f64 / 1_000.0;
    let steps = (t.window_s / step_s).floor();
    if steps < 2.0 {
        p.add(
            "training.window_s",
            format!("a window of {} s holds fewer than two {} ms steps", t.window_s, t.step_ms),
            None,
        );
    }
    if steps > MAX_WAVEFORM_STEPS {
        p.add(
            "training.window_s",
            format!("{steps} steps is more than {MAX_WAVEFORM_STEPS} in one window: lengthen `step_ms` or shorten the window"),
            None,
        );
    }
    if let Some(at) = t.window_interruption_at_s
        && at >= t.window_s
    {
        p.add(
            "training.window_interruption_at_s",
            format!("{at} s is outside the {} s window", t.window_s),
            None,
        );
    }
    if t.band_low_hz >= t.band_high_hz {
        p.add("training.band_low_hz", "the band's low edge must be below `band_high_hz`", None);
    }
    let rack_storage = match (t.rack_storage_kwh, t.rack_storage_kw) {
        (Some(kwh), Some(kw)) => Some((kwh, kw)),
        (None, None) => None,
        (Some(_), None) => {
            p.add("training.rack_storage_kwh", "rack storage needs `rack_storage_kw` too", None);
            None
        }
        (None, Some(_)) => {
            p.add("training.rack_storage_kw", "rack storage needs `rack_storage_kwh` too", None);
            None
        }
    };
    if rack_storage.is_some() && t.grid_ramp_limit_mw_per_s.is_none() {
        p.add(
            "training.rack_storage_kwh",
            "rack storage smooths to a ramp limit: give `grid_ramp_limit_mw_per_s`",
            None,
        );
    }
    if p.count() > before {
        return None;
    }
    Some(Training {
        accelerators: t.accelerators,
        accelerator_tdp_w: tdp,
        accelerator_idle_w: t.accelerator_idle_w,
        host_power_w_per_accelerator: t.host_power_w_per_accelerator,
        run_hours: t.run_days * 24.0,
        phases,
        checkpoint_write_s: t.checkpoint_write_s,
        checkpoint_power_w: t.checkpoint_power_fraction * tdp,
        checkpoint_interval_min: t.checkpoint_interval_min,
        restart_h: (t.detection_min + t.restart_min + t.reload_min) / 60.0,
        causes,
        causes_source,
        replications: t.replications,
        step_s,
        window_steps: steps as usize,
        window_interruption_at_s: t.window_interruption_at_s,
        band_hz: (t.band_low_hz, t.band_high_hz),
        grid_ramp_limit_mw_per_s: t.grid_ramp_limit_mw_per_s,
        power_floor_w: t.power_floor_fraction.map(|f| f * tdp),
        accelerators_per_rack: t.accelerators_per_rack,
        rack_storage,
        storage_cost_usd_per_kwh: t.storage_cost_usd_per_kwh,
        storage_cost_usd_per_kw: t.storage_cost_usd_per_kw,
    })
}
