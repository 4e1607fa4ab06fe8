//! Setting a replay up: the fleet a scenario's workload runs on
//! ([`host_groups`]) and the replay's state before its first event
//! (`Replay::new`): one placer slot set per host, every host powered at zero
//! demand, the first sample and demand-scale step on the queue.

use super::{
    Event, HostHot, Hosts, NO_FRAGMENTS, NONE, PowerCache, Replay, ReplayError, TaskRun, TaskState, khz,
};
use plenum_kernel::PackedEventQueue;
use plenum_models::it_power::PowerCurve;
use plenum_models::placement::{Placer, Policy};
use plenum_models::workload::{HostGroup, Trace};
use plenum_scenario::Scenario;
use plenum_scenario::workload::{HostSource, Workload};

/// The fleet a scenario's workload runs on: the topology's groups when given,
/// else one group per `[[servers]]` SKU.
pub fn host_groups(
    scenario: &Scenario,
    topology: Option<&[HostGroup]>,
) -> Result<Vec<HostGroup>, ReplayError> {
    let w = scenario.workload.as_ref().ok_or_else(|| ReplayError("the scenario has no [workload]".into()))?;
    if let Some(groups) = topology {
        return Ok(groups.to_vec());
    }
    match &w.hosts {
        HostSource::OpenDcTopology { path } => {
            Err(ReplayError(format!("the scenario names topology {path:?}: load it and pass its hosts")))
        }
        HostSource::Servers { power_model, core_mhz, power_exponent } => scenario
            .servers
            .iter()
            .map(|s| {
                let power = PowerCurve::by_name(power_model, s.idle_power_w, s.peak_power_w)
                    .ok_or_else(|| ReplayError(format!("unknown power model {power_model:?}")))?;
                let power = power_exponent.map_or(power, |e| power.with_exponent(e));
                Ok(HostGroup {
                    name: s.name.clone(),
                    count: s.count,
                    cores: s.vcpus() as u32,
                    core_mhz: *core_mhz,
                    memory_mib: (s.memory_gib * 1024.0).round() as u64,
                    power,
                })
            })
            .collect(),
    }
}

impl<'t> Replay<'t> {
    /// The replay of `trace` on `groups` before its first event; with
    /// `wants_hosts`, buffers for the per-host series.
    pub(super) fn new(
        w: &Workload,
        groups: &[HostGroup],
        trace: &'t Trace,
        seed: u64,
        wants_hosts: bool,
    ) -> Result<Self, ReplayError> {
        let n = trace.tasks.len();
        if n >= NONE as usize {
            return Err(ReplayError(format!("{n} tasks: at most {} can be replayed", NONE - 1)));
        }
        let hosts: usize = groups.iter().map(|g| g.count as usize).sum();
        if hosts == 0 {
            return Err(ReplayError("the fleet has no hosts".into()));
        }
        let mut slots = Vec::with_capacity(hosts);
        let mut memory = Vec::with_capacity(hosts);
        let mut capacity_khz = Vec::with_capacity(hosts);
        let mut group = Vec::with_capacity(hosts);
        for (gi, g) in groups.iter().enumerate() {
            for _ in 0..g.count {
                slots.push((f64::from(g.cores) * w.cpu_overcommit).floor() as u32);
                memory.push(g.memory_mib);
                capacity_khz.push(khz(f64::from(g.cores) * g.core_mhz));
                group.push(gi as u32);
            }
        }
        let mut placer = Placer::new(w.placement, slots, memory, w.power_down_idle, seed);
        if w.power_down_idle {
            placer.power_down_empty_hosts();
        }
        let mut r = Replay {
            trace,
            placer,
            power_cache: PowerCache::new(groups.len()),
            hosts: Hosts {
                hot: capacity_khz
                    .iter()
                    .zip(&group)
                    .map(|(&c, &g)| HostHot {
                        capacity_khz: c,
                        capacity_f64: c as f64 * 1000.0,
                        group: g,
                        ..HostHot::default()
                    })
                    .collect(),
                models: groups.iter().map(|g| g.power).collect(),
                placed: vec![0; hosts],
                wait_head: vec![NONE; hosts],
                rr_head: vec![NONE; hosts],
                rr_tail: vec![NONE; hosts],
                sample_energy_wms: vec![0.0; hosts],
                sample_utilization_ms: vec![0.0; hosts],
            },
            queue: PackedEventQueue::with_capacity(hosts.min(n) + 16),
            state: vec![TaskState::Pending; n],
            task_run: vec![
                TaskRun {
                    host: NONE,
                    demand_khz: 0,
                    cursor: NO_FRAGMENTS,
                    end: 0,
                    step_ms: 0,
                    next_khz: 0
                };
                n
            ],
            task_next: vec![NONE; n],
            fifo: std::collections::VecDeque::with_capacity(if w.placement == Policy::RoundRobin {
                0
            } else {
                n
            }),
            permille: 1000,
            permille_f64: 1000.0,
            throttled: 0,
            rejected_work: 0,
            wait_ms_sum: 0,
            max_wait_ms: 0,
            placed: 0,
            completed: 0,
            rejected: 0,
            active: 0,
            peak_active: 0,
            live: n as u64,
            pending_arrivals: n as u64,
            queued: 0,
            events: 0,
            wake_delay_ms: w.wake_up_delay_ms,
            queue_mode: w.queue,
            round_robin: w.placement == Policy::RoundRobin,
            last_sample_ms: 0,
            last_sample_energy_wms: 0.0,
            last_sample_utilization_ms: 0.0,
            host_power_buf: if wants_hosts { vec![0.0; hosts] } else { Vec::new() },
            host_util_buf: if wants_hosts { vec![0.0; hosts] } else { Vec::new() },
        };
        for h in 0..hosts {
            r.repower(h);
        }
        if let Some(scale) = &trace.demand_scale {
            r.set_permille(scale.permille.first().copied().unwrap_or(1000));
            r.queue.schedule(scale.step_ms, Event::Scale);
        }
        r.queue.schedule(w.sample_interval_ms, Event::Sample);
        Ok(r)
    }
}
