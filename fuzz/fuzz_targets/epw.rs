//! EnergyPlus weather files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = plenum_fuzz::file("in.epw", data);
    if let Ok((year, _)) = plenum_io::epw::read(&path) {
        plenum_fuzz::assert_finite("dry bulb", year.dry_bulb_c.iter().copied());
        plenum_fuzz::assert_finite("dew point", year.dew_point_c.iter().copied());
        assert_eq!(year.dry_bulb_c.len(), 8760);
    }
});
