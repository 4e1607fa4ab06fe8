//! Capacity planning over months: a demand curve with lognormal growth noise,
//! modules with lead times, a build plan, and what each demand sample costs.
//!
//! The plan is open-loop: builds are decided once, against the demand forecast
//! at a chosen percentile (a planner building for the P50 or P90 forecast),
//! then every demand sample is served by that plan. Decisions therefore never
//! depend on a sample, and a longer lead time can only move a completion later
//! (builds cannot start before month 0), so it never reduces the months short.
//!
//! Demand noise is a random walk in log space (geometric Brownian motion with
//! the drift chosen so the median follows the curve): `ln D(t) = ln m(t) +
//! σ·W(t)` with monthly steps of variance 1/12 year, so the spread of log
//! demand after `y` years is σ·√y. The percentile-`p` forecast is
//! `m(t)·exp(z_p·σ·√(t/12))`. Simplification: one noise path for the whole
//! fleet, no seasonality, no demand shocks.
//!
//! Money: capital becomes level monthly payments from the month a module
//! serves (as in [`crate::finance`]); NPV discounts month `t`'s cost by
//! `(1 + r/12)^-(t+1)`, payments at month end, so a constant cost stream's NPV
//! is its annuity.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// The median demand curve, MW of critical capacity per month.
#[derive(Debug, Clone, PartialEq)]
pub enum DemandCurve {
    /// Straight line from `start_mw` at month 0 to `end_mw` at the last month.
    Linear {
        /// Month 0.
        start_mw: f64,
        /// Last month.
        end_mw: f64,
    },
    /// Constant growth rate from `start_mw` to `end_mw`.
    Exponential {
        /// Month 0.
        start_mw: f64,
        /// Last month.
        end_mw: f64,
    },
    /// S-curve from `start_mw` toward `end_mw` around a midpoint.
    Logistic {
        /// Lower asymptote.
        start_mw: f64,
        /// Upper asymptote.
        end_mw: f64,
        /// Month of fastest growth.
        midpoint_month: f64,
        /// Steepness per month.
        steepness_per_month: f64,
    },
    /// Given month by month (repeats its last value past its end).
    Monthly(Vec<f64>),
}

impl DemandCurve {
    /// Median demand at `month` of a horizon of `horizon` months.
    pub fn median_mw(&self, month: u32, horizon: u32) -> f64 {
        let last = f64::from(horizon.saturating_sub(1).max(1));
        let x = f64::from(month) / last;
        match self {
            DemandCurve::Linear { start_mw, end_mw } => start_mw + (end_mw - start_mw) * x,
            DemandCurve::Exponential { start_mw, end_mw } => {
                if *start_mw <= 0.0 {
                    end_mw * x
                } else {
                    start_mw * (end_mw / start_mw).powf(x)
                }
            }
            DemandCurve::Logistic { start_mw, end_mw, midpoint_month, steepness_per_month } => {
                start_mw
                    + (end_mw - start_mw)
                        / (1.0 + (-steepness_per_month * (f64::from(month) - midpoint_month)).exp())
            }
            DemandCurve::Monthly(values) => values[(month as usize).min(values.len() - 1)],
        }
    }
}

/// Demand over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// The median curve.
    pub curve: DemandCurve,
    /// σ of log demand after one year.
    pub noise_sigma_annual: f64,
    /// Months.
    pub horizon_months: u32,
}

impl Demand {
    /// The forecast at percentile `p` (0..100) for every month.
    pub fn forecast(&self, percentile: f64) -> Vec<f64> {
        let z = Normal::standard().inverse_cdf(percentile / 100.0);
        (0..self.horizon_months)
            .map(|t| {
                self.curve.median_mw(t, self.horizon_months)
                    * (z * self.noise_sigma_annual * (f64::from(t) / 12.0).sqrt()).exp()
            })
            .collect()
    }

    /// One demand path from standard normal draws (one per month after month 0).
    pub fn sample(&self, mut standard_normal: impl FnMut() -> f64) -> Vec<f64> {
        let step = self.noise_sigma_annual / 12f64.sqrt();
        let mut walk = 0.0;
        (0..self.horizon_months)
            .map(|t| {
                if t > 0 {
                    walk += step * standard_normal();
                }
                self.curve.median_mw(t, self.horizon_months) * walk.exp()
            })
            .collect()
    }
}

