//! The twin against the real system: measured series put beside the
//! replay's on the measurement's clock, their error, and the fit of the
//! hosts' power model to the measurements (`plenum calibrate`).
//!
//! **Quantities.** A measured column maps to one [`Quantity`]: a name, the
//! column of the replay's `workload_cluster` table that predicts it and its
//! unit. Comparing a new measured quantity (inlet temperature, facility
//! power) is a new entry in [`QUANTITIES`] once the replay produces a column
//! for it, and a new `[[telemetry.measured]]` mapping in the scenario; the
//! clock alignment, the metrics, the table and the report are shared.
//!
//! **Clock.** A measurement row is the mean over an interval (the SURF
//! meters report energy per 30 s, so a row is a mean, not an instant). The
//! replay's samples are means over their own intervals; the prediction for a
//! row is the time-weighted mean of the replay samples covering the row's
//! interval ([`align`]), so both sides average over the same time.
//!
//! **Metrics** ([`ErrorMetrics`]): mean absolute percentage error, root mean
//! square error, mean bias (predicted − measured) and the share of instants
//! whose absolute percentage error is under 10%, as fractions.
//!
//! **Fit** ([`fit_power`]). Host power is a function of host utilization,
//! so the replay runs once and the fit re-applies the power law
//! `P = P_idle + (P_peak − P_idle)·u^e` to every host's utilization in every
//! measurement interval ([`HostUtilization`]). For a given exponent the
//! model is linear in the idle and dynamic power, solved exactly by linear
//! least squares; the exponent is the one-dimensional minimisation of the
//! remaining sum of squares (variable projection: Golub and Pereyra, "The
//! differentiation of pseudo-inverses and nonlinear least squares problems
//! whose variables separate", SIAM J. Numer. Anal. 10(2), 1973), done by
//! argmin's Brent minimiser (Brent, "Algorithms for Minimization without
//! Derivatives", 1973, ch. 5). Uncertainty is the Gauss–Newton covariance
//! `s²·(JᵀJ)⁻¹` at the optimum (J the Jacobian of the predictions in the
//! three parameters, `s²` the residual variance).
//!
//! Simplifications, stated: (1) the fit applies the power law to each host's
//! *mean* utilization over a measurement interval, while the replay
//! integrates power exactly between events; where a host's load changes
//! inside an interval the two differ by the curve's bend over that change
//! (the figures reported for the fit and held-out windows come from a replay
//! with the fitted values, not from this approximation). (2) With one
//! fleet-wide measurement the groups' idle powers are not separately
//! identifiable (their sum is): the fit scales every group's idle and
//! dynamic power by two common factors and shares one exponent, keeping the
//! ratios between groups that the scenario gives. (3) Successive 30 s
//! residuals are correlated, so the covariance, which assumes independent
//! errors, understates the uncertainty of a fit to a real series; it is
//! exact for independent noise (tested).

use crate::json_forms::Named;
use argmin::core::{CostFunction, Executor};
use argmin::solver::brent::BrentOpt;
use serde::Serialize;

/// A quantity the twin predicts and a measurement can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// Name in `[[telemetry.measured]]` (`it_power`).
    pub name: &'static str,
    /// Column of the replay's `workload_cluster` table that predicts it.
    pub replay_column: &'static str,
    /// Unit of the values after reading (the base unit).
    pub unit: &'static str,
}

/// Every quantity a measured column can map to.
pub const QUANTITIES: &[Quantity] = &[
    Quantity { name: "it_power", replay_column: "it_power_kw", unit: "kW" },
    Quantity { name: "utilization", replay_column: "mean_utilization", unit: "fraction" },
];

/// The quantity of this name.
pub fn quantity(name: &str) -> Option<&'static Quantity> {
    QUANTITIES.iter().find(|q| q.name == name)
}

/// Measured series on one clock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measurements {
    /// Length of the interval every row covers, ms.
    pub interval_ms: u64,
    /// End of each row's interval, ms after the trace's first submission
    /// (strictly increasing).
    pub end_ms: Vec<u64>,
    /// One series per measured quantity, in the quantity's unit, row by row.
    pub series: Vec<(String, Vec<f64>)>,
    /// What the reader did (rows dropped, rows added up), in words.
    pub notes: Vec<String>,
}

