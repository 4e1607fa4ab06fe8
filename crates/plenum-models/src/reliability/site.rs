//! A data-center site as a reliability diagram: utility feeds backed by
//! standby generators, UPS systems of k-of-n modules with battery
//! ride-through, A/B distribution paths through PDUs to dual-corded racks,
//! k-of-n cooling units with the room's thermal ride-through, core routers,
//! top-of-rack switches and servers; and the Uptime Institute tier presets.
//!
//! ```text
//! utility feeds (k-of-n) ─┐
//!                         ├─ source ─┬─ battery A (ride-through) ─┐
//! generators (k-of-n, ────┘          │   UPS A modules (k-of-n) ──┴─ path A ─ PDU A[j] ─┐
//!  standby on utility loss)          └─ … path B (its own UPS system in 2N) ─ PDU B[j] ─┴─ rack power[r]
//! cooling units (k-of-n) + power ─ room (thermal ride-through)
//! rack[r] = rack power[r] + room + rack enclosure + ToR switches (k-of-n) + core routers (k-of-n)
//! site    = room + every rack's power          servers serve while up and their rack is up
//! ```
//!
//! The site block (whose downtime is the IT power downtime) is the room plus
//! the power to every rack: any rack losing power or cooling is an outage.
//! Capacity counts servers that are up behind a working rack.
//!
//! Tier presets follow Table 1 of W. P. Turner IV, J. H. Seader, V. Renaud,
//! K. G. Brill, "Tier Classifications Define Site Infrastructure Performance",
//! Uptime Institute white paper, 2008: Tier I one path, N components; Tier II
//! one path, N+1; Tier III one normal and one alternate path, N+1, concurrently
//! maintainable; Tier IV two simultaneously active paths from two systems
//! (system + system), each N+1, with continuous cooling. They fix the topology
//! only; failure data comes from the scenario or the cited defaults below.
//!
//! Why Tier III and Tier IV differ, in this model: Tier III is concurrently
//! maintainable but not fault tolerant. Its racks run on the active path; the
//! alternate path takes the load only while the active path's PDU is out for
//! planned maintenance (a planned transfer), so an unplanned failure on the
//! active path drops its racks until repaired (a manual transfer to the
//! alternate before the repair is not modelled: conservative), and both paths
//! hang on one N+1 UPS system, so a UPS module failing while another is out for
//! maintenance drops the site. Tier IV runs both paths at once from two N+1 UPS
//! systems: a failure on one path, or a module failure during maintenance of
//! another, leaves the other path carrying the load. What neither survives is
//! the loss of both cords of a rack (a PDU failing while its twin is out for
//! maintenance): a rack has one PDU on each path.
//!
//! ```text
//! Tier III rack power = cord A  OR  (PDU A in maintenance AND cord B)
//! Tier IV  rack power = cord A  OR  cord B
//! ```

use super::diagram::{
    Capacity, ComponentClass, Diagram, DiagramBuilder, DiagramError, FailureMode, Maintenance, Modules,
    NodeId, Repair, Standby,
};
use std::fmt;

/// Probability that a standby diesel generator fails to start on demand:
/// 0.0094, the default of NREL's REopt (`backup_reliability`,
/// `generator_failure_to_start`; REopt.jl documentation and source).
pub const GENERATOR_FAIL_TO_START_PROBABILITY: f64 = 0.0094;

/// Mean running time between failures of a standby diesel generator: 1,100 h,
/// REopt's `generator_mean_time_to_failure` ("1/(failure to run probability)").
pub const GENERATOR_MEAN_HOURS_TO_FAIL_RUNNING: f64 = 1_100.0;

