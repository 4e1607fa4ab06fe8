//! The liquid plant beside the air plant: each hour's heat split between
//! cold plates (and rear doors) and air, both plants stepped, and the water
//! their towers and pads draw ([`cool`]). Evaporation and blowdown come from
//! `plenum_models::liquid_cooling` for the liquid plant and for the air
//! plant's cooling towers alike; `summarize` reduces the hours.

use plenum_models::cooling::{CoolingPlant, CoolingStep};
use plenum_models::liquid_cooling::{
    DEFAULT_CYCLES_OF_CONCENTRATION, LiquidPlant, LiquidStep, tower_water_l,
};

/// One hour of both plants and the water they draw.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cooled {
    /// The air plant's hour.
    pub(super) cooling: CoolingStep,
    /// The liquid plant's hour, when there is one.
    pub(super) liquid: Option<LiquidStep>,
    /// Water evaporated by towers and pads, L.
    pub(super) evaporation_l: f64,
    /// Water blown down, L.
    pub(super) blowdown_l: f64,
}

/// One hour of cooling: the air plant removes what the liquid plant (if
/// any) does not capture of `heat_kw` (IT power `it_kw` plus indoor
/// losses), and the water is what towers and pads draw.
#[inline]
pub(super) fn cool(
    plant: &CoolingPlant,
    liquid: Option<&LiquidPlant>,
    it_kw: f64,
    heat_kw: f64,
    (dry_bulb_c, wet_bulb_c, dew_point_c): (f64, f64, f64),
) -> Cooled {
    match liquid {
        None => {
            let cooling = plant.step(heat_kw, dry_bulb_c, wet_bulb_c, dew_point_c);
            let (evaporation_l, blowdown_l) =
                tower_water_l(cooling.tower_heat_kw, wet_bulb_c, DEFAULT_CYCLES_OF_CONCENTRATION);
            Cooled { cooling, liquid: None, evaporation_l, blowdown_l }
        }
        Some(l) => {
            let (liquid_kw, air_kw) = l.split(it_kw, heat_kw);
            let cooling = plant.step(air_kw, dry_bulb_c, wet_bulb_c, dew_point_c);
            let step = l.step(liquid_kw, dry_bulb_c, wet_bulb_c);
            let (evaporation_l, blowdown_l) =
                tower_water_l(cooling.tower_heat_kw, wet_bulb_c, l.cycles_of_concentration);
            Cooled {
                cooling,
                liquid: Some(step),
                evaporation_l: evaporation_l + step.evaporation_l,
                blowdown_l: blowdown_l + step.blowdown_l,
            }
        }
    }
}
