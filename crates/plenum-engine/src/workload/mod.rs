//! Workload replay: tasks from a trace placed on the fleet, host power from
//! the resulting utilization, energy integrated exactly.
//!
//! One event loop on the kernel's [`EventQueue`] (milliseconds as ticks):
//! arrivals come from the trace, already sorted by submission time, and are
//! merged with the queue (at equal times queued events — fragment changes,
//! departures, wake-ups, samples — go first, so capacity freed at t is
//! available to work arriving at t); a task's next fragment or its departure,
//! a host's wake-up and the periodic sample are events. Between events every
//! host's demand and so its power are constant, so a host's energy is the sum
//! of power × interval over its intervals: exact for the piecewise-constant
//! model, with no sampling error.
//!
//! Work is kept in integers: demand in kHz (fragments rounded to 1 kHz),
//! time in ms, the fleet-wide diurnal multiplier in per mille, so work is in
//! millicycles (kHz·ms·‰ / 1000 = cycles) and the ledger
//! `demand = served + throttled + rejected + unfinished` holds exactly
//! ([`WorkLedger`]). `throttled` is demand above a host's capacity under CPU
//! overcommit: fragments last their traced time whatever the host can give
//! (OpenDC's model), so that work is lost, not delayed.
//!
//! Host state is structure-of-arrays; the loop allocates nothing per event.
//! Series go to a [`SeriesSink`] as they are produced (bounded memory in the
//! engine); [`replay`] collects them into [`DataTable`]s.

mod sink;

pub use sink::{ClusterRow, SeriesSink, TableSink};

use crate::tables::{ColumnValues, DataTable};
use plenum_kernel::EventQueue;
use plenum_models::placement::{Placer, Policy, PowerState};
use plenum_models::workload::{HostGroup, HostPowerModel, Trace};
use plenum_scenario::Scenario;
use plenum_scenario::workload::{HostSource, Queue, Workload};
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

