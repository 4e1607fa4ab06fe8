//! One-at-a-time sensitivity: move every numeric input of a scenario down and
//! up by a fraction and rank inputs by the swing in total monthly cost (the
//! data behind a tornado chart).
//!
//! The reliability study, which does not change cost, is left out of every
//! variant. Variants are built by editing the scenario document and validating it
//! again, so a move that breaks a rule (a share pushed above 1) is reported as
//! invalid rather than evaluated. The seed is not an input and is not moved.
//! Variants run in parallel; results are collected in input order, so the
//! ranking is the same on any number of threads. A [`Progress`] callback
//! hears of every variant evaluated (for a progress bar).
//!
//! Left out by default ([`Selection`]): whole-number inputs that the move
//! rounds back to their value (a count of 2 moved by 20% is still 2), and
//! scale inputs (server counts: moving them changes the size of the site, not
//! its design, and dwarfs every other swing) unless asked for.

use crate::{Inputs, run};
use plenum_scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use toml::Value;

/// The effect of moving one input.
#[derive(Debug, Clone, Serialize)]
pub struct SensitivityRow {
    /// Path of the input (`energy.pue`).
    pub input: String,
    /// Its value in the scenario.
    pub base_value: f64,
    /// Value after moving it down.
    pub low_value: f64,
    /// Value after moving it up.
    pub high_value: f64,
    /// Total monthly cost with the low value (None if that variant is invalid).
    pub total_low_usd: Option<f64>,
    /// Total monthly cost with the high value.
    pub total_high_usd: Option<f64>,
    /// Cost per server-month with the low value.
    pub per_server_month_low_usd: Option<f64>,
    /// Cost per server-month with the high value.
    pub per_server_month_high_usd: Option<f64>,
    /// |high − low| of the total, over the valid variants.
    pub swing_usd: f64,
    /// Why a variant was invalid, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
}

/// A progress callback: `(done, total)` units of work, called from any
/// thread as work completes (counts only grow; calls may arrive out of order).
pub type Progress<'a> = dyn Fn(u64, u64) + Sync + 'a;

/// Move each numeric input by `−fraction` and `+fraction` of its value.
/// `inputs` are the scenario's data files, already read (moving numbers
/// never changes which files a scenario reads).
pub fn sensitivity(scenario: &Scenario, inputs: &Inputs, fraction: f64) -> Vec<SensitivityRow> {
    sensitivity_with_progress(scenario, inputs, fraction, &|_, _| {})
}

/// A numeric input: (path, value, a whole-number field).
pub type NumericInput = (String, f64, bool);

/// Which inputs a sensitivity moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// Move scale inputs (server counts) too.
    pub include_scale: bool,
}

/// Whether `path` sets the size of the site rather than its design.
pub fn is_scale_input(path: &str) -> bool {
    path.starts_with("servers[") && path.ends_with("].count")
}

