//! Workload replay: tasks from a trace placed on the fleet, host power from
//! the resulting utilization, energy integrated exactly.
//!
//! One event loop on the kernel's [`PackedEventQueue`] (milliseconds as ticks):
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
//! Speed (see bench/RESULTS.md, "Workload", for the measurements): a task's
//! consecutive fragments of equal demand are one run and so one event, found
//! as the replay reaches them (no per-fragment array); an event that answers
//! with the same task's next one replaces the head of the queue in one sift
//! ([`PackedEventQueue::replace_top`]); what every change reads and writes of
//! a host (`HostHot`) or a task (`TaskRun`) is one record, the colder host
//! state structure-of-arrays; the Fan et al. power (a fractional power) comes
//! from a table by demand. The loop allocates nothing per event. Series go to
//! a [`SeriesSink`] as they are produced (bounded memory in the engine);
//! [`replay`] collects them into [`DataTable`](crate::tables::DataTable)s.
//!
//! This file holds the replay's state, its event handlers and the event loop;
//! `setup` builds the fleet and the state before the first event, `outcome`
//! reads the figures and tables off the state at the end, `sink` receives the
//! series.

mod outcome;
mod setup;
mod sink;

pub use outcome::{ReplayEnergy, WorkLedger, WorkloadFigures, WorkloadOutcome, WorkloadSummary};
pub use setup::host_groups;
pub use sink::{ClusterRow, SeriesSink, TableSink, host_series_table};

use crate::control::{Control, Interrupted};
use plenum_kernel::PackedEventQueue;
use plenum_models::it_power::PowerCurve;
use plenum_models::placement::{Placer, PowerState};
use plenum_models::workload::{Fragments, HostGroup, Trace};
use plenum_scenario::Scenario;
use plenum_scenario::workload::{Queue, Workload};

/// Why a replay cannot run.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayError(pub String);

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReplayError {}

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

/// Cursor of a task without fragments (it runs at its capacity).
const NO_FRAGMENTS: u64 = u64::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskState {
    Pending,
    Queued,
    Waiting,
    Running,
    Done,
    Rejected,
}

/// `x as f64` (rounded to nearest), through i64 below 2^63: a single
/// instruction on x86-64 instead of the unsigned sequence.
#[inline]
fn to_f64(x: u64) -> f64 {
    if x < 1 << 63 { x as i64 as f64 } else { x as f64 }
}

/// MHz to whole kHz, rounded half up (inputs are non-negative): `⌊1000·mhz
/// + 0.5⌋`, saturating (NaN and negatives give 0).
#[inline]
fn khz(mhz: f64) -> u64 {
    let x = mhz * 1000.0 + 0.5;
    // The same value as `x as u64`; through i64 below 2^63, a shorter
    // conversion on x86-64.
    if x < 9_223_372_036_854_775_808.0 { (x as i64).max(0) as u64 } else { x as u64 }
}

/// What every change on a host reads and writes (`flush`, `repower`), as
/// one record of two cache lines per host: a step touches all of it, so one
/// record costs two line fills where one array per field cost twelve.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct HostHot {
    /// Time the integrals run to, ms.
    last_ms: u64,
    /// Demand of the host's tasks, kHz (before the fleet multiplier).
    demand_khz: u64,
    /// Capacity (cores × clock), kHz.
    capacity_khz: u64,
    /// Time with at least one task, ms.
    busy_ms: u64,
    /// Power now, W.
    power_w: f64,
    /// Utilization now (0..1).
    utilization: f64,
    /// Energy so far, W·ms.
    energy_wms: f64,
    /// Utilization integral, ms.
    utilization_ms: f64,
    /// `capacity_khz` × 1000 as f64 (kHz·‰), for the utilization.
    capacity_f64: f64,
    /// Host group (index into the groups' power models).
    group: u32,
    /// Work served so far, millicycles.
    served: u128,
    /// Work served per ms now (kHz·‰), set by `repower`.
    served_rate: u128,
    /// Demand above capacity per ms now (kHz·‰), set by `repower`.
    throttled_rate: u128,
}

/// Host state: the hot record per host, the rest structure of arrays.
struct Hosts {
    hot: Vec<HostHot>,
    /// Power model of each host group.
    models: Vec<PowerCurve>,
    placed: Vec<u64>,
    wait_head: Vec<u32>,
    rr_head: Vec<u32>,
    rr_tail: Vec<u32>,
    sample_energy_wms: Vec<f64>,
    sample_utilization_ms: Vec<f64>,
}

