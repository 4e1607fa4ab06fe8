//! Server power as a function of CPU utilization, and power-supply efficiency.
//!
//! Models (one family, [`PowerCurve`], for the facility year and the replay):
//! - linear, `P(u) = P_idle + (P_peak − P_idle)·u`;
//! - the curves OpenDC and CloudSim ship (`square`, `cubic`, `sqrt`, after
//!   Beloglazov and Buyya, "Optimal online deterministic algorithms and
//!   adaptive heuristics for energy and performance efficient dynamic
//!   consolidation of virtual machines in cloud data centers", CCPE 2012, as
//!   implemented in OpenDC's `PowerModels`), and the power law
//!   `P_idle + (P_peak − P_idle)·u^e` whose exponent is a free parameter (e = 1
//!   is linear, 0.5 sqrt, 2 square): the one-parameter family `plenum
//!   calibrate` fits, after the power-law utilization models surveyed by
//!   Dayarathna, Wen and Fan ("Data center energy consumption modeling: a
//!   survey", IEEE Communications Surveys & Tutorials 18(1), 2016, §IV.A);
//! - Fan, Weber and Barroso's empirical curve, `P_idle + (P_peak − P_idle)(2u − u^r)`
//!   with r = 1.4 ("Power Provisioning for a Warehouse-sized Computer", ISCA 2007);
//! - an 11-point SPECpower_ssj2008-style table (watts at 0%, 10%, …, 100% load),
//!   interpolated linearly.
//!
//! A PSU efficiency curve (points over load fraction, interpolated linearly and
//! held flat outside its points) turns DC load into wall power. 80 PLUS
//! certification minima give the presets (CLEAResult 80 PLUS program
//! requirements, 230 V internal redundant; only Titanium has a 10% point).

/// How a server's power depends on utilization `u` in 0..1: the one family
/// of power curves, used by the facility year (`[[servers]]`) and by the
/// workload replay (its hosts, from `[[servers]]` or an OpenDC topology).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PowerCurve {
    /// Straight line from idle to peak: `P_idle + (P_peak − P_idle)·u`.
    Linear {
        /// Power at zero utilization.
        idle_w: f64,
        /// Power at full utilization.
        peak_w: f64,
    },
    /// `P_idle + (P_peak − P_idle)·u²` (OpenDC's `square`).
    Square {
        /// Power at zero utilization.
        idle_w: f64,
        /// Power at full utilization.
        peak_w: f64,
    },
    /// `P_idle + (P_peak − P_idle)·u³` (OpenDC's `cubic`).
    Cubic {
        /// Power at zero utilization.
        idle_w: f64,
        /// Power at full utilization.
        peak_w: f64,
    },
    /// `P_idle + (P_peak − P_idle)·√u` (OpenDC's `sqrt`).
    Sqrt {
        /// Power at zero utilization.
        idle_w: f64,
        /// Power at full utilization.
        peak_w: f64,
    },
    /// Power law: `P_idle + (P_peak − P_idle)·u^e`.
    Power {
        /// Power at zero utilization.
        idle_w: f64,
        /// Power at full utilization.
        peak_w: f64,
        /// Exponent `e` (> 0): below 1 the curve is concave (`sqrt` is 0.5).
        exponent: f64,
    },
    /// Fan–Weber–Barroso: `idle + (peak − idle)(2u − u^r)`.
    FanWeberBarroso {
        /// Power at zero utilization.
        idle_w: f64,
        /// Power at full utilization.
        peak_w: f64,
        /// Calibration exponent (1.4 in the paper).
        r: f64,
    },
    /// Watts at 0%, 10%, …, 100% utilization.
    Table {
        /// Eleven points.
        points_w: [f64; 11],
    },
}

impl PowerCurve {
    /// The names [`PowerCurve::by_name`] accepts (OpenDC's and Plenum's).
    pub const NAMES: [&'static str; 6] = ["linear", "square", "cubic", "sqrt", "fwb", "power"];

    /// Power at utilization `u` (clamped to 0..1).
    #[inline]
    pub fn power_w(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            PowerCurve::Linear { idle_w, peak_w } => idle_w + (peak_w - idle_w) * u,
            PowerCurve::Square { idle_w, peak_w } => idle_w + (peak_w - idle_w) * u * u,
            PowerCurve::Cubic { idle_w, peak_w } => idle_w + (peak_w - idle_w) * u * u * u,
            PowerCurve::Sqrt { idle_w, peak_w } => idle_w + (peak_w - idle_w) * u.sqrt(),
            PowerCurve::Power { idle_w, peak_w, exponent } => idle_w + (peak_w - idle_w) * u.powf(exponent),
            PowerCurve::FanWeberBarroso { idle_w, peak_w, r } => {
                idle_w + (peak_w - idle_w) * (2.0 * u - u.powf(r))
            }
            PowerCurve::Table { points_w } => {
                let x = u * 10.0;
                let i = (x.floor() as usize).min(9);
                let f = x - i as f64;
                points_w[i] + (points_w[i + 1] - points_w[i]) * f
            }
        }
    }

