//! Summary statistics of Monte Carlo replications: sample mean with a 95%
//! confidence interval from Student's t, and exact intervals for rare events
//! (percentiles are [`crate::quantile`]'s).
//!
//! Replications are independent and identically distributed, so the mean of a
//! per-replication figure has standard error `s / √n` and its 95% interval is
//! `mean ± t(0.975, n − 1) · s / √n` (any statistics text; e.g. A. M. Law,
//! *Simulation Modeling and Analysis*, 5th ed., 2015, §9.4.1).
//!
//! That interval needs events to have been seen. When a study sees an event
//! (an outage, a failure of some kind) at most once, it says nothing useful
//! (zero width, or reaching below zero), so rare events get exact intervals
//! instead: the Garwood interval for a Poisson count (F. Garwood, "Fiducial
//! limits for the Poisson distribution", Biometrika 28, 1936), whose upper end
//! for a count of zero is the rule of three's cousin (3.689 for two-sided
//! 95%, 3.0 for one-sided), and the Clopper-Pearson bound for a proportion
//! (C. J. Clopper, E. S. Pearson, Biometrika 26, 1934).

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

/// How many replications to run and when to stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloSettings {
    /// Most replications.
    pub replications: u64,
    /// Replications per batch; the stopping rule is checked only between
    /// batches, so the number run never depends on thread timing.
    pub batch_replications: u64,
    /// Simulated years in one replication.
    pub years_per_replication: f64,
    /// Stop once the 95% half-width of downtime per year is at most this
    /// fraction of its mean (None: run every replication).
    pub target_relative_ci95: Option<f64>,
    /// Replications whose events are logged.
    pub logged_replications: u64,
}

/// Mean of a sample with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Lower end of the 95% confidence interval.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval.
    pub ci95_high: f64,
}

impl Estimate {
    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci95_high - self.ci95_low)
    }

    /// Whether `x` lies inside the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }
}

/// Running sums for a mean and variance (Welford's update, B. P. Welford,
/// Technometrics 4(3), 1962), added to in replication order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accumulator {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Accumulator {
    /// Add one observation.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Observations so far.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean and its 95% interval (a zero-width interval for fewer than two observations).
    pub fn estimate(&self) -> Estimate {
        if self.n < 2 {
            return Estimate { mean: self.mean, ci95_low: self.mean, ci95_high: self.mean };
        }
        let variance = self.m2 / (self.n - 1) as f64;
        let half = t_975(self.n - 1) * (variance / self.n as f64).sqrt();
        Estimate { mean: self.mean, ci95_low: self.mean - half, ci95_high: self.mean + half }
    }
}

/// The 0.975 quantile of Student's t with `dof` degrees of freedom
/// (`statrs`; infinite for none).
pub fn t_975(dof: u64) -> f64 {
    if dof == 0 {
        return f64::INFINITY;
    }
    StudentsT::new(0.0, 1.0, dof as f64).expect("positive degrees of freedom").inverse_cdf(0.975)
}

/// The exact (Garwood) two-sided 95% interval for the mean of a Poisson
/// variable observed as `count`: `[χ²(0.025; 2k) / 2, χ²(0.975; 2k + 2) / 2]`,
/// the lower end 0 for a count of 0. For `count = 0` it is `[0, 3.689]`, for 1
/// `[0.0253, 5.572]`.
pub fn poisson_ci95(count: u64) -> (f64, f64) {
    let k = count as f64;
    let quantile =
        |dof: f64, p: f64| ChiSquared::new(dof).expect("positive degrees of freedom").inverse_cdf(p);
    let low = if count == 0 { 0.0 } else { quantile(2.0 * k, 0.025) / 2.0 };
    (low, quantile(2.0 * k + 2.0, 0.975) / 2.0)
}

/// Upper end of the two-sided 95% Clopper-Pearson interval of a proportion
/// when none of `n` trials succeeded: `1 − 0.025^(1/n)` (about 3.689 / n).
pub fn none_of_n_upper_ci95(n: u64) -> f64 {
    if n == 0 { 1.0 } else { 1.0 - 0.025f64.powf(1.0 / n as f64) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_tables() {
        // Fisher and Yates, Statistical Tables, Table III.
        assert!((t_975(1) - 12.706).abs() < 5e-4);
        assert!((t_975(10) - 2.228).abs() < 5e-4);
        // Tables: t(0.975, 40) = 2.021, t(0.975, 120) = 1.980.
        assert!((t_975(40) - 2.021).abs() < 5e-4);
        assert!((t_975(120) - 1.980).abs() < 5e-4);
        assert!((t_975(31) - 2.040).abs() < 5e-4);
    }

    #[test]
    fn mean_and_interval_of_a_small_sample() {
        let mut acc = Accumulator::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            acc.push(x);
        }
        let e = acc.estimate();
        assert_eq!(e.mean, 2.5);
        // s = 1.2910, se = 0.6455, t(3) = 3.182.
        assert!((t_975(3) - 3.182).abs() < 5e-4);
        assert!((e.half_width() - t_975(3) * (5.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn exact_poisson_intervals_match_the_tables() {
        // Garwood's table (and e.g. Ulm, Am. J. Epidemiol. 1990): 0 → [0, 3.689], 1 → [0.0253, 5.572],
        // 10 → [4.795, 18.39].
        let (lo, hi) = poisson_ci95(0);
        assert_eq!(lo, 0.0);
        assert!((hi - 3.689).abs() < 1e-3, "{hi}");
        let (lo, hi) = poisson_ci95(1);
        assert!((lo - 0.0253).abs() < 1e-4 && (hi - 5.572).abs() < 1e-3, "{lo} {hi}");
        let (lo, hi) = poisson_ci95(10);
        assert!((lo - 4.795).abs() < 1e-3 && (hi - 18.39).abs() < 1e-2, "{lo} {hi}");
        // None in 1,000 trials: below 0.37% at 95% (two-sided), the rule of three's 0.3% one-sided.
        let p = none_of_n_upper_ci95(1_000);
        assert!((p - 3.682e-3).abs() < 1e-5, "{p}");
    }
}
