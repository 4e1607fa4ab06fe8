//! The server's store: one SQLite database (WAL mode, schema migrations in
//! code, `PRAGMA user_version` says which have run) holding every run and
//! sweep with its scenario text, overrides, seed, status and summary, and the
//! user's saved scenarios; run folders live on disk beside it.
//!
//! Consistency after a crash (kill -9 at any moment): a run folder is written
//! through `plenum_io::write::OutputDir` (staged, renamed into place whole),
//! and only then is its row set to `done`. On open, rows still `queued` or
//! `running` belong to a server that died: they become `interrupted` and any
//! folder of theirs is removed, so a result is served only from a `done`
//! row whose folder was committed before the row was.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The migrations, in order: migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &["CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('run', 'sweep')),
        name TEXT NOT NULL,
        scenario_text TEXT NOT NULL,
        unset_json TEXT NOT NULL,
        set_json TEXT NOT NULL,
        grid_json TEXT,
        seed INTEGER,
        status TEXT NOT NULL,
        created_at_unix_s INTEGER NOT NULL,
        started_at_unix_s INTEGER,
        finished_at_unix_s INTEGER,
        error TEXT,
        summary_json TEXT
    );
    CREATE TABLE scenarios (
        name TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated_at_unix_s INTEGER NOT NULL
    );"];

/// A run's or sweep's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for a worker.
    Queued,
    /// Computing.
    Running,
    /// Finished; its folder is complete.
    Done,
    /// The scenario or its data failed at run time (the error says why).
    Failed,
    /// Cancelled by a user.
    Cancelled,
    /// The server stopped (or was killed) while it was queued or running.
    Interrupted,
}

impl Status {
    /// The text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
            Status::Interrupted => "interrupted",
        }
    }

    fn parse(text: &str) -> Status {
        match text {
            "queued" => Status::Queued,
            "running" => Status::Running,
            "done" => Status::Done,
            "failed" => Status::Failed,
            "cancelled" => Status::Cancelled,
            _ => Status::Interrupted,
        }
    }

    /// Whether nothing more will happen to the run.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Queued | Status::Running)
    }
}

/// What a run or sweep was asked to do.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// `run` or `sweep`.
    pub kind: String,
    /// The scenario's name (from its text).
    pub name: String,
    /// The scenario text as submitted.
    pub scenario_text: String,
    /// Keys removed (`--unset`).
    pub unset: Vec<String>,
    /// Overrides (`--set`).
    pub set: Vec<String>,
    /// A sweep's grid (`key=a,b`), samples and seed; `None` for a run.
    pub grid: Option<serde_json::Value>,
    /// The seed (the scenario's, or the sweep's first).
    pub seed: Option<u64>,
}

/// One row of the history.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Row id.
    pub id: i64,
    /// What was asked.
    #[serde(flatten)]
    pub request: Request,
    /// Where it stands.
    pub status: Status,
    /// When it was submitted (seconds since 1970, UTC).
    pub created_at_unix_s: i64,
    /// When it started computing.
    pub started_at_unix_s: Option<i64>,
    /// When it ended.
    pub finished_at_unix_s: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// The summary JSON of a finished run (a sweep's: rows and columns).
    pub summary: Option<serde_json::Value>,
}

/// The database and the folder of run folders.
pub struct Store {
    connection: Mutex<Connection>,
    runs_dir: PathBuf,
}

