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

use crate::capacity::{Baseline, CapacityAdvice, SiteDesign};
use crate::control::{Control, Interrupted};
use crate::tables::{ColumnValues, DataTable};
use plenum_kernel::stream_seed;
use plenum_models::carbon;
use plenum_models::cooling::CoolingPlant;
use plenum_models::it_power::{TabulatedCurve, oversubscription_headroom};
use plenum_models::power_chain::Stage;
use plenum_models::units::W_PER_KW;
use plenum_models::weather::{self, HOURS_PER_YEAR, WeatherYear};
use plenum_scenario::{CarbonSource, Level, Network, Physics, Scenario, UtilizationProfile, WeatherSource};
use rayon::prelude::*;
use serde::Serialize;

/// Data read from files for a simulated year; built-in sources need none.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Weather from an EPW file.
    pub weather: Option<WeatherYear>,
    /// The EPW header's time zone.
    pub weather_utc_offset_hours: Option<i32>,
    /// Hourly carbon intensity in UTC order, from a CSV file.
    pub carbon_g_per_kwh_utc: Option<Vec<f64>>,
    /// Hours of that series that were gaps and were interpolated.
    pub carbon_filled_hours: usize,
    /// Hourly utilization from a CSV file (before rescaling to the scenario's mean).
    pub utilization_hourly: Option<Vec<f64>>,
    /// Hours of real data in that series before it repeats.
    pub utilization_real_hours: usize,
    /// Hourly fleet IT power and utilization from a workload replay: when
    /// present, servers draw this instead of what the utilization profile gives.
    pub replay_hourly: Option<ReplayHourly>,
}

/// A workload replay's fleet series, averaged into hours of the year.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayHourly {
    /// Server IT power per hour (8,760 values).
    pub it_kw: Vec<f64>,
    /// Mean utilization per hour.
    pub utilization: Vec<f64>,
    /// Hours of replay before the series repeats.
    pub real_hours: usize,
}

impl ReplayHourly {
    /// Average a replay's samples (interval ends `time_s`, interval means)
    /// into hours, then repeat the replayed hours to fill a year. Samples are
    /// weighted by the part of each hour they cover.
    pub fn from_samples(time_s: &[f64], it_kw: &[f64], utilization: &[f64]) -> Option<ReplayHourly> {
        let end_s = *time_s.last()?;
        let hours = (end_s / 3_600.0).ceil().max(1.0) as usize;
        let mut energy = vec![0.0; hours];
        let mut busy = vec![0.0; hours];
        let mut covered = vec![0.0; hours];
        let mut start = 0.0;
        for ((&end, &kw), &u) in time_s.iter().zip(it_kw).zip(utilization) {
            let mut t = start;
            while t < end {
                let h = ((t / 3_600.0) as usize).min(hours - 1);
                let next = end.min((h as f64 + 1.0) * 3_600.0);
                let span = next - t;
                energy[h] += kw * span;
                busy[h] += u * span;
                covered[h] += span;
                if next <= t {
                    break;
                }
                t = next;
            }
            start = end;
        }
        let it: Vec<f64> =
            (0..hours).map(|h| if covered[h] > 0.0 { energy[h] / covered[h] } else { 0.0 }).collect();
        let ut: Vec<f64> =
            (0..hours).map(|h| if covered[h] > 0.0 { busy[h] / covered[h] } else { 0.0 }).collect();
        Some(ReplayHourly {
            it_kw: (0..HOURS_PER_YEAR).map(|h| it[h % hours]).collect(),
            utilization: (0..HOURS_PER_YEAR).map(|h| ut[h % hours]).collect(),
            real_hours: hours.min(HOURS_PER_YEAR),
        })
    }
}

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

/// Energy over the year.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnergySummary {
    /// IT equipment at its input (servers at the wall, network).
    pub it_mwh: f64,
    /// Of which PSU losses; `None` when no SKU models its PSU (`psu`), so
    /// its losses are inside the power curve and not known apart.
    pub psu_losses_mwh: Option<f64>,
    /// Power-chain losses (transformer to rack wiring).
    pub losses_mwh: f64,
    /// Cooling plant.
    pub cooling_mwh: f64,
    /// Lighting and other building loads.
    pub other_mwh: f64,
    /// Everything drawn from the utility.
    pub facility_mwh: f64,
    /// What the energy cost over the year.
    pub cost_usd: f64,
    /// Mean IT power.
    pub mean_it_kw: f64,
    /// Mean facility power.
    pub mean_facility_kw: f64,
    /// IT energy of the trace replay, when the scenario has `[workload]`
    /// (filled by [`crate::summary::Summary::new`]; the replay does not yet
    /// drive this year's energy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay_it_mwh: Option<f64>,
}

/// Power usage effectiveness.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PueSummary {
    /// Facility energy over IT energy for the year.
    pub annual: f64,
    /// Lowest hourly PUE (over hours with IT load).
    pub min_hourly: f64,
    /// Highest hourly PUE (over hours with IT load).
    pub max_hourly: f64,
}

/// Cooling over the year.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoolingSummary {
    /// Hours with any free cooling.
    pub economizer_hours: u64,
    /// Hours with chillers off.
    pub full_economizer_hours: u64,
    /// Sum over hours of the share of heat removed free.
    pub economizer_equivalent_hours: f64,
    /// Chillers.
    pub chillers_mwh: f64,
    /// Air-handler fans.
    pub fans_mwh: f64,
    /// Pumps.
    pub pumps_mwh: f64,
    /// Tower or dry-cooler fans.
    pub towers_mwh: f64,
    /// Heat the plant is designed for.
    pub design_heat_kw: f64,
    /// Highest hourly heat removed (IT power plus indoor power-chain losses).
    pub peak_heat_kw: f64,
}

