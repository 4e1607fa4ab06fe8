//! Synthetic EPW files for tests and examples: a well-formed mild year (or any
//! part of one) that a test edits to carry one defect, so every test that
//! needs an EPW file writes it the same way.

/// Days in each month of the 365-day year the files hold.
const DAYS_IN_MONTH: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// The eight header lines: a LOCATION at 40°N 75°W, UTC−5, 100 m, and
/// minimal placeholders for the seven others.
pub const HEADER: &str = "LOCATION,Testville,ST,USA,TMY,000000,40.0,-75.0,-5.0,100.0\n\
DESIGN CONDITIONS,0\nTYPICAL/EXTREME PERIODS,0\nGROUND TEMPERATURES,0\n\
HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0\nCOMMENTS 1,x\nCOMMENTS 2,x\n\
DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31\n";

/// (month 1-12, day of month, hour ending 1-24) of every hour of the year, in order.
pub fn hours() -> Vec<(u32, u32, u32)> {
    let mut out = Vec::with_capacity(8_760);
    for (m, &days) in DAYS_IN_MONTH.iter().enumerate() {
        for d in 1..=days {
            for h in 1..=24 {
                out.push((m as u32 + 1, d, h));
            }
        }
    }
    out
}

/// The 35 fields of one hour: year 1999, the date, minute 60, dry bulb
/// 10.0 °C, dew point 5.0 °C, 70% relative humidity, 100,000 Pa, zeros after.
pub fn row(month: u32, day: u32, hour_ending: u32) -> Vec<String> {
    let mut fields: Vec<String> = [
        "1999".to_string(),
        month.to_string(),
        day.to_string(),
        hour_ending.to_string(),
        "60".into(),
        "x".into(),
        "10.0".into(),
        "5.0".into(),
        "70".into(),
        "100000".into(),
    ]
    .into();
    fields.extend((10..35).map(|_| "0".to_string()));
    fields
}

/// A file's text: [`HEADER`] and the rows.
pub fn text(rows: &[Vec<String>]) -> String {
    let mut out = String::from(HEADER);
    for r in rows {
        out.push_str(&r.join(","));
        out.push('\n');
    }
    out
}

/// The text of the year's first `hours_written` hours, each row passed through
/// `edit(hour index, fields)` first (to plant a defect).
pub fn year(hours_written: usize, mut edit: impl FnMut(usize, &mut Vec<String>)) -> String {
    let rows: Vec<Vec<String>> = hours()
        .into_iter()
        .take(hours_written)
        .enumerate()
        .map(|(i, (m, d, h))| {
            let mut fields = row(m, d, h);
            edit(i, &mut fields);
            fields
        })
        .collect();
    text(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_synthetic_year_reads_back_as_its_values() {
        let (weather, location) = crate::epw::parse(Path::new("t.epw"), &year(8_760, |_, _| {})).unwrap();
        assert_eq!(weather.dry_bulb_c.len(), 8_760);
        assert!(weather.dry_bulb_c.iter().all(|t| *t == 10.0));
        assert!(weather.dew_point_c.iter().all(|t| *t == 5.0));
        assert_eq!(location.utc_offset_hours, -5.0);
        assert_eq!(hours()[8_759], (12, 31, 24));
    }
}