/// Mean repair of a generator: 50 h, the mean time to repair of unit type
/// U20 of the IEEE Reliability Test System, a 20 MW oil-fired combustion
/// turbine (MTTF 450 h, MTTR 50 h, 2 weeks of scheduled maintenance a year),
/// in its table of generating unit reliability data (IEEE RTS Task Force of
/// the APM Subcommittee, "IEEE Reliability Test System", IEEE Trans. Power
/// Apparatus and Systems PAS-98(6), 1979, pp. 2047-2054; unchanged in C.
/// Grigg et al., "The IEEE Reliability Test System-1996", IEEE Trans. Power
/// Systems 14(3), 1999). U20 is the RTS's fast-start peaking unit, the one
/// that, like a standby set, runs on demand; it is a larger machine than a
/// data center's 2-3 MW diesel sets. No repair time measured on standby
/// diesel sets was found in the sources at hand (IEEE Std 493-2007 Table 10-4
/// and US Army TM 5-698-5 App. B were not available to read). The figure
/// matters little here: a set that fails to start or fails while running is
/// out for the rest of a utility interruption (mean 2 h) under any repair of a
/// day or more, and a site simulated with 24 h and with 50 h differs by less
/// than its sampling interval (bench/RESULTS.md, issue 13).
pub const GENERATOR_MEAN_REPAIR_H: f64 = 50.0;

/// Time from utility loss to a generator carrying load: 10 s, the limit of a
/// Type 10 emergency power supply system (NFPA 110, Standard for Emergency
/// and Standby Power Systems, §4.3, Table 4.1(b)).
pub const GENERATOR_START_DELAY_S: f64 = 10.0;

/// Time a full UPS battery carries the load: 300 s (5 minutes), the runtime
/// J. Agee finds to be the baseline of current hyperscale and wholesale
/// colocation builds ("Right-Sizing UPS Runtime for the Modern Data Center",
/// jasonagee.substack.com, 2026: the industry went "from a 30-minute norm in
/// 2010 to a 5-minute baseline"; published norms span about 1 to 30
/// minutes). The standards
/// (TIA-942-C, ANSI/BICSI 002, the Uptime Institute Tier Standard, NFPA 110,
/// per the same paper) require the function, carrying the load until the
/// generator takes it, and leave the duration to the designer. With the 10 s
/// start above, 5 minutes covers a start 30 times over; what it does not
/// cover is a generator failing to start.
pub const UPS_RIDE_THROUGH_S: f64 = 300.0;

/// Sustained interruptions per year of one utility feed: 1.0, the 2017 US
/// average per customer excluding major events (US EIA, "Average U.S.
/// electricity customer interruptions totaled nearly 8 hours in 2017", Today
/// in Energy, 30 Nov 2018; SAIFI).
pub const UTILITY_INTERRUPTIONS_PER_YEAR: f64 = 1.0;

/// Mean length of a utility interruption: about 2 h, the same source's
/// SAIDI excluding major events ("consistently around two hours") over its
/// SAIFI of 1.0 (the CAIDI).
pub const UTILITY_MEAN_INTERRUPTION_H: f64 = 2.0;

/// Mean up time of a PDU between failures: 26,274 h. J. Dean, "Designs,
/// Lessons and Advice from Building Large Distributed Systems" (LADIS 2009
/// keynote, "the joys of real hardware": a new cluster's first year), counts
/// "~1 PDU failure (~500-1000 machines suddenly disappear, ~6 hours to come
/// back)" a year in a cluster of about 1,800 machines. With 600 machines on a
/// PDU (three PDUs, within Dean's 500-1,000; the reading of
/// `scenarios/dean-cluster-year.toml`) one PDU fails every 3 years:
/// 26,280 h a cycle, less the 6 h repair.
pub const PDU_MEAN_HOURS_TO_FAIL: f64 = 26_274.0;

/// Mean repair of a PDU: 6 h, Dean's "~6 hours to come back" (as above).
pub const PDU_MEAN_REPAIR_H: f64 = 6.0;

/// Planned work on a PDU: one window of 6 h every 26,280 h (3 years), Dean's
/// "~1 rack-move (plenty of warning: ~500-1000 machines powered down, ~6
/// hours)" a year in the same cluster, spread over its three PDUs.
pub const PDU_MAINTENANCE_INTERVAL_H: f64 = 26_280.0;

/// Length of the planned PDU window, in hours (as above).
pub const PDU_MAINTENANCE_DURATION_H: f64 = 6.0;

/// Mean up time of a cooling unit: 17,484 h. Dean (as above) counts "~0.5
/// overheating (power down most machines in <5 mins, ~1-2 days to recover)" a
/// cluster-year: one failure of the cluster's cooling every 2 years (17,520 h
/// a cycle, less the 36 h recovery). A unit here is taken to fail as often as
/// Dean's whole cooling system did, which is conservative for an N+1 plant.
pub const COOLING_MEAN_HOURS_TO_FAIL: f64 = 17_484.0;

