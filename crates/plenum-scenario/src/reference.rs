//! The scenario reference in Markdown, generated from the JSON Schema that
//! [`crate::json_schema`] derives from the raw types ([`crate::raw`]).
//!
//! Every table of the format gets a section (headed by its TOML path) listing
//! each key with its type, unit, default, bounds or allowed values and its doc
//! comment, so the reference cannot disagree with the code: the book's
//! `reference/scenario.md` is this text (`plenum schema --markdown`), and a
//! test fails when the committed copy differs.
//!
//! Units come from the key name's suffix (`_kw`, `_usd`, `_c`, `_hours`, ...),
//! the project's convention for every quantity; a key without one is a pure
//! number, a count, a name or a choice, which its description says.

use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Unit of a key from its name's suffix, the longest matching suffix first.
const UNIT_SUFFIXES: &[(&str, &str)] = &[
    ("_usd_per_mw_month", "USD per MW-month"),
    ("_usd_per_kwh_by_hour", "USD/kWh"),
    ("_usd_per_kwh", "USD/kWh"),
    ("_usd_per_critical_w", "USD per W of critical power"),
    ("_t_per_mw", "tCO2e per MW"),
    ("_kgco2e", "kgCO2e"),
    ("_mib_per_cpu", "MiB per CPU"),
    ("_annual_fraction", "fraction of capital a year"),
    ("_per_month", "per month"),
    ("_annual", "per year"),
    ("_usd", "USD"),
    ("_kw", "kW"),
    ("_mw", "MW"),
    ("_w", "W"),
    ("_c", "°C"),
    ("_k", "K"),
    ("_hours", "h"),
    ("_ms", "ms"),
    ("_s", "s"),
    ("_years", "years"),
    ("_months", "months"),
    ("_month", "month (0 = the first)"),
    ("_gib", "GiB"),
    ("_mib", "MiB"),
    ("_mhz", "MHz"),
    ("_gbps", "Gb/s"),
    ("_fraction", "fraction (0-1)"),
    ("_probability", "probability (0-1)"),
    ("_percentile", "percentile (0-100)"),
    ("_ratio", "ratio"),
];

/// The unit a key's name declares, or `None` for counts, names and pure numbers.
pub fn unit_of_key(key: &str) -> Option<&'static str> {
    UNIT_SUFFIXES.iter().find(|(suffix, _)| key.ends_with(suffix)).map(|(_, unit)| *unit)
}

/// The whole reference page, from the scenario schema.
pub fn markdown() -> String {
    markdown_for(crate::json_schema())
}

/// The reference page for any schema of the shape `schemars` emits for the raw types.
pub fn markdown_for(schema: &Json) -> String {
    let mut generator = Generator { root: schema, sections: Vec::new(), paths: BTreeMap::new() };
    let root = generator.resolve(schema);
    generator.collect(root, "", false);
    generator.render()
}

/// One table of the format: where it is written and its schema.
struct Section<'a> {
    path: String,
    array: bool,
    schema: &'a Json,
    /// The `$defs` name of the type, when the same type is used at several paths.
    definition: Option<String>,
}

struct Generator<'a> {
    root: &'a Json,
    sections: Vec<Section<'a>>,
    /// Every path at which a `$defs` type appears, in walk order.
    paths: BTreeMap<String, Vec<String>>,
}

impl<'a> Generator<'a> {
    fn resolve(&self, schema: &'a Json) -> &'a Json {
        let mut schema = schema;
        loop {
            if let Some(target) = definition_name(schema).and_then(|name| self.definition(name)) {
                schema = target;
            } else if let Some(live) = non_null_branch(schema) {
                schema = live;
            } else {
                return schema;
            }
        }
    }

    fn definition(&self, name: &str) -> Option<&'a Json> {
        self.root.get("$defs").and_then(|d| d.get(name))
    }

    /// The `$defs` name a property refers to (through `anyOf [T, null]` and arrays).
    fn referenced_definition(&self, schema: &'a Json) -> Option<String> {
        let mut schema = schema;
        loop {
            if let Some(name) = definition_name(schema) {
                return Some(name.to_string());
            } else if let Some(live) = non_null_branch(schema) {
                schema = live;
            } else if let Some(items) = schema.get("items") {
                schema = items;
            } else {
                return None;
            }
        }
    }

    /// Walk the tables depth first, recording one section per table type
    /// (the first path it appears at) and every path of each type.
    fn collect(&mut self, schema: &'a Json, path: &str, array: bool) {
        self.sections.push(Section { path: path.to_string(), array, schema, definition: None });
        let Some(properties) = properties(schema) else { return };
        for (key, property) in properties {
            let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            let Some((table, child_array)) = self.table_of(property) else { continue };
            let definition = self.referenced_definition(property);
            if let Some(name) = &definition {
                let seen = self.paths.entry(name.clone()).or_default();
                seen.push(child_path.clone());
                if seen.len() > 1 {
                    continue;
                }
            }
            let index = self.sections.len();
            self.collect(table, &child_path, child_array);
            self.sections[index].definition = definition;
        }
    }

