//! The simulated facility year: conservation of energy, the climate ordering
//! of PUE, the ranges of modern and legacy designs, aggregation of peaks, and
//! determinism across thread counts.

use plenum_engine::{ColumnValues, Inputs, Results};
use plenum_scenario::Scenario;
use proptest::prelude::*;
use toml::Value;

/// The default site scaled down to 4,600 servers (800 kW) so tests are quick;
/// loading fractions stay those of the default.
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

fn column<'a>(r: &'a Results, name: &str) -> &'a [f64] {
    let table = r.tables.iter().find(|t| t.name == "hourly").expect("hourly table");
    match &table.column(name).unwrap_or_else(|| panic!("column {name}")).values {
        ColumnValues::F64(v) => v,
        _ => panic!("{name} is not f64"),
    }
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn pue(site: &str, preset: &str) -> (f64, u64) {
    let r = run(&small(&[
        ("site.climate", text(site)),
        ("cooling.preset", text(preset)),
        ("power_chain.preset", text(preset)),
    ]));
    let f = r.facility.unwrap();
    (f.pue.annual, f.cooling.economizer_hours)
}

#[test]
fn phoenix_is_worse_than_seattle() {
    let (phoenix_pue, phoenix_hours) = pue("phoenix", "modern");
    let (seattle_pue, seattle_hours) = pue("seattle", "modern");
    assert!(phoenix_pue > seattle_pue, "{phoenix_pue} vs {seattle_pue}");
    assert!(seattle_hours > phoenix_hours, "{seattle_hours} vs {phoenix_hours}");
}

#[test]
fn modern_and_legacy_designs_land_in_their_ranges_at_every_site() {
    for site in plenum_models::climate::site_keys() {
        let (modern, _) = pue(site, "modern");
        assert!((1.1..=1.4).contains(&modern), "modern at {site}: {modern}");
        let (legacy, hours) = pue(site, "legacy");
        assert!((1.5..=2.0).contains(&legacy), "legacy at {site}: {legacy}");
        assert_eq!(hours, 0, "legacy has no economizer");
    }
}

#[test]
fn aggregation_lowers_the_peak_fraction() {
    // Fan et al. 2007: racks peak closer to nameplate than PDUs, PDUs than the site.
    let r = run(&small(&[]));
    let o = r.facility.unwrap().oversubscription;
    assert!(o.rack_peak_fraction > o.pdu_peak_fraction, "{o:?}");
    assert!(o.pdu_peak_fraction >= o.site_peak_fraction, "{o:?}");
    assert!((o.budget_headroom_fraction - (o.budget_kw / o.percentile_it_kw - 1.0)).abs() < 1e-12);
    // The whole chain (stages carry losses, the plant its heat) leaves less room than the budget.
    assert!(o.headroom_fraction < o.budget_headroom_fraction, "{o:?}");
}

#[test]
fn same_results_on_one_and_two_threads() {
    let scenario = small(&[]);
    let digest = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let r = pool.install(|| run(&scenario));
        let facility: Vec<u64> = column(&r, "facility_power_kw").iter().map(|x| x.to_bits()).collect();
        (facility, serde_json::to_string(&r.summary()).unwrap())
    };
    assert_eq!(digest(1), digest(2));
}

#[test]
fn energy_cost_and_carbon_follow_the_hours() {
    let r = run(&small(&[(
        "energy.price_usd_per_kwh_by_hour",
        Value::Array((0..24).map(|h| Value::Float(if h < 12 { 0.05 } else { 0.10 })).collect()),
    )]));
    let facility = column(&r, "facility_power_kw");
    let expected: f64 =
        facility.iter().enumerate().map(|(h, kw)| kw * if h % 24 < 12 { 0.05 } else { 0.10 }).sum();
    let f = r.facility.as_ref().unwrap();
    assert!((f.energy.cost_usd / expected - 1.0).abs() < 1e-12);
    assert!((r.cost.monthly_usd.energy - f.energy.cost_usd / 12.0).abs() < 1e-6);
    let carbon: f64 = column(&r, "carbon_kg").iter().sum();
    assert!((f.carbon.operational_t * 1_000.0 / carbon - 1.0).abs() < 1e-12);
    assert!(f.carbon.embodied_t > 0.0);
}

