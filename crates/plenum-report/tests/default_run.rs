//! The report of the embedded default scenario, rendered from a real run:
//! the chart data agrees with the summary, every section with data is there,
//! and the page stays small and self-contained.

use plenum_engine::{DataTable, Inputs, Summary};
use plenum_report::{Run, render_report};
use plenum_scenario::Scenario;
use serde_json::Value;

fn default_run() -> (Summary, Vec<DataTable>, String) {
    let scenario = Scenario::embedded_default();
    let results = plenum_engine::run(&scenario, &Inputs::default()).unwrap();
    let summary = results.summary();
    (summary, results.tables, scenario.document.source.to_string())
}

/// Every chart specification in a page, by the id of the section it is in.
fn charts(page: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for piece in page.split('<').skip(1) {
        if let Some(rest) = piece.strip_prefix("section id=\"") {
            section = rest.split('"').next().unwrap().to_string();
        }
        if let Some(rest) = piece.strip_prefix("script type=\"application/json\" data-chart=\"") {
            let json = &rest[rest.find('>').unwrap() + 1..];
            out.push((section.clone(), serde_json::from_str(json).unwrap()));
        }
    }
    out
}

fn values(spec: &Value) -> &Vec<Value> {
    spec["data"]["values"].as_array().expect("inline data")
}

#[test]
fn the_default_report_matches_its_summary() {
    let (summary, tables, toml) = default_run();
    let run = Run { summary: &summary, scenario_toml: Some(&toml), tables: &tables, sensitivity: None };
    let page = render_report(&run).unwrap();
    assert!(page.len() < 5_000_000, "report is {} bytes", page.len());
    assert!(!page.contains("<script src") && !page.contains("<link"), "nothing is loaded from elsewhere");
    let charts = charts(&page);
    let sections: Vec<&str> = charts.iter().map(|(s, _)| s.as_str()).collect();
    for id in ["cost", "pue", "power", "power-chain", "carbon"] {
        assert!(sections.contains(&id), "section {id} has a chart: {sections:?}");
    }
    for id in ["sensitivity", "reliability", "workload"] {
        assert!(!sections.contains(&id), "no data for {id}");
    }
    let spec = |id: &str, n: usize| &charts.iter().filter(|(s, _)| s == id).nth(n).unwrap().1;

    // Power over time: one row per hour, stacking to the facility power.
    let hourly = &tables[0];
    let facility = match &hourly.column("facility_power_kw").unwrap().values {
        plenum_engine::ColumnValues::F64(v) => v.clone(),
        _ => unreachable!(),
    };
    let rows = values(spec("power", 0));
    assert_eq!(rows.len(), 8_760);
    for (row, kw) in rows.iter().zip(&facility) {
        let stack: f64 = ["it", "loss", "cool", "other"].iter().map(|k| row[k].as_f64().unwrap()).sum();
        assert!((stack - kw / 1e3).abs() < 0.003, "hour {}: {stack} MW vs {kw} kW", row["h"]);
    }

    // Economizer hours by month add up to the summary's.
    let bars = values(spec("pue", 2));
    let with_economizer: u64 =
        bars.iter().filter(|b| b["mode"] != "Chillers only").map(|b| b["hours"].as_u64().unwrap()).sum();
    assert_eq!(with_economizer, summary.cooling.as_ref().unwrap().economizer_hours);
    assert_eq!(bars.iter().map(|b| b["hours"].as_u64().unwrap()).sum::<u64>(), 8_760);

    // Each stage's peak loading is the summary's peak_loading.
    let points = spec("power-chain", 0)["layer"][1]["data"]["values"].as_array().unwrap();
    let stages = summary.power_chain.as_ref().unwrap();
    assert_eq!(points.len(), 4 * stages.len());
    for (name, stage) in stages {
        let peak = points
            .iter()
            .find(|p| p["stat"] == "peak" && p["stage"].as_str().unwrap().starts_with(&format!("{name} (")))
            .unwrap_or_else(|| panic!("peak of {name}"));
        let want = stage.peak_loading * 100.0;
        assert!((peak["pct"].as_f64().unwrap() - want).abs() < 0.006, "{name}: {peak} vs {want}");
    }

    // The heat map covers 12 months x 24 hours and averages to the year's carbon.
    let cells = values(spec("carbon", 0));
    assert_eq!(cells.len(), 288);
    let days_in_month = [31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0];
    let tonnes: f64 = cells
        .iter()
        .map(|c| c["kg"].as_f64().unwrap() * days_in_month[c["month"].as_u64().unwrap() as usize - 1] / 1e3)
        .sum();
    let operational = summary.carbon.as_ref().unwrap().operational_t;
    assert!((tonnes - operational).abs() / operational < 1e-3, "{tonnes} vs {operational}");

    // Cost bars are the summary's lines.
    let lines = values(spec("cost", 0));
    let total: f64 = lines.iter().map(|l| l["usd"].as_f64().unwrap()).sum();
    assert!((total - summary.cost.monthly_usd.total()).abs() < 4.0);
}

#[test]
fn the_header_shows_inputs_and_headline_figures() {
    let (summary, tables, toml) = default_run();
    let toml = format!(
        "{toml}\n# Overrides applied on the command line:\n#   --set energy.price_usd_per_kwh=0.09\n"
    );
    let run = Run { summary: &summary, scenario_toml: Some(&toml), tables: &tables, sensitivity: None };
    let page = render_report(&run).unwrap();
    let header = &page[page.find("<header>").unwrap()..page.find("</header>").unwrap()];
    for needle in [
        "ashburn-8mw",
        "Total cost of ownership",
        "$4,2",
        "Cost per server-month",
        "Cost per used vCPU-hour",
        "Annual PUE",
        "1.2",
        "MWh a year",
        "tCO2e a year",
        "built-in climate ashburn, grid pjm",
        "8,000 kW",
        "45,978 servers",
        "$0.09/kWh",
        "--set energy.price_usd_per_kwh=0.09",
    ] {
        assert!(header.contains(needle), "header lacks {needle:?}:\n{header}");
    }
    assert!(!header.contains("Availability"), "no reliability study ran");
}
