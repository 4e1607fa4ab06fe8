//! `[workload]`: read the trace (plenum-io) and replay it (engine); the
//! replay's hourly fleet power then drives the facility year.

use anyhow::{Context, Result};
use plenum_engine::workload::WorkloadOutcome;
use plenum_engine::{ColumnValues, ReplayHourly};
use plenum_scenario::Scenario;

/// Load and replay the scenario's workload, if it has one.
pub fn replay(scenario: &Scenario) -> Result<Option<WorkloadOutcome>> {
    let Some(w) = &scenario.workload else { return Ok(None) };
    // Bad files are `TraceError`s; a path whose variable is unset is a
    // problem of the scenario's field (both are input errors, exit status 2).
    let input = plenum_io::trace::load_workload(w, scenario.seed).map_err(|e| match e {
        plenum_io::trace::LoadError::Trace(e) => anyhow::Error::new(e),
        plenum_io::trace::LoadError::Path(message) => {
            let field =
                if message.starts_with("workload.topology") { "workload.topology" } else { "workload.path" };
            let message = message.strip_prefix(&format!("{field}: ")).unwrap_or(&message).to_string();
            anyhow::Error::new(scenario.error_at(field, message, None))
        }
    })?;
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
