//! The facility year: IT power from utilization, losses along the power chain,
//! cooling from the weather, other loads, energy cost and carbon, hour by hour
//! for 8,760 hours.
//!
//! Each hour is independent of the others (the model has no thermal storage),
//! so hours run in parallel; results are collected in hour order and reduced in
//! that order, so totals are identical on any number of threads.
//!
//! Per hour: every server's utilization is the fleet's (from the profile) moved
//! by a rack offset and a server offset (uniform, from a counter-based hash of
//! the seed, the rack or server and the hour), its wall power from its SKU's
//! curve (DC power through its PSU when the SKU has one); racks add their
//! top-of-rack switches; power then flows up through rack-level, PDU-level and
//! site-level stages (see `plenum_models::power_chain`). Heat is IT power plus
//! the losses of stages that do not feed the cooling plant; the plant removes
//! it; cooling and other loads join the IT path above the UPS and flow up
//! through the remaining stages to the utility.
//!
//! With a workload replay (`Inputs::replay_hourly`), the servers' IT power each
//! hour is the replay's, shared by racks in proportion to their nameplate; the
//! power chain, cooling and carbon then follow on the same hourly clock.
//!
//! PSU losses are part of IT power, as PUE counts it (The Green Grid, "PUE: A
//! Comprehensive Examination of the Metric", WP#49, 2012: IT power is measured
//! at the IT equipment's input); they are reported separately too.
//!
//! One file per concern: [`inputs`] (data read from files), [`replay`] (a
//! workload replay's series resampled into hours), `fleet` (racks of servers
//! and their power curves), `design` (the power chain and cooling plant sized
//! for the fleet), `hours` (the hourly simulation), [`summary`] (what the
//! year reports) and `summarize` (reducing the hours to it), `table` (the
//! hourly table), `liquid` (the liquid plant beside the air plant, and water),
//! `same_year` (whether two scenarios simulate the same year). This file runs
//! the year from them.

mod design;
mod fleet;
mod hours;
pub mod inputs;
mod liquid;
pub mod replay;
mod same_year;
mod summarize;
pub mod summary;
mod table;

pub use inputs::Inputs;
pub use replay::ReplayHourly;
pub use same_year::{same_servers_power, same_year};
pub use summarize::neumaier;
pub use summary::{
    CarbonSummary, CoolingSummary, EnergySummary, FacilitySummary, LiquidSummary, OversubscriptionSummary,
    PueSummary, StageSummary, WaterSummary,
};

use crate::control::{Control, Interrupted};
use crate::tables::DataTable;
use design::design;
use fleet::build_fleet;
use hours::{Context, ServersDraw, utilization_series};
pub use hours::{NORMAL_MIN_RUN_SERVERS, ServersPower};
use plenum_kernel::stream_seed;
use plenum_models::carbon;
use plenum_models::weather::{self, HOURS_PER_YEAR};
use plenum_scenario::raw::SpreadMethod;
use plenum_scenario::{CarbonSource, Scenario, WeatherSource};
use rayon::prelude::*;
use summarize::summarize;
use table::hourly_table;

/// Why a year could not be simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FacilityError {
    /// The scenario names a data file that was not loaded into [`Inputs`].
    #[error("{0} was not loaded: read the scenario's data files first (plenum_io::load_inputs)")]
    MissingInput(&'static str),
    /// The caller cancelled the run ([`crate::control::CancelToken`]).
    #[error("{0}")]
    Interrupted(#[from] crate::control::Interrupted),
}

/// How the scenario's servers draw power hour by hour: the fleet and the
/// spread's seeds and widths.
fn servers_draw<'a>(scenario: &Scenario, fleet: &'a fleet::Fleet) -> ServersDraw<'a> {
    ServersDraw {
        fleet,
        server_seed: stream_seed(scenario.seed, "utilization/server", 0),
        rack_seed: stream_seed(scenario.seed, "utilization/rack", 0),
        server_spread: scenario.utilization.server_spread,
        run_sum_seed: (scenario.utilization.server_spread_method == SpreadMethod::Normal)
            .then(|| stream_seed(scenario.seed, "utilization/server-run-sum", 0)),
        rack_spread: scenario.utilization.rack_spread,
    }
}

/// The servers' power of every rack and hour of the scenario's year, for
/// [`Inputs::servers_power`]: `None` without `[cooling]` or with a workload
/// replay (whose hours are read as they are).
pub fn servers_power(scenario: &Scenario, inputs: &Inputs) -> Result<Option<ServersPower>, FacilityError> {
    let Some(physics) = &scenario.physics else { return Ok(None) };
    if inputs.replay_hourly.is_some() {
        return Ok(None);
    }
    let utilization = utilization_series(scenario, inputs)?;
    let fleet = build_fleet(scenario, physics);
    Ok(Some(servers_draw(scenario, &fleet).year(&utilization)))
}

/// Simulate the scenario's year; `None` when the scenario has no `[cooling]`.
pub fn simulate(
    scenario: &Scenario,
    inputs: &Inputs,
) -> Result<Option<(FacilitySummary, DataTable)>, FacilityError> {
    simulate_controlled(scenario, inputs, &Control::default())
}

