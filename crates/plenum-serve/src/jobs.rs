//! The run queue: at most `workers` runs or sweeps compute at once (a
//! semaphore), the rest wait in submission order; each has a cancel token
//! (`plenum_run::CancelToken`) and a progress channel the events stream
//! reads. A job computes on a blocking thread through `plenum-run` and
//! writes its folder through `OutputDir` (staged, renamed into place whole)
//! before its row becomes `done`.

use crate::store::{Status, Store};
use plenum_engine::DataTable;
use plenum_engine::tables::ColumnValues;
use plenum_run::sweep::Sweep;
use plenum_run::{CancelToken, Limits, RunControl, RunError};
use plenum_scenario::Scenario;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, Semaphore, watch};

/// Where a job stands, as the events stream sends it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Progress {
    /// The run's id.
    pub id: i64,
    /// Its status.
    pub status: Status,
    /// The unit of work being counted (`year hours`, `sweep rows`), empty before any.
    pub stage: String,
    /// Units done.
    pub done: u64,
    /// Units in the stage.
    pub total: u64,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

struct Live {
    cancel: CancelToken,
    cancelled: Arc<Notify>,
    progress: watch::Sender<Progress>,
}

/// What a job computes.
pub enum Work {
    /// One run of a scenario.
    Run(Box<Scenario>),
    /// A sweep over a scenario.
    Sweep(Box<Scenario>, Sweep),
}

/// The queue and the jobs under way.
pub struct Jobs {
    semaphore: Arc<Semaphore>,
    live: Mutex<HashMap<i64, Live>>,
    running: AtomicUsize,
    peak_running: AtomicUsize,
    queued: AtomicUsize,
    workers: usize,
}

/// Counts for `/api/status`.
#[derive(Debug, Clone, Serialize)]
pub struct QueueStatus {
    /// The most jobs that may compute at once (`--workers`).
    pub workers: usize,
    /// Jobs computing now.
    pub running: usize,
    /// Jobs waiting for a worker.
    pub queued: usize,
    /// The most jobs seen computing at once since the server started.
    pub peak_running: usize,
}

