//! Hand-computed replays: energy, waits, rejections, wake-ups, conservation.

use super::*;
use crate::tables::ColumnValues;
use plenum_models::generators::{VmWorkload, round_robin_jobs, vm_workload};
use plenum_models::placement::Policy;
use plenum_models::workload::{TaskSpec, TraceBuilder};
use plenum_scenario::workload::HostSource;
use plenum_scenario::workload::WorkloadSource;

fn workload(placement: Policy) -> Workload {
    Workload {
        source: WorkloadSource::Bitbrains { path: String::new() },
        hosts: HostSource::Servers {
            power_model: plenum_scenario::workload::PowerModel::Linear,
            core_mhz: 1000.0,
            power_exponent: None,
        },
        placement,
        cpu_overcommit: 1.0,
        queue: Queue::Fifo,
        power_down_idle: false,
        wake_up_delay_ms: 0,
        sample_interval_ms: 1000,
        host_series: false,
        until_ms: None,
        flexibility: None,
    }
}

fn hosts(count: u64, cores: u32) -> Vec<HostGroup> {
    vec![HostGroup {
        name: "h".into(),
        count,
        cores,
        core_mhz: 1000.0,
        memory_mib: 1024,
        power: PowerCurve::Linear { idle_w: 100.0, peak_w: 200.0 },
    }]
}

fn task(id: u64, submit_ms: u64, duration_ms: u64, cpu_count: u32) -> TaskSpec {
    TaskSpec {
        id,
        submit_ms,
        duration_ms,
        cpu_count,
        cpu_capacity_mhz: f64::from(cpu_count) * 1000.0,
        memory_mib: 0,
    }
}

fn run(w: &Workload, g: &[HostGroup], t: &Trace) -> WorkloadOutcome {
    let mut sink = TableSink::new(w.host_series);
    let mut o = replay_with(w, g, t, 1, &mut sink).unwrap();
    o.tables.extend(sink.into_tables());
    o
}

/// The trace's demand in millicycles, computed independently of the engine.
fn trace_demand(t: &Trace) -> u128 {
    (0..t.tasks.len())
        .map(|i| {
            let (a, b) = (t.tasks.fragment_start[i] as usize, t.tasks.fragment_start[i + 1] as usize);
            if a == b {
                (t.tasks.cpu_capacity_mhz[i] * 1000.0) as u128 * u128::from(t.tasks.duration_ms[i]) * 1000
            } else {
                (a..b)
                    .map(|f| {
                        (t.fragments.cpu_usage_mhz[f] * 1000.0) as u128
                            * u128::from(t.fragments.duration_ms[f])
                            * 1000
                    })
                    .sum()
            }
        })
        .sum()
}

#[test]
fn energy_integrates_piecewise_constant_power() {
    // One 2-core host (2000 MHz), linear 100..200 W. One task: 1 s at 1000 MHz
    // (u = 0.5, 150 W), then 1 s at 2000 MHz (u = 1, 200 W): 350 J.
    let mut b = TraceBuilder::new("t");
    b.task(task(0, 0, 0, 2));
    b.fragment(1000, 1000.0);
    b.fragment(1000, 2000.0);
    let o = run(&workload(Policy::FirstFit), &hosts(1, 2), &b.finish());
    assert!((o.host_energy_kwh[0] - 350.0 / 3.6e6).abs() < 1e-15);
    assert_eq!(o.summary.workload.makespan_s, 2.0);
    // Served: 1000 + 2000 MHz·s = 3e9 cycles = 3e12 millicycles.
    assert_eq!(o.ledger.served, 3_000_000_000_000);
    // Cluster series: 150 W then 200 W.
    let c = &o.tables[1];
    assert_eq!(c.column("it_power_kw").unwrap().values, ColumnValues::F64(vec![0.15, 0.2]));
}

#[test]
fn fifo_waits_and_reject_rejects() {
    // One single-core host; three 1-core tasks of 1 s at t = 0.
    let mut b = TraceBuilder::new("t");
    for i in 0..3 {
        b.task(task(i, 0, 1000, 1));
    }
    let t = b.finish();
    let o = run(&workload(Policy::FirstFit), &hosts(1, 1), &t);
    // Waits 0, 1, 2 s: mean 1 s; makespan 3 s; never more than one host active.
    assert_eq!(o.summary.workload.mean_wait_s, 1.0);
    assert_eq!(o.summary.workload.makespan_s, 3.0);
    assert_eq!(o.summary.workload.peak_active_hosts, 1);
    let mut w = workload(Policy::FirstFit);
    w.queue = Queue::Reject;
    let o = run(&w, &hosts(1, 1), &t);
    assert_eq!((o.summary.workload.placed, o.summary.workload.rejected), (1, 2));
    assert_eq!(o.ledger.rejected, 2 * 1_000_000 * 1000 * 1000);
    assert_eq!(o.ledger.demand, trace_demand(&t));
}

