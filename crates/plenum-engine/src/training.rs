//! A scenario's `[training]` job: its power waveform through the power chain
//! to the utility meter, what the grid sees of it before and after each
//! mitigation (`power_dynamics`), and the goodput the job keeps through its
//! interruptions over the run (`training`, a Monte Carlo of
//! `plenum_models::training::simulate_run`).
//!
//! The waveform flows up through the scenario's power-chain stages when it
//! has `[power_chain]` (else the figures are at the IT input). Each stage is
//! taken as one site-wide stage rated at the job's peak IT power in 1 MW
//! units, with the stage's redundancy and losses: a simplification of the
//! facility year's placement (racks, PDUs), exact for linear losses and
//! redundancy in proportion to the units (N, 2N, distributed redundant).
//! Cooling and other loads are left out of the waveform: the plant's thermal
//! inertia does not follow sub-second swings, so they add a level, not a swing.
//!
//! Mitigations, each applied alone to the same waveform: a power floor (the
//! accelerators burn power up to the floor while the job runs; its waste is
//! the window's extra meter energy scaled to a year and priced at the flat
//! price), rack storage (the racks' batteries smooth the IT load to the grid's
//! ramp limit within their power and energy; a grid step faster than the
//! limit where they run out is counted), and a site battery at the meter sized
//! by `plenum_models::training_dynamics::size_storage` to hold the ramp under
//! the limit at every step, with its capital from the scenario's costs.
//!
//! Determinism: replication `r` draws only from the stream
//! `("training/interruptions", r)` and replications are collected in order
//! before anything is added up, so the figures are the same on any number of
//! threads.

use crate::control::{Control, Interrupted};
use crate::tables::{ColumnValues, DataTable};
use plenum_kernel::stream;
use plenum_models::power_chain::{Stage, StageFlow, flows_up};
use plenum_models::reliability::stats::Accumulator;
use plenum_models::training::{
    JobPower, RunOutcome, RunSpec, WindowInterruption, daly_interval_h, first_order_goodput, simulate_run,
    waveform_kw, young_interval_h,
};
use plenum_models::training_dynamics::{Dynamics, Storage, dynamics, size_storage, smooth_to_ramp};
use plenum_models::units::HOURS_PER_YEAR;
use plenum_scenario::PowerChainSpec;
use plenum_scenario::training::Training;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The `training` part of the JSON summary: the run's interruptions and goodput.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingSummary {
    /// Accelerators in the job.
    pub accelerators: u64,
    /// Wall-clock length of the run, days.
    pub run_days: f64,
    /// Monte Carlo replications of the run.
    pub replications: u64,
    /// Where the interruption rates come from.
    pub interruption_rates_source: String,
    /// Mean interruptions over the run.
    pub interruptions: f64,
    /// 95% confidence interval of `interruptions` (Student's t over replications).
    pub interruptions_ci95: [f64; 2],
    /// Interruptions over the run by cause.
    pub interruptions_by_cause: Vec<CauseFigures>,
    /// Mean of the run's hours over its interruptions, h.
    pub mean_hours_between_interruptions: f64,
    /// 95% confidence interval of `mean_hours_between_interruptions`.
    pub mean_hours_between_interruptions_ci95: [f64; 2],
    /// Useful training time over wall-clock time (0..1).
    pub goodput: f64,
    /// 95% confidence interval of `goodput`.
    pub goodput_ci95: [f64; 2],
    /// The first-order estimate `1 − δ/τ − (τ/2 + R)/M` (Young 1974), the
    /// Monte Carlo's oracle.
    pub goodput_first_order: f64,
    /// Training time between checkpoints used, minutes.
    pub checkpoint_interval_min: f64,
    /// Whether that interval is `given` or the `young_daly` optimum.
    pub checkpoint_interval_source: String,
    /// Daly's optimal interval (2006) for the job's interruption rate, minutes.
    pub optimal_checkpoint_interval_min: f64,
    /// Young's first-order optimum √(2δM) (1974), minutes.
    pub young_checkpoint_interval_min: f64,
    /// Detection, restart and reload after an interruption, minutes.
    pub restart_min: f64,
    /// Accelerator-hours that produced no kept work (rework, restarts,
    /// checkpoint writes), GPU-h.
    pub lost_gpu_hours: f64,
    /// 95% confidence interval of `lost_gpu_hours`.
    pub lost_gpu_hours_ci95: [f64; 2],
    /// Of those, accelerator-hours of lost work and restarts (not
    /// checkpoints), GPU-h.
    pub interruption_gpu_hours: f64,
    /// The site's total cost over its accelerators and the hours of a month,
    /// USD/GPU-hour.
    pub cost_per_gpu_hour_usd: f64,
    /// That over the goodput: the cost of an accelerator-hour of kept work,
    /// USD/GPU-hour.
    pub cost_per_useful_gpu_hour_usd: f64,
    /// Mean IT power of the job running between interruptions (compute,
    /// communication and checkpoints), kW: the hourly figure the waveform's
    /// mean reproduces.
    pub mean_it_power_kw: f64,
    /// IT power with every accelerator at its highest phase, kW.
    pub peak_it_power_kw: f64,
}

