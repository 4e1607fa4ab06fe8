//! A synchronous training job on N accelerators in lockstep: its power over
//! time at sub-second resolution, and how much useful work it keeps through
//! its interruptions.
//!
//! **Power.** Every accelerator runs the same iteration at the same time: a
//! sequence of phases (compute, exposed communication...), each with a
//! duration and a power per accelerator. Every `checkpoint_every_iterations` iterations of
//! training the job stops for `checkpoint_write_s` to write a checkpoint, at
//! the checkpoint power; an interruption drops it to idle for the restart
//! time. The job's IT power is `N × (accelerator power + host power per
//! accelerator)`. A sample of the waveform is the exact mean of this
//! piecewise-constant power over its step, so the waveform's energy equals the
//! job's energy whatever the step ([`waveform_kw`]).
//!
//! Defaults (in the scenario layer) are those of an H100-class accelerator:
//! 700 W TDP (NVIDIA DGX H100 datasheet, 2023: 8 × H100 SXM5 at up to 700 W
//! each, 10.2 kW maximum system power). Simplification: every accelerator
//! is at the same power at the same instant (no skew between ranks, no
//! per-device variation), and power steps between phases with no slew.
//!
//! **Goodput.** Interruptions arrive as a Poisson process over wall-clock time
//! at `N × Σ rate_per_accelerator_hour` (each cause at its own rate; the
//! default rates are Meta's Llama 3 run, A. Dubey et al., "The Llama 3 Herd of
//! Models", arXiv:2407.21783, 2024, Table 5: 419 unexpected interruptions in
//! 54 days on 16,384 H100 GPUs). An interruption loses the work since the last
//! completed checkpoint (a checkpoint being written when it strikes is lost
//! too) and costs the restart time (detection, restart, reload), during which
//! another interruption restarts the restart. One replication of the run is
//! [`simulate_run`]; goodput is useful training time over wall-clock time.
//!
//! The checkpoint interval is given or optimal: J. W. Young, "A first order
//! approximation to the optimum checkpoint interval", CACM 17(9), 1974:
//! `τ = √(2 δ M)`; J. T. Daly, "A higher order estimate of the optimum
//! checkpoint interval for restart dumps", FGCS 22(3), 2006, eq. (37):
//! `τ = √(2 δ M)·[1 + ⅓√(δ/2M) + (1/9)(δ/2M)] − δ` for `δ < 2M`, else `M`
//! ([`daly_interval_h`]), with δ the checkpoint write time and M the job's mean
//! time between interruptions. The first-order goodput
//! `1 − δ/τ − (τ/2 + R)/M` ([`first_order_goodput`]) is the Monte Carlo's
//! oracle at small `τ/M`.

use plenum_kernel::rng::{RngStream, exponential, unit_f64};

/// One phase of an iteration.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// What the phase is (`compute`, `communication`).
    pub name: String,
    /// How long it lasts, in seconds.
    pub duration_s: f64,
    /// Power of one accelerator during it, in watts.
    pub accelerator_power_w: f64,
}

/// The job's power behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct JobPower {
    /// Accelerators in the job.
    pub accelerators: u64,
    /// Host power (CPUs, NICs, fans, memory) per accelerator, in watts,
    /// constant: the server's draw beyond its accelerators.
    pub host_power_w_per_accelerator: f64,
    /// One iteration, in order.
    pub phases: Vec<Phase>,
    /// Power of one accelerator while idle (restart), in watts.
    pub idle_power_w: f64,
    /// Power of one accelerator while a checkpoint is written, in watts.
    pub checkpoint_power_w: f64,
    /// Iterations between checkpoints (a checkpoint is written after a whole
    /// iteration).
    pub checkpoint_every_iterations: u64,
    /// Time the job stops to write a checkpoint, in seconds.
    pub checkpoint_write_s: f64,
}

/// An interruption placed in a waveform's window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowInterruption {
    /// When it strikes, seconds from the window's start.
    pub at_s: f64,
    /// How long the job is idle before it computes again, in seconds.
    pub restart_s: f64,
}

