//! The native half of the Python package `plenum` (`plenum._plenum`): the
//! scenario, a run and its tables, and sweep batches. The Python half
//! (`python/plenum/__init__.py`) wraps these in the public API and adds the
//! Ray backend, pandas and the notebook view.
//!
//! Everything that simulates releases the GIL (`Python::detach`). Tables
//! cross to Python as `pyarrow.Table`s through the Arrow C data interface
//! (arrow-pyarrow), never through Python objects row by row.

use arrow_pyarrow::IntoPyArrow;
use plenum_engine::{CancelToken, Control};
use plenum_run::RunError;
use plenum_run::sweep::{Axis, Sweep};
use plenum_scenario::{Diagnostic, Location, Scenario};
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The exception classes, made at import (`make_exceptions`): Python's
/// `type()` is the only way to give one several bases (`ScenarioError` is
/// also a `ValueError`), which `create_exception!` cannot.
struct Exceptions {
    plenum: Py<PyType>,
    scenario: Py<PyType>,
    scenario_file_not_found: Py<PyType>,
    input: Py<PyType>,
    input_file_not_found: Py<PyType>,
    too_large: Py<PyType>,
    usage: Py<PyType>,
}

static EXCEPTIONS: PyOnceLock<Exceptions> = PyOnceLock::new();

fn make_exceptions(py: Python<'_>) -> PyResult<&Exceptions> {
    EXCEPTIONS.get_or_try_init(py, || {
        let class = |name: &str, bases: &[Bound<'_, PyType>], doc: &str| -> PyResult<Py<PyType>> {
            let namespace = PyDict::new(py);
            namespace.set_item("__doc__", doc)?;
            namespace.set_item("__module__", "plenum")?;
            let bases = PyTuple::new(py, bases)?;
            Ok(py.get_type::<PyType>().call1((name, bases, namespace))?.cast_into::<PyType>()?.unbind())
        };
        let plenum = class("PlenumError", &[py.get_type::<PyException>()], "Base class of Plenum's errors.")?;
        let scenario = class(
            "ScenarioError",
            &[plenum.bind(py).clone(), py.get_type::<PyValueError>()],
            "A scenario is wrong: the message is the diagnostic the CLI prints (file, line, field, what \
             was expected); `diagnostics` lists each problem as a dict. Also a `ValueError`.",
        )?;
        let scenario_file_not_found = class(
            "ScenarioFileNotFoundError",
            &[scenario.bind(py).clone(), py.get_type::<PyFileNotFoundError>()],
            "The scenario file does not exist: both a `ScenarioError` and a `FileNotFoundError` \
             (`filename` is the path).",
        )?;
        let input = class(
            "InputError",
            &[plenum.bind(py).clone(), py.get_type::<PyValueError>()],
            "A data file the scenario names (weather, carbon, utilization, trace) is wrong or missing: \
             the message names the file, the line or row, and the field; `diagnostics` lists them as \
             dicts (file, line, field, message). Also a `ValueError`.",
        )?;
        let input_file_not_found = class(
            "InputFileNotFoundError",
            &[input.bind(py).clone(), py.get_type::<PyFileNotFoundError>()],
            "A data file the scenario names does not exist: both an `InputError` and a \
             `FileNotFoundError` (`filename` is the path).",
        )?;
        let too_large = class(
            "RunTooLargeError",
            &[scenario.bind(py).clone()],
            "The run (or the whole sweep) is above the size caps: a `ScenarioError` at the field that \
             drives its size, saying how to raise the cap (`PLENUM_MAX_CPU_S`, `PLENUM_MAX_MEMORY_GIB`).",
        )?;
        let usage = class(
            "UsageError",
            &[plenum.bind(py).clone(), py.get_type::<PyValueError>()],
            "A setting given beside the scenario is wrong: a sweep's grid or sample count, a size-cap \
             environment variable. Also a `ValueError`.",
        )?;
        Ok(Exceptions {
            plenum,
            scenario,
            scenario_file_not_found,
            input,
            input_file_not_found,
            too_large,
            usage,
        })
    })
}

fn new_error(py: Python<'_>, class: fn(&Exceptions) -> &Py<PyType>, message: String) -> PyErr {
    match make_exceptions(py) {
        Ok(classes) => PyErr::from_type(class(classes).bind(py).clone(), message),
        Err(e) => e,
    }
}

