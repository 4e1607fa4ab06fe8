//! One replication of a reliability diagram: a discrete-event simulation of
//! failures, repairs, maintenance windows, generator starts and ride-through,
//! propagated through the block diagram, over a fixed horizon.
//!
//! Time is integer milliseconds on the kernel's clock ([`TICKS_PER_HOUR`]).
//! Every random process draws from its own named stream
//! (`reliability/<class>/failure`, `…/repair`, `…/start`, indexed by the
//! replication), so a replication's results depend only on the diagram, the
//! seed and its index: never on which thread runs it or what ran before.
//!
//! Propagation is incremental. Each group keeps a count of its children that
//! are up; when a unit changes state, only the blocks above it are visited,
//! and only as far as something actually changes. That is how a PDU failure
//! takes its racks (their groups lose a needed child) while a failed UPS module
//! in an N+1 group takes nothing.
//!
//! Classes whose failure modes are all exponential are simulated as one
//! Poisson stream of failure attempts at rate `count · λ`, each aimed at a unit
//! chosen uniformly and ignored if that unit is not up (thinning: P. A. W.
//! Lewis, G. S. Shedler, "Simulation of nonhomogeneous Poisson processes by
//! thinning", Naval Res. Logistics Q. 26(3), 1979). By memorylessness each up
//! unit then fails at rate λ exactly as with its own clock, and 5,000 servers
//! need one pending event instead of 5,000. Exponential repairs are pooled the
//! same way: with n units of a class in repair, the next completion is
//! Exp(n·μ) away and falls on one of them uniformly, so one clock per class
//! replaces one event per repair. These clocks sit beside the event queue;
//! everything else (non-exponential lifetimes, maintenance, generator starts,
//! ride-through, module replacement) goes through the queue with generation
//! counters for cancellation.
//!
//! The largest *independent* class (pooled failures and repairs, one mode,
//! no standby or maintenance, units nothing listens to: in a site, the
//! servers) is the *hot* class. Its events change nothing but its own units
//! and the capacity count, so, when a replication keeps no event log and no
//! capacity curve, it is taken out: the rest runs to the horizon with every
//! hot unit up, recording when each block feeding capacity goes down and up,
//! and then the hot class runs alone (`Run::run_hot_class`) from its own
//! two streams. The capacity lost is the rest's (the units behind a block
//! while it is down) plus each hot unit's time in repair less the part of it
//! its block was down (counted already): an identity on integer
//! unit-ticks, so the outcome is the interleaved one to the bit. With a log
//! or a curve (which need the count after every event) the hot class runs
//! interleaved, on the same short path as any independent class.
//!
//! # Where an event's time goes (issue 20)
//!
//! Profile: callgrind, one thread, the bench/RESULTS.md Tier IV command with
//! 300 replications (1,693,883 events, 98% of them server failures and
//! repairs). Three rounds took the whole process from 1,060 M instructions
//! (626 an event) to 290.7 M (172 an event) and its CPU time from 2.2 s to
//! 0.86 s for 10,000 replications, every result the same to the bit.
//!
//! Now: the hot class, alone, is 216 M (74%): 129 instructions a server
//! event, about half of them the random numbers (a Xoshiro256++ draw of
//! about 15 instructions for the unit or the pick, another for the
//! exponential, the ziggurat's common case of about 12, its float-to-tick
//! conversion of about 11), then choosing between the two clocks, the unit's
//! state, the list of units in repair and the time-in-repair sum. Its one
//! costly branch, failure attempt or repair, goes either way about equally
//! often (each happens about once per 3 hours of 5,000 servers), so is
//! mispredicted about half the time. The rest of the replication (about 90
//! events: UPS, PDU, cooling, switches, maintenance windows) is 48 M, 160 k
//! instructions a replication, two thirds of them propagating path changes
//! (a PDU or UPS path reaches all 125 racks' power blocks, about 12
//! instructions a visit); loading and building the site and the summary
//! 27 M.
//!
//! What each round changed (bench/RESULTS.md, "Tier IV Monte Carlo"):
//! - first: independent classes skip the general handlers (no mode, no
//!   generations, no propagation); the ziggurat's common case inlined and
//!   its rare cases out of line; ride-through state kept by ordinal, group
//!   needs in a compact table; the monthly capacity curve asked for only
//!   for fail-in-place fleets;
//! - second: the ziggurat's tables taken once per replication
//!   ([`standard_exponential_with`]); stream names hashed once per
//!   simulator; each worker reuses one [`RunScratch`] across its
//!   replications (generation counters never reset, only compared for
//!   equality with stamps of the same replication; of the child and
//!   capacity counts only the few hundred blocks that can move reset);
//! - third: the hot class split off and run alone, as above (−30% of
//!   instructions, −22% of CPU time).
//!
//! Tried and dropped: drawing all of a replication's failure attempts first
//! (they depend on nothing but their stream), then merging them with the
//! repairs (slower: 0.93 s of CPU against 0.88 s); in the interleaved
//! design, running hot events in an inner loop against the other clocks'
//! minimum (slower too).

use super::diagram::{Diagram, NodeId, NodeKind, Repair};
use plenum_kernel::rng::{
    exponential_tables, index_by_multiply, standard_exponential, standard_exponential_with, stream_name_hash,
    stream_of_name_hash, unit_open,
};
use plenum_kernel::{EventQueue, Generations, RngStream, Time};

/// Kernel ticks per simulated hour: one tick is a millisecond.
pub const TICKS_PER_HOUR: f64 = 3_600_000.0;

/// Durations beyond this are treated as "never" (about 1,460 years of ticks
/// is far beyond any horizon, and keeps sums of times from overflowing).
const NEVER: Time = u64::MAX / 4;

/// Hours to ticks, rounded to the nearest millisecond.
pub fn ticks(hours: f64) -> Time {
    let t = hours * TICKS_PER_HOUR;
    // Adding a half and truncating rounds half up; cheaper than `round`, and as exact.
    if t >= NEVER as f64 { NEVER } else { (t.max(0.0) + 0.5) as Time }
}

fn hours(ticks: Time) -> f64 {
    ticks as f64 / TICKS_PER_HOUR
}

/// What one replication should record besides its totals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Simulated time, in hours.
    pub horizon_h: f64,
    /// Keep every event in [`Outcome::log`].
    pub log_events: bool,
    /// Width of the buckets of the capacity curve, in hours (None: no curve).
    pub capacity_bucket_h: Option<f64>,
}

/// What happened, in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A unit failed (the mode says how).
    Failure,
    /// A unit came back from repair.
    Repair,
    /// A planned maintenance window began.
    MaintenanceStart,
    /// A planned maintenance window ended.
    MaintenanceEnd,
    /// A standby unit was called and did not start.
    FailToStart,
    /// A standby unit started and took load.
    Start,
    /// A standby unit was released (its demand block is back).
    Stop,
    /// A ride-through block ran out (battery empty, room too hot).
    RideThroughExhausted,
    /// The site block went down.
    OutageStart,
    /// The site block came back.
    OutageEnd,
    /// A fail-in-place module was replaced.
    ModuleReplaced,
}

impl EventKind {
    /// The name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Failure => "failure",
            EventKind::Repair => "repair",
            EventKind::MaintenanceStart => "maintenance_start",
            EventKind::MaintenanceEnd => "maintenance_end",
            EventKind::FailToStart => "fail_to_start",
            EventKind::Start => "start",
            EventKind::Stop => "stop",
            EventKind::RideThroughExhausted => "ride_through_exhausted",
            EventKind::OutageStart => "outage_start",
            EventKind::OutageEnd => "outage_end",
            EventKind::ModuleReplaced => "module_replaced",
        }
    }
}

/// What an event log row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A unit, by global index.
    Component(u32),
    /// A block, by id.
    Node(NodeId),
    /// A fail-in-place module, by index.
    Module(u32),
}

/// One row of the event log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogRow {
    /// When, in hours from the start of the replication.
    pub time_h: f64,
    /// What it is about.
    pub subject: Subject,
    /// What happened.
    pub kind: EventKind,
    /// The failure mode (index into the class's modes), for failures.
    pub mode: Option<u32>,
    /// Whether the site block is up after the event.
    pub site_up: bool,
    /// Capacity units serving after the event.
    pub serving: u32,
}

/// The totals of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Simulated hours.
    pub horizon_h: f64,
    /// Hours the site block was down.
    pub downtime_h: f64,
    /// Length of each outage of the site block, in hours (the last one cut at the horizon).
    pub outage_durations_h: Vec<f64>,
    /// Capacity units in the diagram.
    pub capacity_units: u32,
    /// Unit-hours of capacity not serving (units down or cut off).
    pub lost_capacity_unit_h: f64,
    /// Failures by class, then mode.
    pub failures: Vec<Vec<u64>>,
    /// Failed start attempts by class.
    pub fail_to_start: Vec<u64>,
    /// Maintenance windows begun, by class.
    pub maintenance_windows: Vec<u64>,
    /// Times each ride-through block ran out, in block order (see
    /// [`ride_through_nodes`]).
    pub ride_through_exhausted: Vec<u64>,
    /// Repairs completed.
    pub repairs: u64,
    /// Fail-in-place modules replaced.
    pub module_replacements: u64,
    /// Events popped from the queue (including cancelled ones).
    pub events: u64,
    /// Mean fraction of capacity serving in each bucket of the capacity curve.
    pub capacity_curve: Vec<f64>,
    /// Every event, when asked for.
    pub log: Vec<LogRow>,
}

#[derive(Debug, Clone, Copy)]
enum Ev {
    Failure { component: u32, mode: u32, generation: u32 },
    Repaired { component: u32, generation: u32 },
    MaintenanceStart { component: u32 },
    MaintenanceEnd { component: u32, generation: u32 },
    Started { component: u32, generation: u32 },
    Depleted { node: NodeId, generation: u32 },
    ModuleReplaced { module: u32 },
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Working (for a standby unit: running and carrying load).
    Up,
    /// Failed, repair pending.
    Failed,
    /// Failed in place, waiting for its module to be replaced.
    Dead,
    /// In a planned maintenance window.
    Maintenance,
    /// A standby unit, idle and ready.
    Standby,
    /// A standby unit between the call and taking load.
    Starting,
}

/// Per-class constants derived once from the diagram.
#[derive(Debug, Clone)]
struct ClassInfo {
    start: u32,
    count: u32,
    /// All modes exponential: simulate as one thinned Poisson stream.
    pooled: bool,
    /// Failure rate of each mode, per tick (pooled classes).
    mode_rates: Vec<f64>,
    /// Sum of the mode rates, per tick.
    total_rate: f64,
    /// All repairs exponential: repairs of the class form one Poisson stream
    /// of rate Σ (units in repair by mode m) · μ_m, redrawn whenever that changes.
    pooled_repair: bool,
    /// Repair rate of each mode, per tick (pooled repairs).
    repair_rates: Vec<f64>,
    /// Mean repair of each mode, in ticks (pooled repairs).
    mean_repair_ticks: Vec<f64>,
    /// Mean ticks between failure attempts of the whole class, 1 / (count · Σλ).
    mean_attempt_ticks: f64,
    /// Index of the class's failure and repair clocks (u32::MAX: none).
    failure_clock: u32,
    repair_clock: u32,
    is_capacity: bool,
    /// Pooled failures and repairs, one mode, no standby or maintenance, and
    /// units nothing listens to (no parents or watchers): the class's events
    /// change nothing but its own units and the capacity count, and take the
    /// short path ([`Run::independent_attempt`], [`Run::independent_repair`]).
    independent: bool,
}

