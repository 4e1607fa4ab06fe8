#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmarks of the cost engine: one full evaluation of the default scenario,
//! and a sensitivity run of about 1,000 variants.
//!
//! `cargo bench -p plenum-engine --bench cost`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_scenario::Scenario;
use std::hint::black_box;

/// The default scenario with extra SKUs so that sensitivity moves about 1,000
/// variants (two per numeric input).
fn scenario_with_skus(extra_skus: usize) -> Scenario {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[1];
    assert!(text.contains("ashburn-8mw-static"));
    let mut text = text.to_string();
    for i in 0..extra_skus {
        text.push_str(&format!(
            "\n[[servers]]\nname = \"sku-{i}\"\ncount = {}\nprice_usd = {}\nidle_power_w = 90\npeak_power_w = 250\ncores = 16\nmemory_gib = 64\nwork_rate = {}\n",
            100 + i,
            2000 + 10 * i,
            1.0 + i as f64 / 10.0
        ));
    }
    Scenario::from_toml_str(&text, "bench").expect("bench scenario is valid")
}

fn bench(c: &mut Criterion) {
    let inputs = plenum_engine::Inputs::default();
    let static_site = plenum_scenario::embedded::load("ashburn-static").unwrap();
    c.bench_function("cost/run_static", |b| b.iter(|| plenum_engine::run(black_box(&static_site), &inputs)));

    let big = scenario_with_skus(68);
    let variants = 2 * plenum_engine::sensitivity::numeric_inputs(&big).len();
    eprintln!("sensitivity benchmark: {variants} variants");
    let mut group = c.benchmark_group("cost");
    group.sample_size(10);
    group.bench_function(format!("sensitivity_{variants}_variants"), |b| {
        b.iter(|| plenum_engine::sensitivity(black_box(&big), &inputs, 0.2))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
