//! Hourly grid carbon intensity from CSV: a timestamp column (UTC, hourly) and
//! an intensity column in gCO2/kWh. Reads EIA-930-derived files (`avg_CI`, as
//! in HewlettPackard/dc-rl) and Electricity Maps exports (`carbon_intensity`).
//!
//! The series must be one whole non-leap year of consecutive hours. Empty cells
//! are gaps in the source (EIA-930 has some); they are filled by linear
//! interpolation between the nearest values and counted, so a caller can say
//! how many hours were filled. Non-numeric, negative or absurd values (above
//! 2,000 g/kWh: no grid's generation is dirtier than lignite's ~1,100 g/kWh) are errors,
//! as is a year whose every value is below 1.5 (kg/kWh, not g/kWh), a row
//! dated 29 February and a file that is not exactly 8,760 rows long; each
//! error names the line.

use crate::DataError;
use crate::time::parse_utc_hour;
use plenum_models::weather::HOURS_PER_YEAR;
use std::path::Path;

/// An hourly intensity year read from CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct CarbonSeries {
    /// gCO2/kWh per hour, in file (UTC) order.
    pub g_per_kwh_utc: Vec<f64>,
    /// Hours whose value was empty and was interpolated.
    pub filled_hours: usize,
    /// The column read.
    pub column: String,
}

