//! From raw to validated: the checks that need more than one field (either/or
//! choices, idle below peak, unique names, a fabric that fits two tiers) and
//! the resolution of choices into the enums of [`crate::model`].
//!
//! Single-field ranges (non-negative prices, PUE ≥ 1, shares in 0..1) live in
//! the schema attributes of [`crate::raw`] and are checked by [`crate::check`].

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::*;
use crate::raw::*;
use plenum_models::it_power::{PowerCurve, PsuCurve};
use std::collections::HashMap;

/// Problems found so far, located through the document.
pub(crate) struct Problems<'d> {
    pub(crate) document: &'d Document,
    pub(crate) out: Vec<Diagnostic>,
}

impl Problems<'_> {
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::new(field, message).at(self.document.locate(field, false));
        d.help = help.map(str::to_string);
        self.out.push(d);
    }
}

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
    let mut p = Problems { document, out: Vec::new() };
    let tree = &document.tree;
    let table = |name: &str| tree.get(name).and_then(toml::Value::as_table);
    if let Some(facility) = table("facility") {
        match (facility.contains_key("capex_usd"), facility.contains_key("cost_usd_per_critical_w")) {
            (true, true) => p.add("facility.capex_usd", BUILD_COST_TWICE, None),
            (false, false) => p.add("facility", BUILD_COST_MISSING, Some(BUILD_COST_HELP)),
            _ => {}
        }
    }
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
    let mut p = Problems { document, out: Vec::new() };

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

    plausibility(&mut p, &raw);

    let mut names: HashMap<&str, usize> = HashMap::new();
    for (i, sku) in raw.servers.iter().enumerate() {
        if let Some(first) = names.insert(sku.name.as_str(), i) {
            p.add(
                &format!("servers[{i}].name"),
                format!("duplicate SKU name {:?} (also servers[{first}])", sku.name),
                None,
            );
        }
        if sku.power_model == "table" && sku.power_table_w.is_none() {
            p.add(
                &format!("servers[{i}].power_table_w"),
                "`power_model = \"table\"` needs `power_table_w` (11 numbers)",
                None,
            );
        }
        if sku.power_table_w.as_ref().is_some_and(|t| t.iter().any(|w| *w < 0.0)) {
            p.add(&format!("servers[{i}].power_table_w"), "power must not be negative", None);
        }
        if !["linear", "fwb", "table"].contains(&sku.power_model.as_str()) {
            let hint = crate::check::closest(&sku.power_model, ["linear", "fwb", "table"].into_iter())
                .map(|c| format!("did you mean {c:?}?"));
            p.add(
                &format!("servers[{i}].power_model"),
                format!("expected one of \"linear\", \"fwb\", \"table\", found {:?}", sku.power_model),
                hint.as_deref(),
            );
        }
        if let Some(level) = &sku.psu
            && PsuCurve::eighty_plus(level).is_none()
        {
            p.add(&format!("servers[{i}].psu"), format!("expected an 80 PLUS level (80plus, bronze, silver, gold, platinum, titanium), found {level:?}"), None);
        }
        // A server's peak power is watts to kilowatts: the smallest servers
        // (Raspberry Pi 4 class) peak near 6 W, an 8-GPU DGX H100 at 10.2 kW
        // (NVIDIA datasheet). Outside 2 W..20 kW the unit is the likelier error.
        if sku.peak_power_w > 0.0 && sku.peak_power_w < 2.0 {
            p.add(
                &format!("servers[{i}].peak_power_w"),
                format!(
                    "expected a server's peak power in W (2 W to 20 kW), found {} W: is it in kW? \
                     {} kW is {} W",
                    sku.peak_power_w,
                    sku.peak_power_w,
                    sku.peak_power_w * 1_000.0
                ),
                None,
            );
        } else if sku.peak_power_w > 20_000.0 {
            p.add(
                &format!("servers[{i}].peak_power_w"),
                format!(
                    "expected a server's peak power in W (2 W to 20 kW), found {} W: is it in mW, \
                     or a whole rack?",
                    sku.peak_power_w
                ),
                None,
            );
        }
        if sku.idle_power_w > sku.peak_power_w {
            p.add(
                &format!("servers[{i}].idle_power_w"),
                format!("idle power {} W is above peak power {} W", sku.idle_power_w, sku.peak_power_w),
                Some("idle_power_w must not exceed peak_power_w"),
            );
        }
    }

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
    // Above 1 USD/kWh a price is almost surely in cents: the dearest US state
    // (Hawaii) averaged about 0.40 USD/kWh for commercial users in 2023 (EIA
    // Electric Power Monthly, table 5.6.A), European industry paid under 0.40
    // at the 2022 peak (Eurostat nrg_pc_205).
    let cents = |x: f64| {
        format!("expected USD per kWh (at most 1), found {x}: is it in cents? {x} cents is {} USD", x / 100.0)
    };
    if raw.energy.price_usd_per_kwh > 1.0 {
        p.add("energy.price_usd_per_kwh", cents(raw.energy.price_usd_per_kwh), None);
    }
    if let Some(x) = price_usd_per_kwh_by_hour.and_then(|h| h.into_iter().find(|x| *x > 1.0)) {
        p.add("energy.price_usd_per_kwh_by_hour", cents(x), None);
    }
    let utilization = utilization(&mut p, raw.utilization.as_ref());
    let default_servers_per_rack = match &network {
        Network::LeafSpine(d) => Some(d.servers_per_rack),
        _ => None,
    };
    let physics = match &raw.cooling {
        Some(cooling) => crate::physics::physics(&mut p, &raw, cooling, default_servers_per_rack),
        None => None,
    };

    let plan = raw.plan.as_ref().and_then(|plan| crate::plan::plan(&mut p, plan));

    let workload =
        raw.workload.as_ref().and_then(|w| crate::workload::validate(w, &mut |f, m| p.add(f, m, None))).map(
            |w| crate::workload::resolve_paths(w, &mut |f, text, kind| data_path(&mut p, f, text, kind)),
        );
    let telemetry = raw.telemetry.as_ref().and_then(|t| {
        if raw.workload.is_none() {
            p.add("telemetry", "telemetry is compared with a replay: the scenario needs a [workload]", None);
        }
        let mut t = crate::telemetry::validate(t, &mut |f, m| p.add(f, m, None))?;
        t.path = data_path(&mut p, "telemetry.path", &t.path, "file");
        Some(t)
    });
    let reliability = crate::reliability::validate(&raw, document, &mut p.out);
    let carbon_aware = raw.carbon_aware.as_ref().and_then(|c| {
        crate::carbon_aware::validate(c, raw.scenario.seed, raw.workload.is_some(), &mut |f, m| {
            p.add(f, m, None)
        })
    });
    let carbon_aware = carbon_aware.map(|mut c| {
        c.intensity_path = data_path(&mut p, "carbon_aware.intensity", &c.intensity_path, "file");
        for (i, site) in c.sites.iter_mut().enumerate() {
            site.intensity_path = data_path(
                &mut p,
                &format!("carbon_aware.sites[{i}].intensity"),
                &site.intensity_path,
                "file",
            );
        }
        c
    });
    let carbon_market = crate::carbon_market::validate(&raw, &mut |f, m| p.add(f, m, None));
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
            .map(|s| ServerSku {
                name: s.name,
                count: s.count,
                price_usd: s.price_usd,
                idle_power_w: s.idle_power_w,
                peak_power_w: s.peak_power_w,
                cores: s.cores,
                threads_per_core: s.threads_per_core,
                memory_gib: s.memory_gib,
                work_rate: s.work_rate,
                power_curve: match s.power_model.as_str() {
                    "fwb" => PowerCurve::FanWeberBarroso {
                        idle_w: s.idle_power_w,
                        peak_w: s.peak_power_w,
                        r: s.fwb_r,
                    },
                    "table" => {
                        let mut points_w = [0.0; 11];
                        points_w.copy_from_slice(&s.power_table_w.as_deref().unwrap_or(&[0.0; 11])[..11]);
                        PowerCurve::Table { points_w }
                    }
                    _ => PowerCurve::Linear { idle_w: s.idle_power_w, peak_w: s.peak_power_w },
                },
                psu: s
                    .psu
                    .as_deref()
                    .and_then(PsuCurve::eighty_plus)
                    .map(|curve| Psu { curve, rating_w: s.psu_rating_w.unwrap_or(1.25 * s.peak_power_w) }),
                embodied_kgco2e: s.embodied_kgco2e,
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
        document: document.clone(),
    })
}

