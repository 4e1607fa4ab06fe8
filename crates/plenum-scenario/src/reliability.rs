//! The validated `[reliability]` section and the rules that need more than one
//! field: a failure given once (`mtbf_hours` or a distribution), a repair given
//! once (`mttr_hours`, a distribution, or fail-in-place), distribution
//! parameters that fit their family, maintenance windows shorter than their
//! interval, failure data for every kind of component the site has, and the
//! ride-through times a UPS or a cooled room needs.
//!
//! Defaults exist only where a source gives a figure; they are named in
//! `plenum_models::reliability::site`. A tier's kinds (utility, generator, UPS,
//! PDU, cooling) and its timings all have one, so a tier runs on them alone;
//! planned maintenance is modelled where a source gives a window (PDUs) or
//! the scenario does. Routers and ToR switches have none: their data is a
//! required input when the site has them, and its absence is reported with
//! the file, line and field, like any other problem.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::raw::reliability::*;
use crate::raw::{RawNetwork, RawScenario};
use plenum_models::reliability::distribution::LifetimeError;
use plenum_models::reliability::site::{
    COOLING_MEAN_HOURS_TO_FAIL, COOLING_MEAN_REPAIR_H, GENERATOR_FAIL_TO_START_PROBABILITY,
    GENERATOR_MEAN_HOURS_TO_FAIL_RUNNING, GENERATOR_MEAN_REPAIR_H, GENERATOR_START_DELAY_S,
    PDU_MAINTENANCE_DURATION_H, PDU_MAINTENANCE_INTERVAL_H, PDU_MEAN_HOURS_TO_FAIL, PDU_MEAN_REPAIR_H,
    THERMAL_RIDE_THROUGH_S, UPS_MEAN_HOURS_TO_FAIL, UPS_MEAN_REPAIR_H, UPS_RIDE_THROUGH_S,
    UTILITY_INTERRUPTIONS_PER_YEAR, UTILITY_MEAN_INTERRUPTION_H,
};
use plenum_models::reliability::{
    ComponentData, FailureMode, Lifetime, Maintenance, Modules, MonteCarloSettings, Repair, SiteComponents,
    SiteDynamics, SiteSpec, SiteTopology, Tier, build_site,
};
use plenum_models::units::HOURS_PER_YEAR;

/// A validated reliability study.
#[derive(Debug, Clone, PartialEq)]
pub struct Reliability {
    /// The tier preset the site started from, if any.
    pub tier: Option<Tier>,
    /// Replications and stopping rule.
    pub settings: MonteCarloSettings,
    /// The site: topology, backup timing, failure data, fail-in-place modules.
    pub site: SiteSpec,
    /// Fail-in-place service and its comparison with repairs.
    pub fail_in_place: Option<FailInPlaceService>,
}

/// Fail-in-place economics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailInPlaceService {
    /// Cost of one server repair under repair-based service.
    pub repair_cost_usd: f64,
}

struct Check<'d> {
    document: &'d Document,
    out: &'d mut Vec<Diagnostic>,
}

impl Check<'_> {
    fn add(&mut self, field: &str, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::new(field, message).at(self.document.locate(field, false));
        d.help = help.map(str::to_string);
        self.out.push(d);
    }
}

