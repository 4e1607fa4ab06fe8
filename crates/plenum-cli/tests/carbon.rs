//! Carbon through the CLI: the market-based keys of `[carbon]` (annual and
//! hourly matching, certificates, the CFE score) on the default scenario, and
//! shifting across the sites of `[[carbon_aware.sites]]` on small intensity
//! files written by the test, with figures computed by hand.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn plenum(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).current_dir(dir).args(args).output().expect("plenum runs")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn summary_with(sets: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["run", "--format", "json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    json(&plenum(dir.path(), &args))
}

fn carbon_with(sets: &[&str]) -> Value {
    summary_with(sets)["carbon"].clone()
}

#[test]
fn market_keys_give_market_based_carbon_and_the_cfe_score() {
    let summary = summary_with(&[]);
    let plain = &summary["carbon"];
    assert!(plain.get("market_based_t").is_none(), "no market key, no market figure");
    let location_t = plain["operational_t"].as_f64().unwrap();
    // Certificates only, nothing contracted: location-based carbon at the grid's mean.
    let none = carbon_with(&["carbon.certificates_mwh=0"]);
    assert!((none["market_based_t"].as_f64().unwrap() - location_t).abs() < 1e-9 * location_t);
    assert_eq!(none["cfe_score"], 0.0);
    assert_eq!(none["matching"], "annual");
    // A flat contract of the year's consumption: annual matching claims it all;
    // hourly matching only the hours it covers, so it reports more carbon.
    let facility_mwh = summary["energy"]["facility_mwh"].as_f64().unwrap();
    let ppa = format!("carbon.ppa_mwh_per_year={facility_mwh}");
    let annual = carbon_with(&[&ppa]);
    assert!(annual["market_based_t"].as_f64().unwrap().abs() < 1e-6 * location_t);
    let hourly = carbon_with(&[&ppa, "carbon.matching=\"hourly\""]);
    let (hourly_t, cfe) = (hourly["market_based_t"].as_f64().unwrap(), hourly["cfe_score"].as_f64().unwrap());
    assert!(hourly_t > 0.0 && hourly_t < location_t, "{hourly_t} of {location_t}");
    // Uncovered share × mean intensity: market = (1 − cfe) × location.
    assert!((hourly_t - (1.0 - cfe) * location_t).abs() < 1e-6 * location_t);
    assert!(cfe > 0.5 && cfe < 1.0, "{cfe}");
    assert_eq!(hourly["cfe_score"], annual["cfe_score"], "the CFE score is hourly whatever the matching");
    // A solar contract of the same size matches fewer hours than a flat one.
    let solar = carbon_with(&[&ppa, "carbon.matching=\"hourly\"", "carbon.ppa_profile=\"solar\""]);
    assert!(solar["cfe_score"].as_f64().unwrap() < cfe);
    assert!(solar["market_based_t"].as_f64().unwrap() > hourly_t);
}

#[test]
fn bad_market_keys_are_rejected_with_their_field() {
    let dir = tempfile::tempdir().unwrap();
    for (set, needle) in [
        ("carbon.matching=\"monthly\"", "`carbon.matching`: expected one of annual, hourly"),
        ("carbon.certificates_mwh=-1", "carbon.certificates_mwh"),
        ("carbon.ppa_profile=\"wind\"", "carbon.ppa_profile"),
    ] {
        let out = plenum(dir.path(), &["run", "--set", set]);
        assert_eq!(out.status.code(), Some(2), "{set}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{set}: {err}");
    }
}

/// A 30-min series over 2020-01-01 and 02 (96 rows) with `value(slot of day)`.
fn series(value: impl Fn(usize) -> f64) -> String {
    let mut text = String::from("Time,Carbon Intensity\n");
    for day in 1..=2 {
        for slot in 0..48 {
            text.push_str(&format!(
                "2020-01-0{day} {:02}:{:02}:00,{}\n",
                slot / 2,
                (slot % 2) * 30,
                value(slot)
            ));
        }
    }
    text
}