#[test]
fn fifo_is_strict_head_of_line() {
    // One 2-core host. t=0: A (2 cores, 1 s). t=0: B (2 cores, 1 s). t=0: C (1 core, 1 s).
    // C fits nothing while B waits at the head: B starts at 1 s, C at 2 s.
    let mut b = TraceBuilder::new("t");
    b.task(task(0, 0, 1000, 2));
    b.task(task(1, 0, 1000, 2));
    b.task(task(2, 0, 1000, 1));
    let o = run(&workload(Policy::FirstFit), &hosts(1, 2), &b.finish());
    assert_eq!(o.summary.workload.max_wait_s, 2.0);
    assert_eq!(o.summary.workload.makespan_s, 3.0);
}

#[test]
fn tasks_that_can_never_fit_are_rejected() {
    let mut b = TraceBuilder::new("t");
    b.task(task(0, 0, 1000, 4));
    b.task(task(1, 0, 1000, 1));
    let t = b.finish();
    let o = run(&workload(Policy::BestFit), &hosts(2, 2), &t);
    assert_eq!((o.summary.workload.rejected, o.summary.workload.completed), (1, 1));
    assert_eq!(o.ledger.demand, trace_demand(&t));
}

#[test]
fn power_down_and_wake_up_delay() {
    // Two hosts, off while empty; one task of 1 s at t = 1 s; wake-up 0.5 s.
    // Host 0: off until 1 s, waking (idle, 100 W) 0.5 s, running at u = 1
    // (200 W) 1 s, then off: 50 + 200 = 250 J. Host 1 stays off: 0 J.
    let mut b = TraceBuilder::new("t");
    b.task(task(0, 1000, 1000, 1));
    let mut w = workload(Policy::PowerAware);
    w.power_down_idle = true;
    w.wake_up_delay_ms = 500;
    let o = run(&w, &hosts(2, 1), &b.finish());
    assert!((o.host_energy_kwh[0] * 3.6e6 - 250.0).abs() < 1e-9, "{}", o.host_energy_kwh[0] * 3.6e6);
    assert_eq!(o.host_energy_kwh[1], 0.0);
    assert_eq!(o.summary.workload.mean_wait_s, 0.5);
    assert_eq!(o.summary.workload.makespan_s, 2.5);
}

#[test]
fn overcommit_throttles_and_conserves_work() {
    // One 1-core host with overcommit 2: two 1-vCPU tasks each asking 1000 MHz
    // for 1 s share 1000 MHz: 1e9 cycles served, 1e9 throttled.
    let mut b = TraceBuilder::new("t");
    b.task(task(0, 0, 1000, 1));
    b.task(task(1, 0, 1000, 1));
    let t = b.finish();
    let mut w = workload(Policy::FirstFit);
    w.cpu_overcommit = 2.0;
    let o = run(&w, &hosts(1, 1), &t);
    assert_eq!(o.ledger.served, 1_000_000_000_000);
    assert_eq!(o.ledger.throttled, 1_000_000_000_000);
    assert_eq!(o.ledger.demand, trace_demand(&t));
    assert_eq!(o.summary.workload.makespan_s, 1.0);
}

#[test]
fn conservation_with_until_queue_and_rejections() {
    // A mixed trace on a small fleet, stopped halfway: every millicycle of the
    // trace is served, throttled, rejected or unfinished, exactly.
    let p = VmWorkload {
        vms: 3_000,
        arrival_window_s: 20_000.0,
        median_lifetime_s: 600.0,
        lifetime_sigma: 1.2,
        cpu_counts: vec![1, 2, 4, 8, 64],
        core_mhz: 2_000.0,
        memory_mib_per_cpu: 2_048,
        utilization_range: (0.1, 0.9),
        diurnal_amplitude: 0.0,
        peak_hour: 14.0,
        diurnal_step_s: 3_600,
    };
    let t = vm_workload(&p, 11);
    let g = vec![HostGroup {
        name: "h".into(),
        count: 20,
        cores: 16,
        core_mhz: 2_000.0,
        memory_mib: 65_536,
        power: PowerCurve::Sqrt { idle_w: 50.0, peak_w: 250.0 },
    }];
    for policy in Policy::NAMES.iter().filter_map(|n| Policy::by_name(n)) {
        for queue in [Queue::Fifo, Queue::Reject] {
            let mut w = workload(policy);
            w.queue = queue;
            w.cpu_overcommit = 1.5;
            w.until_ms = Some(10_000_000);
            let o = run(&w, &g, &t);
            let l = o.ledger;
            assert_eq!(l.demand, trace_demand(&t), "{policy:?} {queue:?}");
            assert_eq!(l.served + l.throttled + l.rejected + l.unfinished, l.demand);
            assert!(o.summary.workload.rejected > 0, "64-vCPU VMs never fit");
            assert!(l.unfinished > 0 && l.served > 0);
        }
    }
}