fn plenum_error(py: Python<'_>, message: String) -> PyErr {
    new_error(py, |c| &c.plenum, message)
}

/// Make `error` a `FileNotFoundError` too: `errno`, `strerror` and `filename`.
fn not_found(py: Python<'_>, error: PyErr, path: &std::path::Path) -> PyErr {
    let value = error.value(py);
    // Best effort: the message already names the file.
    let _ = value.setattr("errno", 2);
    let _ = value.setattr("strerror", "No such file or directory");
    let _ = value.setattr("filename", path.display().to_string());
    error
}

/// An input error with its `diagnostics`: one dict (file, line, field,
/// message); a `FileNotFoundError` too when the file is missing.
fn input_error(
    py: Python<'_>,
    message: String,
    file: &std::path::Path,
    line: Option<u64>,
    field: Option<&str>,
    detail: &str,
) -> PyErr {
    let missing = !file.as_os_str().is_empty() && !file.exists();
    let error = new_error(py, if missing { |c| &c.input_file_not_found } else { |c| &c.input }, message);
    let item = PyDict::new(py);
    let filled: PyResult<()> = (|| {
        item.set_item("file", file.display().to_string())?;
        item.set_item("line", line)?;
        item.set_item("field", field)?;
        item.set_item("message", detail)?;
        error.value(py).setattr("diagnostics", PyList::new(py, [item])?)
    })();
    drop(filled); // best effort: the message already says everything
    if missing { not_found(py, error, file) } else { error }
}

/// A run's error as the Python exception of its kind: `ScenarioError`,
/// `InputError`, `UsageError`, `RunTooLargeError`, `KeyboardInterrupt`,
/// else `PlenumError`.
fn to_py_err(py: Python<'_>, error: RunError) -> PyErr {
    match error {
        RunError::Scenario(e) => scenario_error(py, &e),
        RunError::Data(e) => {
            input_error(py, e.to_string(), &e.file, e.line_or_row(), e.field.as_deref(), &e.message)
        }
        RunError::Usage(message) => new_error(py, |c| &c.usage, message),
        RunError::TooLarge(e) => with_diagnostics(py, new_error(py, |c| &c.too_large, e.render(false)), &e),
        RunError::Interrupted(_) => pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted"),
        RunError::Failed(message) => plenum_error(py, message),
    }
}

/// What validation says of a data file the scenario names that is not there.
const FILE_NOT_FOUND: &str = "file not found: ";

/// `ScenarioError` with the CLI's text and a `diagnostics` list; a
/// `ScenarioFileNotFoundError` (also a `FileNotFoundError`) when a data file
/// the scenario names does not exist.
fn scenario_error(py: Python<'_>, error: &plenum_scenario::ScenarioError) -> PyErr {
    let missing = error.diagnostics.iter().find_map(|d| d.message.strip_prefix(FILE_NOT_FOUND));
    let err = match missing {
        Some(_) => new_error(py, |c| &c.scenario_file_not_found, error.render(false)),
        None => new_error(py, |c| &c.scenario, error.render(false)),
    };
    let err = with_diagnostics(py, err, error);
    match missing {
        Some(path) => not_found(py, err, std::path::Path::new(path)),
        None => err,
    }
}

/// `err` with a scenario error's `diagnostics`: one dict per problem.
fn with_diagnostics(py: Python<'_>, err: PyErr, error: &plenum_scenario::ScenarioError) -> PyErr {
    let diagnostics: PyResult<Vec<Bound<'_, PyDict>>> = error
        .diagnostics
        .iter()
        .map(|d| {
            let item = PyDict::new(py);
            item.set_item("file", &error.origin)?;
            item.set_item("field", &d.field)?;
            item.set_item("message", &d.message)?;
            item.set_item("help", &d.help)?;
            let (line, column, assignment) = match &d.location {
                Location::Span { line, column, .. } => (Some(*line), Some(*column), None),
                Location::Override(text) => (None, None, Some(text.clone())),
                Location::Unset(path) => (None, None, Some(format!("--unset {path}"))),
                Location::File => (None, None, None),
            };
            item.set_item("line", line)?;
            item.set_item("column", column)?;
            item.set_item("override", assignment)?;
            Ok(item)
        })
        .collect();
    if let Ok(list) = diagnostics {
        // Best effort: the message already says everything.
        let _ = err.value(py).setattr("diagnostics", list);
    }
    err
}

