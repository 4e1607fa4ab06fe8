//! Two runs side by side: the inputs that differ (the two `scenario.toml`
//! documents, overrides applied, compared key path by key path), then every
//! headline figure of either run with the difference B − A, then both runs'
//! charts on the same axes (monthly cost by line; the year's series, [`crate::overlay`]).

use crate::format::{self, html as esc};
use crate::headline::{self, Figure, figure_value};
use crate::inputs::{self, flatten};
use crate::sections::{Block, Section, table};
use crate::spec::{Chart, WIDTH};
use crate::stats::round;
use crate::{ReportError, Run};
use serde_json::{Value, json};

/// One input that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct InputDiff {
    /// Key path (`site.climate`, `servers[0].count`).
    pub path: String,
    /// Value in A as TOML, `None` when A does not set it.
    pub a: Option<String>,
    /// Value in B.
    pub b: Option<String>,
}

/// One headline figure in both runs.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureDiff {
    /// The figure (its value is A's, or B's when A lacks it).
    pub figure: Figure,
    /// Value in A.
    pub a: Option<f64>,
    /// Value in B.
    pub b: Option<f64>,
}

impl FigureDiff {
    fn text(&self, v: Option<f64>) -> String {
        v.map_or("—".to_string(), |v| Figure { value: v, ..self.figure.clone() }.text())
    }

    /// A's value as text.
    pub fn a_text(&self) -> String {
        self.text(self.a)
    }

    /// B's value as text.
    pub fn b_text(&self) -> String {
        self.text(self.b)
    }

    /// B − A, when both exist.
    pub fn difference(&self) -> Option<f64> {
        Some(self.b? - self.a?)
    }

    /// B − A as text, with sign.
    pub fn difference_text(&self) -> String {
        self.difference().map_or("—".to_string(), |d| self.figure.difference_text(d))
    }

    /// (B − A) / A as a signed percentage, when both exist and A is not 0.
    pub fn relative_text(&self) -> String {
        match (self.a, self.b) {
            (Some(a), Some(b)) if a != 0.0 => {
                let r = (b - a) / a.abs();
                let t = format::percent(r, 2);
                if r > 0.0 { format!("+{t}") } else { t }
            }
            _ => "—".to_string(),
        }
    }
}

/// The comparison of two runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Scenario names of A and B.
    pub names: (String, String),
    /// Inputs that differ; `None` when a run has no scenario.toml.
    pub inputs: Option<Vec<InputDiff>>,
    /// Every headline figure of either run, in headline order.
    pub figures: Vec<FigureDiff>,
    /// The two runs' yearly series on the same axes ([`crate::overlay`]).
    pub overlays: Vec<Chart>,
}

/// The two runs' names, told apart when the scenarios share a name: each
/// followed by its command-line overrides (or "as in its file").
fn distinct_names(a: &Run, b: &Run, na: String, nb: String) -> (String, String) {
    if na != nb {
        return (na, nb);
    }
    let flags =
        |r: &Run| r.scenario_toml.and_then(|t| inputs::parse(t).ok()).map(|s| s.flags()).unwrap_or_default();
    let (fa, fb) = (flags(a), flags(b));
    if fa == fb {
        return (format!("{na} (A)"), format!("{nb} (B)"));
    }
    let label = |name: String, f: Vec<String>| {
        if f.is_empty() { format!("{name}, as in its file") } else { format!("{name} with {}", f.join(" ")) }
    };
    (label(na, fa), label(nb, fb))
}