/// A module design.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Critical power built.
    pub size_mw: f64,
    /// Of which usable (cooling or space may run out first).
    pub usable_mw: f64,
    /// Months from decision to service.
    pub lead_time_months: u32,
    /// Fraction of servers lost each year when they fail in place (0 = repaired).
    pub fail_in_place_annual_fraction: f64,
}

impl Module {
    /// Usable capacity at `age_months` after it entered service.
    pub fn usable_at(&self, age_months: u32) -> f64 {
        self.usable_mw * (1.0 - self.fail_in_place_annual_fraction).powf(f64::from(age_months) / 12.0)
    }
}

/// Money and carbon of one site per MW, from the facility and cost models.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteEconomics {
    /// Site name.
    pub name: String,
    /// Most critical power it holds.
    pub max_mw: f64,
    /// Built before month 0.
    pub initial_mw: f64,
    /// Capital of one module.
    pub module_capex_usd: f64,
    /// Facility payment and facility maintenance per built MW-month.
    pub facility_usd_per_mw_month: f64,
    /// Servers, network, staff and IT maintenance per served MW-month.
    pub it_usd_per_mw_month: f64,
    /// Energy per served MW-month.
    pub energy_usd_per_mw_month: f64,
    /// Operational carbon per served MW-month.
    pub carbon_t_per_mw_month: f64,
    /// Annual PUE of a module there.
    pub pue: f64,
    /// Mean IT draw over critical power.
    pub draw_fraction: f64,
}

impl SiteEconomics {
    /// Fully burdened cost of a kW of served capacity a month: facility, energy and IT.
    pub fn burdened_usd_per_kw_month(&self) -> f64 {
        (self.facility_usd_per_mw_month + self.energy_usd_per_mw_month + self.it_usd_per_mw_month) / 1_000.0
    }
}

/// How builds are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteChoice {
    /// Lowest fully burdened cost per kW.
    Cheapest,
    /// Lowest carbon per MW-month.
    Greenest,
    /// The sites' order.
    InOrder,
}

/// One build in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Build {
    /// Site index.
    pub site: usize,
    /// Month the decision is taken and money committed.
    pub start_month: u32,
    /// Month it serves load.
    pub complete_month: u32,
    /// Why.
    pub reason: String,
}

/// The order in which `choice` prefers sites.
pub fn site_order(sites: &[SiteEconomics], choice: SiteChoice) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sites.len()).collect();
    match choice {
        SiteChoice::Cheapest => order.sort_by(|&a, &b| {
            sites[a]
                .burdened_usd_per_kw_month()
                .total_cmp(&sites[b].burdened_usd_per_kw_month())
                .then(a.cmp(&b))
        }),
        SiteChoice::Greenest => order.sort_by(|&a, &b| {
            sites[a].carbon_t_per_mw_month.total_cmp(&sites[b].carbon_t_per_mw_month).then(a.cmp(&b))
        }),
        SiteChoice::InOrder => {}
    }
    order
}

/// Usable capacity at `month` from initial capacity and completed builds.
pub fn usable_capacity(sites: &[SiteEconomics], builds: &[Build], module: &Module, month: u32) -> f64 {
    sites.iter().map(|s| s.initial_mw).sum::<f64>()
        + builds
            .iter()
            .filter(|b| b.complete_month <= month)
            .map(|b| module.usable_at(month - b.complete_month))
            .sum::<f64>()
}

/// Plan builds so the forecast one lead time ahead stays below `threshold`
/// of usable capacity. Returns the builds and any month the sites ran out of room.
pub fn plan_threshold(
    forecast: &[f64],
    sites: &[SiteEconomics],
    module: &Module,
    choice: SiteChoice,
    threshold: f64,
) -> (Vec<Build>, Option<u32>) {
    let order = site_order(sites, choice);
    let mut builds: Vec<Build> = Vec::new();
    let mut built_mw: Vec<f64> = sites.iter().map(|s| s.initial_mw).collect();
    let horizon = forecast.len() as u32;
    let lead = module.lead_time_months;
    let mut out_of_room = None;
    for t in 0..horizon {
        let target_month = (t + lead).min(horizon - 1);
        let target_mw = forecast[target_month as usize];
        while target_mw > threshold * usable_capacity(sites, &builds, module, t + lead) {
            let Some(&site) = order.iter().find(|&&i| built_mw[i] + module.size_mw <= sites[i].max_mw + 1e-9)
            else {
                out_of_room.get_or_insert(t);
                break;
            };
            built_mw[site] += module.size_mw;
            builds.push(Build {
                site,
                start_month: t,
                complete_month: t + lead,
                reason: format!(
                    "forecast {target_mw:.1} MW in month {target_month} above {:.0}% of capacity; {} is the {} site with room",
                    threshold * 100.0,
                    sites[site].name,
                    match choice {
                        SiteChoice::Cheapest => "cheapest",
                        SiteChoice::Greenest => "greenest",
                        SiteChoice::InOrder => "first",
                    }
                ),
            });
        }
    }
    (builds, out_of_room)
}