/// A `ScenarioError` about one value given from Python (`field=value`), as
/// if it were a `--set` override.
fn value_error(py: Python<'_>, origin: &str, field: &str, shown: &str, message: String) -> PyErr {
    let error = plenum_scenario::ScenarioError {
        origin: origin.to_string(),
        source: Arc::from(""),
        diagnostics: vec![Diagnostic::new(field, message).at(Location::Override(format!("{field}={shown}")))],
    };
    scenario_error(py, &error)
}

/// Where a Python value is going, for the errors about it: the scenario's
/// origin and the key path.
struct Target<'a> {
    origin: &'a str,
    path: String,
}

impl Target<'_> {
    fn child(&self, part: &str) -> Target<'_> {
        let path = match (self.path.is_empty(), part.starts_with('[')) {
            (true, _) | (false, true) => format!("{}{part}", self.path),
            (false, false) => format!("{}.{part}", self.path),
        };
        Target { origin: self.origin, path }
    }
}

/// A Python value as a TOML value: bool, int, float, str, list, tuple and
/// dict (string keys), nested; NumPy and pandas scalars and arrays through
/// their `tolist()` (the Python number or list they hold). An integer
/// outside TOML's 64-bit range and a NaN or infinite number are a
/// `ScenarioError` at the key.
fn to_toml(py: Python<'_>, value: &Bound<'_, PyAny>, at: &Target<'_>) -> PyResult<toml::Value> {
    let shown = || value.repr().map_or_else(|_| "?".into(), |r| r.to_string());
    if value.is_instance_of::<PyBool>() {
        Ok(toml::Value::Boolean(value.extract()?))
    } else if value.is_instance_of::<PyInt>() {
        value.extract::<i64>().map(toml::Value::Integer).map_err(|_| {
            value_error(
                py,
                at.origin,
                &at.path,
                &shown(),
                format!(
                    "{} is outside the range of a scenario integer ({} to {})",
                    shown(),
                    i64::MIN,
                    i64::MAX
                ),
            )
        })
    } else if value.is_instance_of::<PyFloat>() {
        let x: f64 = value.extract()?;
        if !x.is_finite() {
            let message = format!("expected a finite number, found {x}");
            return Err(value_error(py, at.origin, &at.path, &x.to_string(), message));
        }
        Ok(toml::Value::Float(x))
    } else if value.is_instance_of::<PyString>() {
        Ok(toml::Value::String(value.extract()?))
    } else if let Ok(dict) = value.cast::<PyDict>() {
        Ok(toml::Value::Table(to_toml_table(py, dict, at)?))
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items =
            value.try_iter()?.enumerate().map(|(i, item)| to_toml(py, &item?, &at.child(&format!("[{i}]"))));
        Ok(toml::Value::Array(items.collect::<PyResult<_>>()?))
    } else if let Some(plain) = plain_python(value)? {
        to_toml(py, &plain, at)
    } else {
        Err(PyTypeError::new_err(format!(
            "{}: {} ({}) has no TOML form: use bool, int, float, str, list or dict",
            at.path,
            shown(),
            value.get_type().name().map_or_else(|_| "?".into(), |n| n.to_string())
        )))
    }
}

/// A NumPy or pandas value as the plain Python value it holds: `tolist()`
/// gives the Python number of a NumPy scalar (`np.int64`, `np.float32`,
/// `np.bool_`) and the list of an array or a pandas Series; `None` for
/// anything else (or when `tolist` gives back the same kind of object).
fn plain_python<'py>(value: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    if !value.hasattr("tolist")? {
        return Ok(None);
    }
    let plain = value.call_method0("tolist")?;
    let is_plain = plain.is_instance_of::<PyBool>()
        || plain.is_instance_of::<PyInt>()
        || plain.is_instance_of::<PyFloat>()
        || plain.is_instance_of::<PyString>()
        || plain.is_instance_of::<PyList>();
    Ok(is_plain.then_some(plain))
}

