//! A sensitivity moves around the whole run: with a `[workload]`, the replay
//! drives every variant's facility year as it drives `plenum run`'s (the
//! engine alone, on the scenario's files, would simulate the utilization
//! profile instead).

use plenum_engine::sensitivity::{Selection, SensitivityRow};
use plenum_run::Limits;
use plenum_scenario::Scenario;

/// 30 hosts in Ashburn with a simulated year, whose load comes from a
/// generated day of VMs; the utilization profile (90%) is far from the
/// replay's, so a year driven by the profile would cost something else.
const SCENARIO: &str = r#"[scenario]
name = "replayed sensitivity"
seed = 3

[finance]
cost_of_money_annual = 0.05
server_amortization_years = 4
facility_amortization_years = 12

[facility]
critical_power_kw = 20.0
capex_usd = 200000.0
power_cooling_share = 0.8

[[servers]]
name = "node"
count = 30
price_usd = 6000.0
idle_power_w = 120.0
peak_power_w = 400.0
cores = 16
threads_per_core = 1
memory_gib = 128

[energy]
price_usd_per_kwh = 0.1

[utilization]
mean_cpu_fraction = 0.9
profile = "constant"

[site]
climate = "ashburn"
grid = "pjm"

[power_chain]
preset = "modern"
racks_per_pdu = 2

[cooling]
preset = "modern"

[workload]
source = "generate"
core_mhz = 2000.0
placement = "first_fit"
sample_interval_s = 300
until_s = 86400

[workload.generate]
vms = 400
arrival_window_s = 86400
median_lifetime_s = 3600
lifetime_sigma = 1.0
cpu_counts = [1, 2, 4]
memory_mib_per_cpu = 1024
utilization_min = 0.05
utilization_max = 0.5
"#;

fn scenario() -> Scenario {
    Scenario::load("replayed-sensitivity.toml", SCENARIO, &[]).unwrap_or_else(|e| panic!("{e}"))
}

fn row<'a>(rows: &'a [SensitivityRow], input: &str) -> &'a SensitivityRow {
    rows.iter().find(|r| r.input == input).unwrap_or_else(|| panic!("{input} was not moved"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[test]
fn a_workload_scenarios_sensitivity_moves_with_the_replay() {
    let scenario = scenario();
    let limits = Limits::default();
    let run = plenum_run::run_limited(&scenario, &limits).unwrap();
    let replayed_mwh = run.results.workload.as_ref().expect("a replay").energy.it_mwh;
    assert!(replayed_mwh > 0.0);
    let year = run.results.facility.as_ref().expect("a simulated year");
    let energy_monthly_usd = year.energy.cost_usd / 12.0;

    let study =
        plenum_run::sensitivity::sensitivity(&scenario, 0.2, Selection::default(), &limits, &|_, _| {})
            .unwrap();
    // The base is the run itself.
    assert_eq!(study.base.results.cost.total_monthly_usd, run.results.cost.total_monthly_usd);
    // The price moves the energy cost of the replay-driven year, linearly.
    let price = row(&study.rows, "energy.price_usd_per_kwh");
    let swing = price.total_high_usd.unwrap() - price.total_low_usd.unwrap();
    assert!(close(swing, 0.4 * energy_monthly_usd), "swing {swing}, replayed year {energy_monthly_usd}");

    // An input the replay reads is replayed again: the variant costs what a
    // run of the moved scenario costs.
    let peak = row(&study.rows, "servers[0].peak_power_w");
    let moved = scenario.with_values(&[("servers[0].peak_power_w", toml::Value::Float(480.0))]).unwrap();
    let moved_run = plenum_run::run_limited(&moved, &limits).unwrap();
    assert!(close(peak.total_high_usd.unwrap(), moved_run.results.cost.total_monthly_usd));
    assert!(peak.total_high_usd.unwrap() > peak.total_low_usd.unwrap());
}
