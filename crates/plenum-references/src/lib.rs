//! The published figures Plenum reproduces, as data: `references.toml` (in
//! this crate) is read by the golden and reference tests, which assert
//! Plenum's figures against it, and by [`chapter_markdown`], which writes the
//! book's validation chapter from it. One file, so the table a reader sees is
//! the table the tests hold.
//!
//! ```
//! // A golden test reads its case and asserts Plenum's figures against it
//! // (`Case::check` takes every figure of the case).
//! let case = plenum_references::case("pmt");
//! let three_years = case.figures.iter().find(|f| f.name == "payment per $1, 3 years").unwrap();
//! assert!(three_years.within_tolerance(0.029_970_897_1));
//! assert!(!three_years.within_tolerance(0.0300));
//! ```
//!
//! A test computes every figure of its case and hands them to
//! [`Case::check`], which fails (listing every problem at once) when a figure
//! is outside its tolerance of the published value, when the `plenum` value
//! recorded in the file is no longer what Plenum computes (to the digits
//! recorded), or when a figure is missing on either side.

use serde::Deserialize;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The data file's text.
pub const REFERENCES_TOML: &str = include_str!("../references.toml");

/// The command that regenerates the chapter, named in failure messages.
pub const REGENERATE: &str = "cargo run -p plenum-references > docs/book/src/validation.md";

/// One source and the test that holds its figures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Short identifier the test names the case by.
    pub id: String,
    /// Heading of the case in the chapter.
    pub title: String,
    /// The publication (or peer tool) the figures come from.
    pub source: String,
    /// `path/to/file.rs::test_function` of the test that asserts the figures.
    pub test: String,
    /// Inputs and the reason for the tolerance.
    pub note: String,
    /// The figures.
    #[serde(rename = "figure")]
    pub figures: Vec<Figure>,
}

/// One published figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// What the figure is; the test names it the same way.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// The published value, as printed.
    pub published: String,
    /// Plenum's value, to the digits the test checks.
    pub plenum: String,
    /// Largest allowed |Plenum − published|, in `unit`.
    pub tolerance: Option<f64>,
    /// Largest allowed |Plenum / published − 1|.
    pub relative_tolerance: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

/// Every case, in file order.
pub fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let file: File = toml::from_str(REFERENCES_TOML).unwrap_or_else(|e| panic!("references.toml: {e}"));
        file.case
    })
}

/// The case with this id.
pub fn case(id: &str) -> &'static Case {
    cases().iter().find(|c| c.id == id).unwrap_or_else(|| panic!("references.toml has no case `{id}`"))
}

impl Figure {
    /// The published value as a number.
    pub fn published_value(&self) -> f64 {
        parse(&self.published, &self.name)
    }

    /// Whether `value` is within the tolerance of the published figure.
    pub fn within_tolerance(&self, value: f64) -> bool {
        let published = self.published_value();
        match (self.tolerance, self.relative_tolerance) {
            (Some(abs), None) => {
                (value - published).abs() <= abs * (1.0 + 1e-12) + f64::EPSILON * published.abs()
            }
            (None, Some(rel)) => (value / published - 1.0).abs() <= rel * (1.0 + 1e-9),
            _ => panic!("{}: give exactly one of `tolerance` and `relative_tolerance`", self.name),
        }
    }

    /// The tolerance as the chapter prints it.
    pub fn tolerance_text(&self) -> String {
        match (self.tolerance, self.relative_tolerance) {
            (Some(0.0), _) => "exact".into(),
            (Some(abs), _) => format!("± {}", short(abs)),
            (_, Some(rel)) => format!("± {}%", short(rel * 100.0)),
            _ => String::new(),
        }
    }
}

impl Case {
    /// Assert Plenum's figures (`(name, value)`, one per figure of the case)
    /// against the published ones and the recorded `plenum` values.
    pub fn check(&self, computed: &[(&str, f64)]) {
        let mut problems = Vec::new();
        for (name, value) in computed {
            let Some(figure) = self.figures.iter().find(|f| f.name == *name) else {
                problems.push(format!("`{name}` = {value} is computed but not in the file"));
                continue;
            };
            if !value.is_finite() || !figure.within_tolerance(*value) {
                problems.push(format!(
                    "`{name}`: Plenum gives {value}, published {} (tolerance {})",
                    figure.published,
                    figure.tolerance_text()
                ));
            }
            if !matches_recorded(&figure.plenum, *value) {
                problems.push(format!(
                    "`{name}`: Plenum gives {value}, the file records plenum = {:?}: record plenum = {:?}",
                    figure.plenum,
                    suggest(&figure.published, *value)
                ));
            }
        }
        for figure in &self.figures {
            if !computed.iter().any(|(name, _)| *name == figure.name) {
                problems.push(format!("`{}` is in the file but the test does not compute it", figure.name));
            }
        }
        assert!(
            problems.is_empty(),
            "references.toml, case `{}`:\n  {}\n(after editing the file, regenerate the chapter: {REGENERATE})",
            self.id,
            problems.join("\n  ")
        );
    }
}

