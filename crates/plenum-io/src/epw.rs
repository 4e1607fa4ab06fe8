//! EnergyPlus weather files (EPW): 8 header lines, then 8,760 hourly rows of
//! 35 comma-separated fields (EnergyPlus "Auxiliary Programs", Weather
//! Converter, EPW CSV format). Read here: month, day, hour, dry bulb (field 6),
//! dew point (7) and station pressure (9), and from the LOCATION header the
//! time zone, latitude, longitude and elevation.
//!
//! Missing values (99.9 °C for temperatures, 999999 Pa for pressure) and
//! values outside the format's documented ranges are errors naming the line
//! and field, with a hint when the value fits a wrong unit (kelvin, kPa);
//! dates must exist and ascend; a leap-year file (29 February, 8,784 rows) is
//! refused because Plenum simulates 365-day years.

use crate::DataError;
use plenum_models::weather::{HOURS_PER_YEAR, WeatherYear};
use std::path::Path;

pub mod synthetic;

/// What the LOCATION header says.
#[derive(Debug, Clone, PartialEq)]
pub struct EpwLocation {
    /// City as written.
    pub city: String,
    /// Offset of local standard time from UTC.
    pub utc_offset_hours: f64,
    /// Latitude.
    pub latitude_deg: f64,
    /// Longitude.
    pub longitude_deg: f64,
    /// Elevation.
    pub elevation_m: f64,
}

const DAYS_IN_MONTH: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Read an EPW file.
pub fn read(path: &Path) -> Result<(WeatherYear, EpwLocation), DataError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
    parse(path, &text)
}

fn number(path: &Path, line: usize, field: &str, text: Option<&str>) -> Result<f64, DataError> {
    let text = text.ok_or_else(|| DataError::at(path, line, field, "missing: the row has too few fields"))?;
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| DataError::at(path, line, field, format!("expected a number, found {text:?}")))?;
    if !value.is_finite() {
        return Err(DataError::at(path, line, field, format!("expected a finite number, found {text:?}")));
    }
    Ok(value)
}

