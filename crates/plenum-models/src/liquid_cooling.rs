//! Direct liquid cooling, hour by hour: cold plates, coolant distribution
//! units (CDUs), the facility water loop, heat rejection to the outdoors
//! (dry coolers, adiabatic assist or cooling towers), trim chillers for the
//! hours the outdoors cannot reach the supply temperature, optional rear-door
//! heat exchangers, and the water the plant evaporates and blows down.
//!
//! Sources:
//! - Facility water supply temperature by liquid-cooling class: ASHRAE TC 9.9,
//!   "Water-Cooled Servers: Common Designs, Components, and Processes" (2019)
//!   and the "Liquid Cooling Guidelines for Datacom Equipment Centers" (2nd ed.)
//!   with the 2021 class update (W17, W27, W32, W40, W45 name the highest
//!   facility water supply temperature in °C; W+ is above 45 °C).
//! - Technology-cooling-system flow of 1.5 L/min per kW of heat: Open Compute
//!   Project, Advanced Cooling Solutions, cold-plate guidance (about 1.5 LPM/kW,
//!   a 9.6 K rise of water); pump power is flow × head / efficiency
//!   (hydraulic power, e.g. ASHRAE Handbook—HVAC Systems and Equipment,
//!   "Centrifugal Pumps").
//! - Trim chillers: the DOE-2 / EnergyPlus curves of [`crate::cooling`]
//!   (ASHRAE 90.1-2022 Appendix J), condenser at the dry bulb (air-cooled) or
//!   at the tower water temperature (water-cooled).
//! - Evaporation: the heat rejected by evaporation over the latent heat of
//!   vaporisation, `h_fg ≈ 2501 − 2.326·T` kJ/kg at the wet bulb T (ASHRAE
//!   Handbook—Fundamentals, ch. 1, as in [`crate::psychro`]); blowdown
//!   `E / (C − 1)` for C cycles of concentration (US DOE FEMP, Water
//!   Efficiency Best Management Practice #10, Cooling Tower Management).
//!
//! Simplifications (stated): steady state every hour; a tower rejects all its
//! heat as latent heat (an upper bound on evaporation) and drift is left out;
//! adiabatic pads are either wet (at their saturation effectiveness) or dry;
//! the economizing share of the facility water follows the existing
//! water-side economizer's linear form; chiller curves are clamped to their
//! ranges (warm-water chillers are then rated as at 60 °F leaving water, a
//! conservative reading); pumps are linear in the heat they move, and
//! cooler fans follow the air flow the hour needs by the cube law.

use crate::cooling::ChillerCurves;

/// Seconds in an hour, to turn kWh into kJ.
const SECONDS_PER_HOUR: f64 = 3_600.0;
/// Density of water, kg/L (at about 20-40 °C, within 1%).
const WATER_KG_PER_L: f64 = 1.0;
/// Specific heat of water, kJ/(kg·K).
const WATER_CP_KJ_PER_KG_K: f64 = 4.186;
/// Lowest speed of dry-cooler and tower fans, as a fraction of design flow
/// (an assumption, as the air plant's 30% of [`crate::cooling`] is; EC fans
/// turn down further than belt-driven air handlers).
pub const MIN_FAN_SPEED_FRACTION: f64 = 0.2;
/// Minimum part-load ratio below which a chiller cycles (EnergyPlus default).
const MIN_PART_LOAD_RATIO: f64 = 0.1;

/// Cycles of concentration of tower water when the scenario does not say:
/// 4, inside the 3-7 that US DOE FEMP's Water Efficiency Best Management
/// Practice #10 (Cooling Tower Management) gives as usual.
pub const DEFAULT_CYCLES_OF_CONCENTRATION: f64 = 4.0;

/// Latent heat of vaporisation of water at `t_c`, kJ/kg (ASHRAE Fundamentals ch. 1).
pub fn latent_heat_kj_per_kg(t_c: f64) -> f64 {
    2_501.0 - 2.326 * t_c
}