#[test]
fn round_robin_jobs_makespan_matches_the_hand_count() {
    // Workload (a): 99 single-core hosts, job i of (1 + i mod 5) s on host i mod 99.
    // Host 0 gets 102 jobs: 20 full cycles (300 s) + jobs 9900 (1 s) and 9999 (5 s) = 306 s.
    let t = round_robin_jobs(10_000, 5, 1.0, 1000.0);
    let o = run(&workload(Policy::RoundRobin), &hosts(99, 1), &t);
    assert_eq!(o.summary.workload.makespan_s, 306.0);
    assert_eq!(o.summary.workload.completed, 10_000);
    assert_eq!(o.ledger.served, trace_demand(&t));
}

#[test]
fn diurnal_scale_conserves_integral_work() {
    let p = VmWorkload {
        vms: 500,
        arrival_window_s: 86_400.0,
        median_lifetime_s: 7_200.0,
        lifetime_sigma: 0.5,
        cpu_counts: vec![1, 2],
        core_mhz: 2_000.0,
        memory_mib_per_cpu: 0,
        utilization_range: (0.2, 0.8),
        diurnal_amplitude: 0.5,
        peak_hour: 14.0,
        diurnal_step_s: 3_600,
    };
    let t = vm_workload(&p, 5);
    let o = run(&workload(Policy::WorstFit), &hosts(50, 8), &t);
    let l = o.ledger;
    assert_eq!(l.served + l.throttled + l.rejected + l.unfinished, l.demand);
    // Demand moved with the diurnal cycle: not the trace's flat demand.
    assert_ne!(l.demand, trace_demand(&t));
}

#[test]
fn same_seed_same_output_on_one_and_many_threads() {
    let p = VmWorkload {
        vms: 2_000,
        arrival_window_s: 40_000.0,
        median_lifetime_s: 1_000.0,
        lifetime_sigma: 1.0,
        cpu_counts: vec![1, 2, 4],
        core_mhz: 2_000.0,
        memory_mib_per_cpu: 1_024,
        utilization_range: (0.1, 0.9),
        diurnal_amplitude: 0.3,
        peak_hour: 14.0,
        diurnal_step_s: 3_600,
    };
    let one_run = || {
        let t = vm_workload(&p, 3);
        let mut w = workload(Policy::Random);
        w.host_series = true;
        let o = run(&w, &hosts(30, 8), &t);
        (o.summary, o.ledger, o.tables)
    };
    let reference = one_run();
    for threads in [1, 4] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let runs: Vec<_> = pool.install(|| {
            use rayon::prelude::*;
            (0..4).into_par_iter().map(|_| one_run()).collect()
        });
        for r in runs {
            assert_eq!(r.0, reference.0);
            assert_eq!(r.1, reference.1);
            assert_eq!(r.2, reference.2);
        }
    }
}

#[test]
fn fan_weber_barroso_power_from_the_table_equals_the_formula() {
    // One 2-core host (2000 MHz) with the Fan et al. curve (its power goes
    // through the engine's table): demands 1000, 1000, 2000, 1000, 500 MHz of
    // 1 s each. Equal neighbours merge into one run; repeated demands hit the
    // table. Energy: Σ P(u)·1 s, with P from the model itself.
    let model = PowerCurve::FanWeberBarroso { idle_w: 100.0, peak_w: 200.0, r: 1.4 };
    let g = vec![HostGroup { power: model, ..hosts(1, 2)[0].clone() }];
    let demands = [1000.0, 1000.0, 2000.0, 1000.0, 500.0];
    let mut b = TraceBuilder::new("t");
    b.task(task(0, 0, 0, 2));
    for &d in &demands {
        b.fragment(1000, d);
    }
    let t = b.finish();
    let o = run(&workload(Policy::FirstFit), &g, &t);
    let expected_j: f64 = demands.iter().map(|d| model.power_w(d / 2000.0)).sum();
    assert!((o.host_energy_kwh[0] * 3.6e6 - expected_j).abs() < 1e-9, "{}", o.host_energy_kwh[0] * 3.6e6);
    assert_eq!(o.ledger.served, trace_demand(&t));
    assert_eq!(o.summary.workload.makespan_s, 5.0);
}
