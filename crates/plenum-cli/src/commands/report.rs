//! `plenum report`: rebuild report.html from a run folder without
//! simulating, or compare two run folders (printed, and as HTML with `--out`).

use super::emit;
use crate::failure::Result;
use crate::{guard, table};
use std::path::{Path, PathBuf};

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// A run folder (written by `plenum run --out DIR`).
    pub run: PathBuf,
    /// A second run folder: compare it with the first.
    pub other: Option<PathBuf>,
    /// Write the HTML here (default: RUN/report.html; with two runs the
    /// comparison is printed, and written as HTML only when this is given).
    /// An existing file is replaced only when it is HTML, or with --force.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file that is not HTML (never an input).
    #[arg(short, long)]
    pub force: bool,
}

/// Run `plenum report`.
pub fn command(args: Args) -> Result<()> {
    let Args { run, other, out, force } = args;
    match other {
        None => {
            let folder = plenum_io::run_folder::read_run_folder(&run)?;
            let target = out.unwrap_or_else(|| run.join("report.html"));
            guard::check_file(&target, guard::FileKind::Html, force, &guard::run_folder_inputs(&run))?;
            let html = plenum_report::render_report(&as_run(&folder)).map_err(|e| in_folder(&run, e))?;
            plenum_io::atomic_file::replace_file(&target, html.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", target.display()))?;
            eprintln!("report written to {}", target.display());
        }
        Some(other) => {
            let a = plenum_io::run_folder::read_run_folder(&run)?;
            let b = plenum_io::run_folder::read_run_folder(&other)?;
            for (dir, folder) in [(&run, &a), (&other, &b)] {
                plenum_report::validate(&as_run(folder)).map_err(|e| in_folder(dir, e))?;
            }
            let comparison = plenum_report::compare(&as_run(&a), &as_run(&b))
                .map_err(|e| anyhow::anyhow!("comparing {} and {}: {e}", run.display(), other.display()))?;
            if let Some(target) = &out {
                let inputs = [guard::run_folder_inputs(&run), guard::run_folder_inputs(&other)].concat();
                guard::check_file(target, guard::FileKind::Html, force, &inputs)?;
            }
            emit(&table::comparison(&comparison, &run, &other))?;
            if let Some(target) = out {
                let html = plenum_report::render_comparison(
                    &comparison,
                    &run.display().to_string(),
                    &other.display().to_string(),
                );
                plenum_io::atomic_file::replace_file(&target, html.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", target.display()))?;
                eprintln!("comparison written to {}", target.display());
            }
        }
    }
    Ok(())
}

/// A run folder as the report's input.
fn as_run(folder: &plenum_io::run_folder::RunFolder) -> plenum_report::Run<'_> {
    plenum_report::Run {
        summary: &folder.summary,
        scenario_toml: folder.scenario_toml.as_deref(),
        tables: &folder.tables,
        sensitivity: folder.sensitivity.as_ref(),
    }
}

/// A report error about a file of the run folder `dir`, as a data error (exit 2).
fn in_folder(dir: &Path, e: plenum_report::ReportError) -> plenum_io::DataError {
    plenum_io::DataError {
        file: dir.join(e.file),
        position: None,
        field: (!e.field.is_empty()).then_some(e.field),
        message: e.message,
    }
}
