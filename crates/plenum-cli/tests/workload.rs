//! The shipped workload scenarios end to end (reader, placement, replay):
//! OpenDC's SURF week against an energy computed independently of the
//! engine, with exact work conservation, and the peer workload (a).

mod common;

use plenum_engine::workload::replay;
use plenum_models::workload::Trace;
use plenum_scenario::Scenario;
use std::path::Path;

fn scenario(path: &str, sets: &[&str]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path);
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Scenario::from_path_with(&path, &sets).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// MHz to kHz as the engine rounds (half up).
fn khz(mhz: f64) -> u128 {
    (mhz * 1000.0 + 0.5) as u128
}

/// The trace's CPU work in millicycles (kHz · ms · 1000), fragment by fragment.
fn trace_demand(t: &Trace) -> u128 {
    let f = &t.fragments;
    (0..f.len()).map(|k| khz(f.cpu_usage_mhz[k]) * u128::from(f.duration_ms[k]) * 1000).sum()
}

#[test]
fn surf_week_energy_and_work_match_an_independent_count() {
    if common::data_dir().is_none() {
        return;
    }
    let s = scenario("scenarios/opendc-surf-week.toml", &[]);
    let input = plenum_io::trace::load_workload(s.workload.as_ref().unwrap(), s.seed).unwrap();
    let o = replay(&s, &input.trace, input.hosts.as_deref()).unwrap();
    let w = &o.summary.workload;
    assert_eq!((w.tasks, w.completed, w.rejected, w.unfinished), (6_295, 6_295, 0, 0));
    assert_eq!((w.hosts, w.peak_active_hosts, w.mean_wait_s), (277, 169, 0.0));
    assert_eq!(w.makespan_s, 604_800.0);
    // 2,323,475 fragments, equal neighbours merged: one event per run, plus
    // the arrivals and the 5-minute samples.
    assert_eq!(w.events, 1_175_216);

    // Every millicycle of the trace is served: no throttling (no overcommit,
    // one task per host), nothing rejected or left.
    let l = o.ledger;
    assert_eq!(l.demand, trace_demand(&input.trace));
    assert_eq!((l.served, l.throttled, l.rejected, l.unfinished), (l.demand, 0, 0, 0));

    // Energy without the engine: every task fills a host (100,000 MiB of
    // 100,000) and nothing waits, so each host idles at 32 W for the whole
    // week and a task adds (180 − 32)·√u W over each fragment, u = demand /
    // 33,600 MHz capped at 1 (sqrt model, Beloglazov and Buyya 2012).
    let f = &input.trace.fragments;
    let capacity_khz = 16.0 * 2_100.0 * 1000.0;
    let dynamic_wms: f64 = (0..f.len())
        .map(|k| {
            let u = (khz(f.cpu_usage_mhz[k]) as f64 / capacity_khz).min(1.0);
            148.0 * u.sqrt() * f.duration_ms[k] as f64
        })
        .sum();
    let expected_mwh = (277.0 * 32.0 * 604_800_000.0 + dynamic_wms) / 3.6e12;
    let got = o.summary.energy.it_mwh;
    assert!((got - expected_mwh).abs() < 1e-9 * expected_mwh, "{got} vs {expected_mwh}");
    // The figure in bench/RESULTS.md and the peers' (SimGrid, SimPy), from crates/plenum-references.
    plenum_references::case("surf-week").check(&[
        ("IT energy of the week", got),
        ("makespan", w.makespan_s),
        ("tasks completed", w.completed as f64),
    ]);
}

#[test]
fn peer_workload_a_makespan_at_100k_jobs() {
    // 99 single-core hosts, job i of (1 + i mod 5) s on host i mod 99. The
    // busiest host is host 4: jobs 4 + 99k for k = 0..=1010, of 5, 4, 3, 2, 1 s
    // as k mod 5 = 0..4 (4 + 4k mod 5), so 202 cycles of 15 s (3,030 s) and
    // then k = 1010 (5 s): 3,035 s, as SimGrid and SimPy find.
    let s = scenario("bench/peers/round_robin_jobs.toml", &["workload.jobs.count=100000"]);
    let input = plenum_io::trace::load_workload(s.workload.as_ref().unwrap(), s.seed).unwrap();
    let o = replay(&s, &input.trace, None).unwrap();
    plenum_references::case("peer-workload-a").check(&[("makespan", o.summary.workload.makespan_s)]);
    assert_eq!(o.summary.workload.completed, 100_000);
    assert_eq!(o.ledger.served, o.ledger.demand);
}

/// With `--out`, the per-host series streams into the run folder as the
/// replay produces it (bounded memory); the file holds exactly the rows the
/// in-memory sink keeps, over several chunks (72,000 rows: 100 hosts × 720
/// hourly samples), and the CSV beside it has them too.
#[test]
fn streamed_host_series_equals_the_in_memory_table() {
    let sets = [
        "servers[0].count=100",
        "workload.generate.vms=2000",
        "workload.host_series=true",
        "facility.critical_power_kw=100",
    ];
    let s = scenario("bench/peers/fleet_scale.toml", &sets);
    let input = plenum_io::trace::load_workload(s.workload.as_ref().unwrap(), s.seed).unwrap();
    let o = replay(&s, &input.trace, None).unwrap();
    let expected = o.tables.iter().find(|t| t.name == "workload_host_series").unwrap();
    assert_eq!(expected.rows(), 72_000);

    let dir = tempfile::tempdir().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/peers/fleet_scale.toml");
    let mut args = vec!["run".to_string(), path.display().to_string()];
    for set in sets {
        args.extend(["--set".to_string(), set.to_string()]);
    }
    args.extend(["--out", "out", "--csv", "--quiet", "--format", "json"].map(String::from));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plenum"))
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written =
        plenum_io::read_tables::read_parquet(&dir.path().join("out/workload_host_series.parquet")).unwrap();
    assert_eq!(&written.columns, &expected.columns);
    let csv = std::fs::read_to_string(dir.path().join("out/workload_host_series.csv")).unwrap();
    assert_eq!(csv.lines().count(), 72_001);
    assert_eq!(csv.lines().next(), Some("time_s,host,power_w,utilization"));
}
