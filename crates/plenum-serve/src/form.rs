//! The form view of a scenario: the common inputs (site, fleet, cooling,
//! power chain, finance) as fields read from the TOML document, and edits of
//! those fields written back into the same text.
//!
//! An edit rewrites only the bytes of the value it changes (the span the
//! scenario parser recorded for it), so comments, order and layout of the
//! rest of the file stay as they were. A key the file does not write yet is
//! added on the line after its table's header (`[site]`, the i-th
//! `[[servers]]`), or in a new table at the end of the file. Each edit is
//! checked by parsing the result again: the edited key must read back as
//! the value given, and nothing else may change.
//!
//! Which keys the form shows is the list in [`fields`]; each field's choices
//! and help come from the scenario JSON Schema (`plenum schema`), so a new
//! climate or preset appears in the form without a change here.

use plenum_scenario::document::{Document, Segment, parse_path, render_path};
use serde::Serialize;
use serde_json::Value as Json;
use toml::Value;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A finite number.
    Number,
    /// A whole number, 0 or more.
    Integer,
    /// One word of a list (`options`).
    Choice,
}

/// One input of the form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Key path in the scenario (`servers[0].count`).
    pub path: String,
    /// The group it is shown in (`Site`, `Fleet`, ...).
    pub group: &'static str,
    /// What it is, for people (with the SKU's name for fleet fields).
    pub label: String,
    /// The unit of the value, empty for none.
    pub unit: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// The words allowed, for a choice.
    pub options: Vec<String>,
    /// The value as the file (after overrides) has it, as text; `None` when unset.
    pub value: Option<String>,
    /// The first sentence of the key's description in the schema.
    pub help: String,
}

/// (group, key path below the scenario or below each `servers[i]`, label, unit, kind).
type Spec = (&'static str, &'static str, &'static str, &'static str, Kind);

/// The common inputs, in the order the form shows them.
const SITE: &[Spec] = &[
    ("Site", "site.climate", "Climate", "", Kind::Choice),
    ("Site", "site.grid", "Grid", "", Kind::Choice),
    ("Site", "energy.price_usd_per_kwh", "Electricity price", "USD/kWh", Kind::Number),
];
const SKU: &[Spec] = &[
    ("Fleet", "count", "servers", "", Kind::Integer),
    ("Fleet", "idle_power_w", "idle power", "W", Kind::Number),
    ("Fleet", "peak_power_w", "peak power", "W", Kind::Number),
    ("Fleet", "price_usd", "price", "USD", Kind::Number),
];
const PLANT: &[Spec] = &[
    ("Cooling", "cooling.preset", "Cooling preset", "", Kind::Choice),
    ("Power chain", "power_chain.preset", "Power-chain preset", "", Kind::Choice),
    ("Finance", "finance.cost_of_money_annual", "Cost of money", "fraction a year", Kind::Number),
    ("Finance", "finance.server_amortization_years", "Server amortization", "years", Kind::Number),
    ("Finance", "finance.facility_amortization_years", "Facility amortization", "years", Kind::Number),
    (
        "Finance",
        "facility.cost_usd_per_critical_w",
        "Facility build cost",
        "USD per critical W",
        Kind::Number,
    ),
];

/// The schema node at `segments` (through `$ref`, `anyOf`/`oneOf` and array items).
fn schema_at<'a>(root: &'a Json, segments: &[Segment]) -> Option<&'a Json> {
    let mut node = resolve(root, root)?;
    for segment in segments {
        node = match segment {
            Segment::Key(k) => resolve(root, node.get("properties")?.get(k)?)?,
            Segment::Index(_) => resolve(root, node.get("items")?)?,
        };
    }
    Some(node)
}

/// Follow `$ref`s, and into the alternative of an `anyOf`/`oneOf` that is
/// not null (an `Option` is its type or null).
fn resolve<'a>(root: &'a Json, mut node: &'a Json) -> Option<&'a Json> {
    for _ in 0..16 {
        if let Some(reference) = node.get("$ref").and_then(Json::as_str) {
            node = root.pointer(reference.strip_prefix('#')?)?;
        } else if let Some(alternatives) = node.get("anyOf").or(node.get("oneOf")).and_then(Json::as_array) {
            match alternatives.iter().find(|n| n.get("type").and_then(Json::as_str) != Some("null")) {
                Some(next) => node = next,
                None => return Some(node),
            }
        } else {
            return Some(node);
        }
    }
    None
}

