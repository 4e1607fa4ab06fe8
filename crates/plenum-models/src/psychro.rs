//! Psychrometrics of moist air: saturation pressure, humidity ratio, wet bulb.
//!
//! Source: ASHRAE Handbook—Fundamentals 2017, chapter 1, as implemented by
//! PsychroLib 2.5 (D. Meyer, D. Thevenard, J. Open Source Software 4(33), 2019):
//! Hyland–Wexler saturation pressure (eqns 5, 6), humidity ratio (eqn 20) and
//! the wet-bulb relation (eqns 33, 35) solved by bisection. SI units throughout.

const ZERO_C_K: f64 = 273.15;
/// Triple point of water, °C: PsychroLib switches from ice to liquid here.
const TRIPLE_POINT_C: f64 = 0.01;
/// Ratio of the molecular masses of water and dry air (ASHRAE eqn 20).
const MASS_RATIO: f64 = 0.621_945;

/// Saturation vapour pressure over water (above 0.01 °C) or ice, in Pa.
pub fn saturation_pressure_pa(dry_bulb_c: f64) -> f64 {
    let t = dry_bulb_c + ZERO_C_K;
    let ln_p = if dry_bulb_c <= TRIPLE_POINT_C {
        -5.674_535_9e3 / t + 6.392_524_7 - 9.677_843e-3 * t
            + 6.221_570_1e-7 * t * t
            + 2.074_782_5e-9 * t.powi(3)
            - 9.484_024e-13 * t.powi(4)
            + 4.163_501_9 * t.ln()
    } else {
        -5.800_220_6e3 / t + 1.391_499_3 - 4.864_023_9e-2 * t + 4.176_476_8e-5 * t * t
            - 1.445_209_3e-8 * t.powi(3)
            + 6.545_967_3 * t.ln()
    };
    ln_p.exp()
}

/// Humidity ratio (kg water per kg dry air) from vapour pressure (ASHRAE eqn 20).
pub fn humidity_ratio_from_vapour_pressure(vapour_pressure_pa: f64, pressure_pa: f64) -> f64 {
    (MASS_RATIO * vapour_pressure_pa / (pressure_pa - vapour_pressure_pa)).max(1e-7)
}

/// Humidity ratio from the dew point: the vapour pressure is the saturation
/// pressure at the dew point.
pub fn humidity_ratio_from_dew_point(dew_point_c: f64, pressure_pa: f64) -> f64 {
    humidity_ratio_from_vapour_pressure(saturation_pressure_pa(dew_point_c), pressure_pa)
}

/// Relative humidity (0..1) from dry bulb and dew point.
pub fn relative_humidity(dry_bulb_c: f64, dew_point_c: f64) -> f64 {
    (saturation_pressure_pa(dew_point_c.min(dry_bulb_c)) / saturation_pressure_pa(dry_bulb_c)).clamp(0.0, 1.0)
}

/// Humidity ratio of air at `dry_bulb_c` whose wet bulb is `wet_bulb_c`
/// (ASHRAE eqns 33 above freezing, 35 below).
pub fn humidity_ratio_from_wet_bulb(dry_bulb_c: f64, wet_bulb_c: f64, pressure_pa: f64) -> f64 {
    let ws = humidity_ratio_from_vapour_pressure(saturation_pressure_pa(wet_bulb_c), pressure_pa);
    let (t, tw) = (dry_bulb_c, wet_bulb_c);
    let w = if tw >= 0.0 {
        ((2501.0 - 2.326 * tw) * ws - 1.006 * (t - tw)) / (2501.0 + 1.86 * t - 4.186 * tw)
    } else {
        ((2830.0 - 0.24 * tw) * ws - 1.006 * (t - tw)) / (2830.0 + 1.86 * t - 2.1 * tw)
    };
    w.max(1e-7)
}

/// Wet-bulb temperature from dry bulb and humidity ratio, by bisection between
/// the dew point and the dry bulb to 0.001 K (PsychroLib's SI tolerance).
pub fn wet_bulb_from_humidity_ratio(dry_bulb_c: f64, humidity_ratio: f64, pressure_pa: f64) -> f64 {
    let w = humidity_ratio.max(1e-7);
    let dew_point_c = dew_point_from_humidity_ratio(w, pressure_pa).min(dry_bulb_c);
    let (mut lo, mut hi) = (dew_point_c, dry_bulb_c);
    let mut tw = (lo + hi) / 2.0;
    for _ in 0..100 {
        if humidity_ratio_from_wet_bulb(dry_bulb_c, tw, pressure_pa) > w {
            hi = tw;
        } else {
            lo = tw;
        }
        tw = (lo + hi) / 2.0;
        if hi - lo <= 0.001 {
            break;
        }
    }
    tw
}

/// Wet bulb from dry bulb and dew point.
pub fn wet_bulb_from_dew_point(dry_bulb_c: f64, dew_point_c: f64, pressure_pa: f64) -> f64 {
    let w = humidity_ratio_from_dew_point(dew_point_c.min(dry_bulb_c), pressure_pa);
    wet_bulb_from_humidity_ratio(dry_bulb_c, w, pressure_pa)
}

/// Wet bulb from dry bulb and relative humidity (0..1).
pub fn wet_bulb_from_relative_humidity(dry_bulb_c: f64, relative_humidity: f64, pressure_pa: f64) -> f64 {
    let pw = relative_humidity * saturation_pressure_pa(dry_bulb_c);
    wet_bulb_from_humidity_ratio(
        dry_bulb_c,
        humidity_ratio_from_vapour_pressure(pw, pressure_pa),
        pressure_pa,
    )
}