/// Values that pass their schema range but are far outside what any real
/// site has, each with the unit mistake that most likely produced it.
///
/// The ranges are deliberately wide; a value outside them is an error, not a
/// warning, because every such case seen was a unit slip:
/// - a server's price: 5 USD (a single-board computer; the CEMS micro-slice
///   of `scenarios/cems-2009.toml` costs 21 USD) to 500,000 USD (an
///   8-GPU HGX H100 system lists near 300,000-400,000 USD, Supermicro and
///   Dell list prices 2024); above is a rack's price or cents;
/// - amortization years: servers 1-15, network 1-20, facility 1-60 (Barroso,
///   Hölzle and Ranganathan, "The Datacenter as a Computer", 3rd ed., 2019,
///   use 3-4 years for servers and 10-15 for facilities); above is months;
/// - idle power: 2 W to 20 kW per server, as peak power above;
/// - critical power against the servers' nameplate (count × peak power): a
///   site is built for its IT load, so critical power below a tenth of the
///   nameplate is an order of magnitude off (kW written as MW, or the
///   servers' count wrong). Milder oversubscription is a warning elsewhere.
fn plausibility(p: &mut Problems<'_>, raw: &RawScenario) {
    for (i, sku) in raw.servers.iter().enumerate() {
        if sku.price_usd > 500_000.0 {
            p.add(
                &format!("servers[{i}].price_usd"),
                format!(
                    "expected one server's price in USD (5 to 500,000), found {}: is it the price of \
                     all {} servers, a rack, or in cents?",
                    sku.price_usd, sku.count
                ),
                None,
            );
        } else if sku.price_usd > 0.0 && sku.price_usd < 5.0 {
            p.add(
                &format!("servers[{i}].price_usd"),
                format!(
                    "expected one server's price in USD (5 to 500,000), found {}: is it in thousands \
                     of USD? {} thousand USD is {} USD",
                    sku.price_usd,
                    sku.price_usd,
                    sku.price_usd * 1_000.0
                ),
                None,
            );
        }
        if sku.idle_power_w > 0.0 && sku.idle_power_w < 2.0 {
            p.add(
                &format!("servers[{i}].idle_power_w"),
                format!(
                    "expected a server's idle power in W (2 W to 20 kW), found {} W: is it in kW? \
                     {} kW is {} W",
                    sku.idle_power_w,
                    sku.idle_power_w,
                    sku.idle_power_w * 1_000.0
                ),
                None,
            );
        }
    }
    let f = &raw.finance;
    let years = [
        ("finance.server_amortization_years", Some(f.server_amortization_years), 15.0),
        ("finance.network_amortization_years", f.network_amortization_years, 20.0),
        ("finance.facility_amortization_years", Some(f.facility_amortization_years), 60.0),
    ];
    for (field, value, most) in years {
        if let Some(y) = value.filter(|y| *y > most) {
            p.add(
                field,
                format!(
                    "expected years (at most {most}), found {y}: is it in months? {y} months is {:.1} years",
                    y / 12.0
                ),
                None,
            );
        }
    }
    let nameplate_kw: f64 = raw.servers.iter().map(|s| s.count as f64 * s.peak_power_w / 1_000.0).sum();
    let critical_kw = raw.facility.critical_power_kw;
    // Only when the servers' peak power itself is plausible (else that is the error).
    let peaks_plausible = raw.servers.iter().all(|s| (2.0..=20_000.0).contains(&s.peak_power_w));
    if peaks_plausible && critical_kw > 0.0 && critical_kw * 10.0 < nameplate_kw {
        let servers: u64 = raw.servers.iter().map(|s| s.count).sum();
        p.add(
            "facility.critical_power_kw",
            format!(
                "critical power {critical_kw} kW is under a tenth of the servers' nameplate \
                 ({servers} servers, {nameplate_kw:.0} kW at peak): an order of magnitude off. \
                 Is it in MW ({critical_kw} MW is {} kW), or is a server count wrong?",
                critical_kw * 1_000.0
            ),
            Some("critical power is the IT load the building's power chain delivers, usually near the servers' nameplate"),
        );
    }
}

