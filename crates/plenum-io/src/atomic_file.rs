//! Replacing one file atomically: the bytes go to a sibling temporary file
//! that is renamed over the target, so a reader sees the old file or the new
//! one, never a part (for `plenum report`, which adds `report.html` to an
//! existing run folder; whole folders use [`crate::write::OutputDir`]).

use crate::staging;
use std::io::{self, Write};
use std::path::Path;

/// Write `bytes` to `path`, replacing it in one rename.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::other(format!("{} is a folder", path.display())));
    }
    let staging = staging::staging_path(path)?;
    staging::remove_stale(path)?;
    staging::register(&staging);
    let result = (|| {
        let mut file = std::fs::File::create(&staging)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        staging::commit(path, &staging, None, || std::fs::rename(&staging, path))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&staging);
        staging::unregister(&staging);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_staging_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        replace_file(&path, b"one").unwrap();
        replace_file(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing_parent = dir.path().join("no/such/report.html");
        assert!(replace_file(&missing_parent, b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(replace_file(dir.path(), b"x").is_err(), "a folder is not replaced");
    }
}