impl JobPower {
    /// Length of one iteration, in seconds.
    pub fn iteration_s(&self) -> f64 {
        self.phases.iter().map(|p| p.duration_s).sum()
    }

    /// Mean accelerator power over one iteration, in watts.
    pub fn iteration_mean_power_w(&self) -> f64 {
        self.phases.iter().map(|p| p.duration_s * p.accelerator_power_w).sum::<f64>() / self.iteration_s()
    }

    /// Job IT power when each accelerator draws `accelerator_w`, in kW.
    pub fn it_kw(&self, accelerator_w: f64) -> f64 {
        self.accelerators as f64 * (accelerator_w + self.host_power_w_per_accelerator) / 1_000.0
    }

    /// Training time between checkpoints, in seconds.
    pub fn checkpoint_interval_s(&self) -> f64 {
        self.checkpoint_every_iterations.max(1) as f64 * self.iteration_s()
    }

    /// Mean IT power of the job running without interruption over whole
    /// checkpoint cycles (training and writing), in kW: the hourly figure for
    /// this load, which the waveform's mean reproduces.
    pub fn mean_it_kw(&self) -> f64 {
        let interval_s = self.checkpoint_interval_s();
        let cycle_s = interval_s + self.checkpoint_write_s;
        let accel_w = (interval_s * self.iteration_mean_power_w()
            + self.checkpoint_write_s * self.checkpoint_power_w)
            / cycle_s;
        self.it_kw(accel_w)
    }

    /// Accelerator power `training_s` seconds of training into a checkpoint
    /// cycle, and the time left in its phase.
    fn training_power_w(&self, training_s: f64) -> (f64, f64) {
        let iteration_s = self.iteration_s();
        let into = training_s.rem_euclid(iteration_s);
        let mut t = into;
        for p in &self.phases {
            if t < p.duration_s {
                return (p.accelerator_power_w, p.duration_s - t);
            }
            t -= p.duration_s;
        }
        // Rounding put `into` at the iteration's end: the first phase begins.
        let first = &self.phases[0];
        (first.accelerator_power_w, iteration_s - into + first.duration_s)
    }
}

/// The job's IT power over a window of `steps` samples of `step_s` seconds,
/// in kW, each sample the exact mean over its step. The window starts at the
/// beginning of a checkpoint cycle; `interruption`, if any, idles the job for
/// its restart time, after which it resumes at the start of an iteration
/// (and of a checkpoint cycle, having reloaded the last checkpoint).
pub fn waveform_kw(
    job: &JobPower,
    step_s: f64,
    steps: usize,
    interruption: Option<WindowInterruption>,
) -> Vec<f64> {
    let mut energy_ws = vec![0.0f64; steps];
    let end_s = step_s * steps as f64;
    let mut t = 0.0f64;
    while t < end_s {
        let (power_w, until) = piece(job, interruption, t);
        // Always move on, even when rounding puts a boundary at `t` itself.
        let until = if until > t { until.min(end_s) } else { t + (t.abs() + 1.0) * f64::EPSILON };
        let mut i = ((t / step_s) as usize).min(steps - 1);
        while i < steps && (i as f64) * step_s < until {
            let from = t.max(i as f64 * step_s);
            let to = until.min((i + 1) as f64 * step_s);
            if to > from {
                energy_ws[i] += power_w * (to - from);
            }
            i += 1;
        }
        t = until;
    }
    energy_ws.into_iter().map(|ws| job.it_kw(ws / step_s)).collect()
}

/// Accelerator power at `t` seconds into the window and the time at which it
/// next changes.
fn piece(job: &JobPower, interruption: Option<WindowInterruption>, t: f64) -> (f64, f64) {
    let (fail_at, resume_at) =
        interruption.map_or((f64::INFINITY, f64::INFINITY), |i| (i.at_s, i.at_s + i.restart_s));
    if t >= fail_at && t < resume_at {
        return (job.idle_power_w, resume_at);
    }
    let origin = if t >= resume_at { resume_at } else { 0.0 };
    let interval_s = job.checkpoint_interval_s();
    let cycle_s = interval_s + job.checkpoint_write_s;
    let cycles = ((t - origin) / cycle_s).floor();
    let cycle_start = origin + cycles * cycle_s;
    let in_cycle = t - cycle_start;
    let (power_w, until) = if in_cycle < interval_s {
        let (w, left) = job.training_power_w(in_cycle);
        (w, (t + left).min(cycle_start + interval_s))
    } else {
        (job.checkpoint_power_w, cycle_start + cycle_s)
    };
    (power_w, if t < fail_at { until.min(fail_at) } else { until })
}

