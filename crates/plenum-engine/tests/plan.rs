//! Capacity planning: the static cost model recovered by a one-site plan, lead
//! times that never shorten shortfalls, and the shipped three-site scenario.

use plenum_engine::plan::{PlanInputs, PlanSummary, plan};
use plenum_engine::{Inputs, run};
use plenum_scenario::Scenario;
use proptest::prelude::*;

fn hamilton_with(plan_toml: &str) -> Scenario {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../crates/plenum-scenario/scenarios/hamilton-2010.toml");
    let text = std::fs::read_to_string(path).unwrap() + plan_toml;
    Scenario::from_toml_str(&text, "plan-test").unwrap_or_else(|e| panic!("{e}"))
}

fn summary(s: &Scenario) -> PlanSummary {
    plan(s, &PlanInputs::default()).unwrap().unwrap().0
}

/// One site, constant demand of one module, no lead time: every month costs
/// what the static model says, and the NPV is the annuity of that payment.
#[test]
fn one_site_constant_demand_reproduces_the_static_model() {
    let s = hamilton_with(
        r#"
[plan]
horizon_months = 120
samples = 1
[plan.demand]
curve = "linear"
start_mw = 8
end_mw = 8
[plan.module]
size_mw = 8
lead_time_months = 0
[plan.policy]
utilization_threshold = 1.0
[[plan.sites]]
name = "only"
"#,
    );
    let static_monthly = run(&s, &Inputs::default()).unwrap().cost.total_monthly_usd;
    let (p, tables) = plan(&s, &PlanInputs::default()).unwrap().unwrap();
    assert_eq!(p.builds.len(), 1);
    assert_eq!(p.months_short, 0.0);
    let costs = match &tables[0].column("cost_mean_usd").unwrap().values {
        plenum_engine::ColumnValues::F64(v) => v.clone(),
        _ => unreachable!(),
    };
    assert!(
        costs.iter().all(|c| (c - static_monthly).abs() < 1e-6 * static_monthly),
        "{} vs {static_monthly}",
        costs[0]
    );
    let r: f64 = 0.05 / 12.0;
    let annuity = static_monthly * (1.0 - (1.0 + r).powi(-120)) / r;
    assert!((p.npv_usd - annuity).abs() < 1e-6 * annuity, "{} vs {annuity}", p.npv_usd);
    assert!((p.cost_per_mw_month_usd - static_monthly / 8.0).abs() < 1e-6 * static_monthly);
}

fn growth(lead: u32, sigma: f64, threshold: f64, percentile: f64, end_mw: f64) -> Scenario {
    hamilton_with(&format!(
        r#"
[plan]
horizon_months = 96
samples = 16
unserved_penalty_usd_per_mw_month = 100000
[plan.demand]
curve = "exponential"
start_mw = 5
end_mw = {end_mw}
noise_sigma_annual = {sigma}
[plan.module]
size_mw = 4
lead_time_months = {lead}
[plan.policy]
utilization_threshold = {threshold}
forecast_percentile = {percentile}
[[plan.sites]]
name = "a"
initial_mw = 4
max_mw = 80
[[plan.sites]]
name = "b"
cost_usd_per_critical_w = 8
"#
    ))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Longer lead times never reduce months short under the same policy.
    #[test]
    fn longer_leads_never_reduce_months_short(
        short_lead in 0u32..24, extra in 1u32..24, sigma in 0.0..0.4f64,
        threshold in 0.5..1.0f64, percentile in 10.0..95.0f64, end_mw in 10.0..150.0f64,
    ) {
        let a = summary(&growth(short_lead, sigma, threshold, percentile, end_mw));
        let b = summary(&growth(short_lead + extra, sigma, threshold, percentile, end_mw));
        prop_assert!(b.months_short >= a.months_short, "{} < {}", b.months_short, a.months_short);
        prop_assert!(b.unserved_mwh >= a.unserved_mwh - 1e-6);
    }
}

#[test]
fn the_three_site_scenario_builds_up_to_its_room() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/three-site-growth.toml");
    let s = Scenario::from_path(path).unwrap_or_else(|e| panic!("{e}"));
    let p = summary(&s);
    let built: f64 = p.sites.iter().map(|(_, site)| site.built_mw).sum();
    assert!(built > 200.0, "{built}");
    assert!(p.sites.iter().all(|(_, site)| site.built_mw <= 100.0 + 1e-9));
    // The first builds go to the site with the lowest fully burdened cost.
    let cheapest = p
        .sites
        .iter()
        .min_by(|a, b| a.1.burdened_usd_per_kw_month.total_cmp(&b.1.burdened_usd_per_kw_month))
        .unwrap()
        .0
        .clone();
    assert_eq!(p.builds[0].site, cheapest);
    assert!(p.npv_usd > 0.0 && p.mean_utilization > 0.3 && p.mean_utilization < 1.0);
    // Same seed, same plan.
    assert_eq!(serde_json::to_string(&p).unwrap(), serde_json::to_string(&summary(&s)).unwrap());
}
