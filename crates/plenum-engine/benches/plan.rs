#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of capacity planning: a 15-year monthly horizon over the ten
//! built-in sites and 1,000 demand samples, site economics included (one
//! facility year per site).
//!
//! `cargo bench -p plenum-engine --bench plan`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_engine::plan::{PlanInputs, plan};
use plenum_scenario::Scenario;
use std::hint::black_box;

fn scenario() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/three-site-growth.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let head = &text[..text.find("[[plan.sites]]").unwrap()];
    let mut text = head.replace("horizon_months = 120", "horizon_months = 180");
    for site in plenum_models::climate::site_keys() {
        text.push_str(&format!("\n[[plan.sites]]\nname = \"{site}\"\nclimate = \"{site}\"\nmax_mw = 60\n"));
    }
    Scenario::from_toml_str(&text, "bench").unwrap()
}

fn bench(c: &mut Criterion) {
    let s = scenario();
    let inputs = PlanInputs::default();
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    group.bench_function("15y_10_sites_1000_samples", |b| b.iter(|| plan(black_box(&s), &inputs).unwrap()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
