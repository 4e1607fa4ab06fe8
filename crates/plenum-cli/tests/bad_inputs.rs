//! The bad-input catalog: every case under `tests/bad_inputs/` is a folder
//! with a `scenario.toml` and the malformed data files it names (or a
//! generator below writes them: files too long or binary to commit, such as a
//! whole EPW year or Parquet). Each runs as a user would,
//! `plenum run CASE/scenario.toml --out OUT`, and must:
//!
//! - exit with status 2 and print nothing on stdout;
//! - name, on stderr, the file at fault (`# expect-file:`), the line or row
//!   (`# expect-line:`: `FILE:LINE:` or `FILE: row LINE:`) and the field or
//!   column in backticks (`# expect-field:`), plus every `# expect:` fragment;
//! - write nothing: `OUT` does not exist and no file appeared or changed
//!   anywhere in the temporary folder (no staging folder left behind).
//!
//! The header lines of each `scenario.toml` are the expectations; `# what:`
//! says what the case is about. All cases run and all failures are reported
//! together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "bad_inputs/generate.rs"]
mod generate;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// What a case expects, from its header comments.
#[derive(Debug, Default)]
struct Expect {
    what: String,
    file: String,
    line: usize,
    field: String,
    fragments: Vec<String>,
    args: Vec<String>,
}

fn expectations(scenario: &str) -> Result<Expect, String> {
    let mut e = Expect::default();
    for line in scenario.lines().take_while(|l| l.starts_with('#')) {
        let Some((key, value)) = line.trim_start_matches('#').trim().split_once(':') else { continue };
        let value = value.trim().to_string();
        match key {
            "what" => e.what = value,
            "expect-file" => e.file = value,
            "expect-line" => e.line = value.parse().map_err(|_| format!("expect-line {value:?}"))?,
            "expect-field" => e.field = value,
            "expect" => e.fragments.push(value),
            "args" => e.args = value.split_whitespace().map(str::to_string).collect(),
            _ => {}
        }
    }
    if e.what.is_empty() || e.file.is_empty() || e.line == 0 || e.field.is_empty() {
        return Err("the header needs # what:, # expect-file:, # expect-line: and # expect-field:".into());
    }
    Ok(e)
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Run one case; `Err` says everything that was wrong with its outcome.
fn check(name: &str) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join(name);
    copy_dir(&cases_dir().join(name), &case);
    generate::files(name, &case);
    let scenario = std::fs::read_to_string(case.join("scenario.toml")).map_err(|e| e.to_string())?;
    let e = expectations(&scenario)?;
    let before = snapshot(tmp.path());
    let out_dir = tmp.path().join("out");
    // Run from the temporary folder: relative data paths must resolve against
    // the scenario's folder, not the working directory.
    let output = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .current_dir(tmp.path())
        .env_remove("PLENUM_MAX_CPU_S")
        .env_remove("PLENUM_MAX_MEMORY_GIB")
        .args(["run", case.join("scenario.toml").to_str().unwrap(), "--out", out_dir.to_str().unwrap()])
        .args(&e.args)
        .output()
        .expect("plenum runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut problems = Vec::new();
    if output.status.code() != Some(2) {
        problems.push(format!("exit status {:?}, expected 2", output.status.code()));
    }
    if !output.stdout.is_empty() {
        problems.push(format!("stdout not empty: {}", String::from_utf8_lossy(&output.stdout)));
    }
    let at_line = [format!("{}:{}:", e.file, e.line), format!("{}: row {}:", e.file, e.line)];
    if !at_line.iter().any(|l| stderr.contains(l.as_str())) {
        problems.push(format!("stderr does not name {} at line or row {}", e.file, e.line));
    }
    if !stderr.contains(&format!("`{}`", e.field)) {
        problems.push(format!("stderr does not name the field `{}`", e.field));
    }
    for fragment in &e.fragments {
        if !stderr.contains(fragment.as_str()) {
            problems.push(format!("stderr lacks {fragment:?}"));
        }
    }
    if out_dir.exists() {
        problems.push("the output folder was written".into());
    }
    if snapshot(tmp.path()) != before {
        problems.push("files appeared or changed in the temporary folder".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} ({}):\n    {}\n  stderr: {}", name, e.what, problems.join("\n    "), stderr.trim()))
    }
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // `BAD_INPUTS=epw-` runs only the cases whose name contains it (while working on a reader).
    if let Ok(only) = std::env::var("BAD_INPUTS") {
        names.retain(|n| n.contains(only.as_str()));
    }
    names
}

#[test]
fn every_bad_input_exits_2_names_where_and_writes_nothing() {
    let names = case_names();
    let failures: Vec<String> = names.iter().filter_map(|n| check(n).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalog_is_large_and_every_generator_has_its_case() {
    if std::env::var_os("BAD_INPUTS").is_some() {
        return;
    }
    let names = case_names();
    assert!(names.len() >= 40, "{} cases", names.len());
    for g in generate::NAMES {
        assert!(names.iter().any(|n| n == g), "generator {g} has no case folder");
    }
    // Each case is distinct: no two ask for the same file, line and field.
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        let e = expectations(&std::fs::read_to_string(cases_dir().join(n).join("scenario.toml")).unwrap())
            .unwrap_or_else(|m| panic!("{n}: {m}"));
        assert!(seen.insert((e.file, e.line, e.field, e.fragments)), "{n} repeats another case");
    }
}
