//! The optional `[reliability]` section as written: how many replications,
//! which Uptime tier the site starts from, adjustments to its topology, and
//! failure data by kind of component.
//!
//! Failure figures have no defaults unless a citable source gives one (see
//! `plenum_models::reliability::site`): the utility feed (US EIA), the
//! generator's starts and running failures (NREL REopt) and its repair (the
//! IEEE Reliability Test System), the UPS battery's ride-through (current
//! practice, J. Agee 2026), UPS modules (a manufacturer's figures), PDUs,
//! cooling units and the room's thermal ride-through (J. Dean's cluster
//! year). Routers and ToR switches have no cited default and are required.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Monte Carlo reliability study of the site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReliability {
    /// Uptime Institute tier whose topology the site starts from ("I", "II",
    /// "III" or "IV"); without it the site starts empty (racks and servers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<RawTier>,
    /// Simulated years in one replication (default 1).
    #[serde(default = "one_year")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1000.0))]
    pub years_per_replication: f64,
    /// Most replications to run (default 1,000).
    #[serde(default = "thousand")]
    #[schemars(range(min = 2))]
    pub replications: u64,
    /// Replications per batch (default 100). The stopping rule is checked only
    /// between batches, so results do not depend on the number of threads.
    #[serde(default = "hundred")]
    #[schemars(range(min = 2))]
    pub batch_replications: u64,
    /// Stop early once the 95% confidence half-width of downtime per year is at
    /// most this fraction of its mean (0.1 = ±10%); never met while no
    /// downtime has been seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub target_relative_ci95: Option<f64>,
    /// Replications whose every event goes to the `reliability_events` table (default 1).
    #[serde(default = "one")]
    pub logged_replications: u64,
    /// Counts, redundancy and backup timing, adjusting the tier preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<RawSite>,
    /// Failure and repair data by kind of component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<RawComponents>,
    /// Servers fail in place and are replaced by modules (J. Hamilton, CIDR 2007).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_in_place: Option<RawFailInPlace>,
}

fn one_year() -> f64 {
    1.0
}

fn thousand() -> u64 {
    1_000
}

fn hundred() -> u64 {
    100
}

fn one() -> u64 {
    1
}

/// An Uptime Institute tier: "I" basic (one path, N), "II" redundant
/// components (one path, N+1), "III" concurrently maintainable (normal and
/// alternate paths, N+1), "IV" fault tolerant (two active paths from two N+1
/// systems).
// Variants carry no doc comments so that the schema is a plain list of names,
// which the checker reports as "expected one of …" with a "did you mean".
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum RawTier {
    I,
    II,
    III,
    IV,
}

/// Topology and backup timing; every key overrides the tier preset.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// Utility feeds (0: not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utility_feeds: Option<u64>,
    /// Feeds that must be live to carry the site (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub utility_feeds_needed: Option<u64>,
    /// Generators needed to carry the load, N (0: no generators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generators_needed: Option<u64>,
    /// Generators beyond N.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generators_redundant: Option<u64>,
    /// Independent UPS systems (2 for system + system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 26))]
    pub ups_systems: Option<u64>,
    /// UPS modules needed per system, N (0: no UPS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ups_modules_needed: Option<u64>,
    /// UPS modules beyond N in each system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ups_modules_redundant: Option<u64>,
    /// Distribution paths (2 for A/B feeds to dual-corded racks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 26))]
    pub distribution_paths: Option<u64>,
    /// PDUs on each path, each feeding a contiguous block of racks (0: not
    /// modelled; default with a tier: racks ÷ `power_chain.racks_per_pdu`,
    /// rounded up, when the scenario has a `[power_chain]`, else 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdus_per_path: Option<u64>,
    /// Paths carrying load at once: all of them (Tier IV: 2), or 1 of 2 (Tier
    /// III: an active path and an alternate that takes the load only while the
    /// active path's PDU is out for planned maintenance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 26))]
    pub active_paths: Option<u64>,
    /// Cooling units needed, N (0: cooling not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling_units_needed: Option<u64>,
    /// Cooling units beyond N.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling_units_redundant: Option<u64>,
    /// Cooling powered from the UPS (continuous cooling) instead of the generator-backed bus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling_on_ups: Option<bool>,
    /// Core routers needed for the site to be reachable (0: not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routers_needed: Option<u64>,
    /// Core routers beyond those needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routers_redundant: Option<u64>,
    /// Servers (default: the fleet's server count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub servers: Option<u64>,
    /// Servers in one rack (default: `network.leaf_spine.servers_per_rack`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub servers_per_rack: Option<u64>,
    /// Top-of-rack switches per rack (0: not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tors_per_rack: Option<u64>,
    /// ToR switches a rack needs (default 1 when there are any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub tors_needed: Option<u64>,
    /// Probability that a generator fails to start when called (default 0.0094, NREL REopt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub generator_fail_to_start_probability: Option<f64>,
    /// Seconds from utility loss to a generator carrying load (default 10, NFPA 110 Type 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub generator_start_delay_s: Option<f64>,
    /// Seconds a full UPS battery carries the load (default 300: the 5-minute
    /// runtime of current hyperscale and colocation builds, J. Agee 2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub ups_ride_through_s: Option<f64>,
    /// Hours to recharge a UPS battery from empty (default 0: full as soon as the source returns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub ups_recharge_hours: Option<f64>,
    /// Seconds the room stays within limits after cooling is lost (default 300,
    /// J. Dean's "power down most machines in <5 mins").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub thermal_ride_through_s: Option<f64>,
}

