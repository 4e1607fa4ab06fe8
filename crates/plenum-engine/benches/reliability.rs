#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of the reliability Monte Carlo: 10,000 simulated years (10,000
//! one-year replications) of a Tier IV site with 5,000 servers in racks of
//! 40; goal 0.5 s wall on 2 cores (issue 20).
//!
//! The site is the test fixture `tests/fixtures/tier-site.toml` (illustrative
//! facility figures) with servers failing at Dean's 1,000 a year per 1,800
//! machines and repaired in 24 h, so servers dominate the event count.
//!
//! `cargo bench -p plenum-engine --bench reliability`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_engine::reliability::monte_carlo;
use plenum_models::reliability::build_site;
use plenum_scenario::Scenario;
use std::hint::black_box;
use std::time::Instant;

fn tier_iv_site() -> Scenario {
    let text = format!(
        "{}\n[reliability.components.server]\nmtbf_hours = 15744\nmttr_hours = 24\n",
        include_str!("../tests/fixtures/tier-site.toml")
    );
    let overrides: Vec<String> = [
        "reliability.tier=IV",
        "reliability.site.servers=5000",
        "reliability.replications=10000",
        "reliability.batch_replications=500",
        "reliability.logged_replications=0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    Scenario::load("bench", &text, &overrides).expect("bench scenario is valid")
}

fn bench(c: &mut Criterion) {
    let scenario = tier_iv_site();
    let study = scenario.reliability.as_ref().expect("has [reliability]");
    let diagram = build_site(&study.site).expect("site builds");
    let settings = study.settings;

    // One timed run to report events per second alongside criterion's figures.
    let start = Instant::now();
    let mc = monte_carlo(&diagram, scenario.seed, &settings);
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "reliability: {} replications x {} year, {} events in {:.3} s = {:.1} M events/s on {} threads; availability {:.6}",
        mc.replications,
        settings.years_per_replication,
        mc.events,
        seconds,
        mc.events as f64 / seconds / 1e6,
        rayon::current_num_threads(),
        mc.availability.mean
    );

    let mut group = c.benchmark_group("reliability");
    group.sample_size(10);
    group.bench_function("tier_iv_5000_servers_10000_years", |b| {
        b.iter(|| monte_carlo(black_box(&diagram), scenario.seed, &settings))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
