//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! These types are the single source of the file format. The JSON Schema that
//! `plenum schema` prints and that the checker in [`crate::check`] walks is
//! derived from them, so a field documented here is documented in editors too.
//! Units are in the key names. Values here are unchecked; [`crate::validate`]
//! turns them into a [`crate::Scenario`].

pub mod accelerators;
pub mod carbon_aware;
pub mod choice;
pub mod reliability;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod liquid;
pub mod physics;
pub mod plan;
pub mod telemetry;
pub mod training;
pub mod workload;
pub use accelerators::{AcceleratorPresetName, RawAccelerators, StageKind};
pub use choice::{FractionUnit, PowerModel, Preset};
pub use liquid::*;
pub use physics::*;
pub use plan::*;

/// A Plenum scenario: one data-center site, its fleet and its finances.
///
/// Before a run starts its CPU time and memory are estimated from the
/// counts here (servers, replications and years, plan samples, workload
/// tasks and hosts); a run above the caps (600 s of CPU and 8 GiB by default)
/// is refused at the field that drives it. Raise them with `plenum run
/// --max-cpu-s N --max-memory-gib N` or `PLENUM_MAX_CPU_S` / `PLENUM_MAX_MEMORY_GIB`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// A built-in scenario this file starts from (`default`, `ashburn-static`,
    /// `hamilton-2008` or `hamilton-2010`): its tables merge under the file's,
    /// key by key, and a list the file gives (such as `[[servers]]`) replaces
    /// the base's whole. The file then needs only what differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "choice::embedded_scenario")]
    pub base: Option<String>,
    /// Name, seed and description of the scenario.
    pub scenario: RawMeta,
    /// Cost of money and amortization periods.
    pub finance: RawFinance,
    /// The building: critical power and what it cost.
    pub facility: RawFacility,
    /// Server SKUs in the fleet (one `[[servers]]` table each).
    #[schemars(length(min = 1))]
    pub servers: Vec<RawServerSku>,
    /// Network gear: an explicit capital cost, or a leaf-spine fabric to size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<RawNetwork>,
    /// Electricity price and how the energy bill is estimated.
    pub energy: RawEnergy,
    /// Operations staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<RawPeople>,
    /// Maintenance as a yearly share of capital.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<RawMaintenance>,
    /// How busy the servers are over the year; also the price floor per vCPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<RawUtilization>,
    /// Where the site is: weather and grid (used when `[cooling]` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<RawSite>,
    /// The power chain from utility to rack (used when `[cooling]` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_chain: Option<RawPowerChain>,
    /// The cooling plant. With it the year is simulated hour by hour and PUE is
    /// computed; without it energy uses the fixed `energy.pue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling: Option<RawCooling>,
    /// Embodied carbon of the building (server figures are per SKU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon: Option<RawCarbon>,
    /// Capacity planning over years (`plenum plan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<RawPlan>,
    /// Replay a VM or job trace on the fleet: placement, queueing, power from utilization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<workload::RawWorkload>,
    /// Measurements of the real system (power every 30 s, ...) to compare the
    /// replay with and to calibrate against (`plenum calibrate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telemetry: Option<telemetry::RawTelemetry>,
    /// Monte Carlo reliability study: failures, repairs and outages of the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<reliability::RawReliability>,
    /// Carbon-aware operation: shift flexible jobs to cleaner hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon_aware: Option<carbon_aware::RawCarbonAware>,
    /// A synchronous training job on the site's accelerators: its power
    /// swings at sub-second resolution, what smooths them for the grid and
    /// at what cost, and the goodput it keeps through its interruptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<training::RawTraining>,
}

/// Name, seed and description.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Short name shown in reports.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Seed of every random stream; same seed, same results.
    #[serde(default)]
    pub seed: u64,
    /// Free text: what the scenario is and where its figures come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Cost of money and amortization periods.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFinance {
    /// Nominal annual cost of money as a fraction (0.05 = 5%); payments use rate / 12.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub cost_of_money_annual: f64,
    /// Years over which servers are amortized.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub server_amortization_years: f64,
    /// Years over which network gear is amortized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub network_amortization_years: Option<f64>,
    /// Years over which the facility is amortized.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub facility_amortization_years: f64,
}

/// The building.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFacility {
    /// Critical (IT) power the facility is built to deliver, in kW.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub critical_power_kw: f64,
    /// Build cost per watt of critical power, in US dollars (give this or `capex_usd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub cost_usd_per_critical_w: Option<f64>,
    /// Total build cost in US dollars (give this or `cost_usd_per_critical_w`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub capex_usd: Option<f64>,
    /// Share of the facility cost that is power distribution and cooling (0..1; 0.82 in Hamilton's models).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub power_cooling_share: f64,
}

