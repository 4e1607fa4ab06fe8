//! From raw to validated: the checks that need more than one field (either/or
//! choices, idle below peak, unique names, a fabric that fits two tiers) and
//! the resolution of choices into the enums of [`crate::model`].
//!
//! Single-field ranges (non-negative prices, PUE ≥ 1, shares in 0..1) and the
//! words of every choice live in the schema attributes of [`crate::raw`] and
//! are checked by [`crate::check`]; values inside their range but implausible
//! for a real site (a unit slip) by `plausible`.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::*;
use crate::paths::{PathKind, data_file, data_path};
use crate::problems::Problems;
use crate::raw::*;
use plenum_models::accelerators::{self, AcceleratorServer};
use plenum_models::it_power::{PowerCurve, PsuCurve};
use std::collections::HashMap;

const BUILD_COST_TWICE: &str = "give either `capex_usd` or `cost_usd_per_critical_w`, not both";
const BUILD_COST_MISSING: &str = "missing the build cost: expected `cost_usd_per_critical_w` or `capex_usd`";
const BUILD_COST_HELP: &str = "Hamilton's 2010 model uses cost_usd_per_critical_w = 9.0";
const NETWORK_MISSING: &str = "expected `capex_usd` or a `[network.leaf_spine]` table";
const NETWORK_YEARS_MISSING: &str =
    "missing key `network_amortization_years`: the scenario has a network to amortize";
const NETWORK_YEARS_HELP: &str = "Hamilton's 2010 model amortizes networking over 4 years";

/// The rules of [`validate`] about which keys go together, checked on the
/// tree itself. Validation needs a tree that passed the schema; when it did
/// not, these still run beside the schema's problems so that every problem
/// shows in one pass (a network without `network_amortization_years`, a
/// facility without its build cost) instead of after the first ones are fixed.
pub(crate) fn key_rules(document: &Document) -> Vec<Diagnostic> {
    let mut p = Problems::new(document);
    let tree = &document.tree;
    let table = |name: &str| tree.get(name).and_then(toml::Value::as_table);
    if let Some(facility) = table("facility") {
        match (facility.contains_key("capex_usd"), facility.contains_key("cost_usd_per_critical_w")) {
            (true, true) => p.add("facility.capex_usd", BUILD_COST_TWICE, None),
            (false, false) => p.add("facility", BUILD_COST_MISSING, Some(BUILD_COST_HELP)),
            _ => {}
        }
    }
    p.out.extend(server_power_keys(document));
    if let Some(network) = table("network") {
        if !network.contains_key("capex_usd") && !network.contains_key("leaf_spine") {
            p.add("network", NETWORK_MISSING, None);
        }
        if table("finance").is_some_and(|f| !f.contains_key("network_amortization_years")) {
            p.add("finance", NETWORK_YEARS_MISSING, Some(NETWORK_YEARS_HELP));
        }
    }
    p.out
}

