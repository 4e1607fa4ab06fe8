//! Built-in climates: typical-year statistics for ten data-center locations,
//! enough to generate an hourly weather year with no data file.
//!
//! Per site: monthly mean dry bulb, mean daily range (mean of daily max − min)
//! and mean dew point, with location, mean station pressure, the hour the daily
//! temperature peaks and the site's grid. US sites are computed from the TMYx
//! typical-year EPW files of climate.onebuilding.org (NCEI ISD / ERA5,
//! 2007-2021); other sites from national 1991-2020 normals or ASHRAE IWEC
//! typical years, as each entry's `source` states.
//! [`crate::weather::builtin_year`] gives a site's hours: the US sites' TMYx
//! years embedded hour by hour, the others synthesized from these statistics.
//!
//! The figures live in `data/climates/sites.txt`, compiled in and decoded
//! once; `data/climates/derive.py` derives the US sites' statistics from their
//! EPW files (and a test checks them against the embedded hourly years).

/// Typical-year statistics of one site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuiltinSite {
    /// Key a scenario names (`ashburn`).
    pub key: &'static str,
    /// Place and station.
    pub name: &'static str,
    /// Offset of local standard time from UTC.
    pub utc_offset_hours: i32,
    /// Key of the site's built-in grid carbon profile.
    pub grid: &'static str,
    /// Latitude.
    pub latitude_deg: f64,
    /// Longitude (east positive).
    pub longitude_deg: f64,
    /// Elevation.
    pub elevation_m: f64,
    /// Mean station pressure.
    pub pressure_pa: f64,
    /// Local standard hour (1-24, hour ending) of the mean daily temperature peak.
    pub tmax_hour: u8,
    /// Monthly mean dry bulb, January first.
    pub monthly_mean_dry_bulb_c: [f64; 12],
    /// Monthly mean of (daily max − daily min) dry bulb.
    pub monthly_mean_daily_range_c: [f64; 12],
    /// Monthly mean dew point.
    pub monthly_mean_dew_point_c: [f64; 12],
    /// Where the figures come from.
    pub source: &'static str,
}

/// Every built-in site, decoded from `data/climates/sites.txt` on first use.
pub fn builtin_sites() -> &'static [BuiltinSite] {
    static SITES: std::sync::OnceLock<Vec<BuiltinSite>> = std::sync::OnceLock::new();
    SITES.get_or_init(|| parse_sites(include_str!("../data/climates/sites.txt")))
}

/// The built-in site with this key.
pub fn site(key: &str) -> Option<&'static BuiltinSite> {
    builtin_sites().iter().find(|s| s.key == key)
}

/// Keys of every built-in site.
pub fn site_keys() -> Vec<&'static str> {
    builtin_sites().iter().map(|s| s.key).collect()
}

