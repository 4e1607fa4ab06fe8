//! Structural checks of a scenario tree against the JSON Schema derived from
//! [`crate::raw`]: unknown keys (with a "did you mean"), missing keys, wrong
//! types and out-of-range numbers, every one of them collected in one pass.
//!
//! Only the subset of JSON Schema that `schemars` emits for our types is
//! understood: `$ref`, `type`, `properties`, `required`,
//! `additionalProperties: false`, `items`, `minItems`, `minLength`, `enum`,
//! `const`, `anyOf`/`oneOf`, and the numeric bounds.

use crate::diagnostic::Diagnostic;
use crate::document::{Document, Segment, render_path};
use serde_json::Value as Json;
use toml::Value;

/// Check `document` against `schema`; returns every problem found.
pub fn check(document: &Document, schema: &Json) -> Vec<Diagnostic> {
    let mut checker = Checker { root: schema, document, out: Vec::new() };
    let root = checker.resolve(schema);
    checker.check_table(root, &document.tree, &mut Vec::new());
    checker.out
}

struct Checker<'a> {
    root: &'a Json,
    document: &'a Document,
    out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn resolve(&self, schema: &'a Json) -> &'a Json {
        let mut schema = schema;
        while let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            let pointer = reference.trim_start_matches('#');
            match self.root.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn report(&mut self, path: &[Segment], message: String, help: Option<String>, on_key: bool) {
        let field = render_path(path);
        let location = self.document.locate(&field, on_key);
        let mut d = Diagnostic::new(field, message).at(location);
        d.help = help;
        self.out.push(d);
    }

    fn check(&mut self, schema: &'a Json, value: &Value, path: &mut Vec<Segment>) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Json::as_array) {
            self.check_branches(schema, branches, value, path);
            return;
        }
        if let Some(expected) = schema.get("const") {
            if !json_equals(expected, value) {
                self.report(path, format!("expected {expected}, found {}", show(value)), None, false);
            }
            return;
        }
        if let Some(options) = schema.get("enum").and_then(Json::as_array) {
            if !options.iter().any(|o| json_equals(o, value)) {
                let list: Vec<String> = options.iter().map(|o| o.to_string()).collect();
                // A close word is the likely intent; otherwise say what the key chooses.
                let help = value
                    .as_str()
                    .and_then(|s| closest(s, options.iter().filter_map(Json::as_str)))
                    .map(|name| format!("did you mean {name:?}?"))
                    .or_else(|| description(schema));
                self.report(
                    path,
                    format!("expected one of {}, found {}", list.join(", "), show(value)),
                    help,
                    false,
                );
            }
            return;
        }
        if !type_matches(schema, value) {
            let message = format!("expected {}, found {}", describe(schema), show(value));
            let help = description(schema);
            self.report(path, message, help, false);
            return;
        }
        match value {
            Value::Integer(_) | Value::Float(_) => self.check_bounds(schema, value, path),
            Value::String(s) => {
                let min = schema.get("minLength").and_then(Json::as_u64).unwrap_or(0);
                if (s.chars().count() as u64) < min {
                    self.report(path, "expected a non-empty string".into(), description(schema), false);
                }
            }
            Value::Array(items) => {
                let min = schema.get("minItems").and_then(Json::as_u64).unwrap_or(0);
                if (items.len() as u64) < min {
                    self.report(
                        path,
                        format!(
                            "expected at least {min} entr{}, found {}",
                            if min == 1 { "y" } else { "ies" },
                            items.len()
                        ),
                        description(schema),
                        false,
                    );
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Segment::Index(i));
                        self.check(item_schema, item, path);
                        path.pop();
                    }
                }
            }
            Value::Table(table) => self.check_table(schema, table, path),
            Value::Boolean(_) | Value::Datetime(_) => {}
        }
    }

    fn check_table(&mut self, schema: &'a Json, table: &toml::Table, path: &mut Vec<Segment>) {
        static EMPTY: std::sync::OnceLock<serde_json::Map<String, Json>> = std::sync::OnceLock::new();
        let properties = schema
            .get("properties")
            .and_then(Json::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new));
        let closed = schema.get("additionalProperties") == Some(&Json::Bool(false));
        // Required keys a misspelt key stands for: report the typo, not a missing key.
        let mut explained: Vec<&str> = Vec::new();
        for (key, value) in table {
            path.push(Segment::Key(key.clone()));
            match properties.get(key) {
                Some(property) => self.check(property, value, path),
                None if closed => {
                    let known = properties.keys().map(String::as_str);
                    let help = match closest(key, known) {
                        Some(name) => {
                            explained.push(name);
                            format!("did you mean `{name}`?")
                        }
                        None => {
                            let known: Vec<&str> = properties.keys().map(String::as_str).collect();
                            format!("known keys here: {}", known.join(", "))
                        }
                    };
                    self.report(path, format!("unknown key `{key}`"), Some(help), true);
                }
                None => {}
            }
            path.pop();
        }
        if let Some(required) = schema.get("required").and_then(Json::as_array) {
            for name in required.iter().filter_map(Json::as_str) {
                if !table.contains_key(name) && !explained.contains(&name) {
                    let help = properties.get(name).and_then(|p| description(self.resolve(p)));
                    let what = properties.get(name).map(|p| describe(self.resolve(p))).unwrap_or_default();
                    let where_ = if path.is_empty() {
                        "the file".to_string()
                    } else {
                        format!("`[{}]`", render_path(path))
                    };
                    let d_path = path.clone();
                    self.report(
                        &d_path,
                        format!("missing key `{name}` in {where_}: expected {what}"),
                        help,
                        true,
                    );
                }
            }
        }
    }

    fn check_branches(
        &mut self,
        schema: &'a Json,
        branches: &'a [Json],
        value: &Value,
        path: &mut Vec<Segment>,
    ) {
        // Option<T> is `anyOf [T, null]`; TOML has no null, so a present value must be T.
        let live: Vec<&Json> = branches
            .iter()
            .filter(|b| self.resolve(b).get("type").and_then(Json::as_str) != Some("null"))
            .collect();
        let mut best: Option<Vec<Diagnostic>> = None;
        for branch in &live {
            let saved = std::mem::take(&mut self.out);
            self.check(branch, value, path);
            let found = std::mem::replace(&mut self.out, saved);
            if found.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
        if live.len() == 1 {
            self.out.extend(best.unwrap_or_default());
        } else {
            let options: Vec<String> = live.iter().map(|b| describe(self.resolve(b))).collect();
            self.report(
                path,
                format!("expected {}, found {}", options.join(" or "), show(value)),
                description(schema),
                false,
            );
        }
    }

    fn check_bounds(&mut self, schema: &Json, value: &Value, path: &[Segment]) {
        let x = match value {
            Value::Integer(i) => *i as f64,
            Value::Float(f) => *f,
            _ => return,
        };
        let bound = |name: &str| schema.get(name).and_then(Json::as_f64);
        let bad = bound("minimum").is_some_and(|m| x < m)
            || bound("exclusiveMinimum").is_some_and(|m| x <= m)
            || bound("maximum").is_some_and(|m| x > m)
            || bound("exclusiveMaximum").is_some_and(|m| x >= m);
        if bad {
            let mut message = format!("expected {}, found {}", describe(schema), show(value));
            // A fraction (at most 1) given as a percentage is the usual slip.
            if bound("maximum") == Some(1.0) && x > 1.0 && x <= 100.0 {
                message.push_str(&format!(": is it a percentage? {x}% is {}", x / 100.0));
            }
            self.report(path, message, description(schema), false);
        }
    }
}