/// ASHRAE TC 9.9 liquid-cooling class: the highest facility water supply temperature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum LiquidClass {
    /// Up to 17 °C.
    W17,
    /// Up to 27 °C.
    W27,
    /// Up to 32 °C.
    W32,
    /// Up to 40 °C.
    W40,
    /// Up to 45 °C.
    W45,
    /// Above 45 °C.
    WPlus,
}

impl LiquidClass {
    /// Every class, coolest first.
    pub const ALL: [LiquidClass; 6] = [Self::W17, Self::W27, Self::W32, Self::W40, Self::W45, Self::WPlus];

    /// Facility water supply temperature the class allows, °C. W+ is open
    /// ended; 50 °C is this model's assumption for it (state
    /// `facility_supply_c` to change it).
    pub fn supply_c(self) -> f64 {
        match self {
            Self::W17 => 17.0,
            Self::W27 => 27.0,
            Self::W32 => 32.0,
            Self::W40 => 40.0,
            Self::W45 => 45.0,
            Self::WPlus => 50.0,
        }
    }

    /// The class's name as ASHRAE writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::W17 => "W17",
            Self::W27 => "W27",
            Self::W32 => "W32",
            Self::W40 => "W40",
            Self::W45 => "W45",
            Self::WPlus => "W+",
        }
    }
}

/// How the facility water loop rejects heat outdoors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LiquidRejection {
    /// Dry coolers: water leaves at dry bulb plus the approach; no water used.
    DryCooler,
    /// Dry coolers whose inlet air is pre-cooled by wetted pads when the dry
    /// bulb alone cannot reach the supply temperature.
    Adiabatic,
    /// Open cooling towers: water leaves at wet bulb plus the approach.
    CoolingTower,
}

impl LiquidRejection {
    /// The word a scenario file writes for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::DryCooler => "dry_cooler",
            Self::Adiabatic => "adiabatic",
            Self::CoolingTower => "cooling_tower",
        }
    }
}

/// The mode an hour ran in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LiquidMode {
    /// Outdoor air alone, dry (dry coolers without water).
    #[default]
    Dry,
    /// Evaporation without chillers (adiabatic assist, or towers alone).
    Evaporative,
    /// Chillers carried some of the heat.
    Chiller,
}

/// A direct-liquid-cooling plant.
#[derive(Debug, Clone, PartialEq)]
pub struct LiquidPlant {
    /// Share of IT heat the cold plates capture (0..1); the rest goes to the air plant.
    pub captured_share: f64,
    /// Share of the remaining (air-side) heat removed by rear-door heat
    /// exchangers into the same facility water (0 = none).
    pub rear_door_share: f64,
    /// ASHRAE liquid-cooling class.
    pub class: LiquidClass,
    /// Facility water supply temperature, °C (the class's unless given lower).
    pub facility_supply_c: f64,
    /// Facility water temperature rise across the CDUs, K.
    pub facility_delta_t_k: f64,
    /// CDU liquid-to-liquid approach (technology loop supply over facility supply), K.
    pub cdu_approach_k: f64,
    /// Technology-loop flow per kW of heat captured, L/min.
    pub cdu_flow_l_per_min_per_kw: f64,
    /// Pump head of the technology loop (cold plates, manifolds, CDU), kPa.
    pub cdu_pump_head_kpa: f64,
    /// Pump head of the facility water loop, kPa.
    pub facility_pump_head_kpa: f64,
    /// Wire-to-water efficiency of the pumps (motor, drive and pump).
    pub pump_efficiency: f64,
    /// How heat leaves the site.
    pub rejection: LiquidRejection,
    /// Approach of the dry cooler (to dry bulb) or tower (to wet bulb), K.
    pub rejection_approach_k: f64,
    /// Saturation effectiveness of adiabatic pads (0..1).
    pub adiabatic_effectiveness: f64,
    /// Air temperature rise through the dry cooler at design, K (sets the air
    /// flow an adiabatic pad must wet).
    pub dry_cooler_air_rise_k: f64,
    /// Fan power of the dry coolers or towers at design flow, per kW of design heat.
    pub rejection_fan_fraction: f64,
    /// Cycles of concentration of tower or pad water (blowdown = E / (C − 1)).
    pub cycles_of_concentration: f64,
    /// Trim chillers' curves (air-cooled with dry coolers, water-cooled with towers).
    pub chiller_curves: ChillerCurves,
    /// Trim chillers' COP at their rating point.
    pub chiller_cop_rated: f64,
    /// Whether trim chillers are installed; without them the supply
    /// temperature floats above the class limit in the hours the outdoors
    /// cannot reach it (counted as `over_supply_hours`).
    pub chillers: bool,
    /// Heat the liquid loop is designed to carry, kW (set by the engine).
    pub design_heat_kw: f64,
}

