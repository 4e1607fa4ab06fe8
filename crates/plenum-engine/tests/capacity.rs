//! Capacity advice acted on: adding `oversubscription.extra_servers` servers
//! keeps every power-chain stage, the critical-power budget and the cooling
//! plant at or under 100% at the stated percentile; a few percent more takes
//! the binding limit over.

use plenum_engine::{ColumnValues, Inputs, Results};
use plenum_models::quantile;
use plenum_scenario::Scenario;
use toml::Value;

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

fn with(base: &Scenario, values: &[(&str, Value)]) -> Scenario {
    base.with_values(values).unwrap_or_else(|e| panic!("{e}"))
}

fn column<'a>(r: &'a Results, name: &str) -> &'a [f64] {
    let table = r.tables.iter().find(|t| t.name == "hourly").expect("hourly table");
    match &table.column(name).unwrap_or_else(|| panic!("column {name}")).values {
        ColumnValues::F64(v) => v,
        _ => panic!("{name} is not f64"),
    }
}

/// Nearest-rank percentile, as the summary states it.
fn percentile(values: &[f64], p: f64) -> f64 {
    quantile::nearest_rank(&quantile::sorted(values), p / 100.0).expect("an hourly year")
}

/// Every limit's loading at percentile `p`, read from the hourly table (not
/// from the advice's own figures): each stage's `_loading`, IT power over
/// critical power, heat (IT plus the losses of stages that do not feed the
/// plant) over the plant's design heat.
fn limits(r: &Results, scenario: &Scenario, p: f64) -> Vec<(String, f64)> {
    let year = r.facility.as_ref().unwrap();
    let physics = scenario.physics.as_ref().unwrap();
    let mut out: Vec<(String, f64)> = year
        .power_chain
        .iter()
        .map(|(name, _)| (name.clone(), percentile(column(r, &format!("{name}_loading")), p)))
        .collect();
    let it = column(r, "it_power_kw");
    let critical = scenario.facility.critical_power_kw;
    out.push(("critical_power".into(), percentile(&it.iter().map(|x| x / critical).collect::<Vec<_>>(), p)));
    let mut heat = it.to_vec();
    for spec in physics.power_chain.stages.iter().filter(|s| !s.feeds_mechanical) {
        for (h, loss) in heat.iter_mut().zip(column(r, &format!("{}_loss_kw", spec.name))) {
            *h += loss;
        }
    }
    let design = year.cooling.design_heat_kw;
    out.push(("cooling_plant".into(), percentile(&heat.iter().map(|x| x / design).collect::<Vec<_>>(), p)));
    out
}

/// Follow the advice of `base` (adding servers to its only SKU), then add 3%
/// more, and check both runs against every limit.
fn act_on_advice(base: &Scenario, expected_binding: Option<&str>) {
    let p = base.physics.as_ref().unwrap().power_chain.oversubscription_percentile;
    let advice = run(base).facility.unwrap().oversubscription;
    let installed = base.server_count();
    let extra = advice.extra_servers.expect("a limit binds");
    assert!(extra > 0, "the base design has room: {advice:?}");
    if let Some(binding) = expected_binding {
        assert_eq!(advice.binding_stage, binding, "{advice:?}");
    }
    let count = |n: u64| with(base, &[("servers[0].count", Value::Integer(n as i64))]);

    let followed = count(installed + extra);
    let r = run(&followed);
    for (limit, loading) in limits(&r, &followed, p) {
        assert!(loading <= 1.0, "with {extra} more servers {limit} is at {loading} at p{p}");
    }
    assert!(r.warnings.is_empty() || p < 100.0, "{:?}", r.warnings);

    let beyond = count(((installed + extra) as f64 * 1.03) as u64);
    let r = run(&beyond);
    let over = limits(&r, &beyond, p);
    let binding = over.iter().find(|(name, _)| *name == advice.binding_stage).expect("binding limit listed");
    assert!(binding.1 > 1.0, "3% beyond the advice, {} is still at {} ({over:?})", binding.0, binding.1);
}

#[test]
fn the_default_site_advice_keeps_every_stage_within_its_rating() {
    // On main this advice (budget only, 9,098 servers) put the UPS at 104% and
    // the transformer at 107% of their N rating.
    act_on_advice(&Scenario::embedded_default(), Some("transformer"));
}

#[test]
fn a_legacy_2n_chain_at_the_99th_percentile() {
    let base = with(
        &Scenario::embedded_default(),
        &[
            ("servers[0].count", Value::Integer(4_600)),
            ("facility.critical_power_kw", Value::Float(800.0)),
            ("power_chain.preset", Value::String("legacy".into())),
            ("cooling.preset", Value::String("legacy".into())),
            ("power_chain.oversubscription_percentile", Value::Float(99.0)),
        ],
    );
    act_on_advice(&base, None);
}

#[test]
fn the_cooling_plant_can_bind() {
    // The default site scaled to 800 kW with a plant designed for 760 kW of heat.
    let base = with(
        &Scenario::embedded_default(),
        &[
            ("servers[0].count", Value::Integer(4_600)),
            ("facility.critical_power_kw", Value::Float(800.0)),
            ("cooling.design_heat_kw", Value::Float(760.0)),
        ],
    );
    act_on_advice(&base, Some("cooling_plant"));
}

#[test]
fn the_critical_budget_can_bind() {
    // Only rack wiring (no site stage) and a plant with room: the budget binds.
    let base = with(
        &Scenario::embedded_default(),
        &[
            ("servers[0].count", Value::Integer(4_600)),
            ("facility.critical_power_kw", Value::Float(800.0)),
            ("cooling.design_heat_kw", Value::Float(2_000.0)),
        ],
    );
    let mut document = base.document.clone();
    let stage: toml::Table =
        toml::from_str("name = \"rack_wiring\"\nlevel = \"rack\"\nsquare_loss = 0.01").unwrap();
    document
        .set_value(
            &plenum_scenario::document::parse_path("power_chain.stages").unwrap(),
            Value::Array(vec![Value::Table(stage)]),
        )
        .unwrap();
    let base = Scenario::from_document(document).unwrap_or_else(|e| panic!("{e}"));
    act_on_advice(&base, Some("critical_power"));
}

#[test]
fn an_overloaded_design_has_no_room_and_says_what_binds() {
    let base = with(&Scenario::embedded_default(), &[("facility.critical_power_kw", Value::Float(6_000.0))]);
    let o = run(&base).facility.unwrap().oversubscription;
    assert_eq!(o.extra_servers, Some(0));
    assert!(o.headroom_fraction < 0.0, "{o:?}");
    assert!(o.max_servers.unwrap() < base.server_count());
    assert!(["transformer", "ups"].contains(&o.binding_stage.as_str()), "{o:?}");
}