    /// Power at zero utilization.
    pub fn idle_w(&self) -> f64 {
        self.power_w(0.0)
    }

    /// Power at full utilization.
    pub fn peak_w(&self) -> f64 {
        self.power_w(1.0)
    }

    /// Whether a point costs a fractional power (`powf`): worth a table
    /// look-up in hot loops, where the other curves are a few multiplications.
    pub fn has_fractional_power(&self) -> bool {
        matches!(self, PowerCurve::FanWeberBarroso { .. } | PowerCurve::Power { .. })
    }

    /// A curve by its OpenDC / Plenum name (`linear`, `square`, `cubic`,
    /// `sqrt`, `fwb` with r = 1.4; `power` with exponent 1 until
    /// [`PowerCurve::with_exponent`] sets it), or `None` for an unknown name.
    pub fn by_name(name: &str, idle_w: f64, peak_w: f64) -> Option<PowerCurve> {
        Some(match name {
            "linear" => PowerCurve::Linear { idle_w, peak_w },
            "square" => PowerCurve::Square { idle_w, peak_w },
            "cubic" => PowerCurve::Cubic { idle_w, peak_w },
            "sqrt" => PowerCurve::Sqrt { idle_w, peak_w },
            "fwb" => PowerCurve::FanWeberBarroso { idle_w, peak_w, r: 1.4 },
            "power" => PowerCurve::Power { idle_w, peak_w, exponent: 1.0 },
            _ => return None,
        })
    }

    /// The same curve with its exponent replaced (`r` of `fwb`, `e` of
    /// `power`); the other curves have no free exponent and are returned as they are.
    pub fn with_exponent(self, e: f64) -> PowerCurve {
        match self {
            PowerCurve::FanWeberBarroso { idle_w, peak_w, .. } => {
                PowerCurve::FanWeberBarroso { idle_w, peak_w, r: e }
            }
            PowerCurve::Power { idle_w, peak_w, .. } => PowerCurve::Power { idle_w, peak_w, exponent: e },
            other => other,
        }
    }

    /// A lookup table of `n + 1` evenly spaced points for fast evaluation in
    /// hot loops (linear interpolation between them).
    pub fn tabulate(&self, n: usize) -> TabulatedCurve {
        TabulatedCurve::from_points((0..=n).map(|i| self.power_w(i as f64 / n as f64)).collect())
    }
}

/// A power curve sampled at evenly spaced utilizations, stored as segments.
///
/// Each segment keeps its start value and its rise to the next point
/// (`p[i + 1] − p[i]`, computed once here exactly as the interpolation would
/// compute it), so a look-up is one 16-byte load, one multiply and one add,
/// and the results are the same to the bit as interpolating the points
/// directly. The index is truncated through `u32`: the utilization is clamped
/// to 0..1 first, so it fits, and the conversion is one instruction where a
/// saturating `usize` one is several (see `plenum_engine::facility`'s account
/// of a server-hour's cost).
#[derive(Debug, Clone, PartialEq)]
pub struct TabulatedCurve {
    /// Per segment `i`: (power at point `i`, power at point `i + 1` minus it).
    segments: Vec<[f64; 2]>,
    /// Number of segments, as a float (the scale from utilization to index).
    segments_f64: f64,
}

impl TabulatedCurve {
    /// A curve from power at evenly spaced utilizations 0..=1 (at least two points).
    pub fn from_points(points_w: Vec<f64>) -> Self {
        assert!(points_w.len() >= 2, "a tabulated curve needs two points");
        assert!(points_w.len() <= u32::MAX as usize, "a tabulated curve indexes its points with u32");
        let segments: Vec<[f64; 2]> = points_w.windows(2).map(|w| [w[0], w[1] - w[0]]).collect();
        TabulatedCurve { segments_f64: segments.len() as f64, segments }
    }

