//! Standard Workload Format logs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = plenum_fuzz::file("in.swf", data);
    let _ = plenum_io::trace::swf::read_swf(&path, 2400.0);
});
