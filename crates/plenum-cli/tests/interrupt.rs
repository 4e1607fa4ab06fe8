//! A run stopped part-way, by SIGKILL or by Ctrl-C (SIGINT) and SIGTERM,
//! leaves its output folder holding the previous complete results, or nothing
//! when there were none, never a mix or a partial file; Ctrl-C exits with
//! status 130 and says so; what a killed run left beside the folder is
//! cleaned by the next run.
//!
//! The long run is the Dean cluster-year reliability study with 20,000
//! two-year replications (a few seconds); the earlier results are the same
//! scenario as shipped, with another seed, so the two differ in every file.
//! "Promptly" is a liveness bound (10 s), not a speed measurement.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn scenario() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/dean-cluster-year.toml")
        .to_str()
        .unwrap()
        .into()
}

const LONG: &[&str] =
    &["--set", "reliability.replications=20000", "--set", "reliability.years_per_replication=2"];

fn plenum() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plenum"));
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

/// Write the earlier, complete results into `out`; their bytes by file name.
fn previous_results(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let status = plenum()
        .args(["run", &scenario(), "--set", "scenario.seed=7", "--quiet", "--out"])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
    contents(out).expect("the earlier results")
}

/// Every file of a folder by name, or `None` when it does not exist.
fn contents(dir: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let entries = std::fs::read_dir(dir).ok()?;
    Some(
        entries
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect(),
    )
}

/// Names in `dir` other than `keep`.
fn others(dir: &Path, keep: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect();
    names.sort();
    names
}

/// Start the long run writing to `out`, and return once it is simulating:
/// `--progress` prints its first line when the work starts (after the signal
/// handlers are in place).
fn start_long_run(out: &Path) -> (Child, BufReader<std::process::ChildStderr>) {
    let mut child = plenum()
        .args(["run", &scenario()])
        .args(LONG)
        .arg("--progress")
        .arg("--out")
        .arg(out)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("running"), "progress is shown: {first:?}");
    (child, stderr)
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args([&format!("-{name}"), &child.id().to_string()]).status().unwrap();
    assert!(status.success(), "kill -{name}");
}

/// Wait for `child` to exit, at most 10 s (then kill it and fail).
fn exits_within_10_s(child: &mut Child) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("still running 10 s after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn interrupted_run_keeps_the_previous_results(signal_name: &str, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let before = previous_results(&out);
    let (mut child, mut stderr) = start_long_run(&out);
    signal(&child, signal_name);
    let status = exits_within_10_s(&mut child);
    let mut message = String::new();
    stderr.read_to_string(&mut message).unwrap();
    assert_eq!(status.code(), Some(code), "{message}");
    assert!(message.contains("still holds the previous results, unchanged"), "{message}");
    assert!(contents(&out) == Some(before), "the earlier results are untouched");
    assert_eq!(others(dir.path(), "out"), Vec::<String>::new(), "no staging folder left");
}

#[test]
fn ctrl_c_exits_130_and_leaves_the_previous_results() {
    interrupted_run_keeps_the_previous_results("INT", 130);
}

#[test]
fn sigterm_exits_143_and_leaves_the_previous_results() {
    interrupted_run_keeps_the_previous_results("TERM", 143);
}

#[test]
fn ctrl_c_on_a_first_run_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (mut child, mut stderr) = start_long_run(&out);
    signal(&child, "INT");
    let status = exits_within_10_s(&mut child);
    let mut message = String::new();
    stderr.read_to_string(&mut message).unwrap();
    assert_eq!(status.code(), Some(130), "{message}");
    assert!(message.contains(&format!("interrupted: nothing was written to {}", out.display())), "{message}");
    assert_eq!(others(dir.path(), ""), Vec::<String>::new(), "nothing at all");
}

/// SIGKILL cannot be handled: whenever it lands (while simulating, writing or
/// renaming), the folder holds the previous results or the new complete
/// ones, and the next run removes what the killed one left beside it.
#[test]
fn sigkill_at_any_point_leaves_previous_or_complete_results_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let before = previous_results(&out);
    // The new complete results, for comparison (in another folder).
    let reference = dir.path().join("reference");
    let status =
        plenum().args(["run", &scenario()]).args(LONG).arg("--quiet").arg("--out").arg(&reference).status();
    assert!(status.unwrap().success());
    let after = contents(&reference).unwrap();
    std::fs::remove_dir_all(&reference).unwrap();
    assert_ne!(before, after);

    // Kill after 0.1 s, 0.2 s, 0.4 s, ... until a run finishes first.
    let mut delay = Duration::from_millis(100);
    let mut killed = 0;
    loop {
        let (mut child, _stderr) = start_long_run(&out);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        killed += 1;
        let now = contents(&out);
        assert!(now == Some(before.clone()) || now == Some(after.clone()), "killed after {delay:?}: a mix");
        delay *= 2;
        assert!(delay < Duration::from_secs(600), "the long run never finishes");
    }
    assert!(killed >= 1);
    assert!(contents(&out) == Some(after), "the run that finished wrote its results");
    assert_eq!(
        others(dir.path(), "out"),
        Vec::<String>::new(),
        "the last run removed the killed runs' staging"
    );
}

/// A staging folder left by a process killed while writing (simulated: the
/// process is gone, its partial folder stays) is removed by the next run, and
/// does not become results. (Linux: elsewhere a process is not known to be
/// gone, and its staging folder is left in place.)
#[cfg(target_os = "linux")]
#[test]
fn a_killed_runs_partial_folder_is_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let partial: PathBuf = dir.path().join(format!(".out.partial-{}", gone.id()));
    std::fs::create_dir(&partial).unwrap();
    std::fs::write(partial.join("summary.json"), "{\"trunc").unwrap();
    let before = previous_results(&out);
    assert!(serde_json::from_slice::<serde_json::Value>(&before["summary.json"]).is_ok());
    assert!(!partial.exists(), "removed");
    assert_eq!(others(dir.path(), "out"), Vec::<String>::new());
}
