//! The simulated year through the CLI: real data files from `PLENUM_DATA`,
//! bad weather and carbon files, and `--out` folders written whole.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plenum(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).current_dir(dir).args(args).output().expect("plenum runs")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path).canonicalize().unwrap()
}

fn data() -> Option<PathBuf> {
    common::data_dir()
}

/// A scenario: the default with its `[site]` table replaced.
fn with_site(site: &str) -> String {
    let text = std::fs::read_to_string(repo("crates/plenum-scenario/scenarios/default.toml")).unwrap();
    let start = text.find("[site]").unwrap();
    let end = text[start..].find("[power_chain]").unwrap() + start;
    format!("{}[site]\n{site}\n\n{}", &text[..start], &text[end..])
}

#[test]
fn epw_weather_and_hourly_carbon_from_the_data_folder() {
    let Some(data) = data() else { return };
    let out = plenum(&repo("."), &["run", "scenarios/ashburn-epw.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let epw_pue = v["pue"]["annual"].as_f64().unwrap();
    // PJM 2022 has 23 empty hours (the data README); they are filled and counted.
    assert_eq!(v["carbon"]["filled_hours"], 23);
    assert!((v["carbon"]["mean_intensity_g_per_kwh"].as_f64().unwrap() - 362.6).abs() < 5.0);
    // The built-in climate of the same site gives nearly the same PUE.
    let builtin: Value =
        serde_json::from_slice(&plenum(&repo("."), &["run", "--format", "json"]).stdout).unwrap();
    let builtin_pue = builtin["pue"]["annual"].as_f64().unwrap();
    assert!((epw_pue - builtin_pue).abs() < 0.03, "EPW {epw_pue} vs built-in {builtin_pue}");
    // Phoenix is hotter than Seattle in the real files too.
    let site = |file: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        let weather = data.join("weather-epw-us-tmyx").join(file);
        std::fs::write(
            &path,
            with_site(&format!("weather_epw = {:?}\ngrid = \"pjm\"", weather.display().to_string())),
        )
        .unwrap();
        let out = plenum(
            dir.path(),
            &[
                "run",
                "s.toml",
                "--format",
                "json",
                "--set",
                "servers[0].count=4600",
                "--set",
                "facility.critical_power_kw=800",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["pue"]["annual"].as_f64().unwrap(), v["cooling"]["economizer_hours"].as_u64().unwrap())
    };
    let (phoenix, phoenix_hours) = site("USA_AZ_Phoenix-Sky.Harbor.epw");
    let (seattle, seattle_hours) = site("USA_WA_Seattle-Tacoma.epw");
    assert!(phoenix > seattle && seattle_hours > phoenix_hours, "{phoenix} {seattle}");
}

/// Write `text` as `name` in a fresh folder and run a scenario that reads it
/// as `field`; returns the folder and the output.
fn run_with_file(name: &str, text: &str, site: &str) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    std::fs::write(dir.path().join("s.toml"), with_site(site)).unwrap();
    let out = plenum(dir.path(), &["run", "s.toml", "--out", "results"]);
    (dir, out)
}

fn assert_rejected(dir: &tempfile::TempDir, out: &Output, needles: &[&str]) {
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in: {err}");
    }
    assert!(!dir.path().join("results").exists(), "nothing written");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no stray files");
}

/// The synthetic mild year's first `rows` hours, each edited by `edit`.
fn epw(rows: usize, edit: impl Fn(usize, &mut Vec<String>)) -> String {
    plenum_io::epw::synthetic::year(rows, edit)
}