/// A run of a task's fragments with equal demand (in kHz): one constant
/// piece, so one event.
struct Run {
    duration_ms: u64,
    demand_khz: u64,
    /// The fragment after the run.
    next: usize,
    /// That fragment's demand, kHz (0 when the run ends the task).
    next_khz: u64,
}

/// The run that starts at fragment `k` (`k < end`, `end` the task's fragment
/// end), whose demand `khz_k` the caller knows. Runs are found as the replay
/// reaches them, with nothing precomputed or allocated per fragment; the
/// demand of the fragment that ends a run is returned for the next one, so
/// each fragment is converted to kHz at most once.
#[inline]
fn run_at(f: &Fragments, k: usize, end: usize, khz_k: u64) -> Run {
    let mhz = f.cpu_usage_mhz[k];
    let mut run = Run { duration_ms: f.duration_ms[k], demand_khz: khz_k, next: k + 1, next_khz: 0 };
    let from = run.next;
    for (&m, &d) in f.cpu_usage_mhz[from..end].iter().zip(&f.duration_ms[from..end]) {
        // Equal MHz give equal kHz without converting.
        if m != mhz {
            let k = khz(m);
            if k != khz_k {
                run.next_khz = k;
                break;
            }
        }
        run.duration_ms += d;
        run.next += 1;
    }
    run
}

/// Host utilization and power by demand for the Fan et al. model (its
/// fractional power `u^r` is the costly part of a change), one direct-mapped
/// table per host group: the model runs once per distinct demand in a slot
/// instead of at every change. A hit returns the values the model computed
/// for that very demand, so results are the same to the bit. (Measured: for
/// the linear to square-root models a look-up costs as much as the formula.)
struct PowerCache {
    /// Demand (kHz·‰) held by each slot; `u64::MAX` when empty.
    key: Vec<u64>,
    /// Utilization (0..1) and power (W, host on) of each slot.
    value: Vec<(f64, f64)>,
}

/// Slots per host group (a power of two: the index is the top bits of a hash).
const POWER_CACHE_BITS: u32 = 12;

impl PowerCache {
    fn new(groups: usize) -> Self {
        let slots = groups << POWER_CACHE_BITS;
        PowerCache { key: vec![u64::MAX; slots], value: vec![(0.0, 0.0); slots] }
    }

    /// Utilization and power of a host of group `g` at `demand` (kHz·‰),
    /// from `compute` on a miss. A demand of `u64::MAX` is never cached.
    #[inline]
    fn get(&mut self, g: usize, demand: u64, compute: impl FnOnce() -> (f64, f64)) -> (f64, f64) {
        // Fibonacci hashing (Knuth, TAOCP vol. 3, §6.4): the top bits of
        // demand × ⌊2^64/φ⌋.
        let slot = (g << POWER_CACHE_BITS)
            + (demand.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - POWER_CACHE_BITS)) as usize;
        if self.key[slot] == demand {
            return self.value[slot];
        }
        let v = compute();
        if demand != u64::MAX {
            self.key[slot] = demand;
            self.value[slot] = v;
        }
        v
    }
}

/// What a step reads and writes of a placed task, as one record (a step
/// touches all of it, so it is one cache line rather than one per array).
#[derive(Debug, Clone, Copy)]
struct TaskRun {
    /// Host index (`NONE` before placement).
    host: u32,
    /// Demand of the current run, kHz.
    demand_khz: u64,
    /// The fragment after the current run, or `NO_FRAGMENTS`.
    cursor: u64,
    /// The task's fragment end (one past its last fragment).
    end: u64,
    /// End of the current run, ms.
    step_ms: u64,
    /// Demand of the fragment at `cursor`, kHz.
    next_khz: u64,
}

