//! A scenario document: the TOML tree, where each value stood in the file, and
//! which values were overridden from the command line.
//!
//! Parsing keeps byte spans for every key and value so that later checks can
//! point at a line and column. Overrides (`--set a.b=1`, `--unset a.b`) edit
//! the tree in place and are remembered, so a diagnostic about an overridden
//! or removed value names the override instead of a line.

use crate::diagnostic::{Diagnostic, Location};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

/// A parsed scenario file with its spans.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where the text came from (a path, or a name for embedded text).
    pub origin: String,
    /// The text as read.
    pub source: Arc<str>,
    /// The value tree, after overrides.
    pub tree: Table,
    /// Byte span of each value, by canonical path (`servers[0].price_usd`).
    value_spans: Arc<HashMap<String, Range<usize>>>,
    /// Byte span of each key, by canonical path.
    key_spans: Arc<HashMap<String, Range<usize>>>,
    /// Overrides applied, by canonical path, with the text the user gave.
    overrides: HashMap<String, String>,
    /// Keys removed (`--unset`), by canonical path, in the order given.
    removed: Vec<String>,
}

/// One segment of a path into the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a table.
    Key(String),
    /// An index into an array.
    Index(usize),
}

/// Render path segments as `a.b[0].c`.
pub fn render_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Parse `a.b[0].c` or `a.b.0.c` into segments.
pub fn parse_path(text: &str) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    for part in text.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() && rest.is_empty() {
            return None;
        }
        if !key.is_empty() {
            match key.parse::<usize>() {
                Ok(i) => segments.push(Segment::Index(i)),
                Err(_) => segments.push(Segment::Key(key.to_string())),
            }
        }
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index = rest[1..close].parse::<usize>().ok()?;
            segments.push(Segment::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    Some(segments)
}

