//! The pages end to end in headless Chromium (Debian's `/usr/bin/chromium`,
//! driven by `js/e2e.mjs` with node and the playwright-core the report crate
//! installs): open a shipped scenario, see an error flagged on its line, fix
//! it, run, read the PUE, change the climate and the price in the form view
//! (the TOML changes, comments kept), run again, compare with both years
//! overlaid, sweep 2 x 2 and see plenum-report's chart; keyboard focus and a
//! phone-sized screen. Screenshots
//! are saved under the target folder (`serve-e2e/`).
//!
//! Without chromium or node the test prints why and returns, or fails when
//! `CI` is set (`.ci/run` installs both).

mod common;

use common::TestServer;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn missing(what: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{what}, and CI is set: this test must run in CI (.ci/run provides it)");
    }
    eprintln!("{what}: skipping (it would fail with CI set)");
}

fn tools() -> Option<PathBuf> {
    let chromium =
        std::env::var_os("PLENUM_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.is_file() {
        missing(&format!("{} is not installed (the browser test needs chromium)", chromium.display()));
        return None;
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing("node is not installed (the browser test drives chromium with it)");
        return None;
    }
    Some(chromium)
}

fn step<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("step {name:?} did not run: {result:#}"))
}

fn number(text: &Value) -> f64 {
    text.as_str().unwrap().replace(',', "").trim().parse().unwrap()
}

#[test]
fn a_planner_edits_runs_compares_and_sweeps_in_the_browser() {
    let Some(chromium) = tools() else { return };
    let server = TestServer::start(|c, _| c.workers = 2);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // plenum-report's build installs its npm packages under its OUT_DIR,
    // beside its own browser driver.
    let playwright =
        Path::new(plenum_report::BROWSER_DRIVER).with_file_name("node_modules").join("playwright-core");
    assert!(
        playwright.is_dir(),
        "playwright-core is installed by plenum-report's build: {}",
        playwright.display()
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../target"));
    let shots = target.join("serve-e2e");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .env("PLENUM_CHROMIUM", &chromium)
        .arg(manifest.join("js/e2e.mjs"))
        .arg(format!("http://{}", server.addr))
        .arg(&shots)
        .arg(&playwright)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node e2e.mjs failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert!(result.get("failure").is_none(), "the script stopped: {result:#}");
    assert!(result["external"].as_array().unwrap().is_empty(), "requests left the server: {result:#}");
    // Chromium logs every 4xx answer to a fetch; the live validation's 422
    // (a scenario with problems, which the page shows) is the only one expected.
    let unexpected: Vec<&Value> = result["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m.as_str().unwrap().contains("the server responded with a status of 422"))
        .collect();
    assert!(unexpected.is_empty(), "console errors: {result:#}");
    assert!(result["pageErrors"].as_array().unwrap().is_empty(), "page errors: {result:#}");

    let completion = step(&result, "completion");
    assert_eq!(completion["title"], "Keys of [energy]", "{completion}");
    let offered: Vec<&str> =
        completion["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    let schema = plenum_scenario::json_schema();
    let energy = schema["properties"]["energy"]["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
    let expected: Vec<&str> =
        schema["$defs"][energy]["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(offered, expected, "the schema's keys of [energy], in its order");

    let broken = step(&result, "broken");
    let line = broken["expectedLine"].as_u64().unwrap();
    assert_eq!(broken["flagged"], serde_json::json!([line]), "the error is flagged on its line: {broken}");
    let diagnostics = broken["diagnostics"].as_array().unwrap();
    assert!(diagnostics[0].as_str().unwrap().contains(&format!("line {line}")), "{broken}");
    assert!(diagnostics[0].as_str().unwrap().contains("did you mean"), "{broken}");
    assert_eq!(broken["runDisabled"], true);
    assert_eq!(step(&result, "jumped")["caretLine"], line);

    let first = step(&result, "first run");
    let second = step(&result, "second run");
    assert_eq!(first["status"], "done", "{first}");
    assert_eq!(second["status"], "done", "{second}");
    assert!(first["reportCharts"].as_u64().unwrap() > 0, "the report drew its charts in the page: {first}");
    let (pue_ashburn, pue_phoenix) = (number(&first["pue"]), number(&second["pue"]));
    assert!(pue_ashburn > 1.0 && pue_ashburn < 2.0, "{first}");
    assert!(pue_phoenix > pue_ashburn, "Phoenix is hotter than Ashburn: {pue_phoenix} vs {pue_ashburn}");
    // The PUE shown is the run's, to the digits shown.
    let id: i64 = first["url"].as_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let stored = server.get(&format!("/api/runs/{id}")).json()["summary"]["pue"]["annual"].as_f64().unwrap();
    assert!((stored - pue_ashburn).abs() < 0.0005, "{stored} vs {pue_ashburn}");

    let form = step(&result, "form");
    assert_eq!(form["expanded"], "true", "Enter on the toggle opens the form: {form}");
    assert_eq!(form["climate"], "ashburn", "{form}");
    let groups: Vec<&str> = form["groups"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert_eq!(groups, ["Site", "Fleet", "Cooling", "Power chain", "Finance"], "{form}");
    let changed: Vec<&str> =
        form["changed"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(changed.len(), 3, "climate, the grid that moves with it, price: {form}");
    let line = |start: &str| changed.iter().find(|l| l.starts_with(start)).copied();
    assert!(line("climate = \"phoenix\"").is_some_and(|l| l.contains("# the TMYx")), "comment kept: {form}");
    assert!(line("grid = \"azps\"").is_some(), "{form}");
    assert!(line("price_usd_per_kwh = 0.08").is_some(), "{form}");
    assert_eq!(form["sameLineCount"], true);
    assert_eq!(form["commentsBefore"], form["commentsAfter"]);
    assert_eq!(form["formClimate"], "phoenix");
    assert!(
        form["focusedAfterTab"].as_str().is_some_and(|p| p != "energy.price_usd_per_kwh"),
        "Tab moves on: {form}"
    );

    let compare = step(&result, "compare");
    assert_eq!(compare["overlayCharts"], 2, "daily PUE and power of both runs: {compare}");
    assert_eq!(compare["overlayRuns"], 4, "a line per run on each chart: {compare}");
    let row: Vec<String> =
        compare["pueRow"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(row.len(), 5, "{compare}");
    assert!(row[0].contains("PUE"), "{compare}");

    let sweep = step(&result, "sweep");
    assert_eq!(sweep["status"], "done", "{sweep}");
    assert_eq!(sweep["rows"], 4);
    assert_eq!(sweep["points"], 4, "the chart has a point per row: {sweep}");
    let parquet = server.get(sweep["parquet"].as_str().unwrap());
    assert_eq!(&parquet.body[..4], b"PAR1");

    let focused = step(&result, "keyboard")["focused"].as_str().unwrap_or("").to_string();
    assert!(!focused.is_empty() && focused != "editor", "Escape then Tab leaves the editor: {focused:?}");
    let width = &step(&result, "phone")["width"];
    assert!(width["scroll"].as_u64() <= width["client"].as_u64(), "the phone page scrolls sideways: {width}");
    let width = &step(&result, "phone form")["width"];
    assert!(width["scroll"].as_u64() <= width["client"].as_u64(), "the form view scrolls sideways: {width}");
    for shot in [
        "1-error-flagged.png",
        "2-first-run.png",
        "2b-form-view.png",
        "3-compare.png",
        "3b-compare-overlay.png",
        "4-sweep.png",
        "5-phone-history.png",
        "6-phone-form.png",
    ] {
        assert!(shots.join(shot).is_file(), "{shot}");
    }
}