/// [`simulate`] under `control`: the year's hours are reported as their
/// chunks finish, and a cancelled token stops it between chunks.
pub fn simulate_controlled(
    scenario: &Scenario,
    inputs: &Inputs,
    control: &Control<'_>,
) -> Result<Option<(FacilitySummary, DataTable)>, FacilityError> {
    let Some(physics) = &scenario.physics else { return Ok(None) };
    let weather = match &physics.weather {
        WeatherSource::Builtin(site) => weather::builtin_year(site),
        WeatherSource::Epw(_) => {
            inputs.weather.clone().ok_or(FacilityError::MissingInput("the EPW weather file"))?
        }
    };
    let wet_bulb_c = weather.wet_bulb_c();
    let utc_offset_hours = match (&physics.weather, inputs.weather_utc_offset_hours) {
        (WeatherSource::Epw(_), Some(offset)) => offset,
        _ => physics.utc_offset_hours,
    };
    let (intensity, carbon_source, filled_hours) = match &physics.carbon {
        CarbonSource::Builtin(grid) => (
            carbon::hourly_from_profile(grid),
            format!("built-in profile {} ({}; {})", grid.key, grid.name, grid.source),
            0,
        ),
        CarbonSource::Csv { path, .. } => {
            let utc =
                inputs.carbon_g_per_kwh_utc.as_ref().ok_or(FacilityError::MissingInput("the carbon CSV"))?;
            let n = utc.len() as i64;
            let local =
                (0..n).map(|h| utc[(h - i64::from(utc_offset_hours)).rem_euclid(n) as usize]).collect();
            (local, format!("hourly CSV {}", path.display()), inputs.carbon_filled_hours)
        }
    };
    let utilization = utilization_series(scenario, inputs)?;
    let fleet = build_fleet(scenario, physics);
    let critical_kw = scenario.facility.critical_power_kw;
    let other_kw = physics.other_loads_fraction * critical_kw;
    let (stages, plant, liquid) = design(scenario, physics, fleet.shape(), &weather, &wet_bulb_c);
    let context = Context {
        fleet: &fleet,
        stages: &stages,
        plant: &plant,
        liquid: liquid.as_ref(),
        utilization: &utilization,
        dry_bulb_c: &weather.dry_bulb_c,
        wet_bulb_c: &wet_bulb_c,
        dew_point_c: &weather.dew_point_c,
        servers: servers_draw(scenario, &fleet),
        // Given by the caller for a scenario that draws the same ([`same_servers_power`]).
        servers_power: inputs.servers_power.as_deref().filter(|_| inputs.replay_hourly.is_none()),
        other_kw,
        replay: inputs.replay_hourly.as_ref(),
        rack_share: {
            let servers_w: Vec<f64> =
                fleet.rack_nameplate_kw.iter().map(|kw| (kw - fleet.tor_kw).max(0.0)).collect();
            let total: f64 = servers_w.iter().sum();
            servers_w.iter().map(|w| w / total.max(1e-12)).collect()
        },
    };
    const CHUNK_HOURS: usize = 73; // 120 chunks a year
    let hours_done = std::sync::atomic::AtomicU64::new(0);
    let chunks: Option<Vec<_>> = (0..HOURS_PER_YEAR)
        .step_by(CHUNK_HOURS)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            let end = (start + CHUNK_HOURS).min(HOURS_PER_YEAR);
            let chunk = (!control.is_cancelled()).then(|| context.run(start..end))?;
            let done = hours_done.fetch_add((end - start) as u64, std::sync::atomic::Ordering::Relaxed);
            control.report("year hours", done + (end - start) as u64, HOURS_PER_YEAR as u64);
            Some(chunk)
        })
        .collect();
    let chunks = chunks.ok_or(Interrupted)?;
    let mut hours = Vec::with_capacity(HOURS_PER_YEAR);
    let mut rack_peak = vec![0.0f64; fleet.racks()];
    let mut pdu_peak = vec![0.0f64; fleet.pdus()];
    let mut stage_peak: Vec<Vec<f64>> = stages.iter().map(|s| vec![0.0; s.instances]).collect();
    for (h, r, p, s) in chunks {
        hours.extend(h);
        rack_peak.iter_mut().zip(r).for_each(|(a, b)| *a = a.max(b));
        pdu_peak.iter_mut().zip(p).for_each(|(a, b)| *a = a.max(b));
        for (a, b) in stage_peak.iter_mut().zip(s) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x = x.max(y));
        }
    }
    let prices: Vec<f64> = (0..HOURS_PER_YEAR)
        .map(|h| {
            scenario.energy.price_usd_per_kwh_by_hour.map_or(scenario.energy.price_usd_per_kwh, |p| p[h % 24])
        })
        .collect();
    let embodied_t = scenario.servers.iter().map(|s| s.count as f64 * s.embodied_kgco2e).sum::<f64>()
        / 1_000.0
        / physics.server_lifetime_years
        + physics.building_embodied_t_per_mw * critical_kw / 1_000.0 / physics.building_lifetime_years;
    let summary = summarize(
        scenario,
        physics,
        &fleet,
        &stages,
        &plant,
        liquid.as_ref(),
        &hours,
        &intensity,
        &prices,
        (rack_peak, pdu_peak, stage_peak),
        embodied_t,
        carbon_source,
        filled_hours,
        &weather,
        &wet_bulb_c,
        // A replay gives wall power only: PSU losses are then not known apart.
        scenario.servers.iter().any(|s| s.psu.is_some()) && inputs.replay_hourly.is_none(),
    );
    let table = hourly_table(&stages, liquid.as_ref(), &hours, &weather, &wet_bulb_c, &intensity, &prices);
    Ok(Some((summary, table)))
}
