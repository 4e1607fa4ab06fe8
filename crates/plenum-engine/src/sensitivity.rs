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
//! The inputs are every number in effect: those the file writes, and those a
//! preset supplies that the file could write ([`preset_inputs`]: the cooling
//! plant's values, the power chain's stage losses). A preset's stage loss is
//! moved by writing the preset's stages out with that one value moved.
//!
//! Left out ([`selected_inputs`], with the reason): inputs that cannot move
//! (zero, or a whole number the move rounds back to its value: a count of 2
//! moved by 20% is still 2), inputs the cost total does not read (a share that
//! splits a cost line between two lines, carbon-only figures, the reliability
//! study and the capacity plan), and scale inputs (server counts: moving
//! them changes the size of the site, not its design, and dwarfs every other
//! swing) unless asked for ([`Selection`]).

use crate::{Inputs, run};
use plenum_models::cooling::Economizer;
use plenum_models::power_chain::Redundancy;
use plenum_scenario::{Level, Scenario, StageSpec};
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
/// those it leaves out with the reason (in file order, preset values last).
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
        if value == 0.0 {
            left_out.push((path, "zero: a fraction of it moves nothing"));
        } else if rounds_back {
            left_out.push((path, "a whole number the move rounds back"));
        } else if let Some(why) = outside_the_total(scenario, &path) {
            left_out.push((path, why));
        } else if !selection.include_scale && is_scale_input(&path) {
            left_out.push((path, "a scale input (--include-scale moves it)"));
        } else {
            kept.push((path, value, integer));
        }
    }
    (kept, left_out)
}

