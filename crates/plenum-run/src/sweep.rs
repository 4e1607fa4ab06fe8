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
//!
//! # What rows share
//!
//! A grid over the climate, the economizer, the chilled-water temperature,
//! the power chain or prices does not change what the servers draw: every
//! rack's servers' power in every hour depends only on the servers, how
//! many a rack holds, the utilization and the seed
//! ([`plenum_engine::facility::same_servers_power`]); and one that leaves
//! the power chain, the critical power and the network alone does not
//! change anything up to the UPS's input either (the IT side,
//! [`plenum_engine::facility::same_it_side`]). Before the rows run, the
//! sweep computes, once per sample seed and for the base scenario with that
//! seed, the IT side of its year ([`plenum_engine::facility::it_side`](fn@plenum_engine::facility::it_side)) and
//! the servers' power ([`plenum_engine::facility::servers_power`]), each only
//! when at least two rows of the range can use it. A row that shares the IT
//! side then computes only its cooling, mechanical stages and summary; one
//! that shares only the servers' power, the rest of its year. Every row is
//! bit-identical to a run of its own (the tests check both).
//!
//! Memory: the servers' power is 8 bytes a rack-hour (16 with PSU losses),
//! about 80-160 MB for the default scenario's 1,150 racks, per sample seed;
//! an IT side is about 4 MB. They are kept only while all of them stay under
//! half the memory cap of the run-size limits
//! ([`crate::Limits::max_memory_gib`]); seeds beyond that run as before. A
//! sweep with a `[workload]` shares nothing (the replay drives the year).
//!
//! # Where a row's time goes (issue 20)
//!
//! Sharing the IT side, a row of the default scenario costs about 25 ms of
//! CPU instead of a year's 0.5-1.7 s (10,020 rows over climates,
//! economizers and chilled-water temperatures: 246 s; bench/RESULTS.md).
//! Counted with callgrind, of its about 200 M instructions the capacity
//! advice takes three quarters (its search steps the cooling plant through
//! the year at some twenty server counts, and the plant is the row's own),
//! the cooling plant's design a sixth, the 8,760 hours of cooling and
//! mechanical stages 8%; the built-in climate's wet bulbs, 51 M more before,
//! are computed once a process. About a sixth of the time is the kernel's, faulting in each
//! row's hourly vectors and table.

use crate::SharedYear;
use crate::{Result, RunError};
use plenum_engine::facility::{ItSide, ServersPower, same_it_side, same_servers_power};
use plenum_engine::{ColumnValues, Control, DataTable};
use plenum_scenario::{Scenario, ScenarioError};
use rayon::prelude::*;
use serde_json::Number;

