//! Grid carbon intensity: the built-in hourly profiles of grid carbon intensity.
//!
//! A built-in profile is the mean intensity by month and local standard hour of
//! day of one real year of hourly data: EIA-930 2022 for US balancing
//! authorities (via HewlettPackard/dc-rl, avg_CI from the fuel mix) and
//! Electricity Maps 2023 for other zones (via atlarge-research/opendc-traces).
//! Each profile's `source` says which. Expanding a profile gives an hourly year
//! without weather-to-weather variation; an hourly CSV gives the real series.
//!
//! The figures live in `data/grids/<key>.txt`, compiled in and decoded once on
//! first use; `data/grids/derive.py` writes those files from the hourly source
//! data (PLENUM_DATA) and reproduces them exactly.

/// Mean grid intensity by month and local hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridProfile {
    /// Key a scenario names (`pjm`).
    pub key: &'static str,
    /// Grid or zone.
    pub name: &'static str,
    /// The region the grid serves: profiles of one region (two data sources
    /// for PJM) share it, and a site's climate should be in its grid's region.
    pub region: &'static str,
    /// Where the figures come from.
    pub source: &'static str,
    /// Offset of local standard time from UTC for the hour-of-day index.
    pub utc_offset_hours: i32,
    /// Mean of the year's hourly values.
    pub annual_mean_g_per_kwh: f64,
    /// `[month][local hour]`, month 0 = January, hour 0 = 00:00-01:00 local standard time.
    pub g_per_kwh_by_month_hour: [[f64; 24]; 12],
}

/// The built-in grid with this key.
pub fn grid(key: &str) -> Option<&'static GridProfile> {
    all_grids().iter().find(|g| g.key == key)
}

/// Keys of every built-in grid.
pub fn grid_keys() -> Vec<&'static str> {
    all_grids().iter().map(|g| g.key).collect()
}

/// An hourly year (8,760 values, local standard time) from a profile.
pub fn hourly_from_profile(profile: &GridProfile) -> Vec<f64> {
    (0..crate::weather::HOURS_PER_YEAR)
        .map(|h| {
            let (month, hour) = crate::weather::month_and_hour(h);
            profile.g_per_kwh_by_month_hour[month][hour]
        })
        .collect()
}

/// The profile files compiled in, in the order grids are listed (see the module doc).
const EMBEDDED: [(&str, &str); 13] = [
    ("pjm.txt", include_str!("../data/grids/pjm.txt")),
    ("azps.txt", include_str!("../data/grids/azps.txt")),
    ("erco.txt", include_str!("../data/grids/erco.txt")),
    ("miso.txt", include_str!("../data/grids/miso.txt")),
    ("bpat.txt", include_str!("../data/grids/bpat.txt")),
    ("ie.txt", include_str!("../data/grids/ie.txt")),
    ("nl.txt", include_str!("../data/grids/nl.txt")),
    ("de.txt", include_str!("../data/grids/de.txt")),
    ("se.txt", include_str!("../data/grids/se.txt")),
    ("sg.txt", include_str!("../data/grids/sg.txt")),
    ("fr.txt", include_str!("../data/grids/fr.txt")),
    ("pl.txt", include_str!("../data/grids/pl.txt")),
    ("us-mida-pjm.txt", include_str!("../data/grids/us-mida-pjm.txt")),
];

/// Every built-in grid profile, decoded from the embedded files on first use.
pub fn all_grids() -> &'static [GridProfile] {
    static GRIDS: std::sync::OnceLock<Vec<GridProfile>> = std::sync::OnceLock::new();
    GRIDS.get_or_init(|| EMBEDDED.iter().map(|(file, text)| parse_profile(file, text)).collect())
}

