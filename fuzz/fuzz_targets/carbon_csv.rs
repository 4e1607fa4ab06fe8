//! Hourly carbon-intensity CSV files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = plenum_fuzz::file("in.csv", data);
    if let Ok(series) = plenum_io::carbon_csv::read(&path, None) {
        plenum_fuzz::assert_finite("intensity", series.g_per_kwh_utc.iter().copied());
        assert!(series.g_per_kwh_utc.iter().all(|v| *v >= 0.0));
    }
});
