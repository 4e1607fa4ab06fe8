//! Reliability of a data-center site: failure and repair distributions, the
//! reliability block diagram of a site, the discrete-event simulation of one
//! replication, closed-form availability for checking it, and the statistics
//! that summarise many replications.
//!
//! - [`distribution`]: exponential, Weibull and lognormal lifetimes.
//! - [`diagram`]: component classes (failure modes, repair or fail-in-place,
//!   maintenance windows, standby generators) and blocks (series, parallel,
//!   k-of-n, ride-through, "unit in maintenance" for alternate paths).
//! - [`site`]: a site (utility, generators, UPS, A/B paths, PDUs, cooling,
//!   routers, racks, ToR switches, servers) built as a diagram; Uptime tier
//!   presets (Tier III's active + alternate path, Tier IV's two active ones) and
//!   the cited default failure data.
//! - [`sim`]: one replication over a horizon, on the kernel's event queue.
//! - [`analytic`]: steady-state `MTBF/(MTBF+MTTR)` and its compositions, the test oracles.
//! - [`stats`]: means with 95% confidence intervals, exact intervals for rare
//!   events (Garwood, Clopper-Pearson), percentiles.
//!
//! Running many replications in parallel is the engine's job.

pub mod analytic;
pub mod diagram;
pub mod distribution;
pub mod sim;
pub mod site;
pub mod stats;

pub use diagram::{
    Capacity, ComponentClass, Diagram, DiagramBuilder, DiagramError, FailureMode, Maintenance, Modules, Node,
    NodeId, NodeKind, Repair, Standby,
};
pub use distribution::Lifetime;
pub use sim::{EventKind, LogRow, Outcome, RunOptions, Simulator, Subject};
pub use site::{ComponentData, SiteComponents, SiteDynamics, SiteSpec, SiteTopology, Tier, build_site};
pub use stats::MonteCarloSettings;
