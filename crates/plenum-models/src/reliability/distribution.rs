//! Lifetime distributions: how long until a component fails, or until a repair
//! ends, in hours.
//!
//! Three families cover reliability practice (IEEE Std 493-2007, ch. 2; W.
//! Weibull, "A statistical distribution function of wide applicability", J.
//! Appl. Mech. 18, 1951): exponential (constant hazard, the MTBF/MTTR
//! shortcut), Weibull (wear-out when the shape is above 1, infant mortality
//! below 1) and lognormal (repair times: many short, a few very long).
//! Sampling is by inversion of the CDF on an exponential deviate (itself drawn
//! by the ziggurat method), and the lognormal's normal deviate by the
//! Box-Muller transform: the samplers of [`plenum_kernel::rng`], fixed
//! algorithms of our own, so a stream gives the same lifetimes on every release.

use plenum_kernel::RngStream;
use plenum_kernel::rng::{standard_exponential, standard_normal_midpoint};
use statrs::function::erf::erfc;
use statrs::function::gamma::gamma;
use std::fmt;

/// A distribution of durations in hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lifetime {
    /// Constant hazard `1 / mean_h`.
    Exponential {
        /// Mean duration.
        mean_h: f64,
    },
    /// `F(t) = 1 − exp(−(t / scale_h)^shape)`.
    Weibull {
        /// Shape k (above 1: wear-out; below 1: infant mortality).
        shape: f64,
        /// Scale λ, in hours.
        scale_h: f64,
    },
    /// `ln t` is normal with mean `mu_ln_h` and standard deviation `sigma`.
    Lognormal {
        /// Mean of ln(t / 1 h).
        mu_ln_h: f64,
        /// Standard deviation of ln t.
        sigma: f64,
    },
}

/// A distribution parameter out of range.
#[derive(Debug, Clone, PartialEq)]
pub struct LifetimeError(pub String);

impl fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LifetimeError {}

fn positive(name: &str, x: f64) -> Result<f64, LifetimeError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(LifetimeError(format!("{name} must be a finite number above 0, got {x}")))
    }
}

impl Lifetime {
    /// Exponential with mean `mean_h` (the MTBF or MTTR shortcut).
    pub fn exponential(mean_h: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime::Exponential { mean_h: positive("mean_hours", mean_h)? })
    }

    /// Weibull with the given shape and scale.
    pub fn weibull(shape: f64, scale_h: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime::Weibull { shape: positive("shape", shape)?, scale_h: positive("scale_hours", scale_h)? })
    }

    /// Weibull with the given shape and mean: scale = mean / Γ(1 + 1/shape).
    pub fn weibull_with_mean(shape: f64, mean_h: f64) -> Result<Lifetime, LifetimeError> {
        let shape = positive("shape", shape)?;
        let mean_h = positive("mean_hours", mean_h)?;
        Lifetime::weibull(shape, mean_h / gamma(1.0 + 1.0 / shape))
    }

    /// Lognormal with the given median (e^μ) and σ.
    pub fn lognormal(median_h: f64, sigma: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime::Lognormal {
            mu_ln_h: positive("median_hours", median_h)?.ln(),
            sigma: positive("sigma", sigma)?,
        })
    }

    /// Lognormal with the given mean and σ: μ = ln(mean) − σ²/2.
    pub fn lognormal_with_mean(mean_h: f64, sigma: f64) -> Result<Lifetime, LifetimeError> {
        let mean_h = positive("mean_hours", mean_h)?;
        let sigma = positive("sigma", sigma)?;
        Ok(Lifetime::Lognormal { mu_ln_h: mean_h.ln() - sigma * sigma / 2.0, sigma })
    }

    /// The mean duration, in hours.
    pub fn mean_h(&self) -> f64 {
        match *self {
            Lifetime::Exponential { mean_h } => mean_h,
            Lifetime::Weibull { shape, scale_h } => scale_h * gamma(1.0 + 1.0 / shape),
            Lifetime::Lognormal { mu_ln_h, sigma } => (mu_ln_h + sigma * sigma / 2.0).exp(),
        }
    }

    /// Probability that the duration is at most `t_h` hours.
    pub fn cdf(&self, t_h: f64) -> f64 {
        if t_h <= 0.0 {
            return 0.0;
        }
        match *self {
            Lifetime::Exponential { mean_h } => -(-t_h / mean_h).exp_m1(),
            Lifetime::Weibull { shape, scale_h } => -(-(t_h / scale_h).powf(shape)).exp_m1(),
            Lifetime::Lognormal { mu_ln_h, sigma } => normal_cdf((t_h.ln() - mu_ln_h) / sigma),
        }
    }

    /// The duration at which the CDF is `u` (0 < u < 1), in hours.
    pub fn quantile_h(&self, u: f64) -> f64 {
        match *self {
            // −ln(1 − u) via ln_1p keeps precision for small u.
            Lifetime::Exponential { mean_h } => -mean_h * (-u).ln_1p(),
            Lifetime::Weibull { shape, scale_h } => scale_h * (-(-u).ln_1p()).powf(1.0 / shape),
            Lifetime::Lognormal { .. } => {
                // Bisection on the CDF: used by tests and reports, not on hot paths.
                let (mut lo, mut hi) = (0.0f64, self.mean_h().max(1.0));
                while self.cdf(hi) < u {
                    hi *= 2.0;
                }
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if self.cdf(mid) < u { lo = mid } else { hi = mid }
                }
                0.5 * (lo + hi)
            }
        }
    }

    /// Draw a duration, in hours.
    pub fn sample_h(&self, rng: &mut RngStream) -> f64 {
        match *self {
            Lifetime::Exponential { mean_h } => mean_h * standard_exponential(rng),
            Lifetime::Weibull { shape, scale_h } => scale_h * standard_exponential(rng).powf(1.0 / shape),
            Lifetime::Lognormal { mu_ln_h, sigma } => (mu_ln_h + sigma * standard_normal_midpoint(rng)).exp(),
        }
    }

    /// Whether the hazard is constant (memoryless), which lets the simulator
    /// pool identical components into one Poisson stream.
    pub fn is_exponential(&self) -> bool {
        matches!(self, Lifetime::Exponential { .. })
    }
}

