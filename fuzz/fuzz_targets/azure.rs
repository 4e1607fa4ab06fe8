//! Azure VM trace v1 folders: vmtable.csv and vm_cpu_readings (the input
//! split at `\n--8<--\n`; either may be gzip).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (vmtable, readings) = plenum_fuzz::split_two(data);
    plenum_fuzz::file("vmtable.csv", vmtable);
    plenum_fuzz::file("vm_cpu_readings-file-1-of-1.csv", readings);
    let _ = plenum_io::trace::azure::read_azure(&plenum_fuzz::scratch(), 2400.0);
});