/// Mean recovery of a cooling unit: 36 h, the middle of Dean's "~1-2 days".
pub const COOLING_MEAN_REPAIR_H: f64 = 36.0;

/// Time the room stays within limits without cooling: 300 s, Dean's "power
/// down most machines in <5 mins".
pub const THERMAL_RIDE_THROUGH_S: f64 = 300.0;

/// Mean up time of a UPS module: 125,000 h, "a single high quality UPS
/// assembly will have MTBF figures of around 125,000 hours" (Kohler
/// Uninterruptible Power, "Reliability is great, but availability is better",
/// kohler-ups.co.uk). A manufacturer's prediction by MIL-HDBK-217F, not field
/// data; no field figure was found in the sources at hand (IEEE Std 493 and
/// TM 5-698-5 tables were not available to check).
pub const UPS_MEAN_HOURS_TO_FAIL: f64 = 125_000.0;

/// Mean repair of a UPS module: 8 h, the MTTR a UPS maker used for a
/// redundant modular UPS ("Eight hours was used as the MTTR input to the
/// calculation for the redundant UPS", Power Kinetics, Bulletin 01, "The
/// importance of the mathematical (MTBF) model used", powerkinetics.com.my).
pub const UPS_MEAN_REPAIR_H: f64 = 8.0;

/// The Uptime Institute tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Basic: one path, N components.
    I,
    /// Redundant capacity components: one path, N+1.
    II,
    /// Concurrently maintainable: an active and an alternate path, N+1.
    III,
    /// Fault tolerant: two active paths from two N+1 systems.
    IV,
}

impl Tier {
    /// All tiers, lowest first.
    pub const ALL: [Tier; 4] = [Tier::I, Tier::II, Tier::III, Tier::IV];

    /// Roman numeral.
    pub fn name(self) -> &'static str {
        match self {
            Tier::I => "I",
            Tier::II => "II",
            Tier::III => "III",
            Tier::IV => "IV",
        }
    }

    /// The tier's topology for a site of `servers` servers in racks of
    /// `servers_per_rack`, with one unit of capacity (N = 1) for generators,
    /// UPS modules and cooling units; a scenario scales N and adjusts the rest.
    pub fn topology(self, servers: u32, servers_per_rack: u32) -> SiteTopology {
        let redundant = if self >= Tier::II { 1 } else { 0 };
        SiteTopology {
            utility_feeds: 1,
            utility_feeds_needed: 1,
            generators_needed: 1,
            generators_redundant: redundant,
            ups_systems: if self == Tier::IV { 2 } else { 1 },
            ups_modules_needed: 1,
            ups_modules_redundant: redundant,
            distribution_paths: if self >= Tier::III { 2 } else { 1 },
            active_paths: if self == Tier::IV { 2 } else { 1 },
            pdus_per_path: 1,
            cooling_units_needed: 1,
            cooling_units_redundant: redundant,
            cooling_on_ups: self == Tier::IV,
            routers_needed: 0,
            routers_redundant: 0,
            servers,
            servers_per_rack,
            tors_per_rack: 0,
            tors_needed: 0,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tier {}", self.name())
    }
}

