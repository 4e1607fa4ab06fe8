//! Sweeps: one scenario evaluated over a grid of overrides and a number of
//! seeds, as one table with a row per (variant, sample).
//!
//! A row's place decides everything about it: row `r` is variant
//! `r / samples` and sample `r % samples`; the variant's values come from the
//! grid like nested loops in the order the keys were given (the last key
//! changes fastest), and sample `j` runs with `scenario.seed = seed + j`.
//! Rows are therefore independent, and any split of the row range (threads
//! here, Ray tasks in the Python package) gives the same rows. Every sample
//! `j` uses the same seed in every variant: common random numbers, so the
//! difference between two variants is not blurred by different draws.
//!
//! Columns: `variant`, `sample`, `seed`, one column per grid key (typed from
//! its values), then every number in the run's summary under its dotted path
//! (`cost.per_server_month_usd`, `pue.annual`), in the order the rows first
//! show them (a figure whose path is also a grid key, an echoed input, is
//! named `summary.<path>`). A variant without some figure (no simulated year,
//! say) has null there.

use crate::{Result, RunError};
use plenum_engine::{ColumnValues, Control, DataTable};
use plenum_scenario::{Scenario, ScenarioError};
use rayon::prelude::*;
use serde_json::Number;

/// One row's figures: every number of its summary under its dotted path.
type Figures = Vec<(String, Number)>;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use toml::Value;

/// One grid key and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Key path, as for `--set` (`site.climate`, `servers[0].price_usd`).
    pub key: String,
    /// The values, in order.
    pub values: Vec<Value>,
}

impl Axis {
    /// Read `key=a,b,c` (the CLI's `--vary`). Each value is read as `--set`
    /// reads one (TOML, else text); commas inside brackets or quotes do not
    /// split.
    pub fn parse(text: &str) -> Result<Axis> {
        let (key, list) = text
            .split_once('=')
            .ok_or_else(|| RunError::Usage(format!("`--vary {text}`: expected `key=value,value,...`")))?;
        let mut values = Vec::new();
        let (mut depth, mut quote, mut start) = (0i32, None, 0);
        for (i, c) in list.char_indices().chain([(list.len(), ',')]) {
            match (c, quote) {
                ('"' | '\'', None) => quote = Some(c),
                (c, Some(q)) if c == q => quote = None,
                ('[' | '{', None) => depth += 1,
                (']' | '}', None) => depth -= 1,
                (',', None) if depth == 0 => {
                    let item = list[start..i.min(list.len())].trim();
                    if item.is_empty() {
                        return Err(RunError::Usage(format!("`--vary {text}`: an empty value")));
                    }
                    values.push(plenum_scenario::document::parse_value(item));
                    start = i + 1;
                }
                _ => {}
            }
        }
        Ok(Axis { key: key.trim().to_string(), values })
    }
}

/// A grid of overrides and the seeds of its samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The grid, in the order given.
    pub axes: Vec<Axis>,
    /// Seeds per variant (at least 1).
    pub samples: u64,
    /// Seed of sample 0 (the scenario's own seed unless given).
    pub seed: u64,
}

impl Sweep {
    /// A grid over `base`: at least one sample, no empty or repeated key,
    /// and a row count that fits. The values are checked by [`Sweep::check`].
    pub fn new(base: &Scenario, axes: Vec<Axis>, samples: u64, seed: Option<u64>) -> Result<Sweep> {
        let usage = |message: String| Err(RunError::Usage(message));
        if samples < 1 {
            return usage(format!("samples must be at least 1, got {samples}"));
        }
        for (i, axis) in axes.iter().enumerate() {
            if axis.values.is_empty() {
                return usage(format!("the grid key `{}` has no values", axis.key));
            }
            if axes[..i].iter().any(|a| a.key == axis.key) {
                return usage(format!("the grid key `{}` is given twice", axis.key));
            }
        }
        let sweep = Sweep { axes, samples, seed: seed.unwrap_or(base.seed) };
        if sweep.variant_count().and_then(|v| v.checked_mul(samples as usize)).is_none() {
            return usage("the grid has more rows than this machine can count".into());
        }
        Ok(sweep)
    }