impl Measurements {
    /// The values of `quantity`, if measured.
    pub fn values(&self, quantity: &str) -> Option<&[f64]> {
        self.series.iter().find(|(q, _)| q == quantity).map(|(_, v)| v.as_slice())
    }

    /// Only the rows whose whole interval lies in `[from_ms, to_ms)`: what a
    /// fit on that window may read.
    pub fn window(&self, from_ms: u64, to_ms: u64) -> Measurements {
        let keep: Vec<usize> = (0..self.end_ms.len())
            .filter(|&i| self.end_ms[i] >= from_ms + self.interval_ms && self.end_ms[i] <= to_ms)
            .collect();
        Measurements {
            interval_ms: self.interval_ms,
            end_ms: keep.iter().map(|&i| self.end_ms[i]).collect(),
            series: self
                .series
                .iter()
                .map(|(q, v)| (q.clone(), keep.iter().map(|&i| v[i]).collect()))
                .collect(),
            notes: Vec::new(),
        }
    }
}

/// The replay's series (`time_s` ends of sample intervals, `values` means
/// over them) put on the measurement clock: for each measured interval
/// `(end − interval, end]`, the time-weighted mean of the samples covering
/// it, or `None` where the replay does not cover the whole interval.
pub fn align(time_s: &[f64], values: &[f64], end_ms: &[u64], interval_ms: u64) -> Vec<Option<f64>> {
    let ends: Vec<f64> = time_s.iter().map(|t| t * 1000.0).collect();
    let mut out = Vec::with_capacity(end_ms.len());
    let mut first = 0usize;
    for &end in end_ms {
        let (a, b) = ((end - interval_ms) as f64, end as f64);
        // Sample i covers (ends[i-1], ends[i]] (ends[-1] = 0).
        while first < ends.len() && ends[first] <= a {
            first += 1;
        }
        if ends.last().is_none_or(|&last| last < b) {
            out.push(None);
            continue;
        }
        let (mut sum, mut covered) = (0.0, 0.0);
        let mut i = first;
        while i < ends.len() {
            let lo = if i == 0 { 0.0 } else { ends[i - 1] };
            let (s, e) = (lo.max(a), ends[i].min(b));
            if e > s {
                sum += values[i] * (e - s);
                covered += e - s;
            }
            if ends[i] >= b {
                break;
            }
            i += 1;
        }
        out.push((covered >= (b - a) * (1.0 - 1e-9)).then(|| sum / covered));
    }
    out
}

/// How far a prediction is from a measurement, over a set of instants (a
/// quantity of `calibration.quantities` in the summary, in its own unit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorMetrics {
    /// Mean of |predicted − measured| / measured (fraction: 0.035 is 3.5%).
    pub mape: f64,
    /// Root mean square of predicted − measured, in the quantity's unit.
    pub rmse: f64,
    /// Mean of predicted − measured (positive: the twin over-predicts).
    pub bias: f64,
    /// Share of instants with |predicted − measured| / measured under 10%.
    pub share_under_10pct: f64,
    /// Instants compared.
    pub instants: u64,
}

/// [`ErrorMetrics`] of IT power, in kW (`calibration.uncalibrated`, `fit`, `holdout`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerErrorMetrics {
    /// Mean of |predicted − measured| / measured (fraction: 0.035 is 3.5%).
    pub mape: f64,
    /// Root mean square of predicted − measured, kW.
    pub rmse_kw: f64,
    /// Mean of predicted − measured, kW (positive: the twin over-predicts).
    pub bias_kw: f64,
    /// Share of instants with |predicted − measured| / measured under 10%.
    pub share_under_10pct: f64,
    /// Instants compared.
    pub instants: u64,
}

impl From<ErrorMetrics> for PowerErrorMetrics {
    fn from(m: ErrorMetrics) -> PowerErrorMetrics {
        PowerErrorMetrics {
            mape: m.mape,
            rmse_kw: m.rmse,
            bias_kw: m.bias,
            share_under_10pct: m.share_under_10pct,
            instants: m.instants,
        }
    }
}

/// Online calibration (`plenum calibrate --rolling`): refit on each window
/// just past and predict the next.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RollingMetrics {
    /// Mean of |predicted − measured| / measured over the predicted windows.
    pub mape: f64,
    /// Root mean square of predicted − measured, kW.
    pub rmse_kw: f64,
    /// Mean of predicted − measured, kW.
    pub bias_kw: f64,
    /// Share of instants with |predicted − measured| / measured under 10%.
    pub share_under_10pct: f64,
    /// Instants compared.
    pub instants: u64,
    /// Window refitted on, s.
    pub window_s: f64,
    /// Refits made.
    pub refits: usize,
    /// The exponent of each refit, in order.
    pub exponents: Vec<f64>,
}