/// Interruptions of one cause.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CauseFigures {
    /// The cause.
    pub cause: String,
    /// Expected interruptions over the run from its rate.
    pub expected: f64,
    /// Mean over replications.
    pub mean: f64,
    /// 95% confidence interval of `mean`.
    pub mean_ci95: [f64; 2],
}

/// What the grid sees of a signal.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalFigures {
    /// Mean power, MW.
    pub mean_mw: f64,
    /// Largest less smallest power in the window, MW.
    pub swing_mw: f64,
    /// Largest ramp between two steps, MW/s.
    pub max_ramp_mw_per_s: f64,
    /// 99th percentile of the ramp, MW/s.
    pub p99_ramp_mw_per_s: f64,
    /// Share of the variance in the band (0..1).
    pub band_energy_share: f64,
}

impl From<Dynamics> for SignalFigures {
    fn from(d: Dynamics) -> Self {
        SignalFigures {
            mean_mw: d.mean_mw,
            swing_mw: d.swing_mw,
            max_ramp_mw_per_s: d.max_ramp_mw_per_s,
            p99_ramp_mw_per_s: d.p99_ramp_mw_per_s,
            band_energy_share: d.band_energy_share,
        }
    }
}

/// The `power_dynamics` part of the JSON summary: the training job's
/// waveform as the grid sees it, before and after each mitigation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerDynamicsSummary {
    /// Where the waveform is taken: `utility meter` (through the power
    /// chain) or `IT input` (the scenario has no power chain).
    pub measured_at: String,
    /// Step of the waveform, ms.
    pub step_ms: f64,
    /// Length of the window, s.
    pub window_s: f64,
    /// The band's lower edge, Hz.
    pub band_low_hz: f64,
    /// The band's upper edge, Hz.
    pub band_high_hz: f64,
    /// Highest frequency the step resolves (Nyquist), Hz.
    pub nyquist_hz: f64,
    /// Mean power, MW.
    pub mean_mw: f64,
    /// Largest less smallest power in the window, MW.
    pub swing_mw: f64,
    /// Largest ramp between two steps, MW/s.
    pub max_ramp_mw_per_s: f64,
    /// 99th percentile of the ramp, MW/s.
    pub p99_ramp_mw_per_s: f64,
    /// Share of the variance in the band (0..1).
    pub band_energy_share: f64,
    /// The ramp the grid allows, MW/s, when the scenario states one.
    pub grid_ramp_limit_mw_per_s: Option<f64>,
    /// With a software power floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_floor: Option<PowerFloorFigures>,
    /// With storage in every rack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rack_storage: Option<RackStorageFigures>,
    /// With a site battery sized for the ramp limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_bess: Option<BessFigures>,
}