/// The words of an `enum` at `segments`, looking through alternatives.
fn options_at(root: &Json, segments: &[Segment]) -> Vec<String> {
    fn words(root: &Json, node: &Json, depth: usize) -> Vec<String> {
        if depth > 16 {
            return Vec::new();
        }
        if let Some(list) = node.get("enum").and_then(Json::as_array) {
            return list.iter().filter_map(|w| w.as_str().map(str::to_string)).collect();
        }
        if let Some(reference) = node.get("$ref").and_then(Json::as_str)
            && let Some(target) = reference.strip_prefix('#').and_then(|p| root.pointer(p))
        {
            return words(root, target, depth + 1);
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(list) = node.get(key).and_then(Json::as_array) {
                let found: Vec<String> = list.iter().flat_map(|n| words(root, n, depth + 1)).collect();
                if !found.is_empty() {
                    return found;
                }
            }
        }
        Vec::new()
    }
    schema_at(root, segments).map(|node| words(root, node, 0)).unwrap_or_default()
}

/// The first sentence of the description of the key at `segments` (the
/// key's own, else its type's).
fn help_at(root: &Json, segments: &[Segment]) -> String {
    let Some((Segment::Key(key), parent)) = segments.split_last() else { return String::new() };
    let raw = schema_at(root, parent).and_then(|p| p.get("properties")).and_then(|p| p.get(key));
    let text = raw
        .and_then(|n| n.get("description"))
        .or_else(|| raw.and_then(|n| resolve(root, n)).and_then(|n| n.get("description")))
        .and_then(Json::as_str)
        .unwrap_or("");
    let first = text.split("\n\n").next().unwrap_or("").replace('\n', " ");
    match first.find(". ") {
        Some(end) => first[..=end].to_string(),
        None => first,
    }
}

