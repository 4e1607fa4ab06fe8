//! Times a scenario's workload replay for the benchmarks under `bench/`:
//! loading (reading or generating the trace) and the replay itself, measured
//! separately, best of `--repeat N` replays. Prints one JSON object, with a
//! `digest` of everything the replay produced (summary, work ledger, per-host
//! energy and the series tables, every float to the bit): two builds that
//! print the same digest gave the same results, which is how a speed-up is
//! checked not to change them.
//!
//! `cargo run --release -p plenum-cli --example replay_timing -- SCENARIO [--repeat N] [--set PATH=VALUE]...`

use anyhow::{Context, Result, bail};
use plenum_scenario::Scenario;
use std::time::Instant;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut repeat = 1usize;
    let mut sets = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().context("--repeat N")?.parse()?,
            "--set" => sets.push(args.next().context("--set PATH=VALUE")?),
            _ => path = Some(a),
        }
    }
    let Some(path) = path else { bail!("usage: replay_timing SCENARIO [--repeat N] [--set PATH=VALUE]...") };
    let scenario = Scenario::from_path_with(&path, &sets).map_err(|e| anyhow::anyhow!("{e}"))?;
    let w = scenario.workload.as_ref().context("the scenario has no [workload]")?;
    let t0 = Instant::now();
    let input = plenum_io::trace::load_workload(w, scenario.seed)?;
    let load_s = t0.elapsed().as_secs_f64();
    let mut best = f64::INFINITY;
    let mut outcome = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let o = plenum_engine::workload::replay(&scenario, &input.trace, input.hosts.as_deref())?;
        best = best.min(t.elapsed().as_secs_f64());
        outcome = Some(o);
    }
    let o = outcome.expect("at least one replay");
    let digest = fnv1a(format!("{:?}", (&o.summary, &o.ledger, &o.host_energy_kwh, &o.tables)).as_bytes());
    let fragments = input.trace.fragments.len();
    println!(
        "{}",
        serde_json::json!({
            "scenario": path,
            "load_s": load_s,
            "replay_s": best,
            "tasks": input.trace.tasks.len(),
            "fragments": fragments,
            "fragments_per_s": fragments as f64 / best,
            "events": o.summary.workload.events,
            "makespan_s": o.summary.workload.makespan_s,
            "it_mwh": o.summary.energy.it_mwh,
            "peak_active_hosts": o.summary.workload.peak_active_hosts,
            "mean_wait_s": o.summary.workload.mean_wait_s,
            "hosts": o.summary.workload.hosts,
            "digest": format!("{digest:016x}"),
        })
    );
    Ok(())
}

/// 64-bit FNV-1a hash (Fowler, Noll, Vo; the IETF draft "The FNV
/// Non-Cryptographic Hash Algorithm"): offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3. `Debug` prints floats so that they read back exactly, so
/// equal digests mean bit-equal results (barring a collision).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