/// Validate `raw` (already structurally checked) into a [`Scenario`].
pub fn validate(raw: RawScenario, document: &Document) -> Result<Scenario, Vec<Diagnostic>> {
    let mut p = Problems::new(document);

    let facility_capex_usd = match (raw.facility.cost_usd_per_critical_w, raw.facility.capex_usd) {
        (Some(per_w), None) => per_w * raw.facility.critical_power_kw * 1_000.0,
        (None, Some(total)) => total,
        (Some(_), Some(_)) => {
            p.add("facility.capex_usd", BUILD_COST_TWICE, None);
            0.0
        }
        (None, None) => {
            p.add("facility", BUILD_COST_MISSING, Some(BUILD_COST_HELP));
            0.0
        }
    };

    p.out.extend(crate::plausible::check(document));
    p.out.extend(server_power_keys(document));

    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut powers: Vec<Option<ServerPower>> = Vec::with_capacity(raw.servers.len());
    for (i, sku) in raw.servers.iter().enumerate() {
        if let Some(first) = names.insert(sku.name.as_str(), i) {
            p.add(
                &format!("servers[{i}].name"),
                format!("duplicate SKU name {:?} (also servers[{first}])", sku.name),
                None,
            );
        }
        server_power_model(&mut p, i, sku);
        if sku.power_table_w.as_ref().is_some_and(|t| t.iter().any(|w| *w < 0.0)) {
            p.add(&format!("servers[{i}].power_table_w"), "power must not be negative", None);
        }
        let power = server_power(&mut p, i, sku);
        if let Some(ServerPower { host_idle_w, host_peak_w, .. }) = power
            && host_idle_w > host_peak_w
        {
            p.add(
                &format!("servers[{i}].idle_power_w"),
                format!("idle power {host_idle_w} W is above peak power {host_peak_w} W"),
                Some("idle_power_w must not exceed peak_power_w"),
            );
        }
        powers.push(power);
    }
    let largest_server_peak_w = powers
        .iter()
        .enumerate()
        .filter_map(|(i, power)| power.map(|power| (i, power.peak_w())))
        .max_by(|a, b| a.1.total_cmp(&b.1));

    let network = match &raw.network {
        None => Network::None,
        Some(n) => match (n.capex_usd, &n.leaf_spine) {
            (Some(capex_usd), None) => Network::Capex { capex_usd, power_kw: n.power_kw.unwrap_or(0.0) },
            (None, Some(ls)) => {
                if n.power_kw.is_some() {
                    p.add(
                        "network.power_kw",
                        "a leaf-spine fabric computes its own power; remove `power_kw`",
                        None,
                    );
                }
                let design = LeafSpineDesign {
                    servers_per_rack: ls.servers_per_rack,
                    tors_per_rack: ls.tors_per_rack,
                    server_link_gbps: ls.server_link_gbps,
                    uplink_gbps: ls.uplink_gbps,
                    oversubscription_ratio: ls.oversubscription_ratio,
                    spine_ports: ls.spine_ports,
                    border_routers: ls.border_routers,
                    tor_price_usd: ls.tor_price_usd,
                    spine_price_usd: ls.spine_price_usd,
                    border_router_price_usd: ls.border_router_price_usd,
                    uplink_optics_price_usd: ls.uplink_optics_price_usd,
                    tor_power_w: ls.tor_power_w,
                    spine_power_w: ls.spine_power_w,
                    border_router_power_w: ls.border_router_power_w,
                };
                Network::LeafSpine(design)
            }
            (Some(_), Some(_)) => {
                p.add(
                    "network.capex_usd",
                    "give either `capex_usd` or `[network.leaf_spine]`, not both",
                    None,
                );
                Network::None
            }
            (None, None) => {
                p.add("network", NETWORK_MISSING, None);
                Network::None
            }
        },
    };
    let network_amortization_years = match (&network, raw.finance.network_amortization_years) {
        (_, Some(years)) => years,
        (Network::None, None) => raw.finance.server_amortization_years,
        (_, None) => {
            p.add("finance", NETWORK_YEARS_MISSING, Some(NETWORK_YEARS_HELP));
            1.0
        }
    };

    let people = match &raw.people {
        None => People::None,
        Some(pe) => match (pe.monthly_cost_usd, pe.servers_per_admin, pe.admin_annual_cost_usd) {
            (Some(cost_usd), None, None) => People::Monthly { cost_usd },
            (None, Some(servers_per_admin), Some(admin_annual_cost_usd)) => {
                People::PerServers { servers_per_admin, admin_annual_cost_usd }
            }
            (Some(_), _, _) => {
                p.add("people.monthly_cost_usd", "give either `monthly_cost_usd` or `servers_per_admin` with `admin_annual_cost_usd`, not both", None);
                People::None
            }
            (None, Some(_), None) => {
                p.add("people", "missing key `admin_annual_cost_usd` to go with `servers_per_admin`", None);
                People::None
            }
            (None, None, _) => {
                p.add(
                    "people",
                    "expected `monthly_cost_usd`, or `servers_per_admin` with `admin_annual_cost_usd`",
                    None,
                );
                People::None
            }
        },
    };

    let simulated = raw.cooling.is_some();
    let (average_load_fraction, pue) = match (simulated, raw.energy.average_load_fraction, raw.energy.pue) {
        (false, Some(load), Some(pue)) => (load, pue),
        (false, load, pue) => {
            for (name, value) in [("average_load_fraction", load.is_none()), ("pue", pue.is_none())] {
                if value {
                    p.add("energy", format!("missing key `{name}`: without a `[cooling]` table energy is priced from a fixed PUE and average draw"), Some("add the key, or add [site] and [cooling] to simulate the year"));
                }
            }
            (0.0, 0.0)
        }
        (true, load, pue) => {
            if pue.is_some() {
                p.add(
                    "energy.pue",
                    "a simulated year (with `[cooling]`) computes PUE: remove `energy.pue`",
                    None,
                );
            }
            if load.is_some() {
                p.add("energy.average_load_fraction", "a simulated year computes the IT draw from the servers and `[utilization]`: remove `average_load_fraction`", None);
            }
            (0.0, 0.0)
        }
    };
    let price_usd_per_kwh_by_hour = raw.energy.price_usd_per_kwh_by_hour.as_ref().map(|v| {
        let mut hours = [0.0; 24];
        hours.copy_from_slice(&v[..24]);
        hours
    });
    if price_usd_per_kwh_by_hour.is_some_and(|h| h.iter().any(|x| *x < 0.0)) {
        p.add("energy.price_usd_per_kwh_by_hour", "prices must not be negative", None);
    }
    let utilization = utilization(&mut p, raw.utilization.as_ref());
    let default_servers_per_rack = match &network {
        Network::LeafSpine(d) => Some(d.servers_per_rack),
        _ => None,
    };
    let physics = match &raw.cooling {
        Some(cooling) => {
            crate::physics::physics(&mut p, &raw, cooling, default_servers_per_rack, largest_server_peak_w)
        }
        None => None,
    };

    let plan = raw.plan.as_ref().and_then(|plan| crate::plan::plan(&mut p, plan));

    let workload = raw
        .workload
        .as_ref()
        .and_then(|w| crate::workload::validate(w, &mut p))
        .map(|w| crate::workload::resolve_paths(w, &mut p));
    let telemetry = raw.telemetry.as_ref().and_then(|t| {
        if raw.workload.is_none() {
            p.add("telemetry", "telemetry is compared with a replay: the scenario needs a [workload]", None);
        }
        let mut t = crate::telemetry::validate(t, &mut p)?;
        t.path = data_path(&mut p, "telemetry.path", &t.path, PathKind::File);
        Some(t)
    });
    let reliability = crate::reliability::validate(&raw, &mut p);
    let carbon_aware = raw
        .carbon_aware
        .as_ref()
        .and_then(|c| crate::carbon_aware::validate(c, raw.scenario.seed, raw.workload.is_some(), &mut p));
    let carbon_aware = carbon_aware.map(|mut c| {
        c.intensity_path = data_path(&mut p, "carbon_aware.intensity", &c.intensity_path, PathKind::File);
        for (i, site) in c.sites.iter_mut().enumerate() {
            site.intensity_path = data_path(
                &mut p,
                &format!("carbon_aware.sites[{i}].intensity"),
                &site.intensity_path,
                PathKind::File,
            );
        }
        c
    });
    let carbon_market = crate::carbon_market::validate(&raw, &mut |f, m| p.add(f, m, None));
    let training = raw.training.as_ref().and_then(|t| crate::training::validate(t, &mut p));
    if !p.out.is_empty() {
        return Err(p.out);
    }
    let notes = crate::notes::notes(&raw);
    let maintenance = raw.maintenance.map(|m| Maintenance {
        facility_annual_fraction: m.facility_annual_fraction,
        it_annual_fraction: m.it_annual_fraction,
    });
    Ok(Scenario {
        name: raw.scenario.name,
        seed: raw.scenario.seed,
        description: raw.scenario.description.unwrap_or_default(),
        finance: Finance {
            cost_of_money_annual: raw.finance.cost_of_money_annual,
            server_amortization_years: raw.finance.server_amortization_years,
            network_amortization_years,
            facility_amortization_years: raw.finance.facility_amortization_years,
        },
        facility: Facility {
            critical_power_kw: raw.facility.critical_power_kw,
            capex_usd: facility_capex_usd,
            power_cooling_share: raw.facility.power_cooling_share,
        },
        servers: raw
            .servers
            .into_iter()
            .zip(powers)
            .map(|(s, power)| {
                // Every SKU resolved its power, or validation stopped above.
                let power = power.unwrap_or_default();
                let (idle_power_w, peak_power_w) = (power.idle_w(), power.peak_w());
                ServerSku {
                    power_curve: server_power_curve(&s, idle_power_w, peak_power_w),
                    name: s.name,
                    count: s.count,
                    price_usd: s.price_usd,
                    idle_power_w,
                    peak_power_w,
                    cores: s.cores,
                    threads_per_core: s.threads_per_core,
                    memory_gib: s.memory_gib,
                    work_rate: s.work_rate,
                    psu: s
                        .psu
                        .and_then(|level| PsuCurve::eighty_plus(level.as_str()))
                        .map(|curve| Psu { curve, rating_w: s.psu_rating_w.unwrap_or(1.25 * peak_power_w) }),
                    embodied_kgco2e: s.embodied_kgco2e,
                    accelerators: power.accelerators,
                }
            })
            .collect(),
        network,
        energy: Energy {
            price_usd_per_kwh: raw.energy.price_usd_per_kwh,
            price_usd_per_kwh_by_hour,
            average_load_fraction,
            pue,
        },
        people,
        maintenance: maintenance.unwrap_or_default(),
        mean_cpu_utilization: utilization.mean_cpu_fraction,
        utilization,
        physics,
        plan,
        workload,
        telemetry,
        reliability,
        notes,
        carbon_aware,
        carbon_market,
        training,
        document: document.clone(),
    })
}