fn to_toml_table(py: Python<'_>, dict: &Bound<'_, PyDict>, at: &Target<'_>) -> PyResult<toml::Table> {
    dict.iter()
        .map(|(key, value)| {
            let key: String =
                key.extract().map_err(|_| PyTypeError::new_err("scenario keys must be strings"))?;
            let value = to_toml(py, &value, &at.child(&key))?;
            Ok((key, value))
        })
        .collect()
}

/// A validated scenario. Immutable: `with_values` returns a new one.
/// Scenarios compare (and hash) by content: the document with its overrides
/// applied, wherever it came from.
#[pyclass(frozen, eq, hash, name = "Scenario", module = "plenum")]
struct PyScenario {
    inner: Arc<Scenario>,
}

impl PartialEq for PyScenario {
    fn eq(&self, other: &Self) -> bool {
        self.inner.document.tree == other.inner.document.tree
    }
}

impl std::hash::Hash for PyScenario {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.effective_toml().hash(state);
    }
}

impl PyScenario {
    fn wrap(scenario: Scenario) -> PyScenario {
        PyScenario { inner: Arc::new(scenario) }
    }

    /// The document with its overrides applied, as TOML text.
    fn effective_toml(&self) -> String {
        toml::to_string(&self.inner.document.tree).unwrap_or_default()
    }
}