/// The dotted path of the key being written at byte `at`, for a syntax
/// error there: the nearest table header above (arrays of tables indexed by
/// how many came before) and the key on the line, as far as they can be read.
fn syntax_field(source: &str, at: usize) -> String {
    let before = &source[..at.min(source.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = source[line_start..].lines().next().unwrap_or("");
    let key = line.split_once('=').map(|(k, _)| k.trim().trim_matches('"').to_string());
    let mut table = String::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in before[..line_start].lines().map(str::trim) {
        if let Some(name) = l.strip_prefix("[[").and_then(|r| r.split_once("]]")).map(|(n, _)| n.trim()) {
            let n = seen.entry(name.to_string()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(name) = l.strip_prefix('[').and_then(|r| r.split_once(']')).map(|(n, _)| n.trim())
        {
            table = name.to_string();
        }
    }
    match key.filter(|k| !k.is_empty() && !k.starts_with('[')) {
        Some(key) if table.is_empty() => key,
        Some(key) => format!("{table}.{key}"),
        None => table,
    }
}

impl Document {
    /// Parse TOML text. Every syntax error is reported, and non-finite numbers
    /// (`nan`, `inf`) are rejected here because no scenario quantity may be one.
    pub fn parse(origin: &str, source: &str) -> Result<Document, Vec<Diagnostic>> {
        let source: Arc<str> = Arc::from(source);
        let (root, errors) = DeTable::parse_recoverable(&source);
        let mut diagnostics: Vec<Diagnostic> = errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let truncated = source[span.start.min(source.len())..].trim().is_empty();
                let message = format!(
                    "TOML syntax: {}{}",
                    e.message().trim(),
                    if truncated { " (the file ends here: is it cut short?)" } else { "" }
                );
                Diagnostic::new(syntax_field(&source, span.start), message).at(Location::span(&source, span))
            })
            .collect();
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let mut builder = SpanBuilder::default();
        let tree = builder.table(root.get_ref(), &mut Vec::new(), &source, &mut diagnostics);
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Document {
            origin: origin.to_string(),
            source: source.clone(),
            tree,
            value_spans: Arc::new(builder.value_spans),
            key_spans: Arc::new(builder.key_spans),
            overrides: HashMap::new(),
            removed: Vec::new(),
        })
    }

    /// Where a diagnostic about `path` should point: the override that set
    /// or removed it (or an ancestor), else the value's span, else its
    /// nearest ancestor's. A problem about a table the file does not have, or
    /// about a table of the file itself (a key missing from it), points at an
    /// override below that table when there is one: the override made it so.
    pub fn locate(&self, path: &str, prefer_key: bool) -> Location {
        let mut candidate = path.to_string();
        loop {
            if let Some(text) = self.overrides.get(&candidate) {
                return Location::Override(text.clone());
            }
            if self.removed.contains(&candidate) {
                return Location::Unset(candidate);
            }
            if candidate == path
                && self.value_spans.contains_key(&candidate)
                && let Some(cause) = self.override_below(&candidate)
            {
                return cause;
            }
            if prefer_key
                && candidate == path
                && let Some(span) = self.key_spans.get(&candidate)
            {
                return Location::span(&self.source, span.clone());
            }
            match self.value_spans.get(&candidate) {
                Some(span) => {
                    let span = if candidate == path {
                        span.clone()
                    } else {
                        // An ancestor table: point at its key (its header line).
                        self.key_spans.get(&candidate).cloned().unwrap_or(span.clone())
                    };
                    return Location::span(&self.source, span);
                }
                // Not in the file: an override below it created or emptied it.
                None if !candidate.is_empty() => {
                    if let Some(cause) = self.override_below(&candidate) {
                        return cause;
                    }
                }
                None => {}
            }
            match parent_path(&candidate) {
                Some(parent) => candidate = parent,
                None => return Location::span(&self.source, 0..0),
            }
        }
    }

    /// The first removal, else the first `--set`, strictly below `path`.
    fn override_below(&self, path: &str) -> Option<Location> {
        let below = |p: &str| {
            path.is_empty()
                || p.strip_prefix(path).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        if let Some(removed) = self.removed.iter().find(|p| below(p)) {
            return Some(Location::Unset(removed.clone()));
        }
        let mut set: Vec<(&String, &String)> = self.overrides.iter().filter(|(p, _)| below(p)).collect();
        set.sort();
        set.first().map(|(_, text)| Location::Override((*text).clone()))
    }

    /// Apply one `path=value` override. The value is read as a TOML value
    /// (`3`, `0.5`, `"x"`, `[1, 2]`); text that is not one is taken as a string.
    pub fn set(&mut self, assignment: &str) -> Result<(), Diagnostic> {
        let fail =
            |message: String| Diagnostic::new("", message).at(Location::Override(assignment.to_string()));
        let Some((path_text, value_text)) = assignment.split_once('=') else {
            return Err(fail("expected `path.to.key=value`".into()));
        };
        let path_text = path_text.trim();
        let segments = parse_path(path_text)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fail(format!("`{path_text}` is not a key path like `energy.pue`")))?;
        let value = parse_value(value_text.trim());
        self.set_value(&segments, value)
            .map_err(|message| fail(message).with_field(render_path(&segments)))?;
        self.note_override(&segments, assignment.to_string());
        Ok(())
    }

    /// Remember that the value at `segments` came from an override written
    /// as `assignment`, so diagnostics about it point there.
    pub fn note_override(&mut self, segments: &[Segment], assignment: String) {
        let path = render_path(segments);
        self.removed.retain(|p| *p != path);
        self.overrides.insert(path, assignment);
    }

    /// Remove one key (`--unset facility.cost_usd_per_critical_w`): a key of
    /// a table, or a whole table. Removing what is not there is an error (a
    /// misspelt path would otherwise do nothing), and so is removing an entry
    /// of a list (the entries after it would change their index).
    pub fn unset(&mut self, path_text: &str) -> Result<(), Diagnostic> {
        let path_text = path_text.trim();
        let fail = |message: String| Diagnostic::new("", message).at(Location::Unset(path_text.to_string()));
        let segments = parse_path(path_text)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fail(format!("`{path_text}` is not a key path like `energy.pue`")))?;
        self.remove_value(&segments).map_err(|message| fail(message).with_field(render_path(&segments)))
    }

    /// Remove the key at `segments` and remember it, so diagnostics about it
    /// (a key now missing) point at the removal.
    pub fn remove_value(&mut self, segments: &[Segment]) -> Result<(), String> {
        let path = render_path(segments);
        if let Some(Segment::Index(_)) = segments.last() {
            return Err(format!(
                "cannot remove `{path}`: it is an entry of a list (set the whole list instead)"
            ));
        }
        let mut root = Value::Table(std::mem::take(&mut self.tree));
        let result = remove_in(&mut root, segments);
        if let Value::Table(tree) = root {
            self.tree = tree;
        }
        result?;
        self.note_removed(path);
        Ok(())
    }

    fn note_removed(&mut self, path: String) {
        let under = |p: &str| {
            p == path
                || p.strip_prefix(path.as_str()).is_some_and(|r| r.starts_with('.') || r.starts_with('['))
        };
        self.overrides.retain(|p, _| !under(p));
        if !self.removed.contains(&path) {
            self.removed.push(path);
        }
    }

    /// Replace the value at `segments`, creating missing tables on the way.
    /// A NaN or infinite number anywhere in `value` is refused, as in a file
    /// ([`Document::parse`]).
    pub fn set_value(&mut self, segments: &[Segment], value: Value) -> Result<(), String> {
        if let Some(x) = first_non_finite(&value) {
            return Err(format!("expected a finite number, found {x}"));
        }
        let mut root = Value::Table(std::mem::take(&mut self.tree));
        let result = set_in(&mut root, segments, value);
        if let Value::Table(tree) = root {
            self.tree = tree;
        }
        result
    }

    /// Byte span in [`Document::source`] of the value at a canonical path
    /// (`servers[0].idle_power_w`), when the file wrote it.
    pub fn value_span(&self, path: &str) -> Option<Range<usize>> {
        self.value_spans.get(path).cloned()
    }

    /// Byte span in [`Document::source`] of the key at a canonical path
    /// (for a table, its header's name), when the file wrote it.
    pub fn key_span(&self, path: &str) -> Option<Range<usize>> {
        self.key_spans.get(path).cloned()
    }

    /// Whether the value at `path` (canonical, `site.climate`) was set by an override.
    pub fn is_overridden(&self, path: &str) -> bool {
        self.overrides.contains_key(path)
    }

    /// The `--set` overrides applied, as the user wrote them, sorted.
    pub fn overrides(&self) -> Vec<String> {
        let mut v: Vec<String> = self.overrides.values().cloned().collect();
        v.sort();
        v
    }

    /// The keys removed (`--unset`), as canonical paths, in the order given.
    pub fn removed(&self) -> &[String] {
        &self.removed
    }

    /// Every number in the tree as (canonical path, value, written as an
    /// integer), in file order.
    pub fn numeric_leaves(&self) -> Vec<(String, f64, bool)> {
        let mut out = Vec::new();
        collect_numbers(&Value::Table(self.tree.clone()), &mut Vec::new(), &mut out);
        out
    }
}