/// Decode the sites file: `#` comment lines; a `[key]` line opens a site, then
/// one `field value` line per field of [`BuiltinSite`] (monthly fields: 12
/// numbers). The file is part of the source and a test decodes it, so a fault
/// panics naming the line and field.
fn parse_sites(text: &'static str) -> Vec<BuiltinSite> {
    const FIELDS: [&str; 12] = [
        "name",
        "utc_offset_hours",
        "grid",
        "latitude_deg",
        "longitude_deg",
        "elevation_m",
        "pressure_pa",
        "tmax_hour",
        "monthly_mean_dry_bulb_c",
        "monthly_mean_daily_range_c",
        "monthly_mean_dew_point_c",
        "source",
    ];
    let fail = |line: usize, what: &str| -> ! { panic!("data/climates/sites.txt, line {line}: {what}") };
    /// A site's block: the line of its `[key]`, the key, and each field's line and value.
    type Block = (usize, &'static str, [Option<(usize, &'static str)>; 12]);
    let mut blocks: Vec<Block> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(key) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            blocks.push((number, key, [None; 12]));
            continue;
        }
        let Some((_, _, values)) = blocks.last_mut() else { fail(number, "a field before the first [site]") };
        let (field, value) =
            line.split_once(' ').unwrap_or_else(|| fail(number, "expected a field and a value"));
        let slot = FIELDS
            .iter()
            .position(|f| *f == field)
            .unwrap_or_else(|| fail(number, &format!("unknown field {field:?}")));
        values[slot] = Some((number, value));
    }
    blocks
        .into_iter()
        .map(|(opened, key, values)| {
            let text_of = |slot: usize| {
                values[slot].unwrap_or_else(|| fail(opened, &format!("site {key} has no {}", FIELDS[slot])))
            };
            let number = |slot: usize| -> f64 {
                let (line, v) = text_of(slot);
                v.parse().unwrap_or_else(|_| fail(line, &format!("{}: not a number: {v:?}", FIELDS[slot])))
            };
            let monthly = |slot: usize| -> [f64; 12] {
                let (line, v) = text_of(slot);
                let parsed: Vec<f64> = v
                    .split_whitespace()
                    .map(|x| {
                        x.parse()
                            .unwrap_or_else(|_| fail(line, &format!("{}: not a number: {x:?}", FIELDS[slot])))
                    })
                    .collect();
                parsed
                    .try_into()
                    .unwrap_or_else(|_| fail(line, &format!("{}: expected 12 values", FIELDS[slot])))
            };
            let (offset_line, offset) = text_of(1);
            let (tmax_line, tmax) = text_of(7);
            BuiltinSite {
                key,
                name: text_of(0).1,
                utc_offset_hours: offset
                    .parse()
                    .unwrap_or_else(|_| fail(offset_line, "utc_offset_hours: not a whole number")),
                grid: text_of(2).1,
                latitude_deg: number(3),
                longitude_deg: number(4),
                elevation_m: number(5),
                pressure_pa: number(6),
                tmax_hour: tmax.parse().unwrap_or_else(|_| fail(tmax_line, "tmax_hour: not an hour 1-24")),
                monthly_mean_dry_bulb_c: monthly(8),
                monthly_mean_daily_range_c: monthly(9),
                monthly_mean_dew_point_c: monthly(10),
                source: text_of(11).1,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_file_decodes_to_ten_distinct_sites() {
        let sites = builtin_sites();
        assert_eq!(sites.len(), 10);
        let mut keys = site_keys();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 10);
        assert!(
            sites.iter().all(|s| (1..=24).contains(&s.tmax_hour) && crate::carbon::grid(s.grid).is_some())
        );
    }

    /// The US sites' monthly statistics are those of their embedded hourly
    /// TMYx years (both derived from the same EPW files), to the 0.1 K rounding.
    #[test]
    fn us_site_statistics_match_their_embedded_years() {
        for site in builtin_sites().iter().filter(|s| crate::weather::is_embedded(s)) {
            let year = crate::weather::builtin_year(site);
            for month in 0..12 {
                let hours: Vec<usize> = (0..crate::weather::HOURS_PER_YEAR)
                    .filter(|h| crate::weather::month_and_hour(*h).0 == month)
                    .collect();
                let mean = |v: &[f64]| hours.iter().map(|h| v[*h]).sum::<f64>() / hours.len() as f64;
                let dry = mean(&year.dry_bulb_c);
                let dew = mean(&year.dew_point_c);
                assert!(
                    (dry - site.monthly_mean_dry_bulb_c[month]).abs() <= 0.05 + 1e-9,
                    "{} month {month}: {dry}",
                    site.key
                );
                assert!(
                    (dew - site.monthly_mean_dew_point_c[month]).abs() <= 0.05 + 1e-9,
                    "{} month {month}: {dew}",
                    site.key
                );
            }
        }
    }

    #[test]
    fn a_malformed_sites_file_names_its_line() {
        let panic = std::panic::catch_unwind(|| {
            parse_sites("name x\n");
        })
        .expect_err("the malformed input is refused");
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        assert!(message.contains("line 1: a field before the first [site]"), "{message}");
    }
}
