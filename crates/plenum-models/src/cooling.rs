//! The cooling plant, hour by hour: economizers, chillers, fans, pumps, towers.
//!
//! - Chillers follow the DOE-2 / EnergyPlus `Chiller:Electric:EIR` form:
//!   available capacity `Q_ref·CAPFT(x, y)`, power
//!   `(Q_avail / COP_ref)·EIRFT(x, y)·EIRFPLR(PLR)`, with x the leaving chilled
//!   water and y the condenser temperature (entering condenser water for
//!   water-cooled, outdoor dry bulb for air-cooled), in °F. Curve coefficients
//!   are the reference curves of ANSI/ASHRAE/IES Standard 90.1-2022 Appendix J,
//!   Table J-4. Below a minimum part-load ratio of 0.1 a chiller cycles
//!   (EnergyPlus Engineering Reference, "Electric Chiller Model Based on
//!   Condenser Entering Temperature": MinimumPartLoadRatio).
//! - A water-side economizer precools chilled-water return through a heat
//!   exchanger fed by the tower (or a dry cooler): the share of heat it removes
//!   is `(T_return − T_hx) / (T_return − T_supply)`, clamped to 0..1, where
//!   `T_hx` is the wet bulb (dry bulb for a dry cooler) plus the heat-rejection
//!   and heat-exchanger approaches. An air-side economizer does the same with
//!   outdoor air against the return and supply air temperatures, and is off when
//!   the outdoor dew point is above the allowed maximum.
//! - Fans follow the cube law of airflow (fan affinity laws, ASHRAE Handbook—HVAC
//!   Systems and Equipment, "Fans"); variable-speed fans track the heat load
//!   down to a minimum speed, constant-speed fans always run at design.
//! - Pumps and tower fans draw a fixed fraction of the heat they move (ASHRAE
//!   90.1 Appendix G: 22 W/gpm chilled water, 19 W/gpm condenser water).
//!
//! Simplifications: steady state each step (no thermal mass), no humidity
//! control energy, pumps linear in flow, every running chiller equally loaded.

use serde::Serialize;

const fn c_to_f(c: f64) -> f64 {
    c * 9.0 / 5.0 + 32.0
}

/// Chiller performance curves in the ASHRAE 90.1 Appendix J form (°F).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChillerCurves {
    /// EIR-f-T biquadratic: c1 + c2·x + c3·x² + c4·y + c5·y² + c6·x·y.
    pub eir_ft: [f64; 6],
    /// CAP-f-T biquadratic, same form.
    pub cap_ft: [f64; 6],
    /// EIR-f-PLR cubic: c1 + c2·PLR + c3·PLR² + c4·PLR³.
    pub eir_fplr: [f64; 4],
    /// Range of x (leaving chilled water), °F.
    pub x_range_f: (f64, f64),
    /// Range of y (condenser temperature), °F.
    pub y_range_f: (f64, f64),
    /// COP at the rating point for the class's Path A full-load minimum.
    pub rated_cop: f64,
}

/// kW of heat in one ton of refrigeration (12,000 Btu/h).
pub const KW_PER_TON: f64 = 3.516_85;
/// Btu/h per watt, to turn an EER into a COP.
pub const BTU_PER_WH: f64 = 3.412_14;

impl ChillerCurves {
    /// ASHRAE 90.1-2022 Table J-4 set G: water-cooled positive displacement,
    /// ≥ 600 tons, Path A 0.560 kW/ton full load (COP 6.28).
    pub const WATER_COOLED_LARGE: ChillerCurves = ChillerCurves {
        eir_ft: [0.874461, -0.041390, 0.000430, 0.022262, -0.000058, -0.000097],
        cap_ft: [0.122304, 0.024081, -0.000293, 0.006302, -0.000081, 0.000116],
        eir_fplr: [0.264371, 0.263302, 0.471690, 0.0],
        x_range_f: (39.0, 60.0),
        y_range_f: (55.0, 104.0),
        rated_cop: KW_PER_TON / 0.560,
    };

    /// ASHRAE 90.1-2022 Table J-4 set B: air-cooled, ≥ 150 tons, Path A
    /// 10.1 EER full load (COP 2.96).
    pub const AIR_COOLED_LARGE: ChillerCurves = ChillerCurves {
        eir_ft: [1.872341, -0.041886, 0.000442, -0.006710, 0.000123, -0.000086],
        cap_ft: [-1.153535, 0.075066, -0.000622, 0.009777, -0.000071, -0.000057],
        eir_fplr: [0.118081, 0.107477, 1.570838, -0.794051],
        x_range_f: (39.0, 60.0),
        y_range_f: (55.0, 126.0),
        rated_cop: 10.1 / BTU_PER_WH,
    };

