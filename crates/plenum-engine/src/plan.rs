//! Capacity planning: the economics of a module at every candidate site (from
//! the facility and cost models), a build plan, and Monte Carlo demand samples
//! served by it (see `plenum_models::buildout`).
//!
//! Each site is evaluated by running the scenario scaled to one module, with the
//! site's weather, grid, price and build cost: its annual PUE, mean draw and
//! cost lines become per-MW figures. Samples run in parallel, each on its own
//! named random stream, and are reduced in sample order, so results do not
//! depend on the thread count.

use crate::control::{Control, Interrupted};
use crate::facility::neumaier;
use crate::tables::{ColumnValues, DataTable};
use crate::{FacilityError, Inputs};
use plenum_kernel::rng::standard_normal_ziggurat;
use plenum_kernel::stream;
use plenum_models::buildout::{
    self, Build, Demand, DemandCurve, Module, PlanFinance, SiteEconomics, plan_threshold, usable_capacity,
};
use plenum_models::quantile;
use plenum_models::units::HOURS_PER_MONTH;
use plenum_scenario::{BuildRule, Plan, PlanDemand, Scenario};
use rayon::prelude::*;
use serde::Serialize;

/// Data files a plan needs: a demand CSV and each site's weather and carbon.
#[derive(Debug, Clone, Default)]
pub struct PlanInputs {
    /// Monthly demand, MW, when the curve is a CSV.
    pub demand_monthly_mw: Option<Vec<f64>>,
    /// Per site, in the plan's site order.
    pub sites: Vec<Inputs>,
}

/// One site in the summary.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSiteSummary {
    /// Critical power built by the end of the horizon (initial included).
    pub built_mw: f64,
    /// Modules the plan builds there.
    pub modules: usize,
    /// Per-MW economics of a module there.
    pub economics: SiteEconomics,
    /// Fully burdened cost of a served kW a month.
    pub burdened_usd_per_kw_month: f64,
}

/// A build in the summary.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildRecord {
    /// Site name.
    pub site: String,
    /// Decision month.
    pub start_month: u32,
    /// Month it serves load.
    pub complete_month: u32,
    /// Critical power.
    pub size_mw: f64,
    /// Why.
    pub reason: String,
}

/// What the plan produced: means over demand samples, with spreads.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSummary {
    /// Months planned.
    pub horizon_months: u32,
    /// Demand samples.
    pub samples: u32,
    /// Mean NPV of the monthly costs (amortized capital, operations, penalties).
    pub npv_usd: f64,
    /// 5th percentile of NPV over samples.
    pub npv_usd_p5: f64,
    /// 95th percentile of NPV over samples.
    pub npv_usd_p95: f64,
    /// Mean months with demand not served.
    pub months_short: f64,
    /// 95th percentile of months short.
    pub months_short_p95: f64,
    /// Mean energy the unserved demand would have drawn.
    pub unserved_mwh: f64,
    /// Mean over months and samples of served load over usable capacity.
    pub mean_utilization: f64,
    /// Largest built capacity that cooling or space leaves unusable.
    pub stranded_mw_peak: f64,
    /// Mean cost per MW-month served.
    pub cost_per_mw_month_usd: f64,
    /// Capital committed over the horizon.
    pub capex_usd: f64,
    /// Mean operational carbon over the horizon.
    pub carbon_t: f64,
    /// First month no site had room for a needed module, if any.
    pub out_of_room_month: Option<u32>,
    /// Sites, in the scenario's order.
    pub sites: crate::json_forms::Named<PlanSiteSummary>,
    /// The builds, in order.
    pub builds: Vec<BuildRecord>,
}

/// The scenario scaled to one module at each candidate site (utilization
/// spread off: site economics need the fleet's mean, not its diversity).
pub fn site_scenarios(scenario: &Scenario, plan: &Plan) -> Vec<Scenario> {
    let module_kw = plan.module_size_mw * 1_000.0;
    let scale = module_kw / scenario.facility.critical_power_kw;
    plan.sites
        .iter()
        .map(|site| {
            let mut s = scenario.clone();
            s.plan = None;
            let per_w = site
                .cost_usd_per_critical_w
                .unwrap_or(scenario.facility.capex_usd / (scenario.facility.critical_power_kw * 1_000.0));
            s.facility.critical_power_kw = module_kw;
            s.facility.capex_usd = per_w * module_kw * 1_000.0;
            for sku in &mut s.servers {
                sku.count = ((sku.count as f64 * scale).round() as u64).max(1);
            }
            if let plenum_scenario::Network::Capex { capex_usd, power_kw } = &mut s.network {
                *capex_usd *= scale;
                *power_kw *= scale;
            }
            if let Some(price) = site.price_usd_per_kwh {
                s.energy.price_usd_per_kwh = price;
            }
            s.utilization.server_spread = 0.0;
            s.utilization.rack_spread = 0.0;
            if let Some(physics) = &mut s.physics {
                if let Some(w) = &site.weather {
                    physics.weather = w.clone();
                }
                if let Some(c) = &site.carbon {
                    physics.carbon = c.clone();
                }
                if let Some(offset) = site.utc_offset_hours {
                    physics.utc_offset_hours = offset;
                }
                if let Some(chain) = &plan.module_power_chain {
                    physics.power_chain.stages = chain.clone();
                }
                if let Some(plant) = &plan.module_cooling {
                    physics.cooling = plant.clone();
                }
            }
            s
        })
        .collect()
}