/// Why a replay cannot run.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayError(pub String);

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReplayError {}

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
        HostSource::Servers { power_model, core_mhz } => scenario
            .servers
            .iter()
            .map(|s| {
                let power = HostPowerModel::by_name(power_model, s.idle_power_w, s.peak_power_w)
                    .ok_or_else(|| ReplayError(format!("unknown power model {power_model:?}")))?;
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

/// Replay the scenario's workload `trace` on its fleet (`topology` replaces
/// `[[servers]]` when the scenario names an OpenDC topology), collecting the
/// series into tables.
pub fn replay(
    scenario: &Scenario,
    trace: &Trace,
    topology: Option<&[HostGroup]>,
) -> Result<WorkloadOutcome, ReplayError> {
    let w = scenario.workload.as_ref().ok_or_else(|| ReplayError("the scenario has no [workload]".into()))?;
    let groups = host_groups(scenario, topology)?;
    let mut sink = TableSink::new(w.host_series);
    let mut outcome = replay_with(w, &groups, trace, scenario.seed, &mut sink)?;
    outcome.tables.extend(sink.into_tables());
    Ok(outcome)
}

/// Events on the queue.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// A task's fragment ended: next fragment, or departure.
    Step(u32),
    /// A host finished waking.
    Wake(u32),
    /// Periodic sample of the series.
    Sample,
    /// The fleet-wide demand multiplier steps.
    Scale,
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskState {
    Pending,
    Queued,
    Waiting,
    Running,
    Done,
    Rejected,
}

/// MHz to whole kHz, rounded half up (inputs are non-negative).
#[inline]
fn khz(mhz: f64) -> u64 {
    (mhz * 1000.0 + 0.5) as u64
}

/// Host state, structure of arrays.
struct Hosts {
    capacity_khz: Vec<u64>,
    power_model: Vec<HostPowerModel>,
    group: Vec<u32>,
    demand_khz: Vec<u64>,
    power_w: Vec<f64>,
    utilization: Vec<f64>,
    last_ms: Vec<u64>,
    energy_wms: Vec<f64>,
    utilization_ms: Vec<f64>,
    busy_ms: Vec<u64>,
    served: Vec<u128>,
    placed: Vec<u64>,
    wait_head: Vec<u32>,
    rr_head: Vec<u32>,
    rr_tail: Vec<u32>,
    sample_energy_wms: Vec<f64>,
    sample_utilization_ms: Vec<f64>,
}

/// A run of a task's fragments with equal demand: one constant piece.
#[derive(Debug, Clone, Copy)]
struct Run {
    duration_ms: u64,
    khz: u64,
}

/// The trace's fragments as runs of equal demand in kHz, laid out as one
/// array of (duration, demand) so the event loop reads one stream per task.
fn runs_of(trace: &Trace) -> (Vec<Run>, Vec<u64>) {
    let (t, f) = (&trace.tasks, &trace.fragments);
    let mut runs: Vec<Run> = Vec::with_capacity(f.len());
    let mut start = Vec::with_capacity(t.len() + 1);
    for i in 0..t.len() {
        start.push(runs.len() as u64);
        let first = runs.len();
        for k in t.fragment_start[i] as usize..t.fragment_start[i + 1] as usize {
            let run = Run { duration_ms: f.duration_ms[k], khz: khz(f.cpu_usage_mhz[k]) };
            let extends = runs.len() > first;
            match runs.last_mut() {
                Some(last) if extends && last.khz == run.khz => last.duration_ms += run.duration_ms,
                _ => runs.push(run),
            }
        }
    }
    start.push(runs.len() as u64);
    (runs, start)
}

struct Replay<'t> {
    trace: &'t Trace,
    runs: Vec<Run>,
    run_start: Vec<u64>,
    placer: Placer,
    hosts: Hosts,
    queue: EventQueue<Event>,
    state: Vec<TaskState>,
    task_host: Vec<u32>,
    task_frag: Vec<u64>,
    task_demand_khz: Vec<u64>,
    task_step_ms: Vec<u64>,
    task_next: Vec<u32>,
    fifo: std::collections::VecDeque<u32>,
    permille: u64,
    throttled: u128,
    rejected_work: u128,
    wait_ms_sum: u128,
    max_wait_ms: u64,
    placed: u64,
    completed: u64,
    rejected: u64,
    active: u64,
    peak_active: u64,
    live: u64,
    pending_arrivals: u64,
    queued: u64,
    events: u64,
    wake_delay_ms: u64,
    queue_mode: Queue,
    round_robin: bool,
    last_sample_ms: u64,
    last_sample_energy_wms: f64,
    last_sample_utilization_ms: f64,
    host_power_buf: Vec<f64>,
    host_util_buf: Vec<f64>,
}

impl Replay<'_> {
    /// Bring host `h`'s integrals up to `t`.
    #[inline]
    fn flush(&mut self, h: usize, t: u64) {
        let hs = &mut self.hosts;
        let dt = t - hs.last_ms[h];
        if dt == 0 {
            return;
        }
        hs.energy_wms[h] += hs.power_w[h] * dt as f64;
        hs.utilization_ms[h] += hs.utilization[h] * dt as f64;
        if self.placer.tasks_on(h as u32) > 0 {
            hs.busy_ms[h] += dt;
        }
        let d = u128::from(hs.demand_khz[h]) * u128::from(self.permille);
        if d > 0 {
            let c = u128::from(hs.capacity_khz[h]) * 1000;
            let s = d.min(c);
            hs.served[h] += s * u128::from(dt);
            self.throttled += (d - s) * u128::from(dt);
        }
        hs.last_ms[h] = t;
    }

    /// Set host `h`'s utilization and power from its demand and state.
    #[inline]
    fn repower(&mut self, h: usize) {
        let hs = &mut self.hosts;
        let d = hs.demand_khz[h] as f64 * self.permille as f64;
        let c = hs.capacity_khz[h] as f64 * 1000.0;
        let u = if c > 0.0 { (d / c).min(1.0) } else { 0.0 };
        hs.utilization[h] = u;
        hs.power_w[h] = match self.placer.state(h as u32) {
            PowerState::Off => 0.0,
            PowerState::Waking => hs.power_model[h].idle_w(),
            PowerState::On => hs.power_model[h].power_w(u),
        };
    }

    fn nominal_work(&self, task: usize, from_run: u64) -> u128 {
        let t = &self.trace.tasks;
        let end = self.run_start[task + 1];
        if self.run_start[task] == end {
            return u128::from(khz(t.cpu_capacity_mhz[task])) * u128::from(t.duration_ms[task]) * 1000;
        }
        self.runs[from_run as usize..end as usize]
            .iter()
            .map(|r| u128::from(r.khz) * u128::from(r.duration_ms) * 1000)
            .sum()
    }

    fn reject(&mut self, task: usize) {
        self.state[task] = TaskState::Rejected;
        self.rejected += 1;
        self.live -= 1;
        self.rejected_work += self.nominal_work(task, self.run_start[task]);
    }

    fn set_host_tasks_changed(&mut self, before: u32, after: u32) {
        if before == 0 && after > 0 {
            self.active += 1;
            self.peak_active = self.peak_active.max(self.active);
        } else if before > 0 && after == 0 {
            self.active -= 1;
        }
    }

    /// Put `task` on host `h` (already chosen), waking it if needed.
    fn assign(&mut self, task: usize, h: u32, now: u64) {
        let t = &self.trace.tasks;
        let before = self.placer.tasks_on(h);
        self.flush(h as usize, now);
        let wake = self.placer.place(h, t.cpu_count[task], t.memory_mib[task]);
        self.set_host_tasks_changed(before, before + 1);
        self.hosts.placed[h as usize] += 1;
        self.task_host[task] = h;
        if self.placer.state(h) == PowerState::Waking {
            self.state[task] = TaskState::Waiting;
            self.task_next[task] = self.hosts.wait_head[h as usize];
            self.hosts.wait_head[h as usize] = task as u32;
            if wake {
                self.queue.schedule(now + self.wake_delay_ms, Event::Wake(h));
                self.repower(h as usize);
            }
        } else {
            self.start(task, h as usize, now);
        }
    }

    /// Start `task` on host `h` at `now`.
    fn start(&mut self, task: usize, h: usize, now: u64) {
        let t = &self.trace.tasks;
        let wait = now - t.submit_ms[task];
        self.wait_ms_sum += u128::from(wait);
        self.max_wait_ms = self.max_wait_ms.max(wait);
        self.placed += 1;
        self.state[task] = TaskState::Running;
        let first = self.run_start[task];
        let (demand, len) = if first == self.run_start[task + 1] {
            self.task_frag[task] = u64::MAX;
            (khz(t.cpu_capacity_mhz[task]), t.duration_ms[task])
        } else {
            self.task_frag[task] = first;
            let r = self.runs[first as usize];
            (r.khz, r.duration_ms)
        };
        self.flush(h, now);
        self.task_demand_khz[task] = demand;
        self.hosts.demand_khz[h] += demand;
        self.repower(h);
        self.task_step_ms[task] = now + len;
        self.queue.schedule(now + len, Event::Step(task as u32));
    }

    fn step(&mut self, task: usize, now: u64) {
        let h = self.task_host[task] as usize;
        self.flush(h, now);
        let end = self.run_start[task + 1];
        let next = self.task_frag[task].wrapping_add(1);
        if self.task_frag[task] != u64::MAX && next < end {
            let Run { duration_ms: len, khz: demand } = self.runs[next as usize];
            self.task_frag[task] = next;
            self.hosts.demand_khz[h] = self.hosts.demand_khz[h] - self.task_demand_khz[task] + demand;
            self.task_demand_khz[task] = demand;
            self.repower(h);
            self.task_step_ms[task] = now + len;
            self.queue.schedule(now + len, Event::Step(task as u32));
            return;
        }
        // Departure.
        let t = &self.trace.tasks;
        self.hosts.demand_khz[h] -= self.task_demand_khz[task];
        self.task_demand_khz[task] = 0;
        self.state[task] = TaskState::Done;
        self.completed += 1;
        self.live -= 1;
        let before = self.placer.tasks_on(h as u32);
        self.placer.release(h as u32, t.cpu_count[task], t.memory_mib[task]);
        self.set_host_tasks_changed(before, before - 1);
        self.repower(h);
        self.drain(h as u32, now);
    }

    /// Start queued work that fits now.
    fn drain(&mut self, freed: u32, now: u64) {
        let t = &self.trace.tasks;
        if self.round_robin {
            loop {
                let head = self.hosts.rr_head[freed as usize];
                if head == NONE {
                    return;
                }
                let task = head as usize;
                if !self.placer.fits_now(freed, t.cpu_count[task], t.memory_mib[task]) {
                    return;
                }
                self.hosts.rr_head[freed as usize] = self.task_next[task];
                if self.task_next[task] == NONE {
                    self.hosts.rr_tail[freed as usize] = NONE;
                }
                self.queued -= 1;
                self.assign(task, freed, now);
            }
        }
        while let Some(&head) = self.fifo.front() {
            let task = head as usize;
            let Some(c) = self.placer.choose(task as u64, t.cpu_count[task], t.memory_mib[task]) else {
                return;
            };
            self.fifo.pop_front();
            self.queued -= 1;
            self.assign(task, c.host, now);
        }
    }

    fn arrive(&mut self, task: usize, now: u64) {
        let t = &self.trace.tasks;
        let (slots, mem) = (t.cpu_count[task], t.memory_mib[task]);
        if self.round_robin {
            let h = (task % self.placer.hosts()) as u32;
            if !self.placer.could_ever_fit_on(h, slots, mem) {
                return self.reject(task);
            }
            let h_us = h as usize;
            if self.hosts.rr_head[h_us] == NONE && self.placer.fits_now(h, slots, mem) {
                return self.assign(task, h, now);
            }
            if self.queue_mode == Queue::Reject {
                return self.reject(task);
            }
            self.state[task] = TaskState::Queued;
            self.queued += 1;
            self.task_next[task] = NONE;
            match self.hosts.rr_tail[h_us] {
                NONE => self.hosts.rr_head[h_us] = task as u32,
                tail => self.task_next[tail as usize] = task as u32,
            }
            self.hosts.rr_tail[h_us] = task as u32;
            return;
        }
        if !self.placer.could_ever_fit(slots, mem) {
            return self.reject(task);
        }
        if self.fifo.is_empty()
            && let Some(c) = self.placer.choose(task as u64, slots, mem)
        {
            return self.assign(task, c.host, now);
        }
        if self.queue_mode == Queue::Reject {
            return self.reject(task);
        }
        self.state[task] = TaskState::Queued;
        self.queued += 1;
        self.fifo.push_back(task as u32);
    }

    fn wake(&mut self, h: u32, now: u64) {
        self.flush(h as usize, now);
        self.placer.woken(h);
        let mut task = std::mem::replace(&mut self.hosts.wait_head[h as usize], NONE);
        self.repower(h as usize);
        while task != NONE {
            let next = self.task_next[task as usize];
            self.start(task as usize, h as usize, now);
            task = next;
        }
    }

    fn flush_all(&mut self, t: u64) {
        for h in 0..self.placer.hosts() {
            self.flush(h, t);
        }
    }

    fn sample(&mut self, t: u64, sink: &mut dyn SeriesSink) {
        self.flush_all(t);
        let dt = (t - self.last_sample_ms) as f64;
        if dt <= 0.0 {
            return;
        }
        let energy: f64 = self.hosts.energy_wms.iter().sum();
        let util: f64 = self.hosts.utilization_ms.iter().sum();
        let hosts = self.placer.hosts() as f64;
        let running = self.state_count_running();
        sink.cluster(&ClusterRow {
            time_ms: t,
            it_power_kw: (energy - self.last_sample_energy_wms) / dt / 1000.0,
            mean_utilization: (util - self.last_sample_utilization_ms) / dt / hosts.max(1.0),
            active_hosts: self.active,
            running_tasks: running,
            queued_tasks: self.queued,
        });
        if sink.wants_hosts() {
            let hs = &mut self.hosts;
            for h in 0..hs.energy_wms.len() {
                self.host_power_buf[h] = (hs.energy_wms[h] - hs.sample_energy_wms[h]) / dt;
                self.host_util_buf[h] = (hs.utilization_ms[h] - hs.sample_utilization_ms[h]) / dt;
            }
            hs.sample_energy_wms.copy_from_slice(&hs.energy_wms);
            hs.sample_utilization_ms.copy_from_slice(&hs.utilization_ms);
            sink.hosts(t, &self.host_power_buf, &self.host_util_buf);
        }
        self.last_sample_ms = t;
        self.last_sample_energy_wms = energy;
        self.last_sample_utilization_ms = util;
    }

    fn state_count_running(&self) -> u64 {
        self.placed - self.completed
    }
}

