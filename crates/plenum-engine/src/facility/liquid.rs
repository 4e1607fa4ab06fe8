//! The liquid plant beside the air plant: each hour's heat split between
//! cold plates (and rear doors) and air ([`cool`]), and the year's liquid and
//! water figures reduced from the hours ([`liquid_summary`], [`water_summary`]).
//!
//! Water use is The Green Grid's site WUE: litres of water drawn over the
//! IT energy in kWh ("Water Usage Effectiveness (WUE): A Green Grid Data
//! Center Sustainability Metric", White Paper #35, 2011). Evaporation and
//! blowdown come from `plenum_models::liquid_cooling` for the liquid plant
//! and for the air plant's cooling towers alike.

use super::hours::Hour;
use super::summarize::neumaier;
use super::summary::{LiquidSummary, WaterSummary};
use plenum_models::cooling::CoolingPlant;
use plenum_models::liquid_cooling::{
    DEFAULT_CYCLES_OF_CONCENTRATION, LiquidMode, LiquidPlant, LiquidStep, tower_water_l,
};

/// One hour of cooling into `hour`: the air plant removes what the liquid
/// plant (if any) does not capture of `heat_kw` (IT power plus indoor
/// losses), and the hour's water is what towers and pads draw.
#[inline]
pub(super) fn cool_hour(
    hour: &mut Hour,
    plant: &CoolingPlant,
    liquid: Option<&LiquidPlant>,
    heat_kw: f64,
    (dry_bulb_c, wet_bulb_c, dew_point_c): (f64, f64, f64),
) {
    match liquid {
        None => {
            hour.cooling = plant.step(heat_kw, dry_bulb_c, wet_bulb_c, dew_point_c);
            (hour.water_evaporation_l, hour.water_blowdown_l) =
                tower_water_l(hour.cooling.tower_heat_kw, wet_bulb_c, DEFAULT_CYCLES_OF_CONCENTRATION);
        }
        Some(l) => {
            let (liquid_kw, air_kw) = l.split(hour.it_kw, heat_kw);
            hour.cooling = plant.step(air_kw, dry_bulb_c, wet_bulb_c, dew_point_c);
            let step = l.step(liquid_kw, dry_bulb_c, wet_bulb_c);
            let (evaporation_l, blowdown_l) =
                tower_water_l(hour.cooling.tower_heat_kw, wet_bulb_c, l.cycles_of_concentration);
            hour.water_evaporation_l = evaporation_l + step.evaporation_l;
            hour.water_blowdown_l = blowdown_l + step.blowdown_l;
            hour.liquid = Some(step);
        }
    }
}

/// The year's liquid-cooling figures.
pub(super) fn liquid_summary(
    plant: &LiquidPlant,
    hours: &[Hour],
    heat_kw: &[f64],
    capex_usd: f64,
) -> LiquidSummary {
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
pub(super) fn water_summary(hours: &[Hour], it_mwh: f64) -> WaterSummary {
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
