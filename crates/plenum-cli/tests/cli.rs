//! The `plenum` command as a user meets it: exit codes, the JSON contract,
//! overrides, and bad input that writes nothing.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn json(args: &[&str]) -> Value {
    let out = plenum(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn run_without_a_file_prints_the_default_table() {
    let out = plenum(&["run"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "ashburn-8mw",
        "Servers",
        "Power distribution & cooling",
        "Total",
        "per server-month",
        "per critical kW-month",
        "fully burdened cost of power",
        "per vCPU-hour at 29.1% utilization, the simulated year's mean",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn json_has_the_contract_keys() {
    let v = json(&["run", "--format", "json"]);
    assert_eq!(v["scenario"]["name"], "ashburn-8mw");
    for line in [
        "servers",
        "networking",
        "power_distribution_cooling",
        "other_infrastructure",
        "energy",
        "people",
        "maintenance",
        "total",
    ] {
        assert!(v["cost"]["monthly_usd"][line].is_number(), "cost.monthly_usd.{line}");
        assert!(v["cost"]["share"][line].is_number(), "cost.share.{line}");
    }
    for key in [
        "per_server_month_usd",
        "per_server_hour_usd",
        "per_critical_kw_month_usd",
        "fully_burdened_power_share",
    ] {
        assert!(v["cost"][key].is_number(), "cost.{key}");
    }
}

#[test]
fn hamilton_2010_json_within_a_dollar() {
    let path = repo("crates/plenum-scenario/scenarios/hamilton-2010.toml");
    let v = json(&["run", path.to_str().unwrap(), "--format", "json"]);
    let m = &v["cost"]["monthly_usd"];
    for (line, published) in [
        ("servers", 1_998_103.0),
        ("networking", 295_005.0),
        ("power_distribution_cooling", 626_211.0),
        ("energy", 474_208.0),
        ("other_infrastructure", 137_461.0),
        ("total", 3_530_988.0),
    ] {
        let got = m[line].as_f64().unwrap();
        assert!((got - published).abs() <= 1.0, "{line}: {got}");
    }
}

#[test]
fn set_overrides_a_value() {
    let file = repo("crates/plenum-scenario/scenarios/ashburn-static.toml");
    let file = file.to_str().unwrap();
    let v = json(&[
        "run",
        file,
        "--format",
        "json",
        "--set",
        "energy.pue=1.1",
        "--set",
        "people.servers_per_admin=2000",
    ]);
    let base = json(&["run", file, "--format", "json"]);
    let energy = |v: &Value| v["cost"]["monthly_usd"]["energy"].as_f64().unwrap();
    assert!((energy(&v) / energy(&base) - 1.1 / 1.45).abs() < 1e-12);
    assert!(v["cost"]["monthly_usd"]["people"].as_f64() < base["cost"]["monthly_usd"]["people"].as_f64());
}

#[test]
fn bad_file_exits_2_naming_file_line_and_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(repo("crates/plenum-scenario/scenarios/hamilton-2010.toml"))
        .unwrap()
        .replace("pue = 1.45", "pue = 0.8");
    std::fs::write(&file, &text).unwrap();
    let line = text.lines().position(|l| l == "pue = 0.8").unwrap() + 1;
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .current_dir(dir.path())
        .args(["run", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("bad.toml:{line}:")), "{err}");
    assert!(err.contains("energy.pue"), "{err}");
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "only the input file remains");
}

#[test]
fn bad_override_exits_2() {
    let out = plenum(&["run", "--set", "energy.pue=-1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--set energy.pue=-1") && err.contains("`energy.pue`"), "{err}");
}

#[test]
fn validate_accepts_every_shipped_scenario() {
    let folders = ["scenarios", "crates/plenum-scenario/scenarios"];
    for entry in folders.into_iter().flat_map(|folder| std::fs::read_dir(repo(folder)).unwrap()) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("${PLENUM_DATA}") && common::data_dir().is_none() {
                eprintln!("not validating {}", path.display());
                continue;
            }
            let out = plenum(&["validate", path.to_str().unwrap()]);
            assert!(out.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        }
    }
}

#[test]
fn schema_is_json_schema_with_every_section() {
    let v = json(&["schema"]);
    assert!(v["$schema"].as_str().unwrap().contains("json-schema.org"));
    for section in
        ["scenario", "finance", "facility", "servers", "network", "energy", "people", "maintenance"]
    {
        assert!(v["properties"][section].is_object(), "{section}");
    }
    assert_eq!(v["additionalProperties"], false);
}

/// `plenum schema --summary` is the schema of what `plenum run --format json`
/// prints: closed objects, whose properties are the printed keys.
#[test]
fn summary_schema_lists_the_keys_run_prints() {
    let schema = json(&["schema", "--summary"]);
    assert!(schema["$schema"].as_str().unwrap().contains("json-schema.org"));
    assert_eq!(schema["additionalProperties"], false);
    let properties = schema["properties"].as_object().unwrap();
    let summary = json(&["run", "--format", "json"]);
    for key in summary.as_object().unwrap().keys() {
        assert!(properties.contains_key(key), "{key} is not in the summary schema");
    }
    for key in ["reliability", "workload", "plan", "calibration", "carbon_aware"] {
        assert!(properties.contains_key(key), "{key}");
    }
    let out = plenum(&["schema", "--summary", "--markdown"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sensitivity_ranks_inputs_largest_first() {
    let file = repo("crates/plenum-scenario/scenarios/ashburn-static.toml");
    let file = file.to_str().unwrap();
    // Server counts are scale inputs, moved only when asked.
    let rows = json(&["sensitivity", file, "--format", "json", "--include-scale"]);
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 20);
    let swings: Vec<f64> = rows.iter().map(|r| r["swing_usd"].as_f64().unwrap()).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]));
    // Servers drive the most cost in Hamilton-like sites: their number, then their price.
    assert_eq!(rows[0]["input"], "servers[0].count");
    assert_eq!(rows[1]["input"], "servers[0].price_usd");
    let table = String::from_utf8(plenum(&["sensitivity", file, "--top", "5"]).stdout).unwrap();
    assert!(table.contains("servers[0].price_usd") && table.contains("-20%"), "{table}");
}

