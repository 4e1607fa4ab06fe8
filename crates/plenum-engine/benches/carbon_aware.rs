#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of carbon-aware temporal shifting at one site: a year of 100,000
//! seeded jobs (arrivals uniform over the year, 15 min to 8 h, 1 to 4 hosts,
//! half of them interruptible with a 24 h deadline, the rest movable up to
//! 12 h later) on a 15-minute series (the built-in German profile), 400 hosts.
//! Both schedules (at arrival and shifted) and their comparison.
//!
//! And across three sites (the German, French and Polish built-in profiles,
//! 400 hosts each): the same 100,000 jobs, a third belonging to each site,
//! every site reaching the other two, shifted in time and space (`both`).
//!
//! `cargo bench -p plenum-engine --bench carbon_aware`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_engine::carbon_aware::{evaluate, evaluate_fleet};
use plenum_kernel::rng::unit_f64;
use plenum_kernel::stream;
use plenum_models::carbon_aware::{Fleet, Flexibility, Forecast, IntensityGrid, Job, Mode, Site, Window};
use std::hint::black_box;

const QUARTER_HOUR_MS: i64 = 900_000;

/// A built-in grid profile's year on 15-minute slots.
fn quarter_hours(grid: &str) -> IntensityGrid {
    let hourly = plenum_models::carbon::hourly_from_profile(plenum_models::carbon::grid(grid).unwrap());
    let g_per_kwh: Vec<f64> = hourly.iter().flat_map(|v| [*v; 4]).collect();
    IntensityGrid { start_ms: 0, step_ms: QUARTER_HOUR_MS, g_per_kwh }
}

fn setup() -> (Vec<Job>, IntensityGrid) {
    let grid = quarter_hours("de");
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
    let grids = [quarter_hours("de"), quarter_hours("fr"), quarter_hours("pl")];
    let fleet = Fleet {
        sites: grids.iter().map(|grid| Site { grid, capacity_hosts: Some(400) }).collect(),
        reach: vec![vec![0, 1, 2], vec![1, 0, 2], vec![2, 0, 1]],
    };
    let homes: Vec<usize> = (0..jobs.len()).map(|i| i % 3).collect();
    let names: Vec<String> = ["de", "fr", "pl"].map(String::from).to_vec();
    let three = || evaluate_fleet(&jobs, &homes, &fleet, &names, Mode::ShiftAndSpatial, Forecast::Perfect);
    let (summary, _) = three();
    eprintln!(
        "three sites: saving {:.2}%, moved {}, mean delay {:.2} h, queued {}, unplaced {}",
        summary.saving_share * 100.0,
        summary.moved_jobs,
        summary.mean_delay_h,
        summary.queued_jobs,
        summary.unplaced_jobs
    );
    group.bench_function("year_100k_jobs_3_sites_both", |b| b.iter(|| black_box(three())));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
