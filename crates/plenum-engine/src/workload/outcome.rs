//! What a replay produced: the summary's figures ([`WorkloadSummary`]), the
//! exact work ledger ([`WorkLedger`]), per-host energy and the per-host table
//! ([`WorkloadOutcome`]), read off the replay's state at its end.

use super::{NO_FRAGMENTS, Replay, TaskState};
use crate::tables::{ColumnValues, DataTable};
use plenum_models::workload::HostGroup;
use serde::Serialize;

/// What the JSON summary shows of a replay: `workload.*` and `energy.it_mwh`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadSummary {
    /// Task and work figures.
    pub workload: WorkloadFigures,
    /// IT energy of the fleet over the replay.
    pub energy: ReplayEnergy,
}

/// Task and work figures of a replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadFigures {
    /// Where the tasks came from.
    pub source: String,
    /// Tasks in the trace.
    pub tasks: u64,
    /// Tasks that started on a host.
    pub placed: u64,
    /// Tasks that ended.
    pub completed: u64,
    /// Tasks rejected: too large for any host, or `queue = "reject"` and nothing fitted.
    pub rejected: u64,
    /// Tasks not finished at the end (`until_s`): queued, waiting or running.
    pub unfinished: u64,
    /// CPU work the trace asked for, in core-hours of the fleet's mean vCPU clock.
    pub requested_cpu_core_hours: f64,
    /// CPU work the hosts delivered.
    pub served_cpu_core_hours: f64,
    /// Demand above host capacity under overcommit (lost).
    pub throttled_cpu_core_hours: f64,
    /// Mean time from submission to start over placed tasks, s.
    pub mean_wait_s: f64,
    /// Longest wait, s.
    pub max_wait_s: f64,
    /// Most hosts running work at once.
    pub peak_active_hosts: u64,
    /// Hosts in the fleet.
    pub hosts: u64,
    /// Time from the first submission to the end of the replay, s.
    pub makespan_s: f64,
    /// Events processed (arrivals included).
    pub events: u64,
    /// Most events pending at once.
    pub queue_high_water: u64,
    /// What the trace reader assumed.
    pub notes: Vec<String>,
}

/// IT energy of a replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayEnergy {
    /// Energy of all hosts, MWh.
    pub it_mwh: f64,
    /// Mean power of all hosts, kW.
    pub mean_it_kw: f64,
}

/// Work in millicycles (kHz·ms·‰): exact integer accounting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkLedger {
    /// Everything asked for (at the nominal multiplier for work that never ran).
    pub demand: u128,
    /// Delivered by hosts.
    pub served: u128,
    /// Asked for above host capacity (overcommit), not delivered.
    pub throttled: u128,
    /// Asked for by rejected tasks.
    pub rejected: u128,
    /// Not yet delivered at the end (queued, waiting, running, not yet submitted).
    pub unfinished: u128,
}

/// Everything a replay produced.
#[derive(Debug, Clone)]
pub struct WorkloadOutcome {
    /// The JSON summary part.
    pub summary: WorkloadSummary,
    /// Exact work accounting.
    pub ledger: WorkLedger,
    /// Energy per host, kWh (index order).
    pub host_energy_kwh: Vec<f64>,
    /// Per-host summary table, and the series from the sink.
    pub tables: Vec<DataTable>,
}

/// The fleet's mean core clock, MHz: the unit core-hours are counted in.
fn reference_core_mhz(groups: &[HostGroup]) -> f64 {
    let (mut total_mhz, mut total_cores) = (0.0, 0.0);
    for g in groups {
        total_mhz += g.count as f64 * f64::from(g.cores) * g.core_mhz;
        total_cores += g.count as f64 * f64::from(g.cores);
    }
    total_mhz / total_cores
}