    fn biquadratic(c: &[f64; 6], x: f64, y: f64) -> f64 {
        c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y
    }

    /// (CAPFT, EIRFT) at leaving chilled water `chw_c` and condenser `cond_c`,
    /// clamped to the curves' ranges.
    pub fn temperature_factors(&self, chw_c: f64, cond_c: f64) -> (f64, f64) {
        let x = c_to_f(chw_c).clamp(self.x_range_f.0, self.x_range_f.1);
        let y = c_to_f(cond_c).clamp(self.y_range_f.0, self.y_range_f.1);
        (Self::biquadratic(&self.cap_ft, x, y), Self::biquadratic(&self.eir_ft, x, y))
    }

    /// EIR-f-PLR.
    pub fn part_load_factor(&self, plr: f64) -> f64 {
        let c = &self.eir_fplr;
        c[0] + c[1] * plr + c[2] * plr * plr + c[3] * plr * plr * plr
    }
}

/// Minimum part-load ratio below which a chiller cycles (EnergyPlus default).
const MIN_PART_LOAD_RATIO: f64 = 0.1;

/// How heat leaves the building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeatRejection {
    /// Water-cooled chillers with cooling towers (condenser follows the wet bulb).
    WaterCooled,
    /// Air-cooled chillers and dry coolers (condenser follows the dry bulb).
    AirCooled,
}

/// Free cooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Economizer {
    /// None: chillers carry the whole load.
    None,
    /// Outdoor air replaces or precools return air.
    AirSide,
    /// A heat exchanger precools chilled water from the tower or dry cooler.
    WaterSide,
}

/// The design of a cooling plant.
#[derive(Debug, Clone, PartialEq)]
pub struct CoolingPlant {
    /// Heat rejection.
    pub rejection: HeatRejection,
    /// Economizer.
    pub economizer: Economizer,
    /// Chiller curves.
    pub curves: ChillerCurves,
    /// Chiller COP at the curves' rating point.
    pub chiller_cop_rated: f64,
    /// Chillers needed to carry the design heat (running units are staged by load).
    pub chillers: u32,
    /// Heat the plant is designed to remove.
    pub design_heat_kw: f64,
    /// Supply (cold-aisle) air temperature.
    pub supply_air_c: f64,
    /// Return (hot-aisle) air temperature.
    pub return_air_c: f64,
    /// Chilled-water supply temperature.
    pub chilled_water_supply_c: f64,
    /// Chilled-water temperature rise across the load.
    pub chilled_water_delta_t_k: f64,
    /// Approach of the tower (to wet bulb) or dry cooler (to dry bulb).
    pub rejection_approach_k: f64,
    /// Approach of the economizer heat exchanger.
    pub hx_approach_k: f64,
    /// Temperature rise of outdoor air through an air-side economizer (fan heat).
    pub air_economizer_approach_k: f64,
    /// Highest outdoor dew point an air-side economizer admits.
    pub air_economizer_max_dew_point_c: f64,
    /// Air-handler fan power at design airflow, as a fraction of design heat.
    pub fan_design_fraction: f64,
    /// Fans vary speed with load.
    pub fan_variable_speed: bool,
    /// Lowest fan speed (fraction of design airflow).
    pub fan_min_speed_fraction: f64,
    /// Chilled-water pump power per kW of heat carried by chilled water.
    pub chilled_water_pump_fraction: f64,
    /// Condenser-water pump power per kW of heat rejected through towers.
    pub condenser_pump_fraction: f64,
    /// Tower (or dry-cooler) fan power per kW of heat rejected.
    pub tower_fan_fraction: f64,
}

/// What the plant drew in one step.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CoolingStep {
    /// Chillers.
    pub chillers_kw: f64,
    /// Air-handler fans.
    pub fans_kw: f64,
    /// Chilled-water and condenser pumps.
    pub pumps_kw: f64,
    /// Tower or dry-cooler fans.
    pub tower_kw: f64,
    /// Share of the heat removed without chillers (0..1).
    pub economizer_fraction: f64,
    /// Heat rejected through evaporative cooling towers (0 for air-cooled
    /// plants), kW: what their water use follows
    /// ([`crate::liquid_cooling::tower_water_l`]).
    pub tower_heat_kw: f64,
}

impl CoolingStep {
    /// Total cooling power.
    pub fn total_kw(&self) -> f64 {
        self.chillers_kw + self.fans_kw + self.pumps_kw + self.tower_kw
    }
}