/// A power floor and what it costs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerFloorFigures {
    /// The floor per accelerator, W.
    pub floor_w_per_accelerator: f64,
    /// The grid's view with the floor.
    pub after: SignalFigures,
    /// Extra energy at the meter over a year of the window's pattern, MWh.
    pub wasted_mwh_per_year: f64,
    /// That at the flat energy price, USD a year.
    pub wasted_cost_usd_per_year: f64,
}

/// Rack storage and what it costs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RackStorageFigures {
    /// Racks holding the job's accelerators.
    pub racks: u64,
    /// Storage energy per rack, kWh.
    pub kwh_per_rack: f64,
    /// Storage power per rack, kW.
    pub kw_per_rack: f64,
    /// Capital of all racks' storage, USD.
    pub capex_usd: f64,
    /// Steps at which storage ran out and the grid followed the load faster
    /// than the limit.
    pub steps_over_limit: u64,
    /// The grid's view with rack storage.
    pub after: SignalFigures,
}

/// The site battery Plenum sized.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BessFigures {
    /// Energy it must hold, kWh.
    pub energy_kwh: f64,
    /// Power it must deliver or absorb, kW.
    pub power_kw: f64,
    /// Capital: energy × USD/kWh plus power × USD/kW.
    pub capex_usd: f64,
    /// The grid's view with the battery.
    pub after: SignalFigures,
}

/// Prices the training figures need from the rest of the run.
#[derive(Debug, Clone, Copy)]
pub struct TrainingPrices {
    /// Total cost of the site a month, USD.
    pub total_monthly_usd: f64,
    /// Flat energy price, USD/kWh.
    pub price_usd_per_kwh: f64,
}

/// Everything the `[training]` section produces.
#[derive(Debug, Clone)]
pub struct TrainingResults {
    /// The run's interruptions and goodput.
    pub training: TrainingSummary,
    /// The waveform as the grid sees it.
    pub power_dynamics: PowerDynamicsSummary,
    /// The waveform, one row a step.
    pub waveform: DataTable,
}

/// The run's failure and recovery figures for `t`, with the checkpoint
/// interval it uses and whether it was given.
pub fn run_spec(t: &Training) -> (RunSpec, &'static str) {
    let mut spec = RunSpec {
        accelerators: t.accelerators,
        run_hours: t.run_hours,
        causes: t.causes.clone(),
        checkpoint_interval_h: 0.0,
        checkpoint_write_h: t.checkpoint_write_s / 3_600.0,
        restart_h: t.restart_h,
    };
    match t.checkpoint_interval_min {
        Some(min) => {
            spec.checkpoint_interval_h = min / 60.0;
            (spec, "given")
        }
        None => {
            spec.checkpoint_interval_h = daly_interval_h(spec.checkpoint_write_h, spec.mtbi_h());
            (spec, "young_daly")
        }
    }
}

/// Replications of the run, in replication order (parallel, cancellable
/// between blocks of replications).
pub fn replicate(
    spec: &RunSpec,
    seed: u64,
    replications: u64,
    control: &Control<'_>,
) -> Result<Vec<RunOutcome>, Interrupted> {
    const BLOCK: u64 = 64;
    let mut out = Vec::with_capacity(replications as usize);
    let mut start = 0;
    while start < replications {
        if control.is_cancelled() {
            return Err(Interrupted);
        }
        let end = (start + BLOCK).min(replications);
        let block: Vec<RunOutcome> = (start..end)
            .into_par_iter()
            .map(|r| simulate_run(spec, &mut stream(seed, "training/interruptions", r)))
            .collect();
        out.extend(block);
        control.report("training replications", end, replications);
        start = end;
    }
    Ok(out)
}

/// Mean goodput of `outcomes` over a run of `run_hours`, with its interval.
pub fn goodput_estimate(
    outcomes: &[RunOutcome],
    run_hours: f64,
) -> plenum_models::reliability::stats::Estimate {
    let mut acc = Accumulator::default();
    outcomes.iter().for_each(|o| acc.push(o.useful_h / run_hours));
    acc.estimate()
}