/// One cause of interruptions and its rate.
#[derive(Debug, Clone, PartialEq)]
pub struct InterruptionCause {
    /// Name (`faulty_gpu`).
    pub name: String,
    /// Interruptions per accelerator-hour of wall-clock time.
    pub per_accelerator_hour: f64,
}

/// The run's failure and recovery figures.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// Accelerators in the job.
    pub accelerators: u64,
    /// Wall-clock length of the run, in hours.
    pub run_hours: f64,
    /// Causes of interruption with their rates.
    pub causes: Vec<InterruptionCause>,
    /// Training time between checkpoints, in hours.
    pub checkpoint_interval_h: f64,
    /// Time to write one checkpoint (the job waits), in hours.
    pub checkpoint_write_h: f64,
    /// Time from an interruption to training again (detection, restart,
    /// reload of the last checkpoint), in hours.
    pub restart_h: f64,
}

impl RunSpec {
    /// Interruptions per hour of the whole job.
    pub fn job_rate_per_h(&self) -> f64 {
        self.accelerators as f64 * self.causes.iter().map(|c| c.per_accelerator_hour).sum::<f64>()
    }

    /// The job's mean time between interruptions, in hours.
    pub fn mtbi_h(&self) -> f64 {
        1.0 / self.job_rate_per_h()
    }
}

/// What one replication of the run gave.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// Interruptions by cause, in the order of [`RunSpec::causes`].
    pub interruptions_by_cause: Vec<u64>,
    /// Hours of training whose work was kept.
    pub useful_h: f64,
    /// Hours spent writing checkpoints that completed.
    pub checkpoint_h: f64,
    /// Hours of training (and checkpoint writing) lost to interruptions.
    pub rework_h: f64,
    /// Hours spent restarting.
    pub restart_h: f64,
}

impl RunOutcome {
    /// All interruptions.
    pub fn interruptions(&self) -> u64 {
        self.interruptions_by_cause.iter().sum()
    }
}

/// One replication of the run on `rng`: interruptions by cause, and where
/// the wall-clock hours went (useful, checkpoints, rework, restarts; they add
/// up to the run's length).
pub fn simulate_run(spec: &RunSpec, rng: &mut RngStream) -> RunOutcome {
    let rate = spec.job_rate_per_h();
    let total_rate: f64 = spec.causes.iter().map(|c| c.per_accelerator_hour).sum();
    let mut out = RunOutcome {
        interruptions_by_cause: vec![0; spec.causes.len()],
        useful_h: 0.0,
        checkpoint_h: 0.0,
        rework_h: 0.0,
        restart_h: 0.0,
    };
    let cycle_h = spec.checkpoint_interval_h + spec.checkpoint_write_h;
    let end_h = spec.run_hours;
    let mut t = 0.0;
    let mut next_failure = if rate > 0.0 { exponential(rng, 1.0 / rate) } else { f64::INFINITY };
    let pick_cause = |rng: &mut RngStream, out: &mut RunOutcome| {
        let mut x = unit_f64(rng) * total_rate;
        let mut chosen = spec.causes.len() - 1;
        for (i, c) in spec.causes.iter().enumerate() {
            if x < c.per_accelerator_hour {
                chosen = i;
                break;
            }
            x -= c.per_accelerator_hour;
        }
        out.interruptions_by_cause[chosen] += 1;
    };
    while t < end_h {
        // Training from a checkpoint until the next interruption or the end.
        let stop = next_failure.min(end_h);
        let span = stop - t;
        let cycles = (span / cycle_h).floor();
        out.useful_h += cycles * spec.checkpoint_interval_h;
        out.checkpoint_h += cycles * spec.checkpoint_write_h;
        let rest = span - cycles * cycle_h;
        if next_failure >= end_h {
            // The run ends: the work since the last checkpoint is kept (the
            // last checkpoint is written after the run's end).
            out.useful_h += rest.min(spec.checkpoint_interval_h);
            out.checkpoint_h += (rest - spec.checkpoint_interval_h).max(0.0);
            break;
        }
        out.rework_h += rest;
        pick_cause(rng, &mut out);
        t = next_failure;
        next_failure = t + exponential(rng, 1.0 / rate);
        // Restart; an interruption during it starts it again.
        loop {
            let done = (t + spec.restart_h).min(end_h);
            if next_failure < done {
                out.restart_h += next_failure - t;
                pick_cause(rng, &mut out);
                t = next_failure;
                next_failure = t + exponential(rng, 1.0 / rate);
            } else {
                out.restart_h += done - t;
                t = done;
                break;
            }
        }
    }
    out
}

