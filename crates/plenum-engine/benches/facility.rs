#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Benchmark of the facility year: 100,000 servers in racks of 40 and PDUs of
//! 20 racks, 8,760 hourly steps with per-server and per-rack utilization
//! spread, the modern power chain and cooling plant; and a 100 MW
//! liquid-cooled hall of 10 kW servers (`year_100mw_liquid_hall`).
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
    // A 100 MW liquid-cooled hall: 10,000 servers of 10 kW (8-GPU class,
    // NVIDIA DGX H100's 10.2 kW peak), 8 to a rack (80 kW racks), 85% of
    // their heat on cold plates at W40 with adiabatic dry coolers and trim
    // chillers, the rest on the modern air plant; spreads as the default's.
    let hall = Scenario::embedded_default()
        .with_values(&[
            ("servers[0].count", Value::Integer(10_000)),
            ("servers[0].idle_power_w", Value::Float(2_000.0)),
            ("servers[0].peak_power_w", Value::Float(10_000.0)),
            ("facility.critical_power_kw", Value::Float(100_000.0)),
            ("power_chain.servers_per_rack", Value::Integer(8)),
            ("utilization.mean_cpu_fraction", Value::Float(0.7)),
            ("cooling.liquid", {
                let mut t = toml::Table::new();
                t.insert("captured_share".into(), Value::Float(0.85));
                t.insert("class".into(), Value::String("W40".into()));
                t.insert("heat_rejection".into(), Value::String("adiabatic".into()));
                Value::Table(t)
            }),
        ])
        .unwrap();
    group.bench_function("year_100mw_liquid_hall", |b| {
        b.iter(|| plenum_engine::run(black_box(&hall), &inputs).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