/// Whether `value` rounds to the recorded digits: within half a unit of the
/// last digit written.
fn matches_recorded(recorded: &str, value: f64) -> bool {
    let Ok(number) = recorded.parse::<f64>() else { return false };
    let decimals = decimals(recorded);
    let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
    (value - number).abs() <= half_unit * (1.0 + 1e-9)
}

fn decimals(text: &str) -> usize {
    text.split_once('.').map(|(_, fraction)| fraction.len()).unwrap_or(0)
}

/// The value to record: a whole number as such, else two more digits than the
/// published figure and at least six significant ones.
fn suggest(published: &str, value: f64) -> String {
    if !published.contains('.') && value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let magnitude = if value == 0.0 { 0 } else { value.abs().log10().floor() as i32 };
    let significant = (5 - magnitude).max(0) as usize;
    format!("{:.*}", (decimals(published) + 2).max(significant), value)
}

fn parse(text: &str, name: &str) -> f64 {
    text.parse().unwrap_or_else(|_| panic!("{name}: {text:?} is not a number"))
}

/// A tolerance without float noise (`1e-8`, `0.05`, `0.0438`).
fn short(x: f64) -> String {
    if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e6) {
        format!("{x:e}")
    } else {
        format!("{}", (x * 1e6).round() / 1e6)
    }
}

/// A published or recorded number with thousands separators in its whole part.
fn grouped(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map(|r| ("−", r)).unwrap_or(("", text));
    let (whole, fraction) = rest.split_once('.').map(|(w, f)| (w, Some(f))).unwrap_or((rest, None));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    match fraction {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// The book's validation chapter.
pub fn chapter_markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# Validation\n\n\
         <!-- Generated from crates/plenum-references/references.toml by\n     \
         `cargo run -p plenum-references`; do not edit by hand. -->\n\n\
         Every published figure Plenum reproduces, with the value Plenum computes,\n\
         the tolerance allowed and the test that holds it. The table is generated\n\
         from `crates/plenum-references/references.toml`, the same file the tests\n\
         read: a test fails when a figure leaves its tolerance or when the value\n\
         printed here is no longer the one Plenum computes, and a test fails when\n\
         this page differs from what the file generates.\n\n",
    );
    let figures: usize = cases().iter().map(|c| c.figures.len()).sum();
    let _ = writeln!(out, "{} figures from {} sources:\n", figures, cases().len());
    for case in cases() {
        let _ = writeln!(out, "- [{}](#{})", case.title, case.id);
    }
    out.push('\n');
    for case in cases() {
        let (file, function) = case.test.split_once("::").unwrap_or((&case.test, ""));
        let _ = writeln!(out, "## {} {{#{}}}\n", case.title, case.id);
        let _ = writeln!(out, "Source: {}.\n", case.source.trim_end_matches('.'));
        let _ = writeln!(out, "{}\n", case.note);
        let _ = writeln!(out, "Held by `{function}` in `{file}`.\n");
        out.push_str("| figure | unit | published | Plenum | tolerance |\n|---|---|--:|--:|---|\n");
        for f in &case.figures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                f.name,
                f.unit,
                grouped(&f.published),
                grouped(&f.plenum),
                f.tolerance_text()
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_digits_are_the_digits_checked() {
        assert!(matches_recorded("2997089.71", 2_997_089.714));
        assert!(!matches_recorded("2997089.71", 2_997_089.716));
        assert!(matches_recorded("0.75", 0.7549));
        assert!(!matches_recorded("", 1.0));
    }

    #[test]
    fn tolerances_hold_at_their_edge_and_fail_beyond() {
        let figure = |tolerance, relative_tolerance| Figure {
            name: "x".into(),
            unit: "W".into(),
            published: "100".into(),
            plenum: "100".into(),
            tolerance,
            relative_tolerance,
        };
        assert!(figure(Some(1.0), None).within_tolerance(101.0));
        assert!(!figure(Some(1.0), None).within_tolerance(101.01));
        assert!(figure(None, Some(0.01)).within_tolerance(99.0));
        assert!(!figure(None, Some(0.01)).within_tolerance(98.9));
        assert!(figure(Some(0.0), None).within_tolerance(100.0));
    }

    #[test]
    fn a_figure_the_test_forgets_fails() {
        let panic = std::panic::catch_unwind(|| {
            case("cems-2009").check(&[("work per dollar, CEMS over the purpose-built server", 2.67)]);
        })
        .expect_err("the malformed input is refused");
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        assert!(message.contains("is in the file but the test does not compute it"), "{message}");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped("2997089.71"), "2,997,089.71");
        assert_eq!(grouped("-5.883952"), "−5.883952");
        assert_eq!(grouped("604800"), "604,800");
    }
}
