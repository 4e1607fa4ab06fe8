//! Plausibility: values that pass their schema range but lie far outside what
//! any real site has, each reported with the unit mistake that most likely
//! produced it ("is it in kW?", "is it in months?").
//!
//! The checks read numbers straight from the document tree, so they run both
//! after a clean schema check and beside the schema's problems: a file with a
//! wrong type and a price in cents shows both in one pass. A value the schema
//! already rejects (a negative price) is outside every range here too, so it
//! is reported once, by the schema.
//!
//! The ranges are deliberately wide; a value outside them is an error, not a
//! warning, because every such case seen was a unit slip. Their sources:
//! - a server's price: 5 USD (a single-board computer; the CEMS micro-slice
//!   of `scenarios/cems-2009.toml` costs 21 USD) to 500,000 USD (an 8-GPU
//!   HGX H100 system lists near 300,000-400,000 USD, Supermicro and Dell list
//!   prices 2024); above is a rack's price or cents;
//! - a server's power: 2 W (Raspberry Pi 4 class servers peak near 6 W) to
//!   20 kW (an 8-GPU DGX H100 peaks at 10.2 kW, NVIDIA datasheet), idle and
//!   peak alike;
//! - a server's memory: at most 65,536 GiB (64 TiB; the largest single-system
//!   x86 machines, HPE Superdome Flex, hold up to 48 TiB); above is MiB;
//! - amortization years: servers 1-15, network 1-20, facility 1-60 (Barroso,
//!   Hölzle and Ranganathan, "The Datacenter as a Computer", 3rd ed., 2019,
//!   use 3-4 years for servers and 10-15 for facilities); above is months;
//! - a switch's power: at least 1 W (the smallest managed switches draw a few
//!   watts; a 32-port 400G spine draws near 1 kW); below is kW;
//! - build cost per critical watt: at most 100 USD/W (Hamilton's 2010 model
//!   uses 9, Barroso et al. 2019 give 9-13 USD/W for large facilities);
//!   above is USD per kW;
//! - electricity: at most 1 USD/kWh (the dearest US state, Hawaii, averaged
//!   about 0.40 USD/kWh for commercial users in 2023, EIA Electric Power
//!   Monthly table 5.6.A; European industry paid under 0.40 at the 2022 peak,
//!   Eurostat nrg_pc_205); above is cents;
//! - temperatures: supply air at most 45 °C (ASHRAE TC 9.9 class A4
//!   allowable inlet), return air at most 60 °C, chilled-water supply at most
//!   32 °C (ASHRAE liquid-cooling class W3, the warmest still served by a
//!   chiller); above is °F;
//! - a vCPU clock: 100 MHz to 10,000 MHz (server CPUs run 1-6 GHz); below is GHz;
//! - a fixed PUE: at most 4 (LBNL's benchmarking of 22 data centers measured
//!   about 1.3 to 3.0: W. Tschudi et al., "Best Practices for Data Centers:
//!   Lessons Learned from Benchmarking 22 Data Centers", ACEEE Summer Study
//!   2006; the Uptime Institute's 2023 global survey averages 1.58); 100 and
//!   above is a percentage, between 4 and 100 most often a lost decimal point
//!   (13 for 1.3). Below 1 the schema's minimum already rejects it;
//! - a link speed: a server's from 0.1 Gb/s (Fast Ethernet, the slowest
//!   server NIC still sold), an uplink's from 1 Gb/s (the slowest switch
//!   uplink), both to 1,600 Gb/s (IEEE 802.3dj, 1.6 Tb/s Ethernet, the
//!   fastest port defined); above is Mb/s, below Tb/s;
//! - critical power against the servers' nameplate (count × peak power): a
//!   site is built for its IT load, so critical power below a tenth of the
//!   nameplate is an order of magnitude off (kW written as MW, or a server
//!   count wrong). Milder oversubscription is a warning of the engine.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::problems::Problems;
use toml::{Table, Value};