/// The fit window of `plenum calibrate --fit`, s after the first submission.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitWindowSeconds {
    /// Start, s.
    pub from_s: f64,
    /// End, s.
    pub to_s: f64,
}

/// `calibration` in the summary: a run with `[telemetry]` compared with its
/// measurements, and after `plenum calibrate` the fit and its errors. IT
/// power's errors are in kW ([`PowerErrorMetrics`]); every other quantity's
/// in its own unit ([`ErrorMetrics`]: utilization is a fraction), so a new
/// quantity in another unit gets its own metrics type here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Errors of the IT power predicted before calibration, when power is
    /// measured (`null`: no instant could be compared).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::json_forms::present"
    )]
    pub uncalibrated: Option<Option<PowerErrorMetrics>>,
    /// Errors of every other measured quantity, by name, in measurement order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantities: Option<Named<Option<ErrorMetrics>>>,
    /// Interval of the measurements, s.
    pub interval_s: f64,
    /// What the reader assumed and what was left out.
    pub notes: Vec<String>,
    /// Errors of the calibrated model over the fit window (`plenum calibrate`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::json_forms::present"
    )]
    pub fit: Option<Option<PowerErrorMetrics>>,
    /// Errors of the calibrated model outside the fit window.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::json_forms::present"
    )]
    pub holdout: Option<Option<PowerErrorMetrics>>,
    /// The fit window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit_window: Option<FitWindowSeconds>,
    /// The fitted power model of each group, by key (the name in snake case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Named<FittedGroup>>,
    /// How the fit was made, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Online calibration, with `--rolling`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::json_forms::present"
    )]
    pub rolling: Option<Option<RollingMetrics>>,
}

impl ErrorMetrics {
    /// Metrics over the pairs where both are present and the measurement is
    /// not zero (a percentage of zero is undefined); `None` when none is.
    pub fn of(predicted: &[Option<f64>], measured: &[f64]) -> Option<ErrorMetrics> {
        let (mut n, mut ape, mut sq, mut bias, mut under) = (0u64, 0.0, 0.0, 0.0, 0u64);
        for (p, &m) in predicted.iter().zip(measured) {
            let Some(p) = *p else { continue };
            if m == 0.0 {
                continue;
            }
            let e = p - m;
            let rel = (e / m).abs();
            n += 1;
            ape += rel;
            sq += e * e;
            bias += e;
            under += u64::from(rel < 0.1);
        }
        (n > 0).then(|| {
            let nf = n as f64;
            ErrorMetrics {
                instants: n,
                mape: ape / nf,
                rmse: (sq / nf).sqrt(),
                bias: bias / nf,
                share_under_10pct: under as f64 / nf,
            }
        })
    }
}

/// One host group's power model as the fit sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupModel {
    /// Name (the SKU).
    pub name: String,
    /// Hosts in the group.
    pub hosts: u64,
    /// Power at zero utilization, W.
    pub idle_w: f64,
    /// Power at full utilization, W.
    pub peak_w: f64,
}

/// Every host's mean utilization in every measurement interval, by group:
/// what the power model is re-applied to for each candidate parameter set.
/// Only busy hosts are stored (an idle host draws its idle power, whatever
/// the curve); hosts are assumed on (the fit does not model power-down).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostUtilization {
    /// Interval ends, ms (the measurement clock).
    pub end_ms: Vec<u64>,
    /// Per group: `start[k]..start[k + 1]` index `ln_u` for interval k.
    pub start: Vec<Vec<usize>>,
    /// Per group: natural log of each busy host's mean utilization (0 < u ≤ 1),
    /// interval by interval (the power `u^e` is then one `exp`).
    pub ln_u: Vec<Vec<f64>>,
}

