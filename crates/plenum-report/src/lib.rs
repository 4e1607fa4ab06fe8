//! The report of a run: one self-contained `report.html` with a summary
//! header and one section of charts per kind of result, and the comparison of
//! two runs.
//!
//! ```
//! let scenario = plenum_scenario::embedded::load("hamilton-2010").unwrap();
//! let summary = plenum_engine::run(&scenario, &Default::default()).unwrap().summary();
//! let run = plenum_report::Run { summary: &summary, scenario_toml: None, tables: &[], sensitivity: None };
//! let html = plenum_report::render_report(&run).unwrap();
//! assert!(html.to_lowercase().starts_with("<!doctype html>") && html.contains("Cost"));
//! ```
//!
//! Rendering is a pure function of plain data ([`Run`]: the typed summary, the
//! scenario text, the tables, the sensitivity rows); the CLI reads or
//! computes that data and writes the file. The page carries everything it
//! needs inline: Vega, Vega-Lite and vega-embed (bundled at build time from
//! the npm registry, see `build.rs`), the styles, and each chart's data in
//! its Vega-Lite specification; a Content-Security-Policy forbids any
//! request, so it opens the same offline.
//!
//! Each section is one function in [`sections`] that returns `None` when the
//! run did not produce its data; adding a section is adding a function to
//! [`sections::SECTIONS`]. [`headline`] lists the figures shown in the header
//! and compared by [`compare()`], which also sets the two runs' yearly series
//! on the same axes ([`overlay`]). [`sweep`] draws a sweep's table.

mod assets;
pub mod compare;
pub mod format;
pub mod headline;
mod html;
mod inputs;
pub mod overlay;
pub mod sections;
mod spec;
mod stats;
pub mod sweep;

pub use compare::{Comparison, FigureDiff, InputDiff, compare, render_comparison};
pub use headline::{Figure, headline_figures};
pub use spec::Chart;
pub use sweep::{render_sweep, sweep_chart};

use plenum_engine::{DataTable, Summary};
use serde_json::Value;
use std::fmt;

/// What a report is made from: a run's outputs, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The run's summary (`summary.json` read back, or the run's own).
    pub summary: &'a Summary,
    /// `scenario.toml` as written by `plenum run --out` (source text, then the
    /// `--set` overrides as comments), when known.
    pub scenario_toml: Option<&'a str>,
    /// The run's tables (`hourly`, event logs).
    pub tables: &'a [DataTable],
    /// Rows of `plenum sensitivity` (`sensitivity.json`), when computed.
    pub sensitivity: Option<&'a Value>,
}

impl<'a> Run<'a> {
    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&'a DataTable> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Why a report cannot be made: a file of the run is missing something it must have.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportError {
    /// The file of the run folder the problem is in (`summary.json`, `scenario.toml`).
    pub file: &'static str,
    /// The key path or column (`cost.monthly_usd.total`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.file, self.field, self.message)
    }
}

impl std::error::Error for ReportError {}

/// Render `report.html` for a run.
pub fn render_report(run: &Run) -> Result<String, ReportError> {
    let header = sections::header(run)?;
    let mut body = Vec::new();
    for section in sections::SECTIONS {
        if let Some(s) = section(run)? {
            body.push(s);
        }
    }
    let title = format!("Plenum report: {}", header.name);
    Ok(html::page(&title, &header.html, &body))
}

/// Check that a run has what every report needs (a readable scenario.toml;
/// the summary is complete by its type), by rendering it.
pub fn validate(run: &Run) -> Result<(), ReportError> {
    render_report(run).map(|_| ())
}

/// Versions of the bundled chart libraries: (npm package, version).
pub fn bundled_libraries() -> &'static [(&'static str, &'static str)] {
    assets::VERSIONS
}

/// The browser test's driver (`js/check-report.mjs`), as the build copied it
/// beside the npm packages it installed under `OUT_DIR` (playwright-core among
/// them, which the script imports from there): run it with
/// `node BROWSER_DRIVER REPORT.html SCREENSHOT.png`.
pub const BROWSER_DRIVER: &str = concat!(env!("OUT_DIR"), "/npm/check-report.mjs");

/// Summaries for the tests.
#[cfg(test)]
pub(crate) mod fixture {
    use plenum_engine::Summary;
    use plenum_engine::results::{CostSummary, ScenarioInfo};
    use plenum_models::finance::CostLines;

    /// A summary of the cost model alone: `name`, a total of `total_usd` a
    /// month (servers 90%, energy 10%), no simulated year.
    pub fn summary(name: &str, total_usd: f64) -> Summary {
        let lines = CostLines { servers: total_usd * 0.9, energy: total_usd * 0.1, ..Default::default() };
        Summary {
            scenario: ScenarioInfo { name: name.into(), ..Default::default() },
            cost: CostSummary {
                monthly_usd: lines,
                share: lines.shares(),
                total_monthly_usd: lines.total(),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}
