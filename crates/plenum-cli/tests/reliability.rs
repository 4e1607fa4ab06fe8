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

/// The two inputs of a tier study that have no published default: the UPS
/// battery's ride-through and the generator's repair time. The values here
/// are this test's design inputs, not data.
const DESIGN_INPUTS: [&str; 4] = [
    "--set",
    "reliability.site.ups_ride_through_s=300",
    "--set",
    "reliability.components.generator.mttr_hours=24",
];

/// Issue 13: `plenum run --set reliability.tier=III` on the default scenario
/// stopped on six missing inputs. Now only the two without a published
/// default are asked for, each named.
#[test]
fn a_tier_on_the_default_scenario_asks_only_for_inputs_without_a_source() {
    let out = plenum(&["run", "--set", "reliability.tier=III"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("ups_ride_through_s") && err.contains("[reliability.components.generator]"),
        "{err}"
    );
}

/// Issue 13: the four tiers run on the default scenario through the command a
/// user types, and on the same inputs their availability is strictly ordered
/// I < II < III < IV, with 95% intervals that do not overlap and stay within
/// [0, 1].
#[test]
fn the_four_tiers_run_on_the_default_scenario_in_order() {
    let mut runs = Vec::new();
    for tier in ["I", "II", "III", "IV"] {
        let set = format!("reliability.tier={tier}");
        let mut args = vec!["run", "--set", set.as_str(), "--format", "json"];
        args.extend(DESIGN_INPUTS);
        let out = plenum(&args);
        assert!(out.status.success(), "Tier {tier}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = v["reliability"].clone();
        assert_eq!(r["tier"], tier);
        let a = r["availability"].as_f64().unwrap();
        let ci = [r["availability_ci95"][0].as_f64().unwrap(), r["availability_ci95"][1].as_f64().unwrap()];
        assert!(0.0 <= ci[0] && ci[0] <= a && a <= ci[1] && ci[1] <= 1.0, "Tier {tier}: {a} {ci:?}");
        runs.push((tier, a, ci));
    }
    for pair in runs.windows(2) {
        let ((lower, _, low_ci), (higher, _, high_ci)) = (pair[0], pair[1]);
        assert!(low_ci[1] < high_ci[0], "Tier {lower} {low_ci:?} must be below Tier {higher} {high_ci:?}");
    }
}