/// Why the total monthly cost cannot depend on `path`, if it cannot.
pub fn outside_the_total(scenario: &Scenario, path: &str) -> Option<&'static str> {
    let server_key = path.strip_prefix("servers[").and_then(|rest| rest.split_once("].")).map(|(_, key)| key);
    if path == "facility.power_cooling_share" {
        Some("a share that splits the facility line in two: the total does not move")
    } else if path.starts_with("carbon.")
        || path.starts_with("carbon_aware.")
        || server_key == Some("embodied_kgco2e")
    {
        Some("carbon only: the cost does not read it")
    } else if path.starts_with("reliability.") {
        Some("the reliability study: the cost does not read it")
    } else if path.starts_with("plan.") {
        Some("the capacity plan: not part of the run's cost")
    } else if path.starts_with("telemetry.") {
        Some("measurements to compare with: the cost does not read them")
    } else if scenario.workload.is_none()
        && matches!(server_key, Some("cores" | "threads_per_core" | "memory_gib" | "work_rate"))
    {
        // Without a replay they set vCPU counts and the SKU comparison only.
        Some("read by per-vCPU figures and the SKU comparison, not by the total")
    } else {
        None
    }
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
                let changes = changes_moving(scenario, path, value);
                let changes: Vec<(&str, Value)> =
                    changes.iter().map(|(p, v)| (p.as_str(), v.clone())).collect();
                let result = scenario.with_values(&changes).map_err(|e| e.to_string()).and_then(|mut s| {
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

/// Numeric inputs of a scenario: (path, value, a whole-number field): the
/// numbers the file writes, in file order, then [`preset_inputs`].
pub fn numeric_inputs(scenario: &Scenario) -> Vec<(String, f64, bool)> {
    let schema = plenum_scenario::json_schema();
    let mut inputs: Vec<NumericInput> = scenario
        .document
        .numeric_leaves()
        .into_iter()
        .filter(|(path, _, _)| path != "scenario.seed")
        .map(|(path, value, _)| {
            let integer = plenum_scenario::check::is_integer_field(schema, &path);
            (path, value, integer)
        })
        .collect();
    inputs.extend(preset_inputs(scenario));
    inputs
}

/// Numbers in effect that the file does not write but could: the cooling
/// plant's values from its preset (`cooling.chiller_cop_rated`...), the
/// share of other loads, and the non-zero loss coefficients of the preset's
/// power-chain stages (`power_chain.stages[3].no_load_loss`) when the file
/// writes no `stages`. Values a design does not read are not listed (an
/// air-side economizer's limits in a plant without one).
pub fn preset_inputs(scenario: &Scenario) -> Vec<NumericInput> {
    let Some(physics) = &scenario.physics else { return Vec::new() };
    let tree = &scenario.document.tree;
    let written = |table: &str, key: &str| {
        tree.get(table).and_then(Value::as_table).is_some_and(|t| t.contains_key(key))
    };
    let mut out = Vec::new();
    if tree.contains_key("cooling") {
        let plant = &physics.cooling;
        let economizer = plant.economizer;
        let mut cooling: Vec<(&str, f64, bool)> = vec![
            ("chiller_cop_rated", plant.chiller_cop_rated, false),
            ("chillers", f64::from(plant.chillers), true),
            ("supply_air_c", plant.supply_air_c, false),
            ("return_air_c", plant.return_air_c, false),
            ("chilled_water_supply_c", plant.chilled_water_supply_c, false),
            ("chilled_water_delta_t_k", plant.chilled_water_delta_t_k, false),
            ("rejection_approach_k", plant.rejection_approach_k, false),
            ("fan_design_fraction", plant.fan_design_fraction, false),
            ("fan_min_speed_fraction", plant.fan_min_speed_fraction, false),
            ("chilled_water_pump_fraction", plant.chilled_water_pump_fraction, false),
            ("condenser_pump_fraction", plant.condenser_pump_fraction, false),
            ("tower_fan_fraction", plant.tower_fan_fraction, false),
            ("other_loads_fraction", physics.other_loads_fraction, false),
        ];
        match economizer {
            Economizer::WaterSide => cooling.push(("hx_approach_k", plant.hx_approach_k, false)),
            Economizer::AirSide => cooling.extend([
                ("air_economizer_approach_k", plant.air_economizer_approach_k, false),
                ("air_economizer_max_dew_point_c", plant.air_economizer_max_dew_point_c, false),
            ]),
            Economizer::None => {}
        }
        for (key, value, integer) in cooling {
            if !written("cooling", key) && value != 0.0 {
                out.push((format!("cooling.{key}"), value, integer));
            }
        }
    }
    if !written("power_chain", "stages") {
        for (i, stage) in physics.power_chain.stages.iter().enumerate() {
            for (key, value) in [
                ("no_load_loss", stage.loss.no_load),
                ("proportional_loss", stage.loss.proportional),
                ("square_loss", stage.loss.square),
            ] {
                if value != 0.0 {
                    out.push((format!("power_chain.stages[{i}].{key}"), value, false));
                }
            }
        }
    }
    out
}

/// The document changes that set input `path` to `value`: the key itself,
/// or, for a stage loss of a preset's power chain the file does not write,
/// the preset's stages written out with that one value in place.
pub fn changes_moving(scenario: &Scenario, path: &str, value: Value) -> Vec<(String, Value)> {
    let written_stages = scenario
        .document
        .tree
        .get("power_chain")
        .and_then(Value::as_table)
        .is_some_and(|t| t.contains_key("stages"));
    let stage_key = path
        .strip_prefix("power_chain.stages[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(i, key)| Some((i.parse::<usize>().ok()?, key)));
    match (&scenario.physics, stage_key) {
        (Some(physics), Some((index, key))) if !written_stages => {
            let stages = physics
                .power_chain
                .stages
                .iter()
                .enumerate()
                .map(|(i, stage)| {
                    let mut table = stage_table(stage);
                    if i == index {
                        table.insert(key.to_string(), value.clone());
                    }
                    Value::Table(table)
                })
                .collect();
            vec![("power_chain.stages".to_string(), Value::Array(stages))]
        }
        _ => vec![(path.to_string(), value)],
    }
}

/// A resolved stage as the `[[power_chain.stages]]` table that gives it.
fn stage_table(stage: &StageSpec) -> toml::Table {
    let mut table = toml::Table::new();
    table.insert("name".into(), Value::String(stage.name.clone()));
    let level = match stage.level {
        Level::Site => "site",
        Level::Pdu => "pdu",
        Level::Rack => "rack",
    };
    table.insert("level".into(), Value::String(level.into()));
    if let Some(kw) = stage.capacity_kw {
        table.insert("capacity_kw".into(), Value::Float(kw));
    }
    if let Some(units) = stage.units {
        table.insert("units".into(), Value::Integer(i64::from(units)));
    }
    let redundancy = match stage.redundancy {
        Redundancy::N => "n",
        Redundancy::NPlus1 => "n+1",
        Redundancy::NPlus2 => "n+2",
        Redundancy::TwoN => "2n",
        Redundancy::TwoNPlus1 => "2n+1",
        Redundancy::DistributedRedundant => "dr",
    };
    table.insert("redundancy".into(), Value::String(redundancy.into()));
    table.insert("no_load_loss".into(), Value::Float(stage.loss.no_load));
    table.insert("proportional_loss".into(), Value::Float(stage.loss.proportional));
    table.insert("square_loss".into(), Value::Float(stage.loss.square));
    table.insert("feeds_mechanical".into(), Value::Boolean(stage.feeds_mechanical));
    table
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

    /// The default site at a tenth of a megawatt's fleet, quick in a debug build.
    fn small_default() -> Scenario {
        Scenario::embedded_default()
            .with_values(&[
                ("servers[0].count", Value::Integer(2_000)),
                ("facility.critical_power_kw", Value::Float(400.0)),
            ])
            .unwrap()
    }

    #[test]
    fn preset_values_in_effect_are_inputs_and_move_exactly() {
        let scenario = small_default();
        let (kept, left_out) = selected_inputs(&scenario, 0.2, Selection::default());
        let kept: Vec<&str> = kept.iter().map(|(p, _, _)| p.as_str()).collect();
        for preset in ["cooling.chiller_cop_rated", "cooling.chillers", "power_chain.stages[3].no_load_loss"]
        {
            assert!(kept.contains(&preset), "{preset} not moved: {kept:?}");
        }
        // The modern plant has a water-side economizer: no air-side limits.
        assert!(!kept.iter().any(|p| p.contains("air_economizer")));
        let out = |p: &str| left_out.iter().find(|(q, _)| q == p).map(|(_, why)| *why);
        assert!(out("maintenance.it_annual_fraction").is_some_and(|w| w.starts_with("zero")));
        assert!(out("facility.power_cooling_share").is_some_and(|w| w.contains("total does not move")));
        assert!(out("carbon.building_t_per_mw").is_some_and(|w| w.contains("carbon only")));
        assert!(out("servers[0].cores").is_some_and(|w| w.contains("per-vCPU")));
        // Writing the preset's stages out, one value set to itself, resolves
        // to the very same power chain; moved, only that coefficient changes.
        let physics = scenario.physics.as_ref().unwrap();
        let ups = physics.power_chain.stages[3].loss.no_load;
        let same = |v: f64| {
            let changes = changes_moving(&scenario, "power_chain.stages[3].no_load_loss", Value::Float(v));
            let changes: Vec<(&str, Value)> = changes.iter().map(|(p, v)| (p.as_str(), v.clone())).collect();
            scenario.with_values(&changes).unwrap().physics.unwrap()
        };
        assert_eq!(same(ups), *physics);
        let moved = same(ups * 1.2);
        assert_eq!(moved.power_chain.stages[3].loss.no_load, ups * 1.2);
        assert_eq!(moved.power_chain.stages[2], physics.power_chain.stages[2]);
    }

    #[test]
    fn variants_reuse_the_year_or_the_servers_power_to_the_bit() {
        let scenario = small_default();
        let inputs = Inputs::default();
        let year = crate::facility::simulate(&scenario, &inputs).unwrap();
        let (kept, _) = selected_inputs(&scenario, 0.2, Selection::default());
        let mut reused = Vec::new();
        let mut shared = Vec::new();
        let with_power = Inputs {
            servers_power: crate::facility::servers_power(&scenario, &inputs)
                .unwrap()
                .map(std::sync::Arc::new),
            ..Inputs::default()
        };
        let with_it_side = Inputs {
            it_side: crate::facility::it_side(&scenario, &with_power, &crate::Control::default())
                .unwrap()
                .map(std::sync::Arc::new),
            ..with_power.clone()
        };
        let mut continued = Vec::new();
        for (path, value, integer) in &kept {
            let moved = if *integer {
                Value::Integer((value * 1.2).round() as i64)
            } else {
                Value::Float(value * 1.2)
            };
            let changes = changes_moving(&scenario, path, moved);
            let changes: Vec<(&str, Value)> = changes.iter().map(|(p, v)| (p.as_str(), v.clone())).collect();
            let variant = scenario.with_values(&changes).unwrap();
            if !crate::facility::same_year(&variant, &scenario) {
                if crate::facility::same_servers_power(&variant, &scenario) {
                    let own = run(&variant, &inputs).unwrap().summary();
                    let reading = run(&variant, &with_power).unwrap().summary();
                    let json = |s: &crate::Summary| serde_json::to_string(s).unwrap();
                    assert_eq!(json(&own), json(&reading), "{path}");
                    shared.push(path.as_str());
                    if crate::facility::same_it_side(&variant, &scenario) {
                        let continuing = run(&variant, &with_it_side).unwrap().summary();
                        assert_eq!(json(&own), json(&continuing), "{path}");
                        continued.push(path.as_str());
                    }
                }
                continue;
            }
            let own = run(&variant, &inputs).unwrap().summary();
            let shared =
                crate::run_with_year(&variant, year.clone(), &crate::Control::default()).unwrap().summary();
            assert_eq!(
                serde_json::to_string(&own).unwrap(),
                serde_json::to_string(&shared).unwrap(),
                "{path}"
            );
            reused.push(path.as_str());
        }
        for cost_only in
            ["servers[0].price_usd", "finance.cost_of_money_annual", "people.admin_annual_cost_usd"]
        {
            assert!(reused.contains(&cost_only), "{cost_only} not reused: {reused:?}");
        }
        for physical in ["energy.price_usd_per_kwh", "cooling.chiller_cop_rated", "servers[0].peak_power_w"] {
            assert!(!reused.contains(&physical), "{physical} reused");
        }
        for chain_or_plant in
            ["energy.price_usd_per_kwh", "cooling.chiller_cop_rated", "power_chain.stages[3].no_load_loss"]
        {
            assert!(shared.contains(&chain_or_plant), "{chain_or_plant} not shared: {shared:?}");
        }
        for draw in ["servers[0].peak_power_w", "utilization.mean_cpu_fraction", "utilization.server_spread"]
        {
            assert!(!shared.contains(&draw) && !reused.contains(&draw), "{draw} reused");
        }
        // The cooling plant continues from the shared IT side; the chain cannot.
        assert!(continued.contains(&"cooling.chiller_cop_rated"), "{continued:?}");
        assert!(!continued.contains(&"power_chain.stages[3].no_load_loss"), "{continued:?}");
    }
}