    /// Check every value of every axis on `base` on its own: the key must
    /// exist and the value be valid there (a `ScenarioError` naming the
    /// override otherwise). A combination can still break a rule that spans
    /// several fields; that is reported when its row runs. Done once before
    /// a sweep starts, not in every batch of it.
    pub fn check(&self, base: &Scenario) -> Result<()> {
        for axis in &self.axes {
            for value in &axis.values {
                base.with_values(&[(axis.key.as_str(), value.clone())])?;
            }
        }
        Ok(())
    }

    /// Refuse the whole grid ([`RunError::TooLarge`]) when it is above a cap of `limits`: the base
    /// scenario's estimated size ([`plenum_engine::limits::estimate`]) for
    /// every row (variants differ, but rarely by orders of magnitude), so a
    /// grid of small runs is capped as a whole, as one large run is. Every
    /// front end checks this before a sweep starts (the CLI, and Python's
    /// `plenum.sweep` through `sweep_size`).
    pub fn check_size(&self, base: &Scenario, limits: &crate::Limits) -> Result<()> {
        let size = plenum_engine::limits::estimate(base, None)
            .times(self.rows() as f64, &format!("{} rows", self.rows()));
        crate::check_size(base, &size, limits)
    }

    fn variant_count(&self) -> Option<usize> {
        self.axes.iter().try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
    }

    /// Number of variants (the product of the axes' lengths; 1 with no axes).
    pub fn variants(&self) -> usize {
        self.variant_count().expect("checked in Sweep::new")
    }

    /// Number of rows: variants times samples.
    pub fn rows(&self) -> usize {
        self.variants() * self.samples as usize
    }

    /// The value index on each axis for a variant (last axis fastest).
    fn value_indices(&self, variant: usize) -> Vec<usize> {
        let mut rest = variant;
        let mut indices = vec![0; self.axes.len()];
        for (slot, axis) in indices.iter_mut().zip(&self.axes).rev() {
            *slot = rest % axis.values.len();
            rest /= axis.values.len();
        }
        indices
    }

    /// The seed sample `sample` runs with.
    fn sample_seed(&self, sample: u64) -> u64 {
        self.seed.wrapping_add(sample)
    }

    /// Evaluate one row: the variant's overrides and the sample's seed on the
    /// base scenario, run, and the summary's numbers.
    fn evaluate_row(&self, base: &Scenario, row: usize, control: &Control<'_>) -> Result<Figures> {
        let (variant, sample) = (row / self.samples as usize, row as u64 % self.samples);
        let indices = self.value_indices(variant);
        let mut values: Vec<(&str, Value)> =
            self.axes.iter().zip(&indices).map(|(a, &i)| (a.key.as_str(), a.values[i].clone())).collect();
        let seed = i64::from_ne_bytes(self.sample_seed(sample).to_ne_bytes());
        values.push(("scenario.seed", Value::Integer(seed)));
        let describe = || {
            let settings: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("variant {variant}, sample {sample} ({})", settings.join(", "))
        };
        let scenario = base.with_values(&values).map_err(|e| with_variant(e, &describe()))?;
        let run = crate::run_controlled(&scenario, &crate::limits_from_env()?, None, control)
            .map_err(|e| e.context(describe()))?;
        let mut figures = Vec::new();
        flatten(&run.summary().to_value(), &mut String::new(), &mut figures);
        Ok(figures)
    }
}

/// A scenario error in a sweep row: the same diagnostics, with the row named
/// in the origin, so it stays a scenario error (exit status 2, Python's
/// `ScenarioError`).
fn with_variant(mut error: ScenarioError, variant: &str) -> RunError {
    error.origin = format!("{} ({variant})", error.origin);
    error.into()
}

/// Every number in `value` under its dotted path (`a.b`, `a.list[2].c`), in
/// document order. Text and flags are not figures.
fn flatten(value: &serde_json::Value, path: &mut String, out: &mut Figures) {
    let len = path.len();
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                flatten(child, path, out);
                path.truncate(len);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                flatten(child, path, out);
                path.truncate(len);
            }
        }
        serde_json::Value::Number(n) => out.push((path.clone(), n.clone())),
        _ => {}
    }
}

