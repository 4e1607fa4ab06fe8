//! `plenum sensitivity`: move every numeric input down and up, rank the
//! effects on cost, print them and, with `--out`, write the run folder with
//! `sensitivity.json`.

use super::{emit, load, report_warnings, scenario_file};
use crate::failure::Result;
use crate::progress::{Mode, Progress};
use crate::{Common, Format, fraction, table};
use std::path::PathBuf;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML; `-` reads stdin). Omit to use the embedded default.
    pub scenario: Option<PathBuf>,
    /// Fraction each input moves by, above 0 and below 1.
    #[arg(long, default_value_t = 0.2, value_parser = fraction)]
    pub delta: f64,
    /// Show only the largest N rows in the table.
    #[arg(long)]
    pub top: Option<usize>,
    /// Move scale inputs too (server counts), which are left out by default.
    #[arg(long)]
    pub include_scale: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Run `plenum sensitivity`.
pub fn command(args: Args) -> Result<()> {
    let Args { scenario, delta, top, include_scale, common } = args;
    let mode = Mode::from_flags(common.quiet, common.progress);
    let file = scenario.clone();
    let scenario = load(scenario.as_ref(), &common.edits)?;
    common.check_out(&scenario, scenario_file(file.as_ref()))?;
    // Every numeric input moved down and up around the whole run (its
    // workload replay included), within the run-size limits.
    let selection = plenum_engine::sensitivity::Selection { include_scale };
    let progress = Progress::start(mode, "moving inputs");
    let study = plenum_run::sensitivity::sensitivity(
        &scenario,
        delta,
        selection,
        &common.limits.limits()?,
        &progress.hook(),
    );
    progress.finish();
    let plenum_run::sensitivity::Sensitivity { rows, left_out, base } = study?;
    let rows_json = serde_json::to_value(&rows)?;
    if let Some(dir) = &common.out {
        let summary = base.summary();
        let tables: Vec<_> = base.tables().cloned().collect();
        let out = plenum_io::write::OutputDir::create(dir)?;
        plenum_run::output::write_run_folder(
            out,
            &scenario,
            &summary,
            &tables,
            Some(&rows_json),
            common.csv,
        )?;
        if mode.chatty() {
            eprintln!("results written to {} (open {})", dir.display(), dir.join("report.html").display());
        }
    }
    match common.format {
        Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&rows_json)?))?,
        Format::Table => {
            let mut text = table::sensitivity(&scenario, &base.results, &rows, delta, top);
            if !left_out.is_empty() {
                text.push_str(&format!("\nNot moved ({}):\n", left_out.len()));
                for (path, why) in &left_out {
                    text.push_str(&format!("  {path}: {why}\n"));
                }
            }
            emit(&text)?
        }
    }
    report_warnings(&base.results.warnings, common.strict)?;
    Ok(())
}