const FLEET: &str = r#"[scenario]
name = "two sites"

[finance]
cost_of_money_annual = 0.0
server_amortization_years = 3
facility_amortization_years = 10

[facility]
critical_power_kw = 1.0
capex_usd = 0.0
power_cooling_share = 0.82

[[servers]]
name = "host"
count = 1
price_usd = 0.0
idle_power_w = 0.0
peak_power_w = 1000.0
cores = 1
memory_gib = 1.0

[energy]
price_usd_per_kwh = 0.0
average_load_fraction = 0.5
pue = 1.0

[carbon_aware]
intensity = "home.csv"
clock = "continuous"
jobs = "periodic"
policy = "both"
region = "eu"

[carbon_aware.periodic]
first_day = "2020-01-01"
days = 2
start_h = 1.0
duration_min = 30
window_h = 2.0
power_kw = 1.0

[[carbon_aware.sites]]
name = "clean"
intensity = "clean.csv"
region = "uk"
latency_ms = 20.0
"#;

#[test]
fn jobs_move_to_the_cleaner_site_within_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("home.csv"), series(|_| 500.0)).unwrap();
    // The clean site is at 100 g/kWh, and 50 from 02:00 to 02:30.
    std::fs::write(dir.path().join("clean.csv"), series(|slot| if slot == 4 { 50.0 } else { 100.0 }))
        .unwrap();
    std::fs::write(dir.path().join("s.toml"), FLEET).unwrap();
    let run = |sets: &[&str]| {
        let mut args = vec!["run", "s.toml", "--format", "json"];
        for s in sets {
            args.extend(["--set", s]);
        }
        json(&plenum(dir.path(), &args))["carbon_aware"].clone()
    };
    // Both: each job runs 02:00-02:30 at the clean site, 1 kW × 0.5 h × 50 g/kWh = 25 g,
    // against 250 g at home at 01:00; finishing an hour later.
    let both = run(&[]);
    assert_eq!((both["policy"].as_str(), both["moved_jobs"].as_u64()), (Some("both"), Some(2)));
    assert!((both["baseline_t"].as_f64().unwrap() - 500e-6).abs() < 1e-15);
    assert!((both["shifted_t"].as_f64().unwrap() - 50e-6).abs() < 1e-15);
    assert!((both["saving_share"].as_f64().unwrap() - 0.9).abs() < 1e-12);
    assert_eq!(both["mean_delay_h"], 1.0);
    assert_eq!(both["energy_mwh_change"], 0.0);
    assert!((both["sites"]["clean"]["shifted_t"].as_f64().unwrap() - 50e-6).abs() < 1e-15);
    assert_eq!(both["sites"]["home"]["shifted_t"], 0.0);
    // Spatial only: at arrival (01:00) at the clean site, 50 g each.
    let spatial = run(&["carbon_aware.policy=\"spatial\""]);
    assert!((spatial["shifted_t"].as_f64().unwrap() - 100e-6).abs() < 1e-15);
    assert_eq!(spatial["mean_delay_h"], 0.0);
    // Data residency or latency keeps them home, where the grid is flat: no saving.
    for rule in ["carbon_aware.same_region_only=true", "carbon_aware.max_latency_ms=10"] {
        let kept = run(&[rule]);
        assert_eq!(kept["moved_jobs"], 0, "{rule}");
        assert_eq!(kept["saving_share"], 0.0, "{rule}");
    }
    // A full clean site keeps them home too.
    assert_eq!(run(&["carbon_aware.sites[0].capacity_hosts=0"])["moved_jobs"], 0);
}

#[test]
fn a_spatial_policy_without_sites_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("home.csv"), series(|_| 500.0)).unwrap();
    let text = &FLEET[..FLEET.find("[[carbon_aware.sites]]").unwrap()];
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let out = plenum(dir.path(), &["run", "s.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("s.toml:") && err.contains("carbon_aware.policy") && err.contains("lists none"),
        "{err}"
    );
}
