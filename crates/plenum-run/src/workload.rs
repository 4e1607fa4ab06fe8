//! `[workload]`: read the trace (plenum-io) and replay it (engine); the
//! replay's hourly fleet power then drives the facility year.

use anyhow::{Context, Result};
use plenum_engine::workload::WorkloadOutcome;
use plenum_engine::{ColumnValues, ReplayHourly};
use plenum_scenario::Scenario;

/// Load and replay the scenario's workload, if it has one.
pub fn replay(scenario: &Scenario) -> Result<Option<WorkloadOutcome>> {
    let Some(w) = &scenario.workload else { return Ok(None) };
    let input = plenum_io::trace::load_workload(w, scenario.seed)?;
    let outcome = plenum_engine::workload::replay(scenario, &input.trace, input.hosts.as_deref())
        .context("replaying the workload")?;
    Ok(Some(outcome))
}

/// The replay's fleet IT power by hour, for the facility year.
pub fn hourly(outcome: &WorkloadOutcome) -> Option<ReplayHourly> {
    let cluster = outcome.tables.iter().find(|t| t.name == "workload_cluster")?;
    let f64s = |name: &str| match cluster.column(name).map(|c| &c.values) {
        Some(ColumnValues::F64(v)) => Some(v.clone()),
        _ => None,
    };
    ReplayHourly::from_samples(&f64s("time_s")?, &f64s("it_power_kw")?, &f64s("mean_utilization")?)
}