    /// Power at utilization `u` (clamped to 0..1), interpolated.
    #[inline]
    pub fn power_w(&self, u: f64) -> f64 {
        let x = u.clamp(0.0, 1.0) * self.segments_f64;
        let i = (x as u32).min(self.segments.len() as u32 - 1) as usize;
        let f = x - i as f64;
        let [start_w, rise_w] = self.segments[i];
        start_w + rise_w * f
    }
}

impl TabulatedCurve {
    /// The prefix integrals [`SpreadMoments`] needs, built once per curve.
    pub fn spread_moments(&self) -> SpreadMoments {
        let h = 1.0 / self.segments_f64;
        let (mut first, mut second) = (vec![0.0], vec![0.0]);
        for &[a, d] in &self.segments {
            first.push(first[first.len() - 1] + h * (a + d / 2.0));
            second.push(second[second.len() - 1] + h * (a * a + a * d + d * d / 3.0));
        }
        SpreadMoments { curve: self.clone(), first, second }
    }
}

/// Mean and variance of a tabulated curve's power when utilization is
/// uniform on a window `[c − w, c + w]` (clamped to 0..1 as the curve clamps
/// it), in closed form: the curve is piecewise linear, so `∫P` and `∫P²` over
/// any window come from prefix sums over whole segments plus the two partial
/// ones (`∫₀^f (a + d·t)² dt = a²f + a·d·f² + d²f³/3`).
///
/// This is what the facility year's `normal` server-spread method draws a
/// run of servers' total from: `n` servers of one SKU in one rack, each at the
/// rack's utilization moved by its own uniform spread, sum to `n·mean` on
/// average with variance `n·variance` (independent spreads).
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadMoments {
    curve: TabulatedCurve,
    /// `∫₀^{x_i} P(u) du` at each point `x_i = i / segments` (W · utilization).
    first: Vec<f64>,
    /// `∫₀^{x_i} P(u)² du` at each point (W² · utilization).
    second: Vec<f64>,
}

impl SpreadMoments {
    /// `(∫₀^v P, ∫₀^v P²)`, the curve held flat beyond 0..1.
    #[inline]
    fn antiderivatives(&self, v: f64) -> (f64, f64) {
        let segments = &self.curve.segments;
        if v <= 0.0 {
            let p0 = segments[0][0];
            return (v * p0, v * p0 * p0);
        }
        if v >= 1.0 {
            let [a, d] = segments[segments.len() - 1];
            let p1 = a + d;
            let end = segments.len();
            return (self.first[end] + (v - 1.0) * p1, self.second[end] + (v - 1.0) * p1 * p1);
        }
        let x = v * self.curve.segments_f64;
        let i = (x as u32).min(segments.len() as u32 - 1) as usize;
        let f = x - i as f64;
        let [a, d] = segments[i];
        let h = 1.0 / self.curve.segments_f64;
        (
            self.first[i] + h * f * (a + d * f / 2.0),
            self.second[i] + h * f * (a * a + a * d * f + d * d * f * f / 3.0),
        )
    }

    /// Mean (W) and variance (W²) of the power at a utilization uniform on
    /// `[center − half_width, center + half_width]`; the power at `center`
    /// and no variance when the window is empty.
    #[inline]
    pub fn mean_and_variance_w(&self, center: f64, half_width: f64) -> (f64, f64) {
        if half_width <= 0.0 {
            return (self.curve.power_w(center), 0.0);
        }
        let (low_1, low_2) = self.antiderivatives(center - half_width);
        let (high_1, high_2) = self.antiderivatives(center + half_width);
        let width = 2.0 * half_width;
        let mean = (high_1 - low_1) / width;
        let mean_square = (high_2 - low_2) / width;
        (mean, (mean_square - mean * mean).max(0.0))
    }
}

impl SpreadMoments {
    /// Mean and standard deviation under a spread of fixed `half_width`,
    /// tabulated over the window's centre at `intervals` even steps (see
    /// [`SpreadTable`]); `half_width` must be positive.
    pub fn table(&self, half_width: f64, intervals: usize) -> SpreadTable {
        assert!(half_width > 0.0 && intervals >= 1, "a spread table needs a window and a step");
        // Outside −w..1+w the window lies wholly beyond one end of the curve,
        // where the curve is held flat: the moments are constant there.
        let start = -half_width;
        let span = 1.0 + 2.0 * half_width;
        let points: Vec<(f64, f64)> = (0..=intervals)
            .map(|i| {
                let (mean_w, variance_w2) =
                    self.mean_and_variance_w(start + span * i as f64 / intervals as f64, half_width);
                (mean_w, variance_w2.sqrt())
            })
            .collect();
        let segments =
            points.windows(2).map(|w| [w[0].0, w[1].0 - w[0].0, w[0].1, w[1].1 - w[0].1]).collect();
        let (low_w, high_w) = self
            .curve
            .segments
            .iter()
            .flat_map(|&[a, d]| [a, a + d])
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p), hi.max(p)));
        SpreadTable { start, scale: intervals as f64 / span, segments, low_w, high_w }
    }
}

