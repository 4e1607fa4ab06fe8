//! The staging paths this process is writing (output folders of
//! [`crate::write::OutputDir`], files of [`crate::atomic_file`]), and the
//! ones a killed process left behind.
//!
//! Results are written beside their target as `.NAME.partial-PID` and renamed
//! into place; this module keeps two promises around that:
//!
//! - An interrupted process leaves no staging path: its signal handler calls
//!   [`abandon`], which removes every registered path and blocks commits for
//!   good, so the process can exit at once whatever its threads are doing.
//!   A commit (the renames) runs under the same lock (`commit`): it happens
//!   entirely before the handler looks, or not at all.
//! - A process killed outright (SIGKILL, power loss) cannot clean up; the next
//!   write to the same target removes what it left (`remove_stale`), and
//!   puts the previous results back if it died between the two renames of a
//!   commit. On Linux a process is known dead when `/proc/PID` is gone; other
//!   systems leave stale paths in place (they are never read as results).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What this process is writing and what it has committed.
#[derive(Default)]
struct Registry {
    /// Staging paths that exist on disk and are this process's to remove.
    staging: Vec<PathBuf>,
    /// Targets whose new contents are in place.
    committed: Vec<PathBuf>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { staging: Vec::new(), committed: Vec::new() });

fn registry() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves the lists valid: recover them.
    REGISTRY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The staging name of `target` for process `pid`: `.NAME.partial-PID`.
pub(crate) fn staging_path(target: &Path) -> std::io::Result<PathBuf> {
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::other(format!("{} is not a file or folder name", target.display())))?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok(parent.join(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id())))
}

/// Note that `path` is being written and must be removed if the process is interrupted.
pub(crate) fn register(path: &Path) {
    registry().staging.push(path.to_path_buf());
}

/// `path` no longer needs removing (renamed into place, or removed).
pub(crate) fn unregister(path: &Path) {
    registry().staging.retain(|p| p != path);
}

/// Run `renames` (moving `staging` into place at `target`, and the earlier
/// contents aside to `aside`) unless the process is being interrupted, in
/// which case this blocks until it exits. On success `staging` is no longer
/// this process's to remove, `aside` is, and `target` counts as committed; on
/// failure the caller cleans up.
pub(crate) fn commit(
    target: &Path,
    staging: &Path,
    aside: Option<&Path>,
    renames: impl FnOnce() -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut registry = registry();
    // Registered before the rename: an interrupt after the commit removes it.
    registry.staging.extend(aside.map(Path::to_path_buf));
    renames()?;
    registry.staging.retain(|p| p != staging);
    registry.committed.push(target.to_path_buf());
    Ok(())
}

/// Remove every staging path of this process and hold the lock for the rest
/// of the process's life, so no commit can follow. Returns the targets that
/// were committed before (their new contents are in place). For a signal
/// handler that exits right after.
pub fn abandon() -> Vec<PathBuf> {
    let registry = registry();
    for path in &registry.staging {
        remove(path);
    }
    let committed = registry.committed.clone();
    // Never unlocked: a commit waiting for the lock waits until the process exits.
    std::mem::forget(registry);
    committed
}

fn remove(path: &Path) {
    let _ = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
}

/// Remove the staging paths of `target` left by processes that are gone
/// (`.NAME.partial-PID` and `.NAME.partial-PID.old`); when `target` itself
/// is missing and such a process left `.old` (the previous contents, moved
/// aside by a commit that died before its second rename), move it back.
pub(crate) fn remove_stale(target: &Path) -> std::io::Result<()> {
    let own = staging_path(target)?;
    let parent = own.parent().expect("a staging path has a parent");
    let own_name = own.file_name().expect("a staging path has a name").to_string_lossy();
    let prefix = own_name.trim_end_matches(|c: char| c.is_ascii_digit());
    let Ok(entries) = std::fs::read_dir(parent) else { return Ok(()) };
    let mut stale: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(prefix)?;
            let (pid, old) = match rest.strip_suffix(".old") {
                Some(pid) => (pid, true),
                None => (rest, false),
            };
            let pid: u32 = pid.parse().ok()?;
            (pid != std::process::id() && !alive(pid)).then(|| (entry.path(), old))
        })
        .collect();
    stale.sort();
    for (path, old) in stale {
        if old && !target.exists() {
            std::fs::rename(&path, target)?;
        } else {
            remove(&path);
        }
    }
    Ok(())
}

/// Whether process `pid` may still be running (and writing its staging path).
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new("/proc").join(pid.to_string()).exists() } else { true }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process id that is not running: above the kernel's `pid_max`.
    const DEAD_PID: u32 = 4_194_400;

    #[test]
    fn stale_staging_of_dead_processes_is_removed_and_a_moved_aside_folder_restored() {
        if !cfg!(target_os = "linux") {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let stale = dir.path().join(format!(".out.partial-{DEAD_PID}"));
        let old = dir.path().join(format!(".out.partial-{DEAD_PID}.old"));
        let other = dir.path().join(format!(".output.partial-{DEAD_PID}"));
        for folder in [&stale, &old, &other] {
            std::fs::create_dir(folder).unwrap();
        }
        std::fs::write(old.join("summary.json"), "previous").unwrap();
        remove_stale(&target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("summary.json")).unwrap(), "previous");
        assert!(!stale.exists() && !old.exists());
        assert!(other.exists(), "another target's staging folder is not touched");
        let mut left: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        left.sort();
        assert_eq!(left, [".output.partial-4194400", "out"]);
    }

    #[test]
    fn a_running_process_keeps_its_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        // Process 1 (init) is always running.
        let running = dir.path().join(".out.partial-1");
        std::fs::create_dir(&running).unwrap();
        remove_stale(&target).unwrap();
        assert!(running.exists());
    }
}