/// A diagram prepared for simulation: parent lists, watchers and per-class
/// constants. Shared read-only by every replication (and thread).
#[derive(Debug, Clone)]
pub struct Simulator<'d> {
    diagram: &'d Diagram,
    parent_start: Vec<u32>,
    parents: Vec<NodeId>,
    /// Standby classes watching each block (CSR like the parents).
    watcher_start: Vec<u32>,
    watchers: Vec<u32>,
    classes: Vec<ClassInfo>,
    /// Capacity units fed by each block.
    served_total: Vec<u32>,
    class_of: Vec<u32>,
    /// Ordinal of each ride-through block among ride-through blocks.
    ride_ordinal: Vec<u32>,
    /// Number of ride-through blocks.
    ride_count: usize,
    /// The state at time 0, the same for every replication.
    initial: Initial,
    /// What each clock beside the queue is for.
    clock_owner: Vec<Clock>,
    /// The largest independent class (usize::MAX: none): simulated on its
    /// own after everything else, when the replication keeps no event log
    /// and no capacity curve (see [`Run::run_hot_class`]).
    hot_class: usize,
    /// The blocks feeding capacity that are down at time 0.
    feeds_down_at_start: Vec<NodeId>,
    /// What a group block needs of its children, by block (u32::MAX: not a
    /// group): read on every visit of a parent, where the block's own record
    /// (name, children) would bring a cache line each.
    group_need: Vec<u32>,
    /// 1/n for n = 0..=largest class (entry 0 unused), to divide by a count with a multiply.
    reciprocal: Vec<f64>,
    /// Leaves nothing listens to (no parents, watchers or capacity, not the
    /// root): a change there needs no propagation.
    inert_leaf: Vec<bool>,
    /// Maintenance blocks of each unit (CSR: `in_maintenance[start[c]..start[c + 1]]`).
    in_maintenance_start: Vec<u32>,
    in_maintenance: Vec<NodeId>,
    /// The name hashes of each class's streams (failure, repair, start):
    /// hashed once, not formatted and hashed every replication.
    stream_names: Vec<[u64; 3]>,
    /// The blocks whose child count or capacity count can change (those with
    /// children, those that feed capacity): the only entries of those two
    /// tables a replication must reset in buffers this simulator filled.
    changing_nodes: Vec<NodeId>,
    /// Tells the buffers this simulator (or a clone: same time-0 state) filled.
    id: u64,
}

/// The next [`Simulator`]'s id.
static NEXT_SIMULATOR_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Every unit new (standby units idle), every ride-through block full.
#[derive(Debug, Clone)]
struct Initial {
    state: Vec<State>,
    node_up: Vec<bool>,
    up_children: Vec<u32>,
    served_up: Vec<u32>,
    serving: u32,
    /// Ride-through blocks whose child is down at time 0: they start draining.
    draining: Vec<NodeId>,
}

impl Initial {
    fn new(d: &Diagram, classes: &[ClassInfo], served_total: &[u32]) -> Initial {
        let mut state = vec![State::Up; d.component_count()];
        for (class, info) in d.classes.iter().zip(classes) {
            if class.standby.is_some() {
                state[info.start as usize..(info.start + info.count) as usize].fill(State::Standby);
            }
        }
        let n = d.nodes.len();
        let (mut node_up, mut up_children, mut draining) = (vec![false; n], vec![0u32; n], Vec::new());
        // Blocks bottom-up (children have lower ids).
        for (id, node) in d.nodes.iter().enumerate() {
            node_up[id] = match node.kind {
                NodeKind::Leaf { component } => state[component as usize] == State::Up,
                NodeKind::Always => true,
                // No unit starts in a maintenance window.
                NodeKind::InMaintenance { .. } => false,
                NodeKind::Group { need } => {
                    up_children[id] = node.children.iter().filter(|&&c| node_up[c as usize]).count() as u32;
                    up_children[id] >= need
                }
                NodeKind::RideThrough { ride_through_h, .. } => {
                    let child_up = node_up[node.children[0] as usize];
                    up_children[id] = child_up as u32;
                    let holds = ticks(ride_through_h) > 0;
                    if !child_up && holds {
                        draining.push(id as NodeId);
                    }
                    child_up || holds
                }
            };
        }
        let mut served_up = vec![0u32; n];
        if let Some(c) = &d.capacity {
            for (i, &f) in c.feeds.iter().enumerate() {
                let up = c
                    .class
                    .is_none_or(|class| state[(classes[class].start + i as u32) as usize] == State::Up);
                served_up[f as usize] += up as u32;
            }
        }
        let serving = (0..n).filter(|&i| node_up[i] && served_total[i] > 0).map(|i| served_up[i]).sum();
        Initial { state, node_up, up_children, served_up, serving, draining }
    }
}

/// A clock kept beside the event queue.
#[derive(Debug, Clone, Copy)]
enum Clock {
    /// The next failure attempt of a pooled class.
    Failure(usize),
    /// The next repair of a pooled-repair class.
    Repair(usize),
}

/// The ride-through blocks of a diagram, in block order: the order of
/// [`Outcome::ride_through_exhausted`].
pub fn ride_through_nodes(diagram: &Diagram) -> Vec<NodeId> {
    (0..diagram.nodes.len() as NodeId)
        .filter(|&n| matches!(diagram.nodes[n as usize].kind, NodeKind::RideThrough { .. }))
        .collect()
}

impl<'d> Simulator<'d> {
    /// Prepare `diagram` (already validated by its builder).
    pub fn new(diagram: &'d Diagram) -> Simulator<'d> {
        let n = diagram.nodes.len();
        let mut counts = vec![0u32; n + 1];
        for node in &diagram.nodes {
            for &c in &node.children {
                counts[c as usize + 1] += 1;
            }
        }
        let parent_start = prefix_sums(&counts);
        let mut fill = parent_start.clone();
        let mut parents = vec![0; parent_start[n] as usize];
        for (id, node) in diagram.nodes.iter().enumerate() {
            for &c in &node.children {
                parents[fill[c as usize] as usize] = id as NodeId;
                fill[c as usize] += 1;
            }
        }

        let mut wcounts = vec![0u32; n + 1];
        for class in &diagram.classes {
            if let Some(s) = class.standby {
                wcounts[s.demand as usize + 1] += 1;
            }
        }
        let watcher_start = prefix_sums(&wcounts);
        let mut wfill = watcher_start.clone();
        let mut watchers = vec![0; watcher_start[n] as usize];
        for (i, class) in diagram.classes.iter().enumerate() {
            if let Some(s) = class.standby {
                watchers[wfill[s.demand as usize] as usize] = i as u32;
                wfill[s.demand as usize] += 1;
            }
        }

        let capacity_class = diagram.capacity.as_ref().and_then(|c| c.class);
        let classes = diagram
            .classes
            .iter()
            .enumerate()
            .map(|(i, class)| {
                let pooled = class.modes.iter().all(|m| m.time_to_failure.is_exponential());
                let mode_rates: Vec<f64> = class
                    .modes
                    .iter()
                    .map(|m| if pooled { 1.0 / (m.time_to_failure.mean_h() * TICKS_PER_HOUR) } else { 0.0 })
                    .collect();
                let repair_rates: Option<Vec<f64>> = class
                    .modes
                    .iter()
                    .map(|m| match m.repair {
                        Repair::Restore(d) if d.is_exponential() => Some(1.0 / (d.mean_h() * TICKS_PER_HOUR)),
                        _ => None,
                    })
                    .collect();
                let mean_attempt_ticks = 1.0 / (class.count as f64 * mode_rates.iter().sum::<f64>());
                ClassInfo {
                    start: diagram.class_start[i],
                    count: class.count,
                    pooled,
                    total_rate: mode_rates.iter().sum(),
                    mode_rates,
                    pooled_repair: repair_rates.is_some(),
                    mean_repair_ticks: repair_rates.iter().flatten().map(|mu| 1.0 / mu).collect(),
                    repair_rates: repair_rates.unwrap_or_default(),
                    mean_attempt_ticks,
                    failure_clock: u32::MAX,
                    repair_clock: u32::MAX,
                    is_capacity: capacity_class == Some(i),
                    independent: false,
                }
            })
            .collect::<Vec<ClassInfo>>();
        let mut classes = classes;
        let mut clock_owner = Vec::new();
        for (c, info) in classes.iter_mut().enumerate() {
            if info.pooled {
                info.failure_clock = clock_owner.len() as u32;
                clock_owner.push(Clock::Failure(c));
            }
        }
        for (c, info) in classes.iter_mut().enumerate() {
            if info.pooled_repair {
                info.repair_clock = clock_owner.len() as u32;
                clock_owner.push(Clock::Repair(c));
            }
        }

        let mut served_total = vec![0u32; n];
        if let Some(c) = &diagram.capacity {
            for &f in &c.feeds {
                served_total[f as usize] += 1;
            }
        }
        let mut class_of = Vec::with_capacity(diagram.component_count());
        for (i, class) in diagram.classes.iter().enumerate() {
            class_of.extend(std::iter::repeat_n(i as u32, class.count as usize));
        }
        let mut ride_ordinal = vec![u32::MAX; n];
        let ride_nodes = ride_through_nodes(diagram);
        for (i, &node) in ride_nodes.iter().enumerate() {
            ride_ordinal[node as usize] = i as u32;
        }
        let initial = Initial::new(diagram, &classes, &served_total);
        let mut mcounts = vec![0u32; diagram.component_count() + 1];
        for node in &diagram.nodes {
            if let NodeKind::InMaintenance { component } = node.kind {
                mcounts[component as usize + 1] += 1;
            }
        }
        let in_maintenance_start = prefix_sums(&mcounts);
        let mut mfill = in_maintenance_start.clone();
        let mut in_maintenance = vec![0; in_maintenance_start[diagram.component_count()] as usize];
        for (id, node) in diagram.nodes.iter().enumerate() {
            if let NodeKind::InMaintenance { component } = node.kind {
                in_maintenance[mfill[component as usize] as usize] = id as NodeId;
                mfill[component as usize] += 1;
            }
        }
        let inert_leaf: Vec<bool> = diagram
            .leaves
            .iter()
            .map(|&leaf| {
                let l = leaf as usize;
                parent_start[l] == parent_start[l + 1]
                    && watcher_start[l] == watcher_start[l + 1]
                    && served_total[l] == 0
                    && leaf != diagram.root
            })
            .collect();
        for (c, info) in classes.iter_mut().enumerate() {
            let class = &diagram.classes[c];
            let units = info.start as usize..(info.start + info.count) as usize;
            info.independent = info.pooled
                && info.pooled_repair
                && class.modes.len() == 1
                && class.standby.is_none()
                && class.maintenance.is_none()
                && inert_leaf[units].iter().all(|&i| i);
        }
        let hot_class = classes
            .iter()
            .enumerate()
            .filter(|(_, i)| i.independent && i.count > 0)
            .max_by_key(|(_, i)| i.count)
            .map_or(usize::MAX, |(c, _)| c);
        let feeds_down_at_start =
            (0..n).filter(|&i| served_total[i] > 0 && !initial.node_up[i]).map(|i| i as NodeId).collect();
        let group_need = diagram
            .nodes
            .iter()
            .map(|node| match node.kind {
                NodeKind::Group { need } => need,
                _ => u32::MAX,
            })
            .collect();
        let changing_nodes = (0..diagram.nodes.len())
            .filter(|&i| !diagram.nodes[i].children.is_empty() || served_total[i] > 0)
            .map(|i| i as NodeId)
            .collect();
        Simulator {
            diagram,
            parent_start,
            parents,
            watcher_start,
            watchers,
            classes,
            served_total,
            inert_leaf,
            class_of,
            ride_ordinal,
            ride_count: ride_nodes.len(),
            initial,
            in_maintenance_start,
            in_maintenance,
            stream_names: diagram
                .classes
                .iter()
                .map(|c| {
                    ["failure", "repair", "start"]
                        .map(|process| stream_name_hash(&format!("reliability/{}/{process}", c.name)))
                })
                .collect(),
            changing_nodes,
            id: NEXT_SIMULATOR_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            clock_owner,
            hot_class,
            feeds_down_at_start,
            group_need,
            reciprocal: (0..=diagram.classes.iter().map(|c| c.count).max().unwrap_or(0))
                .map(|n| if n == 0 { 0.0 } else { 1.0 / n as f64 })
                .collect(),
        }
    }

    /// The same simulator with every class on the general path: no
    /// independent classes, no hot class. The short paths must give the same
    /// outcome to the bit; the tests compare the two.
    #[cfg(test)]
    fn without_short_paths(mut self) -> Self {
        for info in &mut self.classes {
            info.independent = false;
        }
        self.hot_class = usize::MAX;
        self
    }

    /// The block each unit of `class` feeds, by unit (empty: the class is
    /// not the capacity).
    fn capacity_feeds(&self, class: usize) -> &'d [NodeId] {
        match &self.diagram.capacity {
            Some(cap) if self.classes[class].is_capacity => &cap.feeds,
            _ => &[],
        }
    }