    /// The table schema a property holds (and whether as an array of tables).
    fn table_of(&self, property: &'a Json) -> Option<(&'a Json, bool)> {
        let resolved = self.resolve(property);
        if is_type(resolved, "object") {
            return Some((resolved, false));
        }
        if is_type(resolved, "array") {
            let items = self.resolve(resolved.get("items")?);
            if is_type(items, "object") {
                return Some((items, true));
            }
        }
        None
    }

    fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# Scenario reference\n\n\
             <!-- Generated by `plenum schema --markdown` from the scenario types\n     \
             (crates/plenum-scenario/src/raw); do not edit by hand. -->\n\n\
             Every table and key of a scenario file, generated from the JSON Schema\n\
             that `plenum schema` prints, itself derived from the types the parser\n\
             reads into: a key listed here is a key Plenum accepts, with the type,\n\
             bounds and default it checks. The unit is the one the key's name\n\
             declares (`_kw`, `_usd`, `_c`, `_hours`, ...). \"required\" keys must be\n\
             given whenever their table is; a key with neither a default nor\n\
             \"required\" is optional and its description says what its absence means.\n\
             Cross-field rules (either this key or that one, idle power at most peak\n\
             power, ...) are checked after these and reported the same way, with file,\n\
             line and field.\n\n",
        );
        out.push_str("Tables:\n\n");
        for section in &self.sections[1..] {
            let _ = writeln!(out, "- [{}](#{})", heading(section), anchor(&section.path));
        }
        out.push('\n');
        for section in &self.sections {
            self.render_section(section, &mut out);
        }
        out
    }

    fn render_section(&self, section: &Section<'a>, out: &mut String) {
        if section.path.is_empty() {
            out.push_str("## The file {#top-level}\n\n");
        } else {
            let _ = writeln!(out, "## {} {{#{}}}\n", heading(section), anchor(&section.path));
        }
        if let Some(text) = section.schema.get("description").and_then(Json::as_str) {
            let _ = writeln!(out, "{}\n", paragraphs(text));
        }
        if let Some(name) = &section.definition {
            let others: Vec<String> = self.paths[name].iter().skip(1).map(|p| format!("`{p}`")).collect();
            if !others.is_empty() {
                let _ = writeln!(out, "The same keys are written at {}.\n", others.join(", "));
            }
        }
        let Some(properties) = properties(section.schema) else { return };
        let required: Vec<&str> = section
            .schema
            .get("required")
            .and_then(Json::as_array)
            .map(|r| r.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        out.push_str("| key | type | unit | default | values | description |\n|---|---|---|---|---|---|\n");
        for (key, property) in properties {
            let resolved = self.resolve(property);
            let child_path =
                if section.path.is_empty() { key.clone() } else { format!("{}.{key}", section.path) };
            let type_cell = match self.table_of(property) {
                Some((_, array)) => {
                    let target = self
                        .referenced_definition(property)
                        .and_then(|name| self.paths.get(&name).and_then(|p| p.first()).cloned())
                        .unwrap_or(child_path);
                    let noun = if array { "list of tables" } else { "table" };
                    format!("{noun}, see [`{target}`](#{})", anchor(&target))
                }
                None => type_name(resolved),
            };
            let unit = unit_of_key(key).unwrap_or("");
            let default = if required.contains(&key.as_str()) {
                "**required**".to_string()
            } else {
                property
                    .get("default")
                    .or_else(|| resolved.get("default"))
                    .map(show_default)
                    .unwrap_or_default()
            };
            let description = property
                .get("description")
                .or_else(|| resolved.get("description"))
                .and_then(Json::as_str)
                .map(cell)
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{key}` | {type_cell} | {unit} | {default} | {} | {description} |",
                values(resolved)
            );
        }
        out.push('\n');
    }
}

fn definition_name(schema: &Json) -> Option<&str> {
    schema.get("$ref").and_then(Json::as_str).and_then(|r| r.strip_prefix("#/$defs/"))
}

/// `T` of an `anyOf [T, null]` (how `Option<T>` of a struct or enum appears).
fn non_null_branch(schema: &Json) -> Option<&Json> {
    let branches = schema.get("anyOf").or_else(|| schema.get("oneOf"))?.as_array()?;
    let live: Vec<&Json> =
        branches.iter().filter(|b| b.get("type").and_then(Json::as_str) != Some("null")).collect();
    (live.len() == 1).then(|| live[0])
}

fn properties(schema: &Json) -> Option<&Map<String, Json>> {
    schema.get("properties").and_then(Json::as_object)
}

/// The schema's types other than `null`.
fn types(schema: &Json) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    }
}

fn is_type(schema: &Json, name: &str) -> bool {
    types(schema).contains(&name)
}

fn type_name(schema: &Json) -> String {
    if schema.get("enum").is_some() {
        return "string".into();
    }
    let noun = |t: &str| match t {
        "number" => "number",
        "integer" => "integer",
        "string" => "string",
        "boolean" => "boolean",
        "object" => "table",
        "array" => "list",
        _ => "value",
    };
    match types(schema).first() {
        Some(&"array") => {
            let item = schema.get("items").map(type_name).unwrap_or_else(|| "value".into());
            format!("list of {item}s")
        }
        Some(t) => noun(t).to_string(),
        None => "value".into(),
    }
}

/// Bounds, lengths and allowed values, as a reader writes them.
fn values(schema: &Json) -> String {
    if let Some(options) = schema.get("enum").and_then(Json::as_array) {
        let list: Vec<String> = options.iter().map(|o| format!("`{}`", show_plain(o))).collect();
        return list.join(", ");
    }
    let bound = |name: &str| schema.get(name).and_then(Json::as_f64);
    let mut parts = Vec::new();
    let lower = bound("minimum").map(|x| ("≥", x)).or_else(|| bound("exclusiveMinimum").map(|x| (">", x)));
    let upper = bound("maximum").map(|x| ("≤", x)).or_else(|| bound("exclusiveMaximum").map(|x| ("<", x)));
    if let Some((op, x)) = lower {
        parts.push(format!("{op} {}", number(x)));
    }
    if let Some((op, x)) = upper {
        parts.push(format!("{op} {}", number(x)));
    }
    if let Some(min) = schema.get("minLength").and_then(Json::as_u64).filter(|m| *m > 0) {
        parts.push(if min == 1 { "non-empty".into() } else { format!("at least {min} characters") });
    }
    if is_type(schema, "array") {
        match (schema.get("minItems").and_then(Json::as_u64), schema.get("maxItems").and_then(Json::as_u64)) {
            (Some(lo), Some(hi)) if lo == hi => parts.push(format!("exactly {lo} entries")),
            (Some(lo), _) if lo > 0 => parts.push(format!("at least {lo}")),
            _ => {}
        }
    }
    parts.join(", ")
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

fn show_plain(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.as_f64().map(number).unwrap_or_else(|| n.to_string()),
        other => other.to_string(),
    }
}

fn show_default(value: &Json) -> String {
    match value {
        Json::String(s) => format!("`\"{s}\"`"),
        Json::Null => String::new(),
        other => format!("`{}`", show_plain(other)),
    }
}