/// Carbon over the year.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarbonSummary {
    /// Facility energy × hourly grid intensity.
    pub operational_t: f64,
    /// Embodied carbon of servers and building, spread over their lifetimes (one year's share).
    pub embodied_t: f64,
    /// Operational plus embodied.
    pub total_t: f64,
    /// Energy-weighted mean grid intensity.
    pub mean_intensity_g_per_kwh: f64,
    /// Where the intensity came from.
    pub source: String,
    /// Hours of a CSV series that were gaps and were interpolated.
    pub filled_hours: usize,
}

/// One power-chain stage over the year.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageSummary {
    /// `site`, `pdu` or `rack`.
    pub level: String,
    /// Instances of the stage (1 at site level).
    pub instances: usize,
    /// Usable (N) capacity of one instance.
    pub capacity_kw: f64,
    /// Units installed per instance, counting redundancy.
    pub installed_units: f64,
    /// What every installed unit of one instance carries together (spares
    /// included): above `capacity_kw` the redundancy is used up.
    pub installed_capacity_kw: f64,
    /// Redundancy of the stage.
    pub redundancy: plenum_models::power_chain::Redundancy,
    /// Highest hourly load over capacity, across instances.
    pub peak_loading: f64,
    /// Mean over hours of the highest instance loading.
    pub mean_loading: f64,
    /// Losses over the year.
    pub losses_mwh: f64,
    /// Capacity never used: the sum over instances of capacity minus peak load.
    pub stranded_kw: f64,
}

/// Peak power against nameplate and the room it leaves (Fan, Weber, Barroso 2007).
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OversubscriptionSummary {
    /// Mean over racks of a rack's peak IT power over its nameplate.
    pub rack_peak_fraction: f64,
    /// Mean over PDUs of a PDU's peak IT power over its servers' nameplate.
    pub pdu_peak_fraction: f64,
    /// Site peak IT power over the site's nameplate.
    pub site_peak_fraction: f64,
    /// Sum of server and network nameplate power.
    pub nameplate_kw: f64,
    /// Highest hourly IT power.
    pub peak_it_kw: f64,
    /// The percentile used for headroom.
    pub percentile: f64,
    /// IT power at that percentile.
    pub percentile_it_kw: f64,
    /// The budget: the facility's critical power.
    pub budget_kw: f64,
    /// Fan et al.'s headroom against the budget alone: `1/p − 1` with p =
    /// percentile IT power over budget (the power chain and cooling not counted).
    pub budget_headroom_fraction: f64,
    /// Servers the whole chain carries at the percentile over servers
    /// installed, minus 1: what `extra_servers` adds, as a fraction (negative
    /// when the design is already over a limit; see [`crate::capacity`]).
    #[serde(deserialize_with = "crate::summary::null_as_infinity")]
    #[schemars(with = "Option<f64>")]
    pub headroom_fraction: f64,
    /// Servers like the fleet's average server that can be added with every
    /// power-chain stage, the critical-power budget and the cooling plant at or
    /// under 100% at the percentile (none when no limit binds).
    pub extra_servers: Option<u64>,
    /// The largest server count keeping every limit.
    pub max_servers: Option<u64>,
    /// The limit that goes over first above `max_servers`: a stage's name,
    /// `critical_power` or `cooling_plant` (`none` when none binds).
    pub binding_stage: String,
    /// Every limit's loading at the percentile with the servers installed, in chain order.
    pub loadings_at_percentile: crate::summary::Named<f64>,
}

/// Everything a simulated year produces besides its hourly table.
#[derive(Debug, Clone, Serialize)]
pub struct FacilitySummary {
    /// Energy.
    pub energy: EnergySummary,
    /// PUE.
    pub pue: PueSummary,
    /// Cooling.
    pub cooling: CoolingSummary,
    /// Carbon.
    pub carbon: CarbonSummary,
    /// Stages in chain order, from the utility down.
    pub power_chain: crate::summary::Named<StageSummary>,
    /// Oversubscription.
    pub oversubscription: OversubscriptionSummary,
    /// Mean utilization over the year.
    pub mean_utilization: f64,
    /// Where the weather came from.
    pub weather_source: String,
}

/// A stage placed in the site: its model and how many instances there are.
struct PlacedStage {
    stage: Stage,
    level: Level,
    instances: usize,
    feeds_mechanical: bool,
}

/// Racks of servers: which SKU each server is, rack by rack.
struct Fleet {
    /// Start of each rack's servers (servers are numbered rack by rack), plus the end.
    rack_start: Vec<usize>,
    /// Per SKU: wall power (W) tabulated over utilization.
    wall: Vec<TabulatedCurve>,
    /// Per SKU: PSU loss (W) tabulated over utilization, when it has a PSU.
    psu_loss: Vec<Option<TabulatedCurve>>,
    /// Runs of servers of one SKU: (SKU, first server, end), rack by rack.
    runs: Vec<(usize, usize, usize)>,
    /// Start of each rack's runs in `runs`, plus the end.
    rack_runs: Vec<usize>,
    /// Per rack: nameplate IT power (servers at peak and top-of-rack switches).
    rack_nameplate_kw: Vec<f64>,
    /// Top-of-rack power per rack.
    tor_kw: f64,
    /// Network power outside racks (spines, border, or a lump).
    site_network_kw: f64,
    racks_per_pdu: usize,
}

impl Fleet {
    fn racks(&self) -> usize {
        self.rack_start.len() - 1
    }

    fn pdus(&self) -> usize {
        self.racks().div_ceil(self.racks_per_pdu)
    }
}

