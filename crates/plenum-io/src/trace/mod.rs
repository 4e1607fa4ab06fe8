//! Workload traces and host topologies from the formats users already have.
//!
//! | format | reader | what a task is |
//! |---|---|---|
//! | OpenDC workload parquet (`tasks` + `fragments`) | [`opendc::read_opendc`] | a task row and its fragments |
//! | OpenDC topology JSON | [`topology::read_topology`] | (hosts, not tasks) |
//! | Bitbrains GWA-T-12 per-VM CSV | [`bitbrains::read_bitbrains`] | one file = one VM, one row = one fragment |
//! | Azure public VM trace V1 | [`azure::read_azure`] | a `vmtable` row, readings as 5-minute fragments |
//! | Standard Workload Format | [`swf::read_swf`] | one job line |
//!
//! [`load_workload`] resolves a scenario's `[workload]` into a
//! [`WorkloadInput`]: it expands `${VAR}` in paths, reads or generates the
//! trace, and reads the topology when one is named.

pub mod azure;
pub mod bitbrains;
pub mod opendc;
pub mod swf;
pub mod topology;

use crate::DataError;
use plenum_models::generators;
use plenum_models::workload::{HostGroup, Trace};
use plenum_scenario::workload::{HostSource, Workload, WorkloadSource};
use std::fmt;
use std::path::{Path, PathBuf};

/// How to read memory sizes given without a unit (OpenDC's `mem_capacity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryUnit {
    /// MiB unless the values are too large to be MiB (then KiB); the choice is noted.
    Auto,
    /// KiB.
    Kib,
    /// MiB.
    Mib,
    /// GiB.
    Gib,
}

impl MemoryUnit {
    /// Whole MiB from a value in this unit (rounded up: never less memory than asked).
    pub fn to_mib(self, value: u64) -> u64 {
        match self {
            MemoryUnit::Kib => value.div_ceil(1024),
            MemoryUnit::Mib | MemoryUnit::Auto => value,
            MemoryUnit::Gib => value.saturating_mul(1024),
        }
    }
}

/// Expand `${NAME}` (and `$NAME`) from the environment. `field` names the
/// setting in the error when a variable is unset.
pub fn expand_env(text: &str, field: &str) -> Result<PathBuf, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            let end = inner
                .find('}')
                .ok_or_else(|| format!("{field}: `${{` without a closing `}}` in {text:?}"))?;
            (&inner[..end], end + 2)
        } else {
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            (&after[..end], end)
        };
        if name.is_empty() {
            return Err(format!("{field}: `$` without a variable name in {text:?}"));
        }
        let value = std::env::var(name).map_err(|_| {
            format!(
                "{field}: environment variable {name} is not set (the path is {text:?}); \
                 set it to the folder that holds the data, e.g. `export {name}=/path/to/data`"
            )
        })?;
        out.push_str(&value);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    Ok(PathBuf::from(out))
}

/// A trace and, when the scenario names an OpenDC topology, the hosts from it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadInput {
    /// The tasks.
    pub trace: Trace,
    /// Hosts from a topology file (`None`: the scenario's `[[servers]]`).
    pub hosts: Option<Vec<HostGroup>>,
}