/// Replay on explicit host groups, streaming series to `sink`.
pub fn replay_with(
    w: &Workload,
    groups: &[HostGroup],
    trace: &Trace,
    seed: u64,
    sink: &mut dyn SeriesSink,
) -> Result<WorkloadOutcome, ReplayError> {
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
    let mut power_model = Vec::with_capacity(hosts);
    let mut group = Vec::with_capacity(hosts);
    let (mut total_mhz, mut total_cores) = (0.0, 0.0);
    for (gi, g) in groups.iter().enumerate() {
        for _ in 0..g.count {
            slots.push((f64::from(g.cores) * w.cpu_overcommit).floor() as u32);
            memory.push(g.memory_mib);
            capacity_khz.push(khz(f64::from(g.cores) * g.core_mhz));
            power_model.push(g.power);
            group.push(gi as u32);
        }
        total_mhz += g.count as f64 * f64::from(g.cores) * g.core_mhz;
        total_cores += g.count as f64 * f64::from(g.cores);
    }
    let reference_core_mhz = total_mhz / total_cores;
    let mut placer = Placer::new(w.placement, slots, memory, w.power_down_idle, seed);
    if w.power_down_idle {
        placer.power_down_empty_hosts();
    }
    let (runs, run_start) = runs_of(trace);
    let mut r = Replay {
        trace,
        runs,
        run_start,
        placer,
        hosts: Hosts {
            capacity_khz,
            power_model,
            group,
            demand_khz: vec![0; hosts],
            power_w: vec![0.0; hosts],
            utilization: vec![0.0; hosts],
            last_ms: vec![0; hosts],
            energy_wms: vec![0.0; hosts],
            utilization_ms: vec![0.0; hosts],
            busy_ms: vec![0; hosts],
            served: vec![0; hosts],
            placed: vec![0; hosts],
            wait_head: vec![NONE; hosts],
            rr_head: vec![NONE; hosts],
            rr_tail: vec![NONE; hosts],
            sample_energy_wms: vec![0.0; hosts],
            sample_utilization_ms: vec![0.0; hosts],
        },
        queue: EventQueue::with_capacity(hosts.min(n) + 16),
        state: vec![TaskState::Pending; n],
        task_host: vec![NONE; n],
        task_frag: vec![0; n],
        task_demand_khz: vec![0; n],
        task_step_ms: vec![0; n],
        task_next: vec![NONE; n],
        fifo: std::collections::VecDeque::with_capacity(if w.placement == Policy::RoundRobin {
            0
        } else {
            n
        }),
        permille: 1000,
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
        host_power_buf: if sink.wants_hosts() { vec![0.0; hosts] } else { Vec::new() },
        host_util_buf: if sink.wants_hosts() { vec![0.0; hosts] } else { Vec::new() },
    };
    for h in 0..hosts {
        r.repower(h);
    }
    if let Some(scale) = &trace.demand_scale {
        r.permille = u64::from(scale.permille.first().copied().unwrap_or(1000));
        r.queue.schedule(scale.step_ms, Event::Scale);
    }
    r.queue.schedule(w.sample_interval_ms, Event::Sample);
    let until = w.until_ms.unwrap_or(u64::MAX);
    let mut cursor = 0usize;
    let mut now = 0u64;
    loop {
        let next_arrival = if cursor < n { trace.tasks.submit_ms[cursor] } else { u64::MAX };
        let next_event = r.queue.peek_time().unwrap_or(u64::MAX);
        let t = next_arrival.min(next_event);
        if t == u64::MAX || t > until || r.live == 0 {
            break;
        }
        r.events += 1;
        now = t;
        if next_event <= next_arrival {
            let (t, e) = r.queue.pop().expect("peeked");
            match e {
                Event::Step(task) => r.step(task as usize, t),
                Event::Wake(h) => r.wake(h, t),
                Event::Sample => {
                    r.sample(t, sink);
                    r.queue.schedule(t + w.sample_interval_ms, Event::Sample);
                }
                Event::Scale => {
                    let scale = trace.demand_scale.as_ref().expect("scale events need a scale");
                    r.flush_all(t);
                    let k = (t / scale.step_ms) as usize;
                    r.permille = u64::from(scale.permille[k.min(scale.permille.len() - 1)]);
                    for h in 0..hosts {
                        r.repower(h);
                    }
                    if k + 1 < scale.permille.len() {
                        r.queue.schedule(t + scale.step_ms, Event::Scale);
                    }
                }
            }
        } else {
            r.pending_arrivals -= 1;
            r.arrive(cursor, t);
            cursor += 1;
        }
    }
    let end = if until == u64::MAX { now } else { until };
    r.flush_all(end);
    if end > r.last_sample_ms {
        r.sample(end, sink);
    }

    // Unfinished work at the end (only with `until`).
    let mut unfinished_tasks = 0u64;
    let mut unfinished: u128 = 0;
    for task in 0..n {
        match r.state[task] {
            TaskState::Done | TaskState::Rejected => {}
            TaskState::Running => {
                unfinished_tasks += 1;
                let f = r.task_frag[task];
                let left_ms = r.task_step_ms[task].saturating_sub(end);
                unfinished += u128::from(r.task_demand_khz[task]) * u128::from(left_ms) * 1000;
                if f != u64::MAX {
                    unfinished += r.nominal_work(task, f + 1);
                }
            }
            TaskState::Pending | TaskState::Queued | TaskState::Waiting => {
                unfinished_tasks += 1;
                unfinished += r.nominal_work(task, r.run_start[task]);
            }
        }
    }
    let served: u128 = r.hosts.served.iter().sum();
    let ledger = WorkLedger {
        demand: served + r.throttled + r.rejected_work + unfinished,
        served,
        throttled: r.throttled,
        rejected: r.rejected_work,
        unfinished,
    };
    let core_hours = |mc: u128| mc as f64 / 1000.0 / (reference_core_mhz * 1e6 * 3600.0);
    let energy_wms: f64 = r.hosts.energy_wms.iter().sum();
    let host_energy_kwh: Vec<f64> = r.hosts.energy_wms.iter().map(|e| e / 3.6e9).collect();
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
    let host_table = DataTable::new("workload_hosts", "one row per host: energy and work over the replay")
        .with("host", "host index", ColumnValues::U64((0..hosts as u64).collect()))
        .with(
            "group",
            "host group (SKU or topology entry)",
            ColumnValues::Text(hs.group.iter().map(|&g| groups[g as usize].name.clone()).collect()),
        )
        .with("energy_kwh", "IT energy", ColumnValues::F64(host_energy_kwh.clone()))
        .with(
            "busy_h",
            "hours with at least one task",
            ColumnValues::F64(hs.busy_ms.iter().map(|&b| b as f64 / 3.6e6).collect()),
        )
        .with(
            "mean_utilization",
            "time-mean CPU utilization (0..1)",
            ColumnValues::F64(
                hs.utilization_ms.iter().map(|&u| if end > 0 { u / end as f64 } else { 0.0 }).collect(),
            ),
        )
        .with("tasks_placed", "tasks placed on the host", ColumnValues::U64(hs.placed.clone()))
        .with(
            "served_cpu_core_hours",
            "CPU work delivered",
            ColumnValues::F64(hs.served.iter().map(|&s| core_hours(s)).collect()),
        );
    Ok(WorkloadOutcome { summary, ledger, host_energy_kwh, tables: vec![host_table] })
}

#[cfg(test)]
mod tests;