/// Compare run A with run B.
pub fn compare(a: &Run, b: &Run) -> Result<Comparison, ReportError> {
    let name = |r: &Run| r.summary.scenario.name.clone();
    let inputs = match (a.scenario_toml, b.scenario_toml) {
        (Some(ta), Some(tb)) => {
            let (fa, fb) = (flatten(&inputs::parse(ta)?.tree), flatten(&inputs::parse(tb)?.tree));
            let mut paths: Vec<&String> = fa.iter().map(|(p, _)| p).collect();
            paths.extend(fb.iter().map(|(p, _)| p).filter(|p| !fa.iter().any(|(q, _)| q == *p)));
            let find =
                |f: &[(String, String)], p: &str| f.iter().find(|(q, _)| q == p).map(|(_, v)| v.clone());
            Some(
                paths
                    .into_iter()
                    .filter_map(|p| {
                        let (va, vb) = (find(&fa, p), find(&fb, p));
                        (va != vb).then(|| InputDiff { path: p.clone(), a: va, b: vb })
                    })
                    .collect(),
            )
        }
        _ => None,
    };
    let (fa, fb) = (headline::headline_figures(a.summary), headline::headline_figures(b.summary));
    let mut figures: Vec<FigureDiff> = fa
        .iter()
        .map(|f| FigureDiff { figure: f.clone(), a: Some(f.value), b: figure_value(b.summary, f.key) })
        .collect();
    for f in fb.iter().filter(|f| !fa.iter().any(|g| g.key == f.key)) {
        let position = fb.iter().position(|g| g.key == f.key).unwrap_or(0);
        // Keep headline order: insert after the last figure that precedes it in B.
        let at = fb[..position]
            .iter()
            .rev()
            .find_map(|g| figures.iter().position(|d| d.figure.key == g.key))
            .map_or(0, |i| i + 1);
        figures.insert(at, FigureDiff { figure: f.clone(), a: None, b: Some(f.value) });
    }
    let names = distinct_names(a, b, name(a), name(b));
    let overlays = crate::overlay::overlays(a, b, &names);
    Ok(Comparison { names, inputs, figures, overlays })
}