    /// The diagram being simulated.
    pub fn diagram(&self) -> &'d Diagram {
        self.diagram
    }

    /// Run replication `replication` under scenario seed `seed`.
    pub fn run(&self, seed: u64, replication: u64, options: &RunOptions) -> Outcome {
        self.run_with(&mut self.scratch(), seed, replication, options)
    }

    /// Buffers for [`Simulator::run_with`], to be reused across the
    /// replications one thread runs.
    pub fn scratch(&self) -> RunScratch {
        RunScratch {
            generation: Generations::new(self.diagram.component_count()),
            node_generation: Generations::new(self.ride_count),
            state: Vec::new(),
            node_up: Vec::new(),
            up_children: Vec::new(),
            served_up: Vec::new(),
            hot_in_repair: Vec::new(),
            feed_changes: Vec::new(),
            cut_first: Vec::new(),
            queue: EventQueue::with_capacity(64),
            sized_for: (self.diagram.component_count(), self.ride_count),
            filled_by: 0,
        }
    }

    /// [`Simulator::run`] in the buffers of `scratch` (from
    /// [`Simulator::scratch`] of this simulator, or of one of the same sizes;
    /// another is replaced): the same outcome, without allocating and
    /// freeing the per-block state each replication.
    pub fn run_with(
        &self,
        scratch: &mut RunScratch,
        seed: u64,
        replication: u64,
        options: &RunOptions,
    ) -> Outcome {
        if scratch.sized_for != (self.diagram.component_count(), self.ride_count) {
            *scratch = self.scratch();
        }
        Run::new(self, scratch, seed, replication, options).execute(scratch)
    }
}

/// The buffers of one replication, kept between the replications a thread
/// runs ([`Simulator::run_with`]). Each replication copies the time-0 state
/// into them; the generation counters are not reset at all: a counter is
/// only ever compared for equality with a stamp taken from it in the same
/// replication (the queue starts empty), so where it starts changes nothing.
pub struct RunScratch {
    generation: Generations,
    node_generation: Generations,
    state: Vec<State>,
    node_up: Vec<bool>,
    up_children: Vec<u32>,
    served_up: Vec<u32>,
    /// The hot class's units in repair, each with when it failed.
    hot_in_repair: Vec<(u32, Time)>,
    feed_changes: Vec<(NodeId, Time, bool)>,
    /// By block, u32::MAX (set entries are reset after use).
    cut_first: Vec<u32>,
    queue: EventQueue<Ev>,
    /// Units and ride-through blocks the generation counters are sized for.
    sized_for: (usize, usize),
    /// The [`Simulator::id`] whose time-0 state the per-block tables were
    /// last filled from (0: none).
    filled_by: u64,
}

impl std::fmt::Debug for RunScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunScratch").field("sized_for", &self.sized_for).finish_non_exhaustive()
    }
}

/// `buffer` emptied and refilled with `initial`, keeping its allocation.
fn refill<T: Copy>(buffer: &mut Vec<T>, initial: &[T]) -> Vec<T> {
    let mut v = std::mem::take(buffer);
    v.clear();
    v.extend_from_slice(initial);
    v
}

/// `buffer`, filled from `initial` by the same simulator, reset to it at
/// `changing` only (every other entry never moves from its time-0 value).
fn reset_at<T: Copy>(buffer: &mut Vec<T>, initial: &[T], changing: &[NodeId]) -> Vec<T> {
    let mut v = std::mem::take(buffer);
    for &i in changing {
        v[i as usize] = initial[i as usize];
    }
    v
}

fn prefix_sums(counts: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(counts.len());
    let mut acc = 0;
    for c in counts {
        acc += c;
        out.push(acc);
    }
    out
}

struct ClassRng {
    failure: RngStream,
    repair: RngStream,
    start: RngStream,
}

/// The time `wait_ticks` after `now`, rounded to a tick (NEVER if beyond it;
/// `now` never exceeds the horizon, far below NEVER / 2).
#[inline]
fn after(now: Time, wait_ticks: f64) -> Time {
    // Below NEVER / 2 < 2^63 the conversion through i64 truncates exactly
    // as one to u64 would, in one instruction instead of a branchy dozen.
    if wait_ticks < (NEVER / 2) as f64 { now + (wait_ticks + 0.5) as i64 as Time } else { NEVER }
}

/// The mutable state of one replication.
struct Run<'s, 'd> {
    sim: &'s Simulator<'d>,
    options: RunOptions,
    queue: EventQueue<Ev>,
    now: Time,
    horizon: Time,
    state: Vec<State>,
    generation: Generations,
    node_up: Vec<bool>,
    up_children: Vec<u32>,
    // Ride-through blocks, by ordinal (`Simulator::ride_ordinal`: a few of
    // them, where indexing by block would clear a slot for every server's
    // leaf each replication): charge (fraction of full) as of `charge_at`.
    charge: Vec<f64>,
    charge_at: Vec<Time>,
    draining: Vec<bool>,
    node_generation: Generations,
    rng: Vec<ClassRng>,
    demand_pending: Vec<NodeId>,
    /// Clocks beside the queue, NEVER when idle: the next failure attempt of
    /// each pooled class, then the next repair of each pooled-repair class
    /// (see [`Simulator::clock_owner`]).
    clock: Vec<Time>,
    /// The earliest clock (lowest index among equals) and its index
    /// (`(NEVER, usize::MAX)`: none), valid unless `clock_min_stale`.
    clock_min: (Time, usize),
    clock_min_stale: bool,
    /// Whether the hot class runs on its own after the rest
    /// ([`Run::run_hot_class`]).
    split_hot: bool,
    /// When a block feeding capacity went down (false) or up (true), while
    /// the hot class runs on its own.
    feed_changes: Vec<(NodeId, Time, bool)>,
    /// Units in repair, by class and mode (pooled repairs).
    in_repair: Vec<Vec<Vec<u32>>>,
    // Capacity.
    served_up: Vec<u32>,
    serving: u32,
    module_alive: Vec<u32>,
    module_pending: Vec<bool>,
    bucket_ticks: Time,
    /// Serving unit-ticks in each bucket of the capacity curve.
    curve_ticks: Vec<u128>,
    /// The bucket `last` falls in, and where it ends.
    bucket: usize,
    bucket_end: Time,
    /// Unit-ticks of capacity not serving.
    lost_unit_ticks: u128,
    /// Ticks the site block was down (closed outages).
    downtime_ticks: Time,
    // Accounting.
    last: Time,
    outage_since: Option<Time>,
    out: Outcome,
}

impl<'s, 'd> Run<'s, 'd> {
    fn new(
        sim: &'s Simulator<'d>,
        scratch: &mut RunScratch,
        seed: u64,
        replication: u64,
        options: &RunOptions,
    ) -> Self {
        let d = sim.diagram;
        let rng = sim
            .stream_names
            .iter()
            .map(|&[failure, repair, start]| ClassRng {
                failure: stream_of_name_hash(seed, failure, replication),
                repair: stream_of_name_hash(seed, repair, replication),
                start: stream_of_name_hash(seed, start, replication),
            })
            .collect();
        let capacity_units = d.capacity.as_ref().map_or(0, |c| c.feeds.len() as u32);
        let (module_alive, module_pending) = match d.capacity.as_ref().and_then(|c| c.modules) {
            Some(m) => {
                let modules = capacity_units.div_ceil(m.size) as usize;
                let alive = (0..modules as u32).map(|i| m.size.min(capacity_units - i * m.size)).collect();
                (alive, vec![false; modules])
            }
            None => (Vec::new(), Vec::new()),
        };
        // Child and capacity counts move only at the changing blocks: buffers
        // this simulator filled need only those reset (the bulk of the blocks,
        // one leaf per server, never moves).
        // (Marked filled again only when the buffers come back, in `finish`.)
        let refilled = std::mem::take(&mut scratch.filled_by) != sim.id;
        let horizon = ticks(options.horizon_h);
        let bucket_ticks = options.capacity_bucket_h.map_or(0, ticks);
        let buckets = if bucket_ticks > 0 { horizon.div_ceil(bucket_ticks) as usize } else { 0 };
        Run {
            sim,
            options: *options,
            queue: {
                let mut queue = std::mem::take(&mut scratch.queue);
                queue.clear();
                queue
            },
            now: 0,
            horizon,
            state: refill(&mut scratch.state, &sim.initial.state),
            generation: std::mem::take(&mut scratch.generation),
            node_up: refill(&mut scratch.node_up, &sim.initial.node_up),
            up_children: if refilled {
                refill(&mut scratch.up_children, &sim.initial.up_children)
            } else {
                reset_at(&mut scratch.up_children, &sim.initial.up_children, &sim.changing_nodes)
            },
            charge: vec![1.0; sim.ride_count],
            charge_at: vec![0; sim.ride_count],
            draining: vec![false; sim.ride_count],
            node_generation: std::mem::take(&mut scratch.node_generation),
            rng,
            demand_pending: Vec::new(),
            clock: vec![NEVER; sim.clock_owner.len()],
            clock_min: (NEVER, usize::MAX),
            clock_min_stale: true,
            split_hot: sim.hot_class != usize::MAX && !options.log_events && bucket_ticks == 0,
            feed_changes: {
                let mut changes = std::mem::take(&mut scratch.feed_changes);
                changes.clear();
                changes
            },
            in_repair: d.classes.iter().map(|c| vec![Vec::new(); c.modes.len()]).collect(),
            served_up: if refilled {
                refill(&mut scratch.served_up, &sim.initial.served_up)
            } else {
                reset_at(&mut scratch.served_up, &sim.initial.served_up, &sim.changing_nodes)
            },
            serving: sim.initial.serving,
            module_alive,
            module_pending,
            bucket_ticks,
            curve_ticks: vec![0; buckets],
            bucket: 0,
            bucket_end: bucket_ticks,
            lost_unit_ticks: 0,
            downtime_ticks: 0,
            last: 0,
            outage_since: None,
            out: Outcome {
                horizon_h: options.horizon_h,
                capacity_units,
                failures: d.classes.iter().map(|c| vec![0; c.modes.len()]).collect(),
                fail_to_start: vec![0; d.classes.len()],
                maintenance_windows: vec![0; d.classes.len()],
                ride_through_exhausted: vec![0; sim.ride_count],
                capacity_curve: vec![0.0; buckets],
                ..Outcome::default()
            },
        }
    }