fn build_fleet(scenario: &Scenario, physics: &Physics) -> Fleet {
    let per_rack = physics.power_chain.servers_per_rack as usize;
    let mut server_sku = Vec::with_capacity(scenario.server_count() as usize);
    for (i, sku) in scenario.servers.iter().enumerate() {
        server_sku.extend(std::iter::repeat_n(i as u16, sku.count as usize));
    }
    let racks = server_sku.len().div_ceil(per_rack);
    let rack_start: Vec<usize> = (0..=racks).map(|r| (r * per_rack).min(server_sku.len())).collect();
    const POINTS: usize = 1_000;
    let mut wall = Vec::new();
    let mut psu_loss = Vec::new();
    for sku in &scenario.servers {
        let dc = sku.power_curve.tabulate(POINTS);
        match &sku.psu {
            None => {
                wall.push(dc);
                psu_loss.push(None);
            }
            Some(psu) => {
                let at = |u: f64| {
                    let dc_w = sku.power_curve.power_w(u);
                    dc_w / psu.curve.efficiency(dc_w / psu.rating_w)
                };
                let wall_points: Vec<f64> = (0..=POINTS).map(|i| at(i as f64 / POINTS as f64)).collect();
                let loss_points: Vec<f64> =
                    (0..=POINTS).map(|i| wall_points[i] - dc.power_w(i as f64 / POINTS as f64)).collect();
                wall.push(TabulatedCurve::from_points(wall_points));
                psu_loss.push(Some(TabulatedCurve::from_points(loss_points)));
            }
        }
    }
    let (tor_kw, site_network_kw) = network_power(&scenario.network, scenario.server_count());
    let mut runs = Vec::new();
    let mut rack_runs = vec![0];
    for r in 0..racks {
        let (start, end) = (rack_start[r], rack_start[r + 1]);
        let mut first = start;
        for j in start + 1..=end {
            if j == end || server_sku[j] != server_sku[first] {
                runs.push((server_sku[first] as usize, first, j));
                first = j;
            }
        }
        rack_runs.push(runs.len());
    }
    let rack_nameplate_kw = (0..racks)
        .map(|r| {
            server_sku[rack_start[r]..rack_start[r + 1]]
                .iter()
                .map(|&k| wall[k as usize].power_w(1.0) / W_PER_KW)
                .sum::<f64>()
                + tor_kw
        })
        .collect();
    Fleet {
        rack_start,
        wall,
        psu_loss,
        runs,
        rack_runs,
        rack_nameplate_kw,
        tor_kw,
        site_network_kw,
        racks_per_pdu: physics.power_chain.racks_per_pdu as usize,
    }
}

/// Network power for `servers` servers: (top-of-rack power per rack, power
/// outside racks: spines, border, or the scenario's lump).
fn network_power(network: &Network, servers: u64) -> (f64, f64) {
    match network {
        Network::None => (0.0, 0.0),
        Network::Capex { power_kw, .. } => (0.0, *power_kw),
        Network::LeafSpine(design) => {
            let sizing = plenum_models::network::size_leaf_spine(servers, design);
            let tor_kw = design.tors_per_rack as f64 * design.tor_power_w / W_PER_KW;
            (
                tor_kw,
                (sizing.power_kw - tor_kw * sizing.tor_switches as f64 / design.tors_per_rack as f64)
                    .max(0.0),
            )
        }
    }
}

/// How many racks and PDUs a fleet fills, what the largest rack draws at
/// nameplate: all that sizing the power chain needs of it.
#[derive(Debug, Clone, Copy)]
struct Shape {
    racks: usize,
    pdus: usize,
    rack_capacity_kw: f64,
    racks_per_pdu: usize,
}

impl Fleet {
    fn shape(&self) -> Shape {
        Shape {
            racks: self.racks(),
            pdus: self.pdus(),
            rack_capacity_kw: self.rack_nameplate_kw.iter().copied().fold(0.0, f64::max).max(1e-3),
            racks_per_pdu: self.racks_per_pdu,
        }
    }
}

/// The design sized for a fleet of `shape`: the stages placed and the cooling
/// plant. The plant is sized for critical power plus the indoor losses at that
/// load (unless the scenario gives its design heat), then the mechanical
/// stages for the plant's draw in the year's worst hour.
fn design(
    scenario: &Scenario,
    physics: &Physics,
    shape: Shape,
    weather: &WeatherYear,
    wet_bulb_c: &[f64],
) -> (Vec<PlacedStage>, CoolingPlant) {
    let critical_kw = scenario.facility.critical_power_kw;
    let other_kw = physics.other_loads_fraction * critical_kw;
    let mut plant = physics.cooling.clone();
    let it_stages = place_stages(scenario, physics, shape, 0.0);
    plant.design_heat_kw = physics.design_heat_kw.unwrap_or_else(|| {
        critical_kw
            + it_stages
                .iter()
                .filter(|s| !s.feeds_mechanical)
                .map(|s| s.instances as f64 * s.stage.loss_kw(critical_kw / s.instances as f64))
                .sum::<f64>()
    });
    let design_cooling_kw = (0..HOURS_PER_YEAR)
        .map(|h| {
            plant
                .step(plant.design_heat_kw, weather.dry_bulb_c[h], wet_bulb_c[h], weather.dew_point_c[h])
                .total_kw()
        })
        .fold(0.0, f64::max);
    (place_stages(scenario, physics, shape, design_cooling_kw + other_kw), plant)
}

/// Size of one unit of a site-level stage when the scenario does not say:
/// 1 MW modules (an assumption in the range of modular UPS frames such as
/// 500 kW-1.5 MW; state `units` to change it).
const SITE_MODULE_KW: f64 = 1_000.0;

