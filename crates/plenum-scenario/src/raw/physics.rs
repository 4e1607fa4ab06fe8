//! Raw types of the facility-physics sections: `[site]`, `[power_chain]`,
//! `[cooling]` and `[carbon]`, and the utilization profile.
//!
//! A scenario with a `[cooling]` table is simulated hour by hour over a year;
//! without one, the static model prices energy from a fixed PUE.

use super::choice::{self, Preset, choice};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where the site is: its weather and its grid.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// Built-in climate: ashburn, phoenix, dallas, chicago, seattle, dublin,
    /// amsterdam, frankfurt, stockholm, singapore (the US sites' TMYx typical
    /// years hour by hour; the others synthesized with weather systems fitted
    /// to their ASHRAE design conditions). Give this or `weather_epw`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "choice::builtin_climate")]
    pub climate: Option<String>,
    /// An EnergyPlus weather file (EPW, 8,760 hours), e.g.
    /// `${PLENUM_DATA}/weather-epw-us-tmyx/USA_VA_Leesburg.Exec.epw`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weather_epw: Option<String>,
    /// Built-in grid carbon profile (pjm, azps, erco, miso, bpat, ie, nl, de, se,
    /// sg, fr, pl, us-mida-pjm); defaults to the climate's grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "choice::builtin_grid")]
    pub grid: Option<String>,
    /// Hourly carbon intensity CSV (8,760 rows, UTC timestamps, gCO2/kWh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon_csv: Option<String>,
    /// Column of `carbon_csv` holding the intensity (default: `avg_CI` or
    /// `carbon_intensity`, whichever the file has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon_csv_column: Option<String>,
    /// Offset of local standard time from UTC, to align a UTC carbon CSV with
    /// local weather hours (default: the built-in climate's, or the EPW header's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = -14, max = 14))]
    pub utc_offset_hours: Option<i32>,
}

/// The electrical path from utility to servers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPowerChain {
    /// `modern` (N+1 modern UPS, 2016 DOE transformer) or `legacy` (2N UPS of
    /// White Paper 113, 2007 transformer); `stages` replaces the preset's list.
    #[serde(default = "default_preset")]
    pub preset: Preset,
    /// Servers in one rack (default: the leaf-spine fabric's; else as many of
    /// the largest SKU as `rack_power_kw` carries at peak; else 40).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub servers_per_rack: Option<u64>,
    /// Power one rack is provisioned for, in kW: the rack-level stages' capacity
    /// (unless they give theirs), checked against the rack's nameplate (a
    /// warning when a full rack can draw more, an error when one server does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub rack_power_kw: Option<f64>,
    /// Heat one rack's cooling removes, in kW (air, rear door and cold plates
    /// together): a warning when a full rack's nameplate is above it, an error
    /// when one server's is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub rack_cooling_kw: Option<f64>,
    /// Racks fed by one PDU.
    #[serde(default = "default_racks_per_pdu")]
    #[schemars(range(min = 1))]
    pub racks_per_pdu: u64,
    /// Percentile of hourly site IT power used for oversubscription headroom
    /// (100 = the peak, as in Fan et al. 2007).
    #[serde(default = "default_percentile")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 100.0))]
    pub oversubscription_percentile: f64,
    /// Stages from the utility down to the rack; replaces the preset's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<RawStage>>,
}

pub(crate) fn default_preset() -> Preset {
    Preset::Modern
}
fn default_racks_per_pdu() -> u64 {
    20
}
fn default_percentile() -> f64 {
    100.0
}

/// One stage of the power chain.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    /// Name (`transformer`, `ups`, `pdu`, `busway`).
    #[schemars(length(min = 1))]
    pub name: String,
    /// A power-delivery stage with cited losses, unit size and redundancy
    /// (`busway`, `rack_pdu_ac`, `power_shelf_dc`); the keys below replace its figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<super::StageKind>,
    /// Where one instance sits: `site` (one for the site), `pdu` (one per PDU)
    /// or `rack` (one per rack).
    pub level: StageLevel,
    /// Usable (N) capacity of one instance, in kW; default: the design load below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub capacity_kw: Option<f64>,
    /// Units that share one instance's N capacity (default: 1 MW modules at
    /// site level, one unit per PDU or rack).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub units: Option<u32>,
    /// `n`, `n+1`, `n+2`, `2n` (N+N), `2n+1` or `dr` (distributed redundant, 3
    /// to make 2); default `n`, or the `kind`'s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redundancy: Option<StageRedundancy>,
    /// No-load loss as a fraction of unit rating (default 0, or the `kind`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub no_load_loss: Option<f64>,
    /// Loss proportional to load, as a fraction (default 0, or the `kind`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub proportional_loss: Option<f64>,
    /// Square-law loss at full load, as a fraction of unit rating (default 0,
    /// or the `kind`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub square_loss: Option<f64>,
    /// Whether the stage also feeds the cooling plant and other loads (stages
    /// upstream of the UPS); its heat is then outside the cooled space.
    #[serde(default)]
    pub feeds_mechanical: bool,
}

choice! {
    /// Where one instance of a stage sits: `site`, `pdu` or `rack`.
    pub enum StageLevel {
        Site = "site",
        Pdu = "pdu",
        Rack = "rack",
    }
}