fn ci(e: plenum_models::reliability::stats::Estimate) -> [f64; 2] {
    [e.ci95_low.max(0.0), e.ci95_high]
}

/// The job's power model for `t` with checkpoints every `interval_h`.
pub fn job_power(t: &Training, interval_h: f64) -> JobPower {
    let mut job = JobPower {
        accelerators: t.accelerators,
        host_power_w_per_accelerator: t.host_power_w_per_accelerator,
        phases: t.phases.clone(),
        idle_power_w: t.accelerator_idle_w,
        checkpoint_power_w: t.checkpoint_power_w,
        checkpoint_every_iterations: 1,
        checkpoint_write_s: t.checkpoint_write_s,
    };
    job.checkpoint_every_iterations = ((interval_h * 3_600.0 / job.iteration_s()).round() as u64).max(1);
    job
}

/// The power chain as site-wide stages rated for `peak_kw` (module doc).
pub fn aggregate_chain(chain: &PowerChainSpec, peak_kw: f64) -> Vec<Stage> {
    chain
        .stages
        .iter()
        .map(|spec| {
            let units = (peak_kw / 1_000.0).ceil().max(1.0) as u32;
            Stage {
                name: spec.name.clone(),
                units_needed: units,
                unit_rating_kw: peak_kw / f64::from(units),
                redundancy: spec.redundancy,
                loss: spec.loss,
                indoor: !spec.feeds_mechanical,
            }
        })
        .collect()
}

/// IT power through `stages` to the meter, kW per sample.
pub fn to_meter(stages: &[Stage], it_kw: &[f64]) -> Vec<f64> {
    let mut flows: Vec<StageFlow> = Vec::new();
    it_kw
        .iter()
        .map(|kw| {
            flows_up(stages, *kw, &mut flows);
            flows.first().map_or(*kw, StageFlow::input_kw)
        })
        .collect()
}