/// The first NaN or infinite number in `value`, nested values included.
fn first_non_finite(value: &Value) -> Option<f64> {
    match value {
        Value::Float(x) if !x.is_finite() => Some(*x),
        Value::Array(items) => items.iter().find_map(first_non_finite),
        Value::Table(table) => table.values().find_map(first_non_finite),
        _ => None,
    }
}

fn set_in(root: &mut Value, segments: &[Segment], value: Value) -> Result<(), String> {
    let (last, parents) = segments.split_last().ok_or("empty path")?;
    let mut node = root;
    for (depth, segment) in parents.iter().enumerate() {
        let here = render_path(&segments[..=depth]);
        node = match (node, segment) {
            (Value::Table(t), Segment::Key(k)) => {
                t.entry(k.clone()).or_insert_with(|| Value::Table(Table::new()))
            }
            (Value::Array(a), Segment::Index(i)) => {
                let len = a.len();
                a.get_mut(*i).ok_or(format!("`{here}`: the list has {len} entries"))?
            }
            (_, _) => return Err(format!("`{here}` does not exist")),
        };
    }
    match (node, last) {
        (Value::Table(t), Segment::Key(k)) => {
            t.insert(k.clone(), value);
            Ok(())
        }
        (Value::Array(a), Segment::Index(i)) if *i < a.len() => {
            a[*i] = value;
            Ok(())
        }
        (_, segment) => Err(format!("cannot set `{}` here", describe(segment))),
    }
}

