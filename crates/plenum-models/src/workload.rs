//! Workload traces and host fleets as plain data.
//!
//! A [`Trace`] is what every reader (`plenum-io`) and generator
//! ([`crate::generators`]) produces: tasks (VMs or jobs) in structure-of-arrays
//! form, each with a submission time, a duration, a CPU count, a CPU capacity,
//! a memory size, and optionally a run of utilization *fragments* laid end to
//! end from the moment the task starts (the OpenDC workload model: a fragment
//! is a duration and a CPU demand). A task without fragments demands its full
//! CPU capacity for its whole duration (a batch job).
//!
//! Units are fixed here and in every field name: times and durations in
//! milliseconds since the trace's first submission, CPU in MHz (a task's
//! `cpu_capacity_mhz` is all its cores together), memory in MiB. Readers
//! convert into these units and record what they assumed in [`Trace::notes`].
//!
//! A host group's power against utilization is a [`PowerCurve`] (`it_power`),
//! the family the facility year uses too.

use crate::it_power::PowerCurve;

/// Tasks in structure-of-arrays form, sorted by submission time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tasks {
    /// Identifier from the source (integer ids as given; string ids numbered
    /// in order of appearance, with the strings in [`Trace::labels`]).
    pub id: Vec<u64>,
    /// Submission time, ms after the trace's first submission.
    pub submit_ms: Vec<u64>,
    /// Run time once started, ms (the sum of the fragments' durations when the
    /// task has fragments).
    pub duration_ms: Vec<u64>,
    /// vCPUs requested (at least 1).
    pub cpu_count: Vec<u32>,
    /// CPU capacity of all the task's vCPUs together, MHz.
    pub cpu_capacity_mhz: Vec<f64>,
    /// Memory requested, MiB.
    pub memory_mib: Vec<u64>,
    /// Index of the task's first fragment; task `i` owns fragments
    /// `fragment_start[i]..fragment_start[i + 1]` (length tasks + 1).
    pub fragment_start: Vec<u64>,
}

impl Tasks {
    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when there are no tasks.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

/// Utilization fragments in structure-of-arrays form, grouped by task in
/// time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fragments {
    /// How long the fragment lasts, ms.
    pub duration_ms: Vec<u64>,
    /// CPU demanded during the fragment, MHz (all the task's vCPUs together).
    pub cpu_usage_mhz: Vec<f64>,
}

impl Fragments {
    /// Number of fragments.
    pub fn len(&self) -> usize {
        self.duration_ms.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.duration_ms.is_empty()
    }
}

/// A fleet-wide multiplier on every task's CPU demand, stepping at a fixed
/// interval (used by the diurnal generator). Integer per-mille so that demand
/// stays an integer and work is conserved exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandScale {
    /// Length of one step, ms.
    pub step_ms: u64,
    /// Multiplier in each step, per mille (1000 = as given); the last value
    /// holds after the end.
    pub permille: Vec<u32>,
}

/// A workload: tasks, their fragments, and where they came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Where the trace came from (a path or a generator).
    pub source: String,
    /// Absolute time of `submit_ms = 0`, ms since the Unix epoch, when known.
    pub start_epoch_ms: Option<i64>,
    /// The tasks, sorted by submission time (stable: ties keep source order).
    pub tasks: Tasks,
    /// Their fragments.
    pub fragments: Fragments,
    /// String ids of the tasks, when the source used strings.
    pub labels: Option<Vec<String>>,
    /// A fleet-wide demand multiplier over time, if any.
    pub demand_scale: Option<DemandScale>,
    /// What the reader assumed (units, magnitudes, skipped rows), in words.
    pub notes: Vec<String>,
}

/// One task being built (see [`TraceBuilder`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskSpec {
    /// Identifier.
    pub id: u64,
    /// Submission time, ms after the trace start.
    pub submit_ms: u64,
    /// Run time, ms (replaced by the fragments' sum when fragments are added).
    pub duration_ms: u64,
    /// vCPUs.
    pub cpu_count: u32,
    /// Capacity of all vCPUs together, MHz.
    pub cpu_capacity_mhz: f64,
    /// Memory, MiB.
    pub memory_mib: u64,
}

/// Builds a [`Trace`] task by task, then sorts it by submission time.
#[derive(Debug, Default)]
pub struct TraceBuilder {
    trace: Trace,
}

impl TraceBuilder {
    /// An empty builder for a trace from `source`.
    pub fn new(source: &str) -> Self {
        let mut trace = Trace { source: source.to_string(), ..Trace::default() };
        trace.tasks.fragment_start.push(0);
        TraceBuilder { trace }
    }

    /// Room for `tasks` tasks and `fragments` fragments.
    pub fn reserve(&mut self, tasks: usize, fragments: usize) {
        let t = &mut self.trace.tasks;
        t.id.reserve(tasks);
        t.submit_ms.reserve(tasks);
        t.duration_ms.reserve(tasks);
        t.cpu_count.reserve(tasks);
        t.cpu_capacity_mhz.reserve(tasks);
        t.memory_mib.reserve(tasks);
        t.fragment_start.reserve(tasks);
        self.trace.fragments.duration_ms.reserve(fragments);
        self.trace.fragments.cpu_usage_mhz.reserve(fragments);
    }

