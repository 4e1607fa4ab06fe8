//! Load on a `plenum serve` at 127.0.0.1 (bounded: fixed request counts, a
//! time limit on each wait, nothing but loopback): 200 validations of the
//! default scenario sent at once (latency per request: p50, p99, max), then
//! 50 runs submitted at once, every one waited for (none lost) while the
//! queue never computes more than `--workers` at a time. Prints a Markdown
//! table for bench/RESULTS.md.
//!
//! `cargo bench -p plenum-serve --bench load`

#[path = "../tests/common/mod.rs"]
mod common;

use common::{TestServer, shipped};
use serde_json::json;
use std::time::{Duration, Instant};

const VALIDATIONS: usize = 200;
const SUBMISSIONS: usize = 50;
const WORKERS: usize = 2;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (a filter) is ignored.
    let server = std::sync::Arc::new(TestServer::start(|c, _| c.workers = WORKERS));
    let body = json!({"scenario": shipped("default")});
    // Warm up (first-use allocations, the schema's lazy build).
    assert_eq!(server.post("/api/validate", &body).status, 200);

    let barrier = std::sync::Arc::new(std::sync::Barrier::new(VALIDATIONS));
    let started = Instant::now();
    let handles: Vec<_> = (0..VALIDATIONS)
        .map(|_| {
            let (server, body, barrier) = (server.clone(), body.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let t = Instant::now();
                let r = server.post("/api/validate", &body);
                (r.status, t.elapsed().as_secs_f64() * 1e3)
            })
        })
        .collect();
    let mut latencies_ms = Vec::new();
    for h in handles {
        let (status, ms) = h.join().unwrap();
        assert_eq!(status, 200);
        latencies_ms.push(ms);
    }
    let wall_s = started.elapsed().as_secs_f64();
    latencies_ms.sort_by(f64::total_cmp);

    let text = shipped("ashburn-static");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(SUBMISSIONS));
    let started = Instant::now();
    let handles: Vec<_> = (0..SUBMISSIONS)
        .map(|_| {
            let (server, barrier) = (server.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let r = server.post("/api/runs", &json!({"scenario": text}));
                assert_eq!(r.status, 202, "{}", r.text());
                r.json()["id"].as_i64().unwrap()
            })
        })
        .collect();
    let ids: Vec<i64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let accepted_s = started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut done = 0;
    for id in &ids {
        loop {
            let status =
                server.get(&format!("/api/runs/{id}")).json()["status"].as_str().unwrap().to_string();
            if status == "done" {
                done += 1;
                break;
            }
            assert!(matches!(status.as_str(), "queued" | "running"), "run {id}: {status}");
            assert!(Instant::now() < deadline, "runs did not finish within 600 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let all_done_s = started.elapsed().as_secs_f64();
    let queue = server.get("/api/status").json()["queue"].clone();
    let history = server.get("/api/runs").json()["runs"].as_array().unwrap().len();
    assert_eq!(done, SUBMISSIONS);
    assert_eq!(history, SUBMISSIONS);
    assert!(queue["peak_running"].as_u64().unwrap() <= WORKERS as u64, "{queue}");

    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| {VALIDATIONS} concurrent validations of `default`: p50 | {:.1} ms |",
        percentile(&latencies_ms, 0.50)
    );
    println!("| p99 | {:.1} ms |", percentile(&latencies_ms, 0.99));
    println!("| max | {:.1} ms |", latencies_ms.last().unwrap());
    println!("| all {VALIDATIONS} answered in | {:.2} s |", wall_s);
    println!(
        "| {SUBMISSIONS} run submissions of `ashburn-static` at once: all accepted in | {:.2} s |",
        accepted_s
    );
    println!("| all {SUBMISSIONS} done in | {:.2} s |", all_done_s);
    println!("| runs done / in the history | {done} / {history} |");
    println!("| most computing at once (`--workers {WORKERS}`) | {} |", queue["peak_running"]);
}
