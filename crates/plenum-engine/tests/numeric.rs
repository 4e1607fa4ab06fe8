//! Numeric care, as properties over random valid scenarios:
//!
//! - totals do not depend on the order of summation: compensated summation
//!   against an exact reference under any permutation, the year's totals
//!   against its hourly table summed forwards, backwards and by size, and the
//!   cost and IT energy of a fleet against the same fleet with its SKUs listed
//!   in another order (all within 1e-9 relative);
//! - no figure and no table cell is NaN or infinite for any valid input, over
//!   wide ranges with the edges included (zero prices, zero idle power, full
//!   utilization, weekends at zero load), every built-in climate and grid,
//!   both presets of the power chain and of cooling, every economizer, the
//!   static model and the simulated year, and the reliability study.
//!
//! Summary figures are walked through their serialized form as TOML values,
//! which keep NaN and infinity as floats (JSON would turn them into null).

use plenum_engine::facility::neumaier;
use plenum_engine::{ColumnValues, Inputs, Results};
use plenum_scenario::Scenario;
use proptest::prelude::*;
use toml::Value;

const CLIMATES: [&str; 10] = [
    "ashburn",
    "phoenix",
    "dallas",
    "chicago",
    "seattle",
    "dublin",
    "amsterdam",
    "frankfurt",
    "stockholm",
    "singapore",
];
const GRIDS: [&str; 13] =
    ["pjm", "azps", "erco", "miso", "bpat", "ie", "nl", "de", "se", "sg", "fr", "pl", "us-mida-pjm"];
const PRESETS: [&str; 2] = ["modern", "legacy"];
const ECONOMIZERS: [&str; 3] = ["none", "air_side", "water_side"];

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn relative_difference(a: f64, b: f64) -> f64 {
    if a == b { 0.0 } else { (a - b).abs() / a.abs().max(b.abs()) }
}

/// A value drawn from `range`, or one of its ends a quarter of the time each
/// way (the edges are where 0/0 hides).
fn with_edges(low: f64, high: f64) -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(low), 1 => Just(high), 2 => low..=high]
}

/// Every path to a float in a serialized value that is not finite.
fn non_finite(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Float(x) if !x.is_finite() => found.push(format!("{path} = {x}")),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| non_finite(v, &format!("{path}[{i}]"), found))
        }
        Value::Table(map) => map.iter().for_each(|(k, v)| non_finite(v, &format!("{path}.{k}"), found)),
        _ => {}
    }
}

/// Every non-finite figure of the results and cell of their tables.
fn non_finite_outputs(results: &Results) -> Vec<String> {
    let mut found = Vec::new();
    let value = Value::try_from(results.summary()).expect("the summary serializes");
    non_finite(&value, "", &mut found);
    for table in &results.tables {
        for column in &table.columns {
            let bad = match &column.values {
                ColumnValues::F64(v) => v.iter().position(|x| !x.is_finite()),
                ColumnValues::OptF64(v) => v.iter().position(|x| x.is_some_and(|x| !x.is_finite())),
                _ => None,
            };
            if let Some(row) = bad {
                found.push(format!("{}.{} row {row}", table.name, column.name));
            }
        }
    }
    found
}

