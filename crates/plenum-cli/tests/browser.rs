//! The report of the default scenario in a real browser: Debian's headless
//! Chromium, driven by playwright-core (installed by the report crate's build
//! under its `OUT_DIR`, with the driver `plenum_report::BROWSER_DRIVER`), loads `report.html` from disk and the test
//! checks that every plot section drew its charts, the console stayed free
//! of errors and warnings, no request left the machine, the headline numbers
//! fit their tiles on one line at 1,100, 1,400 and 390 px (a phone), and the
//! power chart zooms; a screenshot is saved under `target/`. The plan's
//! report (the three-site growth example) is checked the same way.
//!
//! Without `/usr/bin/chromium` (or `PLENUM_CHROMIUM`) or node the test prints
//! why and returns, or fails when `CI` is set; `.ci/run` installs Chromium.

mod common;

use plenum_engine::{ColumnValues, DataTable};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let path =
        std::env::var_os("PLENUM_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.is_file() {
        Some(path)
    } else {
        common::missing(&format!("{} is not installed (the browser test needs chromium)", path.display()));
        None
    }
}

fn node_available() -> bool {
    let ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        common::missing("node is not installed (the browser test drives chromium with it)");
    }
    ok
}

fn plenum_run(dir: &Path) {
    plenum_run_with(dir, &[]);
}