/// A TOML value as the Python value: tables as dicts, arrays as lists.
fn to_python<'py>(py: Python<'py>, value: &toml::Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        toml::Value::String(s) => s.into_pyobject(py)?.into_any(),
        toml::Value::Integer(i) => i.into_pyobject(py)?.into_any(),
        toml::Value::Float(x) => x.into_pyobject(py)?.into_any(),
        toml::Value::Boolean(b) => PyBool::new(py, *b).to_owned().into_any(),
        toml::Value::Datetime(d) => d.to_string().into_pyobject(py)?.into_any(),
        toml::Value::Array(items) => {
            PyList::new(py, items.iter().map(|v| to_python(py, v)).collect::<PyResult<Vec<_>>>()?)?.into_any()
        }
        toml::Value::Table(table) => {
            let dict = PyDict::new(py);
            for (k, v) in table {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

#[pymethods]
impl PyScenario {
    /// Read and validate a scenario file (TOML). A missing file raises
    /// `ScenarioFileNotFoundError`, both a `ScenarioError` and a
    /// `FileNotFoundError`.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<PyScenario> {
        Scenario::from_path(&path).map(PyScenario::wrap).map_err(|e| {
            if path.exists() {
                scenario_error(py, &e)
            } else {
                let error = new_error(py, |c| &c.scenario_file_not_found, e.render(false));
                let _ = error.value(py).setattr("diagnostics", PyList::empty(py));
                not_found(py, error, &path)
            }
        })
    }

    /// Validate scenario text; `origin` names it in diagnostics.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<string>"))]
    fn from_toml(py: Python<'_>, text: &str, origin: &str) -> PyResult<PyScenario> {
        Scenario::from_toml_str(text, origin).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
    }

    /// Validate a scenario given as nested dicts (the TOML file's tables).
    #[staticmethod]
    fn from_dict(py: Python<'_>, tables: &Bound<'_, PyDict>) -> PyResult<PyScenario> {
        let table = to_toml_table(py, tables, &Target { origin: "<dict>", path: String::new() })?;
        let text = toml::to_string(&table)
            .map_err(|e| PyValueError::new_err(format!("not a TOML document: {e}")))?;
        Scenario::from_toml_str(&text, "<dict>").map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
    }

    /// A scenario compiled into Plenum (`plenum.scenarios()` lists them):
    /// `default` (8 MW, Ashburn VA), `ashburn-static`, `hamilton-2008`,
    /// `hamilton-2010`.
    #[staticmethod]
    #[pyo3(signature = (name = "default"))]
    fn embedded(py: Python<'_>, name: &str) -> PyResult<PyScenario> {
        let names: Vec<&str> = plenum_scenario::embedded::SCENARIOS.iter().map(|(n, _)| *n).collect();
        if !names.contains(&name) {
            let error = plenum_scenario::ScenarioError::file(
                name,
                format!("no embedded scenario of that name; the built-in scenarios are {}", names.join(", ")),
            );
            return Err(scenario_error(py, &error));
        }
        plenum_scenario::embedded::load(name).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
    }

    /// This scenario with values replaced: `{"energy.pue": 1.2,
    /// "servers[0].count": 1000}`, the same paths as the CLI's `--set`; a
    /// value of `None` removes the key (`{"site.climate": None,
    /// "site.weather_epw": path}`). NumPy and pandas scalars work as Python
    /// numbers; NaN, infinity and integers beyond 64 bits are a
    /// `ScenarioError` at the key.
    fn with_values(&self, py: Python<'_>, values: &Bound<'_, PyDict>) -> PyResult<PyScenario> {
        let origin = self.inner.document.origin.clone();
        let mut changes: Vec<(String, Option<toml::Value>)> = Vec::new();
        for (key, value) in values.iter() {
            let key: String = key.extract().map_err(|_| PyTypeError::new_err("keys must be strings"))?;
            let value = match value.is_none() {
                true => None,
                false => Some(to_toml(py, &value, &Target { origin: &origin, path: key.clone() })?),
            };
            changes.push((key, value));
        }
        let changes: Vec<(&str, Option<toml::Value>)> =
            changes.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        self.inner.with_changes(&changes).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
    }

    /// The scenario as nested dicts, overrides applied (what `from_dict`
    /// reads back to an equal scenario).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &toml::Value::Table(self.inner.document.tree.clone()))
    }

    /// The scenario as TOML text, overrides applied (what `from_toml` reads
    /// back to an equal scenario). Comments of the original are not kept:
    /// `toml` has the text as written.
    fn to_toml(&self) -> String {
        self.effective_toml()
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The seed of every random stream.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// Where the scenario came from (a path, `<string>`, `<dict>`).
    #[getter]
    fn origin(&self) -> String {
        self.inner.document.origin.clone()
    }

    /// The scenario's text as written (before overrides; `to_toml()` has
    /// them applied).
    #[getter]
    fn toml(&self) -> String {
        self.inner.document.source.to_string()
    }

    /// The overrides applied, as `path=value` (sorted).
    #[getter]
    fn overrides(&self) -> Vec<String> {
        self.inner.document.overrides()
    }

    /// The keys removed (`with_values({key: None})`, the CLI's `--unset`).
    #[getter]
    fn removed(&self) -> Vec<String> {
        self.inner.document.removed().to_vec()
    }

    fn __repr__(&self) -> String {
        let overrides = self.inner.document.overrides();
        format!(
            "<plenum.Scenario {:?} from {}: {} servers, {} kW critical{}>",
            self.inner.name,
            self.inner.document.origin,
            self.inner.server_count(),
            self.inner.facility.critical_power_kw,
            if overrides.is_empty() { String::new() } else { format!(", overrides {}", overrides.join(" ")) }
        )
    }

    /// Pickling (Ray and process pools ship scenarios to workers): the
    /// text, its origin and the overrides, validated again on arrival.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, PickledScenario)> {
        let me = slf.get();
        let restore = slf.py().import("plenum._plenum")?.getattr("_restore_scenario")?;
        Ok((restore, (me.origin(), me.toml(), me.overrides(), me.removed())))
    }
}

/// A pickled scenario: origin, text, overrides, removed keys.
type PickledScenario = (String, String, Vec<String>, Vec<String>);

/// Rebuild a pickled scenario.
#[pyfunction]
#[pyo3(signature = (origin, text, overrides, removed = Vec::new()))]
fn _restore_scenario(
    py: Python<'_>,
    origin: &str,
    text: &str,
    overrides: Vec<String>,
    removed: Vec<String>,
) -> PyResult<PyScenario> {
    Scenario::load_edited(origin, text, &removed, &overrides)
        .map(PyScenario::wrap)
        .map_err(|e| scenario_error(py, &e))
}

/// What one run produced: the summary and the tables.
#[pyclass(frozen, name = "Run", module = "plenum._plenum")]
struct PyRun {
    run: plenum_run::Run,
    summary_json: String,
}

#[pymethods]
impl PyRun {
    /// The summary as JSON text (what `plenum run --format json` prints).
    fn summary_json(&self) -> &str {
        &self.summary_json
    }