/// The keys a SKU's `power_model` needs and those it has no use for:
/// `table` needs `power_table_w`, `power` needs `power_exponent`, `fwb`'s
/// exponent must exceed 1 (below, `2u − u^r` dips under idle power at low
/// load), and the other models have no exponent.
fn server_power_model(p: &mut Problems<'_>, i: usize, sku: &RawServerSku) {
    let field = |key: &str| format!("servers[{i}].{key}");
    let model = sku.power_model;
    if model == PowerModel::Table && sku.power_table_w.is_none() {
        p.add(&field("power_table_w"), "`power_model = \"table\"` needs `power_table_w` (11 numbers)", None);
    }
    if model != PowerModel::Table && sku.power_table_w.is_some() {
        p.add(
            &field("power_table_w"),
            format!(
                "`power_table_w` is read only with `power_model = \"table\"`, but power_model is \"{model}\""
            ),
            Some("add power_model = \"table\" to use the table, or remove it"),
        );
    }
    match (model, sku.power_exponent) {
        (PowerModel::Power, None) => p.add(
            &format!("servers[{i}]"),
            "missing key `power_exponent`: power_model \"power\" is u^power_exponent",
            None,
        ),
        (PowerModel::Fwb, Some(r)) if r <= 1.0 => p.add(
            &field("power_exponent"),
            format!("expected r of the Fan–Weber–Barroso curve above 1, found {r}"),
            Some("Fan, Weber and Barroso (ISCA 2007) fit r = 1.4; use power_model = \"power\" for a concave curve"),
        ),
        (_, Some(_)) if !model.takes_exponent() => p.add(
            &field("power_exponent"),
            format!("power_model \"{model}\" has no exponent (use \"power\" or \"fwb\")"),
            None,
        ),
        _ => {}
    }
}