/// Run the `[training]` study.
pub fn run_controlled(
    t: &Training,
    seed: u64,
    chain: Option<&PowerChainSpec>,
    prices: TrainingPrices,
    control: &Control<'_>,
) -> Result<TrainingResults, Interrupted> {
    let (spec, interval_source) = run_spec(t);
    let outcomes = replicate(&spec, seed, t.replications, control)?;
    let n = t.accelerators as f64;
    let mut interruptions = Accumulator::default();
    let mut mtbi = Accumulator::default();
    let mut lost = Accumulator::default();
    let mut interruption_hours = Accumulator::default();
    let mut by_cause = vec![Accumulator::default(); spec.causes.len()];
    for o in &outcomes {
        let count = o.interruptions();
        interruptions.push(count as f64);
        mtbi.push(t.run_hours / (count.max(1)) as f64);
        lost.push(n * (t.run_hours - o.useful_h));
        interruption_hours.push(n * (o.rework_h + o.restart_h));
        for (acc, c) in by_cause.iter_mut().zip(&o.interruptions_by_cause) {
            acc.push(*c as f64);
        }
    }
    let goodput = goodput_estimate(&outcomes, t.run_hours);
    let mtbi_h = spec.mtbi_h();
    let job = job_power(t, spec.checkpoint_interval_h);
    let peak_w = t.phases.iter().map(|p| p.accelerator_power_w).fold(t.checkpoint_power_w, f64::max);
    let peak_it_kw = job.it_kw(peak_w);
    let cost_per_gpu_hour_usd = prices.total_monthly_usd / n / plenum_models::units::HOURS_PER_MONTH;
    let training = TrainingSummary {
        accelerators: t.accelerators,
        run_days: t.run_hours / 24.0,
        replications: t.replications,
        interruption_rates_source: t.causes_source.clone(),
        interruptions: interruptions.estimate().mean,
        interruptions_ci95: ci(interruptions.estimate()),
        interruptions_by_cause: spec
            .causes
            .iter()
            .zip(&by_cause)
            .map(|(c, acc)| CauseFigures {
                cause: c.name.clone(),
                expected: c.per_accelerator_hour * n * t.run_hours,
                mean: acc.estimate().mean,
                mean_ci95: ci(acc.estimate()),
            })
            .collect(),
        mean_hours_between_interruptions: mtbi.estimate().mean,
        mean_hours_between_interruptions_ci95: ci(mtbi.estimate()),
        goodput: goodput.mean,
        goodput_ci95: [goodput.ci95_low.max(0.0), goodput.ci95_high.min(1.0)],
        goodput_first_order: first_order_goodput(
            spec.checkpoint_interval_h,
            spec.checkpoint_write_h,
            spec.restart_h,
            mtbi_h,
        ),
        checkpoint_interval_min: spec.checkpoint_interval_h * 60.0,
        checkpoint_interval_source: interval_source.to_string(),
        optimal_checkpoint_interval_min: daly_interval_h(spec.checkpoint_write_h, mtbi_h) * 60.0,
        young_checkpoint_interval_min: young_interval_h(spec.checkpoint_write_h, mtbi_h) * 60.0,
        restart_min: t.restart_h * 60.0,
        lost_gpu_hours: lost.estimate().mean,
        lost_gpu_hours_ci95: ci(lost.estimate()),
        interruption_gpu_hours: interruption_hours.estimate().mean,
        cost_per_gpu_hour_usd,
        cost_per_useful_gpu_hour_usd: cost_per_gpu_hour_usd / goodput.mean.max(f64::MIN_POSITIVE),
        mean_it_power_kw: job.mean_it_kw(),
        peak_it_power_kw: peak_it_kw,
    };
    let (power_dynamics, waveform) = power_study(t, &job, chain, peak_it_kw, prices);
    Ok(TrainingResults { training, power_dynamics, waveform })
}

