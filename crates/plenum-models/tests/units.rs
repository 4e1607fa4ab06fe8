//! Unit conversions round-trip: the factors of `units` (kW and W, monthly and
//! yearly amounts, hours of a month and of a year) and the psychrometric
//! pairs the cooling model converts between (dew point and humidity ratio,
//! wet bulb and humidity ratio), over wide ranges.

use plenum_models::psychro;
use plenum_models::units::{HOURS_PER_MONTH, HOURS_PER_YEAR, MONTHS_PER_YEAR, W_PER_KW};
use proptest::prelude::*;

/// Whether `a` and `b` differ by no more than the two roundings of a
/// multiply-then-divide by an exact factor.
fn within_ulps(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 2.0 * f64::EPSILON * a.abs().max(b.abs())
}

#[test]
fn a_year_is_twelve_months_of_hours() {
    assert_eq!(HOURS_PER_MONTH * MONTHS_PER_YEAR, HOURS_PER_YEAR);
    assert_eq!(HOURS_PER_YEAR / MONTHS_PER_YEAR, HOURS_PER_MONTH);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn kilowatts_and_watts(kw in prop_oneof![Just(0.0), 1e-9..1e9f64]) {
        let w = kw * W_PER_KW;
        prop_assert!(within_ulps(w / W_PER_KW, kw), "{} kW -> {} W -> {} kW", kw, w, w / W_PER_KW);
    }

    #[test]
    fn monthly_and_yearly_amounts(monthly_usd in prop_oneof![Just(0.0), 1e-6..1e12f64]) {
        let yearly_usd = monthly_usd * MONTHS_PER_YEAR;
        prop_assert!(within_ulps(yearly_usd / MONTHS_PER_YEAR, monthly_usd));
        let per_month = monthly_usd * HOURS_PER_MONTH;
        prop_assert!(within_ulps(per_month / HOURS_PER_MONTH, monthly_usd));
        let per_year = monthly_usd * HOURS_PER_YEAR;
        prop_assert!(within_ulps(per_year / HOURS_PER_YEAR, monthly_usd));
    }

    /// Dew point -> humidity ratio -> dew point, to the solver's 1e-4 K.
    #[test]
    fn dew_point_and_humidity_ratio(dew_point_c in -60.0..60.0f64, altitude_m in 0.0..3000.0f64) {
        let pressure_pa = psychro::standard_pressure_pa(altitude_m);
        let w = psychro::humidity_ratio_from_dew_point(dew_point_c, pressure_pa);
        let back = psychro::dew_point_from_humidity_ratio(w, pressure_pa);
        prop_assert!((back - dew_point_c).abs() <= 1e-4, "{} -> {} -> {}", dew_point_c, w, back);
    }

    /// Wet bulb -> humidity ratio -> wet bulb, to the solver's 0.001 K.
    #[test]
    fn wet_bulb_and_humidity_ratio(
        dry_bulb_c in -30.0..50.0f64,
        relative_humidity in 0.05..=1.0f64,
        altitude_m in 0.0..3000.0f64,
    ) {
        let pressure_pa = psychro::standard_pressure_pa(altitude_m);
        let wet_bulb_c = psychro::wet_bulb_from_relative_humidity(dry_bulb_c, relative_humidity, pressure_pa);
        let w = psychro::humidity_ratio_from_wet_bulb(dry_bulb_c, wet_bulb_c, pressure_pa);
        let back = psychro::wet_bulb_from_humidity_ratio(dry_bulb_c, w, pressure_pa);
        // ASHRAE's wet-bulb relation switches from the water to the ice formula
        // at 0 °C (as PsychroLib does), so humidity ratio jumps there and a
        // humidity ratio near the jump has a root on each side: near freezing
        // a round trip may land on the other root (found by this test:
        // 0.206 °C -> -0.188 °C at 6 °C, 31%, 1,105 m; -0.567 °C -> 0.038 °C
        // at 9.2 °C, 8.6%, 1,283 m). That root must then be a true one: on
        // the other side of freezing, giving the same humidity ratio.
        let same_root = (back - wet_bulb_c).abs() <= 1e-3;
        let other_root = (back >= 0.0) != (wet_bulb_c >= 0.0)
            && (back - wet_bulb_c).abs() < 2.0
            && (psychro::humidity_ratio_from_wet_bulb(dry_bulb_c, back, pressure_pa) - w).abs() <= 1e-6;
        prop_assert!(same_root || other_root, "{} -> {} -> {}", wet_bulb_c, w, back);
    }
}