/// What the liquid plant did in one hour.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LiquidStep {
    /// Heat into the facility water from cold plates and rear doors, kW.
    pub heat_kw: f64,
    /// Technology-loop (CDU) pumps, kW.
    pub cdu_pumps_kw: f64,
    /// Facility water pumps, kW.
    pub facility_pumps_kw: f64,
    /// Dry-cooler or tower fans, kW.
    pub rejection_fans_kw: f64,
    /// Trim chillers, kW.
    pub chillers_kw: f64,
    /// Heat rejected outdoors: heat plus pump work plus chiller work, kW.
    pub heat_rejected_kw: f64,
    /// Facility water supply temperature reached, °C.
    pub supply_c: f64,
    /// Share of the heat rejected without chillers (0..1).
    pub free_fraction: f64,
    /// Water evaporated, L.
    pub evaporation_l: f64,
    /// Water blown down, L.
    pub blowdown_l: f64,
    /// The mode of the hour.
    pub mode: LiquidMode,
}

impl LiquidStep {
    /// Electrical power of the liquid plant.
    pub fn total_kw(&self) -> f64 {
        self.cdu_pumps_kw + self.facility_pumps_kw + self.rejection_fans_kw + self.chillers_kw
    }

    /// Water drawn: evaporation plus blowdown, L.
    pub fn water_l(&self) -> f64 {
        self.evaporation_l + self.blowdown_l
    }
}

/// Water a cooling tower uses rejecting `heat_kw` for one hour at wet bulb
/// `wet_bulb_c` with `cycles` of concentration: (evaporation, blowdown) in L.
/// All heat is taken as latent (an upper bound; drift is left out).
pub fn tower_water_l(heat_kw: f64, wet_bulb_c: f64, cycles: f64) -> (f64, f64) {
    let evaporation =
        heat_kw.max(0.0) * SECONDS_PER_HOUR / latent_heat_kj_per_kg(wet_bulb_c) / WATER_KG_PER_L;
    (evaporation, blowdown_l(evaporation, cycles))
}

/// Blowdown for `evaporation_l` at `cycles` of concentration (FEMP BMP #10).
pub fn blowdown_l(evaporation_l: f64, cycles: f64) -> f64 {
    if cycles > 1.0 { evaporation_l / (cycles - 1.0) } else { 0.0 }
}

