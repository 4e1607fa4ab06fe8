#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of carbon-aware temporal shifting at one site: a year of 100,000
//! seeded jobs (arrivals uniform over the year, 15 min to 8 h, 1 to 4 hosts,
//! half of them interruptible with a 24 h deadline, the rest movable up to
//! 12 h later) on a 15-minute series (the built-in German profile), 400 hosts.
//! Both schedules (at arrival and shifted) and their comparison.
//!
//! `cargo bench -p plenum-engine --bench carbon_aware`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_engine::carbon_aware::evaluate;
use plenum_kernel::rng::unit_f64;
use plenum_kernel::stream;
use plenum_models::carbon_aware::{Flexibility, Forecast, IntensityGrid, Job, Window};
use std::hint::black_box;

const QUARTER_HOUR_MS: i64 = 900_000;

fn setup() -> (Vec<Job>, IntensityGrid) {
    let hourly = plenum_models::carbon::hourly_from_profile(plenum_models::carbon::grid("de").unwrap());
    let g_per_kwh: Vec<f64> = hourly.iter().flat_map(|v| [*v; 4]).collect();
    let grid = IntensityGrid { start_ms: 0, step_ms: QUARTER_HOUR_MS, g_per_kwh };
    let mut rng = stream(1, "bench_jobs", 0);
    let year_ms = 8_760 * 3_600_000i64;
    let mut jobs: Vec<Job> = (0..100_000)
        .map(|i| {
            let arrival_ms = (unit_f64(&mut rng) * (year_ms - 40 * 3_600_000) as f64) as i64;
            let duration_ms = QUARTER_HOUR_MS + (unit_f64(&mut rng) * 7.75 * 3_600_000.0) as i64;
            let interruptible = i % 2 == 0;
            Job {
                arrival_ms,
                duration_ms,
                hosts: 1 + (unit_f64(&mut rng) * 4.0) as u32,
                power_kw: 0.3,
                flexibility: Some(Flexibility {
                    window: if interruptible {
                        Window::Deadline { finish_by_ms: arrival_ms + 24 * 3_600_000 }
                    } else {
                        Window::AroundStart { before_ms: 0, after_ms: 12 * 3_600_000 }
                    },
                    interruptible,
                }),
            }
        })
        .collect();
    jobs.sort_by_key(|j| j.arrival_ms);
    (jobs, grid)
}

fn bench(c: &mut Criterion) {
    let (jobs, grid) = setup();
    let (summary, _) = evaluate(&jobs, &grid, Forecast::Perfect, Some(400));
    eprintln!(
        "saving {:.2}%, mean delay {:.2} h, queued {}, displaced {}, unplaced {}",
        summary.saving_share * 100.0,
        summary.mean_delay_h,
        summary.queued_jobs,
        summary.displaced_jobs,
        summary.unplaced_jobs
    );
    let mut group = c.benchmark_group("carbon_aware");
    group.sample_size(10);
    group.bench_function("year_100k_jobs_1_site", |b| {
        b.iter(|| evaluate(black_box(&jobs), &grid, Forecast::Perfect, Some(400)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