/// Decode one profile file: `#` comment lines; header lines `key`, `name`,
/// `region`, `source`, `utc_offset_hours`, `annual_mean_g_per_kwh`, each a
/// field name, a space and its value; then twelve lines, month `01`..`12` and
/// the 24 means of local hours 0..23. The files are part of the source and a
/// test decodes every one, so a malformed file cannot ship: a fault panics with
/// the file, line and field.
fn parse_profile(file: &str, text: &'static str) -> GridProfile {
    let fail = |line: usize, what: &str| -> ! { panic!("embedded grid profile {file}, line {line}: {what}") };
    let mut header: [Option<&'static str>; 6] = [None; 6];
    const FIELDS: [&str; 6] =
        ["key", "name", "region", "source", "utc_offset_hours", "annual_mean_g_per_kwh"];
    let mut g_per_kwh_by_month_hour = [[f64::NAN; 24]; 12];
    let mut months_seen = 0;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (first, rest) =
            line.split_once(' ').unwrap_or_else(|| fail(number, "expected a field and a value"));
        if let Some(slot) = FIELDS.iter().position(|f| *f == first) {
            header[slot] = Some(rest);
            continue;
        }
        let month: usize =
            first.parse().unwrap_or_else(|_| fail(number, &format!("unknown field {first:?}")));
        if month != months_seen + 1 {
            fail(number, &format!("month {first} out of order"));
        }
        let values: Vec<f64> = rest
            .split_whitespace()
            .map(|v| v.parse().unwrap_or_else(|_| fail(number, &format!("month {first}: bad value {v:?}"))))
            .collect();
        if values.len() != 24 {
            fail(number, &format!("month {first}: {} values, expected 24", values.len()));
        }
        g_per_kwh_by_month_hour[month - 1].copy_from_slice(&values);
        months_seen = month;
    }
    if months_seen != 12 {
        fail(text.lines().count(), &format!("{months_seen} months, expected 12"));
    }
    let field = |slot: usize| header[slot].unwrap_or_else(|| fail(0, &format!("no {} line", FIELDS[slot])));
    GridProfile {
        key: field(0),
        name: field(1),
        region: field(2),
        source: field(3),
        utc_offset_hours: field(4)
            .parse()
            .unwrap_or_else(|_| fail(0, "utc_offset_hours is not a whole number")),
        annual_mean_g_per_kwh: field(5)
            .parse()
            .unwrap_or_else(|_| fail(0, "annual_mean_g_per_kwh is not a number")),
        g_per_kwh_by_month_hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_profile_decodes_with_its_file_name_as_key() {
        let grids = all_grids();
        assert_eq!(grids.len(), EMBEDDED.len());
        for (grid, (file, _)) in grids.iter().zip(EMBEDDED) {
            assert_eq!(format!("{}.txt", grid.key), file);
            assert!(
                grid.g_per_kwh_by_month_hour.iter().flatten().all(|v| v.is_finite() && *v > 0.0),
                "{file}"
            );
        }
    }

    /// The profile's hourly year averages to the stated annual mean (the mean
    /// of the source year's hourly values): the hour-weighted mean of the
    /// month-by-hour means equals the annual mean up to the 0.1 g rounding of
    /// the cells and the few hours a source leaves empty (PJM 23, MISO 3).
    #[test]
    fn profile_year_means_match_the_stated_annual_means() {
        let expected = [
            ("pjm", 362.6),
            ("azps", 575.0),
            ("erco", 347.2),
            ("miso", 440.5),
            ("bpat", 54.7),
            ("ie", 403.7),
            ("nl", 289.9),
            ("de", 367.0),
            ("se", 23.7),
            ("sg", 488.1),
            ("fr", 49.1),
            ("pl", 748.1),
            ("us-mida-pjm", 392.4),
        ];
        for (key, mean_g_per_kwh) in expected {
            let profile = grid(key).unwrap();
            assert_eq!(profile.annual_mean_g_per_kwh, mean_g_per_kwh, "{key}");
            let hourly = hourly_from_profile(profile);
            let year_mean = hourly.iter().sum::<f64>() / hourly.len() as f64;
            assert!(
                (year_mean - mean_g_per_kwh).abs() <= 0.1,
                "{key}: profile year mean {year_mean}, stated {mean_g_per_kwh}"
            );
        }
    }

    #[test]
    fn a_malformed_profile_names_its_line() {
        let panic = std::panic::catch_unwind(|| {
            parse_profile("bad.txt", "key x\n# c\n02 1\n");
        })
        .expect_err("the malformed input is refused");
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        assert!(message.contains("line 3: month 02 out of order"), "{message}");
    }
}