/// The mean and standard deviation of one server's power under a uniform
/// spread of a fixed half-width, tabulated over the spread window's centre
/// and interpolated linearly: what the facility year's `normal` method reads
/// once per rack, SKU and hour, one 32-byte load where the closed form
/// ([`SpreadMoments::mean_and_variance_w`]) costs two prefix look-ups, a
/// dozen multiplications and a square root.
///
/// Simplification: the interpolation adds an error to the closed form's
/// exact moments. The mean is piecewise quadratic in the centre with second
/// derivative at most the curve's largest change of slope over the window's
/// width, so at 2,048 steps its error is below 1e-4 W for server curves of
/// hundreds of watts (measured in this module's tests against the closed
/// form: 3.1e-5 W for the mean and under 1e-3 W for the standard deviation of a
/// 100-174 W curve at a ±0.1 spread), far inside the normal draw's own
/// approximation.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadTable {
    /// The centre of the first point (utilization).
    start: f64,
    /// Steps per unit of utilization.
    scale: f64,
    /// Per step: (mean W, its rise, standard deviation W, its rise).
    segments: Vec<[f64; 4]>,
    /// The curve's lowest and highest power, which bound any server's draw.
    low_w: f64,
    high_w: f64,
}

impl SpreadTable {
    /// Mean (W) and standard deviation (W) of the power at a utilization
    /// uniform on the table's window around `center`.
    #[inline]
    pub fn mean_and_sd_w(&self, center: f64) -> (f64, f64) {
        let x = ((center - self.start) * self.scale).clamp(0.0, self.segments.len() as f64);
        let i = (x as u32).min(self.segments.len() as u32 - 1) as usize;
        let f = x - i as f64;
        let [mean_w, mean_rise_w, sd_w, sd_rise_w] = self.segments[i];
        (mean_w + mean_rise_w * f, sd_w + sd_rise_w * f)
    }

    /// The total power of `n` servers drawn as `n·mean + √n·sd·z` for one
    /// standard normal `z`, held within what `n` servers can draw at all
    /// (`n` times the curve's lowest and highest power), which the normal's
    /// unbounded tails could otherwise leave for very small runs.
    #[inline]
    pub fn run_total_w(&self, center: f64, n: f64, z: f64) -> f64 {
        let (mean_w, sd_w) = self.mean_and_sd_w(center);
        (n * mean_w + n.sqrt() * sd_w * z).clamp(n * self.low_w, n * self.high_w)
    }
}

/// Work per watt at utilization `u` relative to work per watt at full load:
/// `(u / P(u)) / (1 / P(1))`, the energy-proportionality measure of Barroso and
/// Hölzle ("The Case for Energy-Proportional Computing", IEEE Computer 2007).
pub fn relative_efficiency(curve: &PowerCurve, u: f64) -> f64 {
    u / curve.power_w(u) * curve.peak_w()
}

/// PSU efficiency over load fraction: (load fraction, efficiency) points.
#[derive(Debug, Clone, PartialEq)]
pub struct PsuCurve {
    points: Vec<(f64, f64)>,
}

impl PsuCurve {
    /// A curve from (load fraction, efficiency) points, sorted by load.
    pub fn new(mut points: Vec<(f64, f64)>) -> Self {
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        PsuCurve { points }
    }

    /// 80 PLUS minimum efficiencies, 230 V internal redundant, at 10/20/50/100% load.
    /// Levels without a 10% point hold their 20% value below 20% load.
    pub fn eighty_plus(level: &str) -> Option<PsuCurve> {
        let (e20, e50, e100, e10) = match level {
            "80plus" => (0.82, 0.85, 0.82, None),
            "bronze" => (0.81, 0.85, 0.81, None),
            "silver" => (0.85, 0.89, 0.85, None),
            "gold" => (0.88, 0.92, 0.88, None),
            "platinum" => (0.90, 0.94, 0.91, None),
            "titanium" => (0.94, 0.96, 0.91, Some(0.90)),
            _ => return None,
        };
        let mut points = vec![(0.2, e20), (0.5, e50), (1.0, e100)];
        if let Some(e10) = e10 {
            points.push((0.1, e10));
        }
        Some(PsuCurve::new(points))
    }