/// How many of each thing, and how they are connected. A count of zero leaves
/// that part out (always up): a cluster study may model no utility at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteTopology {
    /// Utility feeds.
    pub utility_feeds: u32,
    /// Feeds that must be live for the utility to carry the site.
    pub utility_feeds_needed: u32,
    /// Generators needed to carry the load (N; 0: no generators).
    pub generators_needed: u32,
    /// Generators beyond N.
    pub generators_redundant: u32,
    /// Independent UPS systems (1, or 2 for system + system).
    pub ups_systems: u32,
    /// UPS modules needed per system (N; 0: no UPS).
    pub ups_modules_needed: u32,
    /// UPS modules beyond N per system.
    pub ups_modules_redundant: u32,
    /// Distribution paths (1, or 2 for A/B); path p is fed by UPS system p mod systems.
    pub distribution_paths: u32,
    /// Paths carrying load at once: all of them, or 1 of 2 (Tier III's active
    /// path A, with B an alternate that takes the load only while A's PDU is
    /// out for planned maintenance).
    pub active_paths: u32,
    /// PDUs on each path; each feeds a contiguous block of racks.
    pub pdus_per_path: u32,
    /// Cooling units needed (N; 0: cooling not modelled).
    pub cooling_units_needed: u32,
    /// Cooling units beyond N.
    pub cooling_units_redundant: u32,
    /// Cooling units powered from the UPS (continuous cooling) rather than the generator-backed bus.
    pub cooling_on_ups: bool,
    /// Core routers needed for the site to be reachable (0: not modelled).
    pub routers_needed: u32,
    /// Core routers beyond those needed.
    pub routers_redundant: u32,
    /// Servers.
    pub servers: u32,
    /// Servers in one rack.
    pub servers_per_rack: u32,
    /// Top-of-rack switches in one rack (0: not modelled).
    pub tors_per_rack: u32,
    /// ToR switches a rack needs.
    pub tors_needed: u32,
}

impl SiteTopology {
    /// Racks: servers over servers per rack, rounded up.
    pub fn racks(&self) -> u32 {
        self.servers.div_ceil(self.servers_per_rack.max(1))
    }

    /// Generators installed.
    pub fn generators(&self) -> u32 {
        if self.generators_needed == 0 { 0 } else { self.generators_needed + self.generators_redundant }
    }

    /// UPS modules installed per system.
    pub fn ups_modules_per_system(&self) -> u32 {
        if self.ups_modules_needed == 0 { 0 } else { self.ups_modules_needed + self.ups_modules_redundant }
    }

    /// Cooling units installed.
    pub fn cooling_units(&self) -> u32 {
        if self.cooling_units_needed == 0 {
            0
        } else {
            self.cooling_units_needed + self.cooling_units_redundant
        }
    }

    /// Core routers installed.
    pub fn routers(&self) -> u32 {
        if self.routers_needed == 0 { 0 } else { self.routers_needed + self.routers_redundant }
    }
}

/// Failure data of one kind of component.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentData {
    /// Failure modes (at least one).
    pub modes: Vec<FailureMode>,
    /// Planned maintenance, if any.
    pub maintenance: Option<Maintenance>,
}

/// Failure data by kind; `None` where the kind is absent or does not fail.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteComponents {
    /// One utility feed.
    pub utility: Option<ComponentData>,
    /// One generator (modes count running time).
    pub generator: Option<ComponentData>,
    /// One UPS module.
    pub ups: Option<ComponentData>,
    /// One PDU.
    pub pdu: Option<ComponentData>,
    /// One cooling unit.
    pub cooling: Option<ComponentData>,
    /// One core router.
    pub router: Option<ComponentData>,
    /// One rack as an enclosure (its own busbar, breakers; optional).
    pub rack: Option<ComponentData>,
    /// One top-of-rack switch.
    pub tor: Option<ComponentData>,
    /// One server (optional: without it servers never fail).
    pub server: Option<ComponentData>,
}

/// Timing of the site's backup: generator start, battery and thermal ride-through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteDynamics {
    /// Probability a generator fails to start when called.
    pub generator_fail_to_start_probability: f64,
    /// Time for a generator to take load, in hours.
    pub generator_start_delay_h: f64,
    /// Time a full UPS battery carries the load, in hours.
    pub ups_ride_through_h: f64,
    /// Time to recharge a UPS battery from empty, in hours (0: at once).
    pub ups_recharge_h: f64,
    /// Time the room stays within limits with no cooling, in hours.
    pub thermal_ride_through_h: f64,
}

/// Everything needed to build a site's diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSpec {
    /// Counts and connections.
    pub topology: SiteTopology,
    /// Backup timing.
    pub dynamics: SiteDynamics,
    /// Failure data.
    pub components: SiteComponents,
    /// Servers fail in place and are replaced by modules (None: servers are repaired).
    pub fail_in_place: Option<Modules>,
}

fn require<'a>(data: &'a Option<ComponentData>, kind: &str) -> Result<&'a ComponentData, DiagramError> {
    data.as_ref().ok_or_else(|| {
        DiagramError(format!("the site has {kind} units but no failure data for `{kind}` (a required input)"))
    })
}