/// A simulated year over wide ranges (the default site's structure).
fn simulated() -> impl Strategy<Value = Scenario> {
    (
        // Peak power from 2 W: below it validation asks whether it is in kW.
        (1u64..20_000, with_edges(0.0, 20_000.0), with_edges(0.0, 400.0), with_edges(2.0, 600.0)),
        (
            with_edges(1e-6, 1.0),
            with_edges(0.0, 1.0),
            with_edges(0.0, 2.0),
            with_edges(0.0, 1.0),
            with_edges(0.0, 1.0),
        ),
        (0..CLIMATES.len(), 0..GRIDS.len(), 0..2usize, 0..2usize, 0..ECONOMIZERS.len(), any::<bool>()),
        (with_edges(0.0, 0.5), with_edges(1.0, 50_000.0), with_edges(0.0, 30.0)),
    )
        .prop_map(|(fleet, load, site, prices)| {
            let (count, price, idle_w, extra_w) = fleet;
            let (mean, swing, weekend, rack_spread, server_spread) = load;
            // The diurnal swing must keep the profile within 0..1: up to the nearer edge.
            let amplitude = swing * mean.min(1.0 - mean);
            let (climate, grid, chain, cooling, economizer, diurnal) = site;
            let (kwh, critical_kw, per_w) = prices;
            // Validation refuses implausible values (a price in (0, 5) USD,
            // an idle power in (0, 2) W, critical power under a tenth of the
            // nameplate): those draws move to the nearest plausible value.
            let price = if price < 5.0 { 0.0 } else { price };
            let idle_w = if idle_w < 2.0 { 0.0 } else { idle_w };
            let critical_kw = critical_kw.max(count as f64 * (idle_w + extra_w) / 1_000.0 / 9.0);
            let text = |s: &str| Value::String(s.into());
            plenum_scenario::embedded::load("default")
                .unwrap()
                .with_values(&[
                    ("servers[0].count", Value::Integer(count as i64)),
                    ("servers[0].price_usd", Value::Float(price)),
                    ("servers[0].idle_power_w", Value::Float(idle_w)),
                    ("servers[0].peak_power_w", Value::Float(idle_w + extra_w)),
                    ("utilization.mean_cpu_fraction", Value::Float(mean)),
                    ("utilization.profile", text(if diurnal { "diurnal" } else { "constant" })),
                    ("utilization.diurnal_amplitude", Value::Float(amplitude)),
                    ("utilization.weekend_factor", Value::Float(weekend)),
                    ("utilization.rack_spread", Value::Float(rack_spread)),
                    ("utilization.server_spread", Value::Float(server_spread)),
                    ("site.climate", text(CLIMATES[climate])),
                    ("site.grid", text(GRIDS[grid])),
                    ("power_chain.preset", text(PRESETS[chain])),
                    ("cooling.preset", text(PRESETS[cooling])),
                    ("cooling.economizer", text(ECONOMIZERS[economizer])),
                    ("energy.price_usd_per_kwh", Value::Float(kwh)),
                    ("facility.critical_power_kw", Value::Float(critical_kw)),
                    ("facility.cost_usd_per_critical_w", Value::Float(per_w)),
                ])
                .unwrap_or_else(|e| panic!("{e}"))
        })
}

/// The static model (fixed PUE) over wide ranges, every price allowed to be zero.
fn static_model() -> impl Strategy<Value = Scenario> {
    (
        (1u64..1_000_000, with_edges(0.0, 20_000.0), with_edges(0.0, 0.5), with_edges(0.0, 1.0)),
        (with_edges(1.0, 3.0), with_edges(1e-6, 1.0), with_edges(1.0, 100_000.0), with_edges(0.0, 30.0)),
        (with_edges(0.0, 1e6), with_edges(0.0, 1.0), with_edges(0.0, 1.0), with_edges(1e-6, 1.0)),
    )
        .prop_map(
            |((count, price, kwh, rate), (pue, load, critical_kw, per_w), (admin, fm, itm, mean))| {
                let base = plenum_scenario::embedded::load("ashburn-static").unwrap();
                // Plausible values only (see `simulated`).
                let price = if price < 5.0 { 0.0 } else { price };
                let critical_kw =
                    critical_kw.max(count as f64 * base.servers[0].peak_power_w / 1_000.0 / 9.0);
                base.with_values(&[
                    ("servers[0].count", Value::Integer(count as i64)),
                    ("servers[0].price_usd", Value::Float(price)),
                    ("energy.price_usd_per_kwh", Value::Float(kwh)),
                    ("finance.cost_of_money_annual", Value::Float(rate)),
                    ("energy.pue", Value::Float(pue)),
                    ("energy.average_load_fraction", Value::Float(load)),
                    ("facility.critical_power_kw", Value::Float(critical_kw)),
                    ("facility.cost_usd_per_critical_w", Value::Float(per_w)),
                    ("people.admin_annual_cost_usd", Value::Float(admin)),
                    ("maintenance.facility_annual_fraction", Value::Float(fm)),
                    ("maintenance.it_annual_fraction", Value::Float(itm)),
                    ("utilization.mean_cpu_fraction", Value::Float(mean)),
                    ("utilization.diurnal_amplitude", Value::Float(0.0)),
                    ("network.leaf_spine.tor_price_usd", Value::Float(0.0)),
                    ("network.leaf_spine.spine_price_usd", Value::Float(0.0)),
                    ("network.leaf_spine.border_router_price_usd", Value::Float(0.0)),
                    ("network.leaf_spine.uplink_optics_price_usd", Value::Float(0.0)),
                ])
                .unwrap_or_else(|e| panic!("{e}"))
            },
        )
}