/// What one demand sample produced, month by month.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// Demand.
    pub demand_mw: Vec<f64>,
    /// Served.
    pub served_mw: Vec<f64>,
    /// Cost of the month (amortized capital, operations, penalty).
    pub cost_usd: Vec<f64>,
    /// Capital committed in the month (cash).
    pub capex_usd: Vec<f64>,
    /// Operational carbon of the month.
    pub carbon_t: Vec<f64>,
    /// Served MW per site, at the last month.
    pub served_by_site_mw: Vec<f64>,
}

/// Money settings of the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanFinance {
    /// Nominal annual cost of money.
    pub cost_of_money_annual: f64,
    /// Penalty per MW-month not served.
    pub unserved_penalty_usd_per_mw_month: f64,
}

/// Serve one demand path with a plan.
pub fn serve(
    demand_mw: &[f64],
    sites: &[SiteEconomics],
    builds: &[Build],
    module: &Module,
    finance: PlanFinance,
) -> Outcome {
    // Load goes to the sites cheapest to run first.
    let mut run_order: Vec<usize> = (0..sites.len()).collect();
    run_order.sort_by(|&a, &b| {
        sites[a].energy_usd_per_mw_month.total_cmp(&sites[b].energy_usd_per_mw_month).then(a.cmp(&b))
    });
    let mut out = Outcome::default();
    let mut site_usable = vec![0.0; sites.len()];
    let mut site_built = vec![0.0; sites.len()];
    for (t, &demand) in demand_mw.iter().enumerate() {
        let t = t as u32;
        for (i, s) in sites.iter().enumerate() {
            site_usable[i] = s.initial_mw;
            site_built[i] = s.initial_mw;
        }
        let mut capex = 0.0;
        for b in builds {
            if b.complete_month <= t {
                site_usable[b.site] += module.usable_at(t - b.complete_month);
                site_built[b.site] += module.size_mw;
            }
            if b.start_month == t {
                capex += sites[b.site].module_capex_usd;
            }
        }
        let mut left = demand;
        let mut cost = 0.0;
        let mut carbon = 0.0;
        let mut served = 0.0;
        out.served_by_site_mw = vec![0.0; sites.len()];
        for &i in &run_order {
            let take = left.min(site_usable[i]).max(0.0);
            left -= take;
            served += take;
            out.served_by_site_mw[i] = take;
            let s = &sites[i];
            cost += take * (s.it_usd_per_mw_month + s.energy_usd_per_mw_month);
            carbon += take * s.carbon_t_per_mw_month;
        }
        for (i, s) in sites.iter().enumerate() {
            cost += site_built[i] * s.facility_usd_per_mw_month;
        }
        cost += left.max(0.0) * finance.unserved_penalty_usd_per_mw_month;
        out.demand_mw.push(demand);
        out.served_mw.push(served);
        out.cost_usd.push(cost);
        out.capex_usd.push(capex);
        out.carbon_t.push(carbon);
    }
    out
}

