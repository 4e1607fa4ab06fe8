//! The native half of the Python package `plenum` (`plenum._plenum`): the
//! scenario, a run and its tables, and sweep batches. The Python half
//! (`python/plenum/__init__.py`) wraps these in the public API and adds the
//! Ray backend, pandas and the notebook view.
//!
//! Everything that simulates releases the GIL (`Python::detach`). Tables
//! cross to Python as `pyarrow.Table`s through the Arrow C data interface
//! (arrow-pyarrow), never through Python objects row by row.

use arrow_pyarrow::IntoPyArrow;
use plenum_run::sweep::{Axis, Sweep};
use plenum_scenario::{Location, Scenario};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::path::PathBuf;
use std::sync::Arc;

create_exception!(plenum, PlenumError, PyException, "Base class of Plenum's errors.");
create_exception!(
    plenum,
    ScenarioError,
    PlenumError,
    "A scenario is wrong: the message is the diagnostic the CLI prints (file, line, field, \
     what was expected); `diagnostics` lists each problem as a dict."
);
create_exception!(
    plenum,
    InputError,
    PlenumError,
    "A data file the scenario names (weather, carbon, utilization, trace) is wrong or missing: \
     the message names the file, the line or row, and the field."
);

/// A Rust error as the Python exception of its kind.
fn to_py_err(py: Python<'_>, error: anyhow::Error) -> PyErr {
    if let Some(e) = error.downcast_ref::<plenum_scenario::ScenarioError>() {
        return scenario_error(py, e);
    }
    if let Some(e) = error.downcast_ref::<plenum_io::DataError>() {
        return InputError::new_err(e.to_string());
    }
    if let Some(e) = error.downcast_ref::<plenum_io::trace::TraceError>() {
        return InputError::new_err(e.to_string());
    }
    PlenumError::new_err(format!("{error:#}"))
}

/// `ScenarioError` with the CLI's text and a `diagnostics` list.
fn scenario_error(py: Python<'_>, error: &plenum_scenario::ScenarioError) -> PyErr {
    let err = ScenarioError::new_err(error.render(false));
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

/// A Python value as a TOML value: bool, int, float, str, list, tuple and
/// dict (string keys), nested.
fn to_toml(value: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    let wrong = || {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "{} ({}) has no TOML form: use bool, int, float, str, list or dict",
            value.repr().map_or_else(|_| "?".into(), |r| r.to_string()),
            value.get_type().name().map_or_else(|_| "?".into(), |n| n.to_string())
        ))
    };
    if value.is_instance_of::<PyBool>() {
        Ok(toml::Value::Boolean(value.extract()?))
    } else if value.is_instance_of::<PyInt>() {
        Ok(toml::Value::Integer(value.extract()?))
    } else if value.is_instance_of::<PyFloat>() {
        Ok(toml::Value::Float(value.extract()?))
    } else if value.is_instance_of::<PyString>() {
        Ok(toml::Value::String(value.extract()?))
    } else if let Ok(dict) = value.cast::<PyDict>() {
        Ok(toml::Value::Table(to_toml_table(dict)?))
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        Ok(toml::Value::Array(value.try_iter()?.map(|item| to_toml(&item?)).collect::<PyResult<_>>()?))
    } else {
        Err(wrong())
    }
}

fn to_toml_table(dict: &Bound<'_, PyDict>) -> PyResult<toml::Table> {
    dict.iter()
        .map(|(key, value)| {
            let key: String = key
                .extract()
                .map_err(|_| pyo3::exceptions::PyTypeError::new_err("scenario keys must be strings"))?;
            Ok((key, to_toml(&value)?))
        })
        .collect()
}

/// `{"dotted.key": value}` as (key, TOML value) pairs, in the dict's order.
fn to_assignments(values: &Bound<'_, PyDict>) -> PyResult<Vec<(String, toml::Value)>> {
    values.iter().map(|(key, value)| Ok((key.extract::<String>()?, to_toml(&value)?))).collect()
}

/// A validated scenario. Immutable: `with_values` returns a new one.
#[pyclass(frozen, name = "Scenario", module = "plenum")]
struct PyScenario {
    inner: Arc<Scenario>,
}

impl PyScenario {
    fn wrap(scenario: Scenario) -> PyScenario {
        PyScenario { inner: Arc::new(scenario) }
    }
}