impl HostUtilization {
    /// From the replay's per-host samples: `samples` yields, in time order,
    /// (sample end ms, each host's mean utilization over the sample); a
    /// host's utilization over a measurement interval is the mean of the
    /// samples inside it (`sample_ms` must divide `interval_ms`; samples
    /// not inside a measured interval are skipped). `group_of[h]` is host h's group.
    pub fn from_samples<'a>(
        samples: impl IntoIterator<Item = (u64, &'a [f64])>,
        sample_ms: u64,
        group_of: &[usize],
        groups: usize,
        end_ms: &[u64],
        interval_ms: u64,
    ) -> HostUtilization {
        let per = (interval_ms / sample_ms).max(1) as f64;
        let mut acc = vec![0.0; group_of.len()];
        let mut out = HostUtilization {
            end_ms: Vec::with_capacity(end_ms.len()),
            start: vec![vec![0]; groups],
            ln_u: vec![Vec::new(); groups],
        };
        let mut k = 0usize;
        let mut seen = 0u64;
        for (t, u) in samples {
            while k < end_ms.len() && end_ms[k] < t {
                k += 1;
                acc.iter_mut().for_each(|a| *a = 0.0);
                seen = 0;
            }
            if k == end_ms.len() {
                break;
            }
            if t + interval_ms <= end_ms[k] {
                continue; // before interval k
            }
            for (a, &x) in acc.iter_mut().zip(u) {
                *a += x;
            }
            seen += 1;
            if t == end_ms[k] {
                if seen as f64 >= per {
                    out.end_ms.push(end_ms[k]);
                    for (h, a) in acc.iter().enumerate() {
                        let mean = (a / per).min(1.0);
                        if mean > 0.0 {
                            out.ln_u[group_of[h]].push(mean.ln());
                        }
                    }
                    for g in 0..groups {
                        out.start[g].push(out.ln_u[g].len());
                    }
                }
                acc.iter_mut().for_each(|a| *a = 0.0);
                seen = 0;
                k += 1;
            }
        }
        out
    }

    /// Only the intervals whose end is in `keep(end_ms)`.
    pub fn select(&self, keep: impl Fn(u64) -> bool) -> HostUtilization {
        let groups = self.start.len();
        let mut out = HostUtilization {
            end_ms: Vec::new(),
            start: vec![vec![0]; groups],
            ln_u: vec![Vec::new(); groups],
        };
        for (k, &end) in self.end_ms.iter().enumerate() {
            if !keep(end) {
                continue;
            }
            out.end_ms.push(end);
            for g in 0..groups {
                out.ln_u[g].extend_from_slice(&self.ln_u[g][self.start[g][k]..self.start[g][k + 1]]);
                out.start[g].push(out.ln_u[g].len());
            }
        }
        out
    }

    /// `Σ u^e` (and `Σ u^e·ln u` when `slope`) over the busy hosts of group
    /// `g`, per interval.
    fn sums(&self, g: usize, e: f64, slope: bool) -> (Vec<f64>, Vec<f64>) {
        let k = self.end_ms.len();
        let (mut s, mut d) = (vec![0.0; k], vec![0.0; if slope { k } else { 0 }]);
        let ln_u = &self.ln_u[g];
        for i in 0..k {
            let xs = &ln_u[self.start[g][i]..self.start[g][i + 1]];
            if slope {
                let (a, b) = xs.iter().fold((0.0, 0.0), |(a, b), &l| {
                    let p = (e * l).exp();
                    (a + p, b + p * l)
                });
                s[i] = a;
                d[i] = b;
            } else {
                s[i] = xs.iter().map(|&l| (e * l).exp()).sum();
            }
        }
        (s, d)
    }
}

/// Predicted fleet power (kW) per interval of `util` with the given models
/// and exponent.
pub fn predict_power_kw(util: &HostUtilization, groups: &[GroupModel], exponent: f64) -> Vec<f64> {
    let mut p =
        vec![groups.iter().map(|g| g.hosts as f64 * g.idle_w).sum::<f64>() / 1000.0; util.end_ms.len()];
    for (g, model) in groups.iter().enumerate() {
        let (s, _) = util.sums(g, exponent, false);
        for (p, s) in p.iter_mut().zip(s) {
            *p += (model.peak_w - model.idle_w) * s / 1000.0;
        }
    }
    p
}

/// A fitted power model with its uncertainty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FittedGroup {
    /// Idle power, W.
    pub idle_w: f64,
    /// One standard deviation of `idle_w`, W.
    pub idle_w_sd: f64,
    /// Peak power, W.
    pub peak_w: f64,
    /// One standard deviation of `peak_w`, W.
    pub peak_w_sd: f64,
    /// Exponent of the power law `u^e` (shared by the groups).
    pub exponent: f64,
    /// One standard deviation of `exponent`.
    pub exponent_sd: f64,
    /// The curve as a scenario names it.
    pub curve: String,
    /// Group (SKU) name.
    pub name: String,
}