/// Dew point from humidity ratio: the saturation-pressure curve inverted by
/// bisection (monotonic, so it always converges) to 0.0001 K.
pub fn dew_point_from_humidity_ratio(humidity_ratio: f64, pressure_pa: f64) -> f64 {
    let w = humidity_ratio.max(1e-7);
    let vapour_pressure_pa = pressure_pa * w / (MASS_RATIO + w);
    let (mut lo, mut hi) = (-100.0_f64, 200.0_f64);
    while hi - lo > 1e-4 {
        let mid = (lo + hi) / 2.0;
        if saturation_pressure_pa(mid) > vapour_pressure_pa {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Standard atmospheric pressure at an altitude, in Pa (ASHRAE eqn 3).
pub fn standard_pressure_pa(altitude_m: f64) -> f64 {
    101_325.0 * (1.0 - 2.255_77e-5 * altitude_m).powf(5.2559)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values from PsychroLib's own SI unit tests (tests/test_psychrolib_si.py)
    // and points computed with PsychroLib 2.5.0 (SI); published values and
    // tolerances in crates/plenum-references.
    #[test]
    fn psychrolib_reference_values() {
        let dew_point = |db: f64, rh: f64, p: f64| {
            dew_point_from_humidity_ratio(
                humidity_ratio_from_vapour_pressure(rh * saturation_pressure_pa(db), p),
                p,
            )
        };
        let wet_bulb = wet_bulb_from_relative_humidity;
        plenum_references::case("psychrolib").check(&[
            ("saturation pressure at 25 °C", saturation_pressure_pa(25.0)),
            ("saturation pressure at 5 °C", saturation_pressure_pa(5.0)),
            ("wet bulb at 7 °C, 61% RH, 100 kPa", wet_bulb(7.0, 0.61, 100_000.0)),
            (
                "humidity ratio at 30 °C dry bulb, 25 °C wet bulb, 95,461 Pa",
                humidity_ratio_from_wet_bulb(30.0, 25.0, 95_461.0),
            ),
            (
                "humidity ratio at −1 °C dry bulb, −5 °C wet bulb, 95,461 Pa",
                humidity_ratio_from_wet_bulb(-1.0, -5.0, 95_461.0),
            ),
            ("wet bulb at 25 °C, 50% RH", wet_bulb(25.0, 0.50, 101_325.0)),
            ("dew point at 25 °C, 50% RH", dew_point(25.0, 0.50, 101_325.0)),
            ("wet bulb at 35 °C, 40% RH", wet_bulb(35.0, 0.40, 101_325.0)),
            ("dew point at 35 °C, 40% RH", dew_point(35.0, 0.40, 101_325.0)),
            ("wet bulb at 30 °C, 20% RH", wet_bulb(30.0, 0.20, 101_325.0)),
            ("dew point at 30 °C, 20% RH", dew_point(30.0, 0.20, 101_325.0)),
            ("wet bulb at 20 °C, 60% RH", wet_bulb(20.0, 0.60, 101_325.0)),
            ("dew point at 20 °C, 60% RH", dew_point(20.0, 0.60, 101_325.0)),
            ("wet bulb at −5 °C, 80% RH", wet_bulb(-5.0, 0.80, 101_325.0)),
            ("dew point at −5 °C, 80% RH", dew_point(-5.0, 0.80, 101_325.0)),
            ("wet bulb at 27 °C, 60% RH, 95,461 Pa", wet_bulb(27.0, 0.60, 95_461.0)),
            ("dew point at 27 °C, 60% RH, 95,461 Pa", dew_point(27.0, 0.60, 95_461.0)),
            ("standard pressure at 1,500 m", standard_pressure_pa(1500.0)),
        ]);
    }

    // The same air described three ways gives the same state.
    #[test]
    fn psychrometric_round_trips() {
        let w = humidity_ratio_from_wet_bulb(30.0, 25.0, 95_461.0);
        assert!((wet_bulb_from_humidity_ratio(30.0, w, 95_461.0) - 25.0).abs() < 1e-3);
        let w = humidity_ratio_from_wet_bulb(-1.0, -5.0, 95_461.0);
        assert!((wet_bulb_from_humidity_ratio(-1.0, w, 95_461.0) + 5.0).abs() < 1e-3);
        for (db, rh, p) in [(25.0, 0.50, 101_325.0), (-5.0, 0.80, 101_325.0), (27.0, 0.60, 95_461.0)] {
            let w = humidity_ratio_from_vapour_pressure(rh * saturation_pressure_pa(db), p);
            let dp = dew_point_from_humidity_ratio(w, p);
            let wb = wet_bulb_from_relative_humidity(db, rh, p);
            assert!((wet_bulb_from_dew_point(db, dp, p) - wb).abs() < 3e-3, "{db} {rh}");
        }
    }

    #[test]
    fn wet_bulb_lies_between_dew_point_and_dry_bulb() {
        for db in [-20.0, 0.0, 15.0, 40.0] {
            for dp_below in [0.0, 5.0, 20.0] {
                let dp = db - dp_below;
                let wb = wet_bulb_from_dew_point(db, dp, 101_325.0);
                assert!(wb <= db + 1e-3 && wb >= dp - 1e-3, "{db} {dp} {wb}");
            }
        }
    }
}