    /// Efficiency at `load_fraction` of the PSU's rating.
    pub fn efficiency(&self, load_fraction: f64) -> f64 {
        let p = &self.points;
        if load_fraction <= p[0].0 {
            return p[0].1;
        }
        for w in p.windows(2) {
            if load_fraction <= w[1].0 {
                let f = (load_fraction - w[0].0) / (w[1].0 - w[0].0);
                return w[0].1 + (w[1].1 - w[0].1) * f;
            }
        }
        p[p.len() - 1].1
    }
}

/// Fan et al.'s headroom: if the measured aggregate peak is a fraction `p` of
/// the provisioned budget, `1/p − 1` more machines fit under it (as a fraction
/// of the current count).
pub fn oversubscription_headroom(peak_fraction_of_budget: f64) -> f64 {
    1.0 / peak_fraction_of_budget - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    // Case FWB: P_busy = 1, P_idle = 0.5; the curve, the headroom and the
    // energy proportionality. Published values in crates/plenum-references.
    #[test]
    fn fan_weber_barroso_published_values() {
        let linear = PowerCurve::Linear { idle_w: 0.5, peak_w: 1.0 };
        let fwb = PowerCurve::FanWeberBarroso { idle_w: 0.5, peak_w: 1.0, r: 1.4 };
        plenum_references::case("fwb").check(&[
            ("linear P(0.5)", linear.power_w(0.5)),
            ("empirical P(0)", fwb.power_w(0.0)),
            ("empirical P(0.1)", fwb.power_w(0.1)),
            ("empirical P(0.3)", fwb.power_w(0.3)),
            ("empirical P(0.5)", fwb.power_w(0.5)),
            ("empirical P(0.7)", fwb.power_w(0.7)),
            ("empirical P(1)", fwb.power_w(1.0)),
            ("headroom at a 93% peak", oversubscription_headroom(0.93)),
            ("headroom at an 86.2% peak", oversubscription_headroom(0.862)),
            ("headroom at a 72% peak", oversubscription_headroom(0.72)),
            ("relative work per watt at u = 0.1", relative_efficiency(&linear, 0.1)),
            ("relative work per watt at u = 0.3", relative_efficiency(&linear, 0.3)),
            ("relative work per watt at u = 0.5", relative_efficiency(&linear, 0.5)),
        ]);
    }

    #[test]
    fn named_curves_match_their_formulas() {
        let (idle_w, peak_w) = (32.0, 180.0);
        // u = 0.25: sqrt gives 32 + 148 * 0.5 = 106.
        assert_eq!(PowerCurve::Sqrt { idle_w, peak_w }.power_w(0.25), 106.0);
        assert_eq!(PowerCurve::Linear { idle_w, peak_w }.power_w(0.25), 69.0);
        assert_eq!(PowerCurve::Square { idle_w, peak_w }.power_w(0.5), 69.0);
        assert_eq!(PowerCurve::Cubic { idle_w, peak_w }.power_w(0.5), 50.5);
        // Fan et al.: at u = 0.5, 2u - u^1.4 = 1 - 0.378929 = 0.621071.
        let fwb = PowerCurve::FanWeberBarroso { idle_w: 0.0, peak_w: 1.0, r: 1.4 };
        assert!((fwb.power_w(0.5) - 0.621_071).abs() < 1e-6);
        for name in PowerCurve::NAMES {
            let m = PowerCurve::by_name(name, idle_w, peak_w).unwrap();
            assert_eq!(m.idle_w(), idle_w, "{name}");
            assert!((m.peak_w() - peak_w).abs() < 1e-12, "{name}");
            assert_eq!(m.power_w(2.0), m.peak_w(), "{name} clamps above 1");
        }
        assert!(PowerCurve::by_name("quartic", 1.0, 2.0).is_none());
        let power = PowerCurve::by_name("power", idle_w, peak_w).unwrap().with_exponent(0.5);
        assert_eq!(power.power_w(0.25), PowerCurve::Sqrt { idle_w, peak_w }.power_w(0.25));
        assert!(power.has_fractional_power() && !PowerCurve::Sqrt { idle_w, peak_w }.has_fractional_power());
    }

    #[test]
    fn table_interpolates_specpower_points() {
        // IBM x3550 M3 (2x X5670), SPECpower_ssj2008 result 20100315-00239.
        let t = PowerCurve::Table {
            points_w: [66.0, 107.0, 120.0, 131.0, 143.0, 156.0, 173.0, 191.0, 211.0, 229.0, 247.0],
        };
        assert_eq!(t.power_w(0.0), 66.0);
        assert_eq!(t.power_w(1.0), 247.0);
        assert!((t.power_w(0.55) - (156.0 + 173.0) / 2.0).abs() < 1e-9);
        let fast = t.tabulate(1000);
        for u in [0.0, 0.123, 0.55, 0.999, 1.0] {
            assert!((fast.power_w(u) - t.power_w(u)).abs() < 1e-9);
        }
    }

    /// The closed-form moments against a fine midpoint sum over the window,
    /// inside the curve, across its ends (clamped) and for an empty window.
    #[test]
    fn spread_moments_match_numerical_integration() {
        let fwb = PowerCurve::FanWeberBarroso { idle_w: 100.0, peak_w: 174.0, r: 1.4 }.tabulate(1000);
        let moments = fwb.spread_moments();
        for (center, half_width) in [(0.3, 0.1), (0.05, 0.1), (0.97, 0.15), (0.5, 0.0), (-0.2, 0.1)] {
            let (mean, variance) = moments.mean_and_variance_w(center, half_width);
            let n = 200_000;
            let (mut sum, mut sum_sq) = (0.0, 0.0);
            for k in 0..n {
                let u = center + half_width * (2.0 * (k as f64 + 0.5) / n as f64 - 1.0);
                let p = fwb.power_w(u);
                sum += p;
                sum_sq += p * p;
            }
            let expected_mean = sum / n as f64;
            let expected_variance = sum_sq / n as f64 - expected_mean * expected_mean;
            assert!(
                (mean - expected_mean).abs() < 1e-7,
                "mean at {center} ± {half_width}: {mean} vs {expected_mean}"
            );
            assert!(
                (variance - expected_variance).abs() < 1e-5 * expected_variance.max(1.0),
                "variance at {center} ± {half_width}: {variance} vs {expected_variance}"
            );
        }
    }

    /// The tabulated moments against the closed form, across the whole range
    /// of centres (inside the curve, across its ends, beyond them), within the
    /// bounds the [`SpreadTable`] doc states; and a run's total stays within
    /// what its servers can draw.
    #[test]
    fn spread_table_matches_the_closed_form() {
        let fwb = PowerCurve::FanWeberBarroso { idle_w: 100.0, peak_w: 174.0, r: 1.4 }.tabulate(1000);
        let moments = fwb.spread_moments();
        let half_width = 0.1;
        let table = moments.table(half_width, 2048);
        let (mut worst_mean_w, mut worst_sd_w) = (0.0f64, 0.0f64);
        for k in 0..=100_000 {
            let center = -0.3 + 1.6 * k as f64 / 100_000.0;
            let (mean_w, variance_w2) = moments.mean_and_variance_w(center, half_width);
            let (table_mean_w, table_sd_w) = table.mean_and_sd_w(center);
            worst_mean_w = worst_mean_w.max((table_mean_w - mean_w).abs());
            worst_sd_w = worst_sd_w.max((table_sd_w - variance_w2.sqrt()).abs());
        }
        assert!(worst_mean_w < 5e-5, "mean off by {worst_mean_w} W");
        assert!(worst_sd_w < 1e-3, "standard deviation off by {worst_sd_w} W");
        assert!(worst_mean_w > 0.0, "the comparison must see the interpolation");
        // Far tails of the draw stay within n servers' lowest and highest draw.
        assert_eq!(table.run_total_w(0.5, 4.0, 1e6), 4.0 * 174.0);
        assert_eq!(table.run_total_w(0.5, 4.0, -1e6), 4.0 * 100.0);
        let (mean_w, _) = table.mean_and_sd_w(0.5);
        assert_eq!(table.run_total_w(0.5, 40.0, 0.0), 40.0 * mean_w);
    }

    #[test]
    fn psu_curve_interpolates_and_holds() {
        let gold = PsuCurve::eighty_plus("gold").unwrap();
        assert_eq!(gold.efficiency(0.05), 0.88);
        assert_eq!(gold.efficiency(0.5), 0.92);
        assert!((gold.efficiency(0.35) - 0.90).abs() < 1e-12);
        assert_eq!(gold.efficiency(1.2), 0.88);
        assert_eq!(PsuCurve::eighty_plus("titanium").unwrap().efficiency(0.1), 0.90);
    }
}
