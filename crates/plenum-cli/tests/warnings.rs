//! What a user sees of an infeasible design: warnings on stderr after the
//! run, one line each (`warning[code]: message (field)`), in the JSON summary
//! and the report header, and `--strict` turning any of them into exit 3.
//! Also the lines that used to mislead: PSU losses not modelled, the
//! utilization behind the vCPU-hour price floor, nameplate against critical power.

use serde_json::Value;
use std::process::{Command, Output};

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

/// The default site scaled down to 4,600 servers, with critical power below its peak IT.
const OVERLOADED: [&str; 4] = ["--set", "servers[0].count=4600", "--set", "facility.critical_power_kw=600"];

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_default_run_warns_of_nothing_even_when_strict() {
    let out = plenum(&["run", "--strict", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning["), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn an_overloaded_design_runs_and_warns_on_stderr() {
    let mut args = vec!["run"];
    args.extend(OVERLOADED);
    let out = plenum(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Simulated year"), "the run completes");
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with("warning[it_over_critical_power]: "))
        .unwrap_or_else(|| panic!("no IT warning in\n{err}"));
    assert!(line.ends_with(" (facility.critical_power_kw)"), "{line}");
    assert!(err.lines().any(|l| l.starts_with("warning[stage_over_rating]: stage ")), "{err}");
}

#[test]
fn strict_exits_3_after_printing_the_results() {
    let mut args = vec!["run", "--strict", "--format", "json"];
    args.extend(OVERLOADED);
    let out = plenum(&args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("the summary is printed first");
    let warnings = v["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty());
    for w in warnings {
        for key in ["code", "message", "field"] {
            assert!(w[key].is_string(), "{w}");
        }
    }
    assert!(stderr(&out).contains("--strict"), "{}", stderr(&out));
}

#[test]
fn the_report_header_lists_the_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("run");
    let folder_text = folder.to_str().unwrap();
    let mut args = vec!["run", "--quiet", "--out", folder_text];
    args.extend(OVERLOADED);
    let out = plenum(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(folder.join("report.html")).unwrap();
    let header = &page[page.find("<header>").unwrap()..page.find("</header>").unwrap()];
    assert!(header.contains("class=\"warnings\""), "{header}");
    assert!(header.contains("<code>it_over_critical_power</code>"), "{header}");
    assert!(header.contains("<code>facility.critical_power_kw</code>"), "{header}");
}

#[test]
fn psu_losses_say_when_they_are_not_modelled() {
    let text = String::from_utf8(plenum(&["run"]).stdout).unwrap();
    let line = text.lines().find(|l| l.contains("of which server PSU losses")).unwrap();
    assert!(line.contains("not modelled"), "{line}");
    let v: Value = serde_json::from_slice(&plenum(&["run", "--format", "json"]).stdout).unwrap();
    assert!(v["energy"]["psu_losses_mwh"].is_null(), "not a zero: {}", v["energy"]);
    let out = plenum(&[
        "run",
        "--set",
        "servers[0].psu=titanium",
        "--set",
        "servers[0].count=4600",
        "--set",
        "facility.critical_power_kw=800",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.contains("of which server PSU losses")).unwrap();
    assert!(!line.contains("not modelled") && line.chars().any(|c| c.is_ascii_digit()), "{line}");
}

#[test]
fn the_price_floor_uses_and_states_the_simulated_utilization() {
    let v: Value = serde_json::from_slice(&plenum(&["run", "--format", "json"]).stdout).unwrap();
    let used = v["cost"]["mean_cpu_utilization"].as_f64().unwrap();
    assert_eq!(used, v["mean_utilization"].as_f64().unwrap(), "the year's mean, not the profile's 30%");
    assert_eq!(v["cost"]["mean_cpu_utilization_source"], "simulated year");
    let text = String::from_utf8(plenum(&["run"]).stdout).unwrap();
    let expected = format!("per vCPU-hour at {:.1}% utilization, the simulated year's mean", used * 100.0);
    assert!(text.contains(&expected), "{expected:?} not in\n{text}");
    // Without a year, the scenario's figure, and the table says so.
    let static_site = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/plenum-scenario/scenarios/ashburn-static.toml");
    let text = String::from_utf8(plenum(&["run", static_site.to_str().unwrap()]).stdout).unwrap();
    assert!(
        text.contains("per vCPU-hour at 30.0% utilization, from utilization.mean_cpu_fraction"),
        "{text}"
    );
}

#[test]
fn nameplate_just_above_critical_power_prints_apart() {
    // Hamilton 2010: 45,978 servers x 174 W = 8,000.172 kW against 8,000 kW.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/plenum-scenario/scenarios/hamilton-2010.toml");
    let text = String::from_utf8(plenum(&["run", repo.to_str().unwrap()]).stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("IT nameplate")).unwrap();
    assert!(!line.contains("1.00 x"), "{line}");
    assert!(line.contains("8000.2 kW = 1.00002 x critical power 8000.0 kW"), "{line}");
    assert!(line.contains("0.17 kW above critical power"), "{line}");
}