/// One row's figures: every number of its summary under its dotted path.
type Figures = Vec<(String, Number)>;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
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
    /// grid of small runs is capped as a whole, as one large run is; except
    /// that a row which will share its seed's IT side (see the module doc)
    /// counts its facility year as [`SHARED_IT_SIDE_ROW_CPU_S`], and each
    /// seed that computes one counts a whole row. Every front end checks
    /// this before a sweep starts (the CLI, and Python's `plenum.sweep`
    /// through `sweep_size`).
    pub fn check_size(&self, base: &Scenario, limits: &crate::Limits) -> Result<()> {
        use plenum_engine::limits::PartKind;
        let row = plenum_engine::limits::estimate(base, None);
        let shared_rows = match base.workload.is_none() && self.rows() >= 2 {
            true => sharing_rows(base, self, &(0..self.rows())).1.into_iter().filter(|&n| n >= 2).collect(),
            false => Vec::new(),
        };
        let (shared, seeds) = (shared_rows.iter().sum::<usize>(), shared_rows.len());
        let own = self.rows() - shared + seeds;
        let mut size = row.clone().times(own as f64, &format!("{own} rows"));
        if shared > 0 {
            let mut continued =
                row.times(shared as f64, &format!("{shared} rows sharing their seed's IT side"));
            for part in continued.parts.iter_mut().filter(|p| p.kind == PartKind::FacilityYear) {
                part.cpu_s = shared as f64 * SHARED_IT_SIDE_ROW_CPU_S;
            }
            size = size.and(continued);
        }
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

    /// The overrides of one row: the variant's values and the sample's seed.
    fn row_values(&self, row: usize) -> Vec<(&str, Value)> {
        let (variant, sample) = (row / self.samples as usize, row as u64 % self.samples);
        let indices = self.value_indices(variant);
        let mut values: Vec<(&str, Value)> =
            self.axes.iter().zip(&indices).map(|(a, &i)| (a.key.as_str(), a.values[i].clone())).collect();
        values.push(("scenario.seed", Value::Integer(self.sample_seed_value(sample))));
        values
    }

    /// The seed of sample `sample` as the TOML integer `scenario.seed` takes.
    fn sample_seed_value(&self, sample: u64) -> i64 {
        i64::from_ne_bytes(self.sample_seed(sample).to_ne_bytes())
    }

    /// Evaluate one row: the variant's overrides and the sample's seed on the
    /// base scenario, run, and the summary's numbers. `shared` is the
    /// servers' power of the base scenario with this row's seed, when the
    /// sweep computed it; the row reads it if it draws the same.
    fn evaluate_row(
        &self,
        base: &Scenario,
        row: usize,
        shared: Option<&SharedPower>,
        limits: &crate::Limits,
        control: &Control<'_>,
    ) -> Result<Figures> {
        let (variant, sample) = (row / self.samples as usize, row as u64 % self.samples);
        let values = self.row_values(row);
        let describe = || {
            let settings: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("variant {variant}, sample {sample} ({})", settings.join(", "))
        };
        let scenario = base.with_values(&values).map_err(|e| with_variant(e, &describe()))?;
        let year = shared.map_or_else(SharedYear::default, |shared| shared.for_row(&scenario));
        let run =
            crate::run_sharing(&scenario, limits, None, control, year).map_err(|e| e.context(describe()))?;
        let mut figures = Vec::new();
        flatten(&run.summary().to_value(), &mut String::new(), &mut figures);
        Ok(figures)
    }
}

/// CPU time of a row's facility year when it continues from a shared IT
/// side: its cooling plant's design, 8,760 hours of cooling and mechanical
/// stages, and the summary with its capacity advice (which steps the plant
/// through the year at every server count its search tries). Measured at
/// 21 ms a row in a release build on the shared 2-core machine
/// (bench/RESULTS.md, "A 10,000-variant sweep of the default year"),
/// rounded up to more than twice that for slower machines. It does not grow
/// with the fleet.
pub const SHARED_IT_SIDE_ROW_CPU_S: f64 = 0.05;

/// What the rows with one sample seed share: the IT side and the servers'
/// power of `reference` (the base scenario with that seed), each when the
/// sweep computed it.
struct SharedPower {
    reference: Scenario,
    it_side: Option<Arc<ItSide>>,
    servers_power: Option<Arc<ServersPower>>,
}

impl SharedPower {
    /// What a row's scenario can read: the IT side when it shares it, else
    /// the servers' power when it draws the same, else nothing.
    fn for_row(&self, scenario: &Scenario) -> SharedYear {
        if let Some(it_side) = self.it_side.as_ref().filter(|_| same_it_side(scenario, &self.reference)) {
            return SharedYear { it_side: Some(Arc::clone(it_side)), servers_power: None };
        }
        let servers_power =
            self.servers_power.as_ref().filter(|_| same_servers_power(scenario, &self.reference));
        SharedYear { servers_power: servers_power.map(Arc::clone), it_side: None }
    }
}

/// Bytes of one sample's servers' power, before computing it: a wall power
/// and a PSU loss (when a SKU models its PSU) per rack-hour.
fn servers_power_bytes(base: &Scenario) -> Option<f64> {
    let physics = base.physics.as_ref()?;
    let per_rack = physics.power_chain.servers_per_rack.max(1);
    let racks = base.server_count().div_ceil(per_rack) as f64;
    let values = if base.servers.iter().any(|s| s.psu.is_some()) { 2.0 } else { 1.0 };
    Some(racks * plenum_models::weather::HOURS_PER_YEAR as f64 * values * 8.0)
}

