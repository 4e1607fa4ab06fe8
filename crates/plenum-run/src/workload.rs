//! `[workload]`: read the trace (plenum-io) and replay it (engine); the
//! replay's hourly fleet power then drives the facility year.

use crate::{Result, RunError};
use plenum_engine::Control;
use plenum_engine::limits::{Limits, WorkloadShape};
use plenum_engine::workload::{TableSink, WorkloadOutcome, replay_controlled};
use plenum_engine::{ColumnValues, ReplayHourly};
use plenum_io::trace::WorkloadInput;
use plenum_scenario::Scenario;
use plenum_scenario::workload::{HostSource, Workload};

/// Load and replay the scenario's workload, if it has one, when the run with
/// its trace and hosts counted stays within `limits`; the loaded trace and
/// hosts come back too (for `[carbon_aware]`).
pub fn replay(
    scenario: &Scenario,
    limits: &Limits,
    streams: Option<crate::Streams<'_>>,
    control: &Control<'_>,
) -> Result<Option<(WorkloadOutcome, WorkloadInput)>> {
    let Some(w) = &scenario.workload else { return Ok(None) };
    let input = load(scenario, w)?;
    let mut shape = shape(scenario, w, &input);
    let streams = streams.filter(|_| w.host_series);
    shape.host_series_streamed = streams.is_some();
    crate::check_size(scenario, &plenum_engine::limits::estimate(scenario, Some(&shape)), limits)?;
    let groups = plenum_engine::workload::host_groups(scenario, input.hosts.as_deref())?;
    let Some(streams) = streams else {
        let mut sink = TableSink::new(w.host_series);
        let mut outcome = replay_controlled(w, &groups, &input.trace, scenario.seed, &mut sink, control)
            .map_err(|e| RunError::from(e).context("replaying the workload"))?;
        outcome.tables.extend(sink.into_tables());
        return Ok(Some((outcome, input)));
    };
    let writing = |e: std::io::Error| RunError::from(e).context("writing workload_host_series");
    let mut sink = plenum_io::write::StreamingSeries::create(streams.out, streams.csv).map_err(writing)?;
    let mut outcome = replay_controlled(w, &groups, &input.trace, scenario.seed, &mut sink, control)
        .map_err(|e| RunError::from(e).context("replaying the workload"))?;
    outcome.tables.extend(sink.finish().map_err(writing)?);
    Ok(Some((outcome, input)))
}

/// Read the workload's trace and topology. Bad files are `DataError`s; a
/// path whose variable is unset is a problem of the scenario's field (both
/// are input errors, exit status 2).
pub(crate) fn load(scenario: &Scenario, w: &Workload) -> Result<WorkloadInput> {
    plenum_io::trace::load_workload(w, scenario.seed).map_err(|e| match e {
        plenum_io::trace::LoadError::Data(e) => RunError::Data(e),
        plenum_io::trace::LoadError::Path(message) => {
            let field =
                if message.starts_with("workload.topology") { "workload.topology" } else { "workload.path" };
            let message = message.strip_prefix(&format!("{field}: ")).unwrap_or(&message).to_string();
            RunError::from(scenario.error_at(field, message, None))
        }
    })
}

/// The replay's size: the trace's tasks and fragments on the topology's hosts
/// (or `[[servers]]`), pointing at the file that brings the larger count.
pub(crate) fn shape(scenario: &Scenario, w: &Workload, input: &WorkloadInput) -> WorkloadShape {
    let hosts = match &input.hosts {
        Some(groups) => groups.iter().map(|g| g.count).fold(0u64, u64::saturating_add),
        None => scenario.server_count(),
    };
    let generated = WorkloadShape::of_generator(scenario, w).map(|s| s.field);
    let field = match (&w.hosts, generated) {
        (HostSource::OpenDcTopology { .. }, _) if hosts as usize >= input.trace.tasks.len() => {
            "workload.topology".to_string()
        }
        (_, Some(field)) => field,
        _ => "workload.path".to_string(),
    };
    WorkloadShape::of_trace(&input.trace, hosts, &field)
}

/// The replay's fleet IT power by hour, for the facility year.
pub fn hourly(outcome: &WorkloadOutcome) -> Option<ReplayHourly> {
    hourly_from_tables(&outcome.tables)
}

/// [`hourly`] from a run's tables (its `workload_cluster` series).
pub fn hourly_from_tables(tables: &[plenum_engine::DataTable]) -> Option<ReplayHourly> {
    let cluster = tables.iter().find(|t| t.name == "workload_cluster")?;
    let f64s = |name: &str| match cluster.column(name).map(|c| &c.values) {
        Some(ColumnValues::F64(v)) => Some(v.clone()),
        _ => None,
    };
    ReplayHourly::from_samples(&f64s("time_s")?, &f64s("it_power_kw")?, &f64s("mean_utilization")?)
}