impl LiquidPlant {
    /// A plant of `class` rejecting by `rejection` with every other figure at
    /// its default, the one set of defaults the scenario fills in and the
    /// tests start from. Sources: 1.5 L/min per kW (OCP, Advanced Cooling
    /// Solutions cold-plate guidance); tower approach 10 °F and tower fans
    /// 1.27% of heat (as the air plant's, PG&E 2010 and ASHRAE 90.1); cycles
    /// of concentration [`DEFAULT_CYCLES_OF_CONCENTRATION`]; pad effectiveness
    /// 0.8 (ASHRAE Handbook—HVAC Applications, "Evaporative Cooling": direct
    /// pads 70-90%). Assumptions of this model, stated as such: dry-cooler
    /// approach 6 K and fans 2% of heat, facility water rise 10 K, CDU
    /// approach 3 K, pump heads 250 kPa (technology loop) and 150 kPa
    /// (facility loop) at 60% wire-to-water efficiency. Trim chillers are
    /// installed, water-cooled with towers and air-cooled otherwise; no rear
    /// doors; `design_heat_kw` is 0 until the engine sizes the plant.
    pub fn new(class: LiquidClass, rejection: LiquidRejection, captured_share: f64) -> LiquidPlant {
        let tower = rejection == LiquidRejection::CoolingTower;
        let chiller_curves =
            if tower { ChillerCurves::WATER_COOLED_LARGE } else { ChillerCurves::AIR_COOLED_LARGE };
        LiquidPlant {
            captured_share,
            rear_door_share: 0.0,
            class,
            facility_supply_c: class.supply_c(),
            facility_delta_t_k: 10.0,
            cdu_approach_k: 3.0,
            cdu_flow_l_per_min_per_kw: 1.5,
            cdu_pump_head_kpa: 250.0,
            facility_pump_head_kpa: 150.0,
            pump_efficiency: 0.6,
            rejection,
            rejection_approach_k: if tower { 10.0 * 5.0 / 9.0 } else { 6.0 },
            adiabatic_effectiveness: 0.8,
            dry_cooler_air_rise_k: 10.0,
            rejection_fan_fraction: if tower { 0.0127 } else { 0.02 },
            cycles_of_concentration: DEFAULT_CYCLES_OF_CONCENTRATION,
            chiller_curves,
            chiller_cop_rated: chiller_curves.rated_cop,
            chillers: true,
            design_heat_kw: 0.0,
        }
    }

    /// Heat into the facility water out of `it_kw` of IT power and `heat_kw`
    /// of indoor heat in all (IT plus indoor losses): (liquid, air) in kW.
    pub fn split(&self, it_kw: f64, heat_kw: f64) -> (f64, f64) {
        let plates = self.captured_share * it_kw;
        let doors = self.rear_door_share * (heat_kw - plates).max(0.0);
        let liquid = plates + doors;
        (liquid, heat_kw - liquid)
    }

    /// Technology-loop pump power per kW of heat captured: flow × head / efficiency.
    pub fn cdu_pump_fraction(&self) -> f64 {
        let m3_per_s = self.cdu_flow_l_per_min_per_kw / 1_000.0 / 60.0;
        m3_per_s * self.cdu_pump_head_kpa / self.pump_efficiency
    }

    /// Facility-loop pump power per kW of heat: flow for the loop's rise,
    /// times head, over efficiency.
    pub fn facility_pump_fraction(&self) -> f64 {
        let m3_per_s = 1.0 / (WATER_CP_KJ_PER_KG_K * self.facility_delta_t_k) / WATER_KG_PER_L / 1_000.0;
        m3_per_s * self.facility_pump_head_kpa / self.pump_efficiency
    }

    /// Water temperature the outdoors gives back (before any chiller), and
    /// the pad effect: (water temperature °C, air pre-cooling K).
    fn outdoor_water_c(&self, dry_bulb_c: f64, wet_bulb_c: f64) -> (f64, f64) {
        match self.rejection {
            LiquidRejection::CoolingTower => (wet_bulb_c + self.rejection_approach_k, 0.0),
            LiquidRejection::DryCooler => (dry_bulb_c + self.rejection_approach_k, 0.0),
            LiquidRejection::Adiabatic => {
                let dry = dry_bulb_c + self.rejection_approach_k;
                if dry <= self.facility_supply_c {
                    return (dry, 0.0);
                }
                let precool_k = self.adiabatic_effectiveness * (dry_bulb_c - wet_bulb_c).max(0.0);
                (dry - precool_k, precool_k)
            }
        }
    }

    /// Trim-chiller power to remove `load_kw` leaving water at the supply
    /// temperature with condenser at `condenser_c` (chillers sized for the design heat).
    pub fn chiller_kw(&self, load_kw: f64, condenser_c: f64) -> f64 {
        if load_kw <= 0.0 {
            return 0.0;
        }
        let (cap_ft, eir_ft) = self.chiller_curves.temperature_factors(self.facility_supply_c, condenser_c);
        let available_kw = self.design_heat_kw.max(load_kw) * cap_ft.max(0.05);
        let plr = (load_kw / available_kw).min(1.0);
        let cycling = (plr / MIN_PART_LOAD_RATIO).min(1.0);
        let plr = plr.max(MIN_PART_LOAD_RATIO);
        available_kw / self.chiller_cop_rated * eir_ft * self.chiller_curves.part_load_factor(plr) * cycling
    }

