//! The book's tutorial cannot rot: every ```sh block of
//! docs/book/src/tutorial.md runs, in order, in one temporary folder (with a
//! copy of the shipped `scenarios/`), against the built `plenum`, and must
//! exit 0. Files the tutorial asks the reader to write (```toml,file=NAME
//! blocks) are written there first, at the point they appear. The ```python
//! blocks are left to the Python suite (they run in order in the same folder).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A step of the tutorial: a file to write or a shell block to run.
#[derive(Debug)]
enum Step {
    Write { name: String, text: String },
    Run { line: usize, script: String },
}

/// The tutorial's fenced blocks that are files or commands, in order.
fn steps(markdown: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else { continue };
        let body: Vec<&str> = lines.by_ref().map(|(_, l)| l).take_while(|l| !l.starts_with("```")).collect();
        let text = body.join("\n") + "\n";
        let mut tags = info.split(',').map(str::trim);
        match tags.next() {
            Some("sh") => steps.push(Step::Run { line: number + 1, script: text }),
            Some(_) => {
                if let Some(name) = tags.find_map(|t| t.strip_prefix("file=")) {
                    steps.push(Step::Write { name: name.to_string(), text });
                }
            }
            None => {}
        }
    }
    steps
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn every_command_of_the_tutorial_runs() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tutorial = std::fs::read_to_string(repository.join("docs/book/src/tutorial.md")).unwrap();
    let steps = steps(&tutorial);
    let runs = steps.iter().filter(|s| matches!(s, Step::Run { .. })).count();
    assert!(runs >= 10, "the tutorial's shell blocks were not found ({runs})");

    let folder = tempfile::tempdir().unwrap();
    copy_dir(&repository.join("scenarios"), &folder.path().join("scenarios"));
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_plenum"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    for step in steps {
        match step {
            Step::Write { name, text } => std::fs::write(folder.path().join(name), text).unwrap(),
            Step::Run { line, script } => {
                let out = Command::new("sh")
                    .args(["-e", "-c", &script])
                    .current_dir(folder.path())
                    .env("PATH", &path)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "tutorial.md, the block at line {line} failed ({}):\n{script}\nstdout:\n{}\nstderr:\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
    // What the tutorial says the steps leave behind.
    for file in ["default-run/report.html", "phoenix/summary.json", "compare.html", "sweep.parquet"] {
        assert!(folder.path().join(file).is_file(), "{file} was not written");
    }
}

#[test]
fn the_typo_in_the_tutorial_is_reported_as_the_tutorial_says() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tutorial = std::fs::read_to_string(repository.join("docs/book/src/tutorial.md")).unwrap();
    let Some(Step::Write { text, .. }) = steps(&tutorial)
        .into_iter()
        .find(|s| matches!(s, Step::Write { name, .. } if name == "my-site.toml"))
    else {
        panic!("the tutorial writes no my-site.toml")
    };
    assert!(text.lines().count() <= 20, "the tutorial's own site is longer than twenty lines");
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("typo.toml"), text.replace("critical_power_kw", "critical_power_kW"))
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["validate", "typo.toml"])
        .current_dir(folder.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("typo.toml:7:") && stderr.contains("unknown key `critical_power_kW`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `critical_power_kw`?"), "{stderr}");
}