    fn execute(mut self, scratch: &mut RunScratch) -> Outcome {
        self.initialise();
        let hot_first_attempt = self.split_hot.then(|| self.stop_hot_class());
        loop {
            // Pooled failure attempts and repairs run on clocks kept beside the
            // queue, not in it: the commonest events then cost no heap
            // operation. Ties go to the queue (which holds the end), then to
            // the lower clock. The clocks' minimum is kept until one changes.
            if self.clock_min_stale {
                self.clock_min = (NEVER, usize::MAX);
                for (i, &t) in self.clock.iter().enumerate() {
                    if t < self.clock_min.0 {
                        self.clock_min = (t, i);
                    }
                }
                self.clock_min_stale = false;
            }
            let (at, which) = self.clock_min;
            if which != usize::MAX && self.queue.peek_time().is_none_or(|t| at < t) {
                self.out.events += 1;
                self.advance(at);
                match self.sim.clock_owner[which] {
                    Clock::Failure(class) if self.sim.classes[class].independent => {
                        self.independent_attempt(class)
                    }
                    Clock::Repair(class) if self.sim.classes[class].independent => {
                        self.independent_repair(class)
                    }
                    Clock::Failure(class) => self.pool_attempt(class),
                    Clock::Repair(class) => self.pool_repair(class),
                }
                if !self.demand_pending.is_empty() {
                    self.flush_demand();
                }
                continue;
            }
            let Some((t, ev)) = self.queue.pop() else { break };
            self.out.events += 1;
            self.advance(t);
            if let Ev::End = ev {
                break;
            }
            self.handle(ev);
            if !self.demand_pending.is_empty() {
                self.flush_demand();
            }
        }
        if let Some(first_attempt) = hot_first_attempt {
            self.run_hot_class(first_attempt, scratch);
        }
        self.finish(scratch)
    }

    /// Schedule what the starting state (copied from the simulator's
    /// template) sets in motion.
    fn initialise(&mut self) {
        let sim = self.sim;
        let d = sim.diagram;
        for &node in &sim.initial.draining {
            self.start_draining(node);
        }
        if !self.node_up[d.root as usize] {
            self.outage_since = Some(0);
            self.log(Subject::Node(d.root), EventKind::OutageStart, None);
        }
        for (ci, class) in d.classes.iter().enumerate() {
            let info = &sim.classes[ci];
            if info.pooled {
                self.schedule_pool_attempt(ci);
            } else {
                for c in info.start..info.start + info.count {
                    if self.state[c as usize] == State::Up {
                        self.schedule_failures(c);
                    }
                }
            }
            if let Some(m) = class.maintenance {
                // Units of a class are spread evenly over the interval; classes are
                // shifted from each other by the golden section of that spacing, so
                // that windows of different kinds (a UPS module on path A, the PDU of
                // path B) do not fall at the same instant just because their spacings
                // match. The first class keeps the middle of its spacing.
                let phase = (0.5 + ci as f64 * 0.381_966_011_250_105).fract();
                for i in 0..info.count {
                    let first_h = m.interval_h * (i as f64 + phase) / info.count as f64;
                    self.queue.schedule(ticks(first_h), Ev::MaintenanceStart { component: info.start + i });
                }
            }
            if let Some(s) = class.standby
                && !self.node_up[s.demand as usize]
            {
                self.demand_pending.push(s.demand);
            }
        }
        self.queue.schedule(self.horizon, Ev::End);
        self.flush_demand();
    }

    /// Close the books, and hand the buffers back to `scratch`.
    fn finish(mut self, scratch: &mut RunScratch) -> Outcome {
        self.advance(self.horizon);
        scratch.feed_changes = std::mem::take(&mut self.feed_changes);
        scratch.generation = std::mem::take(&mut self.generation);
        scratch.node_generation = std::mem::take(&mut self.node_generation);
        scratch.state = std::mem::take(&mut self.state);
        scratch.node_up = std::mem::take(&mut self.node_up);
        scratch.up_children = std::mem::take(&mut self.up_children);
        scratch.served_up = std::mem::take(&mut self.served_up);
        scratch.queue = std::mem::take(&mut self.queue);
        scratch.filled_by = self.sim.id;
        if let Some(since) = self.outage_since.take() {
            self.downtime_ticks += self.horizon - since;
            self.out.outage_durations_h.push(hours(self.horizon - since));
        }
        self.out.downtime_h = hours(self.downtime_ticks);
        self.out.lost_capacity_unit_h = self.lost_unit_ticks as f64 / TICKS_PER_HOUR;
        if self.bucket_ticks > 0 && self.out.capacity_units > 0 {
            let units = self.out.capacity_units as f64;
            let n = self.curve_ticks.len();
            for (i, &serving) in self.curve_ticks.iter().enumerate() {
                let len =
                    if i + 1 == n { self.horizon - i as Time * self.bucket_ticks } else { self.bucket_ticks };
                self.out.capacity_curve[i] = serving as f64 / (units * len as f64);
            }
        }
        self.out
    }