struct Replay<'t> {
    trace: &'t Trace,
    placer: Placer,
    hosts: Hosts,
    power_cache: PowerCache,
    queue: PackedEventQueue<Event>,
    state: Vec<TaskState>,
    task_run: Vec<TaskRun>,
    task_next: Vec<u32>,
    fifo: std::collections::VecDeque<u32>,
    permille: u64,
    /// `permille` as f64.
    permille_f64: f64,
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
    /// Set the fleet-wide demand multiplier (hosts are re-powered by the caller).
    fn set_permille(&mut self, permille: u32) {
        self.permille = u64::from(permille);
        self.permille_f64 = f64::from(permille);
    }

    /// Bring host `h`'s integrals up to `t`.
    #[inline]
    fn flush(&mut self, h: usize, t: u64) {
        let x = &mut self.hosts.hot[h];
        let dt = t - x.last_ms;
        if dt == 0 {
            return;
        }
        x.last_ms = t;
        x.energy_wms += x.power_w * dt as f64;
        if self.placer.tasks_on(h as u32) == 0 {
            // Idle: no demand, no utilization, not busy.
            return;
        }
        x.utilization_ms += x.utilization * dt as f64;
        x.busy_ms += dt;
        x.served += x.served_rate * u128::from(dt);
        if x.throttled_rate > 0 {
            self.throttled += x.throttled_rate * u128::from(dt);
        }
    }

    /// Set host `h`'s utilization, power and work rates from its demand and
    /// state. Work rates in kHz·‰ (millicycles per ms): served `min(d, c)`,
    /// throttled `d − min(d, c)`, for demand `d` and capacity `c`.
    #[inline]
    fn repower(&mut self, h: usize) {
        let x = &mut self.hosts.hot[h];
        let demand_khz = x.demand_khz;
        let d = u128::from(demand_khz) * u128::from(self.permille);
        let served = d.min(u128::from(x.capacity_khz) * 1000);
        x.served_rate = served;
        x.throttled_rate = d - served;
        let (g, c) = (x.group as usize, x.capacity_f64);
        let model = self.hosts.models[g];
        let permille = self.permille_f64;
        let on = || {
            let d = to_f64(demand_khz) * permille;
            let u = if c > 0.0 { (d / c).min(1.0) } else { 0.0 };
            (u, model.power_w(u))
        };
        let (u, on_w) = if model.has_fractional_power() {
            // Worth a table look-up. The utilization is a function of d alone
            // while the demand converts to f64 exactly (below 2^53 kHz);
            // beyond, nothing is cached.
            let key = if demand_khz < 1 << 53 { u64::try_from(d).unwrap_or(u64::MAX) } else { u64::MAX };
            self.power_cache.get(g, key, on)
        } else {
            // A few multiplications, a square root or a table point: cheaper than the cache.
            on()
        };
        let x = &mut self.hosts.hot[h];
        x.utilization = u;
        x.power_w = match self.placer.state(h as u32) {
            PowerState::On => on_w,
            PowerState::Off => 0.0,
            PowerState::Waking => model.idle_w(),
        };
    }

    /// Work (millicycles) of `task`'s fragments from `from` to its end, or of
    /// its whole run at capacity when it has no fragments.
    fn nominal_work(&self, task: usize, from: u64) -> u128 {
        let t = &self.trace.tasks;
        let (first, end) = (t.fragment_start[task] as usize, t.fragment_start[task + 1] as usize);
        if first == end {
            return u128::from(khz(t.cpu_capacity_mhz[task])) * u128::from(t.duration_ms[task]) * 1000;
        }
        let f = &self.trace.fragments;
        let from = from as usize;
        f.cpu_usage_mhz[from..end]
            .iter()
            .zip(&f.duration_ms[from..end])
            .map(|(&mhz, &ms)| u128::from(khz(mhz)) * u128::from(ms) * 1000)
            .sum()
    }

    fn reject(&mut self, task: usize) {
        self.state[task] = TaskState::Rejected;
        self.rejected += 1;
        self.live -= 1;
        self.rejected_work += self.nominal_work(task, self.trace.tasks.fragment_start[task]);
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
        self.task_run[task].host = h;
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
        let (first, end) = (t.fragment_start[task] as usize, t.fragment_start[task + 1] as usize);
        let (demand, len, cursor, next_khz) = if first == end {
            (khz(t.cpu_capacity_mhz[task]), t.duration_ms[task], NO_FRAGMENTS, 0)
        } else {
            let f = &self.trace.fragments;
            let r = run_at(f, first, end, khz(f.cpu_usage_mhz[first]));
            (r.demand_khz, r.duration_ms, r.next as u64, r.next_khz)
        };
        self.flush(h, now);
        let run = &mut self.task_run[task];
        (run.demand_khz, run.cursor, run.end, run.step_ms, run.next_khz) =
            (demand, cursor, end as u64, now + len, next_khz);
        self.hosts.hot[h].demand_khz += demand;
        self.repower(h);
        self.queue.schedule(now + len, Event::Step(task as u32));
    }

    /// The event at the head of the queue, `Step(task)` at `now`: the task's
    /// next run replaces it in the queue (one sift), or the task departs.
    fn step(&mut self, task: usize, now: u64) {
        let run = self.task_run[task];
        let h = run.host as usize;
        self.flush(h, now);
        if run.cursor < run.end {
            // (`NO_FRAGMENTS` is never below an end.)
            let next = run_at(&self.trace.fragments, run.cursor as usize, run.end as usize, run.next_khz);
            let (len, demand) = (next.duration_ms, next.demand_khz);
            let r = &mut self.task_run[task];
            (r.demand_khz, r.cursor, r.step_ms, r.next_khz) =
                (demand, next.next as u64, now + len, next.next_khz);
            let x = &mut self.hosts.hot[h];
            x.demand_khz = x.demand_khz - run.demand_khz + demand;
            self.repower(h);
            self.queue.replace_top(now + len, Event::Step(task as u32));
            return;
        }
        // Departure.
        self.queue.pop();
        let t = &self.trace.tasks;
        self.hosts.hot[h].demand_khz -= run.demand_khz;
        self.task_run[task].demand_khz = 0;
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
        // One pass: bring each host up to t, then add it to the fleet sums
        // (in host order, so the sums are those of two passes).
        let (mut energy, mut util) = (0.0, 0.0);
        for h in 0..self.placer.hosts() {
            self.flush(h, t);
            let x = &self.hosts.hot[h];
            energy += x.energy_wms;
            util += x.utilization_ms;
        }
        let dt = (t - self.last_sample_ms) as f64;
        if dt <= 0.0 {
            return;
        }
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
            for (h, x) in hs.hot.iter().enumerate() {
                self.host_power_buf[h] = (x.energy_wms - hs.sample_energy_wms[h]) / dt;
                self.host_util_buf[h] = (x.utilization_ms - hs.sample_utilization_ms[h]) / dt;
                hs.sample_energy_wms[h] = x.energy_wms;
                hs.sample_utilization_ms[h] = x.utilization_ms;
            }
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
    replay_controlled(w, groups, trace, seed, sink, &Control::default())
}

