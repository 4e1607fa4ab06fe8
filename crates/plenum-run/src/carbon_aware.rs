//! `[carbon_aware]`: read the intensity series (plenum-io), build the jobs
//! (the replayed trace's or the periodic generator's) and compare shifting
//! with running at arrival (engine).

use crate::{Result, RunError};
use plenum_engine::DataTable;
use plenum_engine::carbon_aware::{
    CarbonAwareSummary, evaluate_fleet as compare_schedules, periodic_jobs, trace_jobs,
};
use plenum_io::intensity::{Aggregate, Clock, DstRule, IntensityFormat};
use plenum_io::trace::WorkloadInput;
use plenum_models::carbon_aware::{Fleet, IntensityGrid, Mode, Site};
use plenum_scenario::Scenario;
use plenum_scenario::carbon_aware::{CarbonJobs, Dst, Policy, SeriesClock};

/// The comparison, when the scenario has `[carbon_aware]`; `workload` is the
/// replayed trace and its hosts.
pub fn evaluate(
    scenario: &Scenario,
    workload: Option<&WorkloadInput>,
) -> Result<Option<(CarbonAwareSummary, Vec<DataTable>)>> {
    let Some(c) = &scenario.carbon_aware else { return Ok(None) };
    let path =
        plenum_io::trace::expand_env(&c.intensity_path, "carbon_aware.intensity").map_err(|message| {
            let message = message.strip_prefix("carbon_aware.intensity: ").unwrap_or(&message).to_string();
            RunError::from(scenario.error_at("carbon_aware.intensity", message, None))
        })?;
    let format = IntensityFormat {
        time_column: c.time_column.clone(),
        value_column: c.intensity_column.clone(),
        clock: match c.clock {
            SeriesClock::Utc => Clock::Utc,
            SeriesClock::Continuous => Clock::Continuous,
            SeriesClock::Local { standard_offset_s, dst } => Clock::Local {
                standard_offset_s,
                dst: match dst {
                    Dst::None => DstRule::None,
                    Dst::Eu => DstRule::Eu,
                    Dst::Us => DstRule::Us,
                },
            },
        },
        step_s: c.step_s,
        aggregate: if c.aggregate_first { Aggregate::First } else { Aggregate::Mean },
    };
    let read = |path: &std::path::Path| -> Result<IntensityGrid> {
        let series = plenum_io::intensity::read(path, &format)?;
        Ok(IntensityGrid {
            start_ms: series.start_s * 1000,
            step_ms: series.step_s * 1000,
            g_per_kwh: series.g_per_kwh,
        })
    };
    let grid = read(&path)?;
    let mut others = Vec::with_capacity(c.sites.len());
    for (i, site) in c.sites.iter().enumerate() {
        let field = format!("carbon_aware.sites[{i}].intensity");
        let path = plenum_io::trace::expand_env(&site.intensity_path, &field).map_err(|message| {
            let message = message.strip_prefix(&format!("{field}: ")).unwrap_or(&message).to_string();
            RunError::from(scenario.error_at(&field, message, None))
        })?;
        others.push(read(&path)?);
    }
    let (jobs, capacity_hosts) = match &c.jobs {
        CarbonJobs::Periodic(p) => (periodic_jobs(p), c.capacity_hosts),
        CarbonJobs::Workload => {
            let input = workload.ok_or_else(|| {
                scenario.error_at("carbon_aware.jobs", "jobs = \"workload\" needs a [workload] section", None)
            })?;
            let groups = plenum_engine::workload::host_groups(scenario, input.hosts.as_deref())?;
            let start_ms = c.trace_start_ms.or(input.trace.start_epoch_ms).ok_or_else(|| {
                scenario.error_at(
                    "carbon_aware",
                    "the trace gives no absolute start time: set carbon_aware.trace_start (on the series' clock)",
                    None,
                )
            })?;
            let flexibility = scenario.workload.as_ref().and_then(|w| w.flexibility.as_ref());
            let jobs = trace_jobs(&input.trace, &groups, flexibility, start_ms, scenario.seed);
            let fleet = groups.iter().map(|g| g.count).fold(0u64, u64::saturating_add);
            (jobs, Some(c.capacity_hosts.unwrap_or(fleet.min(u64::from(u32::MAX)) as u32)))
        }
    };
    let mut sites = vec![Site { grid: &grid, capacity_hosts }];
    sites
        .extend(others.iter().zip(&c.sites).map(|(g, s)| Site { grid: g, capacity_hosts: s.capacity_hosts }));
    // The home site's jobs reach the sites the rules allow; no job belongs to the others.
    let mut reach =
        vec![std::iter::once(0).chain((1..sites.len()).filter(|&k| c.sites[k - 1].reachable)).collect()];
    reach.extend((1..sites.len()).map(|k| vec![k]));
    let fleet = Fleet { sites, reach };
    let names: Vec<String> =
        std::iter::once(c.site_name.clone()).chain(c.sites.iter().map(|s| s.name.clone())).collect();
    let policy = match c.policy {
        Policy::Temporal => Mode::Shift,
        Policy::Spatial => Mode::Spatial,
        Policy::Both => Mode::ShiftAndSpatial,
    };
    let (summary, tables) =
        compare_schedules(&jobs, &vec![0; jobs.len()], &fleet, &names, policy, c.forecast);
    if summary.unplaced_jobs > 0 {
        eprintln!(
            "warning: carbon_aware: {} of {} jobs were left out of the comparison (outside the intensity series, \
             or still waiting for capacity when it ends)",
            summary.unplaced_jobs,
            jobs.len()
        );
    }
    Ok(Some((summary, tables)))
}
