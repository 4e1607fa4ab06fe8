//! Reading a run folder back: what `plenum run --out DIR` wrote, for
//! `plenum report` to render again without simulating.
//!
//! A run folder holds `summary.json` (required: it is what makes a folder a
//! run folder), `scenario.toml` (the scenario as run), any number of Parquet
//! tables (`hourly.parquet`, event logs) and, after `plenum sensitivity --out`,
//! `sensitivity.json`. Every error names the path it is about.

use crate::DataError;
use crate::read_tables::read_parquet;
use plenum_engine::{DataTable, Summary};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The contents of a run folder.
#[derive(Debug, Clone)]
pub struct RunFolder {
    /// The folder.
    pub dir: PathBuf,
    /// `summary.json`: the JSON of `plenum run --format json`, read into its type.
    pub summary: Summary,
    /// `scenario.toml`, when present.
    pub scenario_toml: Option<String>,
    /// Every `*.parquet` table, in file-name order.
    pub tables: Vec<DataTable>,
    /// `sensitivity.json` (rows of `plenum sensitivity`), when present.
    pub sensitivity: Option<Value>,
}

/// Read a run folder.
pub fn read_run_folder(dir: &Path) -> Result<RunFolder, DataError> {
    if !dir.exists() {
        return Err(DataError::file(dir, "no such folder"));
    }
    if !dir.is_dir() {
        return Err(DataError::file(dir, "not a folder: give the folder `plenum run --out DIR` wrote"));
    }
    let summary_path = dir.join("summary.json");
    if !summary_path.is_file() {
        return Err(DataError::file(
            &summary_path,
            format!(
                "missing: {} is not a run folder (`plenum run --out DIR` writes summary.json there)",
                dir.display()
            ),
        ));
    }
    let summary = read_summary(&summary_path)?;
    let scenario_path = dir.join("scenario.toml");
    let scenario_toml = if scenario_path.is_file() {
        Some(
            std::fs::read_to_string(&scenario_path)
                .map_err(|e| DataError::file(&scenario_path, format!("cannot read: {e}")))?,
        )
    } else {
        None
    };
    let sensitivity_path = dir.join("sensitivity.json");
    let sensitivity = if sensitivity_path.is_file() { Some(read_json(&sensitivity_path)?) } else { None };
    let mut parquet: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| DataError::file(dir, format!("cannot list: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    parquet.sort();
    let tables = parquet.iter().map(|p| read_parquet(p)).collect::<Result<_, _>>()?;
    Ok(RunFolder { dir: dir.to_path_buf(), summary, scenario_toml, tables, sensitivity })
}

/// `summary.json` read into [`Summary`]: an error names the line and what is
/// missing, unknown or of the wrong type.
fn read_summary(path: &Path) -> Result<Summary, DataError> {
    let text = read_text(path)?;
    if !parse_json(path, &text)?.is_object() {
        return Err(DataError::file(path, "expected a JSON object (the output of `plenum run`)"));
    }
    serde_json::from_str(&text).map_err(|e| DataError {
        file: path.to_path_buf(),
        position: Some(crate::Position::Line(e.line() as u64)),
        field: None,
        message: format!("not the summary of this version of `plenum run`: {e}"),
    })
}

fn read_json(path: &Path) -> Result<Value, DataError> {
    parse_json(path, &read_text(path)?)
}

fn read_text(path: &Path) -> Result<String, DataError> {
    std::fs::read_to_string(path).map_err(|e| DataError::file(path, format!("cannot read: {e}")))
}

fn parse_json(path: &Path, text: &str) -> Result<Value, DataError> {
    serde_json::from_str(text).map_err(|e| DataError {
        file: path.to_path_buf(),
        position: Some(crate::Position::Line(e.line() as u64)),
        field: None,
        message: format!("not valid JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::OutputDir;
    use plenum_engine::ColumnValues;

    fn default_summary() -> Summary {
        let scenario = plenum_scenario::Scenario::embedded_default();
        plenum_engine::run(&scenario, &plenum_engine::Inputs::default()).unwrap().summary()
    }

    #[test]
    fn a_written_folder_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        let out = OutputDir::create(&target).unwrap();
        let summary = default_summary();
        out.write_json("summary.json", &summary.to_value()).unwrap();
        out.write_bytes("scenario.toml", b"[scenario]\nname = \"x\"\n").unwrap();
        for name in ["b", "a"] {
            let table = DataTable::new(name, "rows").with("v", "value", ColumnValues::F64(vec![1.0]));
            out.write_table(&table, true).unwrap();
        }
        out.commit().unwrap();
        let run = read_run_folder(&target).unwrap();
        assert_eq!(run.summary.scenario.name, summary.scenario.name);
        assert_eq!(run.summary.to_value(), summary.to_value());
        assert!(run.scenario_toml.unwrap().contains("name = \"x\""));
        assert_eq!(run.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert!(run.sensitivity.is_none());
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let e = read_run_folder(&missing).unwrap_err();
        assert_eq!((e.file.as_path(), e.message.as_str()), (missing.as_path(), "no such folder"));
        let e = read_run_folder(dir.path()).unwrap_err();
        assert_eq!(e.file, dir.path().join("summary.json"));
        assert!(e.message.contains("is not a run folder"), "{e}");
        std::fs::write(dir.path().join("summary.json"), "{\n  \"scenario\": \n").unwrap();
        let e = read_run_folder(dir.path()).unwrap_err();
        assert_eq!(e.line_or_row(), Some(3), "{e}");
        std::fs::write(dir.path().join("summary.json"), "[1]").unwrap();
        assert!(read_run_folder(dir.path()).unwrap_err().message.contains("JSON object"));
        let mut summary = default_summary().to_value();
        summary["cost"]["capex_usd"]["land"] = serde_json::json!(1.0);
        std::fs::write(dir.path().join("summary.json"), serde_json::to_string_pretty(&summary).unwrap())
            .unwrap();
        let e = read_run_folder(dir.path()).unwrap_err();
        assert!(e.message.contains("unknown field `land`"), "{e}");
        assert!(e.line_or_row().is_some_and(|line| line > 1), "{e}");
    }
}