/// A doc comment as one table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A doc comment as Markdown paragraphs (its blank lines kept, lines joined).
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `[servers]` for a table, `[[servers]]` for an array of tables.
fn heading(section: &Section<'_>) -> String {
    if section.array { format!("`[[{}]]`", section.path) } else { format!("`[{}]`", section.path) }
}

/// The heading id of a table path: `power_chain.stages` → `power_chain-stages`.
fn anchor(path: &str) -> String {
    if path.is_empty() { "top-level".into() } else { path.replace('.', "-") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_come_from_the_longest_suffix() {
        assert_eq!(unit_of_key("critical_power_kw"), Some("kW"));
        assert_eq!(unit_of_key("price_usd_per_kwh"), Some("USD/kWh"));
        assert_eq!(unit_of_key("cost_usd_per_critical_w"), Some("USD per W of critical power"));
        assert_eq!(unit_of_key("facility_annual_fraction"), Some("fraction of capital a year"));
        assert_eq!(unit_of_key("supply_air_c"), Some("°C"));
        assert_eq!(unit_of_key("mttr_hours"), Some("h"));
        assert_eq!(unit_of_key("count"), None);
    }

    #[test]
    fn every_section_and_key_of_the_schema_is_listed() {
        let page = markdown();
        for heading in [
            "## `[scenario]`",
            "## `[[servers]]`",
            "## `[network.leaf_spine]`",
            "## `[[power_chain.stages]]`",
        ] {
            assert!(page.contains(heading), "{heading}");
        }
        // A key with a default, a unit and bounds.
        let row = page.lines().find(|l| l.starts_with("| `threads_per_core` |")).unwrap();
        assert_eq!(
            row,
            "| `threads_per_core` | integer |  | `2` | ≥ 1 | Hardware threads per core; a vCPU is one thread (default 2). |"
        );
        let row = page.lines().find(|l| l.starts_with("| `critical_power_kw` |")).unwrap();
        assert!(row.contains("| number | kW | **required** | > 0 |"), "{row}");
        // Allowed values of an enum, and a type used at several paths documented once.
        let row = page.lines().find(|l| l.starts_with("| `tier` |")).unwrap();
        assert!(row.contains("`I`, `II`, `III`, `IV`"), "{row}");
        assert_eq!(page.matches("{#reliability-components-utility}").count(), 1);
        assert!(page.contains("`reliability.components.generator`"));
        // Every key of every definition appears in a row.
        let schema = crate::json_schema();
        for definition in schema["$defs"].as_object().unwrap().values() {
            for key in
                definition.get("properties").and_then(Json::as_object).into_iter().flatten().map(|(k, _)| k)
            {
                assert!(page.contains(&format!("| `{key}` |")), "{key} is missing");
            }
        }
    }
}