/// Validate `raw.reliability`, adding problems to `out`; `None` when the
/// section is absent or has problems.
pub fn validate(raw: &RawScenario, document: &Document, out: &mut Vec<Diagnostic>) -> Option<Reliability> {
    let r = raw.reliability.as_ref()?;
    let before = out.len();
    let mut c = Check { document, out };
    let tier = r.tier.map(|t| match t {
        RawTier::I => Tier::I,
        RawTier::II => Tier::II,
        RawTier::III => Tier::III,
        RawTier::IV => Tier::IV,
    });
    let site = r.site.clone().unwrap_or_default();
    let fleet: u64 = raw.servers.iter().map(|s| s.count).sum();
    let servers = site.servers.unwrap_or(fleet);
    let leaf_spine_rack = match &raw.network {
        Some(RawNetwork { leaf_spine: Some(ls), .. }) => Some(ls.servers_per_rack),
        _ => None,
    };
    let servers_per_rack = match site.servers_per_rack.or(leaf_spine_rack) {
        Some(n) => n,
        None => {
            c.add(
                "reliability.site",
                "missing key `servers_per_rack`: the site's racks cannot be laid out",
                Some("give reliability.site.servers_per_rack, or a [network.leaf_spine] table"),
            );
            1
        }
    };
    let count = |c: &mut Check, key: &str, value: u64| -> u32 {
        u32::try_from(value).unwrap_or_else(|_| {
            c.add(&format!("reliability.site.{key}"), format!("{value} is too large"), None);
            0
        })
    };
    let base = match tier {
        Some(t) => {
            t.topology(count(&mut c, "servers", servers), count(&mut c, "servers_per_rack", servers_per_rack))
        }
        None => SiteTopology {
            utility_feeds: 0,
            utility_feeds_needed: 1,
            generators_needed: 0,
            generators_redundant: 0,
            ups_systems: 1,
            ups_modules_needed: 0,
            ups_modules_redundant: 0,
            distribution_paths: 1,
            active_paths: 1,
            pdus_per_path: 0,
            cooling_units_needed: 0,
            cooling_units_redundant: 0,
            cooling_on_ups: false,
            routers_needed: 0,
            routers_redundant: 0,
            servers: count(&mut c, "servers", servers),
            servers_per_rack: count(&mut c, "servers_per_rack", servers_per_rack),
            tors_per_rack: 0,
            tors_needed: 0,
        },
    };
    // With a tier and a power chain, the PDUs follow the chain's racks per PDU.
    let preset_pdus = match (&raw.power_chain, tier) {
        (Some(chain), Some(_)) if chain.racks_per_pdu > 0 => {
            u32::try_from(u64::from(base.racks()).div_ceil(chain.racks_per_pdu)).unwrap_or(u32::MAX)
        }
        _ => base.pdus_per_path,
    };
    let mut pick =
        |key: &str, value: Option<u64>, preset: u32| value.map_or(preset, |v| count(&mut c, key, v));
    let mut topology = SiteTopology {
        utility_feeds: pick("utility_feeds", site.utility_feeds, base.utility_feeds),
        utility_feeds_needed: pick(
            "utility_feeds_needed",
            site.utility_feeds_needed,
            base.utility_feeds_needed,
        ),
        generators_needed: pick("generators_needed", site.generators_needed, base.generators_needed),
        generators_redundant: pick(
            "generators_redundant",
            site.generators_redundant,
            base.generators_redundant,
        ),
        ups_systems: pick("ups_systems", site.ups_systems, base.ups_systems),
        ups_modules_needed: pick("ups_modules_needed", site.ups_modules_needed, base.ups_modules_needed),
        ups_modules_redundant: pick(
            "ups_modules_redundant",
            site.ups_modules_redundant,
            base.ups_modules_redundant,
        ),
        distribution_paths: pick("distribution_paths", site.distribution_paths, base.distribution_paths),
        active_paths: 0,
        pdus_per_path: pick("pdus_per_path", site.pdus_per_path, preset_pdus),
        cooling_units_needed: pick(
            "cooling_units_needed",
            site.cooling_units_needed,
            base.cooling_units_needed,
        ),
        cooling_units_redundant: pick(
            "cooling_units_redundant",
            site.cooling_units_redundant,
            base.cooling_units_redundant,
        ),
        cooling_on_ups: site.cooling_on_ups.unwrap_or(base.cooling_on_ups),
        routers_needed: pick("routers_needed", site.routers_needed, base.routers_needed),
        routers_redundant: pick("routers_redundant", site.routers_redundant, base.routers_redundant),
        servers: base.servers,
        servers_per_rack: base.servers_per_rack,
        tors_per_rack: pick("tors_per_rack", site.tors_per_rack, base.tors_per_rack),
        tors_needed: pick("tors_needed", site.tors_needed, base.tors_needed),
    };
    if topology.tors_per_rack > 0 && site.tors_needed.is_none() {
        topology.tors_needed = 1;
    }
    // The preset's active + alternate pair holds while the paths are its own;
    // otherwise every path is active unless the scenario says.
    let preset_active = if topology.distribution_paths == base.distribution_paths {
        base.active_paths
    } else {
        topology.distribution_paths
    };
    topology.active_paths = match site.active_paths {
        Some(v) => count(&mut c, "active_paths", v),
        None => preset_active,
    };
    check_topology(&mut c, &topology);

    let raw_components = r.components.clone().unwrap_or_default();
    let components = SiteComponents {
        utility: kind(
            &mut c,
            "utility",
            &raw_components.utility,
            topology.utility_feeds > 0,
            Defaults::Cited,
        ),
        generator: kind(
            &mut c,
            "generator",
            &raw_components.generator,
            topology.generators() > 0,
            Defaults::Cited,
        ),
        ups: kind(&mut c, "ups", &raw_components.ups, topology.ups_modules_per_system() > 0, Defaults::Cited),
        pdu: kind(&mut c, "pdu", &raw_components.pdu, topology.pdus_per_path > 0, Defaults::Cited),
        cooling: kind(
            &mut c,
            "cooling",
            &raw_components.cooling,
            topology.cooling_units() > 0,
            Defaults::Cited,
        ),
        router: kind(&mut c, "router", &raw_components.router, topology.routers() > 0, Defaults::None),
        rack: kind(&mut c, "rack", &raw_components.rack, true, Defaults::Optional),
        tor: kind(&mut c, "tor", &raw_components.tor, topology.tors_per_rack > 0, Defaults::None),
        server: kind(&mut c, "server", &raw_components.server, true, Defaults::Optional),
    };

    let hours = |s: f64| s / 3_600.0;
    let ups_ride_through_h = hours(site.ups_ride_through_s.unwrap_or(UPS_RIDE_THROUGH_S));
    let thermal_ride_through_h = hours(site.thermal_ride_through_s.unwrap_or(THERMAL_RIDE_THROUGH_S));
    let dynamics = SiteDynamics {
        generator_fail_to_start_probability: site
            .generator_fail_to_start_probability
            .unwrap_or(GENERATOR_FAIL_TO_START_PROBABILITY),
        generator_start_delay_h: hours(site.generator_start_delay_s.unwrap_or(GENERATOR_START_DELAY_S)),
        ups_ride_through_h,
        ups_recharge_h: site.ups_recharge_hours.unwrap_or(0.0),
        thermal_ride_through_h,
    };

    let (fail_in_place, modules) = match &r.fail_in_place {
        None => (None, None),
        Some(f) => {
            let server_repairs = components
                .server
                .as_ref()
                .is_some_and(|d| d.modes.iter().all(|m| matches!(m.repair, Repair::Restore(_))));
            if !server_repairs {
                c.add(
                    "reliability.fail_in_place",
                    "fail-in-place service needs `[reliability.components.server]` with a repair (`mttr_hours` or `repair`) to compare against",
                    Some("the server's repair data describes repair-based service; the fail-in-place run ignores it"),
                );
            }
            let size = count(&mut c, "servers_per_module", f.servers_per_module);
            (
                Some(FailInPlaceService { repair_cost_usd: f.repair_cost_usd }),
                Some(Modules {
                    size,
                    replace_below_fraction: f.replace_below_fraction,
                    lead_time_h: f.replacement_lead_hours,
                }),
            )
        }
    };

    let years = r.years_per_replication;
    if years * HOURS_PER_YEAR > 1.0e7 {
        c.add("reliability.years_per_replication", "at most 1,000 years per replication", None);
    }
    let settings = MonteCarloSettings {
        replications: r.replications,
        batch_replications: r.batch_replications.min(r.replications),
        years_per_replication: years,
        target_relative_ci95: r.target_relative_ci95,
        logged_replications: r.logged_replications.min(r.replications),
    };
    if c.out.len() > before {
        return None;
    }
    let site = SiteSpec { topology, dynamics, components, fail_in_place: modules };
    // Whatever the rules above missed, the diagram builder catches.
    if let Err(e) = build_site(&site) {
        c.add("reliability", e.0, None);
        return None;
    }
    Some(Reliability { tier, settings, site, fail_in_place })
}

