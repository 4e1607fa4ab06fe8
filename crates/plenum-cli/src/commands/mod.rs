//! The subcommands, one module each: its arguments (`Args`) and the function
//! that runs it (`command`); and what they share: reading the scenario,
//! printing to stdout, printing warnings, writing a run folder.

pub mod calibrate;
pub mod plan;
pub mod report;
pub mod run;
pub mod schema;
pub mod sensitivity;
pub mod sweep;
pub mod validate;

use crate::progress::{Mode, Progress};
use crate::{Edits, StrictWarnings};
use anyhow::Result;
use plenum_scenario::{Scenario, ScenarioError};
use std::path::{Path, PathBuf};

/// Print a run's warnings on stderr, one line each, after its output; with
/// `strict`, any warning is an error (exit status 3).
pub fn report_warnings(warnings: &[plenum_engine::Warning], strict: bool) -> Result<()> {
    for w in warnings {
        eprintln!("{w}");
    }
    if strict && !warnings.is_empty() {
        return Err(StrictWarnings(warnings.len()).into());
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

/// Write a run's outputs into `out` and commit it (the folder appears whole):
/// summary.json, scenario.toml, the tables (Parquet, and CSV when `csv`),
/// sensitivity.json when given, and report.html.
pub fn write_outputs(
    out: plenum_io::write::OutputDir,
    scenario: &Scenario,
    summary: &serde_json::Value,
    tables: &[plenum_engine::DataTable],
    sensitivity: Option<&serde_json::Value>,
    csv: bool,
) -> Result<()> {
    out.write_json("summary.json", summary)?;
    // The scenario as run: the file's text, then the overrides applied to it.
    let mut text = scenario.document.source.to_string();
    let overrides = scenario.document.overrides();
    let removed = scenario.document.removed();
    if !overrides.is_empty() || !removed.is_empty() {
        text.push_str("\n# Overrides applied on the command line:\n");
        for path in removed {
            text.push_str(&format!("#   --unset {path}\n"));
        }
        for o in overrides {
            text.push_str(&format!("#   --set {o}\n"));
        }
    }
    out.write_bytes("scenario.toml", text.as_bytes())?;
    for table in tables {
        out.write_table(table, csv)?;
    }
    if let Some(rows) = sensitivity {
        out.write_json("sensitivity.json", rows)?;
    }
    let run = plenum_report::Run { summary, scenario_toml: Some(&text), tables, sensitivity };
    let html = plenum_report::render_report(&run).map_err(|e| anyhow::anyhow!("building the report: {e}"))?;
    out.write_bytes("report.html", html.as_bytes())?;
    out.commit()?;
    Ok(())
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
    outcome
}
