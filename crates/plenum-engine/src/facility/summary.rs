//! What a simulated year reports besides its hourly table: energy, PUE,
//! cooling, carbon, each power-chain stage and oversubscription
//! ([`FacilitySummary`]), with the JSON order of their keyed lists.

use serde::Serialize;
use serde::ser::SerializeMap;

/// Energy over the year.
#[derive(Debug, Clone, Serialize)]
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
}

/// Power usage effectiveness.
#[derive(Debug, Clone, Serialize)]
pub struct PueSummary {
    /// Facility energy over IT energy for the year.
    pub annual: f64,
    /// Lowest hourly PUE (over hours with IT load).
    pub min_hourly: f64,
    /// Highest hourly PUE (over hours with IT load).
    pub max_hourly: f64,
}

/// Cooling over the year.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct StageSummary {
    /// `site`, `pdu` or `rack`.
    pub level: &'static str,
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
#[derive(Debug, Clone, Serialize)]
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
    #[serde(serialize_with = "ordered_loadings")]
    pub loadings_at_percentile: Vec<(String, f64)>,
}

fn ordered_loadings<S: serde::Serializer>(v: &[(String, f64)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        map.serialize_entry(k, x)?;
    }
    map.end()
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
    #[serde(serialize_with = "ordered_map")]
    pub power_chain: Vec<(String, StageSummary)>,
    /// Oversubscription.
    pub oversubscription: OversubscriptionSummary,
    /// Mean utilization over the year.
    pub mean_utilization: f64,
    /// Where the weather came from.
    pub weather_source: String,
}

fn ordered_map<S: serde::Serializer>(v: &[(String, StageSummary)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        map.serialize_entry(k, x)?;
    }
    map.end()
}