/// Failure data by kind. A kind without a table takes its cited defaults:
/// `utility` (US EIA averages), `ups` (125,000 h, 8 h), `pdu` (Dean: 26,274 h,
/// 6 h, and a planned 6 h window every 26,280 h), `cooling` (Dean: 17,484 h,
/// 36 h), `generator` (REopt: 1,100 running hours; IEEE RTS: 50 h repair);
/// `rack` and `server` then never fail. A table given replaces the defaults
/// key by key for the time to failure and the repair; its maintenance is as
/// written (none when its keys are absent). `router` and `tor` have no
/// defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawComponents {
    /// One utility feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utility: Option<RawComponent>,
    /// One generator; time to failure counts running hours (default 1,100 h,
    /// NREL REopt; repair 50 h, IEEE Reliability Test System unit U20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<RawComponent>,
    /// One UPS module (default 125,000 h between failures, 8 h repair: manufacturers' figures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ups: Option<RawComponent>,
    /// One PDU (default 26,274 h, 6 h, a planned 6 h window every 26,280 h: J. Dean's cluster year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdu: Option<RawComponent>,
    /// One cooling unit (default 17,484 h, 36 h: J. Dean's cluster year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling: Option<RawComponent>,
    /// One core router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<RawComponent>,
    /// One rack as an enclosure (busbar, breakers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rack: Option<RawComponent>,
    /// One top-of-rack switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tor: Option<RawComponent>,
    /// One server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<RawComponent>,
}

/// Failure data of one kind: one failure mode given by the keys here, or a
/// list of `[[…modes]]`; optional planned maintenance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    /// Name of the failure mode the keys here describe (default "failure").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub mode: Option<String>,
    /// Mean up time between failures, in hours: exponential time to failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub mtbf_hours: Option<f64>,
    /// Time to failure as a distribution (instead of `mtbf_hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<RawLifetime>,
    /// Mean time to repair, in hours: exponential repair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub mttr_hours: Option<f64>,
    /// Repair time as a distribution (instead of `mttr_hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<RawLifetime>,
    /// Never repaired: failed units stay failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_in_place: Option<bool>,
    /// Several failure modes, the first to occur wins (instead of the keys above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modes: Option<Vec<RawMode>>,
    /// Hours between planned maintenance windows of one unit (units are staggered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub maintenance_interval_hours: Option<f64>,
    /// Length of one maintenance window, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub maintenance_duration_hours: Option<f64>,
}

/// One named failure mode.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMode {
    /// Name shown in the event log.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Mean up time between failures of this mode, in hours (exponential).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub mtbf_hours: Option<f64>,
    /// Time to failure as a distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<RawLifetime>,
    /// Mean time to repair, in hours (exponential).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub mttr_hours: Option<f64>,
    /// Repair time as a distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<RawLifetime>,
    /// Never repaired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_in_place: Option<bool>,
}

/// A distribution of durations: exponential (`mean_hours`), Weibull (`shape`
/// with `scale_hours` or `mean_hours`) or lognormal (`sigma` with
/// `median_hours` or `mean_hours`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLifetime {
    /// Family of the distribution.
    pub distribution: RawFamily,
    /// Mean duration, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub mean_hours: Option<f64>,
    /// Weibull shape (above 1: wear-out; below 1: infant mortality).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub shape: Option<f64>,
    /// Weibull scale, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub scale_hours: Option<f64>,
    /// Lognormal median, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub median_hours: Option<f64>,
    /// Lognormal standard deviation of ln(duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub sigma: Option<f64>,
}

/// Distribution families: "exponential" (constant hazard), "weibull", "lognormal".
#[allow(missing_docs)] // plain names in the schema, as for `RawTier`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawFamily {
    Exponential,
    Weibull,
    Lognormal,
}

/// Fail-in-place service: servers are never repaired; a module is replaced
/// when too few of its servers still work. Compared with repair-based
/// service using the server's repair data.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFailInPlace {
    /// Servers in one module (a container or a rack row).
    #[schemars(range(min = 1))]
    pub servers_per_module: u64,
    /// Replace a module when the fraction of its servers still working falls below this.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub replace_below_fraction: f64,
    /// Hours from crossing the threshold to the new module serving.
    #[schemars(range(min = 0.0))]
    pub replacement_lead_hours: f64,
    /// Cost of one server repair in the repair-based comparison (technician time and parts), in US dollars.
    #[schemars(range(min = 0.0))]
    pub repair_cost_usd: f64,
}
