//! The engine: turns a validated [`Scenario`] into [`Results`].
//!
//! ```
//! // Hamilton's 2010 cost model: cost lines and unit costs, no file read.
//! let scenario = plenum_scenario::embedded::load("hamilton-2010").unwrap();
//! let results = plenum_engine::run(&scenario, &plenum_engine::Inputs::default()).unwrap();
//! let summary = results.summary();
//! assert!(summary.cost.per_server_month_usd > 0.0);
//! assert_eq!(summary.cost.monthly_usd.total(), results.cost.monthly_usd.total());
//! ```
//!
//! It wires the scenario to the pure models of `plenum-models` and does no I/O.
//! [`run`] evaluates one scenario; [`sensitivity()`] moves every numeric input and
//! ranks the effects; [`compare_skus`] sets server SKUs side by side;
//! [`reliability`] runs the Monte Carlo study of a scenario's `[reliability]`;
//! [`limits`] estimates a run's size before it starts and checks it against caps;
//! [`control`] lets a caller stop a long computation and follow its progress;
//! [`summary`] is the JSON summary of a run, as one typed tree.

pub mod calibration;
pub mod capacity;
pub mod carbon_aware;
pub mod carbon_market;
pub mod control;
pub mod facility;
pub mod json_forms;
pub mod limits;
pub mod plan;
pub mod reliability;
pub mod results;
pub mod sensitivity;
pub mod skus;
pub mod summary;
pub mod tables;
pub mod training;
pub mod warnings;
pub mod workload;

pub use control::{CancelToken, Control, Interrupted, ProgressHook};
pub use facility::{FacilityError, FacilitySummary, Inputs, ReplayHourly};
pub use results::*;
pub use sensitivity::{Progress, SensitivityRow, sensitivity, sensitivity_with_progress};
pub use skus::{SkuComparison, compare_skus};
pub use summary::Summary;
pub use tables::{ColumnValues, DataColumn, DataTable};
pub use warnings::Warning;

use plenum_models::finance::{self, CapitalItem, StaticCostInputs};
use plenum_models::network::size_leaf_spine;
use plenum_models::units::{HOURS_PER_MONTH, MONTHS_PER_YEAR, W_PER_KW};
use plenum_scenario::{Network, People, Scenario};

/// Evaluate a scenario: the cost model, and the simulated year when the
/// scenario has `[cooling]`. `inputs` carries data read from files
/// (`plenum_io::load_inputs`); scenarios using only built-in climates and
/// grids run with `Inputs::default()`.
pub fn run(scenario: &Scenario, inputs: &Inputs) -> Result<Results, FacilityError> {
    run_controlled(scenario, inputs, &Control::default())
}

/// [`run`] under `control`: the simulated year and the reliability study
/// report their progress and stop when its token is cancelled
/// ([`FacilityError::Interrupted`]); without a cancel the results are
/// bit-identical to [`run`]'s.
pub fn run_controlled(
    scenario: &Scenario,
    inputs: &Inputs,
    control: &Control<'_>,
) -> Result<Results, FacilityError> {
    let facility = facility::simulate_controlled(scenario, inputs, control)?;
    run_with_year(scenario, facility, control)
}

