//! An hourly weather year and its generation from typical-year statistics.
//!
//! A [`WeatherYear`] holds 8,760 hours (a non-leap year in local standard time)
//! of dry bulb, dew point and station pressure, from an EPW file or generated
//! by [`synthesize`]. Wet bulb is derived with [`crate::psychro`].
//!
//! Synthesis from monthly statistics (the documented method):
//! 1. Daily mean dry bulb, daily range and dew point are interpolated linearly
//!    between mid-month values (the year wraps around).
//! 2. Hours follow the ASHRAE design-day profile of the daily range
//!    (ASHRAE Handbook—Fundamentals 2017, ch. 14, Table 6, "Fraction of daily
//!    temperature range"), shifted so its peak falls at the site's
//!    `tmax_hour`; the day's maximum is set so the day's mean equals the
//!    interpolated mean.
//! 3. Dew point is constant through the day and capped at the dry bulb.
//!
//! Simplification: the synthetic year has no weather systems (no run of hot or
//! cold days), so hours near an economizer threshold are fewer or more than in
//! a real year; use a real EPW file for hour-by-hour studies.

use crate::climate::BuiltinSite;
use crate::psychro;

/// Hours in the simulated (non-leap) year.
pub const HOURS_PER_YEAR: usize = 8_760;

const DAYS_IN_MONTH: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Month (0 = January) and hour of day (0..24) of hour-of-year `h`.
pub fn month_and_hour(h: usize) -> (usize, usize) {
    let mut day = h / 24;
    for (month, days) in DAYS_IN_MONTH.iter().enumerate() {
        if day < *days {
            return (month, h % 24);
        }
        day -= days;
    }
    (11, h % 24)
}

/// Fraction of the daily range below the day's maximum, hours 1..24 (hour
/// ending), ASHRAE Fundamentals ch. 14 Table 6; 0 at hours 14 and 15.
const ASHRAE_RANGE_FRACTION: [f64; 24] = [
    0.88, 0.92, 0.95, 0.98, 1.00, 0.98, 0.91, 0.74, 0.55, 0.38, 0.23, 0.13, 0.05, 0.00, 0.00, 0.06, 0.14,
    0.24, 0.39, 0.50, 0.59, 0.68, 0.75, 0.82,
];

/// Hourly weather for one year, local standard time.
#[derive(Debug, Clone, PartialEq)]
pub struct WeatherYear {
    /// Where it is from (file or built-in site).
    pub source: String,
    /// Dry bulb per hour.
    pub dry_bulb_c: Vec<f64>,
    /// Dew point per hour.
    pub dew_point_c: Vec<f64>,
    /// Station pressure per hour.
    pub pressure_pa: Vec<f64>,
}

impl WeatherYear {
    /// Wet bulb per hour (ASHRAE psychrometrics).
    pub fn wet_bulb_c(&self) -> Vec<f64> {
        (0..self.dry_bulb_c.len())
            .map(|h| psychro::wet_bulb_from_dew_point(self.dry_bulb_c[h], self.dew_point_c[h], self.pressure_pa[h]))
            .collect()
    }
}

/// Interpolate a monthly value (given at mid-month) to day of year `d`.
fn daily(monthly: &[f64; 12], d: f64) -> f64 {
    let mut mids = [0.0; 12];
    let mut start = 0.0;
    for (m, days) in DAYS_IN_MONTH.iter().enumerate() {
        mids[m] = start + *days as f64 / 2.0;
        start += *days as f64;
    }
    // Find the surrounding mid-months, wrapping around the year.
    let next = mids.iter().position(|&mid| mid > d).unwrap_or(12);
    let (m0, m1) = (next.checked_sub(1).unwrap_or(11), next % 12);
    let (t0, mut t1) = (mids[m0], mids[m1]);
    let mut x = d;
    if t1 <= t0 {
        t1 += 365.0;
        if x < t0 {
            x += 365.0;
        }
    }
    let f = (x - t0) / (t1 - t0);
    monthly[m0] + (monthly[m1] - monthly[m0]) * f
}

/// Generate an hourly year from a built-in site's statistics (see the module doc).
pub fn synthesize(site: &BuiltinSite) -> WeatherYear {
    let mean_fraction: f64 = ASHRAE_RANGE_FRACTION.iter().sum::<f64>() / 24.0;
    let shift = i64::from(site.tmax_hour) - 15;
    let mut dry_bulb_c = Vec::with_capacity(HOURS_PER_YEAR);
    let mut dew_point_c = Vec::with_capacity(HOURS_PER_YEAR);
    for day in 0..365 {
        let d = day as f64 + 0.5;
        let mean = daily(&site.monthly_mean_dry_bulb_c, d);
        let range = daily(&site.monthly_mean_daily_range_c, d);
        let dew = daily(&site.monthly_mean_dew_point_c, d);
        let max = mean + mean_fraction * range;
        for hour in 0..24i64 {
            // Step `hour` covers hour-ending `hour + 1`; shift the profile to the site's peak.
            let index = (hour - shift).rem_euclid(24) as usize;
            let t = max - ASHRAE_RANGE_FRACTION[index] * range;
            dry_bulb_c.push(t);
            dew_point_c.push(dew.min(t));
        }
    }
    WeatherYear {
        source: format!("built-in climate {} ({})", site.key, site.name),
        dry_bulb_c,
        dew_point_c,
        pressure_pa: vec![site.pressure_pa; HOURS_PER_YEAR],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::climate::BUILTIN_SITES;

    #[test]
    fn months_and_hours() {
        assert_eq!(month_and_hour(0), (0, 0));
        assert_eq!(month_and_hour(31 * 24 - 1), (0, 23));
        assert_eq!(month_and_hour(31 * 24), (1, 0));
        assert_eq!(month_and_hour(HOURS_PER_YEAR - 1), (11, 23));
    }

    #[test]
    fn synthetic_year_keeps_the_monthly_statistics() {
        for site in &BUILTIN_SITES {
            let w = synthesize(site);
            assert_eq!(w.dry_bulb_c.len(), HOURS_PER_YEAR);
            let annual: f64 = w.dry_bulb_c.iter().sum::<f64>() / HOURS_PER_YEAR as f64;
            let expected: f64 = site
                .monthly_mean_dry_bulb_c
                .iter()
                .zip(DAYS_IN_MONTH)
                .map(|(t, d)| t * d as f64)
                .sum::<f64>()
                / 365.0;
            // Linear interpolation between mid-months smooths the annual cycle a little.
            assert!((annual - expected).abs() < 0.3, "{}: {annual} vs {expected}", site.key);
            // The daily peak falls at the site's peak hour.
            let day = &w.dry_bulb_c[180 * 24..181 * 24];
            let peak = day.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
            assert!((peak as i64 + 1 - i64::from(site.tmax_hour)).abs() <= 1, "{}: {peak}", site.key);
            assert!(w.dew_point_c.iter().zip(&w.dry_bulb_c).all(|(d, t)| d <= t));
        }
    }
}