/// Parse EPW text; `path` names it in errors.
pub fn parse(path: &Path, text: &str) -> Result<(WeatherYear, EpwLocation), DataError> {
    let mut lines = text.lines();
    let location_line = lines.next().unwrap_or("");
    if !location_line.starts_with("LOCATION") {
        return Err(DataError::at(
            path,
            1,
            "LOCATION",
            "expected an EPW file: the first line starts with LOCATION",
        ));
    }
    let loc: Vec<&str> = location_line.split(',').collect();
    let location = EpwLocation {
        city: loc.get(1).unwrap_or(&"").to_string(),
        latitude_deg: number(path, 1, "LOCATION latitude", loc.get(6).copied())?,
        longitude_deg: number(path, 1, "LOCATION longitude", loc.get(7).copied())?,
        utc_offset_hours: number(path, 1, "LOCATION time zone", loc.get(8).copied())?,
        elevation_m: number(path, 1, "LOCATION elevation", loc.get(9).copied())?,
    };
    for (i, header) in [
        "DESIGN CONDITIONS",
        "TYPICAL/EXTREME PERIODS",
        "GROUND TEMPERATURES",
        "HOLIDAYS/DAYLIGHT SAVINGS",
        "COMMENTS 1",
        "COMMENTS 2",
        "DATA PERIODS",
    ]
    .iter()
    .enumerate()
    {
        let line = lines.next().unwrap_or("");
        if !line.starts_with(header) {
            return Err(DataError::at(
                path,
                i + 2,
                header,
                format!("expected the {header} header line of an EPW file"),
            ));
        }
    }
    let mut dry_bulb_c = Vec::with_capacity(HOURS_PER_YEAR);
    let mut dew_point_c = Vec::with_capacity(HOURS_PER_YEAR);
    let mut pressure_pa = Vec::with_capacity(HOURS_PER_YEAR);
    let mut previous: Option<(u32, u32, u32)> = None;
    for (index, row) in lines.enumerate() {
        let line = index + 9;
        if row.trim().is_empty() {
            continue;
        }
        if dry_bulb_c.len() == HOURS_PER_YEAR {
            let n = 8 + text.lines().skip(8).filter(|l| !l.trim().is_empty()).count();
            return Err(DataError::at(
                path,
                line,
                "rows",
                format!(
                    "more than {HOURS_PER_YEAR} hourly rows ({} data rows): a leap-year file? Plenum simulates 365-day years; remove 29 February",
                    n - 8
                ),
            ));
        }
        let fields: Vec<&str> = row.split(',').collect();
        let month = number(path, line, "month", fields.get(1).copied())? as u32;
        let day = number(path, line, "day", fields.get(2).copied())? as u32;
        let hour = number(path, line, "hour", fields.get(3).copied())? as u32;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=24).contains(&hour) {
            return Err(DataError::at(
                path,
                line,
                "month/day/hour",
                format!("expected a date and hour 1-24, found {month}/{day} hour {hour}"),
            ));
        }
        if (month, day) == (2, 29) {
            return Err(DataError::at(
                path,
                line,
                "month/day/hour",
                "29 February: a leap-year file? Plenum simulates 365-day years; remove 29 February",
            ));
        }
        if day > DAYS_IN_MONTH[month as usize - 1] {
            return Err(DataError::at(
                path,
                line,
                "month/day/hour",
                format!(
                    "expected a real date, found {month}/{day}: there is no {day} {}",
                    MONTHS[month as usize - 1]
                ),
            ));
        }
        if let Some(p) = previous
            && (month, day, hour) <= p
        {
            return Err(DataError::at(
                path,
                line,
                "month/day/hour",
                format!("rows out of order: {month}/{day} hour {hour} after {}/{} hour {}", p.0, p.1, p.2),
            ));
        }
        previous = Some((month, day, hour));
        let t = number(path, line, "dry bulb", fields.get(6).copied())?;
        let td = number(path, line, "dew point", fields.get(7).copied())?;
        let p = number(path, line, "station pressure", fields.get(9).copied())?;
        // EPW ranges: dry bulb −70..70 °C (99.9 missing), dew point −70..70 (99.9 missing),
        // pressure 31,000..120,000 Pa (999999 missing).
        // Kelvin (200..350 K is −73..77 °C) is the likely unit mistake.
        let kelvin = |x: f64| if (200.0..350.0).contains(&x) { " (in kelvin? subtract 273.15)" } else { "" };
        if !(-70.0..70.0).contains(&t) {
            return Err(DataError::at(
                path,
                line,
                "dry bulb",
                format!("expected −70..70 °C, found {t} (99.9 marks a missing value){}", kelvin(t)),
            ));
        }
        if !(-70.0..70.0).contains(&td) {
            return Err(DataError::at(
                path,
                line,
                "dew point",
                format!("expected −70..70 °C, found {td} (99.9 marks a missing value){}", kelvin(td)),
            ));
        }
        if !(31_000.0..=120_000.0).contains(&p) {
            return Err(DataError::at(
                path,
                line,
                "station pressure",
                format!(
                    "expected 31,000..120,000 Pa, found {p} (999999 marks a missing value){}",
                    if (31.0..=120.0).contains(&p) { " (in kPa? multiply by 1,000)" } else { "" }
                ),
            ));
        }
        dry_bulb_c.push(t);
        dew_point_c.push(td.min(t));
        pressure_pa.push(p);
    }
    if dry_bulb_c.len() != HOURS_PER_YEAR {
        // The file is short: point at the line after its last row.
        let (m, d, h) = previous.unwrap_or((0, 0, 0));
        return Err(DataError::at(
            path,
            text.lines().count() + 1,
            "rows",
            format!(
                "expected {HOURS_PER_YEAR} hourly rows after the 8 header lines, found {} (the file \
                 ends after {m}/{d} hour {h}): missing hours",
                dry_bulb_c.len()
            ),
        ));
    }
    let weather =
        WeatherYear { source: format!("EPW {}", path.display()), dry_bulb_c, dew_point_c, pressure_pa };
    Ok((weather, location))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rows: usize, edit: impl Fn(usize, &mut Vec<String>)) -> String {
        synthetic::year(rows, edit)
    }

    #[test]
    fn reads_a_well_formed_year() {
        let (w, loc) = parse(Path::new("t.epw"), &sample(8760, |_, _| {})).unwrap();
        assert_eq!(w.dry_bulb_c.len(), 8760);
        assert_eq!(loc.utc_offset_hours, -5.0);
        assert_eq!(w.dew_point_c[0], 5.0);
    }

    #[test]
    fn missing_hours_are_refused() {
        let e = parse(Path::new("t.epw"), &sample(8000, |_, _| {})).unwrap_err();
        assert!(
            e.to_string().contains("found 8000 (the file ends after 11/30 hour 8): missing hours"),
            "{e}"
        );
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(8009), Some("rows")));
    }

    #[test]
    fn missing_value_names_line_and_field() {
        let e = parse(
            Path::new("t.epw"),
            &sample(8760, |i, f| {
                if i == 100 {
                    f[6] = "99.9".into()
                }
            }),
        )
        .unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(109), Some("dry bulb")));
    }

    #[test]
    fn non_numeric_cell_names_line_and_field() {
        let e = parse(
            Path::new("t.epw"),
            &sample(8760, |i, f| {
                if i == 5 {
                    f[9] = "abc".into()
                }
            }),
        )
        .unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(14), Some("station pressure")));
        assert!(e.message.contains("expected a number"));
    }

    #[test]
    fn not_an_epw_file() {
        let e = parse(Path::new("t.epw"), "timestamp,value\n1,2\n").unwrap_err();
        assert_eq!(e.line_or_row(), Some(1));
    }
}