fn check_topology(c: &mut Check, t: &SiteTopology) {
    if t.utility_feeds > 0 && t.utility_feeds_needed > t.utility_feeds {
        c.add(
            "reliability.site.utility_feeds_needed",
            format!("{} feeds needed but only {} installed", t.utility_feeds_needed, t.utility_feeds),
            None,
        );
    }
    if t.tors_per_rack > 0 && t.tors_needed > t.tors_per_rack {
        c.add(
            "reliability.site.tors_needed",
            format!("{} ToR switches needed but only {} per rack", t.tors_needed, t.tors_per_rack),
            None,
        );
    }
    if t.active_paths == 0
        || t.active_paths > t.distribution_paths
        || (t.active_paths < t.distribution_paths && (t.active_paths, t.distribution_paths) != (1, 2))
    {
        c.add(
            "reliability.site.active_paths",
            format!(
                "{} active paths of {}: every path is active, or 1 of 2 (an active and an alternate path)",
                t.active_paths, t.distribution_paths
            ),
            None,
        );
    }
    if t.ups_systems > t.distribution_paths {
        c.add(
            "reliability.site.ups_systems",
            format!(
                "{} UPS systems for {} distribution paths: each system feeds a path",
                t.ups_systems, t.distribution_paths
            ),
            Some("use as many distribution paths as UPS systems (2 and 2 for system + system)"),
        );
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Defaults {
    /// A required input when the kind is present.
    None,
    /// Absent data means the kind never fails.
    Optional,
    /// Cited defaults for the whole kind (see [`cited`]).
    Cited,
}

/// The cited defaults of a kind (sources in `plenum_models::reliability::site`):
/// US EIA averages for a utility feed; NREL REopt's running failures and the
/// IEEE Reliability Test System's repair for a generator; manufacturers'
/// figures for a UPS module; J. Dean's cluster year for a PDU (with its
/// planned window) and a cooling unit.
fn cited(kind: &str) -> ComponentData {
    let (name, mtbf_h, mttr_h, maintenance) = match kind {
        "utility" => (
            "interruption",
            HOURS_PER_YEAR / UTILITY_INTERRUPTIONS_PER_YEAR - UTILITY_MEAN_INTERRUPTION_H,
            UTILITY_MEAN_INTERRUPTION_H,
            None,
        ),
        "generator" => ("failure", GENERATOR_MEAN_HOURS_TO_FAIL_RUNNING, GENERATOR_MEAN_REPAIR_H, None),
        "ups" => ("failure", UPS_MEAN_HOURS_TO_FAIL, UPS_MEAN_REPAIR_H, None),
        "pdu" => (
            "failure",
            PDU_MEAN_HOURS_TO_FAIL,
            PDU_MEAN_REPAIR_H,
            Some(Maintenance {
                interval_h: PDU_MAINTENANCE_INTERVAL_H,
                duration_h: PDU_MAINTENANCE_DURATION_H,
            }),
        ),
        "cooling" => ("failure", COOLING_MEAN_HOURS_TO_FAIL, COOLING_MEAN_REPAIR_H, None),
        other => unreachable!("no cited defaults for {other}"),
    };
    ComponentData {
        modes: vec![FailureMode {
            name: name.into(),
            time_to_failure: Lifetime::exponential(mtbf_h).expect("positive"),
            repair: Repair::Restore(Lifetime::exponential(mttr_h).expect("positive")),
        }],
        maintenance,
    }
}

/// Failure data of one kind of component.
fn kind(
    c: &mut Check,
    name: &str,
    raw: &Option<RawComponent>,
    present: bool,
    defaults: Defaults,
) -> Option<ComponentData> {
    let path = format!("reliability.components.{name}");
    match (raw, present) {
        (Some(_), false) => {
            c.add(
                &path,
                format!("failure data for `{name}`, but the site has no {name} units"),
                Some(absent_help(name)),
            );
            None
        }
        (None, false) => None,
        (None, true) => match defaults {
            Defaults::Optional => None,
            Defaults::Cited => Some(cited(name)),
            Defaults::None => {
                c.add(
                    "reliability.components",
                    format!("missing table `[reliability.components.{name}]`: the site has {name} units and their failure data is a required input"),
                    Some("give `mtbf_hours` and `mttr_hours` (IEEE Std 493 Gold Book, US Army TM 5-698-5 App. B, or your own records)"),
                );
                None
            }
        },
        (Some(raw), true) => {
            let modes = match &raw.modes {
                Some(list) => {
                    let flat = raw.mtbf_hours.is_some()
                        || raw.failure.is_some()
                        || raw.mttr_hours.is_some()
                        || raw.repair.is_some()
                        || raw.fail_in_place.is_some()
                        || raw.mode.is_some();
                    if flat {
                        c.add(&path, "give the failure keys here or a list of `[[modes]]`, not both", None);
                    }
                    if list.is_empty() {
                        c.add(&format!("{path}.modes"), "expected at least one mode", None);
                    }
                    let mut names: Vec<&str> = Vec::new();
                    let mut modes = Vec::new();
                    for (i, m) in list.iter().enumerate() {
                        let mpath = format!("{path}.modes[{i}]");
                        if names.contains(&m.name.as_str()) {
                            c.add(
                                &format!("{mpath}.name"),
                                format!("duplicate mode name {:?}", m.name),
                                None,
                            );
                        }
                        names.push(&m.name);
                        let fields = ModeFields {
                            mtbf_hours: m.mtbf_hours,
                            failure: &m.failure,
                            mttr_hours: m.mttr_hours,
                            repair: &m.repair,
                            fail_in_place: m.fail_in_place,
                        };
                        modes.extend(mode(c, &mpath, name, &m.name, &fields, Defaults::None));
                    }
                    modes
                }
                None => {
                    let fields = ModeFields {
                        mtbf_hours: raw.mtbf_hours,
                        failure: &raw.failure,
                        mttr_hours: raw.mttr_hours,
                        repair: &raw.repair,
                        fail_in_place: raw.fail_in_place,
                    };
                    let mode_name = raw.mode.clone().unwrap_or_else(|| "failure".to_string());
                    mode(c, &path, name, &mode_name, &fields, defaults).into_iter().collect()
                }
            };
            let maintenance = match (raw.maintenance_interval_hours, raw.maintenance_duration_hours) {
                (None, None) => None,
                (Some(interval_h), Some(duration_h)) => {
                    if duration_h >= interval_h {
                        c.add(
                            &format!("{path}.maintenance_duration_hours"),
                            format!("a {duration_h} h window every {interval_h} h never ends"),
                            Some("maintenance_duration_hours must be below maintenance_interval_hours"),
                        );
                    }
                    Some(Maintenance { interval_h, duration_h })
                }
                (Some(_), None) => {
                    c.add(
                        &path,
                        "missing key `maintenance_duration_hours` to go with `maintenance_interval_hours`",
                        None,
                    );
                    None
                }
                (None, Some(_)) => {
                    c.add(
                        &path,
                        "missing key `maintenance_interval_hours` to go with `maintenance_duration_hours`",
                        None,
                    );
                    None
                }
            };
            Some(ComponentData { modes, maintenance })
        }
    }
}

fn absent_help(name: &str) -> &'static str {
    match name {
        "utility" => "set reliability.site.utility_feeds",
        "generator" => "set reliability.site.generators_needed",
        "ups" => "set reliability.site.ups_modules_needed",
        "pdu" => "set reliability.site.pdus_per_path",
        "cooling" => "set reliability.site.cooling_units_needed",
        "router" => "set reliability.site.routers_needed",
        "tor" => "set reliability.site.tors_per_rack",
        _ => "remove the table",
    }
}

struct ModeFields<'a> {
    mtbf_hours: Option<f64>,
    failure: &'a Option<RawLifetime>,
    mttr_hours: Option<f64>,
    repair: &'a Option<RawLifetime>,
    fail_in_place: Option<bool>,
}

