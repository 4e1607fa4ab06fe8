//! The event queue (a 4-ary heap keyed by (time, insertion sequence)) and
//! the generation counters that cancel events without searching the heap.

/// Simulated time in ticks. The engine using the kernel says what a tick is.
pub type Time = u64;

/// A heap node: the ordering key and the slot holding the event. Nodes are
/// small and `Copy`, so sifting moves 24 bytes whatever the event type.
#[derive(Clone, Copy)]
struct Node {
    time: Time,
    seq: u64,
    slot: u32,
}

impl Node {
    /// Whether `self` pops before `other`: earlier time, then earlier sequence.
    #[inline(always)]
    fn before(self, other: Node) -> bool {
        (self.time, self.seq) < (other.time, other.seq)
    }
}

/// Children per node of the heap. A 4-ary heap is half as deep as a binary
/// one and its four children sit next to each other in memory, so a pop
/// touches fewer cache lines (D. B. Johnson, "Priority queues with update and
/// finding minimum spanning trees", Information Processing Letters 4(3), 1975;
/// the arity trade-off measured by A. LaMarca, R. Ladner, "The influence of
/// caches on the performance of heaps", ACM JEA 1, 1996).
const ARITY: usize = 4;

/// A 4-ary min-heap of nodes ordered by (time, seq); events live in a slab
/// indexed by the node's slot, reused through a free list.
struct Heap<E> {
    nodes: Vec<Node>,
    slab: Vec<Option<E>>,
    free: Vec<u32>,
}

impl<E> Heap<E> {
    fn with_capacity(capacity: usize) -> Self {
        Heap { nodes: Vec::with_capacity(capacity), slab: Vec::with_capacity(capacity), free: Vec::new() }
    }

    fn push(&mut self, time: Time, seq: u64, event: E) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slab[slot as usize] = Some(event);
                slot
            }
            None => {
                self.slab.push(Some(event));
                u32::try_from(self.slab.len() - 1).expect("fewer than 2^32 pending events")
            }
        };
        let node = Node { time, seq, slot };
        // Sift up with a hole: move parents down until the node fits.
        let mut i = self.nodes.len();
        self.nodes.push(node);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let p = self.nodes[parent];
            if node.before(p) {
                self.nodes[i] = p;
                i = parent;
            } else {
                break;
            }
        }
        self.nodes[i] = node;
    }

    fn pop(&mut self) -> Option<(Time, E)> {
        let top = *self.nodes.first()?;
        let last = self.nodes.pop().expect("not empty");
        let n = self.nodes.len();
        if n > 0 {
            // Floyd's trick: walk the hole down to a leaf along the smallest
            // children, then sift the last node up from there; cheaper than
            // comparing it at every level, since it usually belongs near the bottom.
            let mut hole = 0;
            loop {
                let first = hole * ARITY + 1;
                if first >= n {
                    break;
                }
                let end = (first + ARITY).min(n);
                let mut best = first;
                for c in first + 1..end {
                    if self.nodes[c].before(self.nodes[best]) {
                        best = c;
                    }
                }
                self.nodes[hole] = self.nodes[best];
                hole = best;
            }
            while hole > 0 {
                let parent = (hole - 1) / ARITY;
                let p = self.nodes[parent];
                if last.before(p) {
                    self.nodes[hole] = p;
                    hole = parent;
                } else {
                    break;
                }
            }
            self.nodes[hole] = last;
        }
        let event = self.slab[top.slot as usize].take().expect("a pending slot holds its event");
        self.free.push(top.slot);
        Some((top.time, event))
    }

    fn peek_time(&self) -> Option<Time> {
        self.nodes.first().map(|n| n.time)
    }

    fn len(&self) -> usize {
        self.nodes.len()
    }

    fn clear(&mut self) {
        self.nodes.clear();
        self.slab.clear();
        self.free.clear();
    }
}

/// A priority queue of events keyed by (time, insertion sequence).
pub struct EventQueue<E> {
    heap: Heap<E>,
    next_seq: u64,
    now: Time,
    high_water: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue at time 0.
    pub fn new() -> Self {
        EventQueue::with_capacity(0)
    }

