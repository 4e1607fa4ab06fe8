//! An event queue for small `Copy` events: the same order as
//! [`crate::EventQueue`] (time, then insertion sequence), with the pair packed
//! into one 128-bit key (time in the high 64 bits, sequence in the low 64), so
//! that ordering two entries is one integer comparison, and the events stored
//! inline in a d-ary heap (no boxing, no indirection).
//!
//! d-ary heap after D. B. Johnson ("Priority queues with update and finding
//! minimum spanning trees", Information Processing Letters 4(3), 1975): with
//! `ARITY` children per node the heap is log_d(n) deep, and the children of a
//! node are adjacent in memory (A. LaMarca and R. Ladner, "The influence of
//! caches on the performance of heaps", ACM JEA 1, 1996, measure 4 as the
//! usual best).

use crate::queue::Time;

/// Children per node.
const ARITY: usize = 4;

#[derive(Clone, Copy)]
struct Entry<E> {
    /// `time << 64 | sequence`.
    key: u128,
    event: E,
}

/// A priority queue of `Copy` events keyed by (time, insertion sequence).
pub struct PackedEventQueue<E: Copy> {
    heap: Vec<Entry<E>>,
    next_seq: u64,
    now: Time,
    high_water: usize,
}

impl<E: Copy> Default for PackedEventQueue<E> {
    fn default() -> Self {
        PackedEventQueue::new()
    }
}

impl<E: Copy> PackedEventQueue<E> {
    /// An empty queue at time 0.
    pub fn new() -> Self {
        PackedEventQueue::with_capacity(0)
    }