/// [`run_controlled`] with the simulated year already computed: `facility`
/// is what [`facility::simulate`] returns for this scenario and its inputs
/// (a sensitivity reuses the base run's year for a variant that moves
/// nothing the year reads, [`facility::same_year`]); the results are then
/// bit-identical to [`run_controlled`]'s.
pub fn run_with_year(
    scenario: &Scenario,
    facility: Option<(FacilitySummary, DataTable)>,
    control: &Control<'_>,
) -> Result<Results, FacilityError> {
    let servers = scenario.server_count();
    let network = network_summary(scenario);
    let mut cost_inputs = static_cost_inputs(scenario, &network);
    if let Some((year, _)) = &facility {
        cost_inputs.energy_monthly_usd = year.energy.cost_usd / MONTHS_PER_YEAR;
    }
    let mut monthly = finance::monthly_costs(&cost_inputs);
    // Liquid cooling's capital sits beside the facility's, amortized over its years.
    let liquid_capex_usd =
        facility.as_ref().and_then(|(year, _)| year.cooling.liquid.as_ref()).map(|l| l.capex_usd);
    if let Some(capex_usd) = liquid_capex_usd {
        monthly.power_distribution_cooling +=
            CapitalItem { capex_usd, years: scenario.finance.facility_amortization_years }
                .monthly_usd(scenario.finance.cost_of_money_annual);
    }
    let total = monthly.total();
    let it_nameplate_kw: f64 =
        scenario.servers.iter().map(|s| s.count as f64 * s.peak_power_w / W_PER_KW).sum::<f64>()
            + network.power_kw;
    let vcpus = scenario.vcpu_count();
    // The price floor's utilization: the simulated year's mean where there is
    // one (profile, spreads and clamping included), else the scenario's figure.
    let simulated_utilization = facility.as_ref().map(|(year, _)| year.mean_utilization).filter(|u| *u > 0.0);
    let (mean_cpu_utilization, utilization_source) =
        match (simulated_utilization, scenario.mean_cpu_utilization) {
            (Some(u), _) => (Some(u), Some("simulated year")),
            (None, Some(u)) => (Some(u), Some("utilization.mean_cpu_fraction")),
            (None, None) => (None, None),
        };
    let per_vcpu_hour_usd =
        mean_cpu_utilization.map(|u| finance::cost_per_vcpu_hour_usd(total, vcpus as f64, u));
    let accelerators = accelerator_summary(scenario, it_nameplate_kw);
    // A GPU-hour's price floor: the same division as the vCPU's, over accelerators.
    let per_gpu_hour_assumed_utilization = mean_cpu_utilization.filter(|_| accelerators.is_some());
    let per_gpu_hour_usd = accelerators
        .as_ref()
        .zip(per_gpu_hour_assumed_utilization)
        .map(|(a, u)| finance::cost_per_vcpu_hour_usd(total, a.count as f64, u));
    let pue = facility.as_ref().map_or(scenario.energy.pue, |(year, _)| year.pue.annual);
    let (summary, tables) = match facility {
        Some((year, table)) => (Some(year), vec![table]),
        None => (None, Vec::new()),
    };
    let server_capex_usd: f64 = scenario.servers.iter().map(|s| s.count as f64 * s.price_usd).sum();
    let prices = reliability::ServicePrices {
        server_hour_usd: total / servers as f64 / HOURS_PER_MONTH,
        server_price_usd: server_capex_usd / servers as f64,
    };
    let (reliability, reliability_tables) = scenario
        .reliability
        .as_ref()
        .map(|r| reliability::run_controlled(r, scenario.seed, prices, control))
        .transpose()?
        .unzip();
    let mut tables = tables;
    let carbon_market = match (&scenario.carbon_market, tables.first_mut()) {
        (Some(contracts), Some(hourly)) => carbon_market::account_year(contracts, hourly),
        _ => None,
    };
    tables.extend(reliability_tables.unwrap_or_default());
    let training = scenario
        .training
        .as_ref()
        .map(|t| {
            let prices = training::TrainingPrices {
                total_monthly_usd: total,
                price_usd_per_kwh: scenario.energy.price_usd_per_kwh,
            };
            let chain = scenario.physics.as_ref().map(|p| &p.power_chain);
            training::run_controlled(t, scenario.seed, chain, prices, control)
        })
        .transpose()?;
    let (training, power_dynamics) = match training {
        Some(t) => {
            tables.push(t.waveform);
            (Some(t.training), Some(t.power_dynamics))
        }
        None => (None, None),
    };
    let mut results = Results {
        scenario: ScenarioInfo {
            name: scenario.name.clone(),
            seed: scenario.seed,
            servers,
            vcpus,
            critical_power_kw: scenario.facility.critical_power_kw,
        },
        cost: CostSummary {
            monthly_usd: monthly,
            share: monthly.shares(),
            total_monthly_usd: total,
            per_server_month_usd: total / servers as f64,
            per_server_hour_usd: total / servers as f64 / HOURS_PER_MONTH,
            per_critical_kw_month_usd: total / scenario.facility.critical_power_kw,
            fully_burdened_power_monthly_usd: monthly.fully_burdened_power(),
            // A share of nothing is zero, as in `CostLines::shares` (not 0/0).
            fully_burdened_power_share: if total > 0.0 {
                monthly.fully_burdened_power() / total
            } else {
                0.0
            },
            mean_cpu_utilization,
            mean_cpu_utilization_source: utilization_source.map(str::to_string),
            per_vcpu_hour_usd,
            per_gpu_hour_usd,
            per_gpu_hour_assumed_utilization,
            capex_usd: Capex {
                servers: scenario.servers.iter().map(|s| s.count as f64 * s.price_usd).sum(),
                networking: network.capex_usd,
                facility: scenario.facility.capex_usd,
                liquid_cooling: liquid_capex_usd,
            },
        },
        it: ItSummary {
            nameplate_kw: it_nameplate_kw,
            nameplate_over_critical: it_nameplate_kw / scenario.facility.critical_power_kw,
            accelerators,
        },
        network,
        skus: compare_skus(scenario, pue),
        facility: summary,
        workload: None,
        reliability,
        carbon_aware: None,
        carbon_market,
        training,
        power_dynamics,
        tables,
        warnings: Vec::new(),
    };
    results.warnings = warnings::design_warnings(scenario, &results);
    Ok(results)
}