fn economics(
    scenario: &Scenario,
    plan: &Plan,
    site: usize,
    site_scenario: &Scenario,
    inputs: &Inputs,
    control: &Control<'_>,
) -> Result<SiteEconomics, FacilityError> {
    let r = crate::run_controlled(site_scenario, inputs, &control.cancel_only())?;
    let mw = plan.module_size_mw;
    let m = &r.cost.monthly_usd;
    let facility_maintenance =
        site_scenario.facility.capex_usd * site_scenario.maintenance.facility_annual_fraction / 12.0;
    let (pue, draw_fraction, carbon_t_month) = match &r.facility {
        Some(f) => (
            f.pue.annual,
            f.energy.mean_it_kw / site_scenario.facility.critical_power_kw,
            f.carbon.operational_t / 12.0,
        ),
        None => (scenario.energy.pue, scenario.energy.average_load_fraction, 0.0),
    };
    let p = &plan.sites[site];
    Ok(SiteEconomics {
        name: p.name.clone(),
        max_mw: p.max_mw,
        initial_mw: p.initial_mw,
        module_capex_usd: site_scenario.facility.capex_usd,
        facility_usd_per_mw_month: (m.power_distribution_cooling
            + m.other_infrastructure
            + facility_maintenance)
            / mw,
        it_usd_per_mw_month: (m.servers + m.networking + m.people + m.maintenance - facility_maintenance)
            / mw,
        energy_usd_per_mw_month: m.energy / mw,
        carbon_t_per_mw_month: carbon_t_month / mw,
        pue,
        draw_fraction,
    })
}

/// Run the scenario's plan; `None` when it has no `[plan]`.
pub fn plan(
    scenario: &Scenario,
    inputs: &PlanInputs,
) -> Result<Option<(PlanSummary, Vec<DataTable>)>, FacilityError> {
    plan_controlled(scenario, inputs, &Control::default())
}