    /// Fan power of the dry coolers or towers rejecting `heat_rejected_kw`
    /// when the water returns `difference_k` above what the outdoors gives.
    /// A cooler moves heat in proportion to air flow times that difference, so
    /// the flow needed is the load's share of design over the difference's
    /// share of design (design: the warmest hour still free, a difference of
    /// the water's rise); fans follow the cube law of flow (fan affinity laws,
    /// ASHRAE Handbook—HVAC Systems and Equipment, "Fans") down to
    /// [`MIN_FAN_SPEED_FRACTION`], and run flat out in hours with chillers.
    pub fn rejection_fans_kw(&self, heat_rejected_kw: f64, difference_k: f64, free_fraction: f64) -> f64 {
        if heat_rejected_kw <= 0.0 {
            return 0.0;
        }
        let design_kw = self.design_heat_kw.max(heat_rejected_kw);
        let flow = if free_fraction < 1.0 || difference_k <= 0.0 {
            1.0
        } else {
            let load = heat_rejected_kw / design_kw;
            (load * self.facility_delta_t_k / difference_k).clamp(MIN_FAN_SPEED_FRACTION, 1.0)
        };
        self.rejection_fan_fraction * design_kw * flow * flow * flow
    }

    /// One hour: carry `heat_kw` into the facility water and out of the site.
    pub fn step(&self, heat_kw: f64, dry_bulb_c: f64, wet_bulb_c: f64) -> LiquidStep {
        let cdu_pumps_kw = self.cdu_pump_fraction() * heat_kw;
        let facility_pumps_kw = self.facility_pump_fraction() * heat_kw;
        // Pump work ends up as heat in the water.
        let loop_kw = heat_kw + cdu_pumps_kw + facility_pumps_kw;
        let (outdoor_c, precool_k) = self.outdoor_water_c(dry_bulb_c, wet_bulb_c);
        let return_c = self.facility_supply_c + self.facility_delta_t_k;
        let free_fraction = ((return_c - outdoor_c) / self.facility_delta_t_k).clamp(0.0, 1.0);
        let (chillers_kw, supply_c) = if free_fraction >= 1.0 || loop_kw <= 0.0 {
            (0.0, self.facility_supply_c)
        } else if self.chillers {
            let condenser_c = match self.rejection {
                LiquidRejection::CoolingTower => outdoor_c,
                _ => dry_bulb_c - precool_k,
            };
            (self.chiller_kw(loop_kw * (1.0 - free_fraction), condenser_c), self.facility_supply_c)
        } else {
            // No chillers: the water leaves the coolers as warm as they make it.
            (0.0, outdoor_c)
        };
        let heat_rejected_kw = loop_kw + chillers_kw;
        let rejection_fans_kw = self.rejection_fans_kw(heat_rejected_kw, return_c - outdoor_c, free_fraction);
        let evaporation_l = match self.rejection {
            LiquidRejection::CoolingTower => tower_water_l(heat_rejected_kw, wet_bulb_c, 0.0).0,
            LiquidRejection::Adiabatic if precool_k > 0.0 => {
                // Air flow for the heat at the design rise; the pads cool it by `precool_k`.
                let sensible_kw = heat_rejected_kw * precool_k / self.dry_cooler_air_rise_k;
                sensible_kw * SECONDS_PER_HOUR / latent_heat_kj_per_kg(wet_bulb_c) / WATER_KG_PER_L
            }
            _ => 0.0,
        };
        let mode = if chillers_kw > 0.0 {
            LiquidMode::Chiller
        } else if evaporation_l > 0.0 {
            LiquidMode::Evaporative
        } else {
            LiquidMode::Dry
        };
        LiquidStep {
            heat_kw,
            cdu_pumps_kw,
            facility_pumps_kw,
            rejection_fans_kw,
            chillers_kw,
            heat_rejected_kw,
            supply_c,
            free_fraction: if loop_kw > 0.0 { free_fraction } else { 1.0 },
            evaporation_l,
            blowdown_l: blowdown_l(evaporation_l, self.cycles_of_concentration),
            mode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn plant(class: LiquidClass, rejection: LiquidRejection) -> LiquidPlant {
        LiquidPlant { design_heat_kw: 1_000.0, ..LiquidPlant::new(class, rejection, 0.8) }
    }

    #[test]
    fn pumps_follow_the_ocp_flow() {
        let p = plant(LiquidClass::W40, LiquidRejection::DryCooler);
        // 1.5 L/min = 2.5e-5 m³/s per kW; × 250 kPa / 0.6 = 10.4 W per kW.
        assert!((p.cdu_pump_fraction() - 2.5e-5 * 250.0 / 0.6).abs() < 1e-12);
        // 1.5 L/min/kW is a 9.6 K rise of water.
        let rise_k = 1.0 / (1.5 / 60.0 * WATER_CP_KJ_PER_KG_K);
        assert!((rise_k - 9.56).abs() < 0.01, "{rise_k}");
    }

    #[test]
    fn modes_follow_the_weather() {
        let p = plant(LiquidClass::W32, LiquidRejection::DryCooler);
        let cold = p.step(1_000.0, 10.0, 8.0);
        assert_eq!((cold.mode, cold.chillers_kw, cold.evaporation_l), (LiquidMode::Dry, 0.0, 0.0));
        // 32 °C supply, 42 °C return: 40 °C outdoors gives 46 °C water, no free cooling.
        let hot = p.step(1_000.0, 40.0, 24.0);
        assert_eq!(hot.mode, LiquidMode::Chiller);
        assert_eq!(hot.free_fraction, 0.0);
        assert!(hot.chillers_kw > 0.0);
        // Halfway: 31 °C outdoors → 37 °C water, half of the 10 K range.
        assert!((p.step(1_000.0, 31.0, 20.0).free_fraction - 0.5).abs() < 1e-12);
        let adiabatic = plant(LiquidClass::W32, LiquidRejection::Adiabatic).step(1_000.0, 30.0, 18.0);
        assert_eq!(adiabatic.mode, LiquidMode::Evaporative);
        assert!(adiabatic.evaporation_l > 0.0 && adiabatic.blowdown_l > 0.0);
    }

    #[test]
    fn heat_is_conserved() {
        for rejection in
            [LiquidRejection::DryCooler, LiquidRejection::Adiabatic, LiquidRejection::CoolingTower]
        {
            for class in LiquidClass::ALL {
                let p = plant(class, rejection);
                for t in [-10.0, 5.0, 20.0, 30.0, 38.0] {
                    let s = p.step(800.0, t, t - 6.0);
                    let balance = s.heat_kw + s.cdu_pumps_kw + s.facility_pumps_kw + s.chillers_kw;
                    assert!((s.heat_rejected_kw - balance).abs() < 1e-9, "{class:?} {rejection:?} {t}");
                }
            }
        }
    }

    #[test]
    fn tower_evaporation_is_heat_over_latent_heat() {
        // 1 MWh at 20 °C wet bulb: 3.6e6 kJ / 2454.5 kJ/kg ≈ 1,467 L; 4 cycles → a third of that blown down.
        let (e, b) = tower_water_l(1_000.0, 20.0, 4.0);
        assert!((e - 3.6e6 / 2_454.48).abs() < 1e-6, "{e}");
        assert!((b - e / 3.0).abs() < 1e-9);
    }

    #[test]
    fn warmer_classes_need_fewer_chillers() {
        let mut last = f64::INFINITY;
        for class in LiquidClass::ALL {
            let p = plant(class, LiquidRejection::DryCooler);
            let kw = p.step(1_000.0, 30.0, 20.0).chillers_kw;
            assert!(kw <= last, "{class:?}");
            last = kw;
        }
        assert_eq!(last, 0.0);
    }
}