#[test]
fn a_good_epw_runs_and_writes_its_outputs() {
    let (dir, out) = run_with_file("w.epw", &epw(8760, |_, _| {}), "weather_epw = \"w.epw\"\ngrid = \"pjm\"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results = dir.path().join("results");
    for file in ["summary.json", "scenario.toml", "hourly.parquet"] {
        assert!(results.join(file).is_file(), "{file}");
    }
    let summary: Value =
        serde_json::from_slice(&std::fs::read(results.join("summary.json")).unwrap()).unwrap();
    for key in ["it_mwh", "facility_mwh", "losses_mwh", "cooling_mwh"] {
        assert!(summary["energy"][key].as_f64().unwrap() > 0.0, "energy.{key}");
    }
    for key in ["annual", "min_hourly", "max_hourly"] {
        assert!(summary["pue"][key].as_f64().unwrap() >= 1.0, "pue.{key}");
    }
    assert!(summary["cooling"]["economizer_hours"].is_u64());
    assert!(summary["carbon"]["operational_t"].as_f64().unwrap() > 0.0);
    assert!(summary["carbon"]["embodied_t"].as_f64().unwrap() > 0.0);
    for stage in ["transformer", "ups", "pdu"] {
        assert!(summary["power_chain"][stage]["peak_loading"].as_f64().unwrap() > 0.0, "{stage}");
        assert!(summary["power_chain"][stage]["losses_mwh"].as_f64().unwrap() > 0.0, "{stage}");
    }
    assert!(
        !std::fs::read_dir(dir.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("partial"))
    );
}

#[test]
fn epw_with_missing_hours_is_rejected() {
    let (dir, out) = run_with_file("w.epw", &epw(8000, |_, _| {}), "weather_epw = \"w.epw\"\ngrid = \"pjm\"");
    assert_rejected(&dir, &out, &["w.epw", "expected 8760 hourly rows", "found 8000"]);
}

#[test]
fn epw_with_a_non_numeric_cell_names_its_line_and_field() {
    let (dir, out) = run_with_file(
        "w.epw",
        &epw(8760, |i, f| {
            if i == 99 {
                f[6] = "warm".into()
            }
        }),
        "weather_epw = \"w.epw\"\ngrid = \"pjm\"",
    );
    assert_rejected(&dir, &out, &["w.epw:108", "dry bulb", "expected a number"]);
}

#[test]
fn epw_with_a_leap_day_is_rejected() {
    let text = epw(8760, |_, _| {})
        + &epw(24, |_, f| f[1] = "12".into()).lines().skip(8).collect::<Vec<_>>().join("\n");
    let (dir, out) = run_with_file("w.epw", &text, "weather_epw = \"w.epw\"\ngrid = \"pjm\"");
    assert_rejected(&dir, &out, &["w.epw:8769", "leap-year"]);
}

fn carbon(rows: usize, value: impl Fn(usize) -> String, header: &str) -> String {
    let mut text = format!("{header}\n");
    let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut i = 0;
    for (m, &d) in days.iter().enumerate() {
        for day in 1..=d {
            for hour in 0..24 {
                if i < rows {
                    text.push_str(&format!(
                        "2022-{:02}-{day:02} {hour:02}:00:00+00:00,{}\n",
                        m + 1,
                        value(i)
                    ));
                }
                i += 1;
            }
        }
    }
    text
}

#[test]
fn carbon_csv_problems_name_file_line_and_column() {
    let site = "climate = \"ashburn\"\ncarbon_csv = \"c.csv\"";
    let (dir, out) = run_with_file(
        "c.csv",
        &carbon(8760, |i| if i == 3 { "n/a".into() } else { "300".into() }, "timestamp,avg_CI"),
        site,
    );
    assert_rejected(&dir, &out, &["c.csv:5", "avg_CI", "expected a number"]);
    let (dir, out) = run_with_file("c.csv", &carbon(8000, |_| "300".into(), "timestamp,avg_CI"), site);
    assert_rejected(&dir, &out, &["c.csv", "expected 8760 hourly rows, found 8000"]);
    let (dir, out) = run_with_file("c.csv", &carbon(8760, |_| "300".into(), "timestamp,co2"), site);
    assert_rejected(&dir, &out, &["c.csv:1", "no column avg_CI or carbon_intensity"]);
    let (dir, out) = run_with_file(
        "c.csv",
        &carbon(8760, |i| if i == 9 { "-4".into() } else { "300".into() }, "timestamp,avg_CI"),
        site,
    );
    assert_rejected(&dir, &out, &["c.csv:11", "expected 0..2,000 gCO2/kWh"]);
}

#[test]
fn a_missing_data_file_is_a_scenario_error() {
    let (dir, out) = run_with_file("unused.txt", "", "weather_epw = \"nowhere.epw\"\ngrid = \"pjm\"");
    assert_rejected(&dir, &out, &["s.toml:", "site.weather_epw", "file not found"]);
}

/// With `[workload]` and `[cooling]`, the replay's IT power drives the facility
/// year on the same hourly clock.
#[test]
fn a_replay_drives_the_facility_year() {
    let Some(data) = data() else { return };
    let text = std::fs::read_to_string(repo("scenarios/opendc-surf-week.toml")).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("average_load_fraction") && !l.starts_with("pue = "))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace("${PLENUM_DATA}", &data.display().to_string())
        + "\n[site]\nclimate = \"amsterdam\"\n\n[cooling]\npreset = \"modern\"\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let out = plenum(dir.path(), &["run", "s.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let facility_it_kw = v["energy"]["mean_it_kw"].as_f64().unwrap();
    let replay_mwh = v["energy"]["replay_it_mwh"].as_f64().unwrap();
    let replay_kw = replay_mwh * 1_000.0 / (7.0 * 24.0);
    assert!((facility_it_kw / replay_kw - 1.0).abs() < 0.01, "{facility_it_kw} vs {replay_kw}");
    assert!(v["pue"]["annual"].as_f64().unwrap() > 1.0);
}