fn class(name: &str, count: u32, data: &ComponentData) -> ComponentClass {
    ComponentClass {
        name: name.to_string(),
        count,
        modes: data.modes.clone(),
        maintenance: data.maintenance,
        standby: None,
    }
}

/// The diagram of a site.
pub fn build_site(spec: &SiteSpec) -> Result<Diagram, DiagramError> {
    let t = &spec.topology;
    let c = &spec.components;
    let dy = &spec.dynamics;
    if t.servers == 0 || t.servers_per_rack == 0 {
        return Err(DiagramError("the site needs at least one server and one server per rack".into()));
    }
    if t.distribution_paths == 0 || t.ups_systems == 0 {
        return Err(DiagramError("the site needs at least one distribution path and one UPS system".into()));
    }
    let alternate = t.active_paths < t.distribution_paths;
    if t.active_paths == 0
        || t.active_paths > t.distribution_paths
        || (alternate && (t.active_paths, t.distribution_paths) != (1, 2))
    {
        return Err(DiagramError(format!(
            "active_paths must equal distribution_paths ({}), or be 1 of 2 (an active and an alternate path), got {}",
            t.distribution_paths, t.active_paths
        )));
    }
    if t.tors_per_rack > 0 && (t.tors_needed == 0 || t.tors_needed > t.tors_per_rack) {
        return Err(DiagramError(format!(
            "tors_needed must be between 1 and tors_per_rack ({}), got {}",
            t.tors_per_rack, t.tors_needed
        )));
    }
    if t.utility_feeds > 0 && (t.utility_feeds_needed == 0 || t.utility_feeds_needed > t.utility_feeds) {
        return Err(DiagramError(format!(
            "utility_feeds_needed must be between 1 and utility_feeds ({}), got {}",
            t.utility_feeds, t.utility_feeds_needed
        )));
    }
    let mut b = DiagramBuilder::new();

    // Source: utility, backed by standby generators.
    let utility = if t.utility_feeds > 0 {
        let leaves = b.class(class("utility", t.utility_feeds, require(&c.utility, "utility")?));
        b.group("utility", t.utility_feeds_needed, leaves)
    } else {
        b.always("utility")
    };
    let source = if t.generators() > 0 {
        let mut gen_class = class("generator", t.generators(), require(&c.generator, "generator")?);
        gen_class.standby = Some(Standby {
            demand: utility,
            fail_to_start_probability: dy.generator_fail_to_start_probability,
            start_delay_h: dy.generator_start_delay_h,
        });
        let leaves = b.class(gen_class);
        let gens = b.group("generators", t.generators_needed, leaves);
        b.parallel("source", vec![utility, gens])
    } else {
        utility
    };

    // UPS systems: modules k-of-n, in series with the battery riding through source loss.
    let per_system = t.ups_modules_per_system();
    let mut ups_out = Vec::new();
    if per_system > 0 {
        let leaves = b.class(class("ups", t.ups_systems * per_system, require(&c.ups, "ups")?));
        for s in 0..t.ups_systems {
            let name = system_name(s);
            let modules = leaves[(s * per_system) as usize..((s + 1) * per_system) as usize].to_vec();
            let group = b.group(&format!("ups-{name}-modules"), t.ups_modules_needed, modules);
            let battery = b.ride_through(
                &format!("ups-{name}-battery"),
                source,
                dy.ups_ride_through_h,
                dy.ups_recharge_h,
            );
            ups_out.push(b.series(&format!("ups-{name}"), vec![group, battery]));
        }
    } else {
        ups_out.push(source);
    }

    // Distribution: each path from its UPS system, PDUs on each path.
    let paths: Vec<NodeId> =
        (0..t.distribution_paths).map(|p| ups_out[(p as usize) % ups_out.len()]).collect();
    let racks = t.racks();
    let mut pdu_leaves = Vec::new();
    let pdu_feeds: Vec<Vec<NodeId>> = if t.pdus_per_path > 0 {
        pdu_leaves = b.class(class("pdu", t.distribution_paths * t.pdus_per_path, require(&c.pdu, "pdu")?));
        (0..t.distribution_paths)
            .map(|p| {
                (0..t.pdus_per_path)
                    .map(|j| {
                        let pdu = pdu_leaves[(p * t.pdus_per_path + j) as usize];
                        b.series(&format!("pdu-{}{j}-feed", system_name(p)), vec![paths[p as usize], pdu])
                    })
                    .collect()
            })
            .collect()
    } else {
        paths.iter().map(|&p| vec![p]).collect()
    };
    // Active + alternate: path B's feed counts only while path A's PDU is in a
    // maintenance window (without PDUs, nothing on A is maintained: B never serves).
    let alternate_feeds: Option<Vec<NodeId>> = alternate.then(|| {
        pdu_leaves[..pdu_feeds[1].len().min(pdu_leaves.len())]
            .iter()
            .enumerate()
            .map(|(j, &pdu_a)| {
                let window = b.in_maintenance(&format!("pdu-a{j}-maintenance"), pdu_a);
                b.series(&format!("pdu-b{j}-alternate"), vec![window, pdu_feeds[1][j]])
            })
            .collect()
    });

    // Cooling and the room's thermal ride-through.
    let room = if t.cooling_units() > 0 {
        let leaves = b.class(class("cooling", t.cooling_units(), require(&c.cooling, "cooling")?));
        let units = b.group("cooling-units", t.cooling_units_needed, leaves);
        let power = if t.cooling_on_ups && ups_out.len() > 1 {
            b.parallel("cooling-power", ups_out.clone())
        } else if t.cooling_on_ups {
            ups_out[0]
        } else {
            source
        };
        let cooled = b.series("cooling", vec![units, power]);
        b.ride_through("room", cooled, dy.thermal_ride_through_h, 0.0)
    } else {
        b.always("room")
    };

    let core = if t.routers() > 0 {
        let leaves = b.class(class("router", t.routers(), require(&c.router, "router")?));
        Some(b.group("core", t.routers_needed, leaves))
    } else {
        None
    };
    let rack_leaves = c.rack.as_ref().map(|data| b.class(class("rack", racks, data)));
    let tor_leaves = if t.tors_per_rack > 0 {
        Some(b.class(class("tor", racks * t.tors_per_rack, require(&c.tor, "tor")?)))
    } else {
        None
    };

    let mut rack_power = Vec::with_capacity(racks as usize);
    let mut rack_ok = Vec::with_capacity(racks as usize);
    for r in 0..racks {
        let feeds_per_path = pdu_feeds[0].len() as u32;
        let j = (r as u64 * feeds_per_path as u64 / racks as u64) as usize;
        let cords: Vec<NodeId> = match &alternate_feeds {
            Some(alternate) if alternate.is_empty() => vec![pdu_feeds[0][j]],
            Some(alternate) => vec![pdu_feeds[0][j], alternate[j]],
            None => pdu_feeds.iter().map(|path| path[j]).collect(),
        };
        let power = b.parallel(&format!("rack-power[{r}]"), cords);
        let mut parts = vec![power, room];
        if let Some(leaves) = &rack_leaves {
            parts.push(leaves[r as usize]);
        }
        if let Some(leaves) = &tor_leaves {
            let tors = leaves[(r * t.tors_per_rack) as usize..((r + 1) * t.tors_per_rack) as usize].to_vec();
            parts.push(b.group(&format!("tors[{r}]"), t.tors_needed, tors));
        }
        if let Some(core) = core {
            parts.push(core);
        }
        rack_power.push(power);
        rack_ok.push(b.series(&format!("rack-up[{r}]"), parts));
    }
    let mut site = vec![room];
    site.extend(&rack_power);
    let root = b.series("site", site);

    let feeds: Vec<NodeId> = (0..t.servers).map(|i| rack_ok[(i / t.servers_per_rack) as usize]).collect();
    let server_class = c.server.as_ref().map(|data| {
        let mut server = class("server", t.servers, data);
        if spec.fail_in_place.is_some() {
            for mode in &mut server.modes {
                mode.repair = Repair::FailInPlace;
            }
        }
        let index = b.class_count();
        b.class(server);
        index
    });
    if spec.fail_in_place.is_some() && server_class.is_none() {
        return Err(DiagramError("fail-in-place needs failure data for `server`".into()));
    }
    let capacity = Capacity { class: server_class, feeds, modules: spec.fail_in_place };
    b.build(root, Some(capacity))
}

