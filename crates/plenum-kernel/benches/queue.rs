#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Raw event throughput of the kernel's queue: the "hold" model of queue
//! benchmarks (J. G. Vaucher, P. Duval, "A comparison of simulation event list
//! algorithms", CACM 18(4), 1975): with N events pending, each step pops the
//! earliest and schedules one at a random later time, so N stays constant.
//!
//! `cargo bench -p plenum-kernel --bench queue`; figures go in bench/RESULTS.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use plenum_kernel::{EventQueue, stream};
use rand_core::Rng;
use std::hint::black_box;

/// A queue holding `pending` events with times spread over 0..2^20 ticks.
fn filled(pending: usize) -> EventQueue<u64> {
    let mut rng = stream(7, "bench-fill", pending as u64);
    let mut q = EventQueue::with_capacity(pending + 1);
    for i in 0..pending {
        q.schedule(rng.next_u64() >> 44, i as u64);
    }
    q
}

fn hold(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernel/hold");
    for pending in [1_000usize, 100_000, 1_000_000] {
        let mut q = filled(pending);
        let mut rng = stream(7, "bench-hold", pending as u64);
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::from_parameter(pending), &pending, |b, _| {
            b.iter(|| {
                // One event: pop the earliest, schedule its successor.
                let (_, e) = q.pop().expect("queue stays full");
                let delay = rng.next_u64() >> 44; // uniform over 2^20 ticks
                q.schedule_in(delay, black_box(e));
            })
        });
    }
    group.finish();

    // Reference: the standard library's binary heap on the same workload.
    let mut group = c.benchmark_group("kernel/hold_std_binary_heap");
    for pending in [1_000usize, 100_000, 1_000_000] {
        let mut rng = stream(7, "bench-fill", pending as u64);
        let mut heap = std::collections::BinaryHeap::with_capacity(pending + 1);
        for i in 0..pending as u64 {
            heap.push(std::cmp::Reverse((rng.next_u64() >> 44, i, i)));
        }
        let mut seq = pending as u64;
        let mut rng = stream(7, "bench-hold", pending as u64);
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::from_parameter(pending), &pending, |b, _| {
            b.iter(|| {
                let std::cmp::Reverse((t, _, e)) = heap.pop().expect("heap stays full");
                let delay = rng.next_u64() >> 44;
                heap.push(std::cmp::Reverse((t + delay, seq, black_box(e))));
                seq += 1;
            })
        });
    }
    group.finish();
}

criterion_group!(benches, hold);
criterion_main!(benches);