impl Jobs {
    /// A queue running at most `workers` jobs at once.
    pub fn new(workers: usize) -> Jobs {
        let workers = workers.max(1);
        Jobs {
            semaphore: Arc::new(Semaphore::new(workers)),
            live: Mutex::new(HashMap::new()),
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
            queued: AtomicUsize::new(0),
            workers,
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Live>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The counts of the queue.
    pub fn status(&self) -> QueueStatus {
        QueueStatus {
            workers: self.workers,
            running: self.running.load(Ordering::SeqCst),
            queued: self.queued.load(Ordering::SeqCst),
            peak_running: self.peak_running.load(Ordering::SeqCst),
        }
    }

    /// A receiver of job `id`'s progress while it is queued or running.
    pub fn subscribe(&self, id: i64) -> Option<watch::Receiver<Progress>> {
        self.live().get(&id).map(|l| l.progress.subscribe())
    }

    /// Ask job `id` to stop; `false` when it is not queued or running.
    pub fn cancel(&self, id: i64) -> bool {
        match self.live().get(&id) {
            Some(live) => {
                live.cancel.cancel();
                live.cancelled.notify_one();
                true
            }
            None => false,
        }
    }

    /// Queue job `id` (its row already inserted as queued).
    pub fn submit(
        self: &Arc<Self>,
        store: Arc<Store>,
        limits: Limits,
        id: i64,
        work: Work,
        text_as_run: String,
    ) {
        let cancel = CancelToken::new();
        let cancelled = Arc::new(Notify::new());
        let initial =
            Progress { id, status: Status::Queued, stage: String::new(), done: 0, total: 0, error: None };
        let (sender, _) = watch::channel(initial);
        self.live()
            .insert(id, Live { cancel: cancel.clone(), cancelled: cancelled.clone(), progress: sender });
        self.queued.fetch_add(1, Ordering::SeqCst);
        let jobs = Arc::clone(self);
        tokio::spawn(async move {
            let permit = tokio::select! {
                permit = jobs.semaphore.clone().acquire_owned() => permit.ok(),
                () = cancelled.notified() => None,
            };
            jobs.queued.fetch_sub(1, Ordering::SeqCst);
            let Some(_permit) = permit.filter(|_| !cancel.is_cancelled()) else {
                jobs.end(&store, id, Status::Cancelled, None, None);
                return;
            };
            let running = jobs.running.fetch_add(1, Ordering::SeqCst) + 1;
            jobs.peak_running.fetch_max(running, Ordering::SeqCst);
            if let Err(e) = store.start(id) {
                jobs.running.fetch_sub(1, Ordering::SeqCst);
                jobs.end(&store, id, Status::Failed, None, Some(&format!("cannot record the start: {e}")));
                return;
            }
            jobs.update(id, |p| p.status = Status::Running);
            let (job_store, job_jobs) = (Arc::clone(&store), Arc::clone(&jobs));
            let outcome = tokio::task::spawn_blocking(move || {
                let hook = |stage: &str, done: u64, total: u64| {
                    job_jobs.update(id, |p| {
                        if p.stage != stage || done > p.done {
                            p.stage = stage.to_string();
                            p.done = done;
                            p.total = total;
                        }
                    });
                };
                let control = RunControl::default().with_cancel(&cancel).with_progress(&hook);
                compute(&job_store, &limits, id, work, &text_as_run, &control)
            })
            .await
            .unwrap_or_else(|e| Outcome::failed(format!("the run stopped unexpectedly: {e}")));
            jobs.running.fetch_sub(1, Ordering::SeqCst);
            jobs.end(&store, id, outcome.status, outcome.summary.as_ref(), outcome.error.as_deref());
        });
    }

    fn update(&self, id: i64, change: impl FnOnce(&mut Progress)) {
        if let Some(live) = self.live().get(&id) {
            live.progress.send_modify(change);
        }
    }

    fn end(
        &self,
        store: &Store,
        id: i64,
        status: Status,
        summary: Option<&serde_json::Value>,
        error: Option<&str>,
    ) {
        let recorded = store.finish(id, status, summary, error);
        let (status, error) = match recorded {
            Ok(()) => (status, error.map(str::to_string)),
            Err(e) => (Status::Failed, Some(format!("cannot record the result: {e}"))),
        };
        if let Some(live) = self.live().remove(&id) {
            live.progress.send_modify(|p| {
                p.status = status;
                p.error = error;
            });
        }
    }
}

/// How a job ended.
struct Outcome {
    status: Status,
    summary: Option<serde_json::Value>,
    error: Option<String>,
}

impl Outcome {
    fn failed(message: String) -> Outcome {
        Outcome { status: Status::Failed, summary: None, error: Some(message) }
    }
}

fn compute(
    store: &Store,
    limits: &Limits,
    id: i64,
    work: Work,
    text_as_run: &str,
    control: &RunControl<'_>,
) -> Outcome {
    let result = match work {
        Work::Run(scenario) => run(store, limits, id, &scenario, control),
        Work::Sweep(scenario, sweep) => self::sweep(store, id, &scenario, &sweep, text_as_run, control),
    };
    match result {
        Ok(summary) => Outcome { status: Status::Done, summary: Some(summary), error: None },
        Err(RunError::Interrupted(_)) => Outcome { status: Status::Cancelled, summary: None, error: None },
        Err(
            e @ (RunError::Scenario(_)
            | RunError::Data(_)
            | RunError::Usage(_)
            | RunError::TooLarge(_)
            | RunError::Failed(_)),
        ) => Outcome::failed(e.to_string()),
    }
}

fn run(
    store: &Store,
    limits: &Limits,
    id: i64,
    scenario: &Scenario,
    control: &RunControl<'_>,
) -> Result<serde_json::Value, RunError> {
    let out = plenum_io::write::OutputDir::create(&store.folder(id))?;
    let streams = plenum_run::Streams { out: &out, csv: false };
    let run = plenum_run::run_controlled(scenario, limits, Some(streams), control)?;
    let summary = run.summary();
    let tables: Vec<DataTable> = run.tables().cloned().collect();
    // The same folder `plenum run --out` writes; its scenario.toml is the
    // text as run the history stores (`api::text_as_run`).
    plenum_run::output::write_run_folder(out, scenario, &summary, &tables, None, false)?;
    Ok(summary.to_value())
}

fn sweep(
    store: &Store,
    id: i64,
    scenario: &Scenario,
    sweep: &Sweep,
    text_as_run: &str,
    control: &RunControl<'_>,
) -> Result<serde_json::Value, RunError> {
    let table = plenum_run::sweep::evaluate_controlled(scenario, sweep, 0..sweep.rows(), control)?;
    let out = plenum_io::write::OutputDir::create(&store.folder(id))?;
    out.write_bytes("sweep.parquet", &plenum_io::write::parquet_bytes(&table)?)?;
    out.write_bytes("scenario.toml", text_as_run.as_bytes())?;
    let summary = table_json(&table);
    out.write_json("sweep.json", &summary)?;
    out.commit()?;
    Ok(summary)
}

/// A table as `{name, columns: [{name, unit, description}], rows: [[...]]}`
/// (nulls for missing figures).
pub fn table_json(table: &DataTable) -> serde_json::Value {
    use serde_json::{Value, json};
    let columns: Vec<Value> = table
        .columns
        .iter()
        .map(|c| json!({"name": c.name, "unit": c.unit, "description": c.description}))
        .collect();
    let rows: Vec<Value> = (0..table.rows())
        .map(|r| {
            Value::Array(
                table
                    .columns
                    .iter()
                    .map(|c| match &c.values {
                        ColumnValues::F64(v) => json!(v[r]),
                        ColumnValues::OptF64(v) => json!(v[r]),
                        ColumnValues::U64(v) => json!(v[r]),
                        ColumnValues::I64(v) => json!(v[r]),
                        ColumnValues::Text(v) => json!(v[r]),
                        ColumnValues::Bool(v) => json!(v[r]),
                    })
                    .collect(),
            )
        })
        .collect();
    json!({"name": table.name, "columns": columns, "rows": rows})
}
