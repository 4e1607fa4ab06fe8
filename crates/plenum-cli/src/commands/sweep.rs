//! `plenum sweep`: run a scenario over a grid of values and seeds, write the
//! table (Parquet or CSV) and print the varied inputs with the headline figures.

use super::{emit, load, scenario_file};
use crate::failure::Failure;
use crate::failure::Result;
use crate::progress::{Mode, Progress};
use crate::{Edits, LimitArgs, guard, table};
use std::path::PathBuf;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML; `-` reads stdin). Omit to use the embedded default.
    pub scenario: Option<PathBuf>,
    /// A grid key and its values: `--vary site.climate=ashburn,phoenix`
    /// (repeatable; every combination runs, the last key fastest).
    #[arg(long = "vary", value_name = "KEY=A,B,...", required = true)]
    pub vary: Vec<String>,
    /// Seeds per variant: sample j runs with seed + j.
    #[arg(long, default_value_t = 1)]
    pub samples: u64,
    /// Seed of sample 0 (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The table to write: `.parquet` or `.csv` (replaced whole or not at
    /// all; an existing file only when it is of that kind, or with --force).
    #[arg(short, long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace an existing --out file of another kind (never an input).
    #[arg(short, long)]
    pub force: bool,
    #[command(flatten)]
    pub edits: Edits,
    /// Print no progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Run `plenum sweep`.
pub fn command(args: Args) -> Result<()> {
    let Args { scenario, vary, samples, seed, out, force, edits, quiet, limits } = args;
    let file = scenario.clone();
    let scenario = load(scenario.as_ref(), &edits)?;
    let inputs = guard::scenario_inputs(&scenario, scenario_file(file.as_ref()));
    let kind = guard::FileKind::from_extension(&out).ok_or_else(|| {
        Failure::Usage(format!(
            "--out {}: name a .parquet or a .csv file (the extension picks the format)",
            out.display()
        ))
    })?;
    guard::check_file(&out, kind, force, &inputs)?;
    let axes = vary.iter().map(|v| plenum_run::sweep::Axis::parse(v)).collect::<Result<Vec<_>, _>>()?;
    let sweep = plenum_run::sweep::Sweep::new(&scenario, axes, samples, seed)?;
    sweep.check(&scenario)?;
    sweep.check_size(&scenario, &limits.limits()?)?;
    let mode = Mode::from_flags(quiet, false);
    let progress = Progress::start(
        mode,
        &format!("sweeping {} ({})", scenario.name, table::count(sweep.rows() as u64, "row", "rows")),
    );
    let table = plenum_run::sweep::evaluate(&scenario, &sweep, 0..sweep.rows());
    progress.finish();
    let table = table?;
    let bytes = match kind {
        guard::FileKind::Csv => plenum_io::write::csv_bytes(&table)?,
        _ => plenum_io::write::parquet_bytes(&table)?,
    };
    plenum_io::atomic_file::replace_file(&out, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    let keys: Vec<String> = sweep.axes.iter().map(|a| a.key.clone()).collect();
    emit(&table::sweep(&table, &keys, samples))?;
    if mode.chatty() {
        eprintln!(
            "{} ({} x {}), {} written to {}",
            table::count(table.rows() as u64, "row", "rows"),
            table::count(sweep.variants() as u64, "variant", "variants"),
            table::count(samples, "sample", "samples"),
            table::count(table.columns.len() as u64, "column", "columns"),
            out.display()
        );
    }
    Ok(())
}