/// A scenario text with the SKUs of `skus` listed in the order of `order`.
fn fleet_text(skus: &[(u64, f64, f64, f64)], order: &[usize], simulated: bool) -> String {
    let mut text = String::from(
        "[scenario]\nname = \"fleet\"\nseed = 3\n\n[finance]\ncost_of_money_annual = 0.05\n\
         server_amortization_years = 3\nnetwork_amortization_years = 4\nfacility_amortization_years = 10\n\n\
         [facility]\ncritical_power_kw = 8000\ncost_usd_per_critical_w = 9.0\npower_cooling_share = 0.82\n\n\
         [network]\ncapex_usd = 1e6\npower_kw = 50\n\n[energy]\nprice_usd_per_kwh = 0.07\n",
    );
    text.push_str(if simulated {
        "\n[utilization]\nmean_cpu_fraction = 0.3\nprofile = \"diurnal\"\ndiurnal_amplitude = 0.1\n\n\
         [site]\nclimate = \"dallas\"\n\n[power_chain]\npreset = \"modern\"\n\n[cooling]\npreset = \"modern\"\n"
    } else {
        "average_load_fraction = 0.8\npue = 1.45\n"
    });
    for &i in order {
        let (count, price, idle_w, extra_w) = skus[i];
        // Validation refuses a price in (0, 5) USD and an idle power in
        // (0, 2) W as unit mistakes: those draws move to 0, as in `simulated`.
        let price = if price < 5.0 { 0.0 } else { price };
        let idle_w = if idle_w < 2.0 { 0.0 } else { idle_w };
        text.push_str(&format!(
            "\n[[servers]]\nname = \"sku-{i}\"\ncount = {count}\nprice_usd = {price:?}\nidle_power_w = {idle_w:?}\n\
             peak_power_w = {:?}\ncores = 8\nmemory_gib = 64\nwork_rate = {:?}\n",
            idle_w + extra_w,
            1.0 + extra_w
        ));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Compensated summation of a series with large cancelling terms gives
    /// the exact sum within 1e-9 relative in any order; naive summation of
    /// the same series can be off by 100% (the first check shows the series
    /// is hard).
    #[test]
    fn compensated_sums_do_not_depend_on_the_order(
        small in prop::collection::vec(-1_000_000i64..1_000_000, 1..200),
        large in prop::collection::vec(1i64..1 << 40, 0..50),
        shuffle in any::<u64>(),
    ) {
        // Multiples of 2^-10 well inside f64's 53 bits: the exact sum is an integer sum.
        let scale = |k: i64| k as f64 / 1024.0;
        let mut terms: Vec<i64> = small.clone();
        for &l in &large {
            terms.push(l << 12);
            terms.push(-(l << 12));
        }
        let exact = scale(terms.iter().sum::<i64>());
        prop_assume!(exact != 0.0);
        // A seeded Fisher-Yates shuffle.
        let mut state = shuffle | 1;
        for i in (1..terms.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            terms.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let values: Vec<f64> = terms.iter().map(|&k| scale(k)).collect();
        for order in [values.clone(), values.iter().rev().copied().collect(), {
            let mut v = values.clone();
            v.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
            v
        }] {
            let sum = neumaier(order.iter().copied());
            prop_assert!(relative_difference(sum, exact) <= 1e-9, "{} vs exact {}", sum, exact);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The year's energy, cost and carbon totals equal the sums of its hourly
    /// table in hour order, reversed, and from the smallest hour up.
    #[test]
    fn year_totals_are_the_hourly_sums_in_any_order(s in simulated()) {
        let results = run(&s);
        let year = results.facility.as_ref().expect("a simulated year");
        let hourly = results.tables.iter().find(|t| t.name == "hourly").expect("the hourly table");
        let column = |name: &str| match &hourly.column(name).expect(name).values {
            ColumnValues::F64(v) => v.clone(),
            other => panic!("{name}: {other:?}"),
        };
        let checks = [
            ("it_power_kw", year.energy.it_mwh * 1_000.0),
            ("facility_power_kw", year.energy.facility_mwh * 1_000.0),
            ("cooling_kw", year.energy.cooling_mwh * 1_000.0),
            ("energy_cost_usd", year.energy.cost_usd),
            ("carbon_kg", year.carbon.operational_t * 1_000.0),
        ];
        for (name, total) in checks {
            let values = column(name);
            let mut ascending = values.clone();
            ascending.sort_by(f64::total_cmp);
            for (order, sum) in [
                ("hour order", values.iter().sum::<f64>()),
                ("reversed", values.iter().rev().sum::<f64>()),
                ("ascending", ascending.iter().sum::<f64>()),
                ("compensated", neumaier(values.iter().copied())),
            ] {
                prop_assert!(relative_difference(sum, total) <= 1e-9, "{}: {} {} vs {}", name, order, sum, total);
            }
        }
    }

    /// The same fleet with its SKUs listed in another order costs the same and
    /// draws the same IT energy (racks are filled in list order, so the power
    /// chain's losses may move; the IT load and every cost line may not).
    #[test]
    fn cost_and_it_energy_do_not_depend_on_the_order_of_skus(
        // Prices, idle and peak power within the scenario's plausible ranges
        // (free, or 5 USD up; idle off or 2 W up; peak 2 W above idle at least).
        skus in prop::collection::vec(
            (
                1u64..5_000,
                prop_oneof![Just(0.0), 5.0..20_000.0f64],
                prop_oneof![Just(0.0), 2.0..300.0f64],
                2.0..400.0f64,
            ),
            2..5,
        ),
        rotate in 1usize..4,
        simulated in any::<bool>(),
    ) {
        let order: Vec<usize> = (0..skus.len()).collect();
        let mut other = order.clone();
        other.rotate_left(rotate % skus.len());
        other.swap(0, skus.len() - 1);
        let a = run(&Scenario::from_toml_str(&fleet_text(&skus, &order, simulated), "a.toml").unwrap());
        let b = run(&Scenario::from_toml_str(&fleet_text(&skus, &other, simulated), "b.toml").unwrap());
        // Every line but energy; energy and the total too in the static model
        // (in a simulated year energy follows the losses, which may move).
        let (la, lb) = (a.cost.monthly_usd.values(), b.cost.monthly_usd.values());
        let energy = plenum_models::finance::CostLines::NAMES.iter().position(|n| *n == "energy").unwrap();
        for (i, name) in plenum_models::finance::CostLines::NAMES.iter().enumerate() {
            if i != energy || !simulated {
                prop_assert!(relative_difference(la[i], lb[i]) <= 1e-9, "{}: {} vs {}", name, la[i], lb[i]);
            }
        }
        for (name, x, y) in [
            ("total", if simulated { 0.0 } else { a.cost.total_monthly_usd }, if simulated { 0.0 } else { b.cost.total_monthly_usd }),
            ("server capex", a.cost.capex_usd.servers, b.cost.capex_usd.servers),
            ("nameplate", a.it.nameplate_kw, b.it.nameplate_kw),
        ] {
            prop_assert!(relative_difference(x, y) <= 1e-9, "{}: {} vs {}", name, x, y);
        }
        if simulated {
            let (x, y) = (a.facility.as_ref().unwrap(), b.facility.as_ref().unwrap());
            prop_assert!(relative_difference(x.energy.it_mwh, y.energy.it_mwh) <= 1e-9,
                "IT energy: {} vs {}", x.energy.it_mwh, y.energy.it_mwh);
        }
    }

    #[test]
    fn a_simulated_year_has_no_nan_or_infinity(s in simulated()) {
        let found = non_finite_outputs(&run(&s));
        prop_assert!(found.is_empty(), "{:?}", found);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_static_model_has_no_nan_or_infinity(s in static_model()) {
        let found = non_finite_outputs(&run(&s));
        prop_assert!(found.is_empty(), "{:?}", found);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// The reliability study at the edges: replications, years and seeds.
    #[test]
    fn a_reliability_study_has_no_nan_or_infinity(
        replications in 2u64..200,
        years in with_edges(0.01, 5.0),
        seed in any::<u32>(),
    ) {
        let s = plenum_scenario::Scenario::from_path(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/dean-cluster-year.toml"),
        )
        .unwrap()
        .with_values(&[
            ("reliability.replications", Value::Integer(replications as i64)),
            ("reliability.batch_replications", Value::Integer(replications.min(50) as i64)),
            ("reliability.years_per_replication", Value::Float(years)),
            ("scenario.seed", Value::Integer(i64::from(seed))),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let found = non_finite_outputs(&run(&s));
        prop_assert!(found.is_empty(), "{:?}", found);
    }
}

/// The corner the random draws rarely reach: every price zero at once (a
/// total of zero, so every share is 0/0), static and simulated.
#[test]
fn a_free_site_has_no_nan_or_infinity() {
    for name in ["ashburn-static", "default"] {
        let free = plenum_scenario::embedded::load(name)
            .unwrap()
            .with_values(&[
                ("servers[0].price_usd", Value::Float(0.0)),
                ("energy.price_usd_per_kwh", Value::Float(0.0)),
                ("facility.cost_usd_per_critical_w", Value::Float(0.0)),
                ("people.admin_annual_cost_usd", Value::Float(0.0)),
                ("network.leaf_spine.tor_price_usd", Value::Float(0.0)),
                ("network.leaf_spine.spine_price_usd", Value::Float(0.0)),
                ("network.leaf_spine.border_router_price_usd", Value::Float(0.0)),
                ("network.leaf_spine.uplink_optics_price_usd", Value::Float(0.0)),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let results = run(&free);
        assert_eq!(results.cost.total_monthly_usd, 0.0, "{name}: a free site costs nothing");
        let found = non_finite_outputs(&results);
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

/// Hours with no IT load at all: servers that draw nothing when idle, no load
/// at weekends and no network power (PUE of such an hour is undefined).
#[test]
fn hours_without_it_load_have_no_nan_or_infinity() {
    let text = fleet_text(&[(1000, 1000.0, 0.0, 300.0)], &[0], true)
        .replace("power_kw = 50", "power_kw = 0")
        .replace("diurnal_amplitude = 0.1", "diurnal_amplitude = 0.1\nweekend_factor = 0.0");
    let results = run(&Scenario::from_toml_str(&text, "idle.toml").unwrap());
    let found = non_finite_outputs(&results);
    assert!(found.is_empty(), "{found:?}");
}
