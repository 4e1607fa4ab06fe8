//! Golden tests: published cost figures reproduced from the shipped
//! scenarios. The figures and tolerances are in crates/plenum-references
//! (references.toml), from which the book's validation chapter is generated.

use plenum_engine::{Inputs, Results};
use plenum_scenario::Scenario;

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

/// A scenario by file name: an embedded one (kept in the scenario crate) or an example.
fn scenario(name: &str) -> Scenario {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let embedded = format!("{root}/crates/plenum-scenario/scenarios/{name}");
    let path =
        if std::path::Path::new(&embedded).exists() { embedded } else { format!("{root}/scenarios/{name}") };
    Scenario::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Case H2008: Hamilton, "Cost of Power in Large-Scale Data Centers", 2008.
#[test]
fn hamilton_2008_lines_within_a_dollar() {
    let r = run(&scenario("hamilton-2008.toml"));
    let (m, s) = (&r.cost.monthly_usd, &r.cost.share);
    assert_eq!((m.networking, m.people, m.maintenance), (0.0, 0.0, 0.0));
    plenum_references::case("hamilton-2008").check(&[
        ("servers", m.servers),
        ("power distribution & cooling", m.power_distribution_cooling),
        ("energy", m.energy),
        ("other infrastructure", m.other_infrastructure),
        ("total", r.cost.total_monthly_usd),
        ("servers share", 100.0 * s.servers),
        ("power distribution & cooling share", 100.0 * s.power_distribution_cooling),
        ("energy share", 100.0 * s.energy),
        ("other infrastructure share", 100.0 * s.other_infrastructure),
        ("fully burdened power share", 100.0 * r.cost.fully_burdened_power_share),
    ]);
}

/// Case H2010: Hamilton, "Overall Data Center Costs", 2010.
#[test]
fn hamilton_2010_lines_within_a_dollar() {
    let r = run(&scenario("hamilton-2010.toml"));
    let (m, s) = (&r.cost.monthly_usd, &r.cost.share);
    plenum_references::case("hamilton-2010").check(&[
        ("servers", m.servers),
        ("networking", m.networking),
        ("power distribution & cooling", m.power_distribution_cooling),
        ("energy", m.energy),
        ("other infrastructure", m.other_infrastructure),
        ("total", r.cost.total_monthly_usd),
        ("servers share", 100.0 * s.servers),
        ("networking share", 100.0 * s.networking),
        ("power distribution & cooling share", 100.0 * s.power_distribution_cooling),
        ("energy share", 100.0 * s.energy),
        ("other infrastructure share", 100.0 * s.other_infrastructure),
        ("fully burdened power share", 100.0 * r.cost.fully_burdened_power_share),
    ]);
}

/// Case CEMS: Hamilton, "Cooperative Expendable Micro-Slice Servers", CIDR 2009:
/// 56% of the throughput at 21% of the cost and 13% of the power.
#[test]
fn cems_work_per_dollar_and_per_watt() {
    let r = run(&scenario("cems-2009.toml"));
    assert_eq!(r.skus.len(), 2);
    assert_eq!(r.skus[0].work_per_usd_ratio, 1.0);
    let cems = &r.skus[1];
    plenum_references::case("cems-2009").check(&[
        ("work per dollar, CEMS over the purpose-built server", cems.work_per_usd_ratio),
        ("work per watt, CEMS over the purpose-built server", cems.work_per_joule_ratio),
    ]);
}

/// Fleet PUE sanity figure: 1 MW of IT for a year at PUE 1.45 is 12,702 MWh
/// (730 h a month).
#[test]
fn energy_from_pue() {
    let monthly_kwh = plenum_models::finance::static_energy_monthly_usd(1_000.0, 1.0, 1.45, 1.0);
    plenum_references::case("energy-from-pue")
        .check(&[("facility energy a year", monthly_kwh * 12.0 / 1_000.0)]);
}