/// An error loading a scenario's workload.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// A path could not be resolved.
    Path(String),
    /// A file was malformed.
    Data(DataError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Path(m) => write!(f, "{m}"),
            LoadError::Data(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<DataError> for LoadError {
    fn from(e: DataError) -> Self {
        LoadError::Data(e)
    }
}

fn memory_unit(unit: plenum_scenario::workload::MemoryUnit) -> MemoryUnit {
    use plenum_scenario::workload::MemoryUnit as Written;
    match unit {
        Written::Auto => MemoryUnit::Auto,
        Written::Kib => MemoryUnit::Kib,
        Written::Mib => MemoryUnit::Mib,
        Written::Gib => MemoryUnit::Gib,
    }
}

/// Read or generate the workload a scenario names (`seed` drives generators).
pub fn load_workload(w: &Workload, seed: u64) -> Result<WorkloadInput, LoadError> {
    let path = |p: &str| expand_env(p, "workload.path").map_err(LoadError::Path);
    let trace = match &w.source {
        WorkloadSource::OpenDc { path: p, memory_unit: unit } => {
            opendc::read_opendc(&path(p)?, memory_unit(*unit))?
        }
        WorkloadSource::Bitbrains { path: p } => bitbrains::read_bitbrains(&path(p)?)?,
        WorkloadSource::Azure { path: p, core_mhz } => azure::read_azure(&path(p)?, *core_mhz)?,
        WorkloadSource::Swf { path: p, core_mhz } => swf::read_swf(&path(p)?, *core_mhz)?,
        WorkloadSource::Generated(params) => generators::vm_workload(params, seed),
        WorkloadSource::RoundRobinJobs { jobs, cycle, unit_s, core_mhz } => {
            generators::round_robin_jobs(*jobs, *cycle, *unit_s, *core_mhz)
        }
    };
    let hosts = match &w.hosts {
        HostSource::Servers { .. } => None,
        HostSource::OpenDcTopology { path: p } => {
            Some(topology::read_topology(&expand_env(p, "workload.topology").map_err(LoadError::Path)?)?)
        }
    };
    Ok(WorkloadInput { trace, hosts })
}

/// Open a file, naming it in the error.
pub(crate) fn open(path: &Path) -> Result<std::fs::File, DataError> {
    std::fs::File::open(path).map_err(|e| DataError::file(path, format!("cannot open: {e}")))
}

/// Parse a number in a text field, naming the row and column on failure.
pub(crate) fn parse_num<T: std::str::FromStr>(
    file: &Path,
    row: u64,
    column: &str,
    text: &str,
    expected: &str,
) -> Result<T, DataError> {
    text.trim().parse::<T>().map_err(|_| {
        DataError::at_row(file, row, column, format!("expected {expected}, found {:?}", text.trim()))
    })
}

/// The real-data folder for the readers' tests on real traces:
/// `PLENUM_DATA`, else `None` with the reason printed, and a failure when the
/// environment variable `CI` is set (a test that skips in CI checks nothing).
#[cfg(test)]
pub(crate) fn test_data_dir() -> Option<std::ffi::OsString> {
    let data = std::env::var_os("PLENUM_DATA");
    if data.is_none() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "PLENUM_DATA is not set, and CI is set: this test must run in CI (.ci/run provides it)"
        );
        println!("skipped: PLENUM_DATA is not set");
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_expansion_and_its_errors() {
        // SAFETY-free: tests in this module are the only readers of this variable.
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(expand_env("${HOME}/x", "f").unwrap(), PathBuf::from(format!("{home}/x")));
        assert_eq!(expand_env("$HOME/x", "f").unwrap(), PathBuf::from(format!("{home}/x")));
        assert_eq!(expand_env("plain/path", "f").unwrap(), PathBuf::from("plain/path"));
        let e = expand_env("${PLENUM_SURELY_UNSET_VAR_42}/t", "workload.path").unwrap_err();
        assert!(e.contains("workload.path") && e.contains("PLENUM_SURELY_UNSET_VAR_42 is not set"), "{e}");
        assert!(expand_env("${OPEN", "f").unwrap_err().contains("closing"));
    }

    #[test]
    fn memory_units_round_up() {
        assert_eq!(MemoryUnit::Kib.to_mib(1025), 2);
        assert_eq!(MemoryUnit::Gib.to_mib(2), 2048);
        assert_eq!(MemoryUnit::Mib.to_mib(7), 7);
    }

    #[test]
    fn error_names_file_row_and_column() {
        let e =
            DataError::at_row(Path::new("t.csv"), 7, "cpu_count", "expected a positive integer, found \"x\"");
        assert_eq!(e.to_string(), "t.csv: row 7: `cpu_count`: expected a positive integer, found \"x\"");
    }
}
