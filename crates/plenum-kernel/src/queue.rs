//! The event queue and generation counters.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Simulated time in ticks. The engine using the kernel says what a tick is.
pub type Time = u64;

struct Entry<E> {
    time: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest entry.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of events keyed by (time, insertion sequence).
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
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
        EventQueue { heap: BinaryHeap::with_capacity(capacity), next_seq: 0, now: 0, high_water: 0 }
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
        self.heap.push(Entry { time, seq: self.next_seq, event });
        self.next_seq += 1;
        self.high_water = self.high_water.max(self.heap.len());
    }

    /// Schedule `event` `delay` ticks from now.
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now.saturating_add(delay), event);
    }

    /// Remove and return the earliest event, advancing the clock to it.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let entry = self.heap.pop()?;
        self.now = entry.time;
        Some((entry.time, entry.event))
    }

    /// The earliest pending time, if any.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|e| e.time)
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
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
