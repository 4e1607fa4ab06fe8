//! The year's hours reduced to its [`FacilitySummary`]: totals in hour order
//! with compensated summation, PUE extremes, per-stage loading and stranded
//! capacity, the whole-chain capacity advice, and the liquid plant's and
//! water figures.

use super::design::{PlacedStage, design};
use super::fleet::Fleet;
use super::fleet::{Shape, network_power};
use super::hours::{Hour, hourly_pue};
use super::summary::{
    CarbonSummary, CoolingSummary, EnergySummary, FacilitySummary, LiquidSummary, OversubscriptionSummary,
    PueSummary, StageSummary, WaterSummary,
};
use crate::capacity::{Baseline, CapacityAdvice, SiteDesign};
use plenum_models::cooling::CoolingPlant;
use plenum_models::it_power::oversubscription_headroom;
use plenum_models::liquid_cooling::{LiquidMode, LiquidPlant, LiquidStep};
use plenum_models::power_chain::Stage;
use plenum_models::quantile;
use plenum_models::weather::WeatherYear;
use plenum_scenario::{Level, Physics, Scenario};

#[allow(clippy::too_many_arguments)]
pub(super) fn summarize(
    scenario: &Scenario,
    physics: &Physics,
    fleet: &Fleet,
    stages: &[PlacedStage],
    plant: &CoolingPlant,
    liquid: Option<&LiquidPlant>,
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
    // Each hour's indoor heat: IT power plus the losses of indoor stages.
    let heat_kw: Vec<f64> = hours
        .iter()
        .map(|h| {
            h.it_kw
                + (0..stages.len())
                    .filter(|&i| !stages[i].feeds_mechanical)
                    .map(|i| h.stage_loss_kw[i])
                    .sum::<f64>()
        })
        .collect();
    // Hourly kW sums are kWh; sum in hour order with compensated (Neumaier)
    // summation so totals do not depend on magnitudes' order.
    let total = |f: &dyn Fn(&Hour) -> f64| neumaier(hours.iter().map(f)) / 1_000.0;
    let it_mwh = total(&|h| h.it_kw);
    let losses_mwh = total(&|h| h.stage_loss_kw.iter().sum());
    let cooling_mwh = total(&|h| h.cooling_kw());
    let facility_mwh = total(&|h| h.facility_kw);
    // Hours without IT load have no PUE; the extremes are over the others.
    let pue_hourly: Vec<f64> = hours.iter().filter_map(hourly_pue).collect();
    let cost_usd = neumaier(hours.iter().zip(prices).map(|(h, p)| h.facility_kw * p));
    let operational_kg = neumaier(hours.iter().zip(intensity).map(|(h, g)| h.facility_kw * g / 1_000.0));
    let it_sorted = quantile::sorted(&hours.iter().map(|h| h.it_kw).collect::<Vec<f64>>());
    let percentile = physics.power_chain.oversubscription_percentile;
    let percentile_it_kw = quantile::nearest_rank(&it_sorted, percentile / 100.0).expect("a year of hours");
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
            peak_heat_kw: heat_kw.iter().copied().fold(0.0, f64::max),
            liquid: liquid.map(|l| {
                let capex_usd = physics.liquid.as_ref().map_or(0.0, |spec| spec.capex_usd(l.design_heat_kw));
                liquid_summary(l, hours, &heat_kw, capex_usd)
            }),
        },
        water: water_summary(hours, it_mwh),
        carbon: CarbonSummary {
            operational_t: operational_kg / 1_000.0,
            embodied_t,
            total_t: operational_kg / 1_000.0 + embodied_t,
            mean_intensity_g_per_kwh: operational_kg * 1_000.0 / (facility_mwh * 1_000.0),
            source: carbon_source,
            filled_hours,
            market_based_t: None,
            cfe_score: None,
            matching: None,
            clean_supply_mwh: None,
            hourly_matched_mwh: None,
            covered_mwh: None,
            certificates_applied_mwh: None,
            residual_mix_g_per_kwh: None,
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
        let (stages, plant, liquid) = design(scenario, physics, shape, weather, wet_bulb_c);
        let bottom_up = |keep: &dyn Fn(&PlacedStage) -> bool| -> Vec<Stage> {
            stages.iter().rev().filter(|s| keep(s)).map(|s| s.stage.clone()).collect()
        };
        SiteDesign {
            site_it_stages: bottom_up(&|s| s.level == Level::Site && !s.feeds_mechanical),
            mechanical_stages: bottom_up(&|s| s.feeds_mechanical),
            plant,
            liquid,
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

/// The year's liquid-cooling figures.
fn liquid_summary(plant: &LiquidPlant, hours: &[Hour], heat_kw: &[f64], capex_usd: f64) -> LiquidSummary {
    let steps: Vec<LiquidStep> = hours.iter().map(|h| h.liquid.unwrap_or_default()).collect();
    let total = |f: &dyn Fn(&LiquidStep) -> f64| neumaier(steps.iter().map(f)) / 1_000.0;
    let count = |f: &dyn Fn(&LiquidStep) -> bool| steps.iter().filter(|s| f(s)).count() as u64;
    let captured_mwh = total(&|s| s.heat_kw);
    let heat_mwh = neumaier(heat_kw.iter().copied()) / 1_000.0;
    LiquidSummary {
        class: plant.class.name().to_string(),
        heat_rejection: plant.rejection.name().to_string(),
        facility_supply_c: plant.facility_supply_c,
        technology_supply_c: plant.facility_supply_c + plant.cdu_approach_k,
        captured_share: if heat_mwh > 0.0 { captured_mwh / heat_mwh } else { 0.0 },
        captured_mwh,
        chiller_hours: count(&|s| s.mode == LiquidMode::Chiller),
        dry_cooler_only_hours: count(&|s| {
            s.mode == LiquidMode::Dry && s.supply_c <= plant.facility_supply_c + 1e-9
        }),
        evaporative_hours: count(&|s| s.mode == LiquidMode::Evaporative),
        over_supply_hours: count(&|s| s.supply_c > plant.facility_supply_c + 1e-9),
        cdu_pump_mwh: total(&|s| s.cdu_pumps_kw),
        facility_pump_mwh: total(&|s| s.facility_pumps_kw),
        rejection_fans_mwh: total(&|s| s.rejection_fans_kw),
        chillers_mwh: total(&|s| s.chillers_kw),
        heat_rejection_mwh: total(&|s| s.heat_rejected_kw),
        max_supply_c: steps.iter().map(|s| s.supply_c).fold(f64::NEG_INFINITY, f64::max),
        design_heat_kw: plant.design_heat_kw,
        capex_usd,
    }
}

/// The year's water figures from the hours' evaporation and blowdown.
/// Water use is The Green Grid's site WUE: litres of water drawn over the IT
/// energy in kWh ("Water Usage Effectiveness (WUE): A Green Grid Data Center
/// Sustainability Metric", White Paper #35, 2011).
fn water_summary(hours: &[Hour], it_mwh: f64) -> WaterSummary {
    let total_m3 = |f: &dyn Fn(&Hour) -> f64| neumaier(hours.iter().map(f)) / 1_000.0;
    let evaporation_m3 = total_m3(&|h| h.water_evaporation_l);
    let blowdown_m3 = total_m3(&|h| h.water_blowdown_l);
    let liquid_m3 = total_m3(&|h| h.liquid.map_or(0.0, |s| s.water_l()));
    let annual_m3 = evaporation_m3 + blowdown_m3;
    WaterSummary {
        annual_m3,
        evaporation_m3,
        blowdown_m3,
        liquid_plant_m3: liquid_m3,
        air_plant_m3: annual_m3 - liquid_m3,
        // m³ × 1000 L over MWh × 1000 kWh.
        wue_l_per_kwh: if it_mwh > 0.0 { annual_m3 / it_mwh } else { 0.0 },
    }
}
