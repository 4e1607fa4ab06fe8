//! Raw types of `[cooling.liquid]`: direct liquid cooling beside the air
//! plant (cold plates, CDUs, facility water, heat rejection, trim chillers,
//! rear doors) and its capital cost. The model is
//! `plenum_models::liquid_cooling`.

use super::choice::choice;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

choice! {
    /// ASHRAE TC 9.9 liquid-cooling class, the highest facility water supply
    /// temperature: `W17`, `W27`, `W32`, `W40`, `W45` (°C) or `W+` (above 45 °C).
    pub enum RawLiquidClass {
        W17 = "W17",
        W27 = "W27",
        W32 = "W32",
        W40 = "W40",
        W45 = "W45",
        WPlus = "W+",
    }
}

choice! {
    /// How the facility water rejects heat: `dry_cooler` (no water),
    /// `adiabatic` (dry coolers with wetted pads in hot hours) or
    /// `cooling_tower` (open towers, wet bulb).
    pub enum RawLiquidRejection {
        DryCooler = "dry_cooler",
        Adiabatic = "adiabatic",
        CoolingTower = "cooling_tower",
    }
}

/// Direct liquid cooling. Present: cold plates capture `captured_share` of IT
/// heat into facility water at the class's temperature; the rest (and indoor
/// power-chain losses) goes to the air plant of `[cooling]`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLiquid {
    /// Share of IT heat the cold plates capture, 0-1 (0.7-0.9 for cold-plate servers).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub captured_share: f64,
    /// ASHRAE liquid-cooling class (`W17`, `W27`, `W32`, `W40`, `W45`, `W+`):
    /// sets the facility water supply temperature.
    pub class: RawLiquidClass,
    /// Facility water supply temperature, °C (default: the class's limit; 50 °C for `W+`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_supply_c: Option<f64>,
    /// Facility water temperature rise across the CDUs, K (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub facility_delta_t_k: Option<f64>,
    /// CDU approach: technology-loop supply over facility supply, K (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub cdu_approach_k: Option<f64>,
    /// Technology-loop flow per kW captured, L/min (default 1.5, OCP's cold-plate guidance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub cdu_flow_l_per_min_per_kw: Option<f64>,
    /// Pump head of the technology loop (cold plates, manifolds, CDU), kPa (default 250).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub cdu_pump_head_kpa: Option<f64>,
    /// Pump head of the facility water loop, kPa (default 150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub facility_pump_head_kpa: Option<f64>,
    /// Wire-to-water efficiency of the pumps, 0-1 (default 0.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub pump_efficiency: Option<f64>,
    /// `dry_cooler`, `adiabatic` or `cooling_tower` (default `dry_cooler`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heat_rejection: Option<RawLiquidRejection>,
    /// Approach of the dry cooler to the dry bulb or of the tower to the wet
    /// bulb, K (default 6 for dry coolers, 5.6 for towers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub rejection_approach_k: Option<f64>,
    /// Saturation effectiveness of adiabatic pads, 0-1 (default 0.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub adiabatic_effectiveness: Option<f64>,
    /// Air temperature rise through the dry coolers at design, K (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub dry_cooler_air_rise_k: Option<f64>,
    /// Fan power of the dry coolers or towers at design air flow per kW of
    /// design heat (default 0.02 for dry coolers, 0.0127 for towers); fans
    /// slow down by the cube law when the outdoors is cooler than design.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub rejection_fan_fraction: Option<f64>,
    /// Cycles of concentration of tower or pad water (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1.0))]
    pub cycles_of_concentration: Option<f64>,
    /// Trim chillers for the hours the outdoors cannot reach the supply
    /// temperature (default true; without them the supply floats warmer and
    /// the run warns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chillers: Option<bool>,
    /// Trim chillers' COP at their rating point (default: the ASHRAE 90.1
    /// Path A minimum of the chiller kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub chiller_cop_rated: Option<f64>,
    /// Share of the remaining air-side heat removed by rear-door heat
    /// exchangers into the facility water, 0-1 (default 0: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub rear_door_share: Option<f64>,
    /// Capital of the CDUs per kW of liquid design heat, USD (default 150, an assumption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub cdu_usd_per_kw: Option<f64>,
    /// Capital of piping, manifolds and cold-plate connections per kW, USD (default 100, an assumption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub piping_usd_per_kw: Option<f64>,
    /// Capital of dry coolers, pads or towers (and trim chillers) per kW, USD (default 150, an assumption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub heat_rejection_usd_per_kw: Option<f64>,
}