/// Read a carbon CSV; `column` names the intensity column, else `avg_CI` or
/// `carbon_intensity` is used.
pub fn read(path: &Path, column: Option<&str>) -> Result<CarbonSeries, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
    let headers = reader.headers().map_err(|e| DataError::at(path, 1, "header", e.to_string()))?.clone();
    let wanted: Vec<&str> = match column {
        Some(c) => vec![c],
        None => vec!["avg_CI", "carbon_intensity"],
    };
    let index = headers.iter().position(|h| wanted.contains(&h.trim())).ok_or_else(|| {
        DataError::at(
            path,
            1,
            wanted[0],
            format!(
                "no column {} in the header ({})",
                wanted.join(" or "),
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let name = headers[index].to_string();
    let mut values: Vec<Option<f64>> = Vec::with_capacity(HOURS_PER_YEAR);
    // The largest value and its line, for the unit check below.
    let mut largest: Option<(f64, usize)> = None;
    let mut previous_hour: Option<i64> = None;
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| DataError::at(path, line, "row", e.to_string()))?;
        let stamp = record.get(0).unwrap_or("");
        if stamp.trim().get(4..10) == Some("-02-29") {
            return Err(DataError::at(
                path,
                line,
                headers.get(0).unwrap_or("timestamp"),
                format!(
                    "{stamp:?} is 29 February: a leap year? Plenum simulates 365-day years; remove 29 February"
                ),
            ));
        }
        let hour = parse_utc_hour(stamp).ok_or_else(|| {
            DataError::at(
                path,
                line,
                headers.get(0).unwrap_or("timestamp"),
                format!("expected an hourly UTC timestamp like 2022-01-01 00:00:00+00:00, found {stamp:?}"),
            )
        })?;
        if let Some(p) = previous_hour
            && hour != p + 1
        {
            return Err(DataError::at(
                path,
                line,
                headers.get(0).unwrap_or("timestamp"),
                format!("expected the hour after the previous row, found {stamp:?} ({} h later)", hour - p),
            ));
        }
        previous_hour = Some(hour);
        let cell = record.get(index).unwrap_or("").trim();
        if cell.is_empty() {
            values.push(None);
            continue;
        }
        let v: f64 = cell
            .parse()
            .map_err(|_| DataError::at(path, line, &name, format!("expected a number, found {cell:?}")))?;
        if !v.is_finite() || !(0.0..=2_000.0).contains(&v) {
            return Err(DataError::at(
                path,
                line,
                &name,
                format!("expected 0..2,000 gCO2/kWh, found {cell}"),
            ));
        }
        if largest.is_none_or(|(l, _)| v > l) {
            largest = Some((v, line));
        }
        values.push(Some(v));
    }
    if values.len() != HOURS_PER_YEAR {
        // Point at the line after the last row (or the first surplus row).
        let line = values.len().min(HOURS_PER_YEAR) + 2;
        let hint = if values.len() == 8_784 { " (a leap year: remove 29 February)" } else { "" };
        return Err(DataError::at(
            path,
            line,
            headers.get(0).unwrap_or("timestamp"),
            format!("expected {HOURS_PER_YEAR} hourly rows, found {}{hint}", values.len()),
        ));
    }
    let Some((max, max_line)) = largest else {
        return Err(DataError::at(path, 2, &name, "every value is empty"));
    };
    // A whole year under 1.5 g/kWh is a year in kg/kWh: even hydro and
    // nuclear grids have fossil hours above that (Electricity Maps 2023: the
    // cleanest zones, SE and IS, average 20-40 g/kWh), while lignite, the
    // dirtiest source, is about 1.1 kg/kWh (IPCC AR5 WG3 annex III).
    if max < 1.5 {
        return Err(DataError::at(
            path,
            max_line,
            &name,
            format!(
                "expected gCO2/kWh, but the largest value of the year is {max}: is the column in kg/kWh? \
                 multiply by 1,000"
            ),
        ));
    }
    let filled_hours = values.iter().filter(|v| v.is_none()).count();
    Ok(CarbonSeries { g_per_kwh_utc: fill_gaps(&values), filled_hours, column: name })
}

/// Fill `None`s by linear interpolation between the nearest known values
/// (holding the first or last known value at the ends).
fn fill_gaps(values: &[Option<f64>]) -> Vec<f64> {
    let known: Vec<(usize, f64)> = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    let mut out = Vec::with_capacity(values.len());
    let mut k = 0;
    for (i, value) in values.iter().enumerate() {
        while k + 1 < known.len() && known[k + 1].0 <= i {
            k += 1;
        }
        let (i0, v0) = known[k];
        out.push(match (*value, known.get(k + 1)) {
            (Some(v), _) => v,
            (None, Some(&(i1, v1))) if i > i0 => v0 + (v1 - v0) * (i - i0) as f64 / (i1 - i0) as f64,
            (None, _) => v0,
        });
    }
    out
}

/// Rotate a UTC-ordered year to local standard time: local hour `h` is UTC
/// hour `h − offset`; the hours pushed past either end wrap around the year.
pub fn to_local(utc: &[f64], utc_offset_hours: i32) -> Vec<f64> {
    let n = utc.len() as i64;
    (0..n).map(|h| utc[(h - i64::from(utc_offset_hours)).rem_euclid(n) as usize]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(rows: impl Fn(usize) -> String, n: usize) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "timestamp,avg_CI").unwrap();
        for i in 0..n {
            let day = i / 24;
            // Days of a non-leap year from 2022-01-01.
            let (m, d) = month_day(day);
            writeln!(f, "2022-{m:02}-{d:02} {:02}:00:00+00:00,{}", i % 24, rows(i)).unwrap();
        }
        f
    }

    fn month_day(mut day: usize) -> (usize, usize) {
        for (m, len) in [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31].iter().enumerate() {
            if day < *len {
                return (m + 1, day + 1);
            }
            day -= len;
        }
        (12, 31)
    }

    #[test]
    fn reads_and_fills_gaps() {
        let f = file(|i| if i == 10 || i == 11 { String::new() } else { format!("{}", i % 24) }, 8760);
        let s = read(f.path(), None).unwrap();
        assert_eq!(s.filled_hours, 2);
        assert!((s.g_per_kwh_utc[10] - 10.0).abs() < 1e-9 && (s.g_per_kwh_utc[11] - 11.0).abs() < 1e-9);
    }

    #[test]
    fn non_numeric_names_line_and_column() {
        let f = file(|i| if i == 7 { "high".into() } else { "300".into() }, 8760);
        let e = read(f.path(), None).unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(9), Some("avg_CI")));
    }

    #[test]
    fn wrong_length_and_wrong_column() {
        let e = read(file(|_| "300".into(), 100).path(), None).unwrap_err();
        assert!(e.message.contains("found 100"), "{e}");
        let e = read(file(|_| "300".into(), 8760).path(), Some("co2")).unwrap_err();
        assert!(e.message.contains("no column co2"), "{e}");
    }

    #[test]
    fn local_time_rotation() {
        let utc: Vec<f64> = (0..24).map(f64::from).collect();
        let local = to_local(&utc, -5);
        assert_eq!(local[0], 5.0); // local midnight is 05:00 UTC
        assert_eq!(local[23], 4.0);
    }
}