/// A SKU's power: its host's idle and peak (the whole server's without
/// accelerators) and its accelerators.
#[derive(Debug, Clone, Copy, Default)]
struct ServerPower {
    host_idle_w: f64,
    host_peak_w: f64,
    accelerators: Option<AcceleratorServer>,
}

impl ServerPower {
    fn idle_w(&self) -> f64 {
        self.accelerators.map_or(self.host_idle_w, |a| a.idle_w())
    }

    fn peak_w(&self) -> f64 {
        self.accelerators.map_or(self.host_peak_w, |a| a.peak_w())
    }
}

/// A server's power from its keys and its `[servers.accelerators]` (keys
/// given replace the preset's); None, with the problem, when a figure is
/// missing. Missing SKU keys are reported by [`server_power_keys`].
fn server_power(p: &mut Problems<'_>, i: usize, sku: &RawServerSku) -> Option<ServerPower> {
    let Some(acc) = &sku.accelerators else {
        return Some(ServerPower {
            host_idle_w: sku.idle_power_w?,
            host_peak_w: sku.peak_power_w?,
            accelerators: None,
        });
    };
    let preset = acc.preset.and_then(|name| accelerators::preset(name.as_str())).map(|p| p.server);
    let mut missing = |key: &str, value: Option<f64>| {
        if value.is_none() {
            p.add(
                &format!("servers[{i}].accelerators"),
                format!("missing key `{key}`: give it, or a built-in `preset`"),
                Some("e.g. preset = \"dgx-h100\""),
            );
        }
        value
    };
    let count = missing("count", acc.count.or(preset.map(|s| s.accelerators)).map(|n| n as f64));
    let idle = missing("idle_power_w", acc.idle_power_w.or(preset.map(|s| s.accelerator_idle_w)));
    let tdp = missing("tdp_w", acc.tdp_w.or(preset.map(|s| s.accelerator_tdp_w)));
    if sku.power_model == PowerModel::Table {
        p.add(
            &format!("servers[{i}].power_model"),
            "a table gives the whole server's watts: with accelerators use a curve (`linear`, `fwb`, `power`...)",
            None,
        );
    }
    if let (Some(idle), Some(tdp)) = (idle, tdp)
        && idle > tdp
    {
        p.add(
            &format!("servers[{i}].accelerators.idle_power_w"),
            format!("idle power {idle} W is above the TDP {tdp} W"),
            None,
        );
    }
    let server = AcceleratorServer {
        accelerators: count? as u64,
        accelerator_idle_w: idle?,
        accelerator_tdp_w: tdp?,
        host_idle_w: sku.idle_power_w.or(preset.map(|s| s.host_idle_w))?,
        host_peak_w: sku.peak_power_w.or(preset.map(|s| s.host_peak_w))?,
    };
    Some(ServerPower {
        host_idle_w: server.host_idle_w,
        host_peak_w: server.host_peak_w,
        accelerators: Some(server),
    })
}

