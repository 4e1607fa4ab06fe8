//! `plenum serve`: the web application. A JSON API under `/api` (validate,
//! schema, scenarios, runs with progress events and cancellation, history,
//! comparisons, sweeps; described at `/api/openapi.json`) over `plenum-run`,
//! plain HTML and JavaScript pages served from the binary, and a store of
//! every run (SQLite plus run folders on disk).
//!
//! ```no_run
//! // Serve on 127.0.0.1:8080 until stopped (a server: compiled, not run, here;
//! // the crate's tests start one on a free port).
//! plenum_serve::serve(plenum_serve::ServeConfig::default()).unwrap();
//! ```
//!
//! Safety: the server listens on 127.0.0.1 unless told otherwise; any other
//! address needs a token (given, or generated and printed), which every API
//! call must carry; data paths in submitted scenarios resolve only inside
//! `--data` ([`sandbox`]); request bodies are size-limited; every run is
//! checked against the run-size limits; at most `--workers` runs compute at
//! once ([`jobs`]); every response carries a Content-Security-Policy.

pub mod api;
pub mod form;
pub mod jobs;
pub mod openapi;
mod pages;
pub mod sandbox;
pub mod store;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// How to start the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on (127.0.0.1 by default).
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// The folder data paths in scenarios resolve in (`${PLENUM_DATA}`);
    /// `None`: scenarios may name no data file.
    pub data: Option<PathBuf>,
    /// The SQLite database; run folders go in `<db without extension>-runs/` beside it.
    pub db: PathBuf,
    /// The API token; required (generated when `None`) on a non-loopback address.
    pub token: Option<String>,
    /// Runs computing at once; the rest queue.
    pub workers: usize,
    /// Caps on every run's estimated size.
    pub limits: plenum_run::Limits,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Threads each run or sweep computes on (its own pool); `None`: the
    /// core count divided among the workers ([`ServeConfig::run_threads`]).
    pub threads_per_run: Option<usize>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            data: None,
            db: PathBuf::from("plenum.db"),
            token: None,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            limits: plenum_run::Limits::default(),
            max_body_bytes: 1 << 20,
            threads_per_run: None,
        }
    }
}

impl ServeConfig {
    /// Threads each job's pool has: `threads_per_run`, else the cores
    /// shared out among `workers` (at least 1), so that `workers` jobs at once
    /// use the machine's cores without oversubscribing them.
    pub fn run_threads(&self) -> usize {
        self.threads_per_run
            .unwrap_or_else(|| {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                cores / self.workers.max(1)
            })
            .max(1)
    }

    /// The folder of run folders, beside the database.
    pub fn runs_dir(&self) -> PathBuf {
        let stem = self.db.file_stem().map_or("plenum".into(), |s| s.to_string_lossy().into_owned());
        self.db.with_file_name(format!("{stem}-runs"))
    }
}

/// A server listening, for tests and the command: its address, its token,
/// and the task serving it.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The token API calls must carry, if any.
    pub token: Option<String>,
    /// The serving task (ends only on error).
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// The environment variable `plenum serve` reads its token from when
/// `--token` is not given (a variable is not shown by `ps`; a flag is).
pub const TOKEN_ENV: &str = "PLENUM_TOKEN";

/// The token to use: the flag's, else the environment's ([`TOKEN_ENV`]).
pub fn token_from(flag: Option<String>, environment: Option<String>) -> Option<String> {
    flag.or(environment)
}

/// A fresh random token (128 bits from the OS-seeded hasher keys of the
/// standard library, as hex).
pub fn generate_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let part = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()),
        );
        h.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

/// Open the store, bind, and serve on the current Tokio runtime. A
/// non-loopback address without a token gets a generated one.
pub async fn start(mut config: ServeConfig) -> anyhow::Result<Running> {
    if let Some(data) = &config.data {
        anyhow::ensure!(data.is_dir(), "--data {}: not a folder", data.display());
    }
    if config.token.as_deref().is_some_and(str::is_empty) {
        anyhow::bail!("the token (--token or {TOKEN_ENV}) is empty: give a non-empty token");
    }
    anyhow::ensure!(config.max_body_bytes > 0, "--max-body: give a size in bytes above 0");
    if !config.bind.is_loopback() && config.token.is_none() {
        config.token = Some(generate_token());
    }
    let store = store::Store::open(&config.db, &config.runs_dir())?;
    let state = api::AppState::new(config.clone(), store);
    let app = api::router(state);
    let listener = tokio::net::TcpListener::bind((config.bind, config.port))
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", config.bind, config.port))?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Running { addr, token: config.token, task })
}

/// `plenum serve`: start on a new runtime, print the address to open (with
/// the token when there is one), and serve until the process ends.
pub fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let running = start(config).await?;
        let host = match running.addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        match &running.token {
            Some(token) => {
                println!("plenum serve: open http://{host}:{}/?token={token}", running.addr.port());
                println!("API calls need the header `Authorization: Bearer {token}`");
            }
            None => println!("plenum serve: open http://{host}:{}/", running.addr.port()),
        }
        running.task.await??;
        Ok(())
    })
}

/// The shared state handle used by [`api`].
pub(crate) type Shared = Arc<api::Inner>;