/// The outcome of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerFit {
    /// One entry per group, in the order given.
    pub groups: Vec<FittedGroup>,
    /// The fitted exponent.
    pub exponent: f64,
    /// Residual sum of squares, kW².
    pub sse_kw2: f64,
    /// Intervals fitted.
    pub instants: usize,
}

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq)]
pub struct FitError(pub String);

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FitError {}

/// Range the exponent is searched in: from well below `sqrt` (0.5) to cubic (3).
pub const EXPONENT_RANGE: (f64, f64) = (0.1, 3.0);

/// The fleet's idle (`A`, kW, constant) and dynamic (`B_k(e)`, kW) parts of
/// the prediction at factors 1.
struct Parts {
    idle_kw: f64,
    dynamic_kw: Vec<f64>,
    /// ∂B_k/∂e, when asked.
    slope_kw: Vec<f64>,
}

fn parts(util: &HostUtilization, groups: &[GroupModel], e: f64, slope: bool) -> Parts {
    let k = util.end_ms.len();
    let idle_kw = groups.iter().map(|g| g.hosts as f64 * g.idle_w).sum::<f64>() / 1000.0;
    let (mut dynamic_kw, mut slope_kw) = (vec![0.0; k], vec![0.0; if slope { k } else { 0 }]);
    for (g, model) in groups.iter().enumerate() {
        let w = (model.peak_w - model.idle_w) / 1000.0;
        let (s, d) = util.sums(g, e, slope);
        for i in 0..k {
            dynamic_kw[i] += w * s[i];
            if slope {
                slope_kw[i] += w * d[i];
            }
        }
    }
    Parts { idle_kw, dynamic_kw, slope_kw }
}

/// Least-squares factors (α, β) of `measured ≈ α·A + β·B` and the residual
/// sum of squares.
fn linear_factors(p: &Parts, measured: &[f64]) -> (f64, f64, f64) {
    let a = p.idle_kw;
    let n = measured.len() as f64;
    let (mut sb, mut sbb, mut sm, mut sbm) = (0.0, 0.0, 0.0, 0.0);
    for (&b, &m) in p.dynamic_kw.iter().zip(measured) {
        sb += b;
        sbb += b * b;
        sm += m;
        sbm += b * m;
    }
    // Normal equations: [a²n, a·sb; a·sb, sbb]·[α, β] = [a·sm, sbm].
    let det = a * a * n * sbb - a * a * sb * sb;
    let (alpha, beta) = if det.abs() > 1e-12 * (a * a * n * sbb).abs().max(1e-300) {
        ((a * sm * sbb - a * sb * sbm) / det, (a * a * n * sbm - a * sb * a * sm) / det)
    } else {
        (if a > 0.0 { sm / (a * n) } else { 0.0 }, 0.0)
    };
    let sse = p.dynamic_kw.iter().zip(measured).map(|(&b, &m)| (alpha * a + beta * b - m).powi(2)).sum();
    (alpha, beta, sse)
}

struct Profile<'a> {
    util: &'a HostUtilization,
    groups: &'a [GroupModel],
    measured: &'a [f64],
}

impl CostFunction for Profile<'_> {
    type Param = f64;
    type Output = f64;

    fn cost(&self, e: &f64) -> Result<f64, argmin::core::Error> {
        Ok(linear_factors(&parts(self.util, self.groups, *e, false), self.measured).2)
    }
}