/// Evaluate `rows` of the sweep (all of them: `0..sweep.rows()`), in
/// parallel on the current Rayon pool, as one table. The table does not
/// depend on the pool's size. The first failing row (in row order) is the
/// error.
pub fn evaluate(base: &Scenario, sweep: &Sweep, rows: Range<usize>) -> Result<DataTable> {
    evaluate_controlled(base, sweep, rows, &Control::default())
}

/// A sweep stopped by its cancel token: the rows that had finished, as a
/// table like the whole sweep's (in row order; their `variant` and `sample`
/// columns say which they are), out of `total` rows asked for.
#[derive(Debug)]
pub struct SweepInterrupted {
    /// The finished rows.
    pub partial: DataTable,
    /// Rows the sweep was asked for.
    pub total: usize,
}

impl std::fmt::Display for SweepInterrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sweep interrupted: {} of {} rows finished", self.partial.rows(), self.total)
    }
}

impl std::error::Error for SweepInterrupted {}

/// [`evaluate`] under `control`: finished rows are reported as
/// `"sweep rows"`, and a cancelled token stops the sweep (no new row
/// starts, rows under way stop inside their run) with a
/// [`RunError::Interrupted`] holding the rows that finished ([`SweepInterrupted`]). A failing row
/// is still the error when there is one: the first in row order.
pub fn evaluate_controlled(
    base: &Scenario,
    sweep: &Sweep,
    rows: Range<usize>,
    control: &Control<'_>,
) -> Result<DataTable> {
    if rows.end > sweep.rows() {
        return Err(RunError::Usage(format!("rows {rows:?} outside the sweep's {} rows", sweep.rows())));
    }
    let total = rows.len();
    let done = AtomicU64::new(0);
    let inner = control.cancel_only();
    // `None`: the row did not finish because the sweep was cancelled.
    let outcomes: Vec<Option<Result<Figures>>> = rows
        .clone()
        .into_par_iter()
        .map(|row| {
            if control.is_cancelled() {
                return None;
            }
            let outcome = sweep.evaluate_row(base, row, &inner);
            if matches!(&outcome, Err(e) if e.is_interrupted()) {
                return None;
            }
            control.report("sweep rows", done.fetch_add(1, Ordering::Relaxed) + 1, total as u64);
            Some(outcome)
        })
        .collect();
    let mut finished = Vec::with_capacity(total);
    let mut figures = Vec::with_capacity(total);
    for (row, outcome) in rows.zip(outcomes) {
        match outcome {
            Some(Ok(row_figures)) => {
                finished.push(row);
                figures.push(row_figures);
            }
            Some(Err(error)) => return Err(error),
            None => {}
        }
    }
    let table = table(sweep, &finished, &figures);
    if finished.len() < total {
        return Err(SweepInterrupted { partial: table, total }.into());
    }
    Ok(table)
}

fn table(sweep: &Sweep, rows: &[usize], figures: &[Figures]) -> DataTable {
    let samples = sweep.samples as usize;
    let mut table =
        DataTable::new("sweep", "One row per variant and sample: the inputs set, then every figure")
            .with(
                "variant",
                "Variant index (grid order, last key fastest).",
                ColumnValues::U64(rows.iter().map(|r| (r / samples) as u64).collect()),
            )
            .with(
                "sample",
                "Sample index within the variant.",
                ColumnValues::U64(rows.iter().map(|r| (r % samples) as u64).collect()),
            )
            .with(
                "seed",
                "Seed the sample ran with (the sweep's seed + sample).",
                ColumnValues::U64(rows.iter().map(|r| sweep.sample_seed((r % samples) as u64)).collect()),
            );
    let indices: Vec<Vec<usize>> = rows.iter().map(|r| sweep.value_indices(r / samples)).collect();
    for (a, axis) in sweep.axes.iter().enumerate() {
        let picked: Vec<&Value> = indices.iter().map(|i| &axis.values[i[a]]).collect();
        table = table.with(&axis.key, "Input set by the sweep.", axis_column(&axis.values, &picked));
    }
    // Figure columns in the order rows first show them.
    let mut order: Vec<&str> = Vec::new();
    let mut column_of: HashMap<&str, usize> = HashMap::new();
    for row in figures {
        for (key, _) in row {
            column_of.entry(key.as_str()).or_insert_with(|| {
                order.push(key.as_str());
                order.len() - 1
            });
        }
    }
    let mut columns: Vec<Vec<Option<&Number>>> = vec![vec![None; figures.len()]; order.len()];
    for (r, row) in figures.iter().enumerate() {
        for (key, value) in row {
            columns[column_of[key.as_str()]][r] = Some(value);
        }
    }
    for (path, values) in order.iter().zip(columns) {
        // A summary figure can share its path with a grid key (an echoed
        // input); the figure then takes a `summary.` prefix.
        let name = match sweep.axes.iter().any(|a| a.key == *path) {
            true => format!("summary.{path}"),
            false => path.to_string(),
        };
        let (unit, description) = crate::figures::describe(path);
        // A count stays an integer when every row has it; a figure some rows
        // lack, or that is fractional in any, is a nullable float.
        let integers: Option<Vec<i64>> = values.iter().map(|v| v.and_then(Number::as_i64)).collect();
        let column = match integers {
            Some(integers) => ColumnValues::I64(integers),
            None => ColumnValues::OptF64(values.iter().map(|v| v.and_then(Number::as_f64)).collect()),
        };
        table = table.with_unit(&name, &description, &unit, column);
    }
    table
}

