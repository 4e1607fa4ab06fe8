//! Data paths a scenario names (weather, carbon, traces, telemetry): `${VAR}`
//! expanded, relative paths resolved against the scenario's folder, and the
//! target checked to exist and be a file or a folder as the key needs.

use crate::document::Document;
use crate::problems::Problems;
use std::path::{Path, PathBuf};

/// Expand `${VAR}` references and resolve a relative path against the folder
/// of the scenario file. Errors say which variable is missing.
pub fn resolve_path(text: &str, document: &Document) -> Result<PathBuf, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').ok_or_else(|| format!("unclosed `${{` in {text:?}"))? + start;
        let name = &rest[start + 2..end];
        let value = std::env::var(name).map_err(|_| {
            if name == "PLENUM_DATA" {
                "environment variable PLENUM_DATA is not set: point it at the folder of real data (see the book, docs/book/src/guide/data.md)".to_string()
            } else {
                format!("environment variable {name} is not set")
            }
        })?;
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    let path = PathBuf::from(out);
    if path.is_absolute() {
        return Ok(path);
    }
    let base = Path::new(&document.origin).parent().filter(|_| !document.origin.starts_with('<'));
    Ok(base.map_or(path.clone(), |b| b.join(&path)))
}

/// Resolve and check a data file named at `field`; an unset variable is a problem.
pub(crate) fn data_file(p: &mut Problems<'_>, field: &str, text: &str) -> Option<PathBuf> {
    match resolve_path(text, p.document) {
        Ok(path) if path.is_file() => Some(path),
        Ok(path) if path.is_dir() => {
            p.add(field, format!("{} is a directory, expected a file", path.display()), None);
            None
        }
        Ok(path) => {
            p.add(field, format!("file not found: {}", path.display()), None);
            None
        }
        Err(message) => {
            p.add(field, message, None);
            None
        }
    }
}

/// What a data path must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathKind {
    /// A file.
    File,
    /// A folder.
    Folder,
    /// Either.
    FileOrFolder,
}

/// Resolve a data path named at `field` against the scenario's folder and
/// check it is of `kind`. A path whose `${VAR}` is not set is left as
/// written, unchecked: the scenario validates without the data, and reading
/// it later says which variable is missing.
pub(crate) fn data_path(p: &mut Problems<'_>, field: &str, text: &str, kind: PathKind) -> String {
    let Ok(path) = resolve_path(text, p.document) else { return text.to_string() };
    let problem = if !path.exists() {
        Some(format!("file not found: {}", path.display()))
    } else if kind == PathKind::File && !path.is_file() {
        Some(format!("{} is a directory, expected a file", path.display()))
    } else if kind == PathKind::Folder && !path.is_dir() {
        Some(format!("{} is a file, expected a folder", path.display()))
    } else {
        None
    };
    if let Some(message) = problem {
        p.add(field, message, None);
    }
    path.to_string_lossy().into_owned()
}
