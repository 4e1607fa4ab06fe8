//! `plenum run`: evaluate a scenario (the embedded default when no file is
//! given), print its summary as a table or JSON and, with `--out`, write the
//! run folder.

use super::{emit, load, report_warnings, scenario_file};
use crate::failure::Result;
use crate::progress::{Mode, Progress};
use crate::{Common, Format, table, workload};
use std::path::PathBuf;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML; `-` reads stdin). Omit to run the embedded default.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Run `plenum run`.
pub fn command(args: Args) -> Result<()> {
    let Args { scenario, common } = args;
    let mode = Mode::from_flags(common.quiet, common.progress);
    let file = scenario.clone();
    let scenario = load(scenario.as_ref(), &common.edits)?;
    common.check_out(&scenario, scenario_file(file.as_ref()))?;
    // With --out, the folder is staged first so that long series
    // stream into it; dropped unfinished on any error, it leaves nothing.
    let out = common.out.as_deref().map(plenum_io::write::OutputDir::create).transpose()?;
    let streams = out.as_ref().map(|out| plenum_run::Streams { out, csv: common.csv });
    let limits = common.limits.limits()?;
    let progress = Progress::start(mode, &format!("running {}", scenario.name));
    let run = plenum_run::run_streaming(&scenario, &limits, streams);
    progress.finish();
    let run = run?;
    let summary = run.summary();
    if let Some(out) = out {
        let tables: Vec<_> = run.tables().cloned().collect();
        plenum_run::output::write_run_folder(out, &scenario, &summary, &tables, None, common.csv)?;
    }
    match common.format {
        Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
        Format::Table => {
            let mut text = table::run(&scenario, &run.results);
            text.push_str(&table::notes(&scenario.notes));
            run.results.workload.iter().for_each(|w| text.push_str(&workload::table(w)));
            if let Some((p, t)) = &run.plan {
                text.push_str(&format!("\n{}", table::plan(&scenario, p, &t[0], false)));
            }
            emit(&text)?;
        }
    }
    if let Some(dir) = &common.out
        && mode.chatty()
    {
        eprintln!("results written to {} (open {})", dir.display(), dir.join("report.html").display());
    }
    report_warnings(&run.results.warnings, common.strict)?;
    Ok(())
}