/// Place every stage. Site stages that feed the cooling plant are sized for
/// `mechanical_kw` on top of critical power unless the scenario sizes them.
fn place_stages(
    scenario: &Scenario,
    physics: &Physics,
    shape: Shape,
    mechanical_kw: f64,
) -> Vec<PlacedStage> {
    let Shape { racks, pdus, rack_capacity_kw, racks_per_pdu } = shape;
    physics
        .power_chain
        .stages
        .iter()
        .map(|spec| {
            let critical_kw = scenario.facility.critical_power_kw;
            let (instances, default_capacity_kw) = match spec.level {
                Level::Site if spec.feeds_mechanical => (1, critical_kw + mechanical_kw),
                Level::Site => (1, critical_kw),
                Level::Pdu => (pdus, rack_capacity_kw * racks_per_pdu as f64),
                Level::Rack => (racks, rack_capacity_kw),
            };
            let capacity_kw = spec.capacity_kw.unwrap_or(default_capacity_kw);
            let units = spec.units.unwrap_or(match spec.level {
                Level::Site => (capacity_kw / SITE_MODULE_KW).ceil().max(1.0) as u32,
                _ => 1,
            });
            PlacedStage {
                stage: Stage {
                    name: spec.name.clone(),
                    units_needed: units,
                    unit_rating_kw: capacity_kw / f64::from(units),
                    redundancy: spec.redundancy,
                    loss: spec.loss,
                    indoor: !spec.feeds_mechanical,
                },
                level: spec.level,
                instances,
                feeds_mechanical: spec.feeds_mechanical,
            }
        })
        .collect()
}

/// Hourly fleet utilization (before per-rack and per-server spread).
fn utilization_series(scenario: &Scenario, inputs: &Inputs) -> Result<Vec<f64>, FacilityError> {
    let u = &scenario.utilization;
    let mean = u.mean_cpu_fraction;
    Ok(match &u.profile {
        UtilizationProfile::Constant => vec![mean.unwrap_or(0.0); HOURS_PER_YEAR],
        UtilizationProfile::Diurnal { amplitude, peak_hour, weekend_factor } => (0..HOURS_PER_YEAR)
            .map(|h| {
                let hour = (h % 24) as f64;
                let phase = 2.0 * std::f64::consts::PI * (hour - f64::from(*peak_hour)) / 24.0;
                // The year starts on a Monday: days 5 and 6 of each week are the weekend.
                let weekend = if (h / 24) % 7 >= 5 { *weekend_factor } else { 1.0 };
                ((mean.unwrap_or(0.0) + amplitude * phase.cos()) * weekend).clamp(0.0, 1.0)
            })
            .collect(),
        UtilizationProfile::Csv { .. } => {
            let series = inputs
                .utilization_hourly
                .as_ref()
                .ok_or(FacilityError::MissingInput("the utilization CSV"))?;
            match mean {
                Some(target) => {
                    let current = series.iter().sum::<f64>() / series.len() as f64;
                    let scale = if current > 0.0 { target / current } else { 0.0 };
                    series.iter().map(|v| (v * scale).clamp(0.0, 1.0)).collect()
                }
                None => series.clone(),
            }
        }
    })
}

/// Uniform in [−1, 1) from a counter-based hash of (seed, id, hour): the
/// counter `id·8760 + hour` is offset by the seed and mixed with two
/// multiply-xorshift rounds (the finalizer of MurmurHash3's fmix64, A. Appleby),
/// so the same server and hour give the same number on any thread.
#[inline]
fn spread(seed: u64, id: u64, hour: u64) -> f64 {
    let mut z = seed.wrapping_add(id.wrapping_mul(HOURS_PER_YEAR as u64) + hour);
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    z ^= z >> 33;
    (z >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0
}

/// What one hour produced.
#[derive(Debug, Clone, Default)]
struct Hour {
    utilization: f64,
    it_kw: f64,
    psu_loss_kw: f64,
    stage_output_kw: Vec<f64>,
    stage_loss_kw: Vec<f64>,
    stage_loading: Vec<f64>,
    /// Standard deviation of full racks' IT power (for the capacity margin).
    rack_sd_kw: f64,
    cooling: plenum_models::cooling::CoolingStep,
    other_kw: f64,
    facility_kw: f64,
}

struct Context<'a> {
    fleet: &'a Fleet,
    stages: &'a [PlacedStage],
    plant: &'a CoolingPlant,
    utilization: &'a [f64],
    dry_bulb_c: &'a [f64],
    wet_bulb_c: &'a [f64],
    dew_point_c: &'a [f64],
    server_seed: u64,
    rack_seed: u64,
    server_spread: f64,
    rack_spread: f64,
    other_kw: f64,
    /// Servers' IT power from a replay, shared by racks in proportion to their nameplate.
    replay: Option<&'a ReplayHourly>,
    /// Each rack's share of the fleet's server nameplate.
    rack_share: Vec<f64>,
}