fn remove_in(root: &mut Value, segments: &[Segment]) -> Result<(), String> {
    let path = render_path(segments);
    let (last, parents) = segments.split_last().ok_or("empty path")?;
    let mut node = root;
    for (depth, segment) in parents.iter().enumerate() {
        let here = render_path(&segments[..=depth]);
        node = match (node, segment) {
            (Value::Table(t), Segment::Key(k)) => {
                t.get_mut(k).ok_or_else(|| format!("`{path}` is not in the scenario (no `{here}`)"))?
            }
            (Value::Array(a), Segment::Index(i)) => {
                let len = a.len();
                a.get_mut(*i).ok_or(format!("`{here}`: the list has {len} entries"))?
            }
            (_, _) => return Err(format!("`{path}` is not in the scenario (no `{here}`)")),
        };
    }
    let removed = match (node, last) {
        (Value::Table(t), Segment::Key(k)) => t.remove(k).is_some(),
        _ => false,
    };
    if removed { Ok(()) } else { Err(format!("`{path}` is not in the scenario")) }
}

fn describe(segment: &Segment) -> String {
    match segment {
        Segment::Key(k) => k.clone(),
        Segment::Index(i) => format!("[{i}]"),
    }
}

/// A value as written on the command line: a TOML value (`3`, `0.5`, `"x"`,
/// `[1, 2]`), else the text itself as a string (`ashburn`).
pub fn parse_value(text: &str) -> Value {
    format!("v = {text}")
        .parse::<Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

fn parent_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(path[..cut].to_string())
}

fn collect_numbers(value: &Value, path: &mut Vec<Segment>, out: &mut Vec<(String, f64, bool)>) {
    match value {
        Value::Integer(i) => out.push((render_path(path), *i as f64, true)),
        Value::Float(f) => out.push((render_path(path), *f, false)),
        Value::Table(t) => {
            for (k, v) in t {
                path.push(Segment::Key(k.clone()));
                collect_numbers(v, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Segment::Index(i));
                collect_numbers(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Default)]
struct SpanBuilder {
    value_spans: HashMap<String, Range<usize>>,
    key_spans: HashMap<String, Range<usize>>,
}

impl SpanBuilder {
    fn table(
        &mut self,
        table: &DeTable<'_>,
        path: &mut Vec<Segment>,
        source: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Table {
        let mut out = Table::new();
        for (key, value) in table.iter() {
            path.push(Segment::Key(key.get_ref().to_string()));
            let rendered = render_path(path);
            self.key_spans.insert(rendered.clone(), key.span());
            self.value_spans.insert(rendered, value.span());
            if let Some(v) = self.value(value.get_ref(), value.span(), path, source, diagnostics) {
                out.insert(key.get_ref().to_string(), v);
            }
            path.pop();
        }
        out
    }

    fn value(
        &mut self,
        value: &DeValue<'_>,
        span: Range<usize>,
        path: &mut Vec<Segment>,
        source: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Value> {
        let mut bad = |message: String| {
            diagnostics
                .push(Diagnostic::new(render_path(path), message).at(Location::span(source, span.clone())));
            None
        };
        Some(match value {
            DeValue::String(s) => Value::String(s.to_string()),
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(v) => Value::Integer(v),
                Err(_) => return bad(format!("integer {i} does not fit in 64 bits")),
            },
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(v) if v.is_finite() => Value::Float(v),
                Ok(v) => return bad(format!("expected a finite number, found {v}")),
                Err(_) => return bad(format!("`{f}` is not a number")),
            },
            DeValue::Boolean(b) => Value::Boolean(*b),
            DeValue::Datetime(d) => Value::Datetime(*d),
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    let rendered = render_path(path);
                    self.value_spans.insert(rendered.clone(), item.span());
                    self.key_spans.insert(rendered, item.span());
                    if let Some(v) = self.value(item.get_ref(), item.span(), path, source, diagnostics) {
                        out.push(v);
                    }
                    path.pop();
                }
                Value::Array(out)
            }
            DeValue::Table(t) => Value::Table(self.table(t, path, source, diagnostics)),
        })
    }
}
