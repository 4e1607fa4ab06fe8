//! A utilization series from CSV (one row a step, a named column), averaged
//! into hours and repeated (or cut) to fill a 365-day year.
//!
//! Fits the whole-data-center series of `dc-utilization-aggregate` (Alibaba,
//! Google, Azure aggregates; hourly SustainDC series with `cpu_load` as a
//! fraction, 300-second series with `cpu_util_percent`). Values outside 0..1
//! (0..100 for percent) are errors; a fraction column holding values above 1
//! is reported with a hint that it may be a percentage.

use crate::DataError;
use plenum_models::weather::HOURS_PER_YEAR;
use std::path::Path;

/// Read column `column` of `path`; `percent` says the values are 0..100;
/// `step_s` is the time between rows. Returns 8,760 hourly fractions and the
/// number of hours of real data before repetition.
pub fn read(path: &Path, column: &str, percent: bool, step_s: u64) -> Result<(Vec<f64>, usize), DataError> {
    // Flexible: a short row is reported below as the missing column.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
    let headers = reader.headers().map_err(|e| DataError::at(path, 1, "header", e.to_string()))?.clone();
    let index = headers.iter().position(|h| h.trim() == column).ok_or_else(|| {
        DataError::at(
            path,
            1,
            column,
            format!("no column {column} in the header ({})", headers.iter().collect::<Vec<_>>().join(", ")),
        )
    })?;
    let scale = if percent { 100.0 } else { 1.0 };
    let mut samples = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| DataError::at(path, line, "row", e.to_string()))?;
        let Some(cell) = record.get(index).map(str::trim) else {
            return Err(DataError::at(
                path,
                line,
                column,
                format!("missing: the row has {} fields, the header {}", record.len(), headers.len()),
            ));
        };
        let v: f64 = cell
            .parse()
            .map_err(|_| DataError::at(path, line, column, format!("expected a number, found {cell:?}")))?;
        if !v.is_finite() || v < 0.0 || v > scale {
            let hint = if !percent && v > 1.0 && v <= 100.0 {
                " (a percentage? set csv_unit = \"percent\")"
            } else {
                ""
            };
            return Err(DataError::at(
                path,
                line,
                column,
                format!("expected a utilization between 0 and {scale}, found {cell}{hint}"),
            ));
        }
        samples.push(v / scale);
    }
    if samples.is_empty() {
        return Err(DataError::at(path, 2, column, "no data rows after the header"));
    }
    let hourly: Vec<f64> = if step_s >= 3_600 {
        if !step_s.is_multiple_of(3_600) {
            return Err(DataError::file(
                path,
                format!("a step of {step_s} s is not a whole number of hours"),
            ));
        }
        samples.iter().flat_map(|v| std::iter::repeat_n(*v, (step_s / 3_600) as usize)).collect()
    } else {
        if 3_600 % step_s != 0 {
            return Err(DataError::file(path, format!("a step of {step_s} s does not divide an hour")));
        }
        let per_hour = (3_600 / step_s) as usize;
        samples
            .chunks(per_hour)
            .filter(|c| c.len() == per_hour)
            .map(|c| c.iter().sum::<f64>() / per_hour as f64)
            .collect()
    };
    if hourly.is_empty() {
        return Err(DataError::file(path, "less than one hour of data"));
    }
    let real_hours = hourly.len().min(HOURS_PER_YEAR);
    Ok(((0..HOURS_PER_YEAR).map(|h| hourly[h % hourly.len()]).collect(), real_hours))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn averages_and_repeats() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "t,cpu_util_percent").unwrap();
        for i in 0..24 {
            writeln!(f, "{i},{}", if i % 12 < 6 { 20 } else { 40 }).unwrap();
        }
        let (h, real) = read(f.path(), "cpu_util_percent", true, 300).unwrap();
        assert_eq!(real, 2);
        assert!((h[0] - 0.3).abs() < 1e-12 && (h[8759] - 0.3).abs() < 1e-12);
    }

    #[test]
    fn percent_in_a_fraction_column_gets_a_hint() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, ",cpu_load\n0,0.5\n1,45").unwrap();
        let e = read(f.path(), "cpu_load", false, 3600).unwrap_err();
        assert_eq!(e.line_or_row(), Some(3));
        assert!(e.message.contains("percent"), "{e}");
    }
}
