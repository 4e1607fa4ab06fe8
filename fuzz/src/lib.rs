//! What the fuzz targets share: the readers take paths, so each input is
//! written to files in a per-process folder in memory (`/dev/shm` when there
//! is one) and read back through the same public functions the CLI calls.

use std::path::PathBuf;

/// This process's scratch folder (created once).
pub fn scratch() -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("plenum-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Write `bytes` to `name` in the scratch folder; its path.
pub fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("scratch file");
    path
}

/// Split an input into two files' contents at the first `\n--8<--\n`
/// (seed corpora use it; anything else is all first file).
pub fn split_two(data: &[u8]) -> (&[u8], &[u8]) {
    const CUT: &[u8] = b"\n--8<--\n";
    match data.windows(CUT.len()).position(|w| w == CUT) {
        Some(i) => (&data[..i], &data[i + CUT.len()..]),
        None => (data, &[]),
    }
}

/// Every value finite (what a reader that returned Ok promises).
pub fn assert_finite(what: &str, values: impl IntoIterator<Item = f64>) {
    for v in values {
        assert!(v.is_finite(), "{what}: a reader returned {v}");
    }
}