fn mode(
    c: &mut Check,
    path: &str,
    kind: &str,
    name: &str,
    f: &ModeFields,
    defaults: Defaults,
) -> Option<FailureMode> {
    let time_to_failure = match (f.mtbf_hours, f.failure) {
        (Some(h), None) => checked(c, &format!("{path}.mtbf_hours"), Lifetime::exponential(h)),
        (None, Some(d)) => lifetime(c, &format!("{path}.failure"), d),
        (Some(_), Some(_)) => {
            c.add(
                &format!("{path}.mtbf_hours"),
                "give either `mtbf_hours` or a `failure` distribution, not both",
                None,
            );
            None
        }
        (None, None) => match defaults {
            Defaults::Cited => Some(cited(kind).modes[0].time_to_failure),
            _ => {
                c.add(
                    path,
                    "missing the time to failure: expected `mtbf_hours` or a `failure` distribution",
                    Some("no default for this kind: failure data must come from a source (IEEE Std 493, TM 5-698-5) or your records"),
                );
                None
            }
        },
    };
    let fail_in_place = f.fail_in_place.unwrap_or(false);
    let repair = match (f.mttr_hours, f.repair, fail_in_place) {
        (Some(h), None, false) => {
            checked(c, &format!("{path}.mttr_hours"), Lifetime::exponential(h)).map(Repair::Restore)
        }
        (None, Some(d), false) => lifetime(c, &format!("{path}.repair"), d).map(Repair::Restore),
        (None, None, true) => Some(Repair::FailInPlace),
        (None, None, false) => match defaults {
            Defaults::Cited => Some(cited(kind).modes[0].repair),
            _ => {
                c.add(
                    path,
                    "missing the repair: expected `mttr_hours`, a `repair` distribution, or `fail_in_place = true`",
                    Some("no default: repair times must come from a source or your records"),
                );
                None
            }
        },
        _ => {
            c.add(
                &format!("{path}.mttr_hours"),
                "give one of `mttr_hours`, a `repair` distribution or `fail_in_place = true`",
                None,
            );
            None
        }
    };
    Some(FailureMode { name: name.to_string(), time_to_failure: time_to_failure?, repair: repair? })
}

