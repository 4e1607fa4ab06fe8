//! The electrical path from the utility to the servers: stages with a rating, a
//! redundancy and the three-term loss model.
//!
//! Loss of one unit carrying `p` out of its rating `r`:
//! `loss = no_load·r + proportional·p + square·p²/r`, each coefficient a
//! fraction of full-load rating (N. Rasmussen, "Electrical Efficiency Modeling
//! for Data Centers", Schneider Electric White Paper 113, Rev 2, Table 2).
//! Redundant units share the load equally (active-active), so every installed
//! unit pays its no-load loss: that is the efficiency cost of N+1 and 2N.
//!
//! Simplification: the loss is evaluated on the stage's output power, and
//! losses of a stage are carried by the stage above it.

use serde::Serialize;

/// Three-term loss coefficients, fractions of the unit's rating.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LossModel {
    /// Loss that does not depend on load (transformer core, UPS control, fans).
    pub no_load: f64,
    /// Loss proportional to load.
    pub proportional: f64,
    /// Loss proportional to the square of load (I²R).
    pub square: f64,
}

impl LossModel {
    /// Loss of one unit of rating `rated_kw` carrying `load_kw`.
    #[inline]
    pub fn loss_kw(&self, load_kw: f64, rated_kw: f64) -> f64 {
        self.no_load * rated_kw + self.proportional * load_kw + self.square * load_kw * load_kw / rated_kw
    }

    /// Efficiency (output over input) at a load fraction of the rating.
    pub fn efficiency(&self, load_fraction: f64) -> f64 {
        let loss = self.loss_kw(load_fraction, 1.0);
        load_fraction / (load_fraction + loss)
    }

    /// The three terms fitted by least squares to a converter's published
    /// efficiency curve, `(load fraction, efficiency)` points (at least
    /// three distinct loads): each point's loss `x·(1/η − 1)` of the rating
    /// against `no_load + proportional·x + square·x²`, the method LBNL's Power
    /// Chain Assessment Tool uses for its UPS curves. The terms are then a
    /// curve fit rather than separate physical losses: `proportional` may be
    /// negative where efficiency rises steeply at light load.
    pub fn fit_efficiency(points: &[(f64, f64)]) -> LossModel {
        // Normal equations of the 3-parameter linear least squares.
        let mut a = [[0.0f64; 3]; 3];
        let mut b = [0.0f64; 3];
        for &(x, eta) in points {
            let loss = x * (1.0 / eta - 1.0);
            let basis = [1.0, x, x * x];
            for i in 0..3 {
                b[i] += basis[i] * loss;
                for j in 0..3 {
                    a[i][j] += basis[i] * basis[j];
                }
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..3 {
            let pivot = (col..3).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs())).unwrap_or(col);
            a.swap(col, pivot);
            b.swap(col, pivot);
            let (pivot_row, pivot_b) = (a[col], b[col]);
            for (row, (a_row, b_row)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
                if row != col {
                    let f = a_row[col] / pivot_row[col];
                    for (x, p) in a_row.iter_mut().zip(pivot_row) {
                        *x -= f * p;
                    }
                    *b_row -= f * pivot_b;
                }
            }
        }
        LossModel { no_load: b[0] / a[0][0], proportional: b[1] / a[1][1], square: b[2] / a[2][2] }
    }
}

/// How many units a stage installs beyond those it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Redundancy {
    /// Exactly the units needed.
    N,
    /// One spare unit.
    NPlus1,
    /// Two spare units.
    NPlus2,
    /// Two complete independent systems (A and B).
    TwoN,
    /// Two systems, each N+1.
    TwoNPlus1,
    /// Distributed redundant: three systems each sized for half the load
    /// ("three to make two"), 1.5 N installed.
    DistributedRedundant,
}

impl Redundancy {
    /// Installed capacity over needed capacity for `n` needed units, as units.
    pub fn installed_units(&self, n: u32) -> f64 {
        let n = f64::from(n);
        match self {
            Redundancy::N => n,
            Redundancy::NPlus1 => n + 1.0,
            Redundancy::NPlus2 => n + 2.0,
            Redundancy::TwoN => 2.0 * n,
            Redundancy::TwoNPlus1 => 2.0 * (n + 1.0),
            Redundancy::DistributedRedundant => 1.5 * n,
        }
    }
}

/// One stage of the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Name (`ups`, `pdu`).
    pub name: String,
    /// Units needed to carry the design load (N).
    pub units_needed: u32,
    /// Rating of one unit.
    pub unit_rating_kw: f64,
    /// Redundancy.
    pub redundancy: Redundancy,
    /// Loss coefficients.
    pub loss: LossModel,
    /// Whether its losses are heat inside the cooled space.
    pub indoor: bool,
}

impl Stage {
    /// Usable capacity: what N units carry.
    pub fn capacity_kw(&self) -> f64 {
        f64::from(self.units_needed) * self.unit_rating_kw
    }

    /// Units installed, counting redundancy.
    pub fn installed_units(&self) -> f64 {
        self.redundancy.installed_units(self.units_needed)
    }