fn type_matches(schema: &Json, value: &Value) -> bool {
    let types: Vec<&str> = match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => return true,
    };
    types.iter().any(|t| {
        matches!(
            (*t, value),
            ("number", Value::Integer(_) | Value::Float(_))
                | ("integer", Value::Integer(_))
                | ("string", Value::String(_))
                | ("boolean", Value::Boolean(_))
                | ("array", Value::Array(_))
                | ("object", Value::Table(_))
        )
    })
}

/// "a number ≥ 0", "a whole number ≥ 1", "a table", ...
fn describe(schema: &Json) -> String {
    let primary = match schema.get("type") {
        Some(Json::String(t)) => t.as_str(),
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).find(|t| *t != "null").unwrap_or("value"),
        _ => {
            if let Some(options) = schema.get("enum").and_then(Json::as_array) {
                let list: Vec<String> = options.iter().map(|o| o.to_string()).collect();
                return format!("one of {}", list.join(", "));
            }
            "value"
        }
    };
    let noun = match primary {
        "number" => "a number",
        "integer" => "a whole number",
        "string" => "a string",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a table",
        _ => "a value",
    };
    let bound = |name: &str| schema.get(name).and_then(Json::as_f64);
    let mut parts = Vec::new();
    match (bound("minimum"), bound("maximum")) {
        (Some(lo), Some(hi)) => parts.push(format!("between {lo} and {hi}")),
        (Some(lo), None) => parts.push(format!("≥ {lo}")),
        (None, Some(hi)) => parts.push(format!("≤ {hi}")),
        _ => {}
    }
    if let Some(lo) = bound("exclusiveMinimum") {
        parts.push(format!("> {lo}"));
    }
    if let Some(hi) = bound("exclusiveMaximum") {
        parts.push(format!("< {hi}"));
    }
    if parts.is_empty() { noun.to_string() } else { format!("{noun} {}", parts.join(" and ")) }
}