/// One server SKU.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServerSku {
    /// Name of the SKU.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Number of servers of this SKU.
    #[schemars(range(min = 1))]
    pub count: u64,
    /// Purchase price of one server, in US dollars.
    #[schemars(range(min = 0.0))]
    pub price_usd: f64,
    /// Power at idle, in watts (with `[servers.accelerators]`: the host's
    /// alone, default the preset's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub idle_power_w: Option<f64>,
    /// Power at full load, in watts (with `[servers.accelerators]`: the
    /// host's alone, default the preset's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub peak_power_w: Option<f64>,
    /// Physical cores per server.
    #[schemars(range(min = 1))]
    pub cores: u64,
    /// Hardware threads per core; a vCPU is one thread (default 2).
    #[serde(default = "default_threads_per_core")]
    #[schemars(range(min = 1))]
    pub threads_per_core: u64,
    /// Memory per server, in GiB.
    #[schemars(range(min = 0.0))]
    pub memory_gib: f64,
    /// Work one server completes per second at full load, in any unit that is the
    /// same across SKUs (requests/s, SPECint rate, ...); enables the SKU comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub work_rate: Option<f64>,
    /// How power follows utilization (default linear): `linear`, `fwb`
    /// (Fan–Weber–Barroso, r = `power_exponent`), `sqrt`, `square`, `cubic`,
    /// `power` (u^`power_exponent`) or `table` (`power_table_w`).
    #[serde(default = "default_power_model")]
    pub power_model: PowerModel,
    /// Exponent of the power curve: r of `fwb` (above 1; 1.4 in the paper, the
    /// default) or e of `power` (`P_idle + (P_peak − P_idle)·u^e`, required
    /// then). The same key as in `[workload]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.05, max = 10.0))]
    pub power_exponent: Option<f64>,
    /// Watts at 0%, 10%, …, 100% utilization (SPECpower style; 11 numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 11, max = 11))]
    pub power_table_w: Option<Vec<f64>>,
    /// Power supply: an 80 PLUS level (`80plus`, `bronze`, `silver`, `gold`,
    /// `platinum`, `titanium`). When given, the power curve is DC load and the
    /// PSU's losses are added; without it the curve is wall power.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psu: Option<PsuLevel>,
    /// Rating of the PSU in watts (default: 1.25 × peak power).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub psu_rating_w: Option<f64>,
    /// Embodied carbon of one server, kgCO2e.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub embodied_kgco2e: f64,
    /// Accelerators (GPUs) in each server: a built-in SKU or their count and power.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerators: Option<RawAccelerators>,
}

fn default_power_model() -> PowerModel {
    PowerModel::Linear
}

choice::choice! {
    /// An 80 PLUS certification level (80 PLUS program, CLEAResult): the
    /// efficiency at 20%, 50% and 100% of the rating (and 10% for titanium).
    pub enum PsuLevel {
        EightyPlus = "80plus",
        Bronze = "bronze",
        Silver = "silver",
        Gold = "gold",
        Platinum = "platinum",
        Titanium = "titanium",
    }
}

fn default_threads_per_core() -> u64 {
    2
}

/// Network gear: `capex_usd` or a `[network.leaf_spine]` table, not both.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    /// Total capital cost of the network, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub capex_usd: Option<f64>,
    /// Power the network draws, in kW (with `capex_usd`; a leaf-spine fabric computes its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub power_kw: Option<f64>,
    /// A leaf-spine fabric sized from the server count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_spine: Option<RawLeafSpine>,
}

/// A two-tier leaf-spine fabric.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLeafSpine {
    /// Servers in one rack.
    #[schemars(range(min = 1))]
    pub servers_per_rack: u64,
    /// Top-of-rack (leaf) switches per rack (default 1).
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub tors_per_rack: u64,
    /// Speed of a server's link, in Gb/s.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub server_link_gbps: f64,
    /// Speed of a leaf-to-spine uplink, in Gb/s.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub uplink_gbps: f64,
    /// Server-facing over uplink bandwidth at each leaf (1 = non-blocking).
    #[schemars(range(min = 1.0))]
    pub oversubscription_ratio: f64,
    /// Ports on one spine switch.
    #[schemars(range(min = 1))]
    pub spine_ports: u64,
    /// Border routers (default 2).
    #[serde(default = "two")]
    pub border_routers: u64,
    /// Price of a leaf switch, in US dollars.
    #[schemars(range(min = 0.0))]
    pub tor_price_usd: f64,
    /// Price of a spine switch, in US dollars.
    #[schemars(range(min = 0.0))]
    pub spine_price_usd: f64,
    /// Price of a border router, in US dollars.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub border_router_price_usd: f64,
    /// Optics and cable for one uplink (both ends), in US dollars.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub uplink_optics_price_usd: f64,
    /// Typical power of a leaf switch, in watts.
    #[schemars(range(min = 0.0))]
    pub tor_power_w: f64,
    /// Typical power of a spine switch, in watts.
    #[schemars(range(min = 0.0))]
    pub spine_power_w: f64,
    /// Typical power of a border router, in watts.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub border_router_power_w: f64,
}