/// Fit the groups' power law to `measured_kw` (one value per interval of
/// `util`): idle and dynamic power scaled by common factors from `groups`
/// (the scenario's values), one shared exponent.
pub fn fit_power(
    util: &HostUtilization,
    groups: &[GroupModel],
    measured_kw: &[f64],
) -> Result<PowerFit, FitError> {
    let n = util.end_ms.len();
    if n != measured_kw.len() {
        return Err(FitError(format!("{n} intervals of utilization but {} measurements", measured_kw.len())));
    }
    if n < 10 {
        return Err(FitError(format!("the fit window holds {n} measurements; at least 10 are needed")));
    }
    if groups.iter().all(|g| g.peak_w <= g.idle_w) {
        return Err(FitError(
            "every group's peak power equals its idle power: nothing scales with load".into(),
        ));
    }
    let problem = Profile { util, groups, measured: measured_kw };
    let solver = BrentOpt::new(EXPONENT_RANGE.0, EXPONENT_RANGE.1).set_tolerance(1e-7, 1e-9);
    let result = Executor::new(problem, solver)
        .configure(|state| state.max_iters(200))
        .run()
        .map_err(|e| FitError(format!("the exponent search failed: {e}")))?;
    let e = result.state().best_param.ok_or_else(|| FitError("the exponent search found nothing".into()))?;
    let p = parts(util, groups, e, true);
    let (alpha, beta, sse) = linear_factors(&p, measured_kw);
    // Jacobian columns: ∂/∂α = A, ∂/∂β = B_k, ∂/∂e = β·∂B_k/∂e.
    let mut jtj = [[0.0f64; 3]; 3];
    for k in 0..n {
        let row = [p.idle_kw, p.dynamic_kw[k], beta * p.slope_kw[k]];
        for i in 0..3 {
            for j in 0..3 {
                jtj[i][j] += row[i] * row[j];
            }
        }
    }
    let dof = (n as f64 - 3.0).max(1.0);
    let s2 = sse / dof;
    let cov = invert3(jtj).map(|c| c.map(|r| r.map(|x| x * s2)));
    let sd = |i: usize| cov.map_or(f64::NAN, |c| c[i][i].max(0.0).sqrt());
    let fitted = groups
        .iter()
        .map(|g| {
            let dyn_w = g.peak_w - g.idle_w;
            let peak_var = cov.map_or(f64::NAN, |c| {
                g.idle_w * g.idle_w * c[0][0] + dyn_w * dyn_w * c[1][1] + 2.0 * g.idle_w * dyn_w * c[0][1]
            });
            FittedGroup {
                name: g.name.clone(),
                idle_w: alpha * g.idle_w,
                idle_w_sd: g.idle_w * sd(0),
                peak_w: alpha * g.idle_w + beta * dyn_w,
                peak_w_sd: peak_var.max(0.0).sqrt(),
                exponent: e,
                exponent_sd: sd(2),
                curve: "power".to_string(),
            }
        })
        .collect();
    Ok(PowerFit { groups: fitted, exponent: e, sse_kw2: sse, instants: n })
}

/// Inverse of a symmetric 3×3 matrix (adjugate over determinant), or `None`
/// when it is singular.
fn invert3(m: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let c = |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let adj = [
        [c(1, 2, 1, 2), -c(0, 2, 1, 2), c(0, 1, 1, 2)],
        [-c(1, 2, 0, 2), c(0, 2, 0, 2), -c(0, 1, 0, 2)],
        [c(1, 2, 0, 1), -c(0, 2, 0, 1), c(0, 1, 0, 1)],
    ];
    let det = m[0][0] * adj[0][0] + m[0][1] * adj[1][0] + m[0][2] * adj[2][0];
    let scale = m.iter().flatten().fold(0.0f64, |a, x| a.max(x.abs()));
    if !det.is_finite() || det.abs() <= 1e-14 * scale.powi(3) {
        return None;
    }
    Some(adj.map(|r| r.map(|x| x / det)))
}

/// The fitted models as [`GroupModel`]s (for predicting with them).
pub fn fitted_models(fit: &PowerFit, groups: &[GroupModel]) -> Vec<GroupModel> {
    groups
        .iter()
        .zip(&fit.groups)
        .map(|(g, f)| GroupModel { name: g.name.clone(), hosts: g.hosts, idle_w: f.idle_w, peak_w: f.peak_w })
        .collect()
}

