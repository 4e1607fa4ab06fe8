//! Direct liquid cooling over a simulated year: the warm-water hall of NREL's
//! ESIF, the cold-water hall at Singapore, chiller hours against the ASHRAE
//! class at every built-in site, water use, and liquid capital in the cost.

use plenum_engine::{Inputs, Results};
use plenum_scenario::Scenario;

/// An 800 kW hall at a steady 60% load with 90% of IT heat on cold plates
/// (`extra` appends tables; `liquid` adds keys to `[cooling.liquid]`).
fn hall(site: &str, class: &str, liquid: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
base = "default"
[scenario]
name = "hall"
seed = 1
[facility]
critical_power_kw = 800
cost_usd_per_critical_w = 9.0
power_cooling_share = 0.82
[[servers]]
name = "node"
count = 4600
price_usd = 1450
idle_power_w = 100
peak_power_w = 174
cores = 8
memory_gib = 24
[utilization]
profile = "constant"
mean_cpu_fraction = 0.6
[site]
climate = "{site}"
{extra}
[cooling.liquid]
captured_share = 0.9
class = "{class}"
{liquid}
"#
    );
    Scenario::from_toml_str(&text, "hall.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// ESIF-like distribution and air side: 480 V to the racks without a UPS for
/// the HPC load (NREL, "ESIF High Performance Computing Data Center", 2014),
/// a 2016 DOE transformer and an air-cooled plant with an air-side economizer
/// for the heat the cold plates leave.
const ESIF: &str = r#"
[power_chain]
racks_per_pdu = 20
[[power_chain.stages]]
name = "transformer"
level = "site"
no_load_loss = 0.0018
square_loss = 0.0147
feeds_mechanical = true
[[power_chain.stages]]
name = "switchgear"
level = "site"
square_loss = 0.005
feeds_mechanical = true
[[power_chain.stages]]
name = "rack_wiring"
level = "rack"
square_loss = 0.01
[cooling]
preset = "modern"
heat_rejection = "air_cooled"
economizer = "air_side"
"#;

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

#[test]
fn warm_water_dry_coolers_without_chillers_reach_esif_pue_in_cool_climates() {
    let mut figures = Vec::new();
    for (site, name) in [
        ("dublin", "annual PUE, W40 dry coolers at Dublin"),
        ("stockholm", "annual PUE, W40 dry coolers at Stockholm"),
        ("chicago", "annual PUE, W40 dry coolers at Chicago"),
    ] {
        let r = run(&hall(site, "W40", "heat_rejection = \"dry_cooler\"\nchillers = false", ESIF));
        let f = r.facility.unwrap();
        let l = f.cooling.liquid.as_ref().unwrap();
        assert_eq!(l.chiller_hours, 0, "{site}");
        assert_eq!(f.water.annual_m3, 0.0, "{site}: dry coolers and an air-cooled plant use no water");
        // The issue's band: 1.03-1.10 (the reference's tolerance holds the upper end).
        assert!((1.03..=1.10).contains(&f.pue.annual), "{site}: {}", f.pue.annual);
        figures.push((name, f.pue.annual));
    }
    plenum_references::case("nrel-esif-warm-water").check(&figures);
}

#[test]
fn cold_water_at_singapore_needs_chillers_most_hours() {
    let warm = run(&hall("stockholm", "W40", "", ESIF)).facility.unwrap();
    let cold = run(&hall("singapore", "W17", "", ESIF)).facility.unwrap();
    let l = cold.cooling.liquid.as_ref().unwrap();
    assert!(l.chiller_hours > 8_760 / 2, "{}", l.chiller_hours);
    assert!(l.chillers_mwh > 0.0);
    assert!(cold.pue.annual > warm.pue.annual + 0.05, "{} vs {}", cold.pue.annual, warm.pue.annual);
}

#[test]
fn chiller_hours_fall_as_the_class_rises() {
    // Every built-in site is covered at the model level
    // (plenum-models/tests/liquid_cooling.rs); here the whole year at two.
    for site in ["ashburn", "singapore"] {
        let mut last = u64::MAX;
        for class in ["W17", "W32", "W45"] {
            let f = run(&hall(site, class, "", "")).facility.unwrap();
            let hours = f.cooling.liquid.unwrap().chiller_hours;
            assert!(hours <= last, "{site} {class}: {hours} after {last}");
            last = hours;
        }
        assert!(last < 8_760);
    }
}

#[test]
fn towers_and_pads_use_water_and_dry_coolers_do_not() {
    let water = |rejection: &str| {
        let f =
            run(&hall("dallas", "W32", &format!("heat_rejection = \"{rejection}\""), ESIF)).facility.unwrap();
        (f.water.liquid_plant_m3, f.water.wue_l_per_kwh, f.cooling.liquid.unwrap())
    };
    let (dry_m3, _, dry) = water("dry_cooler");
    let (pad_m3, _, pads) = water("adiabatic");
    let (tower_m3, tower_wue, tower) = water("cooling_tower");
    assert_eq!(dry_m3, 0.0);
    assert!(pad_m3 > 0.0 && pads.evaporative_hours > 0, "{pad_m3}");
    // Pads run only in hot hours; towers evaporate all year.
    assert!(tower_m3 > pad_m3, "{tower_m3} vs {pad_m3}");
    // Pads and towers reach cooler water than dry coolers: fewer chiller hours.
    assert!(pads.chiller_hours < dry.chiller_hours && tower.chiller_hours < dry.chiller_hours);
    // Evaporation is about heat over latent heat: 1.4-1.6 L per kWh rejected,
    // plus a third for blowdown at 4 cycles; tower WUE lands near 2 L/kWh.
    let per_kwh = tower_m3 * 1_000.0 / (tower.heat_rejection_mwh * 1_000.0);
    assert!((1.8..2.2).contains(&per_kwh), "{per_kwh}");
    assert!((1.0..2.5).contains(&tower_wue), "{tower_wue}");
}

#[test]
fn the_default_air_plant_reports_its_tower_water() {
    let r = run(&Scenario::embedded_default());
    let f = r.facility.unwrap();
    assert!(f.cooling.liquid.is_none());
    let w = &f.water;
    assert!(w.annual_m3 > 0.0 && w.liquid_plant_m3 == 0.0 && w.air_plant_m3 == w.annual_m3);
    assert!((w.annual_m3 - (w.evaporation_m3 + w.blowdown_m3)).abs() < 1e-9 * w.annual_m3);
    // The Green Grid's site WUE for evaporatively cooled sites is of the order of 1-2 L/kWh.
    assert!((0.3..2.5).contains(&w.wue_l_per_kwh), "{}", w.wue_l_per_kwh);
}

#[test]
fn liquid_capital_enters_the_cost_lines() {
    let air = run(&hall("dublin", "W40", "", ESIF).with_values(&[]).unwrap());
    let base = air.cost.monthly_usd.power_distribution_cooling;
    let liquid = air.facility.as_ref().unwrap().cooling.liquid.as_ref().unwrap();
    // 150 + 100 + 150 USD per kW of liquid design heat.
    assert!((liquid.capex_usd - 400.0 * liquid.design_heat_kw).abs() < 1e-6);
    assert_eq!(air.cost.capex_usd.liquid_cooling, Some(liquid.capex_usd));
    let dearer = run(&hall("dublin", "W40", "cdu_usd_per_kw = 1150", ESIF));
    let more = dearer.cost.monthly_usd.power_distribution_cooling;
    // 1,000 USD per kW more, amortized over 10 years at 5%.
    let payment = plenum_models::finance::monthly_payment_usd(1_000.0 * liquid.design_heat_kw, 0.05, 10.0);
    assert!((more - base - payment).abs() < 1e-6 * payment, "{more} {base} {payment}");
}
