//! `plenum run` on a scenario with `[reliability]`: the table section and the
//! JSON contract keys; bad reliability input exits 2.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

#[test]
fn run_prints_a_reliability_section() {
    let dean = repo("scenarios/dean-cluster-year.toml");
    let out = plenum(&["run", dean.to_str().unwrap(), "--set", "reliability.replications=40"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Reliability: 40 replications x 1 year = 40 simulated years",
        "Availability of IT power",
        "Availability of capacity",
        "Downtime, hours/year",
        "Outages/year",
        "Capacity lost, server-hours/year",
        "overheating",
        "ride_through_exhausted",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn json_has_the_reliability_contract_keys() {
    let dean = repo("scenarios/dean-cluster-year.toml");
    let out =
        plenum(&["run", dean.to_str().unwrap(), "--set", "reliability.replications=40", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["reliability"];
    for key in ["availability", "downtime_hours_per_year", "outages_per_year", "capacity_hours_lost_per_year"]
    {
        assert!(r[key].is_number(), "reliability.{key} in {r}");
        let ci = &r[format!("{key}_ci95")];
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        let mean = r[key].as_f64().unwrap();
        assert!(lo <= mean && mean <= hi, "{key}: {lo} <= {mean} <= {hi}");
    }
    assert!(r["availability"].as_f64().unwrap() < 1.0);
    assert_eq!(r["replications"], 40);
}

#[test]
fn a_bad_reliability_section_exits_2_and_names_the_field() {
    let file = repo("crates/plenum-scenario/tests/bad/reliability-no-repair.toml");
    let out = plenum(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("reliability-no-repair.toml:37") && err.contains("reliability.components.server"),
        "{err}"
    );
}

/// Issue 13: `plenum run --set reliability.tier=III` on the default scenario
/// stopped on missing inputs (six, then the generator's repair and the UPS
/// battery's ride-through). Every input of a tier now has a cited default, so
/// the command a user types runs and prints the study.
#[test]
fn a_tier_on_the_default_scenario_runs_as_typed() {
    let out = plenum(&["run", "--set", "reliability.tier=III"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in
        ["Reliability (Tier III topology):", "Availability of IT power", "Downtime, hours/year", "generator"]
    {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

/// One tier's study on the default scenario, from the JSON summary.
struct TierRun {
    tier: &'static str,
    availability: f64,
    ci95: [f64; 2],
    downtime_hours_per_year: f64,
}

fn run_tier(tier: &'static str) -> TierRun {
    let set = format!("reliability.tier={tier}");
    let out = plenum(&["run", "--set", set.as_str(), "--format", "json"]);
    assert!(out.status.success(), "Tier {tier}: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["reliability"];
    assert_eq!(r["tier"], tier);
    let f = |key: &str| r[key].as_f64().unwrap_or_else(|| panic!("Tier {tier}: reliability.{key} in {r}"));
    let ci = |key: &str, i: usize| r[key][i].as_f64().unwrap();
    TierRun {
        tier,
        availability: f("availability"),
        ci95: [ci("availability_ci95", 0), ci("availability_ci95", 1)],
        downtime_hours_per_year: f("downtime_hours_per_year"),
    }
}

/// Issue 13: the four tiers run on the default scenario through the command a
/// user types, with no design input added, and on the same inputs their
/// availability is strictly ordered I < II < III < IV, with 95% intervals
/// that do not overlap and stay within [0, 1]. Tier IV's fault tolerance must
/// show: if Tier III and Tier IV coincided (or overlapped), this fails.
#[test]
fn the_four_tiers_run_on_the_default_scenario_in_order() {
    let runs: Vec<TierRun> = ["I", "II", "III", "IV"].into_iter().map(run_tier).collect();
    for r in &runs {
        let (a, ci) = (r.availability, r.ci95);
        assert!(0.0 <= ci[0] && ci[0] <= a && a <= ci[1] && ci[1] <= 1.0, "Tier {}: {a} {ci:?}", r.tier);
        assert!(r.downtime_hours_per_year >= 0.0, "Tier {}", r.tier);
    }
    for pair in runs.windows(2) {
        let (low, high) = (&pair[0], &pair[1]);
        assert!(
            low.availability < high.availability && low.ci95[1] < high.ci95[0],
            "Tier {} {} {:?} must be below Tier {} {} {:?}",
            low.tier,
            low.availability,
            low.ci95,
            high.tier,
            high.availability,
            high.ci95
        );
        assert!(
            low.downtime_hours_per_year > high.downtime_hours_per_year,
            "Tier {} downtime {} must exceed Tier {}'s {}",
            low.tier,
            low.downtime_hours_per_year,
            high.tier,
            high.downtime_hours_per_year
        );
    }
}
