#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of the training waveform study: one hour at 100 ms (36,000
//! steps) for a 100 MW cluster (78,432 H100-class GPUs at 1,275 W each with
//! their host), through the Ashburn site's modern power chain, with its
//! dynamics (swing, ramps, the FFT's band share) and all three mitigations
//! (power floor, rack storage, the site battery sized and replayed); goal
//! under one second on 2 cores.
//!
//! `cargo bench -p plenum-engine --bench training`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_engine::training::{TrainingPrices, job_power, power_study, run_spec};
use plenum_scenario::Scenario;
use std::hint::black_box;
use std::time::Instant;

fn bench(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/llama3-scale-training.toml");
    let overrides: Vec<String> =
        ["training.accelerators=78432", "training.window_s=3600", "training.window_interruption_at_s=1800"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let scenario = Scenario::from_path_with(path, &overrides).expect("bench scenario is valid");
    let t = scenario.training.as_ref().expect("has [training]");
    let chain = scenario.physics.as_ref().map(|p| &p.power_chain);
    let (spec, _) = run_spec(t);
    let job = job_power(t, spec.checkpoint_interval_h);
    let peak_it_kw = job.it_kw(t.accelerator_tdp_w);
    let prices = TrainingPrices { total_monthly_usd: 1e8, price_usd_per_kwh: 0.07 };
    let start = Instant::now();
    let (summary, table) = power_study(t, &job, chain, peak_it_kw, prices);
    eprintln!(
        "training: {} steps of {} ms, peak IT {:.1} MW, mean at the meter {:.1} MW, swing {:.1} MW, \
         max ramp {:.0} MW/s, band share {:.3}, battery {:.0} kWh / {:.0} kW, in {:.3} s",
        table.rows(),
        summary.step_ms,
        peak_it_kw / 1_000.0,
        summary.mean_mw,
        summary.swing_mw,
        summary.max_ramp_mw_per_s,
        summary.band_energy_share,
        summary.site_bess.as_ref().map_or(0.0, |b| b.energy_kwh),
        summary.site_bess.as_ref().map_or(0.0, |b| b.power_kw),
        start.elapsed().as_secs_f64()
    );
    let mut group = c.benchmark_group("training");
    group.sample_size(10);
    group.bench_function("hour_100ms_100mw_with_mitigations", |b| {
        b.iter(|| black_box(power_study(t, &job, chain, peak_it_kw, prices)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
