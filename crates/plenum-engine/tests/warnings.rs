//! Infeasible designs still run, and say so: one test per warning code, each
//! naming the scenario field at fault, and none on the shipped default.

use plenum_engine::{Inputs, Results, Warning};
use plenum_scenario::Scenario;
use toml::Value;

/// The default site scaled down to 4,600 servers (800 kW).
fn small(overrides: &[(&str, Value)]) -> Scenario {
    let mut values: Vec<(&str, Value)> = vec![
        ("servers[0].count", Value::Integer(4_600)),
        ("facility.critical_power_kw", Value::Float(800.0)),
    ];
    values.extend(overrides.iter().cloned());
    Scenario::embedded_default().with_values(&values).unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

fn with_code<'a>(r: &'a Results, code: &str) -> Vec<&'a Warning> {
    r.warnings.iter().filter(|w| w.code == code).collect()
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

#[test]
fn the_default_scenario_has_no_warning() {
    let r = run(&Scenario::embedded_default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        r.summary().to_value()["warnings"],
        serde_json::json!([]),
        "the summary always carries the list"
    );
}

#[test]
fn a_stage_over_its_rating_is_flagged() {
    // 690 kW of critical power under a fleet that peaks near 670 kW of IT: the N
    // transformer, sized for 690 kW plus cooling, is over.
    let r = run(&small(&[("facility.critical_power_kw", Value::Float(690.0))]));
    let w = with_code(&r, "stage_over_rating");
    assert!(w.iter().any(|w| w.message.starts_with("stage transformer")), "{:?}", r.warnings);
    assert!(w.iter().all(|w| w.field == "facility.critical_power_kw"), "{w:?}");
    let json = r.summary().to_value();
    let first = &json["warnings"][0];
    assert!(first["code"].is_string() && first["message"].is_string() && first["field"].is_string());
}

#[test]
fn a_stated_stage_capacity_is_the_field_at_fault() {
    let s = Scenario::from_toml_str(
        &Scenario::embedded_default().document.source.replace(
            "racks_per_pdu = 20\n",
            "racks_per_pdu = 20\n\n[[power_chain.stages]]\nname = \"busway\"\nlevel = \"site\"\n\
             capacity_kw = 6000\nsquare_loss = 0.005\n",
        ),
        "busway.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&s);
    let w = with_code(&r, "stage_over_rating");
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert_eq!(w[0].field, "power_chain.stages[0].capacity_kw");
}

#[test]
fn redundancy_used_at_peak_is_flagged() {
    // The UPS is N+1 of 1 MW modules: 6,500 kW needs 7 (+1 spare, 7,428 kW
    // installed); the default's peak (about 6.9 MW at the UPS) uses the spare.
    let r = run(&Scenario::embedded_default()
        .with_values(&[("facility.critical_power_kw", Value::Float(6_500.0))])
        .unwrap());
    let w = with_code(&r, "redundancy_lost");
    assert!(w.iter().any(|w| w.message.starts_with("stage ups (N+1)")), "{:?}", r.warnings);
    assert!(with_code(&r, "stage_over_rating").iter().all(|w| !w.message.starts_with("stage ups")));
}

#[test]
fn it_above_critical_power_is_flagged() {
    let r = run(&small(&[("facility.critical_power_kw", Value::Float(600.0))]));
    let w = with_code(&r, "it_over_critical_power");
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert_eq!(w[0].field, "facility.critical_power_kw");
    assert!(w[0].message.contains("600 kW"), "{}", w[0].message);
}

#[test]
fn heat_above_the_plant_is_flagged() {
    let r = run(&small(&[("cooling.design_heat_kw", Value::Float(600.0))]));
    let w = with_code(&r, "cooling_over_capacity");
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert_eq!(w[0].field, "cooling.design_heat_kw");
}

#[test]
fn nameplate_above_critical_power_without_a_year_is_flagged() {
    // Hamilton's 2010 site: 45,978 servers of 174 W are 8,000.17 kW against 8,000.
    let s = plenum_scenario::embedded::load("hamilton-2010").unwrap();
    let r = run(&s);
    let w = with_code(&r, "nameplate_over_critical_power");
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert!(w[0].message.contains("8000.2 kW") && w[0].message.contains("8000.0 kW"), "{}", w[0].message);
    // With a simulated year the peak is checked instead: the default's nameplate
    // (8,372 kW) is above 8,000 kW, its peak is not.
    assert!(with_code(&run(&Scenario::embedded_default()), "nameplate_over_critical_power").is_empty());
}

#[test]
fn a_climate_in_another_region_than_its_grid_is_flagged() {
    let r = run(&small(&[("site.grid", text("sg"))]));
    let w = with_code(&r, "climate_grid_mismatch");
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert_eq!(w[0].field, "site.grid");
    // The same region from two sources is no mismatch.
    let r = run(&small(&[("site.grid", text("us-mida-pjm"))]));
    assert!(with_code(&r, "climate_grid_mismatch").is_empty(), "{:?}", r.warnings);
}

#[test]
fn every_code_is_listed() {
    for code in plenum_engine::warnings::CODES {
        assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code}");
    }
}
