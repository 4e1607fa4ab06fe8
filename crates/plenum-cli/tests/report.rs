//! `report.html` through the CLI: written by `plenum run --out`, rebuilt by
//! `plenum report` without simulating, two runs compared, bad run folders
//! refused with exit 2, and progress on stderr only when asked.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

fn ok(args: &[&str]) -> Output {
    let out = plenum(args);
    assert!(out.status.success(), "plenum {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn run_writes_a_report_that_rebuilds_identically() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    ok(&["run", "--out", s(&run)]);
    let report = std::fs::read(run.join("report.html")).unwrap();
    assert!(report.len() < 5_000_000, "{} bytes", report.len());
    let text = String::from_utf8(report.clone()).unwrap();
    for id in ["cost", "pue", "power", "power-chain", "carbon", "data"] {
        assert!(text.contains(&format!("<section id=\"{id}\"")), "section {id}");
    }
    // Rebuilt from the folder alone: the same bytes, elsewhere or in place.
    let copy = dir.path().join("copy.html");
    ok(&["report", s(&run), "--out", s(&copy)]);
    assert_eq!(std::fs::read(&copy).unwrap(), report);
    std::fs::remove_file(run.join("report.html")).unwrap();
    let out = ok(&["report", s(&run)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("report.html"));
    assert_eq!(std::fs::read(run.join("report.html")).unwrap(), report);
    let mut names: Vec<String> =
        std::fs::read_dir(&run).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, [".plenum-run", "hourly.parquet", "report.html", "scenario.toml", "summary.json"]);
}

#[test]
fn a_fixed_pue_run_reports_cost_only() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("h");
    ok(&[
        "run",
        s(&repo("crates/plenum-scenario/scenarios/hamilton-2010.toml")),
        "--out",
        s(&run),
        "--quiet",
    ]);
    let text = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(text.contains("<section id=\"cost\"") && text.contains("fixed PUE 1.45"));
    for id in ["pue", "power", "power-chain", "carbon", "sensitivity"] {
        assert!(!text.contains(&format!("<section id=\"{id}\"")), "no data for {id}");
    }
}

#[test]
fn sensitivity_out_is_a_run_folder_with_a_tornado() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("sens");
    ok(&[
        "sensitivity",
        s(&repo("crates/plenum-scenario/scenarios/hamilton-2010.toml")),
        "--out",
        s(&run),
        "--format",
        "json",
    ]);
    for file in ["summary.json", "scenario.toml", "sensitivity.json", "report.html"] {
        assert!(run.join(file).is_file(), "{file}");
    }
    let text = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(text.contains("<section id=\"sensitivity\""));
    assert!(text.contains("energy.price_usd_per_kwh"), "an input of the scenario is ranked");
}

#[test]
fn two_runs_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let scenario = repo("crates/plenum-scenario/scenarios/hamilton-2010.toml");
    ok(&["run", s(&scenario), "--out", s(&a), "--quiet"]);
    ok(&["run", s(&scenario), "--out", s(&b), "--quiet", "--set", "energy.price_usd_per_kwh=0.1"]);
    let html = dir.path().join("compare.html");
    let out = ok(&["report", s(&a), s(&b), "--out", s(&html)]);
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "energy.price_usd_per_kwh",
        "0.07",
        "0.1",
        "Total cost of ownership",
        "$3,530,988",
        // Energy: 8,000 kW x 0.8 x 1.45 x 730 h x $0.03 more.
        "+$203,232",
    ] {
        assert!(text.contains(needle), "comparison lacks {needle:?}:\n{text}");
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("energy.price_usd_per_kwh") && page.contains("<section id=\"cost\""));
    // The same run twice: no input differs.
    let same = ok(&["report", s(&a), s(&a)]);
    assert!(String::from_utf8_lossy(&same.stdout).contains("the same in both runs"));
}

#[test]
fn bad_run_folders_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let out = plenum(&["report", s(&missing)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(s(&missing)));

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = plenum(&["report", s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(s(&empty.join("summary.json"))) && err.contains("not a run folder"), "{err}");

    std::fs::write(empty.join("summary.json"), "{\"scenario\": {\"name\": \"x\"}}").unwrap();
    let out = plenum(&["report", s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("summary.json:1") && err.contains("missing field `seed`"), "{err}");

    std::fs::write(empty.join("summary.json"), "{\"scenario\": ").unwrap();
    let out = plenum(&["report", s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("summary.json:1"));
    assert!(!empty.join("report.html").exists(), "nothing written");

    // In a comparison, the bad folder is the one named.
    let good = dir.path().join("good");
    ok(&[
        "run",
        s(&repo("crates/plenum-scenario/scenarios/hamilton-2010.toml")),
        "--out",
        s(&good),
        "--quiet",
    ]);
    let out = plenum(&["report", s(&good), s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(s(&empty)));
}

#[test]
fn progress_only_when_asked_or_on_a_terminal() {
    // Hamilton 2008: no warning (2010's nameplate is 0.17 kW above its critical
    // power, a warning that is printed however quiet).
    let scenario = repo("crates/plenum-scenario/scenarios/hamilton-2008.toml");
    let quiet = ok(&["run", s(&scenario)]);
    assert!(quiet.stderr.is_empty(), "stderr is not a terminal: {}", String::from_utf8_lossy(&quiet.stderr));
    let shown = ok(&["run", s(&scenario), "--progress"]);
    assert!(String::from_utf8_lossy(&shown.stderr).contains("running hamilton-2008"));
    let sens = ok(&["sensitivity", s(&scenario), "--progress", "--format", "json"]);
    let err = String::from_utf8_lossy(&sens.stderr);
    assert!(err.contains("moving inputs") && err.contains("ETA"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&["run", s(&scenario), "--quiet", "--out", s(&dir.path().join("r"))]);
    assert!(out.stderr.is_empty());
    let both = plenum(&["run", "--quiet", "--progress"]);
    assert_eq!(both.status.code(), Some(2), "clap refuses both");
}

/// The sections of the reliability and workload engines, from real runs.
fn charts_in(page: &str, section: &str) -> usize {
    let start = page.find(&format!("<section id=\"{section}\"")).unwrap_or_else(|| panic!("no {section}"));
    let end = start + page[start..].find("</section>").unwrap();
    page[start..end].matches("data-chart=").count()
}

#[test]
fn a_reliability_run_reports_availability_and_outages() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("dean");
    ok(&["run", s(&repo("scenarios/dean-cluster-year.toml")), "--out", s(&run), "--quiet"]);
    let page = std::fs::read_to_string(run.join("report.html")).unwrap();
    // Availability, outage percentiles over all replications, and the logged outages.
    assert_eq!(charts_in(&page, "reliability"), 3);
    assert!(page.contains("Availability") && page.contains("reliability_events.parquet"));
    assert!(!page.contains("<section id=\"workload\""));
}

#[test]
fn a_workload_run_reports_hosts_and_utilization() {
    let Some(data) = common::data_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("surf");
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .env("PLENUM_DATA", data)
        .args(["run", s(&repo("scenarios/opendc-surf-week.toml")), "--out", s(&run), "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(run.join("report.html")).unwrap();
    // Work served, hosts and utilization over time, host utilization spread.
    assert_eq!(charts_in(&page, "workload"), 3);
    assert!(page.contains("6,295"), "the trace's task count");
}