fn lifetime(c: &mut Check, path: &str, d: &RawLifetime) -> Option<Lifetime> {
    let extra = |c: &mut Check, key: &str, present: bool, family: &str| {
        if present {
            c.add(
                &format!("{path}.{key}"),
                format!("`{key}` does not apply to the {family} distribution"),
                None,
            );
        }
    };
    let one_of = |c: &mut Check, a: (&str, Option<f64>), b: (&str, Option<f64>)| match (a.1, b.1) {
        (Some(_), Some(_)) => {
            c.add(&format!("{path}.{}", a.0), format!("give either `{}` or `{}`, not both", a.0, b.0), None);
            None
        }
        (None, None) => {
            c.add(path, format!("missing key: expected `{}` or `{}`", a.0, b.0), None);
            None
        }
        (x, y) => Some((x, y)),
    };
    match d.distribution {
        RawFamily::Exponential => {
            extra(c, "shape", d.shape.is_some(), "exponential");
            extra(c, "scale_hours", d.scale_hours.is_some(), "exponential");
            extra(c, "median_hours", d.median_hours.is_some(), "exponential");
            extra(c, "sigma", d.sigma.is_some(), "exponential");
            match d.mean_hours {
                Some(m) => checked(c, path, Lifetime::exponential(m)),
                None => {
                    c.add(path, "missing key `mean_hours` for the exponential distribution", None);
                    None
                }
            }
        }
        RawFamily::Weibull => {
            extra(c, "median_hours", d.median_hours.is_some(), "Weibull");
            extra(c, "sigma", d.sigma.is_some(), "Weibull");
            let given = one_of(c, ("scale_hours", d.scale_hours), ("mean_hours", d.mean_hours));
            match (d.shape, given) {
                (None, _) => {
                    c.add(path, "missing key `shape` for the Weibull distribution", None);
                    None
                }
                (Some(k), Some((Some(scale), None))) => checked(c, path, Lifetime::weibull(k, scale)),
                (Some(k), Some((None, Some(mean)))) => checked(c, path, Lifetime::weibull_with_mean(k, mean)),
                _ => None,
            }
        }
        RawFamily::Lognormal => {
            extra(c, "shape", d.shape.is_some(), "lognormal");
            extra(c, "scale_hours", d.scale_hours.is_some(), "lognormal");
            let given = one_of(c, ("median_hours", d.median_hours), ("mean_hours", d.mean_hours));
            match (d.sigma, given) {
                (None, _) => {
                    c.add(path, "missing key `sigma` for the lognormal distribution", None);
                    None
                }
                (Some(s), Some((Some(median), None))) => checked(c, path, Lifetime::lognormal(median, s)),
                (Some(s), Some((None, Some(mean)))) => {
                    checked(c, path, Lifetime::lognormal_with_mean(mean, s))
                }
                _ => None,
            }
        }
    }
}

