//! Never destroy a user's files: what an `--out` may replace.
//!
//! A run folder is replaced only when Plenum wrote it (it carries
//! [`plenum_io::write::RUN_FOLDER_MARKER`]), is empty, or does not exist yet.
//! A single output file (a sweep's table, a report page) replaces an existing
//! file only of the same kind (Parquet, CSV, HTML), or of another kind with
//! `--force`; a folder never. No output may be, or hold, an input of the same
//! command: the scenario file, the data files it names, the run folders read.
//! Every refusal is a [`Refusal`] (exit 2), raised before anything runs.

use plenum_scenario::Scenario;
use std::fmt;
use std::path::{Path, PathBuf};

/// An output the command will not write, and why (exit status 2).
#[derive(Debug)]
pub struct Refusal(pub String);

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// The kind of a single output file, known by its name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Apache Parquet (`.parquet`).
    Parquet,
    /// Comma-separated values (`.csv`).
    Csv,
    /// An HTML page (`.html`, `.htm`).
    Html,
}

impl FileKind {
    /// The kind a sweep writes for this file name: `.parquet` or `.csv`.
    pub fn from_extension(path: &Path) -> Option<FileKind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "parquet" => Some(FileKind::Parquet),
            "csv" => Some(FileKind::Csv),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FileKind::Parquet => "Parquet",
            FileKind::Csv => "CSV",
            FileKind::Html => "HTML",
        }
    }

    /// Whether the file at `path` already holds this kind of content: the
    /// Parquet magic bytes, an HTML doctype, or text for CSV.
    fn holds(self, path: &Path) -> bool {
        let Ok(bytes) = std::fs::read(path) else { return false };
        match self {
            FileKind::Parquet => bytes.starts_with(b"PAR1"),
            FileKind::Html => {
                let head =
                    String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).trim_start().to_ascii_lowercase();
                head.starts_with("<!doctype html")
            }
            FileKind::Csv => {
                path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                    && std::str::from_utf8(&bytes).is_ok()
            }
        }
    }
}

/// Every file and folder a scenario reads: the scenario file itself and
/// each path-like string in it that names something on disk (weather,
/// carbon, utilization, demand, traces, topologies).
pub fn scenario_inputs(scenario: &Scenario, file: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = file.map(Path::to_path_buf).into_iter().collect();
    let mut strings = Vec::new();
    collect_strings(&toml::Value::Table(scenario.document.tree.clone()), &mut strings);
    for text in strings {
        if let Ok(path) = plenum_scenario::paths::resolve_path(&text, &scenario.document)
            && path.exists()
        {
            out.push(path);
        }
    }
    out
}

fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) if !s.is_empty() => out.push(s.clone()),
        toml::Value::Table(t) => t.values().for_each(|v| collect_strings(v, out)),
        toml::Value::Array(a) => a.iter().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// `path` made absolute with its symbolic links resolved as far as it exists
/// (an output often does not exist yet: its parent is resolved instead).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let whole = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (whole.parent(), whole.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => whole,
    }
}

/// Refuse a run folder at `out` that would replace an input or a folder
/// (or file) Plenum did not write.
pub fn check_folder(out: &Path, inputs: &[PathBuf]) -> Result<(), Refusal> {
    let target = absolute(out);
    for input in inputs {
        if absolute(input).starts_with(&target) {
            return Err(Refusal(format!(
                "--out {}: {} is an input of this command and would be replaced with the folder; \
                 choose another output folder",
                out.display(),
                input.display()
            )));
        }
    }
    match plenum_io::write::refuse_folder(out) {
        Some(reason) => Err(Refusal(format!("--out {}: {reason}", out.display()))),
        None => Ok(()),
    }
}

/// Refuse an output file at `out` that would replace an input, a folder, or
/// a file of another kind than `kind` (unless `force`).
pub fn check_file(out: &Path, kind: FileKind, force: bool, inputs: &[PathBuf]) -> Result<(), Refusal> {
    let target = absolute(out);
    for input in inputs {
        let input_abs = absolute(input);
        // A file read, or an existing file inside a folder read (a trace).
        let replaces_input =
            input_abs == target || (input_abs.is_dir() && target.starts_with(&input_abs) && target.exists());
        if replaces_input {
            return Err(Refusal(format!(
                "--out {}: that is an input of this command ({}); it is never replaced, \
                 even with --force; choose another file",
                out.display(),
                input.display()
            )));
        }
    }
    let Ok(meta) = std::fs::metadata(out) else { return Ok(()) };
    if meta.is_dir() {
        return Err(Refusal(format!(
            "--out {}: is a folder; give a {} file name",
            out.display(),
            kind.name()
        )));
    }
    if !force && !kind.holds(out) {
        return Err(Refusal(format!(
            "--out {}: the file exists and is not a {} file; refusing to replace it \
             (choose another name, or add --force to replace it)",
            out.display(),
            kind.name()
        )));
    }
    Ok(())
}

/// The files of a run folder that `plenum report` reads (everything in it
/// but `report.html`, which it writes).
pub fn run_folder_inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_none_or(|n| n != "report.html"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_replaced_only_by_their_kind_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("copy.toml");
        std::fs::write(&toml, "x = 1\n").unwrap();
        assert!(check_file(&toml, FileKind::Html, false, &[]).is_err());
        assert!(check_file(&toml, FileKind::Html, true, &[]).is_ok());
        let html = dir.path().join("old.html");
        std::fs::write(&html, "<!DOCTYPE html>\n<html></html>").unwrap();
        assert!(check_file(&html, FileKind::Html, false, &[]).is_ok());
        assert!(check_file(&dir.path().join("new.parquet"), FileKind::Parquet, false, &[]).is_ok());
        // An input is never an output, even with --force.
        assert!(check_file(&toml, FileKind::Html, true, std::slice::from_ref(&toml)).is_err());
        assert!(check_file(dir.path(), FileKind::Html, true, &[]).is_err());
    }

    #[test]
    fn a_folder_holding_an_input_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("site.toml");
        std::fs::write(&scenario, "x = 1\n").unwrap();
        let e = check_folder(dir.path(), std::slice::from_ref(&scenario)).unwrap_err();
        assert!(e.0.contains("site.toml"), "{e}");
        assert!(check_folder(&dir.path().join("new"), &[scenario]).is_ok());
    }
}