/// Events between two looks at the cancel token and two progress reports
/// (a few milliseconds of replay; a power of two, so the test is a mask).
const EVENTS_PER_CHECK: u64 = 1 << 16;

/// [`replay_with`] under `control`: the tasks arrived so far are reported,
/// and a cancelled token stops the replay (an error saying so; the caller
/// tells it from a bad replay by its token) every `EVENTS_PER_CHECK`
/// events.
pub fn replay_controlled(
    w: &Workload,
    groups: &[HostGroup],
    trace: &Trace,
    seed: u64,
    sink: &mut dyn SeriesSink,
    control: &Control<'_>,
) -> Result<WorkloadOutcome, ReplayError> {
    let mut r = Replay::new(w, groups, trace, seed, sink.wants_hosts())?;
    let n = trace.tasks.len();
    let hosts = r.hosts.hot.len();
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
        if r.events.is_multiple_of(EVENTS_PER_CHECK) {
            if control.is_cancelled() {
                return Err(ReplayError(Interrupted.to_string()));
            }
            control.report("replay tasks arrived", cursor as u64, n as u64);
        }
        now = t;
        if next_event <= next_arrival {
            // Handlers that answer with one event of their own replace the
            // head of the queue (`replace_top`); the others pop it first.
            let (t, e) = r.queue.peek().expect("peeked");
            match e {
                Event::Step(task) => r.step(task as usize, t),
                Event::Wake(h) => {
                    r.queue.pop();
                    r.wake(h, t);
                }
                Event::Sample => {
                    r.sample(t, sink);
                    r.queue.replace_top(t + w.sample_interval_ms, Event::Sample);
                }
                Event::Scale => {
                    let scale = trace.demand_scale.as_ref().expect("scale events need a scale");
                    r.flush_all(t);
                    let k = (t / scale.step_ms) as usize;
                    r.set_permille(scale.permille[k.min(scale.permille.len() - 1)]);
                    for h in 0..hosts {
                        r.repower(h);
                    }
                    if k + 1 < scale.permille.len() {
                        r.queue.replace_top(t + scale.step_ms, Event::Scale);
                    } else {
                        r.queue.pop();
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
    Ok(r.outcome(groups, end))
}

#[cfg(test)]
mod tests;
