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
