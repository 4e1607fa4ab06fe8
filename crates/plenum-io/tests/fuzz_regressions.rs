//! Inputs the fuzzers (`fuzz/`) found that once crashed a reader, each
//! named after what broke. Each must now be a located error.

use plenum_io::trace::MemoryUnit;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(name)).unwrap()
}

/// The fuzz targets' two-file inputs: the first file, `\n--8<--\n`, the second.
fn split_two(data: &[u8]) -> (&[u8], &[u8]) {
    const CUT: &[u8] = b"\n--8<--\n";
    match data.windows(CUT.len()).position(|w| w == CUT) {
        Some(i) => (&data[..i], &data[i + CUT.len()..]),
        None => (data, &[]),
    }
}

#[test]
fn opendc_parquet_with_a_corrupt_definition_level_run_is_an_error_not_a_panic() {
    // arrow-rs parquet 60 panics ("offset + len out of bounds") decoding this
    // tasks file; the reader contains the panic.
    let data = fixture("opendc-corrupt-definition-levels.bin");
    let (tasks, fragments) = split_two(&data);
    let dir = tempfile::tempdir().unwrap();
    let (tasks_path, fragments_path) =
        (dir.path().join("tasks.parquet"), dir.path().join("fragments.parquet"));
    std::fs::write(&tasks_path, tasks).unwrap();
    std::fs::write(&fragments_path, fragments).unwrap();
    let error = plenum_io::trace::opendc::read_opendc_files(&tasks_path, &fragments_path, MemoryUnit::Auto)
        .expect_err("a corrupt file is an error");
    let text = error.to_string();
    assert!(text.contains("tasks.parquet") || text.contains("fragments.parquet"), "{text}");
    assert!(text.contains("Parquet"), "{text}");
}

#[test]
fn swf_with_a_huge_unix_start_time_is_an_error_not_an_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.swf");
    std::fs::write(&path, fixture("swf-huge-unix-start-time.swf")).unwrap();
    let error = plenum_io::trace::swf::read_swf(&path, 2400.0).expect_err("an implausible start time");
    let text = error.to_string();
    assert!(text.contains("log.swf") && text.contains("UnixStartTime"), "{text}");
}

#[test]
fn azure_vm_living_billions_of_seconds_is_an_error_not_out_of_memory() {
    // Its lifetime once expanded to ~3e8 five-minute fragments (2.2 GB).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vmtable.csv"),
        fixture("azure-vm-living-billions-of-seconds.vmtable.csv"),
    )
    .unwrap();
    std::fs::write(dir.path().join("vm_cpu_readings-file-1-of-1.csv"), "").unwrap();
    let error = plenum_io::trace::azure::read_azure(dir.path(), 2400.0).expect_err("an implausible lifetime");
    let text = error.to_string();
    assert!(text.contains("vmtable.csv") && text.contains("timestamp vm deleted"), "{text}");
}