impl CoolingPlant {
    /// Air-handler fan power when `heat_kw` is removed.
    pub fn fan_kw(&self, heat_kw: f64) -> f64 {
        let design_kw = self.fan_design_fraction * self.design_heat_kw;
        if !self.fan_variable_speed {
            return design_kw;
        }
        let speed = (heat_kw / self.design_heat_kw).clamp(self.fan_min_speed_fraction, 1.0);
        design_kw * speed * speed * speed
    }

    /// Share of the heat the economizer removes at these outdoor conditions.
    pub fn economizer_fraction(&self, dry_bulb_c: f64, wet_bulb_c: f64, dew_point_c: f64) -> f64 {
        let sink_c = match self.rejection {
            HeatRejection::WaterCooled => wet_bulb_c,
            HeatRejection::AirCooled => dry_bulb_c,
        };
        match self.economizer {
            Economizer::None => 0.0,
            Economizer::WaterSide => {
                let return_c = self.chilled_water_supply_c + self.chilled_water_delta_t_k;
                let hx_out_c = sink_c + self.rejection_approach_k + self.hx_approach_k;
                ((return_c - hx_out_c) / self.chilled_water_delta_t_k).clamp(0.0, 1.0)
            }
            Economizer::AirSide => {
                if dew_point_c > self.air_economizer_max_dew_point_c {
                    return 0.0;
                }
                let air_in_c = dry_bulb_c + self.air_economizer_approach_k;
                ((self.return_air_c - air_in_c) / (self.return_air_c - self.supply_air_c)).clamp(0.0, 1.0)
            }
        }
    }

    /// Chiller power to remove `load_kw` with condenser at `condenser_c`.
    pub fn chiller_kw(&self, load_kw: f64, condenser_c: f64) -> f64 {
        if load_kw <= 0.0 {
            return 0.0;
        }
        let (cap_ft, eir_ft) = self.curves.temperature_factors(self.chilled_water_supply_c, condenser_c);
        let unit_available_kw = self.design_heat_kw / f64::from(self.chillers) * cap_ft.max(0.05);
        let running = (load_kw / unit_available_kw).ceil().max(1.0);
        let plr = load_kw / (running * unit_available_kw);
        // Below the minimum part-load ratio the chiller cycles at that ratio.
        let cycling = (plr / MIN_PART_LOAD_RATIO).min(1.0);
        let plr = plr.max(MIN_PART_LOAD_RATIO);
        running * unit_available_kw / self.chiller_cop_rated
            * eir_ft
            * self.curves.part_load_factor(plr)
            * cycling
    }