fn plenum_run_with(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["run", "--quiet", "--out", dir.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Load `page` in Chromium; assert no request left the machine, the console
/// stayed clean and every plot section drew data; return what the script saw.
fn check_in_browser(chromium: &Path, page: &Path, screenshot: &Path) -> Value {
    // The driver sits beside the npm packages the report's build installed
    // under its OUT_DIR, where it finds playwright-core.
    let out = Command::new("node")
        .env("PLENUM_CHROMIUM", chromium)
        .arg(plenum_report::BROWSER_DRIVER)
        .arg(page)
        .arg(screenshot)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node check-report.mjs failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let list = |key: &str| result[key].as_array().unwrap().clone();
    assert!(list("external").is_empty(), "requests left the machine: {:?}", list("external"));
    for url in list("requests") {
        assert!(url.as_str().unwrap().starts_with("file:"), "request to {url}");
    }
    assert!(list("console").is_empty(), "console errors or warnings: {:?}", list("console"));
    assert!(list("pageErrors").is_empty(), "page errors: {:?}", list("pageErrors"));
    assert!(list("clippedTiles").is_empty(), "headline numbers clipped: {:?}", list("clippedTiles"));
    for width in ["1400", "390"] {
        let clipped = result["clippedTilesAt"][width].as_array().unwrap();
        assert!(clipped.is_empty(), "headline numbers clipped at {width} px: {clipped:?}");
    }
    let width = &result["width"];
    assert!(width["scroll"].as_u64() <= width["client"].as_u64(), "the page scrolls sideways: {width}");
    for section in list("sections").iter().filter(|s| s["plots"] == true) {
        let charts = section["charts"].as_array().unwrap();
        assert!(!charts.is_empty(), "section {} has no chart", section["id"]);
        for chart in charts {
            assert!(
                chart["svg"] == true || chart["canvas"] == true,
                "{} drew nothing: {chart}",
                section["id"]
            );
            assert!(chart["marks"].as_u64().unwrap() > 0, "{} drew no data marks: {chart}", section["id"]);
        }
    }
    assert!(std::fs::metadata(screenshot).unwrap().len() > 20_000);
    eprintln!("screenshot: {}", screenshot.display());
    result
}

fn section_ids(result: &Value) -> Vec<String> {
    result["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_default_report_renders_offline_in_chromium() {
    let Some(chromium) = chromium() else { return };
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    plenum_run(&run);
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-default.png");
    let result = check_in_browser(&chromium, &run.join("report.html"), &screenshot);
    let ids = section_ids(&result);
    for id in ["cost", "pue", "power", "power-chain", "carbon"] {
        assert!(ids.iter().any(|i| i == id), "section {id} in {ids:?}");
    }
    let sections = result["sections"].as_array().unwrap();
    // The scatter of PUE against temperature has a dot for every hour.
    let pue = sections.iter().find(|s| s["id"] == "pue").unwrap();
    assert_eq!(pue["charts"][1]["marks"], 8_760);
    // Scrolling over the power chart narrowed its time axis (it is a year: 8,760 h).
    let zoom = &result["zoom"];
    let (before, after) = (zoom["before_ms"].as_f64().unwrap(), zoom["after_ms"].as_f64().unwrap());
    assert!((before - 8_759.0 * 3.6e6).abs() < 3.6e6, "the power chart spans the year: {before} ms");
    assert!(after < 0.9 * before, "scrolling zooms in: {before} -> {after} ms");
}

/// The default site liquid-cooled (W32, adiabatic dry coolers): the liquid
/// section's supply temperature, modes by month and water by month draw.
#[test]
fn the_liquid_cooling_section_renders_in_chromium() {
    let Some(chromium) = chromium() else { return };
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let liquid = ["captured_share=0.85", "class=\"W32\"", "heat_rejection=\"adiabatic\""]
        .map(|kv| format!("cooling.liquid.{kv}"));
    let args: Vec<&str> = liquid.iter().flat_map(|kv| ["--set", kv.as_str()]).collect();
    plenum_run_with(&run, &args);
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-liquid.png");
    let result = check_in_browser(&chromium, &run.join("report.html"), &screenshot);
    let sections = result["sections"].as_array().unwrap();
    let liquid = sections.iter().find(|s| s["id"] == "liquid").expect("the liquid section");
    // Supply temperature against the weather, hours by mode, water by month.
    assert_eq!(liquid["charts"].as_array().unwrap().len(), 3, "{liquid}");
}

/// The capacity plan's report: its headline (the NPV, the largest number
/// of any report) fits its tiles at every width, and its builds are listed
/// with their reasons.
#[test]
fn the_plan_report_fits_its_numbers_at_every_width() {
    let Some(chromium) = chromium() else { return };
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("plan");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/three-site-growth.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["plan", "--quiet", "--out", run.to_str().unwrap(), scenario.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-plan.png");
    let result = check_in_browser(&chromium, &run.join("report.html"), &screenshot);
    assert!(section_ids(&result).iter().any(|i| i == "plan"), "{:?}", section_ids(&result));
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.contains("each with the reason the plan made it"), "the builds and their reasons");
}

/// The sections no shipped scenario produces yet (sensitivity rows, a
/// reliability study, a workload replay, carbon-aware shifting over two
/// sites) and the training job's, from hand-made data (the training
/// study's from the engine) on top of the
/// default run, drawn in the browser too.
#[test]
fn every_section_renders_with_hand_made_data() {
    let Some(chromium) = chromium() else { return };
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    plenum_run(&run);
    let mut folder = plenum_io::run_folder::read_run_folder(&run).unwrap();
    folder.summary.reliability = Some(plenum_engine::reliability::ReliabilitySummary {
        availability: 0.99991,
        availability_ci95: [0.99985, 0.99996],
        downtime_hours_per_year: 0.79,
        outages_per_year: 0.12,
        capacity_hours_lost_per_year: 3200.0,
        ..Default::default()
    });
    folder.summary.workload = Some(plenum_engine::workload::WorkloadFigures {
        tasks: 120000,
        served_cpu_core_hours: 91000.0,
        requested_cpu_core_hours: 95000.0,
        rejected: 12,
        mean_wait_s: 4.2,
        peak_active_hosts: 310,
        ..Default::default()
    });
    let kinds = ["outage_start", "failure", "outage_end"];
    let events = DataTable::new("reliability_events", "events")
        .with("replication", "", ColumnValues::U64((0..300).map(|i| i / 3).collect()))
        .with(
            "time_h",
            "",
            ColumnValues::F64((0..300).map(|i| f64::from(i) * (1.0 + f64::from(i % 7))).collect()),
        )
        .with("kind", "", ColumnValues::Text((0..300).map(|i| kinds[i % 3].to_string()).collect()));
    let cluster = DataTable::new("workload_cluster", "fleet")
        .with("time_s", "", ColumnValues::F64((0..600).map(|i| f64::from(i) * 300.0).collect()))
        .with("active_hosts", "", ColumnValues::U64((0..600).map(|i| 200 + (i * 7) % 110).collect()))
        .with(
            "mean_utilization",
            "",
            ColumnValues::F64((0..600).map(|i| 0.3 + 0.2 * (f64::from(i) / 50.0).sin()).collect()),
        );
    let hosts = DataTable::new("workload_hosts", "hosts").with(
        "mean_utilization",
        "",
        ColumnValues::F64((0..320).map(|i| (f64::from(i) * 0.618).fract()).collect()),
    );
    let site = |baseline_t, shifted_t| plenum_engine::carbon_aware::SiteFigures {
        baseline_t,
        shifted_t,
        ..Default::default()
    };
    folder.summary.carbon_aware = Some(plenum_engine::carbon_aware::CarbonAwareSummary {
        policy: "both".into(),
        baseline_t: 2.0,
        shifted_t: 1.4,
        saving_share: 0.3,
        mean_delay_h: 1.2,
        p95_delay_h: 5.5,
        queued_jobs: 2,
        jobs: 400,
        moved_jobs: 150,
        sites: Some([("de".to_string(), site(2.0, 0.8)), ("fr".to_string(), site(0.0, 0.6))].into()),
        ..Default::default()
    });
    let slot_site = |i: u32| if i < 300 { "de".to_string() } else { "fr".to_string() };
    let slots = DataTable::new("carbon_aware_slots", "slots")
        .with("site", "", ColumnValues::Text((0..600).map(slot_site).collect()))
        .with(
            "time_s",
            "",
            ColumnValues::F64((0..600).map(|i| 1.5778e9 + f64::from(i % 300) * 1800.0).collect()),
        )
        .with(
            "intensity_g_per_kwh",
            "",
            ColumnValues::F64((0..600).map(|i| 300.0 + 100.0 * (f64::from(i) / 24.0).sin()).collect()),
        )
        .with("baseline_hosts", "", ColumnValues::F64((0..600).map(|i| f64::from(i % 9)).collect()))
        .with("shifted_hosts", "", ColumnValues::F64((0..600).map(|i| f64::from(i % 5)).collect()));
    let shifted_jobs = DataTable::new("carbon_aware_jobs", "jobs").with(
        "delay_h",
        "",
        ColumnValues::F64((0..400).map(|i| f64::from(i % 17) * 0.5 - 2.0).collect()),
    );
    folder.tables.extend([events, cluster, hosts, slots, shifted_jobs]);
    // The training section from the engine's own study of the shipped scenario.
    let training = plenum_scenario::Scenario::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/llama3-scale-training.toml"
    ))
    .unwrap();
    let study = plenum_engine::training::run_controlled(
        training.training.as_ref().unwrap(),
        training.seed,
        training.physics.as_ref().map(|p| &p.power_chain),
        plenum_engine::training::TrainingPrices { total_monthly_usd: 2.2e7, price_usd_per_kwh: 0.07 },
        &plenum_engine::Control::default(),
    )
    .unwrap();
    folder.summary.training = Some(study.training);
    folder.summary.power_dynamics = Some(study.power_dynamics);
    folder.tables.push(study.waveform);
    let rows = json!([
        {"input": "energy.price_usd_per_kwh", "base_value": 0.07, "low_value": 0.056, "high_value": 0.084,
         "total_low_usd": 4129478.0, "total_high_usd": 4295147.0, "swing_usd": 165669.0},
        {"input": "servers[0].price_usd", "base_value": 1450.0, "low_value": 1160.0, "high_value": 1740.0,
         "total_low_usd": 3812692.0, "total_high_usd": 4611933.0, "swing_usd": 799241.0}
    ]);
    let page = plenum_report::render_report(&plenum_report::Run {
        summary: &folder.summary,
        scenario_toml: folder.scenario_toml.as_deref(),
        tables: &folder.tables,
        sensitivity: Some(&rows),
    })
    .unwrap();
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-all-sections.html");
    std::fs::write(&path, page).unwrap();
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-all-sections.png");
    let result = check_in_browser(&chromium, &path, &screenshot);
    let ids = section_ids(&result);
    for id in [
        "cost",
        "sensitivity",
        "pue",
        "power",
        "power-chain",
        "carbon",
        "carbon-aware",
        "reliability",
        "training",
        "workload",
        "data",
    ] {
        assert!(ids.iter().any(|i| i == id), "section {id} in {ids:?}");
    }
}
