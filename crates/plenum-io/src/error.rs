//! Errors reading data files.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a data file, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (or row, counting the header as line 1), when known.
    pub line: Option<usize>,
    /// Field or column, when known.
    pub field: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl DataError {
    /// An error about a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        DataError { file: file.to_path_buf(), line: None, field: None, message: message.into() }
    }

    /// An error at a line and field.
    pub fn at(file: &Path, line: usize, field: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            line: Some(line),
            field: Some(field.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for DataError {}
