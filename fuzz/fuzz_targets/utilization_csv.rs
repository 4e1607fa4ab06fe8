//! Utilization time-series CSV files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = plenum_fuzz::file("in.csv", data);
    for percent in [false, true] {
        if let Ok((hourly, _)) = plenum_io::utilization_csv::read(&path, "cpu_load", percent, 300) {
            plenum_fuzz::assert_finite("utilization", hourly.iter().copied());
            assert!(hourly.iter().all(|u| (0.0..=1.0).contains(u)), "utilization outside 0..1");
        }
    }
});