fn utilization(p: &mut Problems<'_>, raw: Option<&RawUtilization>) -> Utilization {
    let Some(u) = raw else {
        return Utilization {
            mean_cpu_fraction: None,
            profile: UtilizationProfile::Constant,
            server_spread: 0.0,
            rack_spread: 0.0,
        };
    };
    let needs_mean = |p: &mut Problems<'_>| {
        if u.mean_cpu_fraction.is_none() {
            p.add(
                "utilization",
                format!("missing key `mean_cpu_fraction`: a {:?} profile needs its mean", u.profile),
                None,
            );
        }
    };
    let profile = match u.profile.as_str() {
        "constant" => {
            needs_mean(p);
            UtilizationProfile::Constant
        }
        "diurnal" => {
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
        "csv" => {
            let path = match &u.csv {
                Some(text) => crate::physics::data_file(p, "utilization.csv", text),
                None => {
                    p.add("utilization", "a \"csv\" profile needs `csv` (the file)", None);
                    None
                }
            };
            let percent = match u.csv_unit.as_str() {
                "fraction" => false,
                "percent" => true,
                other => {
                    p.add(
                        "utilization.csv_unit",
                        format!("expected \"fraction\" or \"percent\", found {other:?}"),
                        None,
                    );
                    false
                }
            };
            UtilizationProfile::Csv {
                path: path.unwrap_or_default(),
                column: u.csv_column.clone().unwrap_or_else(|| "cpu_load".into()),
                percent,
                step_s: u.csv_step_s,
            }
        }
        other => {
            let hint = crate::check::closest(other, ["constant", "diurnal", "csv"].into_iter())
                .map(|c| format!("did you mean {c:?}?"));
            p.add(
                "utilization.profile",
                format!("expected one of \"constant\", \"diurnal\", \"csv\", found {other:?}"),
                hint.as_deref(),
            );
            UtilizationProfile::Constant
        }
    };
    Utilization {
        mean_cpu_fraction: u.mean_cpu_fraction,
        profile,
        server_spread: u.server_spread,
        rack_spread: u.rack_spread,
    }
}

/// Resolve a data path named at `field` against the scenario's folder and
/// check it is a `kind` ("file", "folder" or "file or folder"). A path whose
/// `${VAR}` is not set is left as written, unchecked: the scenario validates
/// without the data, and reading it later says which variable is missing.
fn data_path(p: &mut Problems<'_>, field: &str, text: &str, kind: &str) -> String {
    let Ok(path) = crate::physics::resolve_path(text, p.document) else { return text.to_string() };
    let problem = if !path.exists() {
        Some(format!("file not found: {}", path.display()))
    } else if kind == "file" && !path.is_file() {
        Some(format!("{} is a directory, expected a file", path.display()))
    } else if kind == "folder" && !path.is_dir() {
        Some(format!("{} is a file, expected a folder", path.display()))
    } else {
        None
    };
    if let Some(message) = problem {
        p.add(field, message, None);
    }
    path.to_string_lossy().into_owned()
}