/// [`plan`] under `control`: a cancelled token stops it between sites and
/// between demand samples ([`FacilityError::Interrupted`]).
pub fn plan_controlled(
    scenario: &Scenario,
    inputs: &PlanInputs,
    control: &Control<'_>,
) -> Result<Option<(PlanSummary, Vec<DataTable>)>, FacilityError> {
    let Some(plan) = &scenario.plan else { return Ok(None) };
    let default_inputs = Inputs::default();
    let site_scenarios = site_scenarios(scenario, plan);
    let sites: Vec<SiteEconomics> = site_scenarios
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            economics(scenario, plan, i, s, inputs.sites.get(i).unwrap_or(&default_inputs), control)
        })
        .collect::<Result<_, _>>()?;
    let curve = match &plan.demand {
        PlanDemand::Curve(c) => c.clone(),
        PlanDemand::Csv { .. } => DemandCurve::Monthly(
            inputs.demand_monthly_mw.clone().ok_or(FacilityError::MissingInput("the demand CSV"))?,
        ),
    };
    let demand =
        Demand { curve, noise_sigma_annual: plan.noise_sigma_annual, horizon_months: plan.horizon_months };
    let rack_kw = site_scenarios[0].servers.iter().map(|s| s.peak_power_w).fold(0.0, f64::max) / 1_000.0
        * scenario.physics.as_ref().map_or(40.0, |p| p.power_chain.servers_per_rack as f64);
    let usable_mw = [
        Some(plan.module_size_mw),
        plan.module_cooling_mw,
        plan.module_racks.map(|r| r as f64 * rack_kw / 1_000.0),
    ]
    .into_iter()
    .flatten()
    .fold(f64::INFINITY, f64::min);
    let module = Module {
        size_mw: plan.module_size_mw,
        usable_mw,
        lead_time_months: plan.lead_time_months,
        fail_in_place_annual_fraction: plan.fail_in_place_annual_fraction,
    };
    let (forecast, (builds, out_of_room_month)) = match &plan.build {
        BuildRule::Threshold { utilization, percentile } => {
            let forecast = demand.forecast(*percentile);
            let planned = plan_threshold(&forecast, &sites, &module, plan.site_choice, *utilization);
            (forecast, planned)
        }
        BuildRule::Schedule(list) => {
            let builds = list
                .iter()
                .flat_map(|&(month, site, modules)| {
                    (0..modules).map(move |_| Build {
                        site,
                        start_month: month,
                        complete_month: month + plan.lead_time_months,
                        reason: "scheduled".into(),
                    })
                })
                .collect();
            (demand.forecast(50.0), (builds, None))
        }
    };
    let finance = PlanFinance {
        cost_of_money_annual: scenario.finance.cost_of_money_annual,
        unserved_penalty_usd_per_mw_month: plan.unserved_penalty_usd_per_mw_month,
    };
    let horizon = plan.horizon_months as usize;
    let months: Vec<u32> = (0..plan.horizon_months).collect();
    let usable: Vec<f64> = months.iter().map(|&t| usable_capacity(&sites, &builds, &module, t)).collect();
    let built: Vec<f64> = months
        .iter()
        .map(|&t| {
            sites.iter().map(|s| s.initial_mw).sum::<f64>()
                + builds.iter().filter(|b| b.complete_month <= t).count() as f64 * module.size_mw
        })
        .collect();
    let stranded: Vec<f64> = months
        .iter()
        .map(|&t| {
            builds.iter().filter(|b| b.complete_month <= t).count() as f64
                * (module.size_mw - module.usable_mw)
        })
        .collect();
    let mean_draw = sites.iter().map(|s| s.draw_fraction).sum::<f64>() / sites.len() as f64;
    let outcomes: Option<Vec<buildout::Outcome>> = (0..plan.samples)
        .into_par_iter()
        .map(|k| {
            control.check().ok()?;
            let mut rng = stream(scenario.seed, "plan/demand", u64::from(k));
            let path = demand.sample(|| standard_normal_ziggurat(&mut rng));
            Some(buildout::serve(&path, &sites, &builds, &module, finance))
        })
        .collect();
    let outcomes = outcomes.ok_or(Interrupted)?;
    let n = outcomes.len() as f64;
    let per_sample = |f: &dyn Fn(&buildout::Outcome) -> f64| -> Vec<f64> { outcomes.iter().map(f).collect() };
    let npv = per_sample(&|o| buildout::npv_usd(&o.cost_usd, finance.cost_of_money_annual));
    let short =
        per_sample(&|o| o.demand_mw.iter().zip(&o.served_mw).filter(|(d, s)| *d - *s > 1e-9).count() as f64);
    let unserved_mwh = per_sample(&|o| {
        neumaier(o.demand_mw.iter().zip(&o.served_mw).map(|(d, s)| (d - s) * mean_draw * HOURS_PER_MONTH))
    });
    let utilization = per_sample(&|o| {
        let (sum, count) = o
            .served_mw
            .iter()
            .zip(&usable)
            .filter(|(_, u)| **u > 0.0)
            .fold((0.0, 0), |(s, c), (x, u)| (s + x / u, c + 1));
        if count > 0 { sum / f64::from(count) } else { 0.0 }
    });
    let cost_total = per_sample(&|o| neumaier(o.cost_usd.iter().copied()));
    let served_total = per_sample(&|o| neumaier(o.served_mw.iter().copied()));
    let mean = |v: &[f64]| neumaier(v.iter().copied()) / n;
    let summary = PlanSummary {
        horizon_months: plan.horizon_months,
        samples: plan.samples,
        npv_usd: mean(&npv),
        npv_usd_p5: percentile(&npv, 5.0),
        npv_usd_p95: percentile(&npv, 95.0),
        months_short: mean(&short),
        months_short_p95: percentile(&short, 95.0),
        unserved_mwh: mean(&unserved_mwh),
        mean_utilization: mean(&utilization),
        stranded_mw_peak: stranded.iter().copied().fold(0.0, f64::max),
        cost_per_mw_month_usd: mean(&cost_total) / mean(&served_total).max(1e-12),
        capex_usd: outcomes.first().map_or(0.0, |o| o.capex_usd.iter().sum()),
        carbon_t: mean(&per_sample(&|o| o.carbon_t.iter().sum())),
        out_of_room_month,
        sites: sites
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let modules = builds.iter().filter(|b| b.site == i).count();
                (
                    s.name.clone(),
                    PlanSiteSummary {
                        built_mw: s.initial_mw + modules as f64 * module.size_mw,
                        modules,
                        burdened_usd_per_kw_month: s.burdened_usd_per_kw_month(),
                        economics: s.clone(),
                    },
                )
            })
            .collect(),
        builds: builds
            .iter()
            .map(|b| BuildRecord {
                site: sites[b.site].name.clone(),
                start_month: b.start_month,
                complete_month: b.complete_month,
                size_mw: module.size_mw,
                reason: b.reason.clone(),
            })
            .collect(),
    };
    let month_stat = |f: &dyn Fn(&buildout::Outcome, usize) -> f64, q: Option<f64>| -> Vec<f64> {
        (0..horizon)
            .map(|t| {
                let values: Vec<f64> = outcomes.iter().map(|o| f(o, t)).collect();
                match q {
                    Some(q) => percentile(&values, q),
                    None => neumaier(values.iter().copied()) / n,
                }
            })
            .collect()
    };
    let mut timeline = DataTable::new(
        "plan_timeline",
        "One row per month of the planning horizon; means and percentiles over demand samples.",
    )
    .with(
        "month",
        "Month from the start of the horizon",
        ColumnValues::U64(months.iter().map(|&m| u64::from(m)).collect()),
    )
    .with("forecast_mw", "Demand forecast the plan was built for, MW", ColumnValues::F64(forecast))
    .with(
        "demand_mean_mw",
        "Mean demand over samples, MW",
        ColumnValues::F64(month_stat(&|o, t| o.demand_mw[t], None)),
    )
    .with(
        "demand_p5_mw",
        "5th percentile of demand, MW",
        ColumnValues::F64(month_stat(&|o, t| o.demand_mw[t], Some(5.0))),
    )
    .with(
        "demand_p95_mw",
        "95th percentile of demand, MW",
        ColumnValues::F64(month_stat(&|o, t| o.demand_mw[t], Some(95.0))),
    )
    .with("built_mw", "Critical power built and in service, MW", ColumnValues::F64(built))
    .with(
        "usable_mw",
        "Built power that cooling, space and failed-in-place servers leave usable, MW",
        ColumnValues::F64(usable.clone()),
    )
    .with("stranded_mw", "Built power cooling or space leaves unusable, MW", ColumnValues::F64(stranded))
    .with(
        "served_mean_mw",
        "Mean demand served, MW",
        ColumnValues::F64(month_stat(&|o, t| o.served_mw[t], None)),
    )
    .with(
        "unserved_mean_mw",
        "Mean demand not served, MW",
        ColumnValues::F64(month_stat(&|o, t| o.demand_mw[t] - o.served_mw[t], None)),
    )
    .with(
        "utilization_mean",
        "Mean served load over usable capacity",
        ColumnValues::F64(month_stat(
            &|o, t| if usable[t] > 0.0 { o.served_mw[t] / usable[t] } else { 0.0 },
            None,
        )),
    )
    .with(
        "capex_usd",
        "Capital committed in the month, USD",
        ColumnValues::F64(outcomes.first().map_or(vec![0.0; horizon], |o| o.capex_usd.clone())),
    )
    .with(
        "cost_mean_usd",
        "Mean cost of the month (amortized capital, operations, penalty), USD",
        ColumnValues::F64(month_stat(&|o, t| o.cost_usd[t], None)),
    )
    .with(
        "carbon_mean_t",
        "Mean operational carbon of the month, tCO2e",
        ColumnValues::F64(month_stat(&|o, t| o.carbon_t[t], None)),
    );
    for (i, s) in sites.iter().enumerate() {
        let per_site: Vec<f64> = months
            .iter()
            .map(|&t| {
                s.initial_mw
                    + builds.iter().filter(|b| b.site == i && b.complete_month <= t).count() as f64
                        * module.size_mw
            })
            .collect();
        timeline = timeline.with(
            &format!("built_{}_mw", s.name),
            &format!("Critical power in service at {}, MW", s.name),
            ColumnValues::F64(per_site),
        );
    }
    let builds_table = DataTable::new("plan_builds", "One row per module the plan builds.")
        .with("site", "Site", ColumnValues::Text(summary.builds.iter().map(|b| b.site.clone()).collect()))
        .with(
            "start_month",
            "Month the build is decided and paid",
            ColumnValues::U64(summary.builds.iter().map(|b| u64::from(b.start_month)).collect()),
        )
        .with(
            "complete_month",
            "Month it serves load",
            ColumnValues::U64(summary.builds.iter().map(|b| u64::from(b.complete_month)).collect()),
        )
        .with(
            "size_mw",
            "Critical power, MW",
            ColumnValues::F64(summary.builds.iter().map(|b| b.size_mw).collect()),
        )
        .with(
            "reason",
            "Why the policy built it",
            ColumnValues::Text(summary.builds.iter().map(|b| b.reason.clone()).collect()),
        );
    Ok(Some((summary, vec![timeline, builds_table])))
}

/// The `q`-th percentile (0..100) of values by nearest rank ([`quantile::nearest_rank`]).
fn percentile(values: &[f64], q: f64) -> f64 {
    quantile::nearest_rank(&quantile::sorted(values), q / 100.0).expect("a plan has at least one sample")
}