/// The waveform of `job` (peak IT power `peak_it_kw`), its dynamics and
/// the mitigations (module doc): the `power_dynamics` summary and the
/// `training_waveform` table.
pub fn power_study(
    t: &Training,
    job: &JobPower,
    chain: Option<&PowerChainSpec>,
    peak_it_kw: f64,
    prices: TrainingPrices,
) -> (PowerDynamicsSummary, DataTable) {
    let steps = t.window_steps;
    let step_s = t.step_s;
    let interruption =
        t.window_interruption_at_s.map(|at_s| WindowInterruption { at_s, restart_s: t.restart_h * 3_600.0 });
    let stages = chain.map(|c| aggregate_chain(c, peak_it_kw)).unwrap_or_default();
    let it_kw = waveform_kw(job, step_s, steps, interruption);
    let meter_kw = to_meter(&stages, &it_kw);
    let (lo, hi) = t.band_hz;
    let look = |kw: &[f64]| SignalFigures::from(dynamics(kw, step_s, lo, hi));
    let before = look(&meter_kw);
    let time_s: Vec<f64> = (0..steps).map(|i| i as f64 * step_s).collect();
    let mw = |kw: &[f64]| ColumnValues::F64(kw.iter().map(|k| k / 1_000.0).collect());
    let mut extra: Vec<(&str, &str, Vec<f64>)> = Vec::new();
    let mut table = DataTable::new("training_waveform", "One step of the training job's power waveform")
        .with("time_s", "Start of the step, seconds into the window", ColumnValues::F64(time_s))
        .with("it_power_mw", "IT power of the job, mean over the step", mw(&it_kw))
        .with("grid_power_mw", "Power at the utility meter, mean over the step", mw(&meter_kw));
    let power_floor = t.power_floor_w.map(|floor_w| {
        let mut floored = job.clone();
        floored.phases.iter_mut().for_each(|p| p.accelerator_power_w = p.accelerator_power_w.max(floor_w));
        floored.checkpoint_power_w = floored.checkpoint_power_w.max(floor_w);
        let floor_meter = to_meter(&stages, &waveform_kw(&floored, step_s, steps, interruption));
        let extra_kw = (floor_meter.iter().sum::<f64>() - meter_kw.iter().sum::<f64>()) / steps as f64;
        let wasted_mwh_per_year = extra_kw * HOURS_PER_YEAR / 1_000.0;
        let after = look(&floor_meter);
        extra.push(("power_floor_grid_mw", "Power at the meter with the power floor", floor_meter));
        PowerFloorFigures {
            floor_w_per_accelerator: floor_w,
            after,
            wasted_mwh_per_year,
            wasted_cost_usd_per_year: wasted_mwh_per_year * 1_000.0 * prices.price_usd_per_kwh,
        }
    });
    let limit_kw_per_s = t.grid_ramp_limit_mw_per_s.map(|mw| mw * 1_000.0);
    let rack_storage = match (t.rack_storage, limit_kw_per_s) {
        (Some((kwh, kw)), Some(limit)) => {
            let racks = t.accelerators.div_ceil(t.accelerators_per_rack);
            let store = Storage {
                power_kw: kw * racks as f64,
                energy_kwh: kwh * racks as f64,
                initial_kwh: 0.5 * kwh * racks as f64,
            };
            // The racks see IT power: smooth it to the grid's limit over the
            // chain's steepest slope (losses are convex in load: at the most
            // the racks draw, peak plus their storage's charging power), so
            // the meter keeps the limit.
            let top_kw = peak_it_kw + store.power_kw;
            let top_meter = to_meter(&stages, &[0.999 * top_kw, top_kw]);
            let slope = ((top_meter[1] - top_meter[0]) / (0.001 * top_kw)).max(1.0);
            let (smoothed_it, steps_over_limit) = smooth_to_ramp(&it_kw, step_s, limit / slope, store);
            let rack_meter = to_meter(&stages, &smoothed_it);
            let after = look(&rack_meter);
            extra.push(("rack_storage_grid_mw", "Power at the meter with rack storage", rack_meter));
            Some(RackStorageFigures {
                racks,
                kwh_per_rack: kwh,
                kw_per_rack: kw,
                capex_usd: racks as f64 * (kwh * t.storage_cost_usd_per_kwh + kw * t.storage_cost_usd_per_kw),
                steps_over_limit: steps_over_limit as u64,
                after,
            })
        }
        _ => None,
    };
    let site_bess = limit_kw_per_s.map(|limit| {
        let store = size_storage(&meter_kw, step_s, limit);
        let (grid, _) = smooth_to_ramp(&meter_kw, step_s, limit, store);
        let after = look(&grid);
        extra.push(("site_bess_grid_mw", "Power at the meter with the sized site battery", grid));
        BessFigures {
            energy_kwh: store.energy_kwh,
            power_kw: store.power_kw,
            capex_usd: store.energy_kwh * t.storage_cost_usd_per_kwh
                + store.power_kw * t.storage_cost_usd_per_kw,
            after,
        }
    });
    for (name, description, kw) in extra {
        table = table.with(name, description, mw(&kw));
    }
    let summary = PowerDynamicsSummary {
        measured_at: if stages.is_empty() { "IT input" } else { "utility meter" }.to_string(),
        step_ms: step_s * 1_000.0,
        window_s: steps as f64 * step_s,
        band_low_hz: lo,
        band_high_hz: hi,
        nyquist_hz: 0.5 / step_s,
        mean_mw: before.mean_mw,
        swing_mw: before.swing_mw,
        max_ramp_mw_per_s: before.max_ramp_mw_per_s,
        p99_ramp_mw_per_s: before.p99_ramp_mw_per_s,
        band_energy_share: before.band_energy_share,
        grid_ramp_limit_mw_per_s: t.grid_ramp_limit_mw_per_s,
        power_floor,
        rack_storage,
        site_bess,
    };
    (summary, table)
}
