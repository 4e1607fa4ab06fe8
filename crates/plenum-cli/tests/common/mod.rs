//! What the integration tests share: the rule for a tool or data set that is
//! missing (chromium, node, pyarrow, `PLENUM_DATA`).
//!
//! On a developer's machine such a test says why and returns. When the
//! environment variable `CI` is set (`.ci/run` sets it and provides all of
//! them), a missing requirement fails the test instead: a test that passes by
//! skipping in CI checks nothing.

// Each test binary uses some of these helpers, not all.
#![allow(dead_code)]

/// The test cannot run because `what` is missing: fail under `CI`, else
/// print why on stderr so the skip is visible with `--nocapture`.
pub fn missing(what: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{what}, and CI is set: this test must run in CI (.ci/run provides it)");
    }
    eprintln!("{what}: skipping (it would fail with CI set)");
}

/// The real-data folder, `PLENUM_DATA`, when it is set and exists.
pub fn data_dir() -> Option<std::path::PathBuf> {
    match std::env::var_os("PLENUM_DATA").map(std::path::PathBuf::from) {
        Some(dir) if dir.is_dir() => Some(dir),
        Some(dir) => {
            missing(&format!("PLENUM_DATA={} is not a folder", dir.display()));
            None
        }
        None => {
            missing("PLENUM_DATA is not set");
            None
        }
    }
}
