//! An hourly weather year, and the years of the built-in climates.
//!
//! A [`WeatherYear`] holds 8,760 hours (a non-leap year in local standard time)
//! of dry bulb, dew point and station pressure, from an EPW file or from
//! [`builtin_year`]. Wet bulb is derived with [`crate::psychro`].
//!
//! A built-in climate's year is one of two things:
//! - **Embedded** (the five US sites): the hourly dry bulb and dew point of the
//!   site's TMYx typical year (climate.onebuilding.org, NCEI ISD / ERA5
//!   2007-2021), in tenths of a degree, compiled in from
//!   `data/climates/<key>.txt`; `data/climates/derive.py` writes those files
//!   from the EPW files of `PLENUM_DATA/weather-epw-us-tmyx` (the EPW files are
//!   not part of the source). Pressure is the site's mean station pressure.
//! - **Synthesized** ([`synthesize`], the other sites): monthly statistics plus
//!   weather systems, calibrated to the station's published ASHRAE design
//!   conditions ([`crate::design_conditions::PUBLISHED`]).
//!
//! Synthesis (the documented method):
//! 1. Daily mean dry bulb, daily range and dew point are interpolated linearly
//!    between mid-month values (the year wraps around).
//! 2. Weather systems: a daily dry-bulb anomaly follows a first-order
//!    autoregressive process, the form of daily-temperature weather generators
//!    since WGEN (C. W. Richardson, "Stochastic simulation of daily
//!    precipitation, temperature, and solar radiation", Water Resources
//!    Research 17(1), 1981), with lag-1 autocorrelation [`PERSISTENCE`] = 0.7:
//!    the lag-1 autocorrelation of daily-mean dry-bulb anomalies in the five
//!    TMYx files is 0.63–0.77 (`derive.py` prints it). It is a two-piece
//!    normal: warm anomalies have standard deviation `warm_sd_c` all year, cold
//!    ones a deviation that goes linearly with the season from `cold_sd_c` at
//!    the coldest monthly mean to `warm_sd_c` at the warmest, because winter
//!    cold outbreaks reach further from the mean than mild spells (winter
//!    daily-mean anomalies in the Chicago and Seattle TMYx files: skewness
//!    -0.5, cold-side RMS 6.5 and 3.8 K against warm-side 4.3 and 3.0 K; long
//!    cold tails: T. W. Ruff and J. D. Neelin, "Long tails in regional surface
//!    temperature probability distributions", GRL 39, 2012). The dew-point anomaly, of standard
//!    deviation `dew_sd_c`, is correlated with it ([`DEW_CORRELATION`] = 0.6;
//!    0.76–0.91 over the year and 0.34–0.80 in summer in the humid TMYx sites).
//!    Each month's anomalies are shifted to mean zero so the monthly statistics
//!    stay as given, then interpolated hourly between day centres. The draws
//!    come from the kernel's named stream `built-in climate <key>`, seed 0: the
//!    year is the same in every run, whatever the scenario's seed.
//! 3. Hours follow the ASHRAE design-day profile of the daily range
//!    (ASHRAE Handbook—Fundamentals 2017, ch. 14, Table 6, "Fraction of daily
//!    temperature range"), shifted so its peak falls at the site's
//!    `tmax_hour`, around the day's mean plus its anomaly.
//! 4. Dew point is the day's value plus its anomaly, capped at the dry bulb.
//!
//! The three standard deviations of each synthesized site are fitted
//! ([`fit_anomalies`]) so the year's 99.6% dry bulb, 0.4% dry bulb and 0.4% wet
//! bulb equal the station's published values; the fitted values are stored in
//! [`SYNTHESIS_ANOMALIES`] and a test refits them.
//!
//! Simplifications of the synthesis: one anomaly per day (no fronts within a
//! day); the daily range does not depend on the anomaly (real hot spells are
//! often clearer, with larger ranges); pressure is constant. Hours near an
//! economizer threshold therefore differ from a real year's in detail, while
//! the extremes a plant is sized for match the published design values.