fn variant() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(plenum_models::climate::site_keys()),
        prop::sample::select(vec!["modern", "legacy"]),
        prop::sample::select(vec!["modern", "legacy"]),
        prop::sample::select(vec!["none", "air_side", "water_side"]),
        0.05..0.9f64,
        0.0..0.1f64,
        0.0..0.2f64,
        100u64..3_000,
        (
            prop::option::of((
                prop::sample::select(vec!["W17", "W27", "W32", "W40", "W45", "W+"]),
                0.0..1.0f64,
            )),
            prop::sample::select(vec!["dry_cooler", "adiabatic", "cooling_tower"]),
        ),
    )
        .prop_map(
            |(site, chain, cooling, economizer, mean, rack, server, count, (liquid, rejection))| {
                let liquid = liquid.map(|(class, captured)| {
                    let mut t = toml::Table::new();
                    t.insert("class".into(), text(class));
                    t.insert("captured_share".into(), Value::Float(captured));
                    t.insert("heat_rejection".into(), text(rejection));
                    ("cooling.liquid", Value::Table(t))
                });
                small(
                    &[
                        ("site.climate", text(site)),
                        ("power_chain.preset", text(chain)),
                        ("cooling.preset", text(cooling)),
                        ("cooling.economizer", text(economizer)),
                        ("utilization.profile", text("constant")),
                        ("utilization.mean_cpu_fraction", Value::Float(mean)),
                        ("utilization.rack_spread", Value::Float(rack)),
                        ("utilization.server_spread", Value::Float(server)),
                        ("servers[0].count", Value::Integer(count as i64)),
                    ]
                    .into_iter()
                    .chain(liquid)
                    .collect::<Vec<_>>(),
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Energy is conserved at every step: facility = IT + losses + cooling
    /// (air and liquid plants) + other; with a liquid plant its parts add up
    /// to its share of the cooling and it rejects its heat plus its work.
    #[test]
    fn energy_is_conserved_every_hour(s in variant()) {
        let r = run(&s);
        let f = r.facility.as_ref().unwrap();
        let table = r.tables.iter().find(|t| t.name == "hourly").unwrap();
        let losses: Vec<f64> = (0..8_760)
            .map(|h| {
                f.power_chain.iter().map(|(name, _)| match &table.column(&format!("{name}_loss_kw")).unwrap().values {
                    ColumnValues::F64(v) => v[h],
                    _ => unreachable!(),
                }).sum()
            })
            .collect();
        let (it, cooling, other, facility) =
            (column(&r, "it_power_kw"), column(&r, "cooling_kw"), column(&r, "other_kw"), column(&r, "facility_power_kw"));
        for h in 0..8_760 {
            let parts = it[h] + losses[h] + cooling[h] + other[h];
            prop_assert!((facility[h] - parts).abs() <= 1e-9 * facility[h], "hour {}: {} vs {}", h, facility[h], parts);
            prop_assert!(facility[h].is_finite() && facility[h] > 0.0);
        }
        if let Some(l) = &f.cooling.liquid {
            let (air_parts, heat, rejected) = (
                ["chillers_kw", "fans_kw", "pumps_kw", "towers_kw"].map(|c| column(&r, c)),
                column(&r, "liquid_heat_kw"),
                column(&r, "heat_rejected_kw"),
            );
            let liquid_parts = ["cdu_pumps_kw", "facility_pumps_kw", "rejection_fans_kw", "liquid_chillers_kw"].map(|c| column(&r, c));
            for h in 0..8_760 {
                let air: f64 = air_parts.iter().map(|c| c[h]).sum();
                let liquid: f64 = liquid_parts.iter().map(|c| c[h]).sum();
                prop_assert!((cooling[h] - air - liquid).abs() <= 1e-9 * cooling[h].max(1.0), "hour {}", h);
                let work = liquid_parts[0][h] + liquid_parts[1][h] + liquid_parts[3][h];
                prop_assert!((rejected[h] - heat[h] - work).abs() <= 1e-9 * rejected[h].max(1.0), "hour {}", h);
            }
            prop_assert!((0.0..=1.0).contains(&l.captured_share), "{}", l.captured_share);
        }
        let e = &f.energy;
        prop_assert!((e.facility_mwh - (e.it_mwh + e.losses_mwh + e.cooling_mwh + e.other_mwh)).abs() <= 1e-9 * e.facility_mwh);
        prop_assert!(f.pue.annual >= 1.0 && f.pue.min_hourly <= f.pue.annual && f.pue.annual <= f.pue.max_hourly);
    }
}

/// The `normal` server-spread method (a run of a rack's servers drawn as one
/// normal total with its exact mean and variance) against the exact
/// per-server path, with and without PSUs. The bounds are those documented
/// in `plenum_engine::facility` (hours.rs, `run_power_normal_w`), for this
/// 4,600-server site: energy differs only by sampling noise (relative
/// standard deviation under 1e-5 here, bound 2e-4); an hour's IT power by
/// the noise of 115 racks' totals (about 8e-4 of it, one standard deviation,
/// bound 5e-3 on the largest of 8,760 hours); rack peaks by a fraction of a
/// rack's hourly standard deviation (bound 0.5% of the nameplate fraction),
/// PDU and site peaks, which average 20 racks or more, by less (bound 0.1%).
/// Measured here: energy 8e-6, rack peak 6e-4, PDU and site peaks 3e-4, the
/// largest hourly difference 3.3e-3.
#[test]
fn normal_spread_agrees_with_exact() {
    for psu in [None, Some("gold")] {
        let mut normal_set = vec![];
        if let Some(level) = psu {
            normal_set.push(("servers[0].psu", text(level)));
        }
        // `normal` is the default; `exact` is the switch that keeps every server.
        let mut exact_set = normal_set.clone();
        exact_set.push(("utilization.server_spread_method", text("exact")));
        let (exact, normal) = (run(&small(&exact_set)), run(&small(&normal_set)));
        let (e, n) = (exact.facility.as_ref().unwrap(), normal.facility.as_ref().unwrap());
        let relative = |a: f64, b: f64| (a / b - 1.0).abs();
        let checks = [
            ("it_mwh", e.energy.it_mwh, n.energy.it_mwh, 2e-4),
            ("facility_mwh", e.energy.facility_mwh, n.energy.facility_mwh, 2e-4),
            ("pue", e.pue.annual, n.pue.annual, 2e-4),
            (
                "rack_peak_fraction",
                e.oversubscription.rack_peak_fraction,
                n.oversubscription.rack_peak_fraction,
                5e-3,
            ),
            (
                "pdu_peak_fraction",
                e.oversubscription.pdu_peak_fraction,
                n.oversubscription.pdu_peak_fraction,
                1e-3,
            ),
            (
                "site_peak_fraction",
                e.oversubscription.site_peak_fraction,
                n.oversubscription.site_peak_fraction,
                1e-3,
            ),
            (
                "percentile_it_kw",
                e.oversubscription.percentile_it_kw,
                n.oversubscription.percentile_it_kw,
                1e-3,
            ),
        ];
        for (name, a, b, bound) in checks {
            eprintln!("{psu:?} {name}: exact {a}, normal {b}, relative difference {:.2e}", relative(a, b));
            assert!(relative(a, b) <= bound, "{psu:?} {name}: exact {a}, normal {b}, bound {bound}");
        }
        if psu.is_some() {
            let (a, b) = (e.energy.psu_losses_mwh.unwrap(), n.energy.psu_losses_mwh.unwrap());
            eprintln!("{psu:?} psu_losses_mwh: exact {a}, normal {b}, {:.2e}", relative(a, b));
            assert!(relative(a, b) <= 2e-4, "psu losses: exact {a}, normal {b}");
        }
        let worst_hour = column(&exact, "it_power_kw")
            .iter()
            .zip(column(&normal, "it_power_kw"))
            .map(|(a, b)| relative(*a, *b))
            .fold(0.0, f64::max);
        eprintln!("{psu:?} largest hourly IT difference {worst_hour:.2e}");
        assert!(worst_hour <= 5e-3, "{psu:?}: an hour's IT power differs by {worst_hour}");
        // Not the same numbers: the approximation is really in use.
        assert_ne!(e.energy.it_mwh, n.energy.it_mwh);
    }
}

/// Under the `normal` method (the default), runs of fewer than
/// `NORMAL_MIN_RUN_SERVERS` servers are still simulated server by server:
/// racks of 8 give the exact method's year to the bit, racks of 40 do not.
#[test]
fn normal_keeps_short_runs_exact() {
    const { assert!(8 < plenum_engine::facility::NORMAL_MIN_RUN_SERVERS) };
    for (per_rack, same) in [(8, true), (40, false)] {
        let rack = ("network.leaf_spine.servers_per_rack", Value::Integer(per_rack));
        let normal = run(&small(std::slice::from_ref(&rack)));
        let exact = run(&small(&[rack, ("utilization.server_spread_method", text("exact"))]));
        let (n, e) = (normal.facility.as_ref().unwrap(), exact.facility.as_ref().unwrap());
        assert_eq!(n.energy.it_mwh == e.energy.it_mwh, same, "racks of {per_rack}");
        assert_eq!(
            column(&normal, "it_power_kw") == column(&exact, "it_power_kw"),
            same,
            "racks of {per_rack}"
        );
        if same {
            assert_eq!(n.oversubscription.rack_peak_fraction, e.oversubscription.rack_peak_fraction);
        }
    }
}