impl Context<'_> {
    /// Simulate hours `range`, returning their records and the peak IT power of
    /// every rack and PDU over them, and per-stage per-instance peak loads.
    fn run(&self, range: std::ops::Range<usize>) -> (Vec<Hour>, Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let fleet = self.fleet;
        let racks = fleet.racks();
        let mut rack_peak = vec![0.0f64; racks];
        let mut pdu_peak = vec![0.0f64; fleet.pdus()];
        let mut stage_peak: Vec<Vec<f64>> = self.stages.iter().map(|s| vec![0.0; s.instances]).collect();
        let mut hours = Vec::with_capacity(range.len());
        let rack_stages: Vec<usize> =
            (0..self.stages.len()).rev().filter(|&i| self.stages[i].level == Level::Rack).collect();
        let pdu_stages: Vec<usize> =
            (0..self.stages.len()).rev().filter(|&i| self.stages[i].level == Level::Pdu).collect();
        let site_it_stages: Vec<usize> = (0..self.stages.len())
            .rev()
            .filter(|&i| self.stages[i].level == Level::Site && !self.stages[i].feeds_mechanical)
            .collect();
        let mechanical_stages: Vec<usize> =
            (0..self.stages.len()).rev().filter(|&i| self.stages[i].feeds_mechanical).collect();
        let uniform = self.server_spread == 0.0 && self.rack_spread == 0.0;
        let mut rack_in = vec![0.0f64; racks];
        let per_rack = fleet.rack_start.get(1).copied().unwrap_or(0);
        let is_full = |r: usize| fleet.rack_start[r + 1] - fleet.rack_start[r] == per_rack;
        for h in range {
            let u_fleet = self.replay.map_or(self.utilization[h], |r| r.utilization[h]);
            let mut hour = Hour {
                utilization: u_fleet,
                stage_output_kw: vec![0.0; self.stages.len()],
                stage_loss_kw: vec![0.0; self.stages.len()],
                stage_loading: vec![0.0; self.stages.len()],
                ..Hour::default()
            };
            // Per-SKU power at the fleet's utilization, for the no-spread fast path.
            let sku_wall_w: Vec<f64> = fleet.wall.iter().map(|c| c.power_w(u_fleet)).collect();
            let sku_loss_w: Vec<f64> =
                fleet.psu_loss.iter().map(|c| c.as_ref().map_or(0.0, |c| c.power_w(u_fleet))).collect();
            let mut it_servers_w = 0.0;
            let mut psu_w = 0.0;
            let mut pdu_it_kw = vec![0.0f64; fleet.pdus()];
            // Full racks' IT power: count, sum, sum of squares (a sample standard deviation).
            let mut full = (0.0f64, 0.0f64, 0.0f64);
            let mut note_rack = |r: usize, kw: f64| {
                if is_full(r) {
                    full = (full.0 + 1.0, full.1 + kw, full.2 + kw * kw);
                }
            };
            for r in 0..racks {
                let (mut wall_w, mut loss_w) = (0.0, 0.0);
                if let Some(replay) = self.replay {
                    wall_w = replay.it_kw[h] * W_PER_KW * self.rack_share[r];
                    it_servers_w += wall_w;
                    let rack_it_kw = wall_w / W_PER_KW + fleet.tor_kw;
                    rack_peak[r] = rack_peak[r].max(rack_it_kw);
                    pdu_it_kw[r / fleet.racks_per_pdu] += rack_it_kw;
                    note_rack(r, rack_it_kw);
                    rack_in[r] =
                        push_up(self.stages, &rack_stages, r, rack_it_kw, &mut hour, &mut stage_peak);
                    continue;
                }
                let rack_u = u_fleet + self.rack_spread * spread(self.rack_seed, r as u64, h as u64);
                for &(k, first, end) in &fleet.runs[fleet.rack_runs[r]..fleet.rack_runs[r + 1]] {
                    let n = (end - first) as f64;
                    if uniform {
                        wall_w += n * sku_wall_w[k];
                        loss_w += n * sku_loss_w[k];
                        continue;
                    }
                    let wall = &fleet.wall[k];
                    let mut run_w = 0.0;
                    for id in first as u64..end as u64 {
                        run_w += wall
                            .power_w(rack_u + self.server_spread * spread(self.server_seed, id, h as u64));
                    }
                    wall_w += run_w;
                    if let Some(loss) = &fleet.psu_loss[k] {
                        for id in first as u64..end as u64 {
                            loss_w += loss.power_w(
                                rack_u + self.server_spread * spread(self.server_seed, id, h as u64),
                            );
                        }
                    }
                }
                it_servers_w += wall_w;
                psu_w += loss_w;
                let rack_it_kw = wall_w / W_PER_KW + fleet.tor_kw;
                rack_peak[r] = rack_peak[r].max(rack_it_kw);
                pdu_it_kw[r / fleet.racks_per_pdu] += rack_it_kw;
                note_rack(r, rack_it_kw);
                rack_in[r] = push_up(self.stages, &rack_stages, r, rack_it_kw, &mut hour, &mut stage_peak);
            }
            let (n, sum, sum_sq) = full;
            hour.rack_sd_kw =
                if n > 1.0 { ((sum_sq - sum * sum / n) / (n - 1.0)).max(0.0).sqrt() } else { 0.0 };
            let mut site_load = fleet.site_network_kw;
            for (p, peak) in pdu_peak.iter_mut().enumerate() {
                *peak = peak.max(pdu_it_kw[p]);
                let start = p * fleet.racks_per_pdu;
                let end = (start + fleet.racks_per_pdu).min(racks);
                let load: f64 = rack_in[start..end].iter().sum();
                site_load += push_up(self.stages, &pdu_stages, p, load, &mut hour, &mut stage_peak);
            }
            hour.it_kw = it_servers_w / W_PER_KW + fleet.tor_kw * racks as f64 + fleet.site_network_kw;
            hour.psu_loss_kw = psu_w / W_PER_KW;
            let ups_in = push_up(self.stages, &site_it_stages, 0, site_load, &mut hour, &mut stage_peak);
            let indoor_losses: f64 = (0..self.stages.len())
                .filter(|&i| !self.stages[i].feeds_mechanical)
                .map(|i| hour.stage_loss_kw[i])
                .sum();
            let heat_kw = hour.it_kw + indoor_losses;
            hour.cooling =
                self.plant.step(heat_kw, self.dry_bulb_c[h], self.wet_bulb_c[h], self.dew_point_c[h]);
            hour.other_kw = self.other_kw;
            let load = ups_in + hour.cooling.total_kw() + hour.other_kw;
            hour.facility_kw = push_up(self.stages, &mechanical_stages, 0, load, &mut hour, &mut stage_peak);
            hours.push(hour);
        }
        (hours, rack_peak, pdu_peak, stage_peak)
    }
}

