//! The site designed for a fleet: every power-chain stage placed (level,
//! instances, capacity, units) and the cooling plant sized for the heat.

use super::fleet::Shape;
use plenum_models::cooling::CoolingPlant;
use plenum_models::liquid_cooling::LiquidPlant;
use plenum_models::power_chain::Stage;
use plenum_models::weather::{HOURS_PER_YEAR, WeatherYear};
use plenum_scenario::{Level, Physics, Scenario};

/// A stage placed in the site: its model and how many instances there are.
pub(super) struct PlacedStage {
    pub(super) stage: Stage,
    pub(super) level: Level,
    pub(super) instances: usize,
    pub(super) feeds_mechanical: bool,
}

/// The design sized for a fleet of `shape`: the stages placed, the air
/// plant and the liquid plant (when the scenario has one). The plants are
/// sized for critical power plus the indoor losses at that load (unless the
/// scenario gives the design heat), split between liquid and air as the hours
/// split it; then the mechanical stages for the plants' draw in the year's
/// worst hour.
pub(super) fn design(
    scenario: &Scenario,
    physics: &Physics,
    shape: Shape,
    weather: &WeatherYear,
    wet_bulb_c: &[f64],
) -> (Vec<PlacedStage>, CoolingPlant, Option<LiquidPlant>) {
    let critical_kw = scenario.facility.critical_power_kw;
    let other_kw = physics.other_loads_fraction * critical_kw;
    let mut plant = physics.cooling.clone();
    let it_stages = place_stages(scenario, physics, shape, 0.0);
    let design_heat_kw = physics.design_heat_kw.unwrap_or_else(|| {
        critical_kw
            + it_stages
                .iter()
                .filter(|s| !s.feeds_mechanical)
                .map(|s| s.instances as f64 * s.stage.loss_kw(critical_kw / s.instances as f64))
                .sum::<f64>()
    });
    plant.design_heat_kw = design_heat_kw;
    let liquid = physics.liquid.as_ref().map(|l| {
        let mut liquid = l.plant.clone();
        let (liquid_kw, air_kw) = liquid.split(critical_kw.min(design_heat_kw), design_heat_kw);
        liquid.design_heat_kw = liquid_kw;
        // An air plant that carries nothing still has a (vanishing) design, so
        // its fan law stays defined.
        plant.design_heat_kw = air_kw.max(design_heat_kw * 1e-9);
        liquid
    });
    let design_cooling_kw = (0..HOURS_PER_YEAR)
        .map(|h| {
            let outdoor = (weather.dry_bulb_c[h], wet_bulb_c[h], weather.dew_point_c[h]);
            let air_kw = plant.step(plant.design_heat_kw, outdoor.0, outdoor.1, outdoor.2).total_kw();
            air_kw
                + liquid.as_ref().map_or(0.0, |l| l.step(l.design_heat_kw, outdoor.0, outdoor.1).total_kw())
        })
        .fold(0.0, f64::max);
    (place_stages(scenario, physics, shape, design_cooling_kw + other_kw), plant, liquid)
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
                // A rack provisioned for `rack_power_kw` gets stages of that capacity.
                Level::Rack => (racks, physics.power_chain.rack_power_kw.unwrap_or(rack_capacity_kw)),
            };
            let capacity_kw = spec.capacity_kw.unwrap_or(default_capacity_kw);
            let units = spec.units.unwrap_or(match (spec.unit_kw, spec.level) {
                (Some(unit_kw), _) => (capacity_kw / unit_kw).ceil().max(1.0) as u32,
                (None, Level::Site) => (capacity_kw / SITE_MODULE_KW).ceil().max(1.0) as u32,
                (None, _) => 1,
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