#[test]
fn a_non_finite_override_exits_2_naming_it() {
    for value in ["nan", "inf"] {
        let out = plenum(&["run", "--set", &format!("energy.pue={value}")]);
        assert_eq!(out.status.code(), Some(2), "{value}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("expected a finite number") && err.contains(&format!("--set energy.pue={value}")),
            "{err}"
        );
    }
}

/// `plenum` with `PLENUM_MAX_CPU_S` set to `cap`.
fn plenum_capped(cap: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(args)
        .env("PLENUM_MAX_CPU_S", cap)
        .env_remove("PLENUM_MAX_MEMORY_GIB")
        .output()
        .expect("plenum runs");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_run_above_the_caps_and_a_cap_that_is_not_a_number_exit_2() {
    // The embedded default: its simulated year and reliability study count.
    // Too large: the diagnostic at the field that drives the size, and how to raise the cap.
    let (code, err) = plenum_capped("0.000001", &["run"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--max-cpu-s") && err.contains("PLENUM_MAX_CPU_S"), "{err}");
    // The whole grid of a sweep is capped the same way.
    let out_file = tempfile::tempdir().unwrap();
    let out = out_file.path().join("sweep.parquet");
    let (code, err) =
        plenum_capped("0.000001", &["sweep", "--vary", "energy.pue=1.2,1.3", "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!out.exists());
    // A cap that is not a number is a usage error naming the variable.
    let (code, err) = plenum_capped("lots", &["run"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.starts_with("error: PLENUM_MAX_CPU_S: expected a number > 0"), "{err}");
}