    /// Move the clock to `t`, integrating capacity over the elapsed time.
    fn advance(&mut self, t: Time) {
        let t = t.min(self.horizon);
        if t > self.last {
            // Integer unit-ticks: exact, and no division on the hot path.
            // Both factors in 64 bits: one widening multiply.
            let serving = u128::from(self.serving);
            let lost = u64::from(self.out.capacity_units - self.serving);
            self.lost_unit_ticks += u128::from(lost) * u128::from(t - self.last);
            if self.bucket_ticks > 0 {
                let mut from = self.last;
                while from < t && self.bucket < self.curve_ticks.len() {
                    let to = t.min(self.bucket_end);
                    self.curve_ticks[self.bucket] += serving * u128::from(to - from);
                    from = to;
                    if to == self.bucket_end {
                        self.bucket += 1;
                        self.bucket_end += self.bucket_ticks;
                    }
                }
            }
            self.last = t;
        }
        self.now = t;
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Failure { component, mode, generation } => {
                if self.generation.is_current(component as usize, generation)
                    && self.state[component as usize] == State::Up
                {
                    self.fail(component, mode);
                }
            }
            Ev::Repaired { component, generation } => {
                if self.generation.is_current(component as usize, generation) {
                    self.out.repairs += 1;
                    self.restore(component, EventKind::Repair);
                }
            }
            Ev::MaintenanceStart { component } => self.maintenance_start(component),
            Ev::MaintenanceEnd { component, generation } => {
                if self.generation.is_current(component as usize, generation) {
                    // Back in service first, then the alternate stands down: the
                    // other order would drop its load for an instant.
                    self.restore(component, EventKind::MaintenanceEnd);
                    self.set_in_maintenance(component, false);
                }
            }
            Ev::Started { component, generation } => {
                if self.generation.is_current(component as usize, generation)
                    && self.state[component as usize] == State::Starting
                {
                    self.state[component as usize] = State::Up;
                    self.set_component_up(component, true);
                    self.log(Subject::Component(component), EventKind::Start, None);
                    if !self.sim.classes[self.class_of(component)].pooled {
                        self.schedule_failures(component);
                    }
                }
            }
            Ev::Depleted { node, generation } => {
                let r = self.sim.ride_ordinal[node as usize] as usize;
                if self.node_generation.is_current(r, generation) && self.draining[r] {
                    self.draining[r] = false;
                    self.charge[r] = 0.0;
                    self.charge_at[r] = self.now;
                    self.out.ride_through_exhausted[r] += 1;
                    self.node_changed(node, false);
                    self.log(Subject::Node(node), EventKind::RideThroughExhausted, None);
                }
            }
            Ev::ModuleReplaced { module } => self.replace_module(module),
            Ev::End => {}
        }
    }

    fn class_of(&self, component: u32) -> usize {
        self.sim.class_of[component as usize] as usize
    }

    fn schedule_pool_attempt(&mut self, class: usize) {
        let info = &self.sim.classes[class];
        let slot = info.failure_clock as usize;
        if info.count == 0 || info.total_rate <= 0.0 {
            self.set_clock(slot, NEVER);
            return;
        }
        let wait = standard_exponential(&mut self.rng[class].failure) * info.mean_attempt_ticks;
        self.set_clock(slot, self.after(wait));
    }

    /// Set clock `slot` to `t`; the clocks' minimum is then looked for again.
    #[inline]
    fn set_clock(&mut self, slot: usize, t: Time) {
        self.clock[slot] = t;
        self.clock_min_stale = true;
    }

    /// The time `wait_ticks` from now, rounded to a tick (NEVER if beyond it;
    /// `now` never exceeds the horizon, far below NEVER / 2).
    #[inline]
    fn after(&self, wait_ticks: f64) -> Time {
        after(self.now, wait_ticks)
    }

    /// Redraw the repair clock of a pooled-repair class after its units in repair changed.
    #[inline]
    fn reschedule_repairs(&mut self, class: usize) {
        let info = &self.sim.classes[class];
        let slot = info.repair_clock as usize;
        if let [mean_ticks] = info.mean_repair_ticks[..] {
            // One mode: the wait is Exp(1) · mean / n, with 1/n from a table.
            let n = self.in_repair[class][0].len();
            let t = if n > 0 {
                let wait =
                    standard_exponential(&mut self.rng[class].repair) * mean_ticks * self.sim.reciprocal[n];
                self.after(wait)
            } else {
                NEVER
            };
            self.set_clock(slot, t);
            return;
        }
        self.reschedule_repairs_by_mode(class);
    }

    /// [`Run::reschedule_repairs`] for a class of several failure modes.
    #[inline(never)]
    fn reschedule_repairs_by_mode(&mut self, class: usize) {
        let info = &self.sim.classes[class];
        let slot = info.repair_clock as usize;
        let rate: f64 = self.in_repair[class]
            .iter()
            .zip(&info.repair_rates)
            .map(|(units, mu)| units.len() as f64 * mu)
            .sum();
        let t = if rate > 0.0 {
            let wait = standard_exponential(&mut self.rng[class].repair) / rate;
            self.after(wait)
        } else {
            NEVER
        };
        self.set_clock(slot, t);
    }

    /// One repair of a pooled-repair class completes: which mode in proportion
    /// to its total repair rate, then which unit uniformly within the mode.
    fn pool_repair(&mut self, class: usize) {
        let sim = self.sim;
        let info = &sim.classes[class];
        let rng = &mut self.rng[class].repair;
        let mode = if info.repair_rates.len() == 1 {
            0
        } else {
            let total: f64 =
                self.in_repair[class].iter().zip(&info.repair_rates).map(|(u, mu)| u.len() as f64 * mu).sum();
            let mut x = unit_open(rng) * total;
            let mut m = 0;
            while m + 1 < info.repair_rates.len() {
                let w = self.in_repair[class][m].len() as f64 * info.repair_rates[m];
                if x < w && w > 0.0 {
                    break;
                }
                x -= w;
                m += 1;
            }
            m
        };
        let units = &mut self.in_repair[class][mode];
        let pick = index_by_multiply(rng, units.len() as u64) as usize;
        let component = units.swap_remove(pick);
        self.reschedule_repairs(class);
        self.out.repairs += 1;
        self.restore(component, EventKind::Repair);
    }

    /// A unit has failed by `mode` and will be repaired: on the class's repair
    /// clock when repairs are pooled, else by its own event.
    fn begin_repair(&mut self, component: u32, class: usize, mode: usize, generation: u32) {
        let c = component as usize;
        self.state[c] = State::Failed;
        if self.sim.classes[class].pooled_repair {
            self.in_repair[class][mode].push(component);
            self.reschedule_repairs(class);
        } else if let Repair::Restore(d) = self.sim.diagram.classes[class].modes[mode].repair {
            let h = d.sample_h(&mut self.rng[class].repair);
            let t = self.now.saturating_add(ticks(h));
            if t < NEVER {
                self.queue.schedule(t, Ev::Repaired { component, generation });
            }
        }
    }

    /// Take the hot class out of the replication (after [`Run::initialise`]
    /// has drawn its first failure attempt from its stream): its clock is
    /// stopped, and [`Run::run_hot_class`] runs it from that attempt once
    /// the rest is done.
    fn stop_hot_class(&mut self) -> Time {
        let clock = self.sim.classes[self.sim.hot_class].failure_clock as usize;
        let first_attempt = self.clock[clock];
        self.set_clock(clock, NEVER);
        first_attempt
    }

    /// The hot class's failures and repairs, alone, once everything else has
    /// run to the horizon: the same draws from its two streams in the same
    /// order, so the same failures and repairs at the same ticks, as when
    /// its events were interleaved with the rest ([`Run::independent_attempt`],
    /// [`Run::independent_repair`]). Nothing else depends on them (the class
    /// is independent); what they change is the capacity lost, added here
    /// exactly, in integer unit-ticks. The rest ran with every unit of the
    /// class up, counting as lost the units behind a block feeding capacity
    /// while it was down; to that add each unit's own time in repair, less
    /// the part of it its feeding block was down (already counted).
    #[inline(never)]
    fn run_hot_class(&mut self, first_attempt: Time, scratch: &mut RunScratch) {
        let sim = self.sim;
        let class = sim.hot_class;
        let info = &sim.classes[class];
        let (start, count) = (info.start, info.count);
        let (mean_attempt_ticks, mean_repair_ticks) = (info.mean_attempt_ticks, info.mean_repair_ticks[0]);
        let (feeds, reciprocal) = (sim.capacity_feeds(class), &sim.reciprocal[..]);
        // The class's streams, used by nothing else once its clocks stopped.
        let mut failure_rng = self.rng[class].failure.clone();
        let mut repair_rng = self.rng[class].repair.clone();
        let horizon = self.horizon;
        let cut = if feeds.is_empty() { Vec::new() } else { self.feed_down_intervals() };
        // Where each block's intervals begin in `cut` (sorted by block), u32::MAX: none.
        let mut cut_first = std::mem::take(&mut scratch.cut_first);
        cut_first.resize(self.node_up.len(), u32::MAX);
        for (i, &(feed, ..)) in cut.iter().enumerate().rev() {
            cut_first[feed as usize] = i as u32;
        }
        let overlap = |feed: NodeId, from: Time, to: Time| -> u128 {
            cut[cut_first[feed as usize] as usize..]
                .iter()
                .take_while(|&&(f, ..)| f == feed)
                .map(|&(_, down, up)| u128::from(to.min(up).saturating_sub(from.max(down))))
                .sum()
        };
        let tables = exponential_tables();
        let mut in_repair = std::mem::take(&mut scratch.hot_in_repair);
        in_repair.clear();
        let units = &mut self.state[start as usize..(start + count) as usize];
        let (mut attempt_at, mut repair_at) = (first_attempt, NEVER);
        // (Failures: those repaired and those still in repair, counted at the end.)
        let (mut events, mut repairs) = (0u64, 0u64);
        // Unit-ticks in repair, and the part of them behind a block that was down.
        let (mut repair_ticks, mut repair_ticks_cut) = (0u128, 0u128);
        loop {
            // Ties go to the failure attempt: its clock came first among the
            // interleaved clocks.
            if attempt_at <= repair_at {
                let now = attempt_at;
                if now >= horizon {
                    break;
                }
                events += 1;
                let unit = index_by_multiply(&mut failure_rng, u64::from(count)) as usize;
                if units[unit] == State::Up {
                    units[unit] = State::Failed;
                    in_repair.push((unit as u32, now));
                    let wait = standard_exponential_with(tables, &mut repair_rng)
                        * mean_repair_ticks
                        * reciprocal[in_repair.len()];
                    repair_at = after(now, wait);
                }
                let wait = standard_exponential_with(tables, &mut failure_rng) * mean_attempt_ticks;
                attempt_at = after(now, wait);
            } else {
                let now = repair_at;
                if now >= horizon {
                    break;
                }
                events += 1;
                let pick = index_by_multiply(&mut repair_rng, in_repair.len() as u64) as usize;
                let (unit, since) = in_repair.swap_remove(pick);
                let n = in_repair.len();
                repair_at = if n > 0 {
                    let wait = standard_exponential_with(tables, &mut repair_rng)
                        * mean_repair_ticks
                        * reciprocal[n];
                    after(now, wait)
                } else {
                    NEVER
                };
                repairs += 1;
                units[unit as usize] = State::Up;
                repair_ticks += u128::from(now - since);
                if !cut.is_empty() && cut_first[feeds[unit as usize] as usize] != u32::MAX {
                    repair_ticks_cut += overlap(feeds[unit as usize], since, now);
                }
            }
        }
        for &(unit, since) in &in_repair {
            repair_ticks += u128::from(horizon - since);
            if !cut.is_empty() && cut_first[feeds[unit as usize] as usize] != u32::MAX {
                repair_ticks_cut += overlap(feeds[unit as usize], since, horizon);
            }
        }
        for &(feed, ..) in &cut {
            cut_first[feed as usize] = u32::MAX;
        }
        scratch.cut_first = cut_first;
        if !feeds.is_empty() {
            self.lost_unit_ticks += repair_ticks - repair_ticks_cut;
        }
        self.out.events += events;
        self.out.repairs += repairs;
        self.out.failures[class][0] += repairs + in_repair.len() as u64;
        scratch.hot_in_repair = in_repair;
    }

    /// When each block feeding capacity was down, as (block, from, to) in
    /// ticks, sorted, from the changes recorded while the rest of the
    /// replication ran.
    fn feed_down_intervals(&self) -> Vec<(NodeId, Time, Time)> {
        let mut open: Vec<(NodeId, Time)> = self.sim.feeds_down_at_start.iter().map(|&f| (f, 0)).collect();
        let mut cut = Vec::new();
        for &(feed, t, up) in &self.feed_changes {
            if !up {
                open.push((feed, t));
            } else if let Some(i) = open.iter().position(|&(f, _)| f == feed) {
                let (_, down) = open.swap_remove(i);
                cut.push((feed, down, t.min(self.horizon)));
            }
        }
        cut.extend(open.into_iter().map(|(feed, down)| (feed, down, self.horizon)));
        cut.sort_unstable();
        cut
    }

    /// [`Run::pool_attempt`] and [`Run::fail`] for an independent class (see
    /// [`ClassInfo::independent`]): the same draws from the same streams and
    /// the same changes of state, without what such a class cannot need
    /// (choosing a mode, generations, propagation, modules).
    fn independent_attempt(&mut self, class: usize) {
        let sim = self.sim;
        let info = &sim.classes[class];
        let unit = index_by_multiply(&mut self.rng[class].failure, u64::from(info.count)) as u32;
        let component = info.start + unit;
        if self.state[component as usize] == State::Up {
            self.state[component as usize] = State::Failed;
            self.out.failures[class][0] += 1;
            self.in_repair[class][0].push(component);
            self.reschedule_repairs(class);
            self.independent_set_up(class, unit, false);
            self.log(Subject::Component(component), EventKind::Failure, Some(0));
        }
        let wait = standard_exponential(&mut self.rng[class].failure) * info.mean_attempt_ticks;
        self.set_clock(info.failure_clock as usize, self.after(wait));
    }

    /// [`Run::pool_repair`] and [`Run::restore`] for an independent class.
    fn independent_repair(&mut self, class: usize) {
        let units = &mut self.in_repair[class][0];
        let pick = index_by_multiply(&mut self.rng[class].repair, units.len() as u64) as usize;
        let component = units.swap_remove(pick);
        self.reschedule_repairs(class);
        self.out.repairs += 1;
        self.state[component as usize] = State::Up;
        self.independent_set_up(class, component - self.sim.classes[class].start, true);
        self.log(Subject::Component(component), EventKind::Repair, None);
    }

    /// [`Run::set_component_up`] for unit `unit` of an independent class: the
    /// capacity count. (Its leaf's state is left as it was: nothing reads the
    /// state of a leaf nothing listens to.)
    #[inline]
    fn independent_set_up(&mut self, class: usize, unit: u32, up: bool) {
        if let Some(&feed) = self.sim.capacity_feeds(class).get(unit as usize) {
            let feed = feed as usize;
            let feed_up = self.node_up[feed];
            if up {
                self.served_up[feed] += 1;
                self.serving += u32::from(feed_up);
            } else {
                self.served_up[feed] -= 1;
                self.serving -= u32::from(feed_up);
            }
        }
    }

    fn pool_attempt(&mut self, class: usize) {
        let sim = self.sim;
        let info = &sim.classes[class];
        let rng = &mut self.rng[class].failure;
        // Uniform unit by multiply-high (bias below count / 2^64).
        let unit = index_by_multiply(rng, u64::from(info.count)) as u32;
        let component = info.start + unit;
        if self.state[component as usize] == State::Up {
            let mode = if info.mode_rates.len() == 1 {
                0
            } else {
                let mut x = unit_open(rng) * info.total_rate;
                let mut m = 0;
                while m + 1 < info.mode_rates.len() && x >= info.mode_rates[m] {
                    x -= info.mode_rates[m];
                    m += 1;
                }
                m
            };
            self.fail(component, mode as u32);
        }
        self.schedule_pool_attempt(class);
    }

    fn schedule_failures(&mut self, component: u32) {
        let class = self.class_of(component);
        let modes = &self.sim.diagram.classes[class].modes;
        let generation = self.generation.current(component as usize);
        for (m, mode) in modes.iter().enumerate() {
            let h = mode.time_to_failure.sample_h(&mut self.rng[class].failure);
            let t = self.now.saturating_add(ticks(h));
            if t < NEVER {
                self.queue.schedule(t, Ev::Failure { component, mode: m as u32, generation });
            }
        }
    }

    fn fail(&mut self, component: u32, mode: u32) {
        let class = self.class_of(component);
        let c = component as usize;
        let generation = self.generation.bump(c);
        self.out.failures[class][mode as usize] += 1;
        match self.sim.diagram.classes[class].modes[mode as usize].repair {
            Repair::Restore(_) => self.begin_repair(component, class, mode as usize, generation),
            Repair::FailInPlace => self.state[c] = State::Dead,
        }
        self.set_component_up(component, false);
        self.log(Subject::Component(component), EventKind::Failure, Some(mode));
        if self.state[c] == State::Dead {
            self.module_unit_lost(component);
        }
    }

    /// Back in service after a repair or a maintenance window.
    fn restore(&mut self, component: u32, kind: EventKind) {
        let class = self.class_of(component);
        let c = component as usize;
        match self.sim.diagram.classes[class].standby {
            Some(s) => {
                self.state[c] = State::Standby;
                self.log(Subject::Component(component), kind, None);
                if !self.node_up[s.demand as usize] {
                    self.attempt_start(component);
                }
            }
            None => {
                self.state[c] = State::Up;
                self.set_component_up(component, true);
                self.log(Subject::Component(component), kind, None);
                if !self.sim.classes[class].pooled {
                    self.schedule_failures(component);
                }
            }
        }
    }

    fn maintenance_start(&mut self, component: u32) {
        let class = self.class_of(component);
        let c = component as usize;
        let m =
            self.sim.diagram.classes[class].maintenance.expect("maintenance events only for such classes");
        let next = self.now.saturating_add(ticks(m.interval_h));
        if next < self.horizon {
            self.queue.schedule(next, Ev::MaintenanceStart { component });
        }
        let standby = self.sim.diagram.classes[class].standby.is_some();
        // A unit that is failed, or a standby unit that is carrying load, skips this window.
        let eligible = match self.state[c] {
            State::Up => !standby,
            State::Standby => true,
            _ => false,
        };
        if !eligible {
            return;
        }
        let was_up = self.state[c] == State::Up;
        self.state[c] = State::Maintenance;
        let generation = self.generation.bump(c);
        self.out.maintenance_windows[class] += 1;
        // The alternate takes the load before the unit goes out of service.
        self.set_in_maintenance(component, true);
        if was_up {
            self.set_component_up(component, false);
        }
        self.log(Subject::Component(component), EventKind::MaintenanceStart, None);
        self.queue.schedule(
            self.now.saturating_add(ticks(m.duration_h)),
            Ev::MaintenanceEnd { component, generation },
        );
    }

    /// Tell the maintenance blocks of `component` that its window began or ended.
    fn set_in_maintenance(&mut self, component: u32, in_window: bool) {
        let sim = self.sim;
        let c = component as usize;
        for i in sim.in_maintenance_start[c]..sim.in_maintenance_start[c + 1] {
            let node = sim.in_maintenance[i as usize];
            if self.node_up[node as usize] != in_window {
                self.node_changed(node, in_window);
            }
        }
    }

    fn attempt_start(&mut self, component: u32) {
        let class = self.class_of(component);
        let c = component as usize;
        let s = self.sim.diagram.classes[class].standby.expect("standby class");
        let generation = self.generation.bump(c);
        if unit_open(&mut self.rng[class].start) < s.fail_to_start_probability {
            self.out.fail_to_start[class] += 1;
            // A failed start is repaired like the class's first failure mode.
            match self.sim.diagram.classes[class].modes[0].repair {
                Repair::Restore(_) => self.begin_repair(component, class, 0, generation),
                Repair::FailInPlace => self.state[c] = State::Dead,
            }
            self.log(Subject::Component(component), EventKind::FailToStart, None);
        } else {
            self.state[c] = State::Starting;
            self.queue.schedule(
                self.now.saturating_add(ticks(s.start_delay_h)),
                Ev::Started { component, generation },
            );
        }
    }

    /// Standby units react to their demand blocks changing state.
    fn flush_demand(&mut self) {
        let sim = self.sim;
        while let Some(node) = self.demand_pending.pop() {
            let n = node as usize;
            let demand_up = self.node_up[n];
            for w in sim.watcher_start[n]..sim.watcher_start[n + 1] {
                let class = sim.watchers[w as usize] as usize;
                let info = &sim.classes[class];
                for component in info.start..info.start + info.count {
                    let c = component as usize;
                    match (demand_up, self.state[c]) {
                        (false, State::Standby) => self.attempt_start(component),
                        (true, State::Starting) => {
                            self.state[c] = State::Standby;
                            self.generation.bump(c);
                            self.log(Subject::Component(component), EventKind::Stop, None);
                        }
                        (true, State::Up) => {
                            self.state[c] = State::Standby;
                            self.generation.bump(c);
                            self.set_component_up(component, false);
                            self.log(Subject::Component(component), EventKind::Stop, None);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    fn set_component_up(&mut self, component: u32, up: bool) {
        let sim = self.sim;
        let class = self.class_of(component);
        if sim.classes[class].is_capacity {
            let cap = sim.diagram.capacity.as_ref().expect("capacity class");
            let feed = cap.feeds[(component - sim.classes[class].start) as usize] as usize;
            if up {
                self.served_up[feed] += 1;
            } else {
                self.served_up[feed] -= 1;
            }
            if self.node_up[feed] {
                if up {
                    self.serving += 1;
                } else {
                    self.serving -= 1;
                }
            }
        }
        let leaf = sim.diagram.leaves[component as usize];
        if sim.inert_leaf[component as usize] {
            self.node_up[leaf as usize] = up;
        } else if self.node_up[leaf as usize] != up {
            self.node_changed(leaf, up);
        }
    }

    /// Block `node` has just gone up or down: record it and tell its parents.
    fn node_changed(&mut self, node: NodeId, up: bool) {
        let sim = self.sim;
        let n = node as usize;
        self.node_up[n] = up;
        if node == sim.diagram.root {
            if up {
                if let Some(since) = self.outage_since.take() {
                    self.downtime_ticks += self.now - since;
                    self.out.outage_durations_h.push(hours(self.now - since));
                }
                self.log(Subject::Node(node), EventKind::OutageEnd, None);
            } else {
                self.outage_since = Some(self.now);
                self.log(Subject::Node(node), EventKind::OutageStart, None);
            }
        }
        if sim.served_total[n] > 0 {
            if up {
                self.serving += self.served_up[n];
            } else {
                self.serving -= self.served_up[n];
            }
            if self.split_hot {
                self.feed_changes.push((node, self.now, up));
            }
        }
        if sim.watcher_start[n] != sim.watcher_start[n + 1] {
            self.demand_pending.push(node);
        }
        for i in sim.parent_start[n]..sim.parent_start[n + 1] {
            let parent = sim.parents[i as usize];
            self.child_changed(parent, up);
        }
    }

    fn child_changed(&mut self, node: NodeId, child_up: bool) {
        let n = node as usize;
        let need = self.sim.group_need[n];
        if need != u32::MAX {
            if child_up {
                self.up_children[n] += 1;
            } else {
                self.up_children[n] -= 1;
            }
            let up = self.up_children[n] >= need;
            if up != self.node_up[n] {
                self.node_changed(node, up);
            }
            return;
        }
        match self.sim.diagram.nodes[n].kind {
            NodeKind::RideThrough { ride_through_h, .. } => {
                self.up_children[n] = child_up as u32;
                let r = self.sim.ride_ordinal[n] as usize;
                if child_up {
                    if self.draining[r] {
                        let used = hours(self.now - self.charge_at[r]) / ride_through_h;
                        self.charge[r] = (self.charge[r] - used).max(0.0);
                        self.draining[r] = false;
                        self.node_generation.bump(r);
                    }
                    // Not draining: the block ran out (or had no charge), and it
                    // did not recharge while its child was down; it refills from now.
                    self.charge_at[r] = self.now;
                    if !self.node_up[n] {
                        self.node_changed(node, true);
                    }
                } else {
                    self.start_draining(node);
                    if !self.draining[r] && self.node_up[n] {
                        self.node_changed(node, false);
                    }
                }
            }
            NodeKind::Group { .. } => unreachable!("groups have their need in `group_need`"),
            NodeKind::Leaf { .. } | NodeKind::Always | NodeKind::InMaintenance { .. } => {
                unreachable!("leaves have no children")
            }
        }
    }

    /// Charge of ride-through block `n` (ordinal `r`), not draining, at the current time.
    fn charge_now(&self, n: usize, r: usize) -> f64 {
        match self.sim.diagram.nodes[n].kind {
            NodeKind::RideThrough { recharge_h, .. } => {
                if recharge_h <= 0.0 {
                    1.0
                } else {
                    (self.charge[r] + hours(self.now - self.charge_at[r]) / recharge_h).min(1.0)
                }
            }
            _ => 1.0,
        }
    }

    /// The child of ride-through block `node` is down: drain what charge is left.
    fn start_draining(&mut self, node: NodeId) {
        let n = node as usize;
        let NodeKind::RideThrough { ride_through_h, .. } = self.sim.diagram.nodes[n].kind else {
            return;
        };
        let r = self.sim.ride_ordinal[n] as usize;
        let charge = self.charge_now(n, r);
        self.charge[r] = charge;
        self.charge_at[r] = self.now;
        let hold = ticks(charge * ride_through_h);
        if hold > 0 {
            self.draining[r] = true;
            let generation = self.node_generation.bump(r);
            self.queue.schedule(self.now.saturating_add(hold), Ev::Depleted { node, generation });
        } else {
            self.draining[r] = false;
            self.charge[r] = 0.0;
        }
    }

    fn module_unit_lost(&mut self, component: u32) {
        let sim = self.sim;
        let Some(cap) = sim.diagram.capacity.as_ref() else { return };
        let Some(m) = cap.modules else { return };
        let class = self.class_of(component);
        if Some(class) != cap.class {
            return;
        }
        let unit = component - sim.classes[class].start;
        let module = (unit / m.size) as usize;
        self.module_alive[module] -= 1;
        let size = m.size.min(cap.feeds.len() as u32 - module as u32 * m.size);
        if !self.module_pending[module]
            && (self.module_alive[module] as f64) < m.replace_below_fraction * size as f64
        {
            self.module_pending[module] = true;
            self.queue.schedule(
                self.now.saturating_add(ticks(m.lead_time_h)),
                Ev::ModuleReplaced { module: module as u32 },
            );
        }
    }

    fn replace_module(&mut self, module: u32) {
        let sim = self.sim;
        let cap = sim.diagram.capacity.as_ref().expect("modules belong to capacity");
        let m = cap.modules.expect("module events only with modules");
        let info = &sim.classes[cap.class.expect("modules need a class")];
        let first = module * m.size;
        let last = (first + m.size).min(cap.feeds.len() as u32);
        for unit in first..last {
            let component = info.start + unit;
            let c = component as usize;
            if self.state[c] == State::Dead {
                self.generation.bump(c);
                self.state[c] = State::Up;
                self.set_component_up(component, true);
                if !info.pooled {
                    self.schedule_failures(component);
                }
            }
        }
        self.module_alive[module as usize] = last - first;
        self.module_pending[module as usize] = false;
        self.out.module_replacements += 1;
        self.log(Subject::Module(module), EventKind::ModuleReplaced, None);
    }

    fn log(&mut self, subject: Subject, kind: EventKind, mode: Option<u32>) {
        if self.options.log_events {
            self.out.log.push(LogRow {
                time_h: hours(self.now),
                subject,
                kind,
                mode,
                site_up: self.node_up[self.sim.diagram.root as usize],
                serving: self.serving,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reliability::analytic;
    use crate::reliability::diagram::{
        Capacity, ComponentClass, DiagramBuilder, FailureMode, Maintenance, Modules, Standby,
    };
    use crate::reliability::distribution::Lifetime;
    use crate::reliability::stats::Accumulator;

    fn mode(ttf: Lifetime, repair: Repair) -> FailureMode {
        FailureMode { name: "failure".into(), time_to_failure: ttf, repair }
    }

    fn exp_class(name: &str, count: u32, mtbf_h: f64, mttr_h: f64) -> ComponentClass {
        ComponentClass {
            name: name.into(),
            count,
            modes: vec![mode(
                Lifetime::exponential(mtbf_h).unwrap(),
                Repair::Restore(Lifetime::exponential(mttr_h).unwrap()),
            )],
            maintenance: None,
            standby: None,
        }
    }

    /// A class that (practically) never fails: mean life 10^12 hours.
    fn solid(name: &str, count: u32) -> ComponentClass {
        exp_class(name, count, 1e12, 1.0)
    }

    fn options(horizon_h: f64) -> RunOptions {
        RunOptions { horizon_h, log_events: false, capacity_bucket_h: None }
    }

    /// Mean unavailability over `n` replications, with its 95% interval.
    fn unavailability(d: &Diagram, n: u64, horizon_h: f64) -> crate::reliability::stats::Estimate {
        let sim = Simulator::new(d);
        let mut acc = Accumulator::default();
        for r in 0..n {
            let o = sim.run(9, r, &options(horizon_h));
            acc.push(o.downtime_h / horizon_h);
        }
        acc.estimate()
    }

    #[test]
    fn one_component_matches_its_steady_state() {
        let mut b = DiagramBuilder::new();
        let leaves = b.class(exp_class("unit", 1, 90.0, 10.0));
        let d = b.build(leaves[0], None).unwrap();
        let e = unavailability(&d, 200, 20_000.0);
        assert!(e.contains(1.0 - analytic::availability(90.0, 10.0)), "{e:?}");
    }

    /// A Weibull with shape 1 is an exponential that takes the per-unit paths
    /// (own failure clocks, own repair events); the pooled paths (thinned
    /// failure attempts, one repair clock per class) must agree within noise.
    #[test]
    fn pooled_and_per_unit_paths_agree() {
        let build = |ttf: Lifetime, repair: Lifetime| {
            let mut b = DiagramBuilder::new();
            let mut class = exp_class("unit", 3, 1.0, 1.0);
            class.modes = vec![mode(ttf, Repair::Restore(repair))];
            let leaves = b.class(class);
            let g = b.group("two-of-three", 2, leaves);
            b.build(g, None).unwrap()
        };
        let exp = |m| Lifetime::exponential(m).unwrap();
        let weibull = |m| Lifetime::weibull(1.0, m).unwrap();
        let exact = 1.0 - analytic::k_of_n_identical(2, 3, analytic::availability(180.0, 20.0));
        for (name, d) in [
            ("pooled failures and repairs", build(exp(180.0), exp(20.0))),
            ("per-unit failures, pooled repairs", build(weibull(180.0), exp(20.0))),
            ("pooled failures, per-unit repairs", build(exp(180.0), weibull(20.0))),
            ("per-unit failures and repairs", build(weibull(180.0), weibull(20.0))),
        ] {
            let e = unavailability(&d, 200, 10_000.0);
            assert!(e.contains(exact), "{name}: {e:?} vs {exact}");
        }
    }

    #[test]
    fn maintenance_windows_are_planned_downtime() {
        let mut b = DiagramBuilder::new();
        let mut class = solid("breaker", 1);
        class.maintenance = Some(Maintenance { interval_h: 100.0, duration_h: 1.5 });
        let leaves = b.class(class);
        let d = b.build(leaves[0], None).unwrap();
        let o = Simulator::new(&d).run(1, 0, &options(1_000.0));
        // Windows start at 50, 150, …, 950 h: ten of them, 1.5 h each.
        assert_eq!(o.maintenance_windows, vec![10]);
        assert!((o.downtime_h - 15.0).abs() < 1e-9, "{}", o.downtime_h);
        assert_eq!(o.outage_durations_h.len(), 10);
    }

    #[test]
    fn staggered_maintenance_of_a_redundant_pair_takes_nothing_down() {
        let mut b = DiagramBuilder::new();
        let mut class = solid("chiller", 2);
        class.maintenance = Some(Maintenance { interval_h: 100.0, duration_h: 10.0 });
        let leaves = b.class(class);
        let g = b.parallel("chillers", leaves);
        let d = b.build(g, None).unwrap();
        let o = Simulator::new(&d).run(1, 0, &options(1_000.0));
        assert_eq!(o.maintenance_windows, vec![20]);
        assert_eq!(o.downtime_h, 0.0);
    }

    /// Utility outages (mean 1 h) behind a battery of 0.5 h and no generator:
    /// each outage costs E[(R − 0.5)⁺] = e^(−0.5) h, so the site's
    /// unavailability is (failures per hour) · e^(−0.5).
    #[test]
    fn a_battery_rides_through_short_outages() {
        let mut b = DiagramBuilder::new();
        let utility = b.class(exp_class("utility", 1, 99.0, 1.0));
        let battery = b.ride_through("battery", utility[0], 0.5, 0.0);
        let d = b.build(battery, None).unwrap();
        let e = unavailability(&d, 300, 5_000.0);
        let exact = (-0.5f64).exp() / 100.0;
        assert!(e.contains(exact), "{e:?} vs {exact}");
    }

    #[test]
    fn a_partly_drained_battery_recharges_linearly() {
        // Ride-through 1 h, recharge 10 h; outages every ~3 h of 0.6 h each.
        // Charge must never exceed full nor go negative: check via downtime
        // being below the no-battery case and above zero.
        let mut b = DiagramBuilder::new();
        let utility = b.class(ComponentClass {
            modes: vec![mode(
                Lifetime::weibull(4.0, 3.0).unwrap(),
                Repair::Restore(Lifetime::weibull(4.0, 0.6).unwrap()),
            )],
            ..exp_class("utility", 1, 1.0, 1.0)
        });
        let battery = b.ride_through("battery", utility[0], 1.0, 10.0);
        let d = b.build(battery, None).unwrap();
        let o = Simulator::new(&d).run(2, 0, &options(2_000.0));
        let no_battery_downtime = o.failures[0][0] as f64 * 0.6 * 0.9;
        assert!(o.downtime_h > 0.0 && o.downtime_h < no_battery_downtime, "{o:?}");
        assert!(o.ride_through_exhausted[0] > 0);
    }

    fn generator_site(fail_to_start: f64, start_delay_h: f64) -> Diagram {
        let mut b = DiagramBuilder::new();
        let utility = b.class(exp_class("utility", 1, 99.0, 1.0));
        let mut gen_class = solid("generator", 1);
        gen_class.standby =
            Some(Standby { demand: utility[0], fail_to_start_probability: fail_to_start, start_delay_h });
        let generators = b.class(gen_class);
        let source = b.parallel("source", vec![utility[0], generators[0]]);
        b.build(source, None).unwrap()
    }

    #[test]
    fn a_generator_that_starts_leaves_only_its_start_delay() {
        let d = generator_site(0.0, 0.01);
        let o = Simulator::new(&d).run(3, 0, &options(10_000.0));
        let outages = o.failures[0][0];
        assert!(outages > 50);
        // Every utility outage costs min(its length, the start delay).
        assert_eq!(o.outage_durations_h.len() as u64, outages);
        assert!(o.outage_durations_h.iter().all(|&h| h > 0.0 && h <= 0.01 + 1e-12), "{o:?}");
        let at_delay = o.outage_durations_h.iter().filter(|&&h| (h - 0.01).abs() < 1e-12).count();
        assert!(at_delay as u64 >= outages * 9 / 10, "outages of 1 h mean rarely end within 36 s");
        assert_eq!(o.fail_to_start, vec![0, 0]);
    }

    #[test]
    fn a_generator_that_never_starts_is_no_backup() {
        let d = generator_site(1.0, 0.01);
        let o = Simulator::new(&d).run(3, 0, &options(10_000.0));
        let outages = o.failures[0][0];
        // Each utility outage makes one start attempt; the repaired generator
        // tries again while the utility is still out, so attempts ≥ outages.
        assert!(o.fail_to_start[1] >= outages && outages > 50, "{o:?}");
        let d_no_gen = {
            let mut b = DiagramBuilder::new();
            let utility = b.class(exp_class("utility", 1, 99.0, 1.0));
            b.build(utility[0], None).unwrap()
        };
        let alone = Simulator::new(&d_no_gen).run(3, 0, &options(10_000.0));
        assert_eq!(o.downtime_h, alone.downtime_h, "same utility stream, no help from the generator");
    }

    /// Tier III's active + alternate path: the alternate carries the load only
    /// while the active unit is out for planned maintenance. With a solid
    /// alternate, maintenance costs nothing; with a failing one, only its
    /// failures inside the windows do.
    #[test]
    fn an_alternate_path_carries_the_load_only_during_planned_maintenance() {
        let site = |alternate: ComponentClass| {
            let mut b = DiagramBuilder::new();
            let mut active = solid("active", 1);
            active.maintenance = Some(Maintenance { interval_h: 100.0, duration_h: 10.0 });
            let active = b.class(active);
            let alternate = b.class(alternate);
            let window = b.in_maintenance("active-out", active[0]);
            let standby = b.series("alternate-in-use", vec![window, alternate[0]]);
            let rack = b.parallel("rack", vec![active[0], standby]);
            b.build(rack, None).unwrap()
        };
        let d = site(solid("alternate", 1));
        let o = Simulator::new(&d).run(1, 0, &options(1_000.0));
        assert_eq!(o.maintenance_windows[0], 10);
        assert_eq!(
            (o.downtime_h, o.outage_durations_h.len()),
            (0.0, 0),
            "no instant outage at a window's edges"
        );

        let d = site(exp_class("alternate", 1, 50.0, 50.0));
        let mut inside = 0.0;
        for r in 0..20 {
            let o = Simulator::new(&d).run(2, r, &options(1_000.0));
            // Half the alternate's time is spent failed, most of it outside the windows.
            assert!(o.failures[1][0] > 3, "{o:?}");
            assert!(o.downtime_h <= 100.0 + 1e-9, "only inside the 10 windows of 10 h: {o:?}");
            assert!(o.outage_durations_h.iter().all(|&h| h <= 10.0 + 1e-9), "{o:?}");
            inside += o.downtime_h;
        }
        // About half of each window (the alternate's unavailability is 0.5).
        let mean = inside / 20.0;
        assert!(mean > 25.0 && mean < 75.0, "{mean}");
    }

    /// A PDU takes its racks: servers behind PDU 0 stop serving when it fails,
    /// the others do not.
    #[test]
    fn a_pdu_failure_takes_its_racks() {
        let mut b = DiagramBuilder::new();
        let pdus = b.class(exp_class("pdu", 2, 500.0, 5.0));
        let racks: Vec<NodeId> = (0..4).map(|r| b.series(&format!("rack[{r}]"), vec![pdus[r / 2]])).collect();
        let root = b.series("site", racks.clone());
        let feeds = (0..40).map(|s| racks[s / 10]).collect();
        let d = b.build(root, Some(Capacity { class: None, feeds, modules: None })).unwrap();
        let o = Simulator::new(&d).run(
            4,
            0,
            &RunOptions { horizon_h: 5_000.0, log_events: true, capacity_bucket_h: None },
        );
        let mut down = [false; 2];
        for row in &o.log {
            if let Subject::Component(c) = row.subject {
                match row.kind {
                    EventKind::Failure => down[c as usize] = true,
                    EventKind::Repair => down[c as usize] = false,
                    _ => continue,
                }
                let expected = 40 - 20 * down.iter().filter(|x| **x).count() as u32;
                assert_eq!(row.serving, expected, "{row:?}");
                assert_eq!(row.site_up, !down.iter().any(|x| *x));
            }
        }
        assert!(o.failures[0][0] > 5);
        // Lost capacity = 20 servers × each PDU's downtime (an open repair counts to the horizon).
        let pdu_down_h: f64 = {
            let mut since: [Option<f64>; 2] = [None; 2];
            let mut total = 0.0;
            for row in &o.log {
                if let Subject::Component(c) = row.subject {
                    match row.kind {
                        EventKind::Failure => since[c as usize] = Some(row.time_h),
                        EventKind::Repair => total += row.time_h - since[c as usize].take().unwrap(),
                        _ => {}
                    }
                }
            }
            total + since.iter().flatten().map(|t| 5_000.0 - t).sum::<f64>()
        };
        assert!((o.lost_capacity_unit_h - 20.0 * pdu_down_h).abs() < 1e-6, "{o:?}");
    }

    #[test]
    fn fail_in_place_modules_decay_then_get_replaced() {
        let mut b = DiagramBuilder::new();
        let room = b.always("room");
        let mut servers = exp_class("server", 100, 1_000.0, 1.0);
        servers.modes[0].repair = Repair::FailInPlace;
        b.class(servers);
        let feeds = vec![room; 100];
        let modules = Modules { size: 50, replace_below_fraction: 0.8, lead_time_h: 24.0 };
        let d = b.build(room, Some(Capacity { class: Some(0), feeds, modules: Some(modules) })).unwrap();
        let o = Simulator::new(&d).run(
            5,
            0,
            &RunOptions { horizon_h: 2_000.0, log_events: false, capacity_bucket_h: Some(100.0) },
        );
        assert!(o.module_replacements >= 2, "{o:?}");
        assert_eq!(o.repairs, 0);
        let curve = &o.capacity_curve;
        assert_eq!(curve.len(), 20);
        // Capacity decays from full, and jumps back up when a module is replaced.
        assert!(curve[0] < 1.0 && curve[0] > 0.9, "{curve:?}");
        assert!(curve.windows(2).any(|w| w[1] > w[0]), "replacements restore capacity: {curve:?}");
        assert!(curve.iter().all(|&c| c > 0.7 && c <= 1.0), "{curve:?}");
        let mean = curve.iter().sum::<f64>() / curve.len() as f64;
        assert!((1.0 - mean - o.lost_capacity_unit_h / (100.0 * 2_000.0)).abs() < 1e-9);
    }

    /// The short paths (independent classes; the hot class run on its own
    /// after the rest) against the general one, on a site where the servers'
    /// racks lose power (so a server can fail or come back behind a dead
    /// rack, and its time in repair overlaps its rack's outage) and a second
    /// independent class is not the capacity: the same outcome to the bit.
    /// With an event log and a capacity curve the hot class runs interleaved
    /// on the independent path; without, it is split off. Then the same with
    /// the other class (not the capacity) the larger, so the hot one.
    #[test]
    fn short_paths_give_the_general_paths_outcome_to_the_bit() {
        for sensors in [30, 120] {
            let mut b = DiagramBuilder::new();
            let utility = b.class(exp_class("utility", 1, 300.0, 4.0));
            let mut generator = exp_class("generator", 1, 1_000.0, 24.0);
            generator.standby =
                Some(Standby { demand: utility[0], fail_to_start_probability: 0.2, start_delay_h: 0.01 });
            let generator = b.class(generator);
            let source = b.parallel("source", vec![utility[0], generator[0]]);
            let pdus = b.class(exp_class("pdu", 2, 400.0, 8.0));
            let racks: Vec<NodeId> =
                (0..4).map(|r| b.series(&format!("rack[{r}]"), vec![source, pdus[r / 2]])).collect();
            let root = b.series("site", racks.clone());
            b.class(exp_class("sensor", sensors, 200.0, 5.0));
            let server_class = b.class_count();
            b.class(exp_class("server", 80, 500.0, 20.0));
            let feeds = (0..80).map(|s| racks[s / 20]).collect();
            let d =
                b.build(root, Some(Capacity { class: Some(server_class), feeds, modules: None })).unwrap();
            let short = Simulator::new(&d);
            let sensor_class = server_class - 1;
            assert_eq!(short.hot_class, if sensors > 80 { sensor_class } else { server_class });
            assert!(short.classes[server_class].independent && short.classes[sensor_class].independent);
            assert!(!short.classes[0].independent && !short.classes[1].independent);
            let general = Simulator::new(&d).without_short_paths();
            let logged = RunOptions { horizon_h: 5_000.0, log_events: true, capacity_bucket_h: Some(730.0) };
            let totals = RunOptions { log_events: false, capacity_bucket_h: None, ..logged };
            for r in 0..4 {
                let a = short.run(11, r, &logged);
                assert!(
                    a.failures[server_class][0] > 500
                        && a.failures[sensor_class][0] > 10
                        && a.downtime_h > 0.0,
                    "{a:?}"
                );
                assert_eq!(a, general.run(11, r, &logged), "replication {r}, logged");
                let split = short.run(11, r, &totals);
                assert_eq!(split, general.run(11, r, &totals), "replication {r}, totals");
                assert_eq!(split, Outcome { log: Vec::new(), capacity_curve: Vec::new(), ..a });
            }
        }
    }

    /// Buffers reused across replications (as each worker of the engine
    /// does) start every replication afresh: the same outcomes as fresh
    /// buffers, with the standby starts and a battery bumping generation
    /// counters that are then not reset.
    #[test]
    fn reused_buffers_give_each_replication_the_fresh_outcome() {
        let mut b = DiagramBuilder::new();
        let utility = b.class(exp_class("utility", 1, 300.0, 4.0));
        let mut generator = exp_class("generator", 1, 1_000.0, 24.0);
        generator.standby =
            Some(Standby { demand: utility[0], fail_to_start_probability: 0.2, start_delay_h: 0.01 });
        let generator = b.class(generator);
        let source = b.parallel("source", vec![utility[0], generator[0]]);
        let battery = b.ride_through("battery", source, 0.05, 2.0);
        let pdus = b.class(exp_class("pdu", 2, 400.0, 8.0));
        let racks: Vec<NodeId> =
            (0..4).map(|r| b.series(&format!("rack[{r}]"), vec![battery, pdus[r / 2]])).collect();
        let root = b.series("site", racks.clone());
        let server_class = b.class_count();
        b.class(exp_class("server", 80, 500.0, 20.0));
        let feeds = (0..80).map(|s| racks[s / 20]).collect();
        let d = b.build(root, Some(Capacity { class: Some(server_class), feeds, modules: None })).unwrap();
        let sim = Simulator::new(&d);
        let logged = RunOptions { horizon_h: 5_000.0, log_events: true, capacity_bucket_h: Some(730.0) };
        let totals = RunOptions { log_events: false, capacity_bucket_h: None, ..logged };
        let mut scratch = sim.scratch();
        for r in 0..6 {
            // Alternately with the hot class interleaved and split off.
            let options = if r % 2 == 0 { logged } else { totals };
            let reused = sim.run_with(&mut scratch, 11, r, &options);
            assert!(reused.failures[server_class][0] > 500 && reused.downtime_h > 0.0, "{reused:?}");
            assert_eq!(reused, sim.run(11, r, &options), "replication {r}");
        }
        let options = logged;
        let generator_unit = d.classes.iter().take(1).map(|c| c.count as usize).sum::<usize>();
        assert!(scratch.generation.current(generator_unit) > 0 && scratch.node_generation.current(0) > 0);
        // Buffers of a simulator of another size are replaced, not misused.
        let other = generator_site(0.1, 0.01);
        let mut other_scratch = Simulator::new(&other).scratch();
        assert_eq!(sim.run_with(&mut other_scratch, 11, 0, &options), sim.run(11, 0, &options));
    }

    #[test]
    fn replications_are_reproducible_and_distinct() {
        let mut b = DiagramBuilder::new();
        let leaves = b.class(exp_class("unit", 4, 50.0, 5.0));
        let g = b.group("g", 3, leaves);
        let d = b.build(g, None).unwrap();
        let sim = Simulator::new(&d);
        let a = sim.run(1, 7, &options(1_000.0));
        assert_eq!(a, sim.run(1, 7, &options(1_000.0)));
        assert_ne!(a, sim.run(1, 8, &options(1_000.0)));
        assert_ne!(a, sim.run(2, 7, &options(1_000.0)));
    }
}
