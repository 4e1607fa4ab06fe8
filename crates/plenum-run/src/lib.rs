//! What the front ends (the `plenum` command and the Python package) share:
//! a complete run of a scenario — its data files read, its workload replayed,
//! its year simulated, its reliability studied, its capacity planned — as one
//! [`Run`] with the summary the CLI prints and every table; and [`sweep`],
//! the same run over a grid of overrides and seeds.
//!
//! Errors are `anyhow` errors whose root is the typed error of the layer that
//! failed (`ScenarioError`, `plenum_io::DataError`, `TraceError`), so a front
//! end can tell bad input from a failure by downcasting.

pub mod sweep;
mod workload;

use anyhow::Result;
use plenum_engine::plan::PlanSummary;
use plenum_engine::{DataTable, Results};
use plenum_scenario::Scenario;

/// Everything one scenario produced.
#[derive(Debug, Clone)]
pub struct Run {
    /// The cost model, the simulated year, the reliability study and the
    /// workload replay.
    pub results: Results,
    /// The capacity plan and its tables, when the scenario has a `[plan]`.
    pub plan: Option<(PlanSummary, Vec<DataTable>)>,
}

impl Run {
    /// The run's summary: `Results::to_json` with `plan` added when there is
    /// one. This is what `plenum run --format json` prints.
    pub fn summary(&self) -> serde_json::Value {
        let mut summary = self.results.to_json();
        if let (Some((plan, _)), Some(map)) = (&self.plan, summary.as_object_mut()) {
            map.insert("plan".into(), serde_json::to_value(plan).expect("a plan serializes"));
        }
        summary
    }

    /// Every table the run produced: series and event logs, then the plan's.
    pub fn tables(&self) -> impl Iterator<Item = &DataTable> {
        self.results.tables.iter().chain(self.plan.iter().flat_map(|(_, tables)| tables))
    }
}

/// Run everything the scenario asks for: read its data files, replay its
/// workload (which then drives the facility year), evaluate cost, the year
/// and reliability, and plan capacity.
pub fn run(scenario: &Scenario) -> Result<Run> {
    let mut inputs = plenum_io::load_inputs(scenario)?;
    let plan_inputs = plenum_io::load_plan_inputs(scenario)?;
    let replay = workload::replay(scenario)?;
    inputs.replay_hourly = replay.as_ref().and_then(workload::hourly);
    let mut results = plenum_engine::run(scenario, &inputs)?;
    if let Some(outcome) = replay {
        results.workload = Some(outcome.summary);
        results.tables.extend(outcome.tables);
    }
    let plan = plenum_engine::plan::plan(scenario, &plan_inputs)?;
    Ok(Run { results, plan })
}