fn checked(c: &mut Check, path: &str, result: Result<Lifetime, LifetimeError>) -> Option<Lifetime> {
    result.map_err(|e| c.add(path, e.0, None)).ok()
}

#[cfg(test)]
mod tests {
    use crate::Scenario;
    use plenum_models::reliability::{Repair, Tier};

    const BASE: &str = r#"
[scenario]
name = "t"
seed = 3

[finance]
cost_of_money_annual = 0.05
server_amortization_years = 3
facility_amortization_years = 10

[facility]
critical_power_kw = 400
cost_usd_per_critical_w = 9.0
power_cooling_share = 0.82

[[servers]]
name = "node"
count = 400
price_usd = 1450
idle_power_w = 100
peak_power_w = 174
cores = 8
memory_gib = 24

[energy]
price_usd_per_kwh = 0.07
average_load_fraction = 0.8
pue = 1.45
"#;

    const TIER_DATA: &str = r#"
[reliability.site]
servers_per_rack = 40
ups_ride_through_s = 300
thermal_ride_through_s = 600

[reliability.components.generator]
mttr_hours = 24

[reliability.components.ups]
mtbf_hours = 100000
mttr_hours = 8

[reliability.components.pdu]
mtbf_hours = 200000
mttr_hours = 8

[reliability.components.cooling]
mtbf_hours = 20000
mttr_hours = 24
"#;

    fn load(reliability: &str) -> Result<Scenario, crate::ScenarioError> {
        Scenario::from_toml_str(&format!("{BASE}{reliability}"), "test.toml")
    }

