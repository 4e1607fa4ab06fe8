//! The data outputs as another program reads them: `hourly.parquet` and
//! `summary.json` through pyarrow (installed by `.ci/run`), and the CSV
//! written with `--csv` beside the Parquet file.
//!
//! Without a Python that can import pyarrow the pyarrow check prints why and
//! returns; CI installs it.

mod common;

use std::path::Path;
use std::process::Command;

const HOURLY_COLUMNS: &[&str] = &[
    "hour_of_year",
    "month",
    "hour_of_day",
    "dry_bulb_c",
    "wet_bulb_c",
    "utilization",
    "it_power_kw",
    "psu_losses_kw",
    "transformer_loss_kw",
    "transformer_loading",
    "ups_loss_kw",
    "ups_loading",
    "pdu_loss_kw",
    "pdu_loading",
    "chillers_kw",
    "fans_kw",
    "pumps_kw",
    "towers_kw",
    "cooling_kw",
    "economizer_fraction",
    "other_kw",
    "facility_power_kw",
    "pue",
    "carbon_intensity_g_per_kwh",
    "carbon_kg",
    "energy_price_usd_per_kwh",
    "energy_cost_usd",
];

/// The Python check: prints one JSON line describing what it read.
const READER: &str = r#"
import json, sys
import pyarrow.parquet as pq
folder = sys.argv[1]
table = pq.read_table(folder + "/hourly.parquet")
fields = {f.name: (f.metadata or {}).get(b"description", b"").decode() for f in table.schema}
summary = json.load(open(folder + "/summary.json"))
print(json.dumps({
    "rows": table.num_rows,
    "columns": table.column_names,
    "described": all(fields.values()),
    "types": sorted({str(f.type) for f in table.schema}),
    "it_mwh": sum(table.column("it_power_kw").to_pylist()) / 1000,
    "summary_it_mwh": summary["energy"]["it_mwh"],
    "name": summary["scenario"]["name"],
}))
"#;

fn pyarrow_available() -> bool {
    match Command::new("python3").args(["-c", "import pyarrow"]).output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            common::missing(&format!(
                "pyarrow is not importable ({})",
                String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
            ));
            false
        }
        Err(e) => {
            common::missing(&format!("python3 cannot run ({e}), so pyarrow cannot"));
            false
        }
    }
}

fn run_default(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["run", "--quiet", "--csv", "--out", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn pyarrow_reads_the_hourly_table_and_the_summary() {
    if !pyarrow_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    run_default(&run);
    let out = Command::new("python3").args(["-c", READER, run.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"], 8_760);
    assert_eq!(v["name"], "ashburn-8mw");
    let columns: Vec<&str> = v["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    for c in HOURLY_COLUMNS {
        assert!(columns.contains(c), "hourly.parquet lacks {c}: {columns:?}");
    }
    assert_eq!(v["described"], true, "every column carries a description");
    assert_eq!(v["types"], serde_json::json!(["double", "uint64"]));
    let (read, summary) = (v["it_mwh"].as_f64().unwrap(), v["summary_it_mwh"].as_f64().unwrap());
    assert!((read - summary).abs() < 1e-6 * summary, "{read} vs {summary}");
}

#[test]
fn csv_has_the_same_columns_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    run_default(&run);
    let text = std::fs::read_to_string(run.join("hourly.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for c in HOURLY_COLUMNS {
        assert!(header.contains(c), "hourly.csv lacks {c}");
    }
    assert_eq!(lines.count(), 8_760);
    let table = plenum_io::read_tables::read_parquet(&run.join("hourly.parquet")).unwrap();
    assert_eq!(table.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), header);
}