/// Young's optimal checkpoint interval, `√(2 δ M)`, in hours.
pub fn young_interval_h(checkpoint_write_h: f64, mtbi_h: f64) -> f64 {
    (2.0 * checkpoint_write_h * mtbi_h).sqrt()
}

/// Daly's higher-order optimal checkpoint interval (module doc), in hours.
pub fn daly_interval_h(checkpoint_write_h: f64, mtbi_h: f64) -> f64 {
    let d = checkpoint_write_h;
    let m = mtbi_h;
    if d >= 2.0 * m {
        return m;
    }
    let x = d / (2.0 * m);
    (2.0 * d * m).sqrt() * (1.0 + x.sqrt() / 3.0 + x / 9.0) - d
}

/// First-order goodput `1 − δ/τ − (τ/2 + R)/M`, clamped to [0, 1].
pub fn first_order_goodput(interval_h: f64, write_h: f64, restart_h: f64, mtbi_h: f64) -> f64 {
    (1.0 - write_h / interval_h - (interval_h / 2.0 + restart_h) / mtbi_h).clamp(0.0, 1.0)
}

/// The causes and counts of Llama 3's unexpected interruptions (Dubey et al.
/// 2024, Table 5): 419 in 54 days on 16,384 H100 GPUs.
pub const LLAMA3_INTERRUPTIONS: &[(&str, u64)] = &[
    ("faulty_gpu", 148),
    ("gpu_hbm3_memory", 72),
    ("software_bug", 54),
    ("network_switch_cable", 35),
    ("host_maintenance", 32),
    ("gpu_sram_memory", 19),
    ("gpu_system_processor", 17),
    ("nic", 7),
    ("nccl_watchdog_timeout", 7),
    ("silent_data_corruption", 6),
    ("gpu_thermal_interface_sensor", 6),
    ("ssd", 3),
    ("power_supply", 3),
    ("server_chassis", 2),
    ("io_expansion_board", 2),
    ("dependency", 2),
    ("cpu", 2),
    ("system_memory", 2),
];

/// GPUs in the Llama 3 405B pre-training run (Dubey et al. 2024).
pub const LLAMA3_GPUS: u64 = 16_384;
/// Days of the Llama 3 snapshot the interruptions were counted over.
pub const LLAMA3_DAYS: f64 = 54.0;

