//! The report's sections, one function each, in page order.
//!
//! A section function looks at the run and returns `Ok(None)` when the run
//! did not produce its data (no simulated year, no reliability study), so a
//! section appears only where it has something to show (the summary is
//! typed: what every run has is always there).
//! Adding a section: write `fn(&Run) -> Result<Option<Section>, ReportError>`
//! in a submodule and list it in [`SECTIONS`].

mod calibration;
mod carbon_aware;
mod cost;
mod data;
mod facility;
mod header;
mod liquid;
mod plan;
mod reliability;
mod training;
mod workload;

pub use cost::absent_section;
pub use header::{Header, header};

use crate::spec::Chart;
use crate::{ReportError, Run};

/// One part of the page.
#[derive(Debug, Clone)]
pub struct Section {
    /// Anchor (`cost`), unique in the page.
    pub id: &'static str,
    /// Heading.
    pub title: String,
    /// Text, tables and charts, in order.
    pub blocks: Vec<Block>,
    /// A section of charts (`class="plots"`: each must draw one); else notes.
    pub plots: bool,
}

/// A piece of a section.
#[derive(Debug, Clone)]
pub enum Block {
    /// Trusted HTML built by this crate (values escaped).
    Html(String),
    /// A chart with its caption.
    Chart(Chart),
}

/// A section-building function.
pub type SectionFn = fn(&Run) -> Result<Option<Section>, ReportError>;

/// Every section, in page order.
pub const SECTIONS: &[SectionFn] = &[
    cost::cost,
    cost::sensitivity,
    facility::pue,
    liquid::liquid,
    facility::power,
    facility::power_chain,
    facility::carbon,
    carbon_aware::carbon_aware,
    reliability::reliability,
    training::training,
    workload::workload,
    calibration::calibration,
    plan::plan,
    data::data_files,
];

/// Tiles of (label, value, unit).
pub(crate) fn tiles(items: &[(String, String, String)]) -> String {
    use crate::format::html;
    let mut out = String::from("<div class=\"tiles\">");
    for (label, value, unit) in items {
        // The number stays on one line: its length (`--chars`) caps its
        // font size at what fits the tile's width, so a long figure (a plan's
        // NPV in billions) shrinks on a narrow tile instead of wrapping or clipping.
        out.push_str(&format!(
            "<div class=\"tile\"><div class=\"label\">{}</div><div class=\"value\" style=\"--chars: {}\">{}</div><div class=\"unit\">{}</div></div>",
            html(label),
            value.chars().count().max(1),
            html(value),
            html(unit)
        ));
    }
    out.push_str("</div>\n");
    out
}

/// An HTML table: header cells, then rows of escaped text (the first column
/// left-aligned, the others right-aligned, for numbers).
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    use crate::format::html;
    let mut out = String::from("<table><thead><tr>");
    for h in header {
        out.push_str(&format!("<th>{}</th>", html(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<td>{}</td>", html(cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
    out
}

/// A paragraph of escaped text.
pub(crate) fn paragraph(text: &str) -> String {
    format!("<p class=\"note\">{}</p>\n", crate::format::html(text))
}