/// `idle_power_w` and `peak_power_w` of every `[[servers]]` table: required
/// unless its `[servers.accelerators]` names a preset that gives them. Run on
/// the tree, so that they show with the schema's problems in one pass.
fn server_power_keys(document: &Document) -> Vec<Diagnostic> {
    let mut p = Problems::new(document);
    let Some(servers) = document.tree.get("servers").and_then(toml::Value::as_array) else { return p.out };
    for (i, sku) in servers.iter().enumerate() {
        let Some(sku) = sku.as_table() else { continue };
        let preset =
            sku.get("accelerators").and_then(toml::Value::as_table).is_some_and(|a| a.contains_key("preset"));
        for (key, what) in [("idle_power_w", "at idle"), ("peak_power_w", "at full load")] {
            if !sku.contains_key(key) && !preset {
                p.add(
                    &format!("servers[{i}]"),
                    format!("missing key `{key}` in `[servers[{i}]]`: expected a number, the power {what} in watts"),
                    Some("or give `[servers.accelerators]` a `preset`, which brings the host's power"),
                );
            }
        }
    }
    p.out
}

/// The power curve of a validated SKU from its whole-server idle and peak
/// (its keys checked by [`server_power_model`]).
fn server_power_curve(s: &RawServerSku, idle_w: f64, peak_w: f64) -> PowerCurve {
    match s.power_model {
        PowerModel::Linear => PowerCurve::Linear { idle_w, peak_w },
        PowerModel::Fwb => PowerCurve::FanWeberBarroso { idle_w, peak_w, r: s.power_exponent.unwrap_or(1.4) },
        PowerModel::Sqrt | PowerModel::Square | PowerModel::Cubic | PowerModel::Power => {
            let exponent = s.power_model.fixed_exponent().or(s.power_exponent).unwrap_or(1.0);
            PowerCurve::Power { idle_w, peak_w, exponent }
        }
        PowerModel::Table => {
            let mut points_w = [0.0; 11];
            points_w.copy_from_slice(&s.power_table_w.as_deref().unwrap_or(&[0.0; 11])[..11]);
            PowerCurve::Table { points_w }
        }
    }
}

fn utilization(p: &mut Problems<'_>, raw: Option<&RawUtilization>) -> Utilization {
    let Some(u) = raw else {
        return Utilization {
            mean_cpu_fraction: None,
            profile: UtilizationProfile::Constant,
            server_spread: 0.0,
            rack_spread: 0.0,
            server_spread_method: crate::raw::SpreadMethod::Normal,
        };
    };
    let needs_mean = |p: &mut Problems<'_>| {
        if u.mean_cpu_fraction.is_none() {
            p.add(
                "utilization",
                format!("missing key `mean_cpu_fraction`: a \"{}\" profile needs its mean", u.profile),
                None,
            );
        }
    };
    let profile = match u.profile {
        ProfileShape::Constant => {
            needs_mean(p);
            UtilizationProfile::Constant
        }
        ProfileShape::Diurnal => {
            needs_mean(p);
            let mean = u.mean_cpu_fraction.unwrap_or(0.0);
            if mean - u.diurnal_amplitude < 0.0 || mean + u.diurnal_amplitude > 1.0 {
                p.add(
                    "utilization.diurnal_amplitude",
                    format!("mean {mean} ± amplitude {} leaves 0..1", u.diurnal_amplitude),
                    None,
                );
            }
            UtilizationProfile::Diurnal {
                amplitude: u.diurnal_amplitude,
                peak_hour: u.peak_hour,
                weekend_factor: u.weekend_factor,
            }
        }
        ProfileShape::Csv => {
            let path = match &u.csv {
                Some(text) => data_file(p, "utilization.csv", text),
                None => {
                    p.add("utilization", "a \"csv\" profile needs `csv` (the file)", None);
                    None
                }
            };
            UtilizationProfile::Csv {
                path: path.unwrap_or_default(),
                column: u.csv_column.clone().unwrap_or_else(|| "cpu_load".into()),
                percent: u.csv_unit == FractionUnit::Percent,
                step_s: u.csv_step_s,
            }
        }
    };
    Utilization {
        mean_cpu_fraction: u.mean_cpu_fraction,
        profile,
        server_spread: u.server_spread,
        rack_spread: u.rack_spread,
        server_spread_method: u.server_spread_method,
    }
}
