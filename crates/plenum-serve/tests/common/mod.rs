//! A server on 127.0.0.1 in a background runtime, and a minimal blocking
//! HTTP/1.1 client (one connection per request, `Connection: close`) so the
//! tests exercise the real listener, routing, limits and headers.

#![allow(dead_code)]

use plenum_serve::{ServeConfig, start};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

/// A server running until dropped (its runtime stops with it).
pub struct TestServer {
    pub addr: SocketAddr,
    pub token: Option<String>,
    pub dir: tempfile::TempDir,
    pub config: ServeConfig,
    _shutdown: std::sync::mpsc::Sender<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Dropping the sender ends the runtime's thread, which drops the runtime.
        let (replacement, _) = std::sync::mpsc::channel();
        drop(std::mem::replace(&mut self._shutdown, replacement));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A config on a free loopback port with its database in a new temporary folder.
pub fn config(dir: &tempfile::TempDir) -> ServeConfig {
    ServeConfig { port: 0, db: dir.path().join("plenum.db"), workers: 2, ..ServeConfig::default() }
}

impl TestServer {
    pub fn start(change: impl FnOnce(&mut ServeConfig, &std::path::Path)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(&dir);
        change(&mut config, dir.path());
        TestServer::start_in(dir, config)
    }

    pub fn start_in(dir: tempfile::TempDir, config: ServeConfig) -> TestServer {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (shutdown_tx, shutdown_rx) = std::sync::mpsc::channel::<()>();
        let cfg = config.clone();
        let thread = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            let running = runtime.block_on(start(cfg));
            match running {
                Ok(r) => {
                    ready_tx.send(Ok((r.addr, r.token.clone()))).unwrap();
                    // Serve until the test drops the server.
                    let _ = shutdown_rx.recv();
                    r.task.abort();
                }
                Err(e) => ready_tx.send(Err(e.to_string())).unwrap(),
            }
            runtime.shutdown_timeout(Duration::from_secs(5));
        });
        let (addr, token) = ready_rx.recv().unwrap().expect("the server starts");
        TestServer { addr, token, dir, config, _shutdown: shutdown_tx, thread: Some(thread) }
    }

    pub fn runs_dir(&self) -> PathBuf {
        self.config.runs_dir()
    }

    /// A request with the server's token (when it has one).
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Response {
        let auth = self.token.as_ref().map(|t| format!("Authorization: Bearer {t}"));
        let body = body.map(|b| b.to_string().into_bytes());
        raw(self.addr, method, path, auth.as_deref(), body.as_deref())
    }

    pub fn get(&self, path: &str) -> Response {
        self.call("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Response {
        self.call("POST", path, Some(body))
    }

    /// Wait for run `id` to end by reading its event stream; the final event.
    pub fn wait(&self, id: i64) -> Value {
        let response = self.get(&format!("/api/runs/{id}/events"));
        assert_eq!(response.status, 200, "{}", response.text());
        let events = response.events();
        let last = events.last().cloned().expect("at least one event");
        assert!(
            !matches!(last["status"].as_str(), Some("queued" | "running")),
            "the stream ends with a final state: {events:?}"
        );
        last
    }

    /// Submit a run of `text` and wait for it; (id, final event).
    pub fn run(&self, text: &str, set: &[&str]) -> (i64, Value) {
        let response = self.post("/api/runs", &serde_json::json!({"scenario": text, "set": set}));
        assert_eq!(response.status, 202, "{}", response.text());
        let id = response.json()["id"].as_i64().unwrap();
        (id, self.wait(id))
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The `data:` of each server-sent event, as JSON.
    pub fn events(&self) -> Vec<Value> {
        self.text()
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(|d| serde_json::from_str(d.trim()).unwrap())
            .collect()
    }
}

/// One request; `auth` is a whole header line.
pub fn raw(addr: SocketAddr, method: &str, path: &str, auth: Option<&str>, body: Option<&[u8]>) -> Response {
    raw_with(addr, method, path, &auth.map(|a| vec![a.to_string()]).unwrap_or_default(), body)
}

pub fn raw_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[String],
    body: Option<&[u8]>,
) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(600))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    if let Some(body) = body {
        // The server may answer (413) and close before reading it all.
        let _ = stream.write_all(body);
    }
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Response {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = bytes[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            let start = line_end + 2;
            out.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
            rest = &rest[(start + size + 2).min(rest.len())..];
        }
        body = out;
    }
    Response { status, headers, body }
}

/// A shipped scenario's text.
pub fn shipped(name: &str) -> &'static str {
    plenum_serve::api::SHIPPED.iter().find(|(n, _)| *n == name).unwrap().1
}