/// The standard normal CDF Φ(z) = erfc(−z/√2)/2, with `statrs`'s erfc.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_kernel::stream;
    use proptest::prelude::*;

    #[test]
    fn normal_cdf_matches_tables() {
        // Φ(1.959964) = 0.975, Φ(0) = 0.5, Φ(−1) = 0.158655 (Abramowitz & Stegun, Table 26.1).
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    }

    #[test]
    fn constructors_from_the_mean_give_that_mean() {
        for d in [
            Lifetime::exponential(120.0).unwrap(),
            Lifetime::weibull_with_mean(2.5, 120.0).unwrap(),
            Lifetime::weibull_with_mean(0.7, 120.0).unwrap(),
            Lifetime::lognormal_with_mean(120.0, 1.2).unwrap(),
        ] {
            assert!((d.mean_h() - 120.0).abs() < 1e-9, "{d:?}");
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(Lifetime::exponential(0.0).is_err());
        assert!(Lifetime::weibull(-1.0, 3.0).is_err());
        assert!(Lifetime::lognormal(f64::NAN, 1.0).is_err());
    }

    /// Sample means converge on the analytic mean: 20,000 draws put the
    /// standard error of each family under 2% of its mean (lognormal σ = 0.8:
    /// CV = √(e^σ² − 1) ≈ 0.95), so 4 standard errors is an 8% band.
    #[test]
    fn sample_means_match_the_analytic_mean() {
        let families = [
            Lifetime::exponential(50.0).unwrap(),
            Lifetime::weibull_with_mean(3.0, 50.0).unwrap(),
            Lifetime::lognormal_with_mean(50.0, 0.8).unwrap(),
        ];
        for (i, d) in families.iter().enumerate() {
            let mut rng = stream(11, "distribution-test", i as u64);
            let n = 20_000;
            let draws: Vec<f64> = (0..n).map(|_| d.sample_h(&mut rng)).collect();
            let mean = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (var / n as f64).sqrt();
            assert!((mean - 50.0).abs() < 4.0 * se, "{d:?}: mean {mean}, se {se}");
        }
    }

    /// Kolmogorov-Smirnov: the empirical CDF of 5,000 draws stays within the
    /// 0.1% critical distance 1.95/√n of the analytic CDF.
    #[test]
    fn samples_follow_the_cdf() {
        let families = [
            Lifetime::exponential(10.0).unwrap(),
            Lifetime::weibull(1.7, 10.0).unwrap(),
            Lifetime::lognormal(10.0, 0.6).unwrap(),
        ];
        for (i, d) in families.iter().enumerate() {
            let mut rng = stream(3, "ks-test", i as u64);
            let n = 5_000;
            let mut draws: Vec<f64> = (0..n).map(|_| d.sample_h(&mut rng)).collect();
            draws.sort_by(f64::total_cmp);
            let distance = draws
                .iter()
                .enumerate()
                .map(|(k, x)| {
                    let f = d.cdf(*x);
                    (f - k as f64 / n as f64).abs().max(((k + 1) as f64 / n as f64 - f).abs())
                })
                .fold(0.0, f64::max);
            assert!(distance < 1.95 / (n as f64).sqrt(), "{d:?}: D = {distance}");
        }
    }

    proptest! {
        #[test]
        fn quantile_inverts_the_cdf(u in 0.001f64..0.999, shape in 0.5f64..4.0, mean in 1.0f64..1e5) {
            for d in [
                Lifetime::exponential(mean).unwrap(),
                Lifetime::weibull_with_mean(shape, mean).unwrap(),
                Lifetime::lognormal_with_mean(mean, shape / 2.0).unwrap(),
            ] {
                let t = d.quantile_h(u);
                prop_assert!((d.cdf(t) - u).abs() < 1e-6, "{:?} u {} t {}", d, u, t);
            }
        }
    }
}
