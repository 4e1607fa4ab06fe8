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
        -5.674_535_9e3 / t + 6.392_524_7 - 9.677_843e-3 * t + 6.221_570_1e-7 * t * t
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
    wet_bulb_from_humidity_ratio(dry_bulb_c, humidity_ratio_from_vapour_pressure(pw, pressure_pa), pressure_pa)
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

    // Values from PsychroLib's own SI unit tests (tests/test_psychrolib_si.py).
    #[test]
    fn psychrolib_reference_values() {
        assert!((saturation_pressure_pa(25.0) / 3169.7 - 1.0).abs() < 3e-4);
        assert!((saturation_pressure_pa(5.0) / 872.6 - 1.0).abs() < 3e-4);
        let tw = wet_bulb_from_relative_humidity(7.0, 0.61, 100_000.0);
        assert!((tw / 3.926_674_337_819_55 - 1.0).abs() < 1e-3, "{tw}");
        let w = humidity_ratio_from_wet_bulb(30.0, 25.0, 95_461.0);
        assert!((w / 0.019_228_127_424_109_6 - 1.0).abs() < 3e-4, "{w}");
        assert!((wet_bulb_from_humidity_ratio(30.0, w, 95_461.0) - 25.0).abs() < 1e-3);
        let w = humidity_ratio_from_wet_bulb(-1.0, -5.0, 95_461.0);
        assert!((w / 0.001_203_998_199_338_44 - 1.0).abs() < 3e-4, "{w}");
        assert!((wet_bulb_from_humidity_ratio(-1.0, w, 95_461.0) + 5.0).abs() < 1e-3);
    }

    // Points computed with PsychroLib 2.5.0 (SI): dry bulb, RH, pressure -> wet bulb, dew point.
    #[test]
    fn psychrolib_computed_points() {
        for (db, rh, p, wb, dp) in [
            (25.0, 0.50, 101_325.0, 17.889_432, 13.8640),
            (35.0, 0.40, 101_325.0, 23.934_202, 19.3846),
            (30.0, 0.20, 101_325.0, 15.703_828, 4.6128),
            (20.0, 0.60, 101_325.0, 15.143_699, 12.0075),
            (-5.0, 0.80, 101_325.0, -5.883_952, -7.5853),
            (27.0, 0.60, 95_461.0, 21.101_783, 18.5767),
        ] {
            let got = wet_bulb_from_relative_humidity(db, rh, p);
            assert!((got - wb).abs() < 2e-3, "wet bulb at {db} °C {rh}: {got} vs {wb}");
            let w = humidity_ratio_from_vapour_pressure(rh * saturation_pressure_pa(db), p);
            let got_dp = dew_point_from_humidity_ratio(w, p);
            assert!((got_dp - dp).abs() < 2e-3, "dew point at {db} °C {rh}: {got_dp} vs {dp}");
            // The same air described by its dew point gives the same wet bulb.
            assert!((wet_bulb_from_dew_point(db, got_dp, p) - wb).abs() < 3e-3);
        }
        assert!((standard_pressure_pa(1500.0) - 84_555.93).abs() < 0.1);
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