    /// An empty queue with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue { heap: Heap::with_capacity(capacity), next_seq: 0, now: 0, high_water: 0 }
    }

    /// The time of the last popped event.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedule `event` at absolute time `time`.
    ///
    /// # Panics
    /// If `time` is before [`EventQueue::now`]: an event in the past is a bug in
    /// the caller, not a condition to recover from.
    pub fn schedule(&mut self, time: Time, event: E) {
        assert!(time >= self.now, "event scheduled at {time}, before now ({})", self.now);
        self.heap.push(time, self.next_seq, event);
        self.next_seq += 1;
        self.high_water = self.high_water.max(self.heap.len());
    }

    /// Schedule `event` `delay` ticks from now.
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now.saturating_add(delay), event);
    }

    /// Remove and return the earliest event, advancing the clock to it.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let (time, event) = self.heap.pop()?;
        self.now = time;
        Some((time, event))
    }

    /// The earliest pending time, if any.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek_time()
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.len() == 0
    }

    /// The most events ever pending at once.
    pub fn high_water_mark(&self) -> usize {
        self.high_water
    }

    /// Events scheduled so far.
    pub fn scheduled(&self) -> u64 {
        self.next_seq
    }

    /// Drop every pending event and return to time 0, keeping the allocation.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.now = 0;
        self.next_seq = 0;
        self.high_water = 0;
    }
}

/// One generation counter per entity (a component, a host, a task).
///
/// Scheduling an event for entity `i` records `current(i)`; cancelling
/// everything pending for `i` is `bump(i)`; at pop time `is_current(i, g)`
/// says whether the event still stands.
#[derive(Debug, Clone, Default)]
pub struct Generations {
    counters: Vec<u32>,
}

impl Generations {
    /// Counters for `entities` entities, all at generation 0.
    pub fn new(entities: usize) -> Self {
        Generations { counters: vec![0; entities] }
    }

    /// The generation of `entity` now.
    pub fn current(&self, entity: usize) -> u32 {
        self.counters[entity]
    }

    /// Invalidate every event pending for `entity`; returns the new generation.
    pub fn bump(&mut self, entity: usize) -> u32 {
        let g = &mut self.counters[entity];
        *g = g.wrapping_add(1);
        *g
    }

    /// Whether an event stamped with `generation` still stands.
    pub fn is_current(&self, entity: usize, generation: u32) -> bool {
        self.counters[entity] == generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn same_time_pops_in_insertion_order() {
        let mut q = EventQueue::new();
        q.schedule(5, "b");
        q.schedule(1, "a");
        q.schedule(5, "c");
        q.schedule(5, "d");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(1, "a"), (5, "b"), (5, "c"), (5, "d")]);
        assert_eq!(q.now(), 5);
        assert_eq!(q.high_water_mark(), 4);
    }

    #[test]
    fn cancelled_events_are_recognised() {
        let mut g = Generations::new(2);
        let stamp = g.current(1);
        g.bump(1);
        assert!(!g.is_current(1, stamp));
        assert!(g.is_current(0, g.current(0)));
    }

    #[test]
    fn scheduling_in_the_past_is_refused() {
        let result = std::panic::catch_unwind(|| {
            let mut q = EventQueue::new();
            q.schedule(10, ());
            q.pop();
            q.schedule(3, ());
        });
        assert!(result.is_err());
    }

    proptest! {
        /// Interleaved schedules and pops agree with a sorted reference.
        #[test]
        fn interleaved_operations_match_a_sorted_reference(
            ops in proptest::collection::vec((0u64..20, proptest::bool::ANY), 0..400)
        ) {
            let mut q = EventQueue::new();
            let mut reference = std::collections::BTreeSet::new();
            let mut seq = 0u64;
            for (delay, pop) in ops {
                if pop {
                    let got = q.pop();
                    let want = reference.pop_first();
                    prop_assert_eq!(got, want);
                } else {
                    let t = q.now() + delay;
                    q.schedule(t, seq);
                    reference.insert((t, seq));
                    seq += 1;
                }
            }
            prop_assert_eq!(q.len(), reference.len());
        }

        #[test]
        fn pops_are_sorted_by_time_then_sequence(times in proptest::collection::vec(0u64..50, 0..300)) {
            let mut q = EventQueue::new();
            for (i, t) in times.iter().enumerate() {
                q.schedule(*t, i);
            }
            let popped: Vec<(u64, usize)> = std::iter::from_fn(|| q.pop()).collect();
            let mut expected: Vec<(u64, usize)> = times.iter().copied().zip(0..).collect();
            expected.sort();
            prop_assert_eq!(popped, expected);
        }
    }
}
