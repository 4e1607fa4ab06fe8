//! One-at-a-time sensitivity of a whole run: the size check, the scenario's
//! data files and workload replay, the base run, and every numeric input
//! moved down and up ([`plenum_engine::sensitivity`](mod@plenum_engine::sensitivity) ranks the effects).
//!
//! With a `[workload]`, the replay drives every variant's facility year, as
//! it drives `plenum run`'s: the base replay's hourly IT power for inputs the
//! replay does not read, and a replay of its own for a variant that moves an
//! input it reads (`servers[*]`, `workload.*`).
//!
//! What a variant does not touch is computed once: the data files are read
//! once, and a variant that moves nothing the simulated year reads (a price,
//! an amortization period, staff; [`plenum_engine::facility::same_year`])
//! reuses the base's year and recomputes only the cost; one that moves only
//! the cooling plant continues each hour from the base's IT side (everything
//! up to the UPS's input; [`plenum_engine::facility::same_it_side`]); one
//! that moves the power chain or the switches reuses the servers' power of
//! every rack and hour ([`plenum_engine::facility::same_servers_power`]) and
//! recomputes the rest of its year. All are bit-identical to a run of their
//! own.

use crate::{Limits, Result, Run, check_size, workload};
use plenum_engine::Control;
use plenum_engine::limits::{PartKind, estimate};
use plenum_engine::sensitivity::{
    Progress, Selection, SensitivityRow, selected_inputs, sensitivity_evaluated,
};
use plenum_scenario::Scenario;

/// A sensitivity study and the run it moves away from.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    /// One row per input moved, largest swing first.
    pub rows: Vec<SensitivityRow>,
    /// Inputs left out, with why (in file order).
    pub left_out: Vec<(String, &'static str)>,
    /// The scenario's own run (everything `plenum run` computes).
    pub base: Run,
}

/// Whether moving `path` changes what the workload replay computes: the
/// hosts come from `[[servers]]` and the replay from `[workload]`.
pub fn moves_the_replay(path: &str) -> bool {
    path.starts_with("servers[") || path.starts_with("workload.")
}

/// Move every numeric input `selection` picks by `−fraction` and `+fraction`
/// and rank the effects on cost, within `limits` (the base run's size plus
/// one facility year per variant); `progress` hears of every variant.
pub fn sensitivity(
    scenario: &Scenario,
    fraction: f64,
    selection: Selection,
    limits: &Limits,
    progress: &Progress<'_>,
) -> Result<Sensitivity> {
    let (moved, left_out) = selected_inputs(scenario, fraction, selection);
    let variants = 2 * moved.len();
    let base_size = estimate(scenario, None).only(&[PartKind::FacilityYear, PartKind::Reliability]);
    let size = base_size
        .clone()
        .only(&[PartKind::FacilityYear])
        .times(variants as f64, &format!("{variants} variants"))
        .and(base_size);
    check_size(scenario, &size, limits)?;
    let base = crate::run_limited(scenario, limits)?;
    let mut inputs = plenum_io::load_inputs(scenario)?;
    inputs.replay_hourly = workload::hourly_from_tables(&base.results.tables);
    // The year every variant that does not touch it shares (the base run's
    // own year carries columns the market accounting added to it).
    let base_year = plenum_engine::facility::simulate(scenario, &inputs)?;
    // The servers' power of every rack and hour, shared by every variant that
    // moves only the power chain, the cooling plant, the switches or a price.
    let mut shared = inputs.clone();
    shared.servers_power =
        plenum_engine::facility::servers_power(scenario, &inputs)?.map(std::sync::Arc::new);
    // The IT side of the year (every hour up to the UPS's input), shared by
    // every variant that moves only the cooling plant or a price: such a
    // variant computes its cooling, mechanical stages and summary alone.
    let mut with_it_side = shared.clone();
    with_it_side.it_side =
        plenum_engine::facility::it_side(scenario, &shared, &Control::default())?.map(std::sync::Arc::new);
    let evaluate = |variant: &Scenario, path: Option<&str>| {
        let moves_workload = path.is_some_and(|p| p.starts_with("workload."));
        if !moves_workload && plenum_engine::facility::same_year(variant, scenario) {
            return plenum_engine::run_with_year(variant, base_year.clone(), &Control::default())
                .map_err(|e| e.to_string());
        }
        if !moves_workload
            && with_it_side.it_side.is_some()
            && plenum_engine::facility::same_it_side(variant, scenario)
        {
            return plenum_engine::run(variant, &with_it_side).map_err(|e| e.to_string());
        }
        if !moves_workload && plenum_engine::facility::same_servers_power(variant, scenario) {
            return plenum_engine::run(variant, &shared).map_err(|e| e.to_string());
        }
        let replayed = variant.workload.is_some() && path.is_some_and(moves_the_replay);
        if !replayed {
            return plenum_engine::run(variant, &inputs).map_err(|e| e.to_string());
        }
        let replay =
            workload::replay(variant, limits, None, &Control::default()).map_err(|e| e.to_string())?;
        let mut own = inputs.clone();
        own.replay_hourly = replay.as_ref().and_then(|(outcome, _)| workload::hourly(outcome));
        plenum_engine::run(variant, &own).map_err(|e| e.to_string())
    };
    let rows = sensitivity_evaluated(scenario, fraction, selection, &evaluate, progress);
    Ok(Sensitivity { rows, left_out, base })
}