use crate::climate::BuiltinSite;
use crate::design_conditions::{self, HOURS_BEYOND_0_4_PERCENT, PublishedDesignConditions};
use crate::psychro;
use plenum_kernel::rng::standard_normal;

/// Hours in the simulated (non-leap) year.
pub const HOURS_PER_YEAR: usize = 8_760;

const DAYS_IN_MONTH: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Lag-1 autocorrelation of the daily dry-bulb and dew-point anomalies (see the module doc).
pub const PERSISTENCE: f64 = 0.7;

/// Correlation of a day's dew-point anomaly with its dry-bulb anomaly (see the module doc).
pub const DEW_CORRELATION: f64 = 0.6;

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
            .map(|h| {
                psychro::wet_bulb_from_dew_point(self.dry_bulb_c[h], self.dew_point_c[h], self.pressure_pa[h])
            })
            .collect()
    }
}

/// Standard deviations of the synthesized daily anomalies of one site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anomalies {
    /// Dry-bulb anomaly in the coldest month (sets the 99.6% dry bulb).
    pub cold_sd_c: f64,
    /// Dry-bulb anomaly in the warmest month (sets the 0.4% dry bulb).
    pub warm_sd_c: f64,
    /// Dew-point anomaly (with the dry bulb, sets the 0.4% wet bulb).
    pub dew_sd_c: f64,
}

impl Anomalies {
    /// No weather systems: every day is the interpolated mean day.
    pub const NONE: Anomalies = Anomalies { cold_sd_c: 0.0, warm_sd_c: 0.0, dew_sd_c: 0.0 };
}

/// The anomalies of each synthesized built-in site, as [`fit_anomalies`]
/// gives them for the site's published design conditions (refitted by a test).
pub const SYNTHESIS_ANOMALIES: [(&str, Anomalies); 5] = [
    ("dublin", Anomalies { cold_sd_c: 3.62, warm_sd_c: 2.49, dew_sd_c: 3.3 }),
    ("amsterdam", Anomalies { cold_sd_c: 7.18, warm_sd_c: 3.31, dew_sd_c: 2.28 }),
    ("frankfurt", Anomalies { cold_sd_c: 9.78, warm_sd_c: 4.27, dew_sd_c: 3.13 }),
    ("stockholm", Anomalies { cold_sd_c: 10.45, warm_sd_c: 5.87, dew_sd_c: 2.91 }),
    ("singapore", Anomalies { cold_sd_c: 0.67, warm_sd_c: 1.1, dew_sd_c: 0.83 }),
];

/// The hourly years compiled in, by site key (see the module doc).
const EMBEDDED: [(&str, &str); 5] = [
    ("ashburn", include_str!("../data/climates/ashburn.txt")),
    ("phoenix", include_str!("../data/climates/phoenix.txt")),
    ("dallas", include_str!("../data/climates/dallas.txt")),
    ("chicago", include_str!("../data/climates/chicago.txt")),
    ("seattle", include_str!("../data/climates/seattle.txt")),
];

/// The year of a built-in climate: its embedded hourly year, or else its
/// synthesis with the stored anomalies (see the module doc).
pub fn builtin_year(site: &BuiltinSite) -> WeatherYear {
    if let Some((_, text)) = EMBEDDED.iter().find(|(key, _)| *key == site.key) {
        return embedded_year(site, text);
    }
    let anomalies =
        SYNTHESIS_ANOMALIES.iter().find(|(key, _)| *key == site.key).map_or(Anomalies::NONE, |(_, a)| *a);
    synthesize(site, &anomalies)
}

/// Whether a built-in site's year is embedded rather than synthesized.
pub fn is_embedded(site: &BuiltinSite) -> bool {
    EMBEDDED.iter().any(|(key, _)| *key == site.key)
}