/// Every plausibility problem of the document's tree.
pub(crate) fn check(document: &Document) -> Vec<Diagnostic> {
    let mut p = Problems::new(document);
    let tree = &document.tree;
    let servers: Vec<&Table> = match tree.get("servers") {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_table).collect(),
        _ => Vec::new(),
    };
    for (i, sku) in servers.iter().enumerate() {
        server(&mut p, i, sku);
    }
    let finance = table(tree, "finance");
    for (key, most) in [
        ("server_amortization_years", 15.0),
        ("network_amortization_years", 20.0),
        ("facility_amortization_years", 60.0),
    ] {
        if let Some(y) = number(finance, key).filter(|y| *y > most) {
            p.add(
                &format!("finance.{key}"),
                format!(
                    "expected years (at most {most}), found {y}: is it in months? {y} months is {:.1} years",
                    y / 12.0
                ),
                None,
            );
        }
    }
    let facility = table(tree, "facility");
    let per_kw = |x: f64| {
        format!(
            "expected a build cost in USD per W of critical power (at most 100), found {x}: is it per kW? \
             {x} USD per kW is {} USD per W",
            x / 1_000.0
        )
    };
    if let Some(x) = number(facility, "cost_usd_per_critical_w").filter(|x| *x > 100.0) {
        p.add(
            "facility.cost_usd_per_critical_w",
            per_kw(x),
            Some("Hamilton's 2010 model uses cost_usd_per_critical_w = 9.0"),
        );
    }
    critical_power(&mut p, number(facility, "critical_power_kw"), &servers);
    let energy = table(tree, "energy");
    let cents = |x: f64| {
        format!("expected USD per kWh (at most 1), found {x}: is it in cents? {x} cents is {} USD", x / 100.0)
    };
    if let Some(x) = number(energy, "price_usd_per_kwh").filter(|x| *x > 1.0) {
        p.add("energy.price_usd_per_kwh", cents(x), None);
    }
    if let Some(Value::Array(hours)) = energy.and_then(|e| e.get("price_usd_per_kwh_by_hour"))
        && let Some(x) = hours.iter().filter_map(as_number).find(|x| *x > 1.0)
    {
        p.add("energy.price_usd_per_kwh_by_hour", cents(x), None);
    }
    if let Some(Value::Array(sites)) = table(tree, "plan").and_then(|plan| plan.get("sites")) {
        for (i, site) in sites.iter().filter_map(Value::as_table).enumerate() {
            if let Some(x) = number(Some(site), "price_usd_per_kwh").filter(|x| *x > 1.0) {
                p.add(&format!("plan.sites[{i}].price_usd_per_kwh"), cents(x), None);
            }
            if let Some(x) = number(Some(site), "cost_usd_per_critical_w").filter(|x| *x > 100.0) {
                p.add(&format!("plan.sites[{i}].cost_usd_per_critical_w"), per_kw(x), None);
            }
        }
    }
    let leaf_spine = table(tree, "network").and_then(|n| table(n, "leaf_spine"));
    for key in ["tor_power_w", "spine_power_w", "border_router_power_w"] {
        if let Some(w) = number(leaf_spine, key).filter(|w| *w > 0.0 && *w < 1.0) {
            p.add(
                &format!("network.leaf_spine.{key}"),
                format!(
                    "expected a switch's power in W (at least 1), found {w} W: is it in kW? {w} kW is {} W",
                    w * 1_000.0
                ),
                None,
            );
        }
    }
    for (key, least) in [("server_link_gbps", 0.1), ("uplink_gbps", 1.0)] {
        if let Some(gbps) = number(leaf_spine, key).filter(|g| *g > 0.0 && !(least..=1_600.0).contains(g)) {
            let hint = if gbps > 1_600.0 {
                format!("is it in Mb/s? {gbps} Mb/s is {} Gb/s", gbps / 1_000.0)
            } else {
                format!("is it in Tb/s? {gbps} Tb/s is {} Gb/s", gbps * 1_000.0)
            };
            p.add(
                &format!("network.leaf_spine.{key}"),
                format!("expected a link speed in Gb/s ({least} to 1,600), found {gbps}: {hint}"),
                None,
            );
        }
    }
    if let Some(pue) = number(energy, "pue").filter(|x| *x > MOST_PUE) {
        let hint = if pue >= 100.0 {
            format!("is it a percentage? {pue}% is a PUE of {}", pue / 100.0)
        } else {
            "is a decimal point missing (1.3 written as 13)?".to_string()
        };
        p.add(
            "energy.pue",
            format!(
                "expected a PUE, facility over IT power, from 1 to {MOST_PUE} (measured sites run about \
                 1.1 to 3.0), found {pue}: {hint}"
            ),
            None,
        );
    }
    let cooling = table(tree, "cooling");
    for (key, what, most) in [
        ("supply_air_c", "supply air", 45.0),
        ("return_air_c", "return air", 60.0),
        ("chilled_water_supply_c", "chilled-water supply", 32.0),
    ] {
        if let Some(t) = number(cooling, key).filter(|t| *t > most) {
            p.add(
                &format!("cooling.{key}"),
                format!(
                    "expected a {what} temperature in °C (at most {most}), found {t}: is it in °F? \
                     {t} °F is {:.1} °C",
                    (t - 32.0) * 5.0 / 9.0
                ),
                None,
            );
        }
    }
    if let Some(mhz) = number(table(tree, "workload"), "core_mhz").filter(|m| *m < 100.0 || *m > 10_000.0) {
        let hint = if mhz < 100.0 {
            format!("is it in GHz? {mhz} GHz is {} MHz", mhz * 1_000.0)
        } else {
            format!("is it in kHz? {mhz} kHz is {} MHz", mhz / 1_000.0)
        };
        p.add(
            "workload.core_mhz",
            format!("expected a vCPU clock in MHz (100 to 10,000), found {mhz}: {hint}"),
            None,
        );
    }
    p.out
}