    /// The names of the run's tables, in the order they were produced.
    fn table_names(&self) -> Vec<String> {
        self.run.tables().map(|t| t.name.clone()).collect()
    }

    /// One table as a `pyarrow.Table` (column descriptions in field metadata).
    fn table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let table = self.run.tables().find(|t| t.name == name).ok_or_else(|| {
            let names: Vec<_> = self.run.tables().map(|t| t.name.as_str()).collect();
            pyo3::exceptions::PyKeyError::new_err(format!(
                "no table {name:?}; this run has {}",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ))
        })?;
        to_pyarrow(py, table)
    }
}

fn to_pyarrow<'py>(py: Python<'py>, table: &plenum_engine::DataTable) -> PyResult<Bound<'py, PyAny>> {
    let batch = plenum_io::write::record_batch(table);
    let schema = batch.schema();
    arrow_pyarrow::Table::try_new(vec![batch], schema)
        .map_err(|e| plenum_error(py, e.to_string()))?
        .into_pyarrow(py)
}

/// The latest progress report of a computation: stage, done, total, and
/// whether the caller has seen it.
#[derive(Default)]
struct Latest {
    stage: String,
    done: u64,
    total: u64,
    fresh: bool,
}

/// How often the calling thread looks at Python's signals and forwards
/// progress while the work runs.
const POLL: Duration = Duration::from_millis(50);

/// Run `work` on a thread of its own, the GIL released, while this thread
/// wakes every [`POLL`] to run Python's signal handlers (`check_signals`)
/// and to pass the latest progress to `progress(done, total, stage)`. A
/// signal handler that raises (Ctrl-C: `KeyboardInterrupt`) or a callback
/// that raises cancels the work's token; the work then stops within a unit
/// of work, and the Python exception is returned with what the work
/// returned.
fn supervise<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&Control<'_>) -> T + Send,
) -> (T, Option<PyErr>) {
    let token = CancelToken::new();
    let latest = Mutex::new(Latest::default());
    let hook = |stage: &str, done: u64, total: u64| {
        let mut l = latest.lock().unwrap_or_else(|e| e.into_inner());
        if l.stage != stage || done > l.done || total != l.total {
            *l = Latest { stage: stage.to_string(), done, total, fresh: true };
        }
    };
    let mut raised: Option<PyErr> = None;
    let outcome = std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<()>();
        let (token_ref, hook_ref, wants_progress) = (&token, &hook, progress.is_some());
        let worker = scope.spawn(move || {
            let mut control = Control::default().with_cancel(token_ref);
            if wants_progress {
                control = control.with_progress(hook_ref);
            }
            let out = work(&control);
            let _ = sender.send(());
            out
        });
        let mut receiver = Some(receiver);
        loop {
            let waiting = receiver.take().expect("the receiver is put back");
            let (waiting, finished) = py.detach(move || {
                let finished =
                    !matches!(waiting.recv_timeout(POLL), Err(std::sync::mpsc::RecvTimeoutError::Timeout));
                (waiting, finished)
            });
            receiver = Some(waiting);
            if raised.is_none()
                && let Err(e) = py.check_signals()
            {
                token.cancel();
                raised = Some(e);
            }
            if let Some(callback) = progress.filter(|_| raised.is_none()) {
                let report = {
                    let mut l = latest.lock().unwrap_or_else(|e| e.into_inner());
                    std::mem::take(&mut l.fresh).then(|| (l.done, l.total, l.stage.clone()))
                };
                if let Some(args) = report
                    && let Err(e) = callback.call1(args)
                {
                    token.cancel();
                    raised = Some(e);
                }
            }
            if finished {
                break;
            }
        }
        py.detach(|| worker.join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    (outcome, raised)
}

/// Run everything the scenario asks for (the GIL is released meanwhile).
/// Ctrl-C stops it within a fraction of a second (`KeyboardInterrupt`);
/// `progress(done, total, stage)` hears how far each stage is.
#[pyfunction]
#[pyo3(signature = (scenario, progress = None))]
fn run(py: Python<'_>, scenario: &PyScenario, progress: Option<&Bound<'_, PyAny>>) -> PyResult<PyRun> {
    let scenario = Arc::clone(&scenario.inner);
    let (outcome, raised) = supervise(py, progress, move |control| {
        let limits = plenum_run::limits_from_env()?;
        plenum_run::run_controlled(&scenario, &limits, None, control).map(|run| {
            let summary_json = serde_json::to_string(&run.summary()).expect("a summary serializes");
            PyRun { run, summary_json }
        })
    });
    if let Some(error) = raised {
        return Err(error);
    }
    outcome.map_err(|e| to_py_err(py, e))
}

/// The grid as axes: a dict or a list of (key, values) pairs; values a list,
/// a tuple, a NumPy array or a pandas Series.
fn to_axes(py: Python<'_>, origin: &str, grid: &Bound<'_, PyAny>) -> PyResult<Vec<Axis>> {
    let pairs: Vec<(String, Bound<'_, PyAny>)> = match grid.cast::<PyDict>() {
        Ok(dict) => dict.iter().map(|(k, v)| Ok((k.extract()?, v))).collect::<PyResult<_>>()?,
        Err(_) => grid.try_iter()?.map(|item| item?.extract()).collect::<PyResult<_>>()?,
    };
    pairs
        .into_iter()
        .map(|(key, values)| {
            if values.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(format!(
                    "the grid's values for {key:?} must be a list, not a string"
                )));
            }
            let at = Target { origin, path: key.clone() };
            let values = values.try_iter()?.map(|v| to_toml(py, &v?, &at)).collect::<PyResult<_>>()?;
            Ok(Axis { key, values })
        })
        .collect()
}

