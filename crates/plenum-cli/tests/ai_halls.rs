//! The AI-hall scenarios through the CLI: the same H100 fleet at Ashburn
//! air-cooled (`scenarios/h100-air.toml`) and liquid-cooled
//! (`scenarios/h100-liquid.toml`). Liquid has the lower PUE and the lower
//! cost per GPU-hour, and `plenum report A B` says by how much.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plenum(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs");
    assert!(out.status.success(), "plenum {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn run(scenario: &str, out: &Path) -> Value {
    plenum(&["run", s(&repo(scenario)), "--out", s(out), "--quiet"]);
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

fn number(v: &Value, path: &[&str]) -> f64 {
    path.iter().fold(v, |v, k| &v[*k]).as_f64().unwrap_or_else(|| panic!("{path:?} is not a number"))
}

/// The row of the comparison table whose label starts with `label`.
fn row<'a>(table: &'a str, label: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.trim_start_matches(['│', ' ']).starts_with(label))
        .unwrap_or_else(|| panic!("no row {label:?} in:\n{table}"))
}

#[test]
fn liquid_cooling_lowers_pue_and_the_gpu_hour_at_ashburn_and_the_report_says_by_how_much() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("air"), dir.path().join("liquid"));
    let air = run("scenarios/h100-air.toml", &a);
    let liquid = run("scenarios/h100-liquid.toml", &b);
    // The same fleet and the same IT energy: only the cooling differs.
    assert_eq!(air["it"]["accelerators"]["count"], 4096);
    assert_eq!(air["it"]["accelerators"], liquid["it"]["accelerators"]);
    // (Summed over racks of two servers or of four: equal to rounding.)
    let it_mwh = |v: &Value| number(v, &["energy", "it_mwh"]);
    assert!((it_mwh(&air) - it_mwh(&liquid)).abs() < 1e-9 * it_mwh(&air));
    let (pue_air, pue_liquid) = (number(&air, &["pue", "annual"]), number(&liquid, &["pue", "annual"]));
    let gpu = ["cost", "per_gpu_hour_usd"];
    let (gpu_air, gpu_liquid) = (number(&air, &gpu), number(&liquid, &gpu));
    assert!(pue_liquid < pue_air, "PUE liquid {pue_liquid} against air {pue_air}");
    assert!(gpu_liquid < gpu_air, "GPU-hour liquid {gpu_liquid} against air {gpu_air}");
    // Both price the GPU-hour at the same stated utilization.
    let assumed = ["cost", "per_gpu_hour_assumed_utilization"];
    assert_eq!(number(&air, &assumed), number(&liquid, &assumed));
    assert!(liquid["cooling"]["liquid"]["chiller_hours"].as_u64().unwrap() < 8_760);

    let out = plenum(&["report", s(&a), s(&b), "--out", s(&dir.path().join("compare.html"))]);
    let table = String::from_utf8(out.stdout).unwrap();
    let relative = |a: f64, b: f64| format!("{:.2}%", (b - a) / a * 100.0);
    let pue_row = row(&table, "Annual PUE");
    assert!(pue_row.contains(&format!("{:.3}", pue_liquid - pue_air)), "{pue_row}");
    assert!(pue_row.contains(&relative(pue_air, pue_liquid)), "{pue_row}");
    let gpu_row = row(&table, "Cost per used GPU-hour");
    assert!(gpu_row.contains(&relative(gpu_air, gpu_liquid)) && gpu_row.contains("-$"), "{gpu_row}");
    assert!(row(&table, "cooling.liquid.class").contains("W32"));
}