/// The fleet's accelerators at nameplate; None when no SKU has any.
fn accelerator_summary(scenario: &Scenario, it_nameplate_kw: f64) -> Option<AcceleratorSummary> {
    let with: Vec<_> =
        scenario.servers.iter().filter_map(|s| s.accelerators.map(|a| (s.count as f64, a))).collect();
    if with.is_empty() {
        return None;
    }
    let sum = |f: &dyn Fn(f64, &plenum_models::accelerators::AcceleratorServer) -> f64| {
        with.iter().map(|(n, a)| f(*n, a)).sum::<f64>()
    };
    let tdp_total_kw = sum(&|n, a| n * a.tdp_total_w()) / W_PER_KW;
    Some(AcceleratorSummary {
        count: scenario.accelerator_count(),
        servers: with.iter().map(|(n, _)| *n as u64).sum(),
        tdp_total_kw,
        idle_total_kw: sum(&|n, a| n * a.accelerators as f64 * a.accelerator_idle_w) / W_PER_KW,
        servers_nameplate_kw: sum(&|n, a| n * a.peak_w()) / W_PER_KW,
        tdp_share_of_nameplate: if it_nameplate_kw > 0.0 { tdp_total_kw / it_nameplate_kw } else { 0.0 },
    })
}

fn network_summary(scenario: &Scenario) -> NetworkSummary {
    match &scenario.network {
        Network::None => NetworkSummary::default(),
        Network::Capex { capex_usd, power_kw } => {
            NetworkSummary { capex_usd: *capex_usd, power_kw: *power_kw, sizing: None }
        }
        Network::LeafSpine(design) => {
            let sizing = size_leaf_spine(scenario.server_count(), design);
            NetworkSummary { capex_usd: sizing.capex_usd, power_kw: sizing.power_kw, sizing: Some(sizing) }
        }
    }
}

/// The static cost model's inputs for a scenario.
fn static_cost_inputs(scenario: &Scenario, network: &NetworkSummary) -> StaticCostInputs {
    let f = &scenario.finance;
    let people_monthly_usd = match scenario.people {
        People::None => 0.0,
        People::Monthly { cost_usd } => cost_usd,
        People::PerServers { servers_per_admin, admin_annual_cost_usd } => {
            // Whole administrators: a fleet of 1,001 servers at 1,000 each needs two.
            (scenario.server_count() as f64 / servers_per_admin).ceil() * admin_annual_cost_usd
                / MONTHS_PER_YEAR
        }
    };
    StaticCostInputs {
        cost_of_money_annual: f.cost_of_money_annual,
        servers: scenario
            .servers
            .iter()
            .map(|s| CapitalItem {
                capex_usd: s.count as f64 * s.price_usd,
                years: f.server_amortization_years,
            })
            .collect(),
        networking: CapitalItem { capex_usd: network.capex_usd, years: f.network_amortization_years },
        facility: CapitalItem {
            capex_usd: scenario.facility.capex_usd,
            years: f.facility_amortization_years,
        },
        power_cooling_share: scenario.facility.power_cooling_share,
        energy_monthly_usd: finance::static_energy_monthly_usd(
            scenario.facility.critical_power_kw,
            scenario.energy.average_load_fraction,
            scenario.energy.pue,
            scenario.energy.price_usd_per_kwh,
        ),
        people_monthly_usd,
        facility_maintenance_annual_fraction: scenario.maintenance.facility_annual_fraction,
        it_maintenance_annual_fraction: scenario.maintenance.it_annual_fraction,
    }
}