/// Online calibration: for every whole window after the first, fit on the
/// window just past and predict the next; the predictions and the measured
/// values they are compared with, in order.
pub fn rolling(
    util: &HostUtilization,
    groups: &[GroupModel],
    measured_kw: &[f64],
    window_ms: u64,
) -> Result<RollingOutcome, FitError> {
    let Some(&last) = util.end_ms.last() else { return Err(FitError("no measurements".into())) };
    let first_start = util.end_ms[0].saturating_sub(1);
    let mut out = RollingOutcome::default();
    let mut from = first_start / window_ms * window_ms;
    while from + window_ms < last {
        let (fit_from, fit_to, to) = (from, from + window_ms, from + 2 * window_ms);
        let in_fit = |t: u64| t > fit_from && t <= fit_to;
        let in_next = |t: u64| t > fit_to && t <= to;
        let fit_util = util.select(in_fit);
        let fit_measured: Vec<f64> =
            util.end_ms.iter().zip(measured_kw).filter(|(t, _)| in_fit(**t)).map(|(_, &m)| m).collect();
        let next_util = util.select(in_next);
        if fit_util.end_ms.len() >= 10 && !next_util.end_ms.is_empty() {
            let fit = fit_power(&fit_util, groups, &fit_measured)?;
            let predicted = predict_power_kw(&next_util, &fitted_models(&fit, groups), fit.exponent);
            out.end_ms.extend(&next_util.end_ms);
            out.predicted_kw.extend(predicted);
            out.measured_kw
                .extend(util.end_ms.iter().zip(measured_kw).filter(|(t, _)| in_next(**t)).map(|(_, &m)| m));
            out.fits.push((fit_to, fit));
        }
        from += window_ms;
    }
    Ok(out)
}

/// What [`rolling`] produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollingOutcome {
    /// Interval ends predicted, ms.
    pub end_ms: Vec<u64>,
    /// Predictions, kW.
    pub predicted_kw: Vec<f64>,
    /// Measurements at the same instants, kW.
    pub measured_kw: Vec<f64>,
    /// Each refit, with the end of the window it was fitted on (ms).
    pub fits: Vec<(u64, PowerFit)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_averages_the_samples_inside_each_interval() {
        // Samples of 10 s: 1, 2, 3, 4, 5, 6 (ends 10..60 s); rows of 30 s ending at 30 and 60 s.
        let t: Vec<f64> = (1..=6).map(|i| f64::from(i) * 10.0).collect();
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(align(&t, &v, &[30_000, 60_000, 90_000], 30_000), vec![Some(2.0), Some(5.0), None]);
        // A row straddling two samples weighs them by overlap: (15, 25] = half of 2, half of 3.
        assert_eq!(align(&t, &v, &[25_000], 10_000), vec![Some(2.5)]);
    }

    #[test]
    fn metrics_are_fractions_and_skip_missing_and_zero() {
        let m = ErrorMetrics::of(&[Some(110.0), Some(90.0), None, Some(5.0)], &[100.0, 100.0, 100.0, 0.0])
            .unwrap();
        assert_eq!(m.instants, 2);
        assert!((m.mape - 0.1).abs() < 1e-12);
        assert!((m.rmse - 10.0).abs() < 1e-12);
        assert_eq!(m.bias, 0.0);
        assert_eq!(m.share_under_10pct, 0.0, "10% exactly is not under 10%");
        assert!(ErrorMetrics::of(&[None], &[1.0]).is_none());
    }

    #[test]
    fn window_keeps_only_whole_intervals_inside() {
        let m = Measurements {
            interval_ms: 10,
            end_ms: vec![10, 20, 30, 40],
            series: vec![("it_power".into(), vec![1.0, 2.0, 3.0, 4.0])],
            notes: vec![],
        };
        let w = m.window(10, 30);
        assert_eq!(w.end_ms, vec![20, 30]);
        assert_eq!(w.values("it_power"), Some(&[2.0, 3.0][..]));
    }

    #[test]
    fn host_utilization_averages_samples_per_interval() {
        // Two hosts, one group, samples of 10 ms, intervals of 20 ms ending at 20 and 40.
        let s: Vec<(u64, Vec<f64>)> =
            vec![(10, vec![0.2, 0.0]), (20, vec![0.4, 0.0]), (30, vec![1.0, 0.5]), (40, vec![1.0, 0.0])];
        let u = HostUtilization::from_samples(
            s.iter().map(|(t, v)| (*t, v.as_slice())),
            10,
            &[0, 0],
            1,
            &[20, 40],
            20,
        );
        assert_eq!(u.end_ms, vec![20, 40]);
        let back: Vec<f64> = u.ln_u[0].iter().map(|l| l.exp()).collect();
        assert!(
            (back[0] - 0.3).abs() < 1e-12 && (back[1] - 1.0).abs() < 1e-12 && (back[2] - 0.25).abs() < 1e-12
        );
        assert_eq!(u.start[0], vec![0, 1, 3]);
    }
}