impl Replay<'_> {
    /// What the replay produced, ended at `end` ms (after the last flush and sample).
    pub(super) fn outcome(&self, groups: &[HostGroup], end: u64) -> WorkloadOutcome {
        let r = self;
        let trace = r.trace;
        let n = trace.tasks.len();
        let hosts = r.hosts.hot.len();
        let reference_core_mhz = reference_core_mhz(groups);
        // Unfinished work at the end (only with `until`).
        let mut unfinished_tasks = 0u64;
        let mut unfinished: u128 = 0;
        for task in 0..n {
            match r.state[task] {
                TaskState::Done | TaskState::Rejected => {}
                TaskState::Running => {
                    unfinished_tasks += 1;
                    let run = r.task_run[task];
                    let left_ms = run.step_ms.saturating_sub(end);
                    unfinished += u128::from(run.demand_khz) * u128::from(left_ms) * 1000;
                    if run.cursor != NO_FRAGMENTS {
                        unfinished += r.nominal_work(task, run.cursor);
                    }
                }
                TaskState::Pending | TaskState::Queued | TaskState::Waiting => {
                    unfinished_tasks += 1;
                    unfinished += r.nominal_work(task, trace.tasks.fragment_start[task]);
                }
            }
        }
        let served: u128 = r.hosts.hot.iter().map(|x| x.served).sum();
        let ledger = WorkLedger {
            demand: served + r.throttled + r.rejected_work + unfinished,
            served,
            throttled: r.throttled,
            rejected: r.rejected_work,
            unfinished,
        };
        let core_hours = |mc: u128| mc as f64 / 1000.0 / (reference_core_mhz * 1e6 * 3600.0);
        let energy_wms: f64 = r.hosts.hot.iter().map(|x| x.energy_wms).sum();
        let host_energy_kwh: Vec<f64> = r.hosts.hot.iter().map(|x| x.energy_wms / 3.6e9).collect();
        let summary = WorkloadSummary {
            workload: WorkloadFigures {
                source: trace.source.clone(),
                tasks: n as u64,
                placed: r.placed,
                completed: r.completed,
                rejected: r.rejected,
                unfinished: unfinished_tasks,
                requested_cpu_core_hours: core_hours(ledger.demand),
                served_cpu_core_hours: core_hours(ledger.served),
                throttled_cpu_core_hours: core_hours(ledger.throttled),
                mean_wait_s: if r.placed > 0 { r.wait_ms_sum as f64 / r.placed as f64 / 1000.0 } else { 0.0 },
                max_wait_s: r.max_wait_ms as f64 / 1000.0,
                peak_active_hosts: r.peak_active,
                hosts: hosts as u64,
                makespan_s: end as f64 / 1000.0,
                events: r.events,
                queue_high_water: r.queue.high_water_mark() as u64,
                notes: trace.notes.clone(),
            },
            energy: ReplayEnergy {
                it_mwh: energy_wms / 3.6e12,
                mean_it_kw: if end > 0 { energy_wms / end as f64 / 1000.0 } else { 0.0 },
            },
        };
        let hs = &r.hosts;
        let host_table =
            DataTable::new("workload_hosts", "one row per host: energy and work over the replay")
                .with("host", "host index", ColumnValues::U64((0..hosts as u64).collect()))
                .with(
                    "group",
                    "host group (SKU or topology entry)",
                    ColumnValues::Text(
                        hs.hot.iter().map(|x| groups[x.group as usize].name.clone()).collect(),
                    ),
                )
                .with("energy_kwh", "IT energy", ColumnValues::F64(host_energy_kwh.clone()))
                .with(
                    "busy_h",
                    "hours with at least one task",
                    ColumnValues::F64(hs.hot.iter().map(|x| x.busy_ms as f64 / 3.6e6).collect()),
                )
                .with(
                    "mean_utilization",
                    "time-mean CPU utilization (0..1)",
                    ColumnValues::F64(
                        hs.hot
                            .iter()
                            .map(|x| if end > 0 { x.utilization_ms / end as f64 } else { 0.0 })
                            .collect(),
                    ),
                )
                .with("tasks_placed", "tasks placed on the host", ColumnValues::U64(hs.placed.clone()))
                .with(
                    "served_cpu_core_hours",
                    "CPU work delivered",
                    ColumnValues::F64(hs.hot.iter().map(|x| core_hours(x.served)).collect()),
                );
        WorkloadOutcome { summary, ledger, host_energy_kwh, tables: vec![host_table] }
    }
}