/// Push `load` up through the stages `indices` (bottom-up) at instance
/// `instance` of their level, recording each stage's output, loss, loading and
/// peak; returns the power entering the top one.
fn push_up(
    stages: &[PlacedStage],
    indices: &[usize],
    instance: usize,
    mut load: f64,
    hour: &mut Hour,
    stage_peak: &mut [Vec<f64>],
) -> f64 {
    for &i in indices {
        let s = &stages[i].stage;
        let loss = s.loss_kw(load);
        hour.stage_output_kw[i] += load;
        hour.stage_loss_kw[i] += loss;
        hour.stage_loading[i] = hour.stage_loading[i].max(s.loading(load));
        stage_peak[i][instance] = stage_peak[i][instance].max(load);
        load += loss;
    }
    load
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
    let (stages, plant) = design(scenario, physics, fleet.shape(), &weather, &wet_bulb_c);
    let context = Context {
        fleet: &fleet,
        stages: &stages,
        plant: &plant,
        utilization: &utilization,
        dry_bulb_c: &weather.dry_bulb_c,
        wet_bulb_c: &wet_bulb_c,
        dew_point_c: &weather.dew_point_c,
        server_seed: stream_seed(scenario.seed, "utilization/server", 0),
        rack_seed: stream_seed(scenario.seed, "utilization/rack", 0),
        server_spread: scenario.utilization.server_spread,
        rack_spread: scenario.utilization.rack_spread,
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
    let table = hourly_table(&stages, &hours, &weather, &wet_bulb_c, &intensity, &prices);
    Ok(Some((summary, table)))
}

#[allow(clippy::too_many_arguments)]
fn summarize(
    scenario: &Scenario,
    physics: &Physics,
    fleet: &Fleet,
    stages: &[PlacedStage],
    plant: &CoolingPlant,
    hours: &[Hour],
    intensity: &[f64],
    prices: &[f64],
    peaks: (Vec<f64>, Vec<f64>, Vec<Vec<f64>>),
    embodied_t: f64,
    carbon_source: String,
    filled_hours: usize,
    weather: &WeatherYear,
    wet_bulb_c: &[f64],
    psu_modelled: bool,
) -> FacilitySummary {
    let (rack_peak, pdu_peak, stage_peak) = peaks;
    // Hourly kW sums are kWh; sum in hour order with compensated (Neumaier)
    // summation so totals do not depend on magnitudes' order.
    let total = |f: &dyn Fn(&Hour) -> f64| neumaier(hours.iter().map(f)) / 1_000.0;
    let it_mwh = total(&|h| h.it_kw);
    let losses_mwh = total(&|h| h.stage_loss_kw.iter().sum());
    let cooling_mwh = total(&|h| h.cooling.total_kw());
    let facility_mwh = total(&|h| h.facility_kw);
    // Hours without IT load have no PUE; the extremes are over the others.
    let pue_hourly: Vec<f64> = hours.iter().filter_map(hourly_pue).collect();
    let cost_usd = neumaier(hours.iter().zip(prices).map(|(h, p)| h.facility_kw * p));
    let operational_kg = neumaier(hours.iter().zip(intensity).map(|(h, g)| h.facility_kw * g / 1_000.0));
    let mut it_sorted: Vec<f64> = hours.iter().map(|h| h.it_kw).collect();
    it_sorted.sort_by(f64::total_cmp);
    let percentile = physics.power_chain.oversubscription_percentile;
    let rank = ((percentile / 100.0) * (it_sorted.len() - 1) as f64).round() as usize;
    let percentile_it_kw = it_sorted[rank];
    let peak_it_kw = it_sorted[it_sorted.len() - 1];
    let nameplate_kw = fleet.rack_nameplate_kw.iter().sum::<f64>() + fleet.site_network_kw;
    let budget_kw = scenario.facility.critical_power_kw;
    let advice = capacity_advice(scenario, physics, fleet, stages, hours, weather, wet_bulb_c);
    let servers = scenario.server_count();
    let pdu_nameplate: Vec<f64> =
        fleet.rack_nameplate_kw.chunks(fleet.racks_per_pdu).map(|c| c.iter().sum()).collect();
    let mean_ratio = |peaks: &[f64], plates: &[f64]| {
        peaks.iter().zip(plates).map(|(p, n)| p / n).sum::<f64>() / peaks.len().max(1) as f64
    };
    let power_chain = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let capacity_kw = s.stage.capacity_kw();
            let stranded_kw: f64 = stage_peak[i].iter().map(|p| (capacity_kw - p).max(0.0)).sum();
            let summary = StageSummary {
                level: match s.level {
                    Level::Site => "site",
                    Level::Pdu => "pdu",
                    Level::Rack => "rack",
                }
                .to_string(),
                instances: s.instances,
                capacity_kw,
                installed_units: s.stage.installed_units(),
                installed_capacity_kw: s.stage.installed_units() * s.stage.unit_rating_kw,
                redundancy: s.stage.redundancy,
                peak_loading: hours.iter().map(|h| h.stage_loading[i]).fold(0.0, f64::max),
                mean_loading: neumaier(hours.iter().map(|h| h.stage_loading[i])) / hours.len() as f64,
                losses_mwh: neumaier(hours.iter().map(|h| h.stage_loss_kw[i])) / 1_000.0,
                stranded_kw,
            };
            (s.stage.name.clone(), summary)
        })
        .collect();
    FacilitySummary {
        energy: EnergySummary {
            it_mwh,
            psu_losses_mwh: psu_modelled.then(|| total(&|h| h.psu_loss_kw)),
            losses_mwh,
            cooling_mwh,
            other_mwh: total(&|h| h.other_kw),
            facility_mwh,
            cost_usd,
            mean_it_kw: it_mwh * 1_000.0 / hours.len() as f64,
            mean_facility_kw: facility_mwh * 1_000.0 / hours.len() as f64,
            replay_it_mwh: None,
        },
        pue: PueSummary {
            annual: facility_mwh / it_mwh,
            min_hourly: pue_hourly.iter().copied().fold(f64::INFINITY, f64::min),
            max_hourly: pue_hourly.iter().copied().fold(0.0, f64::max),
        },
        cooling: CoolingSummary {
            economizer_hours: hours.iter().filter(|h| h.cooling.economizer_fraction > 0.0).count() as u64,
            full_economizer_hours: hours.iter().filter(|h| h.cooling.economizer_fraction >= 1.0).count()
                as u64,
            economizer_equivalent_hours: neumaier(hours.iter().map(|h| h.cooling.economizer_fraction)),
            chillers_mwh: total(&|h| h.cooling.chillers_kw),
            fans_mwh: total(&|h| h.cooling.fans_kw),
            pumps_mwh: total(&|h| h.cooling.pumps_kw),
            towers_mwh: total(&|h| h.cooling.tower_kw),
            design_heat_kw: plant.design_heat_kw,
            peak_heat_kw: hours
                .iter()
                .map(|h| {
                    h.it_kw
                        + (0..stages.len())
                            .filter(|&i| !stages[i].feeds_mechanical)
                            .map(|i| h.stage_loss_kw[i])
                            .sum::<f64>()
                })
                .fold(0.0, f64::max),
        },
        carbon: CarbonSummary {
            operational_t: operational_kg / 1_000.0,
            embodied_t,
            total_t: operational_kg / 1_000.0 + embodied_t,
            mean_intensity_g_per_kwh: operational_kg * 1_000.0 / (facility_mwh * 1_000.0),
            source: carbon_source,
            filled_hours,
        },
        power_chain,
        oversubscription: OversubscriptionSummary {
            rack_peak_fraction: mean_ratio(&rack_peak, &fleet.rack_nameplate_kw),
            pdu_peak_fraction: mean_ratio(&pdu_peak, &pdu_nameplate),
            site_peak_fraction: peak_it_kw / nameplate_kw,
            nameplate_kw,
            peak_it_kw,
            percentile,
            percentile_it_kw,
            budget_kw,
            budget_headroom_fraction: oversubscription_headroom(percentile_it_kw / budget_kw),
            headroom_fraction: advice
                .max_servers
                .map_or(f64::INFINITY, |n| n as f64 / servers.max(1) as f64 - 1.0),
            extra_servers: advice.max_servers.map(|n| n.saturating_sub(servers)),
            max_servers: advice.max_servers,
            binding_stage: advice.binding.unwrap_or_else(|| "none".to_string()),
            loadings_at_percentile: advice.loading_at_installed.into(),
        },
        mean_utilization: neumaier(hours.iter().map(|h| h.utilization)) / hours.len() as f64,
        weather_source: weather.source.clone(),
    }
}

