//! What a simulated year reports besides its hourly table: energy, PUE,
//! cooling, carbon, each power-chain stage and oversubscription
//! ([`FacilitySummary`]), with the JSON order of their keyed lists.

use serde::Serialize;

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
    /// Direct liquid cooling, when the scenario has `[cooling.liquid]`; the
    /// figures above are then the air plant's (its design heat is the air share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquid: Option<LiquidSummary>,
}

/// Direct liquid cooling over the year (`plenum_models::liquid_cooling`).
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiquidSummary {
    /// ASHRAE TC 9.9 liquid-cooling class (W17 ... W+).
    pub class: String,
    /// How the facility water rejects heat: `dry_cooler`, `adiabatic` or `cooling_tower`.
    pub heat_rejection: String,
    /// Facility water supply temperature set point, °C.
    pub facility_supply_c: f64,
    /// Technology-loop (cold-plate) supply temperature: facility supply plus the CDU approach, °C.
    pub technology_supply_c: f64,
    /// Share of the year's indoor heat (IT plus indoor losses) carried by the
    /// facility water (cold plates and rear doors), 0-1.
    pub captured_share: f64,
    /// Heat carried by the facility water over the year.
    pub captured_mwh: f64,
    /// Hours in which trim chillers ran.
    pub chiller_hours: u64,
    /// Hours the dry coolers alone (no water, no chillers) met the supply temperature.
    pub dry_cooler_only_hours: u64,
    /// Hours of evaporation without chillers (adiabatic assist, or towers alone).
    pub evaporative_hours: u64,
    /// Hours the supply was warmer than its set point (plants without chillers).
    pub over_supply_hours: u64,
    /// Highest hourly facility water supply temperature reached, °C.
    pub max_supply_c: f64,
    /// Technology-loop (CDU) pumps.
    pub cdu_pump_mwh: f64,
    /// Facility water pumps.
    pub facility_pump_mwh: f64,
    /// Dry-cooler or tower fans.
    pub rejection_fans_mwh: f64,
    /// Trim chillers.
    pub chillers_mwh: f64,
    /// Heat rejected outdoors: captured heat plus pump and chiller work.
    pub heat_rejection_mwh: f64,
    /// Heat the liquid loop is designed for.
    pub design_heat_kw: f64,
    /// Capital of CDUs, piping and heat rejection (in `cost.capex_usd.liquid_cooling`).
    pub capex_usd: f64,
}

/// Water drawn by cooling towers and adiabatic pads over the year.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaterSummary {
    /// Evaporation plus blowdown.
    pub annual_m3: f64,
    /// Evaporated (heat rejected latently over the latent heat of vaporisation).
    pub evaporation_m3: f64,
    /// Blown down to hold the cycles of concentration.
    pub blowdown_m3: f64,
    /// Of the total, drawn by the liquid plant.
    pub liquid_plant_m3: f64,
    /// Of the total, drawn by the air plant's towers.
    pub air_plant_m3: f64,
    /// Site water usage effectiveness: litres over IT kWh (The Green Grid WP #35).
    pub wue_l_per_kwh: f64,
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
    /// The market-based figures, when `[carbon]` holds contracts
    /// ([`crate::carbon_market::MarketSummary`], which fills them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_based_t: Option<f64>,
    /// Google's 24/7 carbon-free-energy score (contracted supply only), 0-1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfe_score: Option<f64>,
    /// `annual` or `hourly` matching of the contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<plenum_models::carbon_market::Matching>,
    /// Contracted clean supply over the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clean_supply_mwh: Option<f64>,
    /// Clean supply used in the hour it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_matched_mwh: Option<f64>,
    /// Consumption covered by instruments under the matching rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_mwh: Option<f64>,
    /// Certificates counted under the matching rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificates_applied_mwh: Option<f64>,
    /// Emission factor applied to uncovered consumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_mix_g_per_kwh: Option<f64>,
}

impl CarbonSummary {
    /// These location-based figures with the market-based ones of `market`.
    pub fn with_market(&self, market: Option<&crate::carbon_market::MarketSummary>) -> CarbonSummary {
        let Some(m) = market else { return self.clone() };
        CarbonSummary {
            market_based_t: Some(m.market_based_t),
            cfe_score: Some(m.cfe_score),
            matching: Some(m.matching),
            clean_supply_mwh: Some(m.clean_supply_mwh),
            hourly_matched_mwh: Some(m.hourly_matched_mwh),
            covered_mwh: Some(m.covered_mwh),
            certificates_applied_mwh: Some(m.certificates_applied_mwh),
            residual_mix_g_per_kwh: Some(m.residual_mix_g_per_kwh),
            ..self.clone()
        }
    }
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
    #[serde(deserialize_with = "crate::json_forms::null_as_infinity")]
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
    pub loadings_at_percentile: crate::json_forms::Named<f64>,
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
    /// Water.
    pub water: WaterSummary,
    /// Carbon.
    pub carbon: CarbonSummary,
    /// Stages in chain order, from the utility down.
    pub power_chain: crate::json_forms::Named<StageSummary>,
    /// Oversubscription.
    pub oversubscription: OversubscriptionSummary,
    /// Mean utilization over the year.
    pub mean_utilization: f64,
    /// Where the weather came from.
    pub weather_source: String,
}
