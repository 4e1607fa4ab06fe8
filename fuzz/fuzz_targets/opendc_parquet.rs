//! OpenDC workload folders: tasks.parquet and fragments.parquet (the input
//! split at `\n--8<--\n`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use plenum_io::trace::MemoryUnit;

fuzz_target!(|data: &[u8]| {
    let (tasks, fragments) = plenum_fuzz::split_two(data);
    let tasks = plenum_fuzz::file("tasks.parquet", tasks);
    let fragments = plenum_fuzz::file("fragments.parquet", fragments);
    let _ = plenum_io::trace::opendc::read_opendc_files(&tasks, &fragments, MemoryUnit::Auto);
});