    /// An empty queue with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        PackedEventQueue { heap: Vec::with_capacity(capacity), next_seq: 0, now: 0, high_water: 0 }
    }

    /// The time of the last popped event.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedule `event` at absolute time `time`.
    ///
    /// # Panics
    /// If `time` is before [`PackedEventQueue::now`].
    #[inline]
    pub fn schedule(&mut self, time: Time, event: E) {
        assert!(time >= self.now, "event scheduled at {time}, before now ({})", self.now);
        let entry = Entry { key: u128::from(time) << 64 | u128::from(self.next_seq), event };
        self.next_seq += 1;
        // Sift up: move parents down until the entry fits.
        let mut i = self.heap.len();
        self.heap.push(entry);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let p = self.heap[parent];
            if entry.key >= p.key {
                break;
            }
            self.heap[i] = p;
            i = parent;
        }
        self.heap[i] = entry;
        self.high_water = self.high_water.max(self.heap.len());
    }

    /// Schedule `event` `delay` ticks from now.
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now.saturating_add(delay), event);
    }

    /// Put `entry` in the hole at the root of the heap (the rest a valid
    /// heap). Bottom-up (R. W. Floyd's "Treesort 3" idea, analysed by
    /// I. Wegener, "Bottom-up heapsort", TCS 118, 1993): walk the hole down
    /// along the smallest children to a leaf without comparing with `entry`,
    /// then sift `entry` up from there; a re-scheduled event usually belongs
    /// near the bottom, so this saves a comparison per level.
    #[inline]
    fn sift_down_from_root(&mut self, entry: Entry<E>) {
        let n = self.heap.len();
        let mut hole = 0;
        loop {
            let first = hole * ARITY + 1;
            let best = if first + ARITY <= n {
                // A full set of children: a tournament of two pairs, on indices.
                let c: &[Entry<E>; ARITY] =
                    self.heap[first..first + ARITY].try_into().expect("ARITY children");
                let a = usize::from(c[1].key < c[0].key);
                let b = 2 + usize::from(c[3].key < c[2].key);
                first + if c[b].key < c[a].key { b } else { a }
            } else if first < n {
                let mut best = first;
                for c in first + 1..n {
                    if self.heap[c].key < self.heap[best].key {
                        best = c;
                    }
                }
                best
            } else {
                break;
            };
            self.heap[hole] = self.heap[best];
            hole = best;
        }
        while hole > 0 {
            let parent = (hole - 1) / ARITY;
            let p = self.heap[parent];
            if entry.key >= p.key {
                break;
            }
            self.heap[hole] = p;
            hole = parent;
        }
        self.heap[hole] = entry;
    }

    /// Remove and return the earliest event, advancing the clock to it.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let top = *self.heap.first()?;
        let last = self.heap.pop().expect("not empty");
        if !self.heap.is_empty() {
            self.sift_down_from_root(last);
        }
        self.now = (top.key >> 64) as Time;
        Some((self.now, top.event))
    }

    /// The earliest event and its time, left in the queue.
    #[inline]
    pub fn peek(&self) -> Option<(Time, E)> {
        self.heap.first().map(|e| ((e.key >> 64) as Time, e.event))
    }

    /// Pop the earliest event and schedule `event` at `time` in one step (one
    /// sift instead of two): the queue ends as after [`PackedEventQueue::pop`]
    /// then [`PackedEventQueue::schedule`], with the clock at the popped
    /// event's time. For the common handler that answers an event with the
    /// next one of the same entity.
    ///
    /// # Panics
    /// If the queue is empty or `time` is before the earliest event's time.
    #[inline]
    pub fn replace_top(&mut self, time: Time, event: E) {
        let (top_time, _) = self.peek().expect("replace_top on an empty queue");
        assert!(time >= top_time, "event scheduled at {time}, before now ({top_time})");
        self.now = top_time;
        let entry = Entry { key: u128::from(time) << 64 | u128::from(self.next_seq), event };
        self.next_seq += 1;
        self.sift_down_from_root(entry);
    }

    /// The earliest pending time, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.first().map(|e| (e.key >> 64) as Time)
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventQueue;
    use proptest::prelude::*;

    #[test]
    fn same_time_pops_in_insertion_order() {
        let mut q = PackedEventQueue::new();
        q.schedule(5, "b");
        q.schedule(1, "a");
        q.schedule(5, "c");
        q.schedule(5, "d");
        assert_eq!(q.peek_time(), Some(1));
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(1, "a"), (5, "b"), (5, "c"), (5, "d")]);
        assert_eq!(q.now(), 5);
        assert_eq!(q.high_water_mark(), 4);
        assert_eq!(q.scheduled(), 4);
        assert!(q.is_empty());
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn extreme_times_and_clear() {
        let mut q = PackedEventQueue::new();
        q.schedule(u64::MAX, 3);
        q.schedule(0, 1);
        q.schedule(1 << 63, 2);
        assert_eq!(q.pop(), Some((0, 1)));
        assert_eq!(q.pop(), Some((1 << 63, 2)));
        q.schedule_in(0, 4);
        assert_eq!(q.pop(), Some((1 << 63, 4)));
        assert_eq!(q.pop(), Some((u64::MAX, 3)));
        q.clear();
        assert_eq!((q.now(), q.len(), q.peek_time()), (0, 0, None));
    }

    #[test]
    fn replace_top_is_a_pop_then_a_schedule() {
        let mut q = PackedEventQueue::new();
        for (t, e) in [(4, 'a'), (2, 'b'), (9, 'c'), (2, 'd')] {
            q.schedule(t, e);
        }
        assert_eq!(q.peek(), Some((2, 'b')));
        q.replace_top(4, 'e'); // after a at 4: scheduled later
        assert_eq!(q.now(), 2);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(2, 'd'), (4, 'a'), (4, 'e'), (9, 'c')]);
        assert_eq!(q.high_water_mark(), 4);
    }

    #[test]
    fn scheduling_in_the_past_is_refused() {
        let result = std::panic::catch_unwind(|| {
            let mut q = PackedEventQueue::new();
            q.schedule(10, ());
            q.pop();
            q.schedule(3, ());
        });
        assert!(result.is_err());
    }

    proptest! {
        /// Interleaved schedules, peeks and pops give exactly the kernel
        /// EventQueue's sequence (time, then insertion order).
        #[test]
        fn interleaved_operations_match_the_event_queue(
            ops in proptest::collection::vec((0u64..5_000, 0u8..5), 0..600)
        ) {
            let mut q = PackedEventQueue::new();
            let mut reference = EventQueue::new();
            let mut id = 0u32;
            for (delay, op) in ops {
                match op {
                    0 => prop_assert_eq!(q.pop(), reference.pop()),
                    1 if delay % 2 == 0 && !q.is_empty() => {
                        // Pop and schedule at once, against the two steps.
                        let t = q.peek().unwrap().0 + delay % 7;
                        q.replace_top(t, id);
                        let popped = reference.pop().unwrap();
                        prop_assert_eq!(popped.0, q.now());
                        reference.schedule(t, id);
                        id += 1;
                    }
                    1 => prop_assert_eq!(q.peek_time(), reference.peek_time()),
                    _ => {
                        // Delays of 0 (ties) and of every magnitude.
                        let delay = if op >= 3 { delay % 3 } else { delay << (delay % 40) };
                        let t = q.now() + delay;
                        q.schedule(t, id);
                        reference.schedule(t, id);
                        id += 1;
                    }
                }
                prop_assert_eq!(q.len(), reference.len());
                prop_assert_eq!(q.now(), reference.now());
            }
            let rest: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
            let want: Vec<_> = std::iter::from_fn(|| reference.pop()).collect();
            prop_assert_eq!(rest, want);
        }
    }
}