fn one() -> u64 {
    1
}

fn two() -> u64 {
    2
}

/// Electricity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEnergy {
    /// Flat price of electricity, in US dollars per kWh.
    #[schemars(range(min = 0.0))]
    pub price_usd_per_kwh: f64,
    /// Time-of-use prices by local hour of day (24 numbers, USD/kWh); replaces
    /// the flat price in a simulated year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 24, max = 24))]
    pub price_usd_per_kwh_by_hour: Option<Vec<f64>>,
    /// Average IT draw as a fraction of critical power (0..1; Hamilton uses 0.8).
    /// Fixed-PUE scenarios only: a simulated year computes the draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub average_load_fraction: Option<f64>,
    /// Power usage effectiveness: facility power over IT power (at least 1).
    /// Fixed-PUE scenarios only: a simulated year computes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1.0))]
    pub pue: Option<f64>,
}

/// Operations staff: `monthly_cost_usd`, or `servers_per_admin` with `admin_annual_cost_usd`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeople {
    /// Total staff cost a month, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub monthly_cost_usd: Option<f64>,
    /// Servers one administrator looks after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub servers_per_admin: Option<f64>,
    /// Loaded yearly cost of one administrator (salary, benefits, overhead), in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub admin_annual_cost_usd: Option<f64>,
}

/// Maintenance contracts and spares as a yearly fraction of capital.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMaintenance {
    /// Yearly facility maintenance as a fraction of facility capex (0..1).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub facility_annual_fraction: f64,
    /// Yearly IT maintenance as a fraction of server and network capex (0..1).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub it_annual_fraction: f64,
}

/// How busy the fleet is over the year.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUtilization {
    /// Mean CPU utilization (0..1]: the level of the profile and the
    /// denominator of the price per vCPU-hour. With a CSV profile it rescales
    /// the series to this mean; omit it to keep the series as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub mean_cpu_fraction: Option<f64>,
    /// `constant` (the mean every hour), `diurnal` (a daily cosine) or `csv` (a real series).
    #[serde(default = "default_profile")]
    pub profile: ProfileShape,
    /// Diurnal: swing above and below the mean at the peak and trough hours (absolute fraction).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub diurnal_amplitude: f64,
    /// Diurnal: local hour of day (0-23) of the peak.
    #[serde(default = "default_peak_hour")]
    #[schemars(range(min = 0, max = 23))]
    pub peak_hour: u32,
    /// Diurnal: factor on utilization on Saturdays and Sundays.
    #[serde(default = "default_weekend_factor")]
    #[schemars(range(min = 0.0))]
    pub weekend_factor: f64,
    /// CSV: file of utilization samples, one row a step (e.g.
    /// `${PLENUM_DATA}/dc-utilization-aggregate/sustaindc_google_cpu_hourly.csv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// CSV: column to read (default `cpu_load`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_column: Option<String>,
    /// CSV: `fraction` (0..1) or `percent` (0..100).
    #[serde(default = "default_csv_unit")]
    pub csv_unit: FractionUnit,
    /// CSV: seconds between rows; rows are averaged into hours and the series
    /// repeats (or is cut) to fill a year.
    #[serde(default = "default_csv_step")]
    #[schemars(range(min = 1))]
    pub csv_step_s: u64,
    /// Spread between servers: each server's utilization moves by up to ± this
    /// much each hour around the fleet's (uniform, seeded).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub server_spread: f64,
    /// Spread between racks: each rack moves by up to ± this much each hour.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub rack_spread: f64,
    /// How the server spread is simulated: `normal` (the default: each
    /// rack's run of 16 or more servers of one SKU as one total drawn from a
    /// normal with their power's mean and variance, about 40 times less work
    /// for racks of 40, the same figures within a documented bound but not
    /// to the bit; shorter runs server by server) or `exact` (every server's
    /// utilization and power, every hour).
    #[serde(default = "default_server_spread_method")]
    pub server_spread_method: SpreadMethod,
}

choice::choice! {
    /// How the server spread is simulated: `normal` (a run of a rack's
    /// servers as one normal total with their mean and variance; the
    /// default) or `exact` (every server, every hour); see
    /// `plenum_engine::facility::hours`.
    pub enum SpreadMethod {
        Exact = "exact",
        Normal = "normal",
    }
}

fn default_server_spread_method() -> SpreadMethod {
    SpreadMethod::Normal
}

choice::choice! {
    /// Shape of utilization over the year: `constant`, `diurnal` or `csv`.
    pub enum ProfileShape {
        Constant = "constant",
        Diurnal = "diurnal",
        Csv = "csv",
    }
}

fn default_profile() -> ProfileShape {
    ProfileShape::Constant
}
fn default_peak_hour() -> u32 {
    14
}
fn default_weekend_factor() -> f64 {
    1.0
}
fn default_csv_unit() -> FractionUnit {
    FractionUnit::Fraction
}
fn default_csv_step() -> u64 {
    3600
}