/// Llama 3's interruption rates per accelerator-hour by cause.
pub fn llama3_causes() -> Vec<InterruptionCause> {
    let accelerator_hours = LLAMA3_GPUS as f64 * LLAMA3_DAYS * 24.0;
    LLAMA3_INTERRUPTIONS
        .iter()
        .map(|(name, count)| InterruptionCause {
            name: (*name).to_string(),
            per_accelerator_hour: *count as f64 / accelerator_hours,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_kernel::stream;

    fn job() -> JobPower {
        JobPower {
            accelerators: 1_000,
            host_power_w_per_accelerator: 500.0,
            phases: vec![
                Phase { name: "compute".into(), duration_s: 1.25, accelerator_power_w: 700.0 },
                Phase { name: "communication".into(), duration_s: 0.37, accelerator_power_w: 300.0 },
            ],
            idle_power_w: 90.0,
            checkpoint_power_w: 150.0,
            checkpoint_every_iterations: 25,
            checkpoint_write_s: 3.3,
        }
    }

    #[test]
    fn llama3_table_adds_up_to_419() {
        assert_eq!(LLAMA3_INTERRUPTIONS.iter().map(|c| c.1).sum::<u64>(), 419);
        let spec = RunSpec {
            accelerators: LLAMA3_GPUS,
            run_hours: 54.0 * 24.0,
            causes: llama3_causes(),
            checkpoint_interval_h: 0.1,
            checkpoint_write_h: 0.001,
            restart_h: 0.1,
        };
        assert!((spec.mtbi_h() - 54.0 * 24.0 / 419.0).abs() < 1e-12);
    }

    #[test]
    fn waveform_energy_is_the_jobs_energy_at_any_step() {
        let job = job();
        let cycle_s = job.checkpoint_interval_s() + job.checkpoint_write_s;
        // Ten whole cycles at steps that do not divide the phases.
        let mut checked = 0;
        for step_s in [0.1, 0.05, 0.433, 0.3] {
            let steps = (10.0 * cycle_s / step_s).round() as usize;
            let window_s = steps as f64 * step_s;
            let w = waveform_kw(&job, step_s, steps, None);
            let mean = w.iter().sum::<f64>() / steps as f64;
            if (window_s - 10.0 * cycle_s).abs() < 1e-6 {
                checked += 1;
                assert!((mean - job.mean_it_kw()).abs() < 1e-9 * job.mean_it_kw(), "{step_s}: {mean}");
            }
            assert!(w.iter().all(|kw| *kw >= job.it_kw(job.idle_power_w) - 1e-9));
            assert!(w.iter().all(|kw| *kw <= job.it_kw(700.0) + 1e-9));
        }
        assert_eq!(checked, 3);
    }

    #[test]
    fn an_interruption_idles_the_job_for_its_restart() {
        let job = job();
        let w = waveform_kw(&job, 0.1, 3_000, Some(WindowInterruption { at_s: 100.0, restart_s: 60.0 }));
        let idle_kw = job.it_kw(job.idle_power_w);
        for (i, kw) in w.iter().enumerate() {
            let t = i as f64 * 0.1;
            if t > 100.05 && t < 159.95 {
                assert!((kw - idle_kw).abs() < 1e-9, "{t}: {kw}");
            }
        }
        // It computes again after the restart, at the start of an iteration.
        assert!((w[1_601] - job.it_kw(700.0)).abs() < 1e-9);
    }

    #[test]
    fn hours_add_up_to_the_run() {
        let spec = RunSpec {
            accelerators: LLAMA3_GPUS,
            run_hours: 1_296.0,
            causes: llama3_causes(),
            checkpoint_interval_h: 0.08,
            checkpoint_write_h: 0.001,
            restart_h: 0.15,
        };
        for r in 0..20 {
            let o = simulate_run(&spec, &mut stream(7, "training/interruptions", r));
            let sum = o.useful_h + o.checkpoint_h + o.rework_h + o.restart_h;
            assert!((sum - spec.run_hours).abs() < 1e-6, "{sum}");
            assert!(o.interruptions() > 300 && o.interruptions() < 550);
        }
    }

    #[test]
    fn no_failures_is_all_training_and_checkpoints() {
        let spec = RunSpec {
            accelerators: 8,
            run_hours: 100.0,
            causes: vec![InterruptionCause { name: "none".into(), per_accelerator_hour: 0.0 }],
            checkpoint_interval_h: 1.0,
            checkpoint_write_h: 0.25,
            restart_h: 0.1,
        };
        let o = simulate_run(&spec, &mut stream(1, "x", 0));
        assert_eq!(o.interruptions(), 0);
        assert!((o.useful_h - 80.0).abs() < 1e-9 && (o.checkpoint_h - 20.0).abs() < 1e-9);
    }

    #[test]
    fn daly_is_young_to_first_order() {
        let young = young_interval_h(0.001, 3.0);
        let daly = daly_interval_h(0.001, 3.0);
        assert!((daly - young).abs() / young < 0.02);
        assert_eq!(daly_interval_h(10.0, 3.0), 3.0);
    }
}
