//! `plenum sweep`: a Parquet table with a row per variant and sample, the
//! same on any number of threads, and bad grids that write nothing.

use plenum_engine::ColumnValues;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plenum(args: &[&str], threads: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("plenum runs")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn sweep(out: &Path, threads: &str) -> Output {
    let scenario = repo("crates/plenum-scenario/scenarios/ashburn-static.toml");
    plenum(
        &[
            "sweep",
            scenario.to_str().unwrap(),
            "--vary",
            "energy.pue=1.1,1.3",
            "--vary",
            "servers[0].price_usd=1000,1450,2000",
            "--samples",
            "2",
            "--seed",
            "9",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        threads,
    )
}

#[test]
fn a_sweep_writes_a_row_per_variant_and_sample() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.parquet");
    let done = sweep(&out, "2");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let table = plenum_io::read_tables::read_parquet(&out).unwrap();
    assert_eq!(table.rows(), 12);
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names[..5], ["variant", "sample", "seed", "energy.pue", "servers[0].price_usd"]);
    assert_eq!(table.column("seed").unwrap().values, ColumnValues::U64([9, 10].repeat(6)));
    // Figures are nullable (a variant may lack one); here every row has it.
    let ColumnValues::OptF64(total) = &table.column("cost.total_monthly_usd").unwrap().values else {
        panic!("no total column")
    };
    let total: Vec<f64> = total.iter().map(|t| t.expect("every row has a total")).collect();
    // Dearer servers, higher totals; a higher PUE, higher totals.
    assert!(total[0] < total[2] && total[2] < total[4]);
    assert!(total[0] < total[6]);
}

#[test]
fn the_table_is_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one.parquet"), dir.path().join("two.parquet"));
    assert!(sweep(&one, "1").status.success());
    assert!(sweep(&two, "2").status.success());
    assert_eq!(std::fs::read(one).unwrap(), std::fs::read(two).unwrap());
}

#[test]
fn a_bad_grid_value_exits_2_naming_the_override_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.parquet");
    let scenario = repo("crates/plenum-scenario/scenarios/ashburn-static.toml");
    let args = ["sweep", scenario.to_str().unwrap(), "--vary", "energy.pue=1.2,0.5", "--out"];
    let done = plenum(&[&args[..], &[out.to_str().unwrap()]].concat(), "2");
    assert_eq!(done.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains("--set energy.pue=0.5") && stderr.contains("energy.pue"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn report_writes_the_sweep_page_with_its_chart() {
    let dir = tempfile::tempdir().unwrap();
    let (out, page) = (dir.path().join("sweep.csv"), dir.path().join("sweep.html"));
    let scenario = repo("crates/plenum-scenario/scenarios/ashburn-static.toml");
    let args = ["sweep", scenario.to_str().unwrap(), "--vary", "energy.pue=1.1,1.3", "--quiet", "--out"];
    let done =
        plenum(&[&args[..], &[out.to_str().unwrap(), "--report", page.to_str().unwrap()]].concat(), "2");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    // plenum-report's chart (no simulated year here: cost against the varied PUE) and the rows.
    assert!(html.contains("data-chart") && html.contains("Cost per server-month, USD"), "the chart");
    assert!(html.contains("<h1>Plenum sweep of ") && html.contains("energy.pue"), "the rows");
    assert_eq!(html, plenum_report_page(&out, &scenario), "the page is render_sweep's");

    // Not an .html name: a usage error, and nothing written.
    let bad = dir.path().join("other");
    std::fs::remove_file(&out).unwrap();
    let done =
        plenum(&[&args[..], &[out.to_str().unwrap(), "--report", bad.to_str().unwrap()]].concat(), "2");
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("--report"));
    assert!(!out.exists() && !bad.exists());
}

/// The page plenum-report renders for the sweep table in `csv` (rows read back).
fn plenum_report_page(csv: &Path, scenario: &Path) -> String {
    let text = std::fs::read_to_string(scenario).unwrap();
    let scenario = plenum_scenario::Scenario::load("s", &text, &[]).unwrap();
    let axes = vec![plenum_run::sweep::Axis::parse("energy.pue=1.1,1.3").unwrap()];
    let sweep = plenum_run::sweep::Sweep::new(&scenario, axes, 1, None).unwrap();
    let table = plenum_run::sweep::evaluate(&scenario, &sweep, 0..sweep.rows()).unwrap();
    assert!(csv.is_file());
    plenum_report::render_sweep(&scenario.name, &table, &["energy.pue"])
}