/// Decode an embedded year: per day `MM-DD`, 24 dry bulbs, `|`, 24 dew points,
/// in tenths of a degree; `#` lines are comments. The files are part of the
/// source and a test decodes every one, so a malformed file cannot ship.
fn embedded_year(site: &BuiltinSite, text: &str) -> WeatherYear {
    let mut dry_bulb_c = Vec::with_capacity(HOURS_PER_YEAR);
    let mut dew_point_c = Vec::with_capacity(HOURS_PER_YEAR);
    let tenths = |v: &str| -> f64 {
        f64::from(v.parse::<i16>().unwrap_or_else(|_| panic!("embedded year {}: bad value {v:?}", site.key)))
            / 10.0
    };
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (dry, dew) = line.split_once('|').unwrap_or_else(|| panic!("embedded year {}: {line}", site.key));
        let dry: Vec<f64> = dry.split_whitespace().skip(1).map(tenths).collect();
        let dew: Vec<f64> = dew.split_whitespace().map(tenths).collect();
        assert!(dry.len() == 24 && dew.len() == 24, "embedded year {}: {line}", site.key);
        dry_bulb_c.extend(dry);
        dew_point_c.extend(dew);
    }
    assert_eq!(dry_bulb_c.len(), HOURS_PER_YEAR, "embedded year {}", site.key);
    WeatherYear {
        source: format!("built-in climate {} ({}; hourly TMYx year)", site.key, site.name),
        dry_bulb_c,
        dew_point_c,
        pressure_pa: vec![site.pressure_pa; HOURS_PER_YEAR],
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

/// Unit-variance AR(1) series of `days` values with lag-1 autocorrelation `phi`.
fn ar1(rng: &mut plenum_kernel::RngStream, days: usize, phi: f64) -> Vec<f64> {
    let innovation = (1.0 - phi * phi).sqrt();
    let mut x = standard_normal(rng);
    let mut out = Vec::with_capacity(days);
    out.push(x);
    for _ in 1..days {
        x = phi * x + innovation * standard_normal(rng);
        out.push(x);
    }
    out
}

/// Shift each month's daily values to mean zero.
fn zero_monthly_means(values: &mut [f64]) {
    let mut start = 0;
    for days in DAYS_IN_MONTH {
        let month = &mut values[start..start + days];
        let mean = month.iter().sum::<f64>() / days as f64;
        month.iter_mut().for_each(|v| *v -= mean);
        start += days;
    }
}

/// Value at hour `hour` (0..24) of day `day` of a daily series given at day
/// centres, interpolated linearly (held flat before the first and after the last centre).
fn hourly(daily: &[f64], day: usize, hour: usize) -> f64 {
    let t = (hour as f64 + 0.5) / 24.0; // fraction of the day at the step's middle
    let (a, b, f) = if t < 0.5 {
        (daily[day.saturating_sub(1)], daily[day], t + 0.5)
    } else {
        (daily[day], daily[(day + 1).min(daily.len() - 1)], t - 0.5)
    };
    a + (b - a) * f
}

/// Generate an hourly year from a built-in site's statistics with weather
/// systems of the given strength (see the module doc).
pub fn synthesize(site: &BuiltinSite, anomalies: &Anomalies) -> WeatherYear {
    const DAYS: usize = 365;
    let mean_fraction: f64 = ASHRAE_RANGE_FRACTION.iter().sum::<f64>() / 24.0;
    let shift = i64::from(site.tmax_hour) - 15;
    let coldest = site.monthly_mean_dry_bulb_c.iter().copied().fold(f64::INFINITY, f64::min);
    let warmest = site.monthly_mean_dry_bulb_c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let centre = |day: usize| day as f64 + 0.5;
    let mean: Vec<f64> = (0..DAYS).map(|d| daily(&site.monthly_mean_dry_bulb_c, centre(d))).collect();
    // Season: 0 at the coldest monthly mean, 1 at the warmest.
    let season =
        |t: f64| if warmest > coldest { ((t - coldest) / (warmest - coldest)).clamp(0.0, 1.0) } else { 0.5 };

    let mut rng = plenum_kernel::stream(0, &format!("built-in climate {}", site.key), 0);
    let systems = ar1(&mut rng, DAYS, PERSISTENCE);
    let humidity = ar1(&mut rng, DAYS, PERSISTENCE);
    let mut dry_anomaly: Vec<f64> = (0..DAYS)
        .map(|d| {
            // Two-piece normal: cold spells scale with the season, mild and hot ones with `warm_sd_c`.
            let sd = if systems[d] < 0.0 {
                anomalies.cold_sd_c + (anomalies.warm_sd_c - anomalies.cold_sd_c) * season(mean[d])
            } else {
                anomalies.warm_sd_c
            };
            sd * systems[d]
        })
        .collect();
    let own = (1.0 - DEW_CORRELATION * DEW_CORRELATION).sqrt();
    let mut dew_anomaly: Vec<f64> =
        (0..DAYS).map(|d| anomalies.dew_sd_c * (DEW_CORRELATION * systems[d] + own * humidity[d])).collect();
    zero_monthly_means(&mut dry_anomaly);
    zero_monthly_means(&mut dew_anomaly);

    let mut dry_bulb_c = Vec::with_capacity(HOURS_PER_YEAR);
    let mut dew_point_c = Vec::with_capacity(HOURS_PER_YEAR);
    for (day, day_mean) in mean.iter().enumerate() {
        let range = daily(&site.monthly_mean_daily_range_c, centre(day));
        let dew = daily(&site.monthly_mean_dew_point_c, centre(day));
        let max = day_mean + mean_fraction * range;
        for hour in 0..24usize {
            // Step `hour` covers hour-ending `hour + 1`; shift the profile to the site's peak.
            let index = (hour as i64 - shift).rem_euclid(24) as usize;
            let t = max - ASHRAE_RANGE_FRACTION[index] * range + hourly(&dry_anomaly, day, hour);
            dry_bulb_c.push(t);
            dew_point_c.push((dew + hourly(&dew_anomaly, day, hour)).min(t));
        }
    }
    WeatherYear {
        source: format!("built-in climate {} ({}; synthesized)", site.key, site.name),
        dry_bulb_c,
        dew_point_c,
        pressure_pa: vec![site.pressure_pa; HOURS_PER_YEAR],
    }
}

/// Bisect `f` (monotonic, increasing when `increasing`) for `f(x) = target` on [0, 20] K.
fn bisect(f: impl Fn(f64) -> f64, target: f64, increasing: bool) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 20.0_f64);
    for _ in 0..30 {
        let mid = 0.5 * (lo + hi);
        if (f(mid) < target) == increasing {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The 0.4% wet bulb of a year, computing wet bulbs only where they can reach
/// `floor` (a wet bulb never exceeds its dry bulb): exact when it is at least `floor`.
fn wet_bulb_0_4_above(year: &WeatherYear, floor: f64) -> f64 {
    let wet: Vec<f64> = (0..year.dry_bulb_c.len())
        .map(|h| {
            if year.dry_bulb_c[h] < floor {
                f64::NEG_INFINITY
            } else {
                psychro::wet_bulb_from_dew_point(year.dry_bulb_c[h], year.dew_point_c[h], year.pressure_pa[h])
            }
        })
        .collect();
    design_conditions::exceeded_in_hours(&wet, HOURS_BEYOND_0_4_PERCENT)
}

/// Fit the anomalies so the synthesized year's 99.6% dry bulb, 0.4% dry bulb
/// and 0.4% wet bulb equal `target`: each standard deviation is bisected on
/// [0, 20] K for its own figure, the three in turn, three rounds (each figure
/// depends mostly on its own parameter). A figure the monthly statistics
/// already pass with no anomaly leaves its parameter at 0.
pub fn fit_anomalies(site: &BuiltinSite, target: &PublishedDesignConditions) -> Anomalies {
    let mut a = Anomalies { cold_sd_c: 3.0, warm_sd_c: 3.0, dew_sd_c: 2.0 };
    let hours = HOURS_BEYOND_0_4_PERCENT;
    for _ in 0..3 {
        a.cold_sd_c = bisect(
            |x| {
                let y = synthesize(site, &Anomalies { cold_sd_c: x, ..a });
                design_conditions::undershot_in_hours(&y.dry_bulb_c, hours)
            },
            target.heating_99_6_dry_bulb_c,
            false,
        );
        a.warm_sd_c = bisect(
            |x| {
                let y = synthesize(site, &Anomalies { warm_sd_c: x, ..a });
                design_conditions::exceeded_in_hours(&y.dry_bulb_c, hours)
            },
            target.cooling_0_4_dry_bulb_c,
            true,
        );
        a.dew_sd_c = bisect(
            |x| {
                let y = synthesize(site, &Anomalies { dew_sd_c: x, ..a });
                wet_bulb_0_4_above(&y, target.evaporation_0_4_wet_bulb_c)
            },
            target.evaporation_0_4_wet_bulb_c,
            true,
        );
    }
    a
}

impl WeatherYear {
    /// The 99.6% and 0.4% dry bulb and the 0.4% wet bulb of a year.
    pub fn design_values(&self) -> design_conditions::DesignValues {
        let hours = HOURS_BEYOND_0_4_PERCENT;
        design_conditions::DesignValues {
            heating_99_6_dry_bulb_c: design_conditions::undershot_in_hours(&self.dry_bulb_c, hours),
            cooling_0_4_dry_bulb_c: design_conditions::exceeded_in_hours(&self.dry_bulb_c, hours),
            evaporation_0_4_wet_bulb_c: design_conditions::exceeded_in_hours(&self.wet_bulb_c(), hours),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::climate::builtin_sites;
    use crate::design_conditions::PUBLISHED;

    #[test]
    fn months_and_hours() {
        assert_eq!(month_and_hour(0), (0, 0));
        assert_eq!(month_and_hour(31 * 24 - 1), (0, 23));
        assert_eq!(month_and_hour(31 * 24), (1, 0));
        assert_eq!(month_and_hour(HOURS_PER_YEAR - 1), (11, 23));
    }

    #[test]
    fn every_built_in_year_has_8760_hours_and_dew_at_most_dry_bulb() {
        for site in builtin_sites() {
            let w = builtin_year(site);
            assert_eq!(w.dry_bulb_c.len(), HOURS_PER_YEAR, "{}", site.key);
            assert_eq!(w.dew_point_c.len(), HOURS_PER_YEAR, "{}", site.key);
            assert!(w.dew_point_c.iter().zip(&w.dry_bulb_c).all(|(d, t)| d <= t), "{}", site.key);
            assert!(w.dry_bulb_c.iter().all(|t| (-50.0..60.0).contains(t)), "{}", site.key);
            // Deterministic: the same year every time.
            assert_eq!(w, builtin_year(site), "{}", site.key);
        }
    }

    #[test]
    fn every_built_in_year_keeps_its_monthly_statistics() {
        for site in builtin_sites() {
            let w = builtin_year(site);
            let mut start = 0;
            for (m, days) in DAYS_IN_MONTH.iter().enumerate() {
                let hours = &w.dry_bulb_c[start..start + days * 24];
                let mean = hours.iter().sum::<f64>() / hours.len() as f64;
                // The statistics were computed from the embedded years (0.05 K
                // rounding); linear interpolation between mid-months smooths a
                // synthesized year's annual cycle a little.
                let tolerance = if is_embedded(site) { 0.06 } else { 0.8 };
                assert!(
                    (mean - site.monthly_mean_dry_bulb_c[m]).abs() < tolerance,
                    "{} month {}: {mean} vs {}",
                    site.key,
                    m + 1,
                    site.monthly_mean_dry_bulb_c[m]
                );
                start += days * 24;
            }
        }
    }

    #[test]
    fn synthesized_days_peak_at_the_site_peak_hour() {
        for site in builtin_sites().iter().filter(|s| !is_embedded(s)) {
            let w = builtin_year(site);
            let day = &w.dry_bulb_c[180 * 24..181 * 24];
            let peak = day.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
            assert!((peak as i64 + 1 - i64::from(site.tmax_hour)).abs() <= 2, "{}: {peak}", site.key);
        }
    }

    #[test]
    fn synthesized_years_have_weather_systems() {
        // Same month and hour: real years spread by several kelvin (4.2 K in the
        // Leesburg TMYx July afternoons); the mean-day synthesis (no anomalies)
        // only by the drift of the monthly means.
        let july_3pm_spread = |w: &WeatherYear| {
            let t: Vec<f64> = (181..212).map(|d| w.dry_bulb_c[d * 24 + 14]).collect();
            let mean = t.iter().sum::<f64>() / t.len() as f64;
            (t.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / t.len() as f64).sqrt()
        };
        for site in builtin_sites().iter().filter(|s| !is_embedded(s)) {
            let with = july_3pm_spread(&builtin_year(site));
            let without = july_3pm_spread(&synthesize(site, &Anomalies::NONE));
            assert!(
                with > 0.9 && with > 2.0 * without,
                "{}: July 15:00 spread {with} K, mean-day {without} K",
                site.key
            );
        }
    }

    #[test]
    fn synthesized_years_reproduce_their_published_design_conditions() {
        for d in &PUBLISHED {
            let site = crate::climate::site(d.key).unwrap();
            let v = builtin_year(site).design_values();
            for (name, published, ours) in [
                ("99.6% dry bulb", d.heating_99_6_dry_bulb_c, v.heating_99_6_dry_bulb_c),
                ("0.4% dry bulb", d.cooling_0_4_dry_bulb_c, v.cooling_0_4_dry_bulb_c),
                ("0.4% wet bulb", d.evaporation_0_4_wet_bulb_c, v.evaporation_0_4_wet_bulb_c),
            ] {
                eprintln!("{:<10} {name}: published {published:6.1} C, Plenum {ours:6.1} C", d.key);
                assert!((ours - published).abs() <= 1.5, "{} {name}: {ours} vs {published}", d.key);
            }
        }
    }

    #[test]
    fn synthesized_extremes_are_near_the_mean_annual_extremes() {
        // A typical year's coldest and hottest hours sit near the mean of the
        // yearly extremes; 5 K allows for one year's luck of the draw.
        for d in &PUBLISHED {
            let w = builtin_year(crate::climate::site(d.key).unwrap());
            let min = w.dry_bulb_c.iter().copied().fold(f64::INFINITY, f64::min);
            let max = w.dry_bulb_c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            eprintln!(
                "{:<10} coldest hour {min:6.1} C (mean annual extreme {:6.1}), hottest {max:5.1} C ({:5.1})",
                d.key, d.mean_annual_min_dry_bulb_c, d.mean_annual_max_dry_bulb_c
            );
            assert!((min - d.mean_annual_min_dry_bulb_c).abs() <= 5.0, "{}: {min}", d.key);
            assert!((max - d.mean_annual_max_dry_bulb_c).abs() <= 5.0, "{}: {max}", d.key);
        }
    }

    #[test]
    fn stored_anomalies_are_the_fit() {
        let mut wrong = Vec::new();
        for d in &PUBLISHED {
            let site = crate::climate::site(d.key).unwrap();
            let fitted = fit_anomalies(site, d);
            let stored = SYNTHESIS_ANOMALIES.iter().find(|(k, _)| *k == d.key).unwrap().1;
            let close = [
                (fitted.cold_sd_c, stored.cold_sd_c),
                (fitted.warm_sd_c, stored.warm_sd_c),
                (fitted.dew_sd_c, stored.dew_sd_c),
            ]
            .iter()
            .all(|(a, b)| (a - b).abs() < 0.006);
            if !close {
                wrong.push(format!(
                    "(\"{}\", Anomalies {{ cold_sd_c: {:.2}, warm_sd_c: {:.2}, dew_sd_c: {:.2} }}),",
                    d.key, fitted.cold_sd_c, fitted.warm_sd_c, fitted.dew_sd_c
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "SYNTHESIS_ANOMALIES differ from the fit; the fit gives:\n{}",
            wrong.join("\n")
        );
    }
}