/// The base scenario with each sample's seed, and per sample how many rows
/// of `rows` share its IT side and how many only its servers' power. A row
/// whose overrides fail shares nothing.
#[allow(clippy::type_complexity)]
fn sharing_rows(
    base: &Scenario,
    sweep: &Sweep,
    rows: &Range<usize>,
) -> (Vec<Option<Scenario>>, Vec<usize>, Vec<usize>) {
    let samples = sweep.samples as usize;
    let references: Vec<Option<Scenario>> = (0..samples as u64)
        .map(|j| base.with_values(&[("scenario.seed", Value::Integer(sweep.sample_seed_value(j)))]).ok())
        .collect();
    // Per row: its sample, and whether it shares the IT side or only the servers' power.
    let sharing: Vec<Option<(usize, bool)>> = rows
        .clone()
        .into_par_iter()
        .map(|row| {
            let sample = row % samples;
            let reference = references[sample].as_ref()?;
            let scenario = base.with_values(&sweep.row_values(row)).ok()?;
            if same_it_side(&scenario, reference) {
                return Some((sample, true));
            }
            same_servers_power(&scenario, reference).then_some((sample, false))
        })
        .collect();
    let (mut it_rows, mut power_rows) = (vec![0usize; samples], vec![0usize; samples]);
    for (sample, it) in sharing.into_iter().flatten() {
        if it { it_rows[sample] += 1 } else { power_rows[sample] += 1 }
    }
    (references, it_rows, power_rows)
}

