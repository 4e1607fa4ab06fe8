//! Invariants of the cost model over random scenarios: lines add up to the
//! total, shares add up to one, and cost rises with every price.

use plenum_engine::{Inputs, Results};
use plenum_scenario::Scenario;
use proptest::prelude::*;
use toml::Value;

/// The default site with a fixed PUE: the static cost model.
fn base() -> Scenario {
    plenum_scenario::embedded::load("ashburn-static").unwrap()
}

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

/// A random but valid variant of the default scenario.
fn variant() -> impl Strategy<Value = Scenario> {
    (
        1u64..200_000,
        0.0..20_000.0f64,
        0.0..0.3f64,
        1.0..3.0f64,
        0.0..0.5f64,
        100.0..100_000.0f64,
        0.0..30.0f64,
        0.01..1.0f64,
    )
        .prop_map(|(count, price, rate, pue, kwh, critical_kw, per_w, load)| {
            // Valid means plausible too: a price of at least 5 USD (or none), and
            // critical power at least a tenth of the servers' nameplate.
            let price = if price < 5.0 { 0.0 } else { price };
            let critical_kw = critical_kw.max(count as f64 * base().servers[0].peak_power_w / 1_000.0 / 9.0);
            base()
                .with_values(&[
                    ("servers[0].count", Value::Integer(count as i64)),
                    ("servers[0].price_usd", Value::Float(price)),
                    ("finance.cost_of_money_annual", Value::Float(rate)),
                    ("energy.pue", Value::Float(pue)),
                    ("energy.price_usd_per_kwh", Value::Float(kwh)),
                    ("facility.critical_power_kw", Value::Float(critical_kw)),
                    ("facility.cost_usd_per_critical_w", Value::Float(per_w)),
                    ("energy.average_load_fraction", Value::Float(load)),
                ])
                .unwrap_or_else(|e| panic!("{e}"))
        })
}

/// Every price a scenario has, with its path.
const PRICES: [&str; 9] = [
    "servers[0].price_usd",
    "facility.cost_usd_per_critical_w",
    "energy.price_usd_per_kwh",
    "network.leaf_spine.tor_price_usd",
    "network.leaf_spine.spine_price_usd",
    "network.leaf_spine.border_router_price_usd",
    "network.leaf_spine.uplink_optics_price_usd",
    "people.admin_annual_cost_usd",
    "finance.cost_of_money_annual",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lines_sum_to_the_total_and_shares_to_one(s in variant()) {
        let c = run(&s).cost;
        let sum: f64 = c.monthly_usd.values().iter().sum();
        prop_assert!((sum - c.total_monthly_usd).abs() <= 1e-9 * c.total_monthly_usd);
        let shares: f64 = c.share.values().iter().sum();
        prop_assert!((shares - 1.0).abs() < 1e-12, "{}", shares);
        prop_assert!(c.monthly_usd.values().iter().all(|x| x.is_finite() && *x >= 0.0));
    }

    #[test]
    fn cost_rises_with_every_price(s in variant(), which in 0..PRICES.len(), factor in 1.01..3.0f64) {
        let path = PRICES[which];
        let (_, value, _) = s.document.numeric_leaves().into_iter().find(|(p, _, _)| p == path).unwrap();
        let raised = (value * factor).max(value + 0.01).min(if bounded_by_one(path) { 1.0 } else { f64::MAX });
        prop_assume!(raised > value);
        let higher = s.with_values(&[(path, Value::Float(raised))]).unwrap();
        let before = run(&s).cost.total_monthly_usd;
        let after = run(&higher).cost.total_monthly_usd;
        prop_assert!(after > before, "{path}: {value} -> {raised}: {before} -> {after}");
    }
}

/// Prices whose valid range ends at 1: rates, and the energy price (USD per
/// kWh; above 1 is refused as a likely price in cents).
fn bounded_by_one(path: &str) -> bool {
    path.starts_with("finance") || path == "energy.price_usd_per_kwh"
}