/// A grid key's column, typed from all of its values (not just the rows at
/// hand, so every part of a split sweep agrees): integers, numbers, flags or
/// text; anything else as its TOML text.
fn axis_column(all: &[Value], picked: &[&Value]) -> ColumnValues {
    if all.iter().all(|v| matches!(v, Value::Integer(_))) {
        ColumnValues::I64(picked.iter().map(|v| v.as_integer().unwrap_or_default()).collect())
    } else if all.iter().all(|v| matches!(v, Value::Integer(_) | Value::Float(_))) {
        let number = |v: &Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
        ColumnValues::F64(picked.iter().map(|v| number(v).unwrap_or_default()).collect())
    } else if all.iter().all(|v| matches!(v, Value::Boolean(_))) {
        ColumnValues::Bool(picked.iter().map(|v| v.as_bool().unwrap_or_default()).collect())
    } else {
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
        ColumnValues::Text(picked.iter().map(|v| text(v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Scenario {
        plenum_scenario::embedded::load("ashburn-static").expect("embedded scenario")
    }

    fn axis(key: &str, values: &[Value]) -> Axis {
        Axis { key: key.into(), values: values.to_vec() }
    }

    #[test]
    fn rows_follow_nested_loop_order_with_the_last_key_fastest() {
        let sweep = Sweep::new(
            &base(),
            vec![
                axis("energy.price_usd_per_kwh", &[Value::Float(0.05), Value::Float(0.1)]),
                axis("energy.pue", &[Value::Float(1.1), Value::Float(1.2), Value::Float(1.3)]),
            ],
            2,
            Some(7),
        )
        .unwrap();
        assert_eq!((sweep.variants(), sweep.rows()), (6, 12));
        assert_eq!(sweep.value_indices(0), [0, 0]);
        assert_eq!(sweep.value_indices(1), [0, 1]);
        assert_eq!(sweep.value_indices(5), [1, 2]);
        let table = evaluate(&base(), &sweep, 0..sweep.rows()).unwrap();
        assert_eq!(table.rows(), 12);
        let seeds = &table.column("seed").unwrap().values;
        assert_eq!(seeds, &ColumnValues::U64(vec![7, 8, 7, 8, 7, 8, 7, 8, 7, 8, 7, 8]));
        let pue = &table.column("energy.pue").unwrap().values;
        let ColumnValues::F64(pue) = pue else { panic!("pue column is {pue:?}") };
        assert_eq!(pue[..6], [1.1, 1.1, 1.2, 1.2, 1.3, 1.3]);
    }

    #[test]
    fn a_row_equals_a_run_with_the_same_overrides() {
        let sweep =
            Sweep::new(&base(), vec![axis("energy.pue", &[Value::Float(1.1), Value::Float(1.4)])], 1, None)
                .unwrap();
        let table = evaluate(&base(), &sweep, 0..2).unwrap();
        let direct = base().with_values(&[("energy.pue", Value::Float(1.4))]).unwrap();
        let expected = crate::run(&direct).unwrap().results.cost.total_monthly_usd;
        let ColumnValues::OptF64(total) = &table.column("cost.total_monthly_usd").unwrap().values else {
            panic!("no total column")
        };
        assert_eq!(total[1], Some(expected));
        assert!(total[0].unwrap() < expected);
    }

    #[test]
    fn any_split_of_the_rows_gives_the_same_rows() {
        let sweep = Sweep::new(
            &base(),
            vec![axis("energy.pue", &[Value::Float(1.1), Value::Float(1.2), Value::Float(1.3)])],
            1,
            None,
        )
        .unwrap();
        let whole = evaluate(&base(), &sweep, 0..3).unwrap();
        let tail = evaluate(&base(), &sweep, 1..3).unwrap();
        for (a, b) in whole.columns.iter().zip(&tail.columns) {
            assert_eq!(a.name, b.name);
            let skip_first = |v: &ColumnValues| match v {
                ColumnValues::U64(x) => format!("{:?}", &x[1..]),
                ColumnValues::F64(x) => format!("{:?}", &x[1..]),
                ColumnValues::OptF64(x) => format!("{:?}", &x[1..]),
                ColumnValues::I64(x) => format!("{:?}", &x[1..]),
                other => panic!("unexpected column {other:?}"),
            };
            let all = |v: &ColumnValues| match v {
                ColumnValues::U64(x) => format!("{x:?}"),
                ColumnValues::F64(x) => format!("{x:?}"),
                ColumnValues::OptF64(x) => format!("{x:?}"),
                ColumnValues::I64(x) => format!("{x:?}"),
                other => panic!("unexpected column {other:?}"),
            };
            assert_eq!(skip_first(&a.values), all(&b.values), "column {}", a.name);
        }
    }

    #[test]
    fn a_bad_grid_value_is_a_scenario_error_naming_the_override() {
        let check = |a: Axis| Sweep::new(&base(), vec![a], 1, None).unwrap().check(&base()).unwrap_err();
        let error = check(axis("energy.pue", &[Value::Float(0.5)]));
        let RunError::Scenario(scenario_error) = error else { panic!("not a scenario error: {error}") };
        let text = scenario_error.render(false);
        assert!(text.contains("--set energy.pue=0.5"), "{text}");
        let RunError::Scenario(unknown) = check(axis("energy.peu", &[Value::Float(1.2)])) else {
            panic!("not a scenario error")
        };
        assert!(unknown.render(false).contains("pue"));
    }

    #[test]
    fn figures_flatten_to_dotted_paths_in_document_order() {
        let json = serde_json::json!({"a": {"b": 1, "c": "text", "d": [2.5, {"e": 3}]}, "f": true, "g": 4});
        let mut out = Vec::new();
        flatten(&json, &mut String::new(), &mut out);
        let expected = [("a.b", "1"), ("a.d[0]", "2.5"), ("a.d[1].e", "3"), ("g", "4")];
        let out: Vec<(String, String)> = out.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        assert_eq!(out, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn vary_lists_split_on_top_level_commas_only() {
        let axis = Axis::parse("site.climate=ashburn, \"a,b\",[1,2],0.5,3").unwrap();
        assert_eq!(axis.key, "site.climate");
        let expected = [
            Value::String("ashburn".into()),
            Value::String("a,b".into()),
            Value::Array(vec![Value::Integer(1), Value::Integer(2)]),
            Value::Float(0.5),
            Value::Integer(3),
        ];
        assert_eq!(axis.values, expected);
        assert!(Axis::parse("energy.pue").is_err());
        assert!(Axis::parse("energy.pue=1.1,,1.2").is_err());
    }

    #[test]
    fn axis_columns_take_their_type_from_every_value() {
        let all = [Value::Integer(1), Value::Float(2.5)];
        assert_eq!(axis_column(&all, &[&all[0]]), ColumnValues::F64(vec![1.0]));
        let names = [Value::String("ashburn".into())];
        assert_eq!(axis_column(&names, &[&names[0]]), ColumnValues::Text(vec!["ashburn".into()]));
    }
}
