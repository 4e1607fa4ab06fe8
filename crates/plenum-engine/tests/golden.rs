//! Golden tests: the published figures of ../shared/references, written into
//! the test, reproduced from the shipped scenarios.

use plenum_engine::{Inputs, Results};
use plenum_scenario::Scenario;

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

fn scenario(name: &str) -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/").to_string() + name;
    Scenario::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_usd(line: &str, got: f64, published: f64) {
    assert!((got - published).abs() <= 1.0, "{line}: {got:.2} vs published {published}");
}

/// Case H2008: Hamilton, "Cost of Power in Large-Scale Data Centers", 2008.
#[test]
fn hamilton_2008_lines_within_a_dollar() {
    let r = run(&scenario("hamilton-2008.toml"));
    let m = &r.cost.monthly_usd;
    assert_usd("servers", m.servers, 2_997_090.0);
    assert_usd("power distribution & cooling", m.power_distribution_cooling, 1_296_902.0);
    assert_usd("energy", m.energy, 1_042_440.0);
    assert_usd("other infrastructure", m.other_infrastructure, 284_686.0);
    assert_usd("total", r.cost.total_monthly_usd, 5_621_117.0);
    assert_eq!((m.networking, m.people, m.maintenance), (0.0, 0.0, 0.0));
    // Shares within 0.05 percentage points.
    let s = &r.cost.share;
    for (line, got, published) in [
        ("servers", s.servers, 0.533),
        ("power distribution & cooling", s.power_distribution_cooling, 0.231),
        ("energy", s.energy, 0.185),
        ("other infrastructure", s.other_infrastructure, 0.051),
        ("fully burdened power", r.cost.fully_burdened_power_share, 0.416),
    ] {
        assert!((got - published).abs() <= 0.0005 + 1e-12, "{line}: {got} vs {published}");
    }
}

/// Case H2010: Hamilton, "Overall Data Center Costs", 2010.
#[test]
fn hamilton_2010_lines_within_a_dollar() {
    let r = run(&scenario("hamilton-2010.toml"));
    let m = &r.cost.monthly_usd;
    assert_usd("servers", m.servers, 1_998_103.0);
    assert_usd("networking", m.networking, 295_005.0);
    assert_usd("power distribution & cooling", m.power_distribution_cooling, 626_211.0);
    assert_usd("energy", m.energy, 474_208.0);
    assert_usd("other infrastructure", m.other_infrastructure, 137_461.0);
    assert_usd("total", r.cost.total_monthly_usd, 3_530_988.0);
    // Shares round to the published whole percentages.
    let s = &r.cost.share;
    for (line, got, published) in [
        ("servers", s.servers, 57.0),
        ("networking", s.networking, 8.0),
        ("power distribution & cooling", s.power_distribution_cooling, 18.0),
        ("energy", s.energy, 13.0),
        ("other infrastructure", s.other_infrastructure, 4.0),
    ] {
        assert_eq!((got * 100.0).round(), published, "{line}: {got}");
    }
    assert!(
        (r.cost.fully_burdened_power_share - 0.312).abs() < 0.0005,
        "{}",
        r.cost.fully_burdened_power_share
    );
}

/// Case CEMS: Hamilton, "Cooperative Expendable Micro-Slice Servers", CIDR 2009:
/// 56% of the throughput at 21% of the cost and 13% of the power.
#[test]
fn cems_work_per_dollar_and_per_watt() {
    let r = run(&scenario("cems-2009.toml"));
    assert_eq!(r.skus.len(), 2);
    let cems = &r.skus[1];
    assert_eq!(format!("{:.2}", cems.work_per_usd_ratio), "2.67");
    assert_eq!(format!("{:.2}", cems.work_per_joule_ratio), "4.31");
    assert_eq!(r.skus[0].work_per_usd_ratio, 1.0);
}

/// Fleet PUE sanity figure of ../shared/references: 1 MW of IT for a year at
/// PUE 1.45 is 12,702 MWh (730 h a month).
#[test]
fn energy_from_pue() {
    let monthly_kwh = plenum_models::finance::static_energy_monthly_usd(1_000.0, 1.0, 1.45, 1.0);
    assert!((monthly_kwh * 12.0 / 1_000.0 - 12_702.0).abs() < 1e-9);
}
