//! Writing a run folder: summary.json, the scenario as run, the tables
//! (Parquet, and CSV on request), sensitivity.json, and report.html, staged
//! and committed whole (`plenum_io::write::OutputDir`). Every front end that
//! writes a run folder writes it here.

use crate::{Result, RunError};
use plenum_scenario::Scenario;

/// Write a run's outputs into `out` and commit it (the folder appears whole):
/// summary.json, scenario.toml, the tables (Parquet, and CSV when `csv`),
/// sensitivity.json when given, and report.html.
pub fn write_run_folder(
    out: plenum_io::write::OutputDir,
    scenario: &Scenario,
    summary: &crate::Summary,
    tables: &[plenum_engine::DataTable],
    sensitivity: Option<&serde_json::Value>,
    csv: bool,
) -> Result<()> {
    out.write_json("summary.json", &summary.to_value())?;
    let text = scenario_as_run(scenario);
    out.write_bytes("scenario.toml", text.as_bytes())?;
    for table in tables {
        out.write_table(table, csv)?;
    }
    if let Some(rows) = sensitivity {
        out.write_json("sensitivity.json", rows)?;
    }
    let run = plenum_report::Run { summary, scenario_toml: Some(&text), tables, sensitivity };
    let html = plenum_report::render_report(&run)
        .map_err(|e| RunError::failed(format!("building the report: {e}")))?;
    out.write_bytes("report.html", html.as_bytes())?;
    out.commit()?;
    Ok(())
}

/// The scenario as run, as scenario.toml holds it (and the report reads it
/// back): the file's text, then the overrides applied to it as comments.
pub fn scenario_as_run(scenario: &Scenario) -> String {
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
    text
}
