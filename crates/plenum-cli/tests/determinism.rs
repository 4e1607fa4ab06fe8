//! Same scenario and seed, same bytes: every shipped scenario (the files of
//! `scenarios/`, enumerated so a new one is covered without editing this
//! test, and the embedded default) run through the `plenum` binary with
//! `--out DIR --format json`, once on one thread and once on two, and twice
//! on two; every output file (summary.json, scenario.toml, each Parquet table,
//! report.html) and the JSON printed on stdout must be equal byte for byte.
//!
//! Nothing is excluded: no output embeds the date, the wall time or the output
//! folder's path (the report is a function of the run folder, see
//! ARCHITECTURE.md), so any difference is a bug. Scenarios with a `[plan]`
//! also run through `plenum plan`. Scenarios that read files from
//! `PLENUM_DATA` are skipped, with the reason printed, when it is unset.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One command line to check.
struct Case {
    label: String,
    args: Vec<String>,
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

/// The embedded default, then every scenario file (by name), with `plan` as
/// well as `run` for those that have a `[plan]` table.
fn cases() -> Vec<Case> {
    let mut cases = vec![Case { label: "<embedded default>".into(), args: vec!["run".into()] }];
    // The user-facing examples, and the scenarios compiled into the binary
    // (kept in the crate that embeds them).
    let mut files: Vec<PathBuf> = ["scenarios", "crates/plenum-scenario/scenarios"]
        .into_iter()
        .flat_map(|folder| std::fs::read_dir(repo(folder)).expect("the scenarios folder"))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the shipped scenarios are found");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if text.contains("${PLENUM_DATA}") && common::data_dir().is_none() {
            eprintln!("not checking {name} (it reads data files)");
            continue;
        }
        let file = path.to_str().unwrap().to_string();
        let has_plan = text.lines().any(|l| l.trim() == "[plan]");
        for command in if has_plan { &["run", "plan"][..] } else { &["run"][..] } {
            cases.push(Case {
                label: format!("{command} {name}"),
                args: vec![command.to_string(), file.clone()],
            });
        }
    }
    cases
}

/// Run `case` on `threads` threads into a fresh folder; every output file's
/// bytes by name, and stdout as `<stdout>`.
fn outputs(case: &Case, threads: usize) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(&case.args)
        .arg("--out")
        .arg(&out_dir)
        .args(["--format", "json", "--quiet"])
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("plenum runs");
    assert!(out.status.success(), "{}: {}", case.label, String::from_utf8_lossy(&out.stderr));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["out"], "{}: only the output folder, no staging folder", case.label);
    let mut files = BTreeMap::from([("<stdout>".to_string(), out.stdout)]);
    for entry in std::fs::read_dir(&out_dir).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.file_type().unwrap().is_file(), "{}: a flat folder of files", case.label);
        files.insert(entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap());
    }
    assert!(files.contains_key("summary.json") && files.contains_key("report.html"), "{}", case.label);
    files
}

/// Panic naming every file that differs and where, when `a` and `b` differ.
fn assert_same(label: &str, what: &str, a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{label}: {what}: file names");
    let differences: Vec<String> = a
        .iter()
        .filter(|(name, bytes)| b[*name] != **bytes)
        .map(|(name, bytes)| {
            let other = &b[name];
            let at =
                bytes.iter().zip(other).position(|(x, y)| x != y).unwrap_or(bytes.len().min(other.len()));
            format!("{name} (first difference at byte {at}; {} vs {} bytes)", bytes.len(), other.len())
        })
        .collect();
    assert!(differences.is_empty(), "{label}: {what}: {}", differences.join(", "));
}

#[test]
fn every_shipped_scenario_gives_the_same_bytes_on_one_and_two_threads() {
    for case in cases() {
        let one = outputs(&case, 1);
        let two = outputs(&case, 2);
        assert_same(&case.label, "1 thread vs 2 threads", &one, &two);
    }
}

#[test]
fn every_shipped_scenario_gives_the_same_bytes_when_run_twice() {
    for case in cases() {
        let first = outputs(&case, 2);
        let second = outputs(&case, 2);
        assert_same(&case.label, "first vs second run", &first, &second);
    }
}

/// The comparison itself can fail: a changed seed changes the bytes.
#[test]
fn a_different_seed_is_a_difference() {
    let case = |seed: &str| Case {
        label: format!("seed {seed}"),
        args: vec![
            "run".into(),
            repo("scenarios/dean-cluster-year.toml").to_str().unwrap().into(),
            "--set".into(),
            format!("scenario.seed={seed}"),
        ],
    };
    let a = outputs(&case("1"), 2);
    let b = outputs(&case("2"), 2);
    let differing: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(differing.iter().any(|k| *k == "reliability_events.parquet"), "{differing:?}");
}