/// The whole-chain capacity advice for the year simulated (see [`crate::capacity`]).
#[allow(clippy::too_many_arguments)]
fn capacity_advice(
    scenario: &Scenario,
    physics: &Physics,
    fleet: &Fleet,
    stages: &[PlacedStage],
    hours: &[Hour],
    weather: &WeatherYear,
    wet_bulb_c: &[f64],
) -> CapacityAdvice {
    let column = |f: &dyn Fn(&Hour) -> f64| hours.iter().map(f).collect::<Vec<f64>>();
    let it_kw = column(&|h| h.it_kw);
    let rack_sd_kw = column(&|h| h.rack_sd_kw);
    let lower: Vec<usize> = (0..stages.len()).filter(|&i| stages[i].level != Level::Site).collect();
    let lower_losses_kw = column(&|h| lower.iter().map(|&i| h.stage_loss_kw[i]).sum());
    let network = |servers: u64| network_power(&scenario.network, servers).1;
    let shape = fleet.shape();
    let per_rack = physics.power_chain.servers_per_rack as usize;
    let lower_no_load_kw = |servers: u64| {
        let racks = (servers as usize).div_ceil(per_rack.max(1));
        let pdus = racks.div_ceil(shape.racks_per_pdu.max(1));
        lower
            .iter()
            .map(|&i| {
                let s = &stages[i].stage;
                let instances = if stages[i].level == Level::Rack { racks } else { pdus };
                instances as f64 * s.installed_units() * s.loss.no_load * s.unit_rating_kw
            })
            .sum::<f64>()
    };
    let design_at = |servers: u64| {
        let racks = (servers as usize).div_ceil(per_rack.max(1));
        let shape = Shape { racks, pdus: racks.div_ceil(shape.racks_per_pdu.max(1)), ..shape };
        let (stages, plant) = design(scenario, physics, shape, weather, wet_bulb_c);
        let bottom_up = |keep: &dyn Fn(&PlacedStage) -> bool| -> Vec<Stage> {
            stages.iter().rev().filter(|s| keep(s)).map(|s| s.stage.clone()).collect()
        };
        SiteDesign {
            site_it_stages: bottom_up(&|s| s.level == Level::Site && !s.feeds_mechanical),
            mechanical_stages: bottom_up(&|s| s.feeds_mechanical),
            plant,
        }
    };
    let baseline = Baseline {
        servers: scenario.server_count(),
        servers_per_rack: physics.power_chain.servers_per_rack,
        it_kw: &it_kw,
        lower_no_load_kw: &lower_no_load_kw,
        tor_kw: fleet.tor_kw,
        lower_losses_kw: &lower_losses_kw,
        rack_sd_kw: &rack_sd_kw,
        site_network_kw: &network,
        per_instance_loading: lower
            .iter()
            .map(|&i| (stages[i].stage.name.clone(), column(&|h| h.stage_loading[i])))
            .collect(),
        design_at: &design_at,
        dry_bulb_c: &weather.dry_bulb_c,
        wet_bulb_c,
        dew_point_c: &weather.dew_point_c,
        other_kw: hours.first().map_or(0.0, |h| h.other_kw),
        critical_kw: scenario.facility.critical_power_kw,
        percentile: physics.power_chain.oversubscription_percentile,
    };
    baseline.advise()
}