#[pymethods]
impl PyScenario {
    /// Read and validate a scenario file (TOML).
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<PyScenario> {
        Scenario::from_path(&path).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
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
        let text = toml::to_string(&to_toml_table(tables)?)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("not a TOML document: {e}")))?;
        Scenario::from_toml_str(&text, "<dict>").map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
    }

    /// A scenario compiled into Plenum: `default` (8 MW, Ashburn VA),
    /// `ashburn-static`, `hamilton-2008`, `hamilton-2010`.
    #[staticmethod]
    #[pyo3(signature = (name = "default"))]
    fn embedded(py: Python<'_>, name: &str) -> PyResult<PyScenario> {
        plenum_scenario::embedded::load(name).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
    }

    /// This scenario with values replaced: `{"energy.pue": 1.2,
    /// "servers[0].count": 1000}`, the same paths as the CLI's `--set`.
    fn with_values(&self, py: Python<'_>, values: &Bound<'_, PyDict>) -> PyResult<PyScenario> {
        let assignments = to_assignments(values)?;
        let pairs: Vec<(&str, toml::Value)> =
            assignments.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        self.inner.with_values(&pairs).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
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

    /// The scenario's text as written (before overrides).
    #[getter]
    fn toml(&self) -> String {
        self.inner.document.source.to_string()
    }

    /// The overrides applied, as `path=value` (sorted).
    #[getter]
    fn overrides(&self) -> Vec<String> {
        self.inner.document.overrides()
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

    /// Pickling (Ray ships scenarios to workers): the text, its origin and
    /// the overrides, validated again on arrival.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, PickledScenario)> {
        let me = slf.get();
        let restore = slf.py().import("plenum._plenum")?.getattr("_restore_scenario")?;
        Ok((restore, (me.origin(), me.toml(), me.overrides())))
    }
}

/// A pickled scenario: origin, text, overrides.
type PickledScenario = (String, String, Vec<String>);

/// Rebuild a pickled scenario.
#[pyfunction]
fn _restore_scenario(
    py: Python<'_>,
    origin: &str,
    text: &str,
    overrides: Vec<String>,
) -> PyResult<PyScenario> {
    Scenario::load(origin, text, &overrides).map(PyScenario::wrap).map_err(|e| scenario_error(py, &e))
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
        .map_err(|e| PlenumError::new_err(e.to_string()))?
        .into_pyarrow(py)
}

/// Run everything the scenario asks for (the GIL is released meanwhile).
#[pyfunction]
fn run(py: Python<'_>, scenario: &PyScenario) -> PyResult<PyRun> {
    let scenario = Arc::clone(&scenario.inner);
    let outcome = py.detach(move || {
        plenum_run::run(&scenario).map(|run| {
            let summary_json = run.summary().to_string();
            PyRun { run, summary_json }
        })
    });
    outcome.map_err(|e| to_py_err(py, e))
}

/// The grid as axes: a dict or a list of (key, values) pairs.
fn to_axes(grid: &Bound<'_, PyAny>) -> PyResult<Vec<Axis>> {
    let pairs: Vec<(String, Bound<'_, PyAny>)> = match grid.cast::<PyDict>() {
        Ok(dict) => dict.iter().map(|(k, v)| Ok((k.extract()?, v))).collect::<PyResult<_>>()?,
        Err(_) => grid.try_iter()?.map(|item| item?.extract()).collect::<PyResult<_>>()?,
    };
    pairs
        .into_iter()
        .map(|(key, values)| {
            if values.is_instance_of::<PyString>() {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "the grid's values for {key:?} must be a list, not a string"
                )));
            }
            let values = values.try_iter()?.map(|v| to_toml(&v?)).collect::<PyResult<_>>()?;
            Ok(Axis { key, values })
        })
        .collect()
}

fn to_sweep(
    py: Python<'_>,
    scenario: &Scenario,
    grid: &Bound<'_, PyAny>,
    samples: u64,
    seed: Option<u64>,
) -> PyResult<Sweep> {
    let axes = to_axes(grid)?;
    Sweep::new(scenario, axes, samples, seed).map_err(|e| to_py_err(py, e))
}

/// Check a sweep (every grid value on the scenario) and count it:
/// (variants, rows).
#[pyfunction]
#[pyo3(signature = (scenario, grid, samples = 1, seed = None))]
fn sweep_size(
    py: Python<'_>,
    scenario: &PyScenario,
    grid: &Bound<'_, PyAny>,
    samples: u64,
    seed: Option<u64>,
) -> PyResult<(usize, usize)> {
    let sweep = to_sweep(py, &scenario.inner, grid, samples, seed)?;
    sweep.check(&scenario.inner).map_err(|e| to_py_err(py, e))?;
    Ok((sweep.variants(), sweep.rows()))
}

/// Rows `start..stop` of a sweep as a `pyarrow.Table`, on `threads` threads
/// (default: all cores). The rows do not depend on the thread count. The
/// grid is not checked value by value again (`sweep_size` did that once):
/// a bad value still fails its rows.
#[pyfunction]
#[pyo3(signature = (scenario, grid, samples, seed, start, stop, threads = None))]
#[allow(clippy::too_many_arguments)] // mirrors the Python call one to one
fn sweep_rows<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    grid: &Bound<'py, PyAny>,
    samples: u64,
    seed: Option<u64>,
    start: usize,
    stop: usize,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let sweep = to_sweep(py, &scenario.inner, grid, samples, seed)?;
    let scenario = Arc::clone(&scenario.inner);
    let table = py.detach(move || {
        let evaluate = || plenum_run::sweep::evaluate(&scenario, &sweep, start..stop);
        match threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(anyhow::Error::from)
                .and_then(|pool| pool.install(evaluate)),
            None => evaluate(),
        }
    });
    let table = table.map_err(|e| to_py_err(py, e))?;
    to_pyarrow(py, &table)
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
    m.add("PlenumError", py.get_type::<PlenumError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