    /// Loss of the whole stage carrying `load_kw`, shared equally by every
    /// installed unit.
    #[inline]
    pub fn loss_kw(&self, load_kw: f64) -> f64 {
        let units = self.installed_units();
        units * self.loss.loss_kw(load_kw / units, self.unit_rating_kw)
    }

    /// Load over usable (N) capacity.
    pub fn loading(&self, load_kw: f64) -> f64 {
        load_kw / self.capacity_kw()
    }
}

/// Power through one stage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StageFlow {
    /// Power leaving the stage toward the load.
    pub output_kw: f64,
    /// Power lost in it.
    pub loss_kw: f64,
}

impl StageFlow {
    /// Power entering the stage.
    pub fn input_kw(&self) -> f64 {
        self.output_kw + self.loss_kw
    }
}

/// Push a load up through stages ordered from the utility down to the load
/// (`stages[0]` is nearest the utility); returns one flow per stage, in the
/// same order. The load at the bottom is `load_kw`.
pub fn flows_up(stages: &[Stage], load_kw: f64, out: &mut Vec<StageFlow>) {
    out.clear();
    out.resize(stages.len(), StageFlow::default());
    let mut below_kw = load_kw;
    for (i, stage) in stages.iter().enumerate().rev() {
        let loss_kw = stage.loss_kw(below_kw);
        out[i] = StageFlow { output_kw: below_kw, loss_kw };
        below_kw += loss_kw;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WP113_UPS: LossModel = LossModel { no_load: 0.04, proportional: 0.05, square: 0.0 };

    #[test]
    fn a_fit_reproduces_a_three_term_curve_and_follows_a_published_one() {
        // Points taken from a three-term curve give its terms back.
        let points: Vec<(f64, f64)> = [0.1, 0.25, 0.5, 0.75, 1.0]
            .iter()
            .map(|&x| (x, LossModel { no_load: 0.01, proportional: 0.02, square: 0.03 }.efficiency(x)))
            .collect();
        let fit = LossModel::fit_efficiency(&points);
        assert!((fit.no_load - 0.01).abs() < 1e-12);
        assert!((fit.proportional - 0.02).abs() < 1e-12);
        assert!((fit.square - 0.03).abs() < 1e-12);
        // 80 PLUS Titanium minima (90/94/96/91% at 10/20/50/100%): within 1.2 points.
        let titanium = [(0.1, 0.90), (0.2, 0.94), (0.5, 0.96), (1.0, 0.91)];
        let fit = LossModel::fit_efficiency(&titanium);
        for (x, eta) in titanium {
            assert!((fit.efficiency(x) - eta).abs() < 0.012, "{x}: {}", fit.efficiency(x));
        }
        // The fitted loss stays positive over the whole range.
        assert!((1..=200).all(|i| fit.loss_kw(f64::from(i) / 100.0, 1.0) > 0.0));
    }

    #[test]
    fn wp113_ups_efficiency() {
        // 4% no-load + 5% proportional (WP 113 Table 2): 91.74% at full load, 68.97% at 10%.
        assert!((WP113_UPS.efficiency(1.0) - 1.0 / 1.09).abs() < 1e-12);
        assert!((WP113_UPS.efficiency(0.1) - 0.1 / 0.145).abs() < 1e-12);
    }

    fn stage(redundancy: Redundancy) -> Stage {
        Stage {
            name: "ups".into(),
            units_needed: 4,
            unit_rating_kw: 500.0,
            redundancy,
            loss: WP113_UPS,
            indoor: true,
        }
    }

    #[test]
    fn redundancy_adds_no_load_loss() {
        let n = stage(Redundancy::N).loss_kw(1000.0);
        let two_n = stage(Redundancy::TwoN).loss_kw(1000.0);
        // N: 4 units x 0.04 x 500 + 0.05 x 1000 = 130; 2N doubles the no-load part.
        assert!((n - 130.0).abs() < 1e-9);
        assert!((two_n - 210.0).abs() < 1e-9);
        assert_eq!(stage(Redundancy::DistributedRedundant).installed_units(), 6.0);
        assert_eq!(stage(Redundancy::TwoNPlus1).installed_units(), 10.0);
    }

    proptest! {
        #[test]
        fn energy_is_conserved_through_the_chain(load in 0.0..5000.0f64, n0 in 0.0..0.05f64, p0 in 0.0..0.1f64, s0 in 0.0..0.05f64) {
            let loss = LossModel { no_load: n0, proportional: p0, square: s0 };
            let stages: Vec<Stage> = ["transformer", "ups", "pdu"].iter().map(|name| Stage {
                name: name.to_string(), units_needed: 2, unit_rating_kw: 3000.0,
                redundancy: Redundancy::NPlus1, loss, indoor: true,
            }).collect();
            let mut flows = Vec::new();
            flows_up(&stages, load, &mut flows);
            let losses: f64 = flows.iter().map(|f| f.loss_kw).sum();
            prop_assert!((flows[0].input_kw() - (load + losses)).abs() <= 1e-9 * (1.0 + load));
            for w in flows.windows(2) {
                prop_assert!((w[0].output_kw - w[1].input_kw()).abs() <= 1e-9 * (1.0 + load));
            }
        }
    }
}
