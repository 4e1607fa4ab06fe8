//! Steady-state availability in closed form: the oracles the Monte Carlo
//! engine is tested against, and quick answers for simple diagrams.
//!
//! For a repairable component with exponential failure and repair times, the
//! long-run fraction of time up is the inherent availability
//! `A = MTBF / (MTBF + MTTR)`, MTBF being the mean up time (IEEE Std 493-2007,
//! §2.3; US Army TM 5-698-1, 2007, §1-6). Independent components compose:
//! series `Π Aᵢ`, parallel `1 − Π (1 − Aᵢ)`, and k-of-n by the binomial (or, for
//! unequal units, the Poisson-binomial) sum (R. Billinton, R. N. Allan,
//! *Reliability Evaluation of Engineering Systems*, 2nd ed., 1992, ch. 4).
//! These hold for any up- and down-time distributions with those means, as
//! long-run time fractions of independent alternating renewal processes.

use crate::units::HOURS_PER_YEAR;

/// Inherent availability of one component: `mtbf / (mtbf + mttr)`.
pub fn availability(mtbf_h: f64, mttr_h: f64) -> f64 {
    mtbf_h / (mtbf_h + mttr_h)
}

/// All must be up.
pub fn series(availabilities: &[f64]) -> f64 {
    availabilities.iter().product()
}

/// At least one must be up.
pub fn parallel(availabilities: &[f64]) -> f64 {
    1.0 - availabilities.iter().map(|a| 1.0 - a).product::<f64>()
}

/// At least `k` of `n` identical units with availability `a` are up.
pub fn k_of_n_identical(k: u32, n: u32, a: f64) -> f64 {
    (k..=n).map(|i| binomial(n, i) * a.powi(i as i32) * (1.0 - a).powi((n - i) as i32)).sum()
}

/// At least `k` of the given units are up (units may differ): the tail of the
/// Poisson-binomial distribution, by dynamic programming over units.
pub fn k_of_n(k: u32, availabilities: &[f64]) -> f64 {
    // p[j] = probability that exactly j of the units seen so far are up.
    let mut p = vec![0.0; availabilities.len() + 1];
    p[0] = 1.0;
    for (seen, a) in availabilities.iter().enumerate() {
        for j in (0..=seen + 1).rev() {
            let up = if j > 0 { p[j - 1] * a } else { 0.0 };
            p[j] = p[j] * (1.0 - a) + up;
        }
    }
    p.iter().skip(k as usize).sum()
}

/// Hours a year a system with availability `a` is down.
pub fn downtime_hours_per_year(a: f64) -> f64 {
    (1.0 - a) * HOURS_PER_YEAR
}

/// Long-run failures per year of one component cycling through mean up time
/// `mtbf_h` and mean repair `mttr_h` (renewal-reward theorem).
pub fn failures_per_year(mtbf_h: f64, mttr_h: f64) -> f64 {
    HOURS_PER_YEAR / (mtbf_h + mttr_h)
}

/// n choose k as a float.
fn binomial(n: u32, k: u32) -> f64 {
    let k = k.min(n - k);
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn textbook_values() {
        assert_eq!(availability(9.0, 1.0), 0.9);
        assert!((series(&[0.9, 0.9]) - 0.81).abs() < 1e-15);
        assert!((parallel(&[0.9, 0.9]) - 0.99).abs() < 1e-15);
        // 2-of-3 at 0.9: 3·0.81·0.1 + 0.729 = 0.972.
        assert!((k_of_n_identical(2, 3, 0.9) - 0.972).abs() < 1e-12);
        assert!((downtime_hours_per_year(0.99671) - 28.82).abs() < 0.01); // Tier I, references TIERS
    }

    proptest! {
        #[test]
        fn k_of_n_brackets_series_and_parallel(a in proptest::collection::vec(0.0f64..1.0, 1..8)) {
            let n = a.len() as u32;
            prop_assert!((k_of_n(n, &a) - series(&a)).abs() < 1e-12);
            prop_assert!((k_of_n(1, &a) - parallel(&a)).abs() < 1e-12);
            prop_assert!((k_of_n(0, &a) - 1.0).abs() < 1e-12);
            for k in 1..n {
                prop_assert!(k_of_n(k, &a) + 1e-12 >= k_of_n(k + 1, &a));
            }
        }

        #[test]
        fn identical_units_agree_with_the_general_form(k in 1u32..6, extra in 0u32..4, a in 0.0f64..1.0) {
            let n = k + extra;
            let units = vec![a; n as usize];
            prop_assert!((k_of_n_identical(k, n, a) - k_of_n(k, &units)).abs() < 1e-12);
        }
    }
}