choice! {
    /// Installed units against those needed: `n`, `n+1`, `n+2`, `2n`, `2n+1`
    /// (two systems of N+1) or `dr` (distributed redundant, three to make two).
    pub enum StageRedundancy {
        N = "n",
        NPlus1 = "n+1",
        NPlus2 = "n+2",
        TwoN = "2n",
        TwoNPlus1 = "2n+1",
        DistributedRedundant = "dr",
    }
}

choice! {
    /// How the plant rejects heat: `water_cooled` (chillers with cooling
    /// towers) or `air_cooled` (air-cooled chillers, dry coolers).
    pub enum RawHeatRejection {
        WaterCooled = "water_cooled",
        AirCooled = "air_cooled",
    }
}

choice! {
    /// Free cooling: `none`, `air_side` (outdoor air) or `water_side` (a heat
    /// exchanger from the condenser water).
    pub enum RawEconomizer {
        None = "none",
        AirSide = "air_side",
        WaterSide = "water_side",
    }
}

/// The cooling plant. Present: the year is simulated hour by hour.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCooling {
    /// `modern` (water-side economizer, warm water, variable-speed fans) or
    /// `legacy` (no economizer, cold water, constant-speed fans); the keys below
    /// override the preset.
    #[serde(default = "default_preset")]
    pub preset: Preset,
    /// `water_cooled` (chillers with towers) or `air_cooled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heat_rejection: Option<RawHeatRejection>,
    /// `none`, `air_side` or `water_side`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economizer: Option<RawEconomizer>,
    /// Chiller COP at the AHRI rating point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub chiller_cop_rated: Option<f64>,
    /// Chillers needed to carry the design heat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub chillers: Option<u32>,
    /// Supply (cold-aisle) air temperature, °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_air_c: Option<f64>,
    /// Return (hot-aisle) air temperature, °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_air_c: Option<f64>,
    /// Chilled-water supply temperature, °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chilled_water_supply_c: Option<f64>,
    /// Chilled-water temperature rise, K.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub chilled_water_delta_t_k: Option<f64>,
    /// Cooling-tower approach to wet bulb (dry-cooler approach to dry bulb), K.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub rejection_approach_k: Option<f64>,
    /// Economizer heat-exchanger approach, K.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub hx_approach_k: Option<f64>,
    /// Rise of outdoor air through an air-side economizer (fan heat), K.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub air_economizer_approach_k: Option<f64>,
    /// Highest outdoor dew point an air-side economizer admits, °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_economizer_max_dew_point_c: Option<f64>,
    /// Air-handler fan power at design airflow as a fraction of design heat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub fan_design_fraction: Option<f64>,
    /// Fans vary their speed with the load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fan_variable_speed: Option<bool>,
    /// Lowest fan speed as a fraction of design airflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub fan_min_speed_fraction: Option<f64>,
    /// Chilled-water pump power per kW of heat carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub chilled_water_pump_fraction: Option<f64>,
    /// Condenser-water pump power per kW of heat rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub condenser_pump_fraction: Option<f64>,
    /// Tower or dry-cooler fan power per kW of heat rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub tower_fan_fraction: Option<f64>,
    /// Design heat of the plant in kW (default: critical power plus indoor losses at it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub design_heat_kw: Option<f64>,
    /// Lighting and other building loads as a fraction of critical power
    /// (default 0.01, White Paper 113's lighting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub other_loads_fraction: Option<f64>,
    /// Direct liquid cooling beside this air plant (cold plates, CDUs,
    /// facility water, dry coolers or towers); the air plant keeps the heat
    /// the cold plates do not capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquid: Option<super::liquid::RawLiquid>,
}

/// Embodied carbon.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCarbon {
    /// Embodied carbon of the building per MW of critical power, tCO2e.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub building_t_per_mw: f64,
    /// Years over which the building's embodied carbon is spread (default: its amortization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub building_lifetime_years: Option<f64>,
    /// Years over which a server's embodied carbon is spread (default: its amortization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub server_lifetime_years: Option<f64>,
    /// Market-based accounting: how contracted clean energy and certificates
    /// meet the simulated year's consumption, `annual` (yearly totals net) or
    /// `hourly` (each hour's clean supply covers that hour only; certificates
    /// do not count). Any market key adds `carbon.market_based_t` and
    /// `carbon.cfe_score` to the summary (needs `[cooling]`). Default `annual`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<String>,
    /// Contracted clean supply (power purchase agreements) over the year, MWh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub ppa_mwh_per_year: Option<f64>,
    /// Hourly shape of the contracted supply: `flat` (baseload) or `solar`
    /// (clear-sky sun elevation at `ppa_latitude_deg`). Default `flat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ppa_profile: Option<String>,
    /// Latitude of the solar farm, degrees north (default: the built-in
    /// climate's latitude).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = -90.0, max = 90.0))]
    pub ppa_latitude_deg: Option<f64>,
    /// Unbundled energy attribute certificates for the year, MWh (count in
    /// annual matching only: they carry no hour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub certificates_mwh: Option<f64>,
    /// Emission factor of consumption no instrument covers, gCO2/kWh: the
    /// grid's published residual mix (default: the simulated year's
    /// consumption-weighted mean grid intensity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub residual_mix_g_per_kwh: Option<f64>,
}