/// An hour's PUE: facility over IT power, undefined (not infinite) when the
/// IT load is zero (servers that draw nothing idle, no network, no load).
fn hourly_pue(h: &Hour) -> Option<f64> {
    (h.it_kw > 0.0).then(|| h.facility_kw / h.it_kw)
}

/// Compensated (Neumaier) summation: the total does not depend on the order
/// of magnitudes within 1e-15 relative.
pub fn neumaier(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        compensation += if sum.abs() >= v.abs() { (sum - t) + v } else { (v - t) + sum };
        sum = t;
    }
    sum + compensation
}

fn hourly_table(
    stages: &[PlacedStage],
    hours: &[Hour],
    weather: &WeatherYear,
    wet_bulb_c: &[f64],
    intensity: &[f64],
    prices: &[f64],
) -> DataTable {
    let col = |f: &dyn Fn(&Hour) -> f64| ColumnValues::F64(hours.iter().map(f).collect());
    let n = hours.len();
    let mut table = DataTable::new("hourly", "One row per hour of the simulated year (local standard time).")
        .with(
            "hour_of_year",
            "Hour of the year, 0 = 1 January 00:00-01:00",
            ColumnValues::U64((0..n as u64).collect()),
        )
        .with(
            "month",
            "Month, 1-12",
            ColumnValues::U64((0..n).map(|h| weather::month_and_hour(h).0 as u64 + 1).collect()),
        )
        .with(
            "hour_of_day",
            "Hour of the day, 0-23",
            ColumnValues::U64((0..n).map(|h| (h % 24) as u64).collect()),
        )
        .with("dry_bulb_c", "Outdoor dry-bulb temperature, °C", ColumnValues::F64(weather.dry_bulb_c.clone()))
        .with("wet_bulb_c", "Outdoor wet-bulb temperature, °C", ColumnValues::F64(wet_bulb_c.to_vec()))
        .with("utilization", "Fleet mean CPU utilization, 0-1", col(&|h| h.utilization))
        .with("it_power_kw", "IT power at the equipment input, kW", col(&|h| h.it_kw))
        .with(
            "psu_losses_kw",
            "Server PSU losses (inside IT power), kW; 0 where no SKU models its PSU (wall-power curves)",
            col(&|h| h.psu_loss_kw),
        );
    for (i, s) in stages.iter().enumerate() {
        let name = &s.stage.name;
        table = table
            .with(
                &format!("{name}_loss_kw"),
                &format!("Losses of stage {name}, kW"),
                col(&|h| h.stage_loss_kw[i]),
            )
            .with(
                &format!("{name}_loading"),
                &format!("Load over N capacity of the most loaded {name} instance, 0-1"),
                col(&|h| h.stage_loading[i]),
            );
    }
    table
        .with("chillers_kw", "Chiller power, kW", col(&|h| h.cooling.chillers_kw))
        .with("fans_kw", "Air-handler fan power, kW", col(&|h| h.cooling.fans_kw))
        .with("pumps_kw", "Pump power, kW", col(&|h| h.cooling.pumps_kw))
        .with("towers_kw", "Tower or dry-cooler fan power, kW", col(&|h| h.cooling.tower_kw))
        .with("cooling_kw", "Cooling plant power, kW", col(&|h| h.cooling.total_kw()))
        .with(
            "economizer_fraction",
            "Share of heat removed without chillers, 0-1",
            col(&|h| h.cooling.economizer_fraction),
        )
        .with("other_kw", "Lighting and other loads, kW", col(&|h| h.other_kw))
        .with("facility_power_kw", "Power drawn from the utility, kW", col(&|h| h.facility_kw))
        .with(
            "pue",
            "Facility power over IT power (empty in hours without IT load)",
            ColumnValues::OptF64(hours.iter().map(hourly_pue).collect()),
        )
        .with(
            "carbon_intensity_g_per_kwh",
            "Grid carbon intensity, gCO2e/kWh",
            ColumnValues::F64(intensity.to_vec()),
        )
        .with(
            "carbon_kg",
            "Operational carbon of the hour, kgCO2e",
            ColumnValues::F64(
                hours.iter().zip(intensity).map(|(h, g)| h.facility_kw * g / 1_000.0).collect(),
            ),
        )
        .with("energy_price_usd_per_kwh", "Electricity price, USD/kWh", ColumnValues::F64(prices.to_vec()))
        .with(
            "energy_cost_usd",
            "Energy cost of the hour, USD",
            ColumnValues::F64(hours.iter().zip(prices).map(|(h, p)| h.facility_kw * p).collect()),
        )
}