/// A count or seed from Python: a `ScenarioError` naming `name` when it is
/// negative or beyond 64 bits (not an `OverflowError`).
fn to_u64(py: Python<'_>, origin: &str, name: &str, value: &Bound<'_, PyAny>) -> PyResult<u64> {
    let value = plain_python(value)?.unwrap_or_else(|| value.clone());
    if !value.is_instance_of::<PyInt>() || value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an integer, not {}",
            value.get_type().name()?
        )));
    }
    value.extract::<u64>().map_err(|_| {
        let shown = value.repr().map_or_else(|_| "?".into(), |r| r.to_string());
        let message = format!("expected an integer from 0 to {}, found {shown}", u64::MAX);
        let error = plenum_scenario::ScenarioError {
            origin: origin.to_string(),
            source: Arc::from(""),
            diagnostics: vec![Diagnostic::new(name, message).at(Location::File)],
        };
        scenario_error(py, &error)
    })
}

fn to_sweep(
    py: Python<'_>,
    scenario: &Scenario,
    grid: &Bound<'_, PyAny>,
    samples: &Bound<'_, PyAny>,
    seed: Option<&Bound<'_, PyAny>>,
) -> PyResult<Sweep> {
    let origin = &scenario.document.origin;
    let axes = to_axes(py, origin, grid)?;
    let samples = to_u64(py, origin, "samples", samples)?;
    let seed = seed.map(|s| to_u64(py, origin, "seed", s)).transpose()?;
    Sweep::new(scenario, axes, samples, seed).map_err(|e| to_py_err(py, e))
}

/// Check a sweep (every grid value on the scenario, and the whole grid's
/// size against the run-size limits of the environment, as the CLI does) and
/// count it: (variants, rows).
#[pyfunction]
#[pyo3(signature = (scenario, grid, samples = None, seed = None))]
fn sweep_size(
    py: Python<'_>,
    scenario: &PyScenario,
    grid: &Bound<'_, PyAny>,
    samples: Option<&Bound<'_, PyAny>>,
    seed: Option<&Bound<'_, PyAny>>,
) -> PyResult<(usize, usize)> {
    let one = 1u64.into_pyobject(py)?.into_any();
    let sweep = to_sweep(py, &scenario.inner, grid, samples.unwrap_or(&one), seed)?;
    sweep.check(&scenario.inner).map_err(|e| to_py_err(py, e))?;
    let limits = plenum_run::limits_from_env().map_err(|e| to_py_err(py, e))?;
    sweep.check_size(&scenario.inner, &limits).map_err(|e| to_py_err(py, e))?;
    Ok((sweep.variants(), sweep.rows()))
}