/// The highest plausible fixed PUE (see the module doc).
const MOST_PUE: f64 = 4.0;

/// Price, power and memory of the SKU `servers[i]`.
fn server(p: &mut Problems<'_>, i: usize, sku: &Table) {
    let field = |key: &str| format!("servers[{i}].{key}");
    // An accelerator SKU may be a rack-scale unit (a GB200 NVL72 rack is one):
    // its price and host power reach further than a server's.
    let rack_scale = sku.contains_key("accelerators");
    let (max_price, price_range) =
        if rack_scale { (10_000_000.0, "5 to 10,000,000") } else { (500_000.0, "5 to 500,000") };
    let (max_w, power_range) =
        if rack_scale { (200_000.0, "2 W to 200 kW") } else { (20_000.0, "2 W to 20 kW") };
    if let Some(price) = number(Some(sku), "price_usd") {
        if price > max_price {
            let count = number(Some(sku), "count").map_or("the".to_string(), |c| format!("all {c}"));
            p.add(
                &field("price_usd"),
                format!(
                    "expected one server's price in USD ({price_range}), found {price}: is it the price \
                     of {count} servers, a rack, or in cents?"
                ),
                None,
            );
        } else if price > 0.0 && price < 5.0 {
            p.add(
                &field("price_usd"),
                format!(
                    "expected one server's price in USD ({price_range}), found {price}: is it in \
                     thousands of USD? {price} thousand USD is {} USD",
                    price * 1_000.0
                ),
                None,
            );
        }
    }
    for (key, what) in [("idle_power_w", "idle"), ("peak_power_w", "peak")] {
        let Some(w) = number(Some(sku), key) else { continue };
        if w > 0.0 && w < 2.0 {
            p.add(
                &field(key),
                format!(
                    "expected a server's {what} power in W ({power_range}), found {w} W: is it in kW? \
                     {w} kW is {} W",
                    w * 1_000.0
                ),
                None,
            );
        } else if w > max_w {
            p.add(
                &field(key),
                format!(
                    "expected a server's {what} power in W ({power_range}), found {w} W: is it in mW, \
                     or a whole rack?"
                ),
                None,
            );
        }
    }
    if let Some(gib) = number(Some(sku), "memory_gib").filter(|g| *g > 65_536.0) {
        p.add(
            &field("memory_gib"),
            format!(
                "expected one server's memory in GiB (at most 65,536), found {gib}: is it in MiB? \
                 {gib} MiB is {} GiB",
                gib / 1_024.0
            ),
            None,
        );
    }
}

/// Critical power an order of magnitude under the servers' nameplate.
fn critical_power(p: &mut Problems<'_>, critical_kw: Option<f64>, servers: &[&Table]) {
    let Some(critical_kw) = critical_kw.filter(|kw| *kw > 0.0) else { return };
    let mut nameplate_kw = 0.0;
    let mut count = 0.0;
    for sku in servers {
        let (Some(n), Some(peak_w)) = (number(Some(sku), "count"), number(Some(sku), "peak_power_w")) else {
            return;
        };
        // Only when the peak power itself is plausible (else that is the error).
        if !(2.0..=20_000.0).contains(&peak_w) {
            return;
        }
        nameplate_kw += n * peak_w / 1_000.0;
        count += n;
    }
    if critical_kw * 10.0 < nameplate_kw {
        p.add(
            "facility.critical_power_kw",
            format!(
                "critical power {critical_kw} kW is under a tenth of the servers' nameplate \
                 ({count} servers, {nameplate_kw:.0} kW at peak): an order of magnitude off. \
                 Is it in MW ({critical_kw} MW is {} kW), or is a server count wrong?",
                critical_kw * 1_000.0
            ),
            Some("critical power is the IT load the building's power chain delivers, usually near the servers' nameplate"),
        );
    }
}