fn description(schema: &Json) -> Option<String> {
    schema.get("description").and_then(Json::as_str).map(|d| d.replace('\n', " "))
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string {s:?}"),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => format!("the date {d}"),
        Value::Array(_) => "a list".into(),
        Value::Table(_) => "a table".into(),
    }
}

fn json_equals(json: &Json, value: &Value) -> bool {
    match (json, value) {
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Bool(a), Value::Boolean(b)) => a == b,
        (Json::Number(a), Value::Integer(b)) => a.as_i64() == Some(*b),
        (Json::Number(a), Value::Float(b)) => a.as_f64() == Some(*b),
        _ => false,
    }
}

/// The closest known name to a misspelt one, if it is close enough to be a
/// typo: at most one edit (transpositions count as one) per three characters,
/// or a Jaro-Winkler similarity above 0.85 (shared prefixes, dropped suffixes).
pub fn closest<'k>(given: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    let max_edits = (given.chars().count() / 3).max(1);
    known
        .filter_map(|k| {
            let edits = strsim::osa_distance(given, k);
            let similarity = strsim::jaro_winkler(given, k);
            (edits <= max_edits || similarity > 0.85).then_some((edits, -similarity, k))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, k)| k)
}

/// Whether the schema wants a whole number at `path` (`servers[0].count`);
/// false for other numbers and for paths the schema does not know.
pub fn is_integer_field(schema: &Json, path: &str) -> bool {
    let Some(segments) = crate::document::parse_path(path) else { return false };
    fn resolve<'s>(schema: &'s Json, mut s: &'s Json) -> &'s Json {
        loop {
            if let Some(target) =
                s.get("$ref").and_then(Json::as_str).and_then(|r| schema.pointer(r.trim_start_matches('#')))
            {
                s = target;
            } else if let Some(live) = s.get("anyOf").and_then(Json::as_array).and_then(|branches| {
                branches.iter().find(|b| b.get("type").and_then(Json::as_str) != Some("null"))
            }) {
                s = live;
            } else {
                return s;
            }
        }
    }
    let mut node = resolve(schema, schema);
    for segment in &segments {
        let next = match segment {
            Segment::Key(k) => node.get("properties").and_then(|p| p.get(k)),
            Segment::Index(_) => node.get("items"),
        };
        match next {
            Some(n) => node = resolve(schema, n),
            None => return false,
        }
    }
    match node.get("type") {
        Some(Json::String(t)) => t == "integer",
        Some(Json::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    }
}
