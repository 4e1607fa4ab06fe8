//! The discrete-event kernel every simulation in Plenum runs on.
//!
//! ```
//! use plenum_kernel::EventQueue;
//!
//! // Events pop in time order, and in scheduling order within a tick.
//! let mut queue = EventQueue::new();
//! queue.schedule(20, "second");
//! queue.schedule(10, "first");
//! queue.schedule(20, "third");
//! let order: Vec<&str> = std::iter::from_fn(|| queue.pop()).map(|(_, event)| event).collect();
//! assert_eq!(order, ["first", "second", "third"]);
//! ```
//!
//! - [`Time`]: simulated time as an integer count of ticks; each engine fixes
//!   what a tick is (a second, a millisecond) and converts at its edges. No
//!   floating-point clock, so event order never depends on rounding.
//! - [`EventQueue`]: events ordered by (time, insertion sequence), so events at
//!   the same tick pop in the order they were scheduled, on every run.
//! - [`PackedEventQueue`]: the same order for small `Copy` events, (time,
//!   sequence) packed into one 128-bit key and the events inline in a 4-ary
//!   heap: the hot loops (workload replay) use it.
//! - [`Generations`]: cancellation without searching the heap: an event carries
//!   the generation of its target when scheduled and is ignored if the target's
//!   generation has moved on.
//! - [`stream`]: one reproducible random stream per random process, seeded from
//!   the scenario seed and the stream's name, so adding a process never shifts
//!   the numbers another one draws; [`rng`] also holds the samplers (uniform,
//!   exponential, normal) every model draws with.

mod packed;
mod queue;
pub mod rng;

pub use packed::PackedEventQueue;
pub use queue::{EventQueue, Generations, Time};
pub use rng::{RngStream, stream, stream_seed};