fn table<'t>(tree: &'t Table, key: &str) -> Option<&'t Table> {
    tree.get(key).and_then(Value::as_table)
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// The number at `key` of `table`, if both are there and it is a finite number.
fn number(table: Option<&Table>, key: &str) -> Option<f64> {
    table?.get(key).and_then(as_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(String, String)> {
        let document = Document::parse("t.toml", text).unwrap();
        check(&document).into_iter().map(|d| (d.field, d.message)).collect()
    }

    #[test]
    fn unit_slips_name_the_likely_unit() {
        let found = problems(
            "[facility]\ncost_usd_per_critical_w = 9000\n[cooling]\nsupply_air_c = 75\n\
             [workload]\ncore_mhz = 2.4\n[[servers]]\nmemory_gib = 262144\n",
        );
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "servers[0].memory_gib",
                "facility.cost_usd_per_critical_w",
                "cooling.supply_air_c",
                "workload.core_mhz"
            ]
        );
        assert!(found[0].1.contains("262144 MiB is 256 GiB"), "{}", found[0].1);
        assert!(found[1].1.contains("9000 USD per kW is 9 USD per W"), "{}", found[1].1);
        assert!(found[2].1.contains("75 °F is 23.9 °C"), "{}", found[2].1);
        assert!(found[3].1.contains("2.4 GHz is 2400 MHz"), "{}", found[3].1);
    }

    #[test]
    fn plan_sites_and_switches_are_checked_too() {
        let found = problems(
            "[network.leaf_spine]\ntor_power_w = 0.35\n\
             [plan]\nsites = [{ price_usd_per_kwh = 6.5 }, { cost_usd_per_critical_w = 11000 }]\n",
        );
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "plan.sites[0].price_usd_per_kwh",
                "plan.sites[1].cost_usd_per_critical_w",
                "network.leaf_spine.tor_power_w"
            ]
        );
        assert!(found[2].1.contains("0.35 kW is 350 W"), "{}", found[2].1);
    }

    #[test]
    fn pue_and_link_speeds_name_the_unit_slip() {
        let found = problems(
            "[network.leaf_spine]\nserver_link_gbps = 25000\nuplink_gbps = 0.4\n[energy]\npue = 145\n",
        );
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["network.leaf_spine.server_link_gbps", "network.leaf_spine.uplink_gbps", "energy.pue"]
        );
        assert!(found[0].1.contains("25000 Mb/s is 25 Gb/s"), "{}", found[0].1);
        assert!(found[1].1.contains("0.4 Tb/s is 400 Gb/s"), "{}", found[1].1);
        assert!(found[2].1.contains("145% is a PUE of 1.45"), "{}", found[2].1);
        let lost_point = problems("[energy]\npue = 13\n");
        assert!(lost_point[0].1.contains("decimal point"), "{}", lost_point[0].1);
        for fine in ["pue = 1.0", "pue = 3.9"] {
            assert!(problems(&format!("[energy]\n{fine}\n")).is_empty(), "{fine}");
        }
        assert!(problems("[network.leaf_spine]\nserver_link_gbps = 0.1\nuplink_gbps = 1600\n").is_empty());
        assert!(problems("[network.leaf_spine]\nserver_link_gbps = 1600\nuplink_gbps = 1\n").is_empty());
    }

    #[test]
    fn plausible_values_and_other_types_pass() {
        assert!(
            problems(
                "[facility]\ncost_usd_per_critical_w = 9\ncritical_power_kw = \"x\"\n[cooling]\nsupply_air_c = 24\n\
                 [workload]\ncore_mhz = 2400\n[[servers]]\nmemory_gib = 512\ncount = 10\npeak_power_w = 400\n"
            )
            .is_empty()
        );
    }
}