/// What each sample seed of `rows` shares among its rows (indexed by sample;
/// `None` where nothing is shared): the IT side when at least two rows with
/// that seed share it, the servers' power when at least two others draw it,
/// while the total fits in half of `limits`' memory cap (seeds in order). A
/// row whose overrides fail is left to report its error when it runs.
fn shared_power(
    base: &Scenario,
    sweep: &Sweep,
    rows: &Range<usize>,
    limits: &crate::Limits,
    control: &Control<'_>,
) -> Result<Vec<Option<SharedPower>>> {
    let samples = sweep.samples as usize;
    let mut shared: Vec<Option<SharedPower>> = (0..samples).map(|_| None).collect();
    let Some(power_bytes) = servers_power_bytes(base) else { return Ok(shared) };
    if base.workload.is_some() || rows.len() < 2 {
        return Ok(shared);
    }
    let (references, it_rows, power_rows) = sharing_rows(base, sweep, rows);
    let mut budget_bytes = limits.max_memory_gib * (1u64 << 30) as f64 / 2.0;
    for sample in 0..samples {
        let Some(reference) = &references[sample] else { continue };
        let (want_it, want_power) = (it_rows[sample] >= 2, power_rows[sample] >= 2);
        if !(want_it || want_power) {
            continue;
        }
        control.check()?;
        let mut inputs = plenum_io::load_inputs(reference)?;
        let mut entry = SharedPower { reference: reference.clone(), it_side: None, servers_power: None };
        if want_power && power_bytes <= budget_bytes {
            entry.servers_power = plenum_engine::facility::servers_power(reference, &inputs)?.map(Arc::new);
            budget_bytes -= power_bytes;
        }
        if want_it {
            inputs.servers_power = entry.servers_power.clone();
            let it_side = plenum_engine::facility::it_side(reference, &inputs, control)?;
            let bytes = it_side.as_ref().map_or(0.0, |it| it.bytes() as f64);
            if bytes <= budget_bytes {
                entry.it_side = it_side.map(Arc::new);
                budget_bytes -= bytes;
            }
        }
        if entry.it_side.is_some() || entry.servers_power.is_some() {
            shared[sample] = Some(entry);
        }
    }
    Ok(shared)
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
    let limits = crate::limits_from_env()?;
    let inner = control.cancel_only();
    let shared = match shared_power(base, sweep, &rows, &limits, &inner) {
        Err(error) if error.is_interrupted() => {
            return Err(SweepInterrupted { partial: table(sweep, &[], &[]), total }.into());
        }
        other => other?,
    };
    let done = AtomicU64::new(0);
    // `None`: the row did not finish because the sweep was cancelled.
    let outcomes: Vec<Option<Result<Figures>>> = rows
        .clone()
        .into_par_iter()
        .map(|row| {
            if control.is_cancelled() {
                return None;
            }
            let sample_shared = shared[row % sweep.samples as usize].as_ref();
            let outcome = sweep.evaluate_row(base, row, sample_shared, &limits, &inner);
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
    use crate::Limits;

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

    /// The default scenario at 400 servers: a simulated year with PSUs and
    /// a per-server spread, quick in a debug build.
    fn small_default() -> Scenario {
        plenum_scenario::embedded::load("default")
            .and_then(|s| {
                s.with_values(&[
                    ("servers[0].count", Value::Integer(400)),
                    ("facility.critical_power_kw", Value::Float(200.0)),
                ])
            })
            .expect("the default scenario at 400 servers")
    }

    /// Every figure of `row` in `table` is the one a run of its own gives, to the bit.
    fn assert_row_is_its_own_run(table: &DataTable, r: usize, sweep: &Sweep, base: &Scenario) {
        let row: usize = match &table.column("variant").unwrap().values {
            ColumnValues::U64(v) => v[r] as usize * sweep.samples as usize,
            other => panic!("variant column {other:?}"),
        } + match &table.column("sample").unwrap().values {
            ColumnValues::U64(v) => v[r] as usize,
            other => panic!("sample column {other:?}"),
        };
        let scenario = base.with_values(&sweep.row_values(row)).unwrap();
        let mut own = Vec::new();
        flatten(&crate::run(&scenario).unwrap().summary().to_value(), &mut String::new(), &mut own);
        assert!(own.len() > 50, "only {} figures", own.len());
        for (path, number) in own {
            let name =
                if sweep.axes.iter().any(|a| a.key == path) { format!("summary.{path}") } else { path };
            let column = &table.column(&name).unwrap_or_else(|| panic!("no column {name}")).values;
            match column {
                ColumnValues::I64(v) => assert_eq!(Some(v[r]), number.as_i64(), "row {row}, {name}"),
                ColumnValues::OptF64(v) => {
                    assert_eq!(v[r].map(f64::to_bits), number.as_f64().map(f64::to_bits), "row {row}, {name}")
                }
                other => panic!("{name} is {other:?}"),
            }
        }
    }

    fn text(values: &[&str]) -> Vec<Value> {
        values.iter().map(|v| Value::String(v.to_string())).collect()
    }

    #[test]
    fn rows_sharing_the_it_side_equal_their_own_runs_to_the_bit() {
        let base = small_default();
        let sweep = Sweep::new(
            &base,
            vec![
                axis("site.climate", &text(&["phoenix", "stockholm"])),
                axis("cooling.economizer", &text(&["none", "air_side"])),
                axis("cooling.chilled_water_supply_c", &[Value::Float(9.0), Value::Float(21.0)]),
            ],
            2,
            Some(11),
        )
        .unwrap();
        // Both seeds' IT side is computed once and shared by their rows
        // (no row needs the servers' power alone).
        let shared = shared_power(&base, &sweep, &(0..sweep.rows()), &Limits::default(), &Control::default());
        let shared = shared.unwrap();
        assert!(shared.iter().all(|s| s.as_ref().is_some_and(|s| s.it_side.is_some())));
        assert!(shared.iter().all(|s| s.as_ref().is_some_and(|s| s.servers_power.is_none())));
        let table = evaluate(&base, &sweep, 0..sweep.rows()).unwrap();
        assert_eq!(table.rows(), 16);
        for r in [0, 3, 9, 14] {
            assert_row_is_its_own_run(&table, r, &sweep, &base);
        }
        // The rows differ where the grid says (the climate moves the PUE).
        let ColumnValues::OptF64(pue) = &table.column("pue.annual").unwrap().values else { panic!() };
        assert_ne!(pue[0], pue[8]);
    }

    #[test]
    fn rows_sharing_only_the_servers_power_equal_their_own_runs_to_the_bit() {
        let base = small_default();
        // The legacy power chain changes the IT side, not the servers' power.
        let sweep = Sweep::new(
            &base,
            vec![
                axis("power_chain.preset", &text(&["legacy", "modern"])),
                axis("cooling.chilled_water_supply_c", &[Value::Float(9.0), Value::Float(21.0)]),
            ],
            1,
            None,
        )
        .unwrap();
        let shared = shared_power(&base, &sweep, &(0..4), &Limits::default(), &Control::default()).unwrap();
        let shared = shared[0].as_ref().unwrap();
        assert!(shared.it_side.is_some() && shared.servers_power.is_some());
        let legacy = base.with_values(&sweep.row_values(0)).unwrap();
        let year = shared.for_row(&legacy);
        assert!(year.it_side.is_none() && year.servers_power.is_some());
        let table = evaluate(&base, &sweep, 0..4).unwrap();
        for r in 0..4 {
            assert_row_is_its_own_run(&table, r, &sweep, &base);
        }
    }

    #[test]
    fn rows_that_move_the_servers_share_nothing_and_a_tight_cap_keeps_seeds_out() {
        let base = small_default();
        let counts = axis("servers[0].count", &[Value::Integer(360), Value::Integer(380)]);
        let sweep = Sweep::new(&base, vec![counts], 1, None).unwrap();
        let none = shared_power(&base, &sweep, &(0..2), &Limits::default(), &Control::default()).unwrap();
        assert!(none[0].is_none());
        let table = evaluate(&base, &sweep, 0..2).unwrap();
        assert_row_is_its_own_run(&table, 1, &sweep, &base);
        // Two seeds whose servers' power fits the cap one at a time: only
        // the first keeps it.
        let grid = vec![
            axis("power_chain.preset", &text(&["legacy"])),
            axis("cooling.chilled_water_supply_c", &[Value::Float(9.0), Value::Float(21.0)]),
        ];
        let sweep = Sweep::new(&base, grid, 2, None).unwrap();
        let one_seed_gib = servers_power_bytes(&base).unwrap() / (1u64 << 30) as f64;
        let tight = Limits { max_memory_gib: 3.0 * one_seed_gib, ..Limits::default() };
        let shared = shared_power(&base, &sweep, &(0..4), &tight, &Control::default()).unwrap();
        assert_eq!((shared[0].is_some(), shared[1].is_some()), (true, false));
        // Its bytes are what the estimate said.
        let kept = shared[0].as_ref().unwrap().servers_power.as_ref().unwrap();
        assert_eq!(kept.bytes() as f64, servers_power_bytes(&base).unwrap());
    }

    #[test]
    fn a_cancelled_sweep_stops_before_computing_what_rows_share() {
        let base = small_default();
        let climates = axis("site.climate", &text(&["phoenix", "stockholm"]));
        let sweep = Sweep::new(&base, vec![climates], 1, None).unwrap();
        let token = plenum_engine::CancelToken::new();
        token.cancel();
        let control = Control::default().with_cancel(&token);
        let error = evaluate_controlled(&base, &sweep, 0..2, &control).unwrap_err();
        let RunError::Interrupted(Some(stopped)) = error else { panic!("not interrupted: {error}") };
        assert_eq!((stopped.partial.rows(), stopped.total), (0, 2));
    }

    #[test]
    fn the_size_check_counts_rows_sharing_the_it_side_at_their_own_cost() {
        // The exact spread method: a year of its own is about 3.2 s estimated.
        let exact = [("utilization.server_spread_method", Value::String("exact".into()))];
        let base = plenum_scenario::embedded::load("default").and_then(|s| s.with_values(&exact)).unwrap();
        let grid =
            |key: &str, values: Vec<Value>| Sweep::new(&base, vec![axis(key, &values)], 1, None).unwrap();
        // 300 whole years of the default fleet are above the default cap;
        // 300 rows continuing one shared IT side are not.
        let temperatures = (0..300).map(|i| Value::Float(7.0 + f64::from(i) * 0.06)).collect();
        let cooling = grid("cooling.chilled_water_supply_c", temperatures);
        cooling.check_size(&base, &Limits::default()).unwrap();
        let counts = (0..300).map(|i| Value::Integer(40_000 + i)).collect();
        let servers = grid("servers[0].count", counts);
        let RunError::TooLarge(error) = servers.check_size(&base, &Limits::default()).unwrap_err() else {
            panic!("not refused")
        };
        assert!(error.render(false).contains("300 rows"), "{}", error.render(false));
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
