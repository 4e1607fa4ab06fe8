//! `[workload]` at the edge: read the trace (plenum-io), replay it (engine),
//! put the figures and series into the results, and show them in the table.

use anyhow::{Context, Result};
use plenum_engine::workload::{WorkloadOutcome, WorkloadSummary};
use plenum_engine::{ColumnValues, ReplayHourly, Results};
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

/// Put the replay's figures and series into the results.
pub fn attach(outcome: WorkloadOutcome, results: &mut Results) {
    results.workload = Some(outcome.summary);
    results.tables.extend(outcome.tables);
}

/// The replay's figures as text lines under the main table.
pub fn table(s: &WorkloadSummary) -> String {
    let w = &s.workload;
    let mut out = format!(
        "\nWorkload replay ({})\n  tasks {}: placed {}, completed {}, rejected {}, unfinished {}\n  \
         CPU core-hours: requested {:.1}, served {:.1}, throttled {:.1}\n  \
         mean wait {:.1} s (max {:.1} s), peak active hosts {} of {}, makespan {:.0} s\n  \
         IT energy {:.4} MWh (mean {:.2} kW)\n",
        w.source,
        w.tasks,
        w.placed,
        w.completed,
        w.rejected,
        w.unfinished,
        w.requested_cpu_core_hours,
        w.served_cpu_core_hours,
        w.throttled_cpu_core_hours,
        w.mean_wait_s,
        w.max_wait_s,
        w.peak_active_hosts,
        w.hosts,
        w.makespan_s,
        s.energy.it_mwh,
        s.energy.mean_it_kw
    );
    for note in &w.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}