/// The comparison as a self-contained HTML page (`a_label`, `b_label`: the
/// run folders, as given).
pub fn render_comparison(comparison: &Comparison, a_label: &str, b_label: &str) -> String {
    let (na, nb) = &comparison.names;
    let mut header = format!(
        "<header>\n<h1>Comparison: {} and {}</h1>\n<p class=\"lede\">A = {} ({}), B = {} ({}). Differences are B − A.</p>\n</header>\n",
        esc(na),
        esc(nb),
        esc(a_label),
        esc(na),
        esc(b_label),
        esc(nb)
    );
    header.push('\n');
    let inputs_html = match &comparison.inputs {
        Some(diffs) if diffs.is_empty() => {
            crate::sections::paragraph("The two scenarios have the same inputs.")
        }
        Some(diffs) => {
            let rows: Vec<Vec<String>> = diffs
                .iter()
                .map(|d| {
                    vec![
                        d.path.clone(),
                        d.a.clone().unwrap_or_else(|| "(not set)".into()),
                        d.b.clone().unwrap_or_else(|| "(not set)".into()),
                    ]
                })
                .collect();
            table(&["Input", "A", "B"], &rows)
        }
        None => crate::sections::paragraph("A run folder has no scenario.toml: inputs cannot be compared."),
    };
    let rows: Vec<Vec<String>> = comparison
        .figures
        .iter()
        .map(|f| {
            let label = if f.figure.unit.is_empty() {
                f.figure.label.to_string()
            } else {
                format!("{} ({})", f.figure.label, f.figure.unit)
            };
            vec![label, f.a_text(), f.b_text(), f.difference_text(), f.relative_text()]
        })
        .collect();
    let mut sections = vec![
        Section {
            id: "inputs",
            title: "Inputs that differ".into(),
            blocks: vec![Block::Html(inputs_html)],
            plots: false,
        },
        Section {
            id: "figures",
            title: "Headline figures".into(),
            blocks: vec![Block::Html(table(&["Figure", "A", "B", "B − A", "(B − A) / A"], &rows))],
            plots: false,
        },
    ];
    let cost_rows: Vec<Value> = comparison
        .figures
        .iter()
        .filter(|f| f.figure.key.starts_with("cost.monthly_usd.") && f.figure.key != "cost.monthly_usd.total")
        .flat_map(|f| {
            [("A", f.a), ("B", f.b)].into_iter().filter_map(move |(run, v)| {
                v.map(|v| json!({"line": f.figure.label, "run": format!("{run}: {}", if run == "A" { na } else { nb }), "usd": round(v, 0)}))
            })
        })
        .collect();
    if !cost_rows.is_empty() {
        let spec = json!({
            "width": WIDTH - 300, "height": {"step": 14},
            "data": {"values": cost_rows},
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "line", "type": "nominal", "title": null, "sort": null, "axis": {"labelLimit": 220}},
                "yOffset": {"field": "run", "type": "nominal"},
                "x": {"field": "usd", "type": "quantitative", "title": "Cost, USD per month", "axis": {"format": "$.2s"}},
                "color": {"field": "run", "type": "nominal", "title": "Run", "scale": {"range": crate::overlay::RUN_COLOURS}},
                "tooltip": [{"field": "line", "title": "Line"}, {"field": "run", "title": "Run"}, {"field": "usd", "title": "USD per month", "format": "$,.0f"}]
            }
        });
        sections.push(Section {
            id: "cost",
            title: "Monthly cost by line".into(),
            blocks: vec![Block::Chart(Chart::new(
                spec,
                "Monthly cost of ownership by line (y axis) for run A and run B (colour), in USD per month (x axis).",
            ))],
            plots: true,
        });
    }
    if !comparison.overlays.is_empty() {
        sections.push(Section {
            id: "year",
            title: "Over the year, A and B".into(),
            blocks: comparison.overlays.iter().cloned().map(Block::Chart).collect(),
            plots: true,
        });
    }
    crate::html::page(&format!("Plenum comparison: {na} and {nb}"), &header, &sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(name: &str, total: f64, pue: Option<f64>) -> plenum_engine::Summary {
        let mut s = crate::fixture::summary(name, total);
        s.pue = pue.map(|annual| plenum_engine::facility::PueSummary {
            annual,
            min_hourly: 1.0,
            max_hourly: 2.0,
        });
        s
    }

    #[test]
    fn inputs_and_figures_are_diffed() {
        let (sa, sb) = (summary("a", 100.0, Some(1.3)), summary("b", 110.0, None));
        let ta = "[scenario]\nname = \"a\"\n[site]\nclimate = \"ashburn\"\n";
        let tb = "[scenario]\nname = \"a\"\n[site]\nclimate = \"ashburn\"\ngrid = \"pjm\"\n\n\
                  # Overrides applied on the command line:\n#   --set site.climate=phoenix\n";
        let a = Run { summary: &sa, scenario_toml: Some(ta), tables: &[], sensitivity: None };
        let b = Run { summary: &sb, scenario_toml: Some(tb), tables: &[], sensitivity: None };
        let c = compare(&a, &b).unwrap();
        assert_eq!(
            c.inputs.as_deref().unwrap(),
            [
                InputDiff {
                    path: "site.climate".into(),
                    a: Some("\"ashburn\"".into()),
                    b: Some("\"phoenix\"".into())
                },
                InputDiff { path: "site.grid".into(), a: None, b: Some("\"pjm\"".into()) },
            ]
        );
        let total = &c.figures[0];
        assert_eq!((total.a_text(), total.b_text()), ("$100.00".to_string(), "$110.00".to_string()));
        assert_eq!(
            (total.difference_text(), total.relative_text()),
            ("+$10.00".to_string(), "+10.00%".to_string())
        );
        let pue = c.figures.iter().find(|f| f.figure.key == "pue.annual").unwrap();
        assert_eq!((pue.b, pue.difference_text()), (None, "—".to_string()));
        let page = render_comparison(&c, "runs/a", "runs/b");
        assert!(page.contains("site.climate") && page.contains("+10.00%") && page.contains("runs/b"));
    }

    #[test]
    fn runs_of_one_scenario_are_named_apart() {
        let (sa, sb) = (summary("site", 100.0, None), summary("site", 110.0, None));
        let ta = "[scenario]\nname = \"site\"\n[energy]\npue = 1.2\n";
        let tb = "[scenario]\nname = \"site\"\n[energy]\npue = 1.2\n\n\
                  # Overrides applied on the command line:\n#   --set energy.pue=1.4\n";
        let a = Run { summary: &sa, scenario_toml: Some(ta), tables: &[], sensitivity: None };
        let b = Run { summary: &sb, scenario_toml: Some(tb), tables: &[], sensitivity: None };
        let c = compare(&a, &b).unwrap();
        assert_eq!(
            c.names,
            ("site, as in its file".to_string(), "site with --set energy.pue=1.4".to_string())
        );
        let same = compare(&a, &a).unwrap();
        assert_ne!(same.names.0, same.names.1);
    }

    #[test]
    fn figures_only_in_b_keep_headline_order() {
        let (sa, sb) = (summary("a", 100.0, None), summary("b", 100.0, Some(1.2)));
        let a = Run { summary: &sa, scenario_toml: None, tables: &[], sensitivity: None };
        let b = Run { summary: &sb, scenario_toml: None, tables: &[], sensitivity: None };
        let c = compare(&a, &b).unwrap();
        let keys: Vec<&str> = c.figures.iter().map(|f| f.figure.key).collect();
        let at = |key: &str| keys.iter().position(|k| *k == key).unwrap();
        assert!(at("cost.monthly_usd.maintenance") + 1 == at("pue.annual"), "{keys:?}");
        assert_eq!(c.figures[at("pue.annual")].a, None);
        assert!(c.figures[..at("pue.annual")].iter().all(|f| f.a.is_some() && f.b.is_some()));
        assert!(c.inputs.is_none());
    }
}