/// Seconds since 1970 (UTC).
pub fn now_unix_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Open (or create) the database at `db` and the run folders in
    /// `runs_dir`, migrate, and mark runs a previous server left unfinished
    /// as interrupted (removing their folders and any staging leftovers).
    pub fn open(db: &Path, runs_dir: &Path) -> anyhow::Result<Store> {
        if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir_all(runs_dir)?;
        let mut connection = Connection::open(db)
            .map_err(|e| anyhow::anyhow!("cannot open the database {}: {e}", db.display()))?;
        let mode: String = connection.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        anyhow::ensure!(
            mode.eq_ignore_ascii_case("wal"),
            "{}: cannot use WAL mode (got {mode})",
            db.display()
        );
        // FULL: a committed status survives a power cut, not only a kill.
        connection.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut connection).map_err(|e| anyhow::anyhow!("{}: {e}", db.display()))?;
        let store = Store { connection: Mutex::new(connection), runs_dir: runs_dir.to_path_buf() };
        store.recover()?;
        Ok(store)
    }

    /// The folder of run `id` (whether or not it exists).
    pub fn folder(&self, id: i64) -> PathBuf {
        self.runs_dir.join(format!("run-{id}"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written
        // (each statement is atomic), so a poisoned lock is still usable.
        self.connection.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn recover(&self) -> anyhow::Result<()> {
        let unfinished: Vec<i64> = {
            let connection = self.lock();
            let mut statement =
                connection.prepare("SELECT id FROM runs WHERE status IN ('queued', 'running')")?;
            statement.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        for id in unfinished {
            let folder = self.folder(id);
            if folder.exists() {
                std::fs::remove_dir_all(&folder)?;
            }
            self.lock().execute(
                "UPDATE runs SET status = 'interrupted', finished_at_unix_s = ?1,
                 error = 'the server stopped before this finished' WHERE id = ?2",
                params![now_unix_s(), id],
            )?;
        }
        // Staging folders (dot-named) of runs that never committed.
        for entry in std::fs::read_dir(&self.runs_dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                let path = entry.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else {
                    std::fs::remove_file(&path)?;
                }
            }
        }
        Ok(())
    }

    /// Record a new request as queued; its id.
    pub fn insert(&self, request: &Request) -> anyhow::Result<i64> {
        let connection = self.lock();
        connection.execute(
            "INSERT INTO runs (kind, name, scenario_text, unset_json, set_json, grid_json, seed, status,
             created_at_unix_s) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8)",
            params![
                request.kind,
                request.name,
                request.scenario_text,
                serde_json::to_string(&request.unset)?,
                serde_json::to_string(&request.set)?,
                request.grid.as_ref().map(serde_json::Value::to_string),
                request.seed.map(|s| s as i64),
                now_unix_s(),
            ],
        )?;
        Ok(connection.last_insert_rowid())
    }

    /// Mark a queued run as running.
    pub fn start(&self, id: i64) -> anyhow::Result<()> {
        self.lock().execute(
            "UPDATE runs SET status = 'running', started_at_unix_s = ?1 WHERE id = ?2 AND status = 'queued'",
            params![now_unix_s(), id],
        )?;
        Ok(())
    }

    /// Record how a run ended.
    pub fn finish(
        &self,
        id: i64,
        status: Status,
        summary: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> anyhow::Result<()> {
        self.lock().execute(
            "UPDATE runs SET status = ?1, finished_at_unix_s = ?2, summary_json = ?3, error = ?4 WHERE id = ?5",
            params![status.as_str(), now_unix_s(), summary.map(serde_json::Value::to_string), error, id],
        )?;
        Ok(())
    }

    /// One run, with its scenario text and summary.
    pub fn get(&self, id: i64) -> anyhow::Result<Option<Record>> {
        let connection = self.lock();
        Ok(connection
            .query_row(&format!("SELECT {COLUMNS} FROM runs WHERE id = ?1"), params![id], read_record)
            .optional()?)
    }

    /// Every run, newest first (without summaries: the list stays small).
    pub fn list(&self) -> anyhow::Result<Vec<Record>> {
        let connection = self.lock();
        let mut statement = connection.prepare(&format!("SELECT {COLUMNS} FROM runs ORDER BY id DESC"))?;
        let rows = statement.query_map([], read_record)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .map(|mut r| {
                r.summary = None;
                r
            })
            .collect())
    }

    /// Delete a finished run: its row, then its folder. `false` when there
    /// is no such run.
    pub fn delete(&self, id: i64) -> anyhow::Result<bool> {
        let removed = self.lock().execute("DELETE FROM runs WHERE id = ?1", params![id])?;
        let folder = self.folder(id);
        if folder.exists() {
            std::fs::remove_dir_all(&folder)?;
        }
        Ok(removed == 1)
    }

    /// Save (or replace) a user scenario.
    pub fn save_scenario(&self, name: &str, text: &str) -> anyhow::Result<()> {
        self.lock().execute(
            "INSERT INTO scenarios (name, text, updated_at_unix_s) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET text = excluded.text, updated_at_unix_s = excluded.updated_at_unix_s",
            params![name, text, now_unix_s()],
        )?;
        Ok(())
    }

    /// Delete a user scenario; `false` when there is none of that name.
    pub fn delete_scenario(&self, name: &str) -> anyhow::Result<bool> {
        Ok(self.lock().execute("DELETE FROM scenarios WHERE name = ?1", params![name])? == 1)
    }

    /// The user's saved scenarios: (name, text), by name.
    pub fn scenarios(&self) -> anyhow::Result<Vec<(String, String)>> {
        let connection = self.lock();
        let mut statement = connection.prepare("SELECT name, text FROM scenarios ORDER BY name")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

const COLUMNS: &str = "id, kind, name, scenario_text, unset_json, set_json, grid_json, seed, status, \
                       created_at_unix_s, started_at_unix_s, finished_at_unix_s, error, summary_json";

fn read_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let json = |i: usize| -> rusqlite::Result<Option<serde_json::Value>> {
        Ok(row.get::<_, Option<String>>(i)?.and_then(|t| serde_json::from_str(&t).ok()))
    };
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        Ok(serde_json::from_str(&row.get::<_, String>(i)?).unwrap_or_default())
    };
    Ok(Record {
        id: row.get(0)?,
        request: Request {
            kind: row.get(1)?,
            name: row.get(2)?,
            scenario_text: row.get(3)?,
            unset: list(4)?,
            set: list(5)?,
            grid: json(6)?,
            seed: row.get::<_, Option<i64>>(7)?.map(|s| s as u64),
        },
        status: Status::parse(&row.get::<_, String>(8)?),
        created_at_unix_s: row.get(9)?,
        started_at_unix_s: row.get(10)?,
        finished_at_unix_s: row.get(11)?,
        error: row.get(12)?,
        summary: json(13)?,
    })
}

fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let version: usize = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > MIGRATIONS.len() {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the database is of schema version {version}, newer than this server's {}",
            MIGRATIONS.len()
        )));
    }
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(version) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        transaction.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            kind: "run".into(),
            name: "a".into(),
            scenario_text: "name = \"a\"".into(),
            unset: vec![],
            set: vec!["energy.pue=1.2".into()],
            grid: None,
            seed: Some(7),
        }
    }

    #[test]
    fn unfinished_runs_become_interrupted_on_reopen_and_their_folders_go() {
        let dir = tempfile::tempdir().unwrap();
        let (db, runs) = (dir.path().join("p.db"), dir.path().join("runs"));
        let (done, running, queued) = {
            let store = Store::open(&db, &runs).unwrap();
            let done = store.insert(&request()).unwrap();
            store.start(done).unwrap();
            std::fs::create_dir_all(store.folder(done)).unwrap();
            store.finish(done, Status::Done, Some(&serde_json::json!({"x": 1})), None).unwrap();
            let running = store.insert(&request()).unwrap();
            store.start(running).unwrap();
            std::fs::create_dir_all(store.folder(running)).unwrap();
            std::fs::create_dir_all(runs.join(".run-9.partial-1")).unwrap();
            (done, running, store.insert(&request()).unwrap())
        };
        let store = Store::open(&db, &runs).unwrap();
        let get = |id| store.get(id).unwrap().unwrap();
        assert_eq!(get(done).status, Status::Done);
        assert_eq!(get(done).summary, Some(serde_json::json!({"x": 1})));
        assert_eq!(get(done).request.set, vec!["energy.pue=1.2".to_string()]);
        assert!(store.folder(done).exists());
        assert_eq!(get(running).status, Status::Interrupted);
        assert!(!store.folder(running).exists());
        assert_eq!(get(queued).status, Status::Interrupted);
        assert!(!runs.join(".run-9.partial-1").exists());
        let version: usize = store.lock().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len());
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        Connection::open(&db).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
        let error = Store::open(&db, &dir.path().join("runs")).err().unwrap().to_string();
        assert!(error.contains("newer"), "{error}");
    }
}