/// Net present value of a monthly cost stream (payments at month end).
pub fn npv_usd(monthly_usd: &[f64], cost_of_money_annual: f64) -> f64 {
    let r = cost_of_money_annual / 12.0;
    monthly_usd.iter().enumerate().map(|(t, c)| c / (1.0 + r).powi(t as i32 + 1)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str, facility: f64, energy: f64, max_mw: f64) -> SiteEconomics {
        SiteEconomics {
            name: name.into(),
            max_mw,
            initial_mw: 0.0,
            module_capex_usd: 1.0e7,
            facility_usd_per_mw_month: facility,
            it_usd_per_mw_month: 100.0,
            energy_usd_per_mw_month: energy,
            carbon_t_per_mw_month: energy / 10.0,
            pue: 1.2,
            draw_fraction: 0.8,
        }
    }

    fn module(lead: u32) -> Module {
        Module { size_mw: 10.0, usable_mw: 10.0, lead_time_months: lead, fail_in_place_annual_fraction: 0.0 }
    }

    #[test]
    fn curves_hit_their_ends() {
        let h = 121;
        for c in [
            DemandCurve::Linear { start_mw: 20.0, end_mw: 200.0 },
            DemandCurve::Exponential { start_mw: 20.0, end_mw: 200.0 },
        ] {
            assert!((c.median_mw(0, h) - 20.0).abs() < 1e-9 && (c.median_mw(120, h) - 200.0).abs() < 1e-9);
        }
        let e = DemandCurve::Exponential { start_mw: 20.0, end_mw: 200.0 };
        assert!((e.median_mw(60, h) - (20.0f64 * 200.0).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn forecast_percentiles_spread_with_time() {
        let d = Demand {
            curve: DemandCurve::Linear { start_mw: 10.0, end_mw: 10.0 },
            noise_sigma_annual: 0.2,
            horizon_months: 25,
        };
        let p50 = d.forecast(50.0);
        let p90 = d.forecast(90.0);
        assert!((p50[24] - 10.0).abs() < 1e-9);
        // z(0.9) = 1.2816; after two years σ√2.
        assert!((p90[24] / 10.0 - (1.281_551_6 * 0.2 * 2f64.sqrt()).exp()).abs() < 1e-6);
    }

    #[test]
    fn threshold_builds_at_the_cheapest_site_with_room() {
        let sites = vec![site("dear", 500.0, 900.0, 100.0), site("cheap", 300.0, 600.0, 10.0)];
        let forecast = vec![15.0; 12];
        let (builds, out) = plan_threshold(&forecast, &sites, &module(0), SiteChoice::Cheapest, 1.0);
        assert_eq!(out, None);
        // 15 MW needs two modules: the cheap site holds one, the dear site the other.
        assert_eq!(builds.iter().map(|b| b.site).collect::<Vec<_>>(), vec![1, 0]);
        assert!(builds.iter().all(|b| b.start_month == 0 && b.complete_month == 0));
    }

    #[test]
    fn longer_leads_complete_no_earlier() {
        let sites = vec![site("a", 300.0, 600.0, 1_000.0)];
        let forecast: Vec<f64> = (0..60).map(|t| 5.0 + t as f64).collect();
        let capacity = |lead| {
            let (b, _) = plan_threshold(&forecast, &sites, &module(lead), SiteChoice::Cheapest, 0.9);
            (0..60).map(|t| usable_capacity(&sites, &b, &module(lead), t)).collect::<Vec<f64>>()
        };
        let (short, long) = (capacity(3), capacity(12));
        assert!(short.iter().zip(&long).all(|(s, l)| s >= l));
    }

    #[test]
    fn constant_cost_npv_is_the_annuity() {
        let stream = vec![1_000.0; 120];
        let r: f64 = 0.05 / 12.0;
        let annuity = 1_000.0 * (1.0 - (1.0 + r).powi(-120)) / r;
        assert!((npv_usd(&stream, 0.05) - annuity).abs() < 1e-6);
    }

    #[test]
    fn unserved_demand_pays_the_penalty() {
        let sites = vec![site("a", 0.0, 0.0, 10.0)];
        let finance = PlanFinance { cost_of_money_annual: 0.05, unserved_penalty_usd_per_mw_month: 7.0 };
        let o = serve(
            &[15.0],
            &sites,
            &[Build { site: 0, start_month: 0, complete_month: 0, reason: String::new() }],
            &module(0),
            finance,
        );
        assert_eq!(o.served_mw, vec![10.0]);
        assert!((o.cost_usd[0] - (10.0 * 100.0 + 5.0 * 7.0)).abs() < 1e-9);
        assert_eq!(o.capex_usd, vec![1.0e7]);
    }

    #[test]
    fn fail_in_place_capacity_decays() {
        let m = Module { fail_in_place_annual_fraction: 0.1, ..module(0) };
        assert!((m.usable_at(24) - 10.0 * 0.81).abs() < 1e-9);
    }
}
