//! Diagnostics about scenario input: where (file, line, column, or the
//! command-line override), which field, what was expected, and a hint.
//!
//! Checks collect every problem before reporting, so a user fixes a file in one
//! pass. [`ScenarioError`] renders them as plain `file:line:col: field: message`
//! lines, and [`ScenarioError::render`] adds source snippets through miette.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A byte span in the file, with its 1-based line and column.
    Span {
        /// Byte range in the source text.
        bytes: Range<usize>,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// A `--set` override, as the user wrote it (`energy.pue=1.2`).
    Override(String),
    /// A `--unset` removal: the key path removed (`facility.capex_usd`).
    Unset(String),
    /// The file as a whole (it could not be read, say).
    File,
}

impl Location {
    /// The location of a byte span in `source`.
    pub fn span(source: &str, bytes: Range<usize>) -> Location {
        let start = bytes.start.min(source.len());
        let before = &source[..floor_char_boundary(source, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location::Span { bytes, line, column }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Dotted path of the field (`servers[0].price_usd`); empty for the file itself.
    pub field: String,
    /// What is wrong: what was expected and what was found.
    pub message: String,
    /// A hint: a "did you mean", or what the field is for.
    pub help: Option<String>,
    /// Where it is.
    pub location: Location,
}

impl Diagnostic {
    /// A diagnostic about `field` with no location yet.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { field: field.into(), message: message.into(), help: None, location: Location::File }
    }

    /// Set the location.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = location;
        self
    }

    /// Set the field path.
    pub fn with_field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = field.into();
        self
    }

    /// Add a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    fn write_line(&self, origin: &str, f: &mut impl fmt::Write) -> fmt::Result {
        match &self.location {
            Location::Span { line, column, .. } => write!(f, "{origin}:{line}:{column}: ")?,
            Location::Override(text) => write!(f, "{origin}: --set {text}: ")?,
            Location::Unset(path) => write!(f, "{origin}: --unset {path}: ")?,
            Location::File => write!(f, "{origin}: ")?,
        }
        if !self.field.is_empty() {
            write!(f, "`{}`: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n    help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one scenario.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    /// The file (or embedded name) the problems are in.
    pub origin: String,
    /// Its text, for snippets; empty when it could not be read.
    pub source: Arc<str>,
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    /// An error about the file as a whole (unreadable, say).
    pub fn file(origin: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            origin: origin.to_string(),
            source: Arc::from(""),
            diagnostics: vec![Diagnostic::new("", message)],
        }
    }

    /// Sort by position so the report reads top to bottom.
    pub(crate) fn sorted(mut self) -> ScenarioError {
        self.diagnostics.sort_by_key(|d| match &d.location {
            Location::Span { bytes, .. } => (1, bytes.start),
            Location::Override(_) | Location::Unset(_) => (2, 0),
            Location::File => (0, 0),
        });
        self.diagnostics.dedup();
        self
    }

    /// The report with source snippets (miette's graphical handler); `color`
    /// adds ANSI colours for terminals.
    pub fn render(&self, color: bool) -> String {
        use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let mut out = format!("{}\n", self.summary_line());
        for d in &self.diagnostics {
            let mut line = String::new();
            let _ = d.write_line(&self.origin, &mut line);
            out.push_str(&line);
            out.push('\n');
            if let Location::Span { bytes, .. } = &d.location
                && !self.source.is_empty()
            {
                let label = if d.field.is_empty() { "here".to_string() } else { d.field.clone() };
                let report = miette::Report::new(
                    MietteDiagnostic::new(d.message.clone())
                        .with_label(LabeledSpan::at(bytes.clone(), label)),
                )
                .with_source_code(NamedSource::new(&self.origin, self.source.to_string()));
                let mut snippet = String::new();
                if handler.render_report(&mut snippet, report.as_ref()).is_ok() {
                    // The snippet repeats the message on its first line; keep the code frame.
                    let frame: Vec<&str> = snippet.lines().skip_while(|l| !l.contains('╭')).collect();
                    out.push_str(&frame.join("\n"));
                    out.push('\n');
                }
            }
        }
        out
    }

    fn summary_line(&self) -> String {
        let n = self.diagnostics.len();
        format!("error: {n} problem{} in {}", if n == 1 { "" } else { "s" }, self.origin)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary_line())?;
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            d.write_line(&self.origin, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(Location::span(src, 7..8), Location::Span { bytes: 7..8, line: 2, column: 2 });
        assert!(matches!(Location::span(src, 0..1), Location::Span { line: 1, column: 1, .. }));
    }
}
