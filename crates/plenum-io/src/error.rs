//! The one error of every reader: [`DataError`], a problem in a data file
//! (weather, carbon, utilization, intensity, telemetry, a workload trace or
//! topology, a run folder) located as precisely as the format allows.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file a problem is: a line of a text file, or a data row of a
/// table without lines (Parquet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// 1-based line of a text file (CSV and SWF count the header as line 1).
    Line(u64),
    /// 1-based data row of a table (Parquet), or a record of a trace read
    /// row by row.
    Row(u64),
}

impl Position {
    /// The line or row number.
    pub fn number(self) -> u64 {
        match self {
            Position::Line(n) | Position::Row(n) => n,
        }
    }
}

/// A problem in a data file: the file, where in it, the field or column, and
/// what was expected and found. Shown as `FILE:LINE: `field`: message` (a
/// line) or `FILE: row N: `column`: message` (a table's row).
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The file.
    pub file: PathBuf,
    /// The line or row, when known.
    pub position: Option<Position>,
    /// Field or column, when known.
    pub field: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl DataError {
    /// An error about a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        DataError { file: file.to_path_buf(), position: None, field: None, message: message.into() }
    }

    /// An error in a field or column, all lines or rows.
    pub fn column(file: &Path, column: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            position: None,
            field: Some(column.to_string()),
            message: message.into(),
        }
    }

    /// An error at a line of a text file and a field.
    pub fn at(file: &Path, line: usize, field: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            position: Some(Position::Line(line as u64)),
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// An error at a row of a table (or a trace read record by record) and a column.
    pub fn at_row(file: &Path, row: u64, column: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            position: Some(Position::Row(row)),
            field: Some(column.to_string()),
            message: message.into(),
        }
    }

    /// An error at a line, no field known (a syntax error of a whole document).
    pub fn at_line(file: &Path, line: u64, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            position: Some(Position::Line(line)),
            field: None,
            message: message.into(),
        }
    }

    /// The line or row number, when known.
    pub fn line_or_row(&self) -> Option<u64> {
        self.position.map(Position::number)
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match self.position {
            Some(Position::Line(line)) => write!(f, ":{line}")?,
            Some(Position::Row(row)) => write!(f, ": row {row}")?,
            None => {}
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for DataError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_a_row_and_a_whole_file_read_as_a_user_looks_for_them() {
        let file = Path::new("t.csv");
        assert_eq!(DataError::at(file, 7, "cpu", "bad").to_string(), "t.csv:7: `cpu`: bad");
        assert_eq!(DataError::at_row(file, 7, "cpu", "bad").to_string(), "t.csv: row 7: `cpu`: bad");
        assert_eq!(DataError::column(file, "cpu", "missing").to_string(), "t.csv: `cpu`: missing");
        assert_eq!(DataError::at_line(file, 3, "not JSON").to_string(), "t.csv:3: not JSON");
        assert_eq!(DataError::file(file, "empty").to_string(), "t.csv: empty");
        assert_eq!(DataError::at_row(file, 7, "cpu", "bad").line_or_row(), Some(7));
    }
}
