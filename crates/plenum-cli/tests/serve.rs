//! `plenum serve` as a process: it prints the address to open, and killed
//! with SIGKILL during a run and during a sweep it restarts with a
//! consistent history: finished runs intact and served, the run or sweep
//! under way marked interrupted with nothing of it on disk.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ASHBURN_STATIC: &str = include_str!("../../../crates/plenum-scenario/scenarios/ashburn-static.toml");
const DEFAULT: &str = include_str!("../../../crates/plenum-scenario/scenarios/default.toml");

/// The default scenario with every server simulated every hour (the `exact`
/// spread method): a run that is surely still computing a few hundred
/// milliseconds after it starts, in a debug build on a fast machine too.
fn slow_default() -> String {
    let slow =
        DEFAULT.replace("server_spread = 0.1", "server_spread = 0.1\nserver_spread_method = \"exact\"");
    assert_ne!(slow, DEFAULT);
    slow
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["serve", "--port", "0", "--workers", "1", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    assert!(line.contains("open http://127.0.0.1:"), "{line}");
    Server { child, addr: address.trim_end_matches('/').parse().unwrap() }
}

fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "JSON answers have a length");
    (status, bytes[end + 4..].to_vec())
}

fn json_of(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let (status, bytes) = call(addr, method, path, body);
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn submit(addr: SocketAddr, path: &str, body: Value) -> i64 {
    let (status, answer) = json_of(addr, "POST", path, Some(&body));
    assert_eq!(status, 202, "{answer}");
    answer["id"].as_i64().unwrap()
}

fn wait_for(addr: SocketAddr, id: i64, wanted: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let (_, run) = json_of(addr, "GET", &format!("/api/runs/{id}"), None);
        if run["status"] == wanted {
            return run;
        }
        assert!(matches!(run["status"].as_str(), Some("queued" | "running")), "run {id}: {run}");
        assert!(Instant::now() < deadline, "run {id} never became {wanted}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn runs_folder_entries(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db.with_file_name("plenum-runs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn killed_during_a_run_and_a_sweep_the_server_restarts_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plenum.db");

    // A finished run, then a long one killed while it computes.
    let server = serve(&db);
    let finished = submit(server.addr, "/api/runs", json!({"scenario": ASHBURN_STATIC}));
    let summary = wait_for(server.addr, finished, "done")["summary"].clone();
    let long = submit(server.addr, "/api/runs", json!({"scenario": slow_default()}));
    let queued = submit(server.addr, "/api/runs", json!({"scenario": ASHBURN_STATIC}));
    wait_for(server.addr, long, "running");
    std::thread::sleep(Duration::from_millis(300));
    drop(server); // SIGKILL

    let server = serve(&db);
    let (_, run) = json_of(server.addr, "GET", &format!("/api/runs/{finished}"), None);
    assert_eq!(run["status"], "done");
    assert_eq!(run["summary"], summary, "a finished run is intact");
    assert_eq!(call(server.addr, "GET", &format!("/api/runs/{finished}/report"), None).0, 200);
    for id in [long, queued] {
        let (_, run) = json_of(server.addr, "GET", &format!("/api/runs/{id}"), None);
        assert_eq!(run["status"], "interrupted", "{run}");
        assert_eq!(run["summary"], Value::Null);
        assert_eq!(call(server.addr, "GET", &format!("/api/runs/{id}/report"), None).0, 409);
    }
    assert_eq!(runs_folder_entries(&db), vec![format!("run-{finished}")], "nothing half-written is left");

    // A sweep killed while it computes.
    let sweep = submit(
        server.addr,
        "/api/sweeps",
        // Variants that move the servers share nothing: each simulates its own year.
        json!({"scenario": slow_default(), "vary": ["site.climate=ashburn,phoenix,dublin", "servers[0].count=45000,45978"]}),
    );
    wait_for(server.addr, sweep, "running");
    std::thread::sleep(Duration::from_millis(300));
    drop(server);

    let server = serve(&db);
    let (_, list) = json_of(server.addr, "GET", "/api/runs", None);
    let statuses: Vec<(i64, String)> = list["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["status"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (sweep, "interrupted".to_string()),
            (queued, "interrupted".to_string()),
            (long, "interrupted".to_string()),
            (finished, "done".to_string()),
        ]
    );
    assert_eq!(call(server.addr, "GET", &format!("/api/sweeps/{sweep}/parquet"), None).0, 409);
    assert_eq!(runs_folder_entries(&db), vec![format!("run-{finished}")]);
    // The restarted server works: the interrupted run reruns to the end.
    let again = submit(server.addr, &format!("/api/runs/{queued}/rerun"), json!({}));
    assert_eq!(wait_for(server.addr, again, "done")["summary"], summary);
}

#[test]
fn the_token_comes_from_the_environment_and_the_body_limit_from_max_body() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["serve", "--port", "0", "--workers", "1", "--max-body", "2000", "--db"])
        .arg(dir.path().join("plenum.db"))
        .env("PLENUM_TOKEN", "from-the-environment")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    // Keep reading the server's stdout open: it prints a second line (the header to send).
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let mut header = String::new();
    stdout.read_line(&mut header).unwrap();
    assert!(header.contains("Authorization: Bearer from-the-environment"), "{header}");
    let server = Server {
        addr: line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .and_then(|a| a.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .parse()
            .unwrap(),
        child,
    };
    assert!(line.contains("?token=from-the-environment"), "{line}");
    // No token: refused, even on loopback, since the server has one.
    assert_eq!(call(server.addr, "GET", "/api/status", None).0, 401);
    let with_token = |body: &Value| {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        let body = body.to_string();
        write!(
            stream,
            "POST /api/validate HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer from-the-environment\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer.split(' ').nth(1).unwrap().parse::<u16>().unwrap()
    };
    let small = "[scenario]\nname = \"x\"\n";
    assert_eq!(with_token(&json!({"scenario": small})), 422, "a small body is read (and found incomplete)");
    let big = format!("{small}#{}", "x".repeat(3000));
    assert_eq!(with_token(&json!({"scenario": big})), 413, "over --max-body 2000");
}
