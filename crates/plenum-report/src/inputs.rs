//! The scenario as run, read back from `scenario.toml`: the file's text with
//! the `--set` overrides that `plenum run --out` lists at its end applied
//! again, flattened to key paths for the header and for comparisons.

use crate::ReportError;
use plenum_scenario::document::Document;
use toml::{Table, Value};

/// The line `plenum run --out` writes before the overrides it applied.
const OVERRIDES_HEADING: &str = "# Overrides applied on the command line:";

/// The scenario's value tree with its overrides applied, and the overrides.
#[derive(Debug)]
pub struct ScenarioInputs {
    /// The tree.
    pub tree: Table,
    /// The overrides, as typed (`site.climate=phoenix`).
    pub overrides: Vec<String>,
    /// The keys removed (`--unset facility.capex_usd`), as key paths.
    pub removed: Vec<String>,
}

impl ScenarioInputs {
    /// The changes as command-line flags: `--unset` first, as applied.
    pub fn flags(&self) -> Vec<String> {
        let removed = self.removed.iter().map(|p| format!("--unset {p}"));
        removed.chain(self.overrides.iter().map(|o| format!("--set {o}"))).collect()
    }
}

/// Parse `scenario.toml` as written into a run folder.
pub fn parse(text: &str) -> Result<ScenarioInputs, ReportError> {
    let error = |message: String| ReportError { file: "scenario.toml", field: String::new(), message };
    let mut document = Document::parse("scenario.toml", text).map_err(|diagnostics| {
        error(format!(
            "not a valid scenario: {}",
            diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ")
        ))
    })?;
    let listed = |flag: &str| -> Vec<String> {
        text.split_once(OVERRIDES_HEADING)
            .map(|(_, rest)| {
                rest.lines()
                    .filter_map(|l| l.trim_start_matches('#').trim().strip_prefix(flag))
                    .map(|s| s.trim().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (removed, overrides) = (listed("--unset "), listed("--set "));
    for path in &removed {
        document.unset(path).map_err(|d| error(format!("`--unset {path}` does not apply: {}", d.message)))?;
    }
    for o in &overrides {
        document.set(o).map_err(|d| error(format!("override `{o}` does not apply: {}", d.message)))?;
    }
    Ok(ScenarioInputs { tree: document.tree, overrides, removed })
}

/// Every leaf of the tree as (key path, value as TOML text), in tree order.
/// Arrays of tables are indexed (`servers[0].count`); other arrays are leaves.
pub fn flatten(tree: &Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(&Value::Table(tree.clone()), String::new(), &mut out);
    out
}

fn walk(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Table(t) => {
            for (k, v) in t {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk(v, p, out);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_table) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{path}[{i}]"), out);
            }
        }
        other => out.push((path, other.to_string())),
    }
}

/// A value at a dotted key path (`site.climate`; no array indices).
pub fn get<'a>(tree: &'a Table, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let first = tree.get(parts.next()?)?;
    parts.try_fold(first, |v, k| v.get(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_listed_in_the_file_are_applied_first() {
        let text = "[facility]\ncost_usd_per_critical_w = 9.0\n\n\
                    # Overrides applied on the command line:\n#   --unset facility.cost_usd_per_critical_w\n\
                    #   --set facility.capex_usd=88e6\n";
        let s = parse(text).unwrap();
        assert_eq!(s.removed, ["facility.cost_usd_per_critical_w"]);
        assert_eq!(flatten(&s.tree), [("facility.capex_usd".to_string(), "88000000.0".to_string())]);
        assert_eq!(s.flags(), ["--unset facility.cost_usd_per_critical_w", "--set facility.capex_usd=88e6"]);
    }

    #[test]
    fn overrides_listed_in_the_file_are_applied() {
        let text = "[site]\nclimate = \"ashburn\"\n[[servers]]\nname = \"a\"\ncount = 2\n\n\
                    # Overrides applied on the command line:\n#   --set site.climate=phoenix\n\
                    #   --set servers[0].count=5\n";
        let s = parse(text).unwrap();
        assert_eq!(s.overrides, ["site.climate=phoenix", "servers[0].count=5"]);
        assert!(s.removed.is_empty());
        let flat = flatten(&s.tree);
        assert_eq!(
            flat,
            [
                ("site.climate".to_string(), "\"phoenix\"".to_string()),
                ("servers[0].name".to_string(), "\"a\"".to_string()),
                ("servers[0].count".to_string(), "5".to_string()),
            ]
        );
        assert_eq!(get(&s.tree, "site.climate").and_then(Value::as_str), Some("phoenix"));
    }

    #[test]
    fn broken_text_is_an_error_naming_the_file() {
        let e = parse("[site\n").unwrap_err();
        assert_eq!(e.file, "scenario.toml");
        assert!(e.message.contains("not a valid scenario"), "{e}");
    }
}
