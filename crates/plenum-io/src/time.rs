//! Hour arithmetic on civil dates, for checking that hourly series are whole,
//! ordered and one year long.

pub use plenum_models::carbon_aware::days_from_civil;

/// Hours since 1970-01-01T00 of a timestamp like `2022-01-01 00:00:00+00:00`
/// or `2023-01-01T00:00:00Z` (UTC; minutes must be zero). None if malformed.
pub fn parse_utc_hour(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_at_checked(10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || parts.next().is_some() {
        return None;
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let hour: i64 = rest.get(0..2)?.parse().ok()?;
    let minute: i64 = rest.get(3..5)?.parse().ok()?;
    let zone = rest.get(8..).unwrap_or("");
    if hour > 23 || minute != 0 || !(zone.is_empty() || zone == "Z" || zone == "+00:00") {
        return None;
    }
    Some(days_from_civil(year, month, day) * 24 + hour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2023, 1, 1) - days_from_civil(2022, 1, 1), 365);
    }

    #[test]
    fn utc_hours() {
        let a = parse_utc_hour("2022-01-01 00:00:00+00:00").unwrap();
        assert_eq!(parse_utc_hour("2022-01-01T01:00:00Z"), Some(a + 1));
        assert_eq!(parse_utc_hour("2022-01-01 00:30:00+00:00"), None);
        assert_eq!(parse_utc_hour("2022-01-01 00:00:00+05:00"), None);
        assert_eq!(parse_utc_hour("garbage"), None);
    }
}
