//! `plenum plan`: capacity over years for a scenario with a `[plan]` table,
//! printed year by year (or month by month) and, with `--out`, the run folder.

use super::{emit, load, report_warnings, run_everything, scenario_file};
use crate::failure::Result;
use crate::progress::Mode;
use crate::{Common, Format, table};
use plenum_scenario::ScenarioError;
use std::path::PathBuf;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file with a `[plan]` table (`-` reads stdin).
    pub scenario: PathBuf,
    /// Print every month instead of every year.
    #[arg(long)]
    pub monthly: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Run `plenum plan`.
pub fn command(args: Args) -> Result<()> {
    let Args { scenario, monthly, common } = args;
    let mode = Mode::from_flags(common.quiet, common.progress);
    let file = scenario.clone();
    let scenario = load(Some(&scenario), &common.edits)?;
    if scenario.plan.is_none() {
        return Err(ScenarioError::file(
            &scenario.document.origin,
            "has no [plan] table: `plenum plan` needs one (see scenarios/plan-*.toml)",
        )
        .into());
    }
    common.check_out(&scenario, scenario_file(Some(&file)))?;
    let run = run_everything(&scenario, mode, &common.limits.limits()?)?;
    let (p, plan_tables) = run.plan.as_ref().expect("the scenario has a plan");
    let summary = run.summary();
    if let Some(dir) = &common.out {
        let tables: Vec<_> = run.tables().cloned().collect();
        let out = plenum_io::write::OutputDir::create(dir)?;
        plenum_run::output::write_run_folder(out, &scenario, &summary, &tables, None, common.csv)?;
    }
    match common.format {
        Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
        Format::Table => emit(&table::plan(&scenario, p, &plan_tables[0], monthly))?,
    }
    report_warnings(&run.results.warnings, common.strict)?;
    Ok(())
}
