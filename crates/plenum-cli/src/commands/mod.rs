//! The subcommands, one module each: its arguments (`Args`) and the function
//! that runs it (`command`); and what they share: reading the scenario,
//! printing to stdout, printing warnings. Runs, sweeps, sensitivity, size
//! limits and run folders are plenum-run's.

pub mod calibrate;
pub mod plan;
pub mod report;
pub mod run;
pub mod schema;
pub mod sensitivity;
pub mod serve;
pub mod sweep;
pub mod validate;

use crate::Edits;
use crate::failure::{Failure, Result};
use crate::progress::{Mode, Progress};
use plenum_scenario::{Scenario, ScenarioError};
use std::path::{Path, PathBuf};

/// Print a run's warnings on stderr, one line each, after its output; with
/// `strict`, any warning is an error (exit status 3).
pub fn report_warnings(warnings: &[plenum_engine::Warning], strict: bool) -> Result<()> {
    for w in warnings {
        eprintln!("{w}");
    }
    if strict && !warnings.is_empty() {
        return Err(Failure::Strict(warnings.len()));
    }
    Ok(())
}

/// Write `text` to stdout. When the reader has gone (`plenum schema | head
/// -1`), stop quietly with status 0: what is left to print is not wanted.
pub fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

/// The scenario file the command reads (None for stdin or the embedded default).
pub fn scenario_file(path: Option<&PathBuf>) -> Option<&Path> {
    path.map(PathBuf::as_path).filter(|p| *p != Path::new("-"))
}

pub fn load(path: Option<&PathBuf>, edits: &Edits) -> Result<Scenario, ScenarioError> {
    match path {
        Some(path) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| ScenarioError::file("<stdin>", format!("cannot read: {e}")))?;
            Scenario::load_edited("<stdin>", &text, &edits.unset, &edits.set)
        }
        Some(path) => Scenario::from_path_edited(path, &edits.unset, &edits.set),
        None => {
            let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
            Scenario::load_edited("<embedded default>", text, &edits.unset, &edits.set)
        }
    }
}

/// Everything the scenario asks for (`plenum_run::run_limited`), with progress on stderr.
pub fn run_everything(
    scenario: &Scenario,
    mode: Mode,
    limits: &plenum_run::Limits,
) -> Result<plenum_run::Run> {
    let progress = Progress::start(mode, &format!("running {}", scenario.name));
    let outcome = plenum_run::run_limited(scenario, limits);
    progress.finish();
    Ok(outcome?)
}
