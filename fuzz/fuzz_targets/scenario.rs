//! The scenario parser and validator: any text either validates or yields
//! diagnostics (every one with a rendering), never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match plenum_scenario::Scenario::from_toml_str(text, "fuzz.toml") {
        Ok(scenario) => {
            assert!(scenario.facility.critical_power_kw.is_finite());
            assert!(scenario.server_count() > 0);
        }
        Err(error) => {
            assert!(!error.diagnostics.is_empty());
            let _ = error.render(false);
            let _ = error.to_string();
        }
    }
});