fn value_at<'a>(tree: &'a toml::Table, segments: &[Segment]) -> Option<&'a Value> {
    let (first, rest) = segments.split_first()?;
    let Segment::Key(k) = first else { return None };
    let mut node = tree.get(k)?;
    for segment in rest {
        node = match (node, segment) {
            (Value::Table(t), Segment::Key(k)) => t.get(k)?,
            (Value::Array(a), Segment::Index(i)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn field(document: &Document, schema: &Json, spec: &Spec, path: String, label: String) -> Field {
    let (group, _, _, unit, kind) = *spec;
    let segments = parse_path(&path).unwrap_or_default();
    Field {
        options: if kind == Kind::Choice { options_at(schema, &segments) } else { Vec::new() },
        help: help_at(schema, &segments),
        value: value_at(&document.tree, &segments).map(value_text),
        path,
        group,
        label,
        unit,
        kind,
    }
}

/// The form's fields for a document: the site's, each server SKU's, then
/// the plant's and the finance's.
pub fn fields(document: &Document) -> Vec<Field> {
    let schema = plenum_scenario::json_schema();
    let mut out: Vec<Field> =
        SITE.iter().map(|s| field(document, schema, s, s.1.to_string(), s.2.to_string())).collect();
    let skus = document.tree.get("servers").and_then(Value::as_array).map_or(&[][..], |a| a.as_slice());
    for (i, sku) in skus.iter().enumerate() {
        let name = sku.get("name").and_then(Value::as_str).map_or(format!("SKU {}", i + 1), str::to_string);
        for spec in SKU {
            out.push(field(
                document,
                schema,
                spec,
                format!("servers[{i}].{}", spec.1),
                format!("{name}: {}", spec.2),
            ));
        }
    }
    out.extend(PLANT.iter().map(|s| field(document, schema, s, s.1.to_string(), s.2.to_string())));
    out
}

/// The field at `path` of a document, if the form has one.
fn find_field(document: &Document, path: &str) -> Option<Field> {
    fields(document).into_iter().find(|f| f.path == path)
}

/// The TOML text of a field's new value, checked against its kind.
fn new_value(field: &Field, text: &str) -> Result<(String, Value), String> {
    let text = text.trim();
    let what = format!("{} (`{}`)", field.label, field.path);
    match field.kind {
        Kind::Choice => {
            if !field.options.iter().any(|o| o == text) {
                return Err(format!("{what}: `{text}` is not one of {}", field.options.join(", ")));
            }
            let value = Value::String(text.to_string());
            Ok((value.to_string(), value))
        }
        Kind::Integer => match text.parse::<u64>() {
            Ok(n) if i64::try_from(n).is_ok() => Ok((n.to_string(), Value::Integer(n as i64))),
            _ => Err(format!("{what}: `{text}` is not a whole number of 0 or more")),
        },
        Kind::Number => match text.parse::<f64>() {
            Ok(x) if x.is_finite() => {
                // Whole numbers stay integers as scenario files write them (`price_usd = 1450`).
                if x.fract() == 0.0 && x.abs() < 1e15 && !text.contains(['.', 'e', 'E']) {
                    Ok((format!("{}", x as i64), Value::Integer(x as i64)))
                } else {
                    Ok((format!("{x:?}"), Value::Float(x)))
                }
            }
            _ => Err(format!("{what}: `{text}` is not a finite number")),
        },
    }
}

/// One line of the header of table `table` (`site`, `servers[1]`): the byte
/// offset just after that line's end. Lines inside multi-line strings are
/// not told apart (the check after the edit catches a wrong place).
fn header_line_end(source: &str, table: &[Segment]) -> Option<usize> {
    let (name, index) = match table {
        [.., Segment::Index(i)] => (render_path(&table[..table.len() - 1]), Some(*i)),
        _ => (render_path(table), None),
    };
    let mut seen = 0;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim();
        let header = match index {
            Some(_) => trimmed.strip_prefix("[[").and_then(|r| r.split_once("]]")).map(|(n, _)| n),
            None => trimmed
                .strip_prefix('[')
                .filter(|r| !r.starts_with('['))
                .and_then(|r| r.split_once(']'))
                .map(|(n, _)| n),
        };
        let Some(header) = header else { continue };
        let header: String = header.chars().filter(|c| !c.is_whitespace() && *c != '"').collect();
        if header != name {
            continue;
        }
        match index {
            Some(i) if seen < i => seen += 1,
            _ => return Some(offset),
        }
    }
    None
}

/// `source` with the form field at `path` set to `text` (one field at a time). A
/// site is a place, as for `--set site.climate=...`: a new climate moves a
/// grid the file names to the new climate's grid (change the grid after it
/// to keep another).
pub fn edit(source: &str, path: &str, text: &str) -> Result<String, String> {
    let edited = edit_one(source, path, text)?;
    if path != "site.climate" {
        return Ok(edited);
    }
    let grid = plenum_models::climate::site(text.trim()).map(|site| site.grid);
    let document =
        Document::parse("scenario.toml", &edited).map_err(|_| "the edit broke the TOML".to_string())?;
    match (grid, value_at(&document.tree, &parse_path("site.grid").unwrap_or_default())) {
        (Some(grid), Some(Value::String(old))) if old != grid => edit_one(&edited, "site.grid", grid),
        _ => Ok(edited),
    }
}

/// `source` with the form field at `path` set to `text`: the value's bytes
/// replaced, or the key added under its table (the table added at the end
/// when the file has none). Errors name the field and say why.
fn edit_one(source: &str, path: &str, text: &str) -> Result<String, String> {
    let document = Document::parse("scenario.toml", source)
        .map_err(|_| "the TOML does not parse: fix it in the text first".to_string())?;
    let field = find_field(&document, path).ok_or_else(|| format!("`{path}` is not a field of the form"))?;
    let (written, value) = new_value(&field, text)?;
    let segments = parse_path(path).ok_or_else(|| format!("`{path}` is not a key path"))?;
    let edited = match document.value_span(path) {
        Some(span) => format!("{}{written}{}", &source[..span.start], &source[span.end..]),
        None => {
            let (key, table) = segments.split_last().ok_or("empty path")?;
            let Segment::Key(key) = key else { return Err(format!("`{path}`: not a key")) };
            match header_line_end(source, table) {
                Some(at) => {
                    let newline = if source[..at].ends_with('\n') { "" } else { "\n" };
                    format!("{}{newline}{key} = {written}\n{}", &source[..at], &source[at..])
                }
                None if value_at(&document.tree, table).is_some() => {
                    return Err(format!(
                        "`{}` is written inline or with dotted keys: set `{path}` in the text",
                        render_path(table)
                    ));
                }
                None if matches!(table.last(), Some(Segment::Index(_))) => {
                    return Err(format!("`{}` is not in the scenario", render_path(table)));
                }
                None => {
                    let gap = if source.ends_with("\n\n") || source.is_empty() {
                        ""
                    } else if source.ends_with('\n') {
                        "\n"
                    } else {
                        "\n\n"
                    };
                    format!("{source}{gap}[{}]\n{key} = {written}\n", render_path(table))
                }
            }
        }
    };
    // The edit did what it says, and nothing else.
    let after = Document::parse("scenario.toml", &edited)
        .map_err(|_| format!("setting `{path}` here would break the TOML: set it in the text"))?;
    let mut wanted = document;
    wanted.set_value(&segments, value).map_err(|e| format!("`{path}`: {e}"))?;
    if after.tree != wanted.tree {
        return Err(format!("setting `{path}` here would change other keys: set it in the text"));
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# A site.\n[scenario]\nname = \"x\" # its name\n\n[site]\n# where\nclimate = \"ashburn\"\n\n\
                        [[servers]]\nname = \"a\"\ncount = 10 # ten\nprice_usd = 1000\n\n[[servers]]\nname = \"b\"\n\
                        count = 20\n\n[finance]\ncost_of_money_annual = 0.05\n";

    #[test]
    fn a_value_is_replaced_in_place_keeping_comments() {
        let out = edit(TEXT, "servers[0].count", "12").unwrap();
        assert_eq!(out, TEXT.replace("count = 10 # ten", "count = 12 # ten"));
        let out = edit(TEXT, "site.climate", "phoenix").unwrap();
        assert_eq!(out, TEXT.replace("climate = \"ashburn\"", "climate = \"phoenix\""));
        // A named grid moves with the climate, as with `--set site.climate=phoenix`.
        let with_grid = TEXT.replace("[site]\n", "[site]\ngrid = \"pjm\" # the grid\n");
        let out = edit(&with_grid, "site.climate", "phoenix").unwrap();
        assert!(out.contains("climate = \"phoenix\"") && out.contains("grid = \"azps\" # the grid"), "{out}");
        let out = edit(TEXT, "finance.cost_of_money_annual", "0.07").unwrap();
        assert_eq!(out, TEXT.replace("0.05", "0.07"));
    }

    #[test]
    fn a_missing_key_goes_under_its_table_and_a_missing_table_at_the_end() {
        let out = edit(TEXT, "servers[1].price_usd", "2500").unwrap();
        assert_eq!(
            out,
            TEXT.replace("[[servers]]\nname = \"b\"", "[[servers]]\nprice_usd = 2500\nname = \"b\"")
        );
        let out = edit(TEXT, "site.grid", "pjm").unwrap();
        assert_eq!(out, TEXT.replace("[site]\n", "[site]\ngrid = \"pjm\"\n"));
        let out = edit(TEXT, "cooling.preset", "legacy").unwrap();
        assert_eq!(out, format!("{TEXT}\n[cooling]\npreset = \"legacy\"\n"));
        assert!(out.starts_with("# A site.\n") && out.contains("# where"));
    }

    #[test]
    fn bad_values_are_refused_with_the_field_named() {
        let e = edit(TEXT, "site.climate", "atlantis").unwrap_err();
        assert!(e.contains("site.climate") && e.contains("phoenix"), "{e}");
        let e = edit(TEXT, "servers[0].count", "-3").unwrap_err();
        assert!(e.contains("servers[0].count") && e.contains("whole number"), "{e}");
        let e = edit(TEXT, "energy.price_usd_per_kwh", "nan").unwrap_err();
        assert!(e.contains("finite"), "{e}");
        let e = edit(TEXT, "scenario.name", "y").unwrap_err();
        assert!(e.contains("not a field"), "{e}");
        let e = edit("site = { climate = \"ashburn\" }\n", "site.grid", "pjm").unwrap_err();
        assert!(e.contains("inline"), "{e}");
    }

    #[test]
    fn fields_read_values_and_take_choices_from_the_schema() {
        let document = Document::parse("t", TEXT).unwrap();
        let list = fields(&document);
        let climate = list.iter().find(|f| f.path == "site.climate").unwrap();
        assert_eq!(climate.value.as_deref(), Some("ashburn"));
        assert!(climate.options.iter().any(|o| o == "phoenix"), "{climate:?}");
        let preset = list.iter().find(|f| f.path == "cooling.preset").unwrap();
        assert_eq!(preset.options, ["modern", "legacy"]);
        assert_eq!(preset.value, None);
        let count = list.iter().find(|f| f.path == "servers[1].count").unwrap();
        assert_eq!((count.label.as_str(), count.value.as_deref()), ("b: servers", Some("20")));
        assert!(!list.iter().find(|f| f.path == "energy.price_usd_per_kwh").unwrap().help.is_empty());
    }
}