    /// Add a task whose fragments are added next with [`TraceBuilder::fragment`].
    pub fn task(&mut self, spec: TaskSpec) {
        let t = &mut self.trace.tasks;
        t.id.push(spec.id);
        t.submit_ms.push(spec.submit_ms);
        t.duration_ms.push(spec.duration_ms);
        t.cpu_count.push(spec.cpu_count);
        t.cpu_capacity_mhz.push(spec.cpu_capacity_mhz);
        t.memory_mib.push(spec.memory_mib);
        t.fragment_start.push(self.trace.fragments.len() as u64);
    }

    /// Add a fragment to the last task added.
    ///
    /// # Panics
    /// If no task was added yet.
    pub fn fragment(&mut self, duration_ms: u64, cpu_usage_mhz: f64) {
        assert!(!self.trace.tasks.is_empty(), "a fragment needs a task");
        self.trace.fragments.duration_ms.push(duration_ms);
        self.trace.fragments.cpu_usage_mhz.push(cpu_usage_mhz);
        *self.trace.tasks.fragment_start.last_mut().expect("offsets") += 1;
    }

    /// Record an assumption.
    pub fn note(&mut self, note: impl Into<String>) {
        self.trace.notes.push(note.into());
    }

    /// Set the absolute time of submit 0.
    pub fn start_epoch_ms(&mut self, epoch_ms: Option<i64>) {
        self.trace.start_epoch_ms = epoch_ms;
    }

    /// Set string labels (one per task, in insertion order).
    pub fn labels(&mut self, labels: Vec<String>) {
        self.trace.labels = Some(labels);
    }

    /// Set a fleet-wide demand scale.
    pub fn demand_scale(&mut self, scale: DemandScale) {
        self.trace.demand_scale = Some(scale);
    }

    /// Tasks added so far.
    pub fn len(&self) -> usize {
        self.trace.tasks.len()
    }

    /// True when no task was added.
    pub fn is_empty(&self) -> bool {
        self.trace.tasks.is_empty()
    }

    /// The trace: durations of tasks with fragments set to their sum, tasks
    /// sorted by submission time (stable).
    pub fn finish(mut self) -> Trace {
        let t = &mut self.trace.tasks;
        for i in 0..t.len() {
            let (a, b) = (t.fragment_start[i] as usize, t.fragment_start[i + 1] as usize);
            if b > a {
                t.duration_ms[i] = self.trace.fragments.duration_ms[a..b].iter().sum();
            }
        }
        if t.submit_ms.windows(2).all(|w| w[0] <= w[1]) {
            return self.trace;
        }
        let mut order: Vec<usize> = (0..t.len()).collect();
        order.sort_by_key(|&i| t.submit_ms[i]);
        let old_tasks = std::mem::take(&mut self.trace.tasks);
        let old_fragments = std::mem::take(&mut self.trace.fragments);
        let mut b = TraceBuilder::new(&self.trace.source);
        b.reserve(old_tasks.len(), old_fragments.len());
        for &i in &order {
            b.task(TaskSpec {
                id: old_tasks.id[i],
                submit_ms: old_tasks.submit_ms[i],
                duration_ms: old_tasks.duration_ms[i],
                cpu_count: old_tasks.cpu_count[i],
                cpu_capacity_mhz: old_tasks.cpu_capacity_mhz[i],
                memory_mib: old_tasks.memory_mib[i],
            });
            let (a, e) = (old_tasks.fragment_start[i] as usize, old_tasks.fragment_start[i + 1] as usize);
            for f in a..e {
                b.fragment(old_fragments.duration_ms[f], old_fragments.cpu_usage_mhz[f]);
            }
        }
        self.trace.tasks = b.trace.tasks;
        self.trace.fragments = b.trace.fragments;
        if let Some(labels) = self.trace.labels.take() {
            self.trace.labels = Some(order.iter().map(|&i| labels[i].clone()).collect());
        }
        self.trace
    }
}

/// A group of identical hosts.
#[derive(Debug, Clone, PartialEq)]
pub struct HostGroup {
    /// Name of the group (a SKU, an OpenDC host entry).
    pub name: String,
    /// Hosts in the group.
    pub count: u64,
    /// Cores (vCPU slots before overcommit) of one host.
    pub cores: u32,
    /// Clock of one core, MHz.
    pub core_mhz: f64,
    /// Memory of one host, MiB.
    pub memory_mib: u64,
    /// Power against utilization.
    pub power: PowerCurve,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_sums_fragments_and_sorts_stably() {
        let mut b = TraceBuilder::new("test");
        let spec = |id, submit_ms| TaskSpec {
            id,
            submit_ms,
            duration_ms: 99,
            cpu_count: 1,
            cpu_capacity_mhz: 1000.0,
            memory_mib: 1,
        };
        b.task(spec(7, 50));
        b.fragment(10, 1.0);
        b.fragment(20, 2.0);
        b.task(spec(8, 10));
        b.task(spec(9, 10));
        b.fragment(5, 3.0);
        b.labels(vec!["a".into(), "b".into(), "c".into()]);
        let t = b.finish();
        assert_eq!(t.tasks.id, vec![8, 9, 7]);
        assert_eq!(t.tasks.duration_ms, vec![99, 5, 30]);
        assert_eq!(t.tasks.fragment_start, vec![0, 0, 1, 3]);
        assert_eq!(t.fragments.cpu_usage_mhz, vec![3.0, 1.0, 2.0]);
        assert_eq!(t.labels.unwrap(), vec!["b", "c", "a"]);
    }
}
