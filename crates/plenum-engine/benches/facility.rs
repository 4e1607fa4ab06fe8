#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of the facility year: 100,000 servers in racks of 40 and PDUs of
//! 20 racks, 8,760 hourly steps with per-server and per-rack utilization
//! spread, the modern power chain and cooling plant.
//!
//! `cargo bench -p plenum-engine --bench facility`; figures go in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use plenum_engine::Inputs;
use plenum_scenario::Scenario;
use std::hint::black_box;
use toml::Value;

fn bench(c: &mut Criterion) {
    let scenario = Scenario::embedded_default()
        .with_values(&[
            ("servers[0].count", Value::Integer(100_000)),
            ("facility.critical_power_kw", Value::Float(17_400.0)),
        ])
        .unwrap();
    let inputs = Inputs::default();
    let mut group = c.benchmark_group("facility");
    group.sample_size(10);
    group.bench_function("year_100k_servers_hourly", |b| {
        b.iter(|| plenum_engine::run(black_box(&scenario), &inputs).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