/// The inputs a sensitivity moves by `fraction` under `selection`, and
/// those it leaves out with the reason (in file order).
pub fn selected_inputs(
    scenario: &Scenario,
    fraction: f64,
    selection: Selection,
) -> (Vec<NumericInput>, Vec<(String, &'static str)>) {
    let mut kept = Vec::new();
    let mut left_out = Vec::new();
    for (path, value, integer) in numeric_inputs(scenario) {
        let rounds_back = integer
            && (value * (1.0 - fraction)).round() == value
            && (value * (1.0 + fraction)).round() == value;
        if rounds_back {
            left_out.push((path, "a whole number the move rounds back"));
        } else if !selection.include_scale && is_scale_input(&path) {
            left_out.push((path, "a scale input (--include-scale moves it)"));
        } else {
            kept.push((path, value, integer));
        }
    }
    (kept, left_out)
}

/// [`sensitivity`], reporting each evaluated variant (and the base run) to `progress`.
pub fn sensitivity_with_progress(
    scenario: &Scenario,
    inputs: &Inputs,
    fraction: f64,
    progress: &Progress<'_>,
) -> Vec<SensitivityRow> {
    sensitivity_selected(scenario, inputs, fraction, Selection::default(), progress)
}

/// [`sensitivity_with_progress`] over the inputs `selection` picks ([`selected_inputs`]).
pub fn sensitivity_selected(
    scenario: &Scenario,
    inputs: &Inputs,
    fraction: f64,
    selection: Selection,
    progress: &Progress<'_>,
) -> Vec<SensitivityRow> {
    let evaluate = |s: &Scenario, _moved: Option<&str>| run(s, inputs).map_err(|e| e.to_string());
    sensitivity_evaluated(scenario, fraction, selection, &evaluate, progress)
}

/// How a sensitivity evaluates a scenario: the variant (reliability removed)
/// and the path of the input moved (`None` for the base), to its results or
/// why it failed. [`sensitivity_selected`] runs the engine on fixed inputs;
/// a front end that replays a workload (plenum-run) replays it again for a
/// variant whose moved input changes the replay.
pub type Evaluate<'a> = dyn Fn(&Scenario, Option<&str>) -> Result<crate::Results, String> + Sync + 'a;

/// [`sensitivity_selected`] with each scenario evaluated by `evaluate`.
pub fn sensitivity_evaluated(
    scenario: &Scenario,
    fraction: f64,
    selection: Selection,
    evaluate_scenario: &Evaluate<'_>,
    progress: &Progress<'_>,
) -> Vec<SensitivityRow> {
    let (leaves, _) = selected_inputs(scenario, fraction, selection);
    let total_runs = 2 * leaves.len() as u64 + 1;
    let done = AtomicU64::new(0);
    let tick = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total_runs);
    let mut base = scenario.clone();
    base.reliability = None;
    let base_total = evaluate_scenario(&base, None).map(|r| r.cost.total_monthly_usd).unwrap_or(f64::NAN);
    tick();
    let mut rows: Vec<SensitivityRow> = leaves
        .par_iter()
        .map(|(path, base, integer)| {
            let moved = |factor: f64| {
                let x = base * factor;
                if *integer { x.round() } else { x }
            };
            let (low_value, high_value) = (moved(1.0 - fraction), moved(1.0 + fraction));
            let evaluate = |v: f64| {
                let value = if *integer { Value::Integer(v as i64) } else { Value::Float(v) };
                let result = scenario
                    .with_values(&[(path.as_str(), value)])
                    .map_err(|e| e.to_string())
                    .and_then(|mut s| {
                        s.reliability = None; // cost does not depend on the Monte Carlo study
                        let r = evaluate_scenario(&s, Some(path))?;
                        Ok((r.cost.total_monthly_usd, r.cost.per_server_month_usd))
                    });
                tick();
                result
            };
            let (low, high) = (evaluate(low_value), evaluate(high_value));
            let invalid = [&low, &high]
                .iter()
                .find_map(|r| r.as_ref().err())
                .map(|e| e.lines().find(|l| !l.starts_with("error:")).unwrap_or(e).to_string());
            let total = |r: &Result<(f64, f64), _>| r.as_ref().ok().map(|x| x.0);
            let per_server = |r: &Result<(f64, f64), _>| r.as_ref().ok().map(|x| x.1);
            let swing_usd = match (total(&low), total(&high)) {
                (Some(l), Some(h)) => (h - l).abs(),
                (Some(x), None) | (None, Some(x)) => (x - base_total).abs(),
                (None, None) => 0.0,
            };
            SensitivityRow {
                input: path.clone(),
                base_value: *base,
                low_value,
                high_value,
                total_low_usd: total(&low),
                total_high_usd: total(&high),
                per_server_month_low_usd: per_server(&low),
                per_server_month_high_usd: per_server(&high),
                swing_usd,
                invalid,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.swing_usd.total_cmp(&a.swing_usd).then_with(|| a.input.cmp(&b.input)));
    rows
}

/// Numeric inputs of a scenario: (path, value, a whole-number field).
pub fn numeric_inputs(scenario: &Scenario) -> Vec<(String, f64, bool)> {
    let schema = plenum_scenario::json_schema();
    scenario
        .document
        .numeric_leaves()
        .into_iter()
        .filter(|(path, _, _)| path != "scenario.seed")
        .map(|(path, value, _)| {
            let integer = plenum_scenario::check::is_integer_field(schema, &path);
            (path, value, integer)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn progress_counts_every_run_once() {
        let scenario = plenum_scenario::embedded::load("hamilton-2010").unwrap();
        let calls = Mutex::new(Vec::new());
        let rows = sensitivity_with_progress(&scenario, &Inputs::default(), 0.2, &|done, total| {
            calls.lock().unwrap().push((done, total));
        });
        let mut calls = calls.into_inner().unwrap();
        let total = 2 * rows.len() as u64 + 1;
        assert!(calls.iter().all(|c| c.1 == total));
        calls.sort();
        assert_eq!(calls.iter().map(|c| c.0).collect::<Vec<_>>(), (1..=total).collect::<Vec<_>>());
        let plain = sensitivity(&scenario, &Inputs::default(), 0.2);
        assert_eq!(plain.len(), rows.len());
        assert_eq!(plain[0].swing_usd, rows[0].swing_usd);
    }

    #[test]
    fn inputs_that_cannot_move_and_scale_inputs_are_left_out() {
        let scenario = Scenario::embedded_default();
        let (kept, left_out) = selected_inputs(&scenario, 0.2, Selection::default());
        let out = |p: &str| left_out.iter().find(|(q, _)| q == p).map(|(_, why)| *why);
        assert!(out("servers[0].count").is_some_and(|w| w.contains("scale")));
        // threads_per_core = 2 moved by 20% rounds back to 2.
        assert!(out("servers[0].threads_per_core").is_some_and(|w| w.contains("rounds back")));
        assert!(kept.iter().any(|(p, _, _)| p == "energy.price_usd_per_kwh"));
        let (with_scale, _) = selected_inputs(&scenario, 0.2, Selection { include_scale: true });
        assert!(with_scale.iter().any(|(p, _, _)| p == "servers[0].count"));
        // Every input kept moves: its low and high values differ from the base.
        for (path, value, integer) in &kept {
            let low = if *integer { (value * 0.8).round() } else { value * 0.8 };
            assert!(low != *value || *value == 0.0, "{path} does not move");
        }
    }
}