/// Rows `start..stop` of a sweep as a `pyarrow.Table`, on `threads` threads
/// (default: all cores). The rows do not depend on the thread count. The
/// grid is not checked value by value again (`sweep_size` did that once):
/// a bad value still fails its rows. Ctrl-C (or a `progress` callback that
/// raises) stops the sweep: the exception is raised with the rows finished
/// so far as its `partial` attribute (a `pyarrow.Table`).
#[pyfunction]
#[pyo3(signature = (scenario, grid, samples, seed, start, stop, threads = None, progress = None))]
#[allow(clippy::too_many_arguments)] // mirrors the Python call one to one
fn sweep_rows<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    grid: &Bound<'py, PyAny>,
    samples: &Bound<'py, PyAny>,
    seed: Option<&Bound<'py, PyAny>>,
    start: usize,
    stop: usize,
    threads: Option<usize>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let sweep = to_sweep(py, &scenario.inner, grid, samples, seed)?;
    let scenario = Arc::clone(&scenario.inner);
    let (table, raised) = supervise(py, progress, move |control| {
        let evaluate = || plenum_run::sweep::evaluate_controlled(&scenario, &sweep, start..stop, control);
        match threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| RunError::failed(format!("cannot start {n} threads: {e}")))
                .and_then(|pool| pool.install(evaluate)),
            None => evaluate(),
        }
    });
    let Some(error) = raised else {
        let table = table.map_err(|e| to_py_err(py, e))?;
        return to_pyarrow(py, &table);
    };
    // Interrupted: the rows that finished go with the exception.
    let partial = match &table {
        Ok(table) => Some(to_pyarrow(py, table)?),
        Err(RunError::Interrupted(Some(stopped))) => Some(to_pyarrow(py, &stopped.partial)?),
        Err(_) => None,
    };
    if let Some(partial) = partial {
        error.value(py).setattr("partial", partial)?;
    }
    Err(error)
}

/// The built-in climates: key, name, coordinates, UTC offset, grid, source.
#[pyfunction]
fn climates(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    plenum_models::climate::builtin_sites()
        .iter()
        .map(|site| {
            let d = PyDict::new(py);
            d.set_item("key", site.key)?;
            d.set_item("name", site.name)?;
            d.set_item("latitude_deg", site.latitude_deg)?;
            d.set_item("longitude_deg", site.longitude_deg)?;
            d.set_item("elevation_m", site.elevation_m)?;
            d.set_item("utc_offset_hours", site.utc_offset_hours)?;
            d.set_item("grid", site.grid)?;
            d.set_item("source", site.source)?;
            Ok(d)
        })
        .collect()
}

/// The built-in grid carbon profiles: key, name, annual mean, UTC offset, source.
#[pyfunction]
fn grids(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    plenum_models::carbon::all_grids()
        .iter()
        .map(|grid| {
            let d = PyDict::new(py);
            d.set_item("key", grid.key)?;
            d.set_item("name", grid.name)?;
            d.set_item("annual_mean_g_per_kwh", grid.annual_mean_g_per_kwh)?;
            d.set_item("utc_offset_hours", grid.utc_offset_hours)?;
            d.set_item("source", grid.source)?;
            Ok(d)
        })
        .collect()
}

/// The names of the built-in scenarios (`Scenario.embedded(name)`).
#[pyfunction]
fn scenarios() -> Vec<&'static str> {
    plenum_scenario::embedded::SCENARIOS.iter().map(|(name, _)| *name).collect()
}

/// The module `plenum._plenum`.
#[pymodule]
fn _plenum(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyScenario>()?;
    m.add_class::<PyRun>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_size, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_rows, m)?)?;
    m.add_function(wrap_pyfunction!(_restore_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(climates, m)?)?;
    m.add_function(wrap_pyfunction!(grids, m)?)?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    let classes = make_exceptions(py)?;
    m.add("PlenumError", classes.plenum.bind(py))?;
    m.add("ScenarioError", classes.scenario.bind(py))?;
    m.add("ScenarioFileNotFoundError", classes.scenario_file_not_found.bind(py))?;
    m.add("InputError", classes.input.bind(py))?;
    m.add("InputFileNotFoundError", classes.input_file_not_found.bind(py))?;
    m.add("RunTooLargeError", classes.too_large.bind(py))?;
    m.add("UsageError", classes.usage.bind(py))?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