/// `a`, `b`, `c`, … for systems and paths.
fn system_name(i: u32) -> char {
    (b'a' + (i % 26) as u8) as char
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reliability::distribution::Lifetime;

    fn data(mtbf_h: f64, mttr_h: f64) -> Option<ComponentData> {
        Some(ComponentData {
            modes: vec![FailureMode {
                name: "failure".into(),
                time_to_failure: Lifetime::exponential(mtbf_h).unwrap(),
                repair: Repair::Restore(Lifetime::exponential(mttr_h).unwrap()),
            }],
            maintenance: None,
        })
    }

    fn spec(tier: Tier) -> SiteSpec {
        SiteSpec {
            topology: tier.topology(80, 40),
            dynamics: SiteDynamics {
                generator_fail_to_start_probability: GENERATOR_FAIL_TO_START_PROBABILITY,
                generator_start_delay_h: GENERATOR_START_DELAY_S / 3600.0,
                ups_ride_through_h: 0.1,
                ups_recharge_h: 4.0,
                thermal_ride_through_h: 0.1,
            },
            components: SiteComponents {
                utility: data(8_758.0, 2.0),
                generator: data(1_100.0, 24.0),
                ups: data(100_000.0, 8.0),
                pdu: data(200_000.0, 8.0),
                cooling: data(20_000.0, 24.0),
                ..SiteComponents::default()
            },
            fail_in_place: None,
        }
    }

    #[test]
    fn tiers_add_redundancy_in_order() {
        let count = |tier: Tier, name: &str| {
            let d = build_site(&spec(tier)).unwrap();
            d.classes.iter().find(|c| c.name == name).map_or(0, |c| c.count)
        };
        assert_eq!(count(Tier::I, "ups"), 1);
        assert_eq!(count(Tier::II, "ups"), 2);
        assert_eq!(count(Tier::IV, "ups"), 4);
        assert_eq!(count(Tier::II, "pdu"), 1);
        assert_eq!(count(Tier::III, "pdu"), 2);
        assert_eq!(count(Tier::I, "generator"), 1);
        assert_eq!(count(Tier::III, "generator"), 2);
    }

    /// Tier III's racks hang on the active path, the alternate counting only
    /// during the active PDU's maintenance; Tier IV's on both paths at once.
    #[test]
    fn tier_three_has_an_alternate_path_and_tier_four_two_active_ones() {
        let children = |tier: Tier| {
            let d = build_site(&spec(tier)).unwrap();
            let rack = d.nodes.iter().find(|n| n.name == "rack-power[0]").unwrap();
            rack.children.iter().map(|&c| d.nodes[c as usize].name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(children(Tier::III), ["pdu-a0-feed", "pdu-b0-alternate"]);
        assert_eq!(children(Tier::IV), ["pdu-a0-feed", "pdu-b0-feed"]);
        assert_eq!(children(Tier::II), ["pdu-a0-feed"]);
        let d = build_site(&spec(Tier::III)).unwrap();
        let alternate = d.nodes.iter().find(|n| n.name == "pdu-b0-alternate").unwrap();
        let window = &d.nodes[alternate.children[0] as usize];
        assert!(matches!(window.kind, crate::reliability::NodeKind::InMaintenance { .. }), "{window:?}");
        let mut bad = spec(Tier::IV);
        bad.topology.active_paths = 3;
        assert!(build_site(&bad).unwrap_err().0.contains("active_paths"));
    }

    #[test]
    fn missing_failure_data_is_named() {
        let mut s = spec(Tier::II);
        s.components.pdu = None;
        let e = build_site(&s).unwrap_err();
        assert!(e.0.contains("`pdu`"), "{e}");
    }

    #[test]
    fn servers_feed_from_their_rack() {
        let d = build_site(&spec(Tier::III)).unwrap();
        let cap = d.capacity.as_ref().unwrap();
        assert_eq!(cap.feeds.len(), 80);
        assert_eq!(cap.feeds[0], cap.feeds[39]);
        assert_ne!(cap.feeds[39], cap.feeds[40]);
        assert_eq!(d.nodes[cap.feeds[40] as usize].name, "rack-up[1]");
        assert!(cap.class.is_none(), "no server data: servers never fail");
    }
}
