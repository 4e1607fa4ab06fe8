//! The built-in grid carbon profiles against the hourly files they were
//! derived from (`PLENUM_DATA/carbon-intensity-*`, see
//! `crates/plenum-models/data/grids/derive.py`): every month-by-hour mean and
//! the annual mean agree to the profile's 0.1 g rounding.
//!
//! Without `PLENUM_DATA` the test is skipped with the reason printed, except
//! when `CI` is set: then the missing data is a failure.

use plenum_io::carbon_csv;
use plenum_models::{carbon, weather};
use std::path::{Path, PathBuf};

const FILES: [(&str, &str); 13] = [
    ("pjm", "carbon-intensity-us-eia930-2022/PJM_2022_hourly.csv"),
    ("azps", "carbon-intensity-us-eia930-2022/AZPS_2022_hourly.csv"),
    ("erco", "carbon-intensity-us-eia930-2022/ERCO_2022_hourly.csv"),
    ("miso", "carbon-intensity-us-eia930-2022/MISO_2022_hourly.csv"),
    ("bpat", "carbon-intensity-us-eia930-2022/BPAT_2022_hourly.csv"),
    ("ie", "carbon-intensity-electricitymaps-2023/IE_2023_hourly.csv"),
    ("nl", "carbon-intensity-electricitymaps-2023/NL_2023_hourly.csv"),
    ("de", "carbon-intensity-electricitymaps-2023/DE_2023_hourly.csv"),
    ("se", "carbon-intensity-electricitymaps-2023/SE_2023_hourly.csv"),
    ("sg", "carbon-intensity-electricitymaps-2023/SG_2023_hourly.csv"),
    ("fr", "carbon-intensity-electricitymaps-2023/FR_2023_hourly.csv"),
    ("pl", "carbon-intensity-electricitymaps-2023/PL_2023_hourly.csv"),
    ("us-mida-pjm", "carbon-intensity-electricitymaps-2023/US-MIDA-PJM_2023_hourly.csv"),
];

fn data_folder() -> Option<PathBuf> {
    match std::env::var_os("PLENUM_DATA").map(PathBuf::from) {
        Some(d) if d.join(FILES[0].1).is_file() => Some(d),
        _ if std::env::var_os("CI").is_some() => panic!(
            "CI is set but PLENUM_DATA with the carbon-intensity folders is missing: the built-in grid \
             profiles cannot be checked against their source files"
        ),
        _ => {
            eprintln!(
                "PLENUM_DATA is not set: skipping the comparison of the built-in grids with their files"
            );
            None
        }
    }
}

/// Half the profile's 0.1 g rounding step, and a little for the sums.
const ROUNDING_G: f64 = 0.05 + 1e-9;

#[test]
fn every_built_in_grid_has_a_source_file() {
    let mut keys: Vec<&str> = FILES.iter().map(|(k, _)| *k).collect();
    keys.sort_unstable();
    let mut built_in = carbon::grid_keys();
    built_in.sort_unstable();
    assert_eq!(keys, built_in);
}

#[test]
fn built_in_grid_profiles_are_the_means_of_their_files() {
    let Some(data) = data_folder() else { return };
    for (key, file) in FILES {
        let profile = carbon::grid(key).unwrap();
        let series = carbon_csv::read(&data.join(Path::new(file)), None).unwrap();
        let local = carbon_csv::to_local(&series.g_per_kwh_utc, profile.utc_offset_hours);
        let mut sums = [[0.0f64; 24]; 12];
        let mut counts = [[0u32; 24]; 12];
        for (h, v) in local.iter().enumerate() {
            let (month, hour) = weather::month_and_hour(h);
            sums[month][hour] += v;
            counts[month][hour] += 1;
        }
        // The profiles leave a source's empty hours out; the reader fills them
        // by interpolation (PJM 23 hours, MISO 3), which moves a cell's mean by
        // up to 1.21 g (PJM) and the annual mean by up to 0.04 g (MISO).
        let (cell_tolerance, mean_tolerance) =
            if series.filled_hours == 0 { (ROUNDING_G, ROUNDING_G) } else { (1.5, 0.1) };
        for month in 0..12 {
            for hour in 0..24 {
                let mean = sums[month][hour] / f64::from(counts[month][hour]);
                let stated = profile.g_per_kwh_by_month_hour[month][hour];
                assert!(
                    (mean - stated).abs() <= cell_tolerance,
                    "{key}: month {} hour {hour}: file mean {mean}, profile {stated}",
                    month + 1
                );
            }
        }
        let annual = series.g_per_kwh_utc.iter().sum::<f64>() / series.g_per_kwh_utc.len() as f64;
        assert!(
            (annual - profile.annual_mean_g_per_kwh).abs() <= mean_tolerance,
            "{key}: file mean {annual}, profile {}",
            profile.annual_mean_g_per_kwh
        );
    }
}
