//! OpenDC topology JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = plenum_fuzz::file("topology.json", data);
    let _ = plenum_io::trace::topology::read_topology(&path);
});