    /// One step: remove `heat_kw` (IT and indoor losses) at these outdoor conditions.
    pub fn step(&self, heat_kw: f64, dry_bulb_c: f64, wet_bulb_c: f64, dew_point_c: f64) -> CoolingStep {
        let fans_kw = self.fan_kw(heat_kw);
        // Fan work ends up as heat in the air stream.
        let load_kw = heat_kw + fans_kw;
        let free = self.economizer_fraction(dry_bulb_c, wet_bulb_c, dew_point_c);
        let mechanical_kw = load_kw * (1.0 - free);
        let condenser_c = match self.rejection {
            HeatRejection::WaterCooled => wet_bulb_c + self.rejection_approach_k,
            HeatRejection::AirCooled => dry_bulb_c,
        };
        let chillers_kw = self.chiller_kw(mechanical_kw, condenser_c);
        // Heat through the chilled-water loop and out through towers or dry coolers.
        let water_loop_kw = match self.economizer {
            Economizer::AirSide => mechanical_kw,
            _ => load_kw,
        };
        let rejected_by_water_kw = match (self.rejection, self.economizer) {
            (HeatRejection::WaterCooled, _) => water_loop_kw + chillers_kw,
            (HeatRejection::AirCooled, Economizer::WaterSide) => load_kw * free,
            (HeatRejection::AirCooled, _) => 0.0,
        };
        let pumps_kw = self.chilled_water_pump_fraction * water_loop_kw
            + self.condenser_pump_fraction
                * if self.rejection == HeatRejection::WaterCooled { rejected_by_water_kw } else { 0.0 };
        let tower_kw = self.tower_fan_fraction * rejected_by_water_kw;
        let tower_heat_kw =
            if self.rejection == HeatRejection::WaterCooled { rejected_by_water_kw } else { 0.0 };
        CoolingStep { chillers_kw, fans_kw, pumps_kw, tower_kw, economizer_fraction: free, tower_heat_kw }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn plant(economizer: Economizer) -> CoolingPlant {
        CoolingPlant {
            rejection: HeatRejection::WaterCooled,
            economizer,
            curves: ChillerCurves::WATER_COOLED_LARGE,
            chiller_cop_rated: ChillerCurves::WATER_COOLED_LARGE.rated_cop,
            chillers: 4,
            design_heat_kw: 10_000.0,
            supply_air_c: 24.0,
            return_air_c: 36.0,
            chilled_water_supply_c: 15.0,
            chilled_water_delta_t_k: 6.0,
            rejection_approach_k: 5.6,
            hx_approach_k: 1.7,
            air_economizer_approach_k: 1.0,
            air_economizer_max_dew_point_c: 15.0,
            fan_design_fraction: 0.079,
            fan_variable_speed: true,
            fan_min_speed_fraction: 0.3,
            chilled_water_pump_fraction: 0.015,
            condenser_pump_fraction: 0.016,
            tower_fan_fraction: 0.0127,
        }
    }

    #[test]
    fn curves_are_one_at_their_rating_point() {
        // 44 °F leaving chilled water; 85 °F entering condenser water / 95 °F outdoor air.
        let (cap, eir) = ChillerCurves::WATER_COOLED_LARGE.temperature_factors(6.6667, 29.4444);
        assert!((cap - 1.0).abs() < 0.01 && (eir - 1.0).abs() < 0.01, "{cap} {eir}");
        let (cap, eir) = ChillerCurves::AIR_COOLED_LARGE.temperature_factors(6.6667, 35.0);
        assert!((cap - 1.0).abs() < 0.01 && (eir - 1.0).abs() < 0.01, "{cap} {eir}");
        assert!((ChillerCurves::WATER_COOLED_LARGE.part_load_factor(1.0) - 1.0).abs() < 0.01);
    }

    #[test]
    fn full_load_at_rating_point_draws_rated_power() {
        let mut p = plant(Economizer::None);
        p.chilled_water_supply_c = 6.6667;
        // Every chiller exactly at its available capacity (PLR = 1) at 44/85 °F.
        let (cap, eir) = p.curves.temperature_factors(6.6667, 29.4444);
        let load = p.design_heat_kw * cap;
        let kw = p.chiller_kw(load, 29.4444);
        let expected = load / p.chiller_cop_rated * eir * p.curves.part_load_factor(1.0);
        assert!((kw - expected).abs() < 1e-9 * expected, "{kw} vs {expected}");
        assert!((kw / (10_000.0 / p.chiller_cop_rated) - 1.0).abs() < 0.02, "{kw}");
        // Half the load stages two of four chillers at full load rather than four at half.
        let half = p.chiller_kw(load / 2.0, 29.4444);
        assert!((half - expected / 2.0).abs() < 1e-9 * expected);
    }

    #[test]
    fn warmer_condenser_costs_more() {
        let p = plant(Economizer::None);
        assert!(p.chiller_kw(5_000.0, 30.0) > p.chiller_kw(5_000.0, 20.0));
    }

    #[test]
    fn water_side_economizer_modes() {
        let p = plant(Economizer::WaterSide);
        // Return 21 °C; HX out = wet bulb + 7.3 K.
        assert_eq!(p.economizer_fraction(5.0, 4.0, 0.0), 1.0); // 11.3 °C <= supply 15
        assert!((p.economizer_fraction(20.0, 10.7, 5.0) - 0.5).abs() < 1e-9); // 18 °C: halfway
        assert_eq!(p.economizer_fraction(30.0, 22.0, 18.0), 0.0);
        let full = p.step(5_000.0, 5.0, 4.0, 0.0);
        assert_eq!(full.chillers_kw, 0.0);
        assert!(full.pumps_kw > 0.0 && full.tower_kw > 0.0);
    }

    #[test]
    fn air_side_economizer_respects_the_dew_point_limit() {
        let p = plant(Economizer::AirSide);
        assert_eq!(p.economizer_fraction(10.0, 8.0, 5.0), 1.0);
        assert_eq!(p.economizer_fraction(10.0, 8.0, 16.0), 0.0);
        assert!((p.economizer_fraction(29.0, 20.0, 10.0) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn fans_follow_the_cube_law() {
        let p = plant(Economizer::None);
        let design = p.fan_kw(10_000.0);
        assert!((p.fan_kw(5_000.0) / design - 0.125).abs() < 1e-12);
        assert_eq!(p.fan_kw(100.0), design * 0.3f64.powi(3));
        let constant = CoolingPlant { fan_variable_speed: false, ..p };
        assert_eq!(constant.fan_kw(100.0), constant.fan_kw(10_000.0));
    }
}
