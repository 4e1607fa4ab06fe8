//! Bitbrains GWA-T-12 VM files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = plenum_fuzz::file("1.csv", data);
    let _ = plenum_io::trace::bitbrains::read_bitbrains(&path);
});