    #[test]
    fn a_tier_preset_is_adjusted_key_by_key() {
        let text = format!("[reliability]\ntier = \"III\"\n{TIER_DATA}");
        let s = load(&text.replace(
            "servers_per_rack = 40",
            "servers_per_rack = 40\ngenerators_needed = 3\nups_modules_needed = 2",
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let r = s.reliability.unwrap();
        assert_eq!(r.tier, Some(Tier::III));
        let t = r.site.topology;
        assert_eq!((t.generators_needed, t.generators()), (3, 4), "N raised, the tier's +1 kept");
        assert_eq!((t.ups_modules_needed, t.ups_modules_per_system()), (2, 3));
        assert_eq!((t.ups_systems, t.distribution_paths), (1, 2));
        assert!(!t.cooling_on_ups);
        assert_eq!((t.servers, t.racks()), (400, 10));
    }

    #[test]
    fn cited_defaults_fill_only_what_has_a_source() {
        let s = load(&format!("[reliability]\ntier = \"I\"\n{TIER_DATA}")).unwrap();
        let r = s.reliability.unwrap();
        let d = r.site.dynamics;
        assert_eq!(d.generator_fail_to_start_probability, 0.0094);
        assert!((d.generator_start_delay_h * 3600.0 - 10.0).abs() < 1e-12);
        let utility = r.site.components.utility.unwrap();
        assert_eq!(utility.modes[0].time_to_failure.mean_h(), 8_758.0);
        assert!(matches!(utility.modes[0].repair, Repair::Restore(l) if l.mean_h() == 2.0));
        let generator = r.site.components.generator.unwrap();
        assert_eq!(generator.modes[0].time_to_failure.mean_h(), 1_100.0);
        assert_eq!(r.settings.replications, 1_000);
        assert_eq!(r.settings.years_per_replication, 1.0);
    }

    /// Issue 13: a tier runs on cited defaults alone, the generator's repair
    /// and the UPS battery's ride-through included; a scenario overrides
    /// either key by key.
    #[test]
    fn a_tier_runs_on_cited_defaults_alone() {
        let minimal = "[reliability]\ntier = \"III\"\n[reliability.site]\nservers_per_rack = 40\n";
        let s = load(minimal).unwrap_or_else(|e| panic!("{e}"));
        let r = s.reliability.unwrap();
        let c = &r.site.components;
        let mean = |d: &Option<plenum_models::reliability::ComponentData>| {
            d.as_ref().unwrap().modes[0].time_to_failure.mean_h()
        };
        let repair =
            |d: &Option<plenum_models::reliability::ComponentData>| match d.as_ref().unwrap().modes[0].repair
            {
                Repair::Restore(l) => l.mean_h(),
                Repair::FailInPlace => f64::INFINITY,
            };
        assert_eq!((mean(&c.generator), repair(&c.generator)), (1_100.0, 50.0));
        assert_eq!((mean(&c.ups), repair(&c.ups)), (125_000.0, 8.0));
        assert_eq!(mean(&c.pdu), 26_274.0);
        assert_eq!(mean(&c.cooling), 17_484.0);
        assert_eq!(c.pdu.as_ref().unwrap().maintenance.unwrap().duration_h, 6.0);
        assert!((r.site.dynamics.ups_ride_through_h * 3600.0 - 300.0).abs() < 1e-9);
        assert!((r.site.dynamics.thermal_ride_through_h * 3600.0 - 300.0).abs() < 1e-9);
        assert_eq!((r.site.topology.distribution_paths, r.site.topology.active_paths), (2, 1));

        let s = load(&format!(
            "{minimal}ups_ride_through_s = 900\n[reliability.components.generator]\nmttr_hours = 24\n"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let r = s.reliability.unwrap();
        let generator = r.site.components.generator.as_ref().unwrap();
        assert_eq!(generator.modes[0].time_to_failure.mean_h(), 1_100.0, "the cited time to failure");
        assert!(matches!(generator.modes[0].repair, Repair::Restore(l) if l.mean_h() == 24.0));
        assert!((r.site.dynamics.ups_ride_through_h * 3600.0 - 900.0).abs() < 1e-9);
    }

    /// Kinds without a published figure (routers, ToR switches) still need
    /// their data, each named.
    #[test]
    fn kinds_without_a_cited_default_are_asked_for() {
        let text = "[reliability]\ntier = \"IV\"\n[reliability.site]\nservers_per_rack = 40\nrouters_needed = 1\ntors_per_rack = 2\n";
        let report = load(text).unwrap_err().to_string();
        assert!(report.contains("missing table `[reliability.components.router]`"), "{report}");
        assert!(report.contains("missing table `[reliability.components.tor]`"), "{report}");
        assert!(report.contains("2 problems"), "only those two: {report}");
    }

    #[test]
    fn a_table_replaces_the_defaults_key_by_key() {
        let text = format!("[reliability]\ntier = \"IV\"\n{TIER_DATA}").replace(
            "[reliability.components.pdu]\nmtbf_hours = 200000\nmttr_hours = 8",
            "[reliability.components.pdu]\nmttr_hours = 2",
        );
        let r = load(&text).unwrap_or_else(|e| panic!("{e}")).reliability.unwrap();
        let pdu = r.site.components.pdu.unwrap();
        assert_eq!(pdu.modes[0].time_to_failure.mean_h(), 26_274.0, "the cited time to failure");
        assert!(
            matches!(pdu.modes[0].repair, Repair::Restore(l) if l.mean_h() == 2.0),
            "the scenario's repair"
        );
        assert!(pdu.maintenance.is_none(), "maintenance as written");
        assert_eq!(r.site.topology.active_paths, 2);
    }

    #[test]
    fn pdus_follow_the_power_chain() {
        let text = format!("[power_chain]\nracks_per_pdu = 4\n[reliability]\ntier = \"II\"\n{TIER_DATA}");
        let r = load(&text).unwrap_or_else(|e| panic!("{e}")).reliability.unwrap();
        // 400 servers in racks of 40: 10 racks, 4 a PDU: 3 PDUs.
        assert_eq!(r.site.topology.pdus_per_path, 3);
        let bad = format!("[reliability]\ntier = \"IV\"\n{TIER_DATA}")
            .replace("servers_per_rack = 40", "servers_per_rack = 40\nactive_paths = 3");
        assert!(load(&bad).unwrap_err().to_string().contains("reliability.site.active_paths"));
    }

    #[test]
    fn racks_follow_the_leaf_spine_fabric() {
        let base = BASE.replace(
            "facility_amortization_years = 10",
            "facility_amortization_years = 10\nnetwork_amortization_years = 4",
        );
        let text = format!(
            "{base}\n[network.leaf_spine]\nservers_per_rack = 20\nserver_link_gbps = 10\nuplink_gbps = 40\n\
             oversubscription_ratio = 2\nspine_ports = 64\ntor_price_usd = 1\nspine_price_usd = 1\n\
             tor_power_w = 1\nspine_power_w = 1\n\n[reliability]\n"
        );
        let s = Scenario::from_toml_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.reliability.unwrap().site.topology.racks(), 20);
    }

    #[test]
    fn data_for_a_kind_the_site_lacks_is_an_error() {
        let e = load("[reliability]\n[reliability.site]\nservers_per_rack = 40\n[reliability.components.router]\nmtbf_hours = 1000\nmttr_hours = 1\n")
            .unwrap_err();
        let report = e.to_string();
        assert!(
            report.contains("`reliability.components.router`") && report.contains("no router units"),
            "{report}"
        );
        assert!(report.contains("routers_needed"), "{report}");
    }

    #[test]
    fn modes_and_flat_keys_do_not_mix() {
        let e = load(
            "[reliability]\n[reliability.site]\nservers_per_rack = 40\n[reliability.components.server]\nmtbf_hours = 1000\n\
             [[reliability.components.server.modes]]\nname = \"a\"\nmtbf_hours = 10\nmttr_hours = 1\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("not both"), "{e}");
    }

    #[test]
    fn fail_in_place_needs_repair_data_to_compare_with() {
        let e = load(
            "[reliability]\n[reliability.site]\nservers_per_rack = 40\n[reliability.components.server]\nmtbf_hours = 1000\n\
             fail_in_place = true\n[reliability.fail_in_place]\nservers_per_module = 100\nreplace_below_fraction = 0.8\n\
             replacement_lead_hours = 24\nrepair_cost_usd = 100\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("repair"), "{e}");
    }

    #[test]
    fn the_dean_scenario_lays_out_its_cluster() {
        let text = include_str!("../../../scenarios/dean-cluster-year.toml");
        let s = Scenario::from_toml_str(text, "dean").unwrap_or_else(|e| panic!("{e}"));
        let r = s.reliability.unwrap();
        let t = r.site.topology;
        assert_eq!((t.servers, t.racks(), t.pdus_per_path, t.routers()), (1_800, 45, 3, 1));
        assert_eq!(r.site.components.router.unwrap().modes.len(), 2);
        assert!(r.site.components.utility.is_none() && t.utility_feeds == 0);
    }
}
