//! The validated scenario: plain typed data the engine consumes.
//!
//! Everything here has passed [`crate::validate`]: numbers are finite and in
//! range, either/or choices are resolved into enums, and derived figures (the
//! facility's capex from its cost per watt) are computed once.

use crate::document::Document;
use plenum_models::accelerators::AcceleratorServer;
use plenum_models::carbon::GridProfile;
use plenum_models::climate::BuiltinSite;
use plenum_models::cooling::CoolingPlant;
use plenum_models::it_power::{PowerCurve, PsuCurve};
pub use plenum_models::network::LeafSpineDesign;
use plenum_models::power_chain::{LossModel, Redundancy};
use std::path::PathBuf;

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Free text.
    pub description: String,
    /// Cost of money and amortization.
    pub finance: Finance,
    /// The building.
    pub facility: Facility,
    /// Server SKUs, at least one.
    pub servers: Vec<ServerSku>,
    /// Network gear.
    pub network: Network,
    /// Electricity.
    pub energy: Energy,
    /// Operations staff.
    pub people: People,
    /// Maintenance.
    pub maintenance: Maintenance,
    /// Mean fraction of vCPU time used, when the scenario gives it.
    pub mean_cpu_utilization: Option<f64>,
    /// Utilization over the year (constant at the mean when the scenario has no profile).
    pub utilization: Utilization,
    /// The hour-by-hour facility model, when the scenario has `[cooling]`.
    pub physics: Option<Physics>,
    /// Capacity planning, when the scenario has `[plan]`.
    pub plan: Option<Plan>,
    /// Trace replay, when the scenario has `[workload]`.
    pub workload: Option<crate::workload::Workload>,
    /// Measurements to compare with, when the scenario has `[telemetry]`.
    pub telemetry: Option<crate::telemetry::Telemetry>,
    /// The reliability study, when the scenario has a `[reliability]` section.
    pub reliability: Option<crate::reliability::Reliability>,
    /// Figures computed from absent inputs, stated so that no silent default
    /// is read as a result ([`crate::notes`]).
    pub notes: Vec<crate::notes::Note>,
    /// Carbon-aware shifting, when the scenario has `[carbon_aware]`.
    pub carbon_aware: Option<crate::carbon_aware::CarbonAware>,
    /// Market-based carbon accounting, when `[carbon]` has a market key.
    pub carbon_market: Option<crate::carbon_market::MarketContracts>,
    /// A training job's waveform and goodput, when the scenario has `[training]`.
    pub training: Option<crate::training::Training>,
    /// The document this scenario was read from, for overrides and variants.
    pub document: Document,
}

/// Cost of money and amortization periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Finance {
    /// Nominal annual cost of money (fraction).
    pub cost_of_money_annual: f64,
    /// Server amortization.
    pub server_amortization_years: f64,
    /// Network amortization (the server period when the scenario has no network).
    pub network_amortization_years: f64,
    /// Facility amortization.
    pub facility_amortization_years: f64,
}

/// The building.
#[derive(Debug, Clone, PartialEq)]
pub struct Facility {
    /// Critical power.
    pub critical_power_kw: f64,
    /// Build cost.
    pub capex_usd: f64,
    /// Power distribution and cooling share of the build cost.
    pub power_cooling_share: f64,
}

/// One server SKU.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerSku {
    /// Name.
    pub name: String,
    /// Servers of this SKU.
    pub count: u64,
    /// Price of one.
    pub price_usd: f64,
    /// Idle power.
    pub idle_power_w: f64,
    /// Full-load power.
    pub peak_power_w: f64,
    /// Cores.
    pub cores: u64,
    /// Threads per core.
    pub threads_per_core: u64,
    /// Memory.
    pub memory_gib: f64,
    /// Work per second at full load, in a unit common to all SKUs.
    pub work_rate: Option<f64>,
    /// Power against utilization (wall power, or DC power when `psu` is given).
    pub power_curve: PowerCurve,
    /// Power supply, when modelled separately.
    pub psu: Option<Psu>,
    /// Embodied carbon of one server.
    pub embodied_kgco2e: f64,
    /// Its accelerators and host, when it has accelerators (`idle_power_w` and
    /// `peak_power_w` above are then the whole server's).
    pub accelerators: Option<AcceleratorServer>,
}

/// A server power supply.
#[derive(Debug, Clone, PartialEq)]
pub struct Psu {
    /// Efficiency over load fraction.
    pub curve: PsuCurve,
    /// Rating.
    pub rating_w: f64,
}

impl ServerSku {
    /// vCPUs (hardware threads) in one server.
    pub fn vcpus(&self) -> u64 {
        self.cores * self.threads_per_core
    }
}

/// Network gear.
#[derive(Debug, Clone, PartialEq)]
pub enum Network {
    /// No separate networking line (its cost is inside the server price, say).
    None,
    /// A given capital cost and power.
    Capex {
        /// Capital cost.
        capex_usd: f64,
        /// Power draw.
        power_kw: f64,
    },
    /// A leaf-spine fabric sized from the server count.
    LeafSpine(LeafSpineDesign),
}

/// Electricity.
#[derive(Debug, Clone, PartialEq)]
pub struct Energy {
    /// Flat price.
    pub price_usd_per_kwh: f64,
    /// Time-of-use price by local hour, replacing the flat price in a simulated year.
    pub price_usd_per_kwh_by_hour: Option<[f64; 24]>,
    /// Average IT draw over critical power (fixed-PUE scenarios; 0 in simulated ones).
    pub average_load_fraction: f64,
    /// Fixed PUE (fixed-PUE scenarios; 0 in simulated ones).
    pub pue: f64,
}

/// Utilization of the fleet over the year.
#[derive(Debug, Clone, PartialEq)]
pub struct Utilization {
    /// Mean level (rescales a CSV series when given).
    pub mean_cpu_fraction: Option<f64>,
    /// Shape over time.
    pub profile: UtilizationProfile,
    /// Per-server hourly spread (± uniform).
    pub server_spread: f64,
    /// Per-rack hourly spread (± uniform).
    pub rack_spread: f64,
    /// How the per-server spread is simulated (exactly, or per run as a normal total).
    pub server_spread_method: crate::raw::SpreadMethod,
}

/// Shape of utilization over time.
#[derive(Debug, Clone, PartialEq)]
pub enum UtilizationProfile {
    /// The mean every hour.
    Constant,
    /// A daily cosine around the mean, optionally lower at weekends.
    Diurnal {
        /// Swing at peak and trough.
        amplitude: f64,
        /// Local hour of the peak.
        peak_hour: u32,
        /// Factor on Saturdays and Sundays.
        weekend_factor: f64,
    },
    /// A real series from a CSV file.
    Csv {
        /// The file.
        path: PathBuf,
        /// Column.
        column: String,
        /// Values are percentages (else fractions).
        percent: bool,
        /// Seconds between rows.
        step_s: u64,
    },
}

/// The hour-by-hour facility model.
#[derive(Debug, Clone, PartialEq)]
pub struct Physics {
    /// Weather.
    pub weather: WeatherSource,
    /// Grid carbon intensity.
    pub carbon: CarbonSource,
    /// Local standard time offset from UTC.
    pub utc_offset_hours: i32,
    /// Power chain.
    pub power_chain: PowerChainSpec,
    /// Cooling plant (its design heat is set by the engine unless given).
    pub cooling: CoolingPlant,
    /// Design heat of the plant, when the scenario gives it.
    pub design_heat_kw: Option<f64>,
    /// Direct liquid cooling beside the air plant, when `[cooling.liquid]` is given.
    pub liquid: Option<Liquid>,
    /// Lighting and other loads over critical power.
    pub other_loads_fraction: f64,
    /// Embodied carbon of the building per MW of critical power.
    pub building_embodied_t_per_mw: f64,
    /// Years over which building carbon is spread.
    pub building_lifetime_years: f64,
    /// Years over which server carbon is spread.
    pub server_lifetime_years: f64,
}

/// Where hourly weather comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum WeatherSource {
    /// Generated from a built-in climate.
    Builtin(&'static BuiltinSite),
    /// Read from an EPW file.
    Epw(PathBuf),
}

/// Where hourly carbon intensity comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum CarbonSource {
    /// A built-in month-by-hour profile.
    Builtin(&'static GridProfile),
    /// An hourly CSV file (UTC).
    Csv {
        /// The file.
        path: PathBuf,
        /// Column, if named.
        column: Option<String>,
    },
}

/// The power chain.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerChainSpec {
    /// Stages from the utility down to the rack.
    pub stages: Vec<StageSpec>,
    /// Servers in one rack.
    pub servers_per_rack: u64,
    /// Power one rack is provisioned for (rack stages' default capacity), when given.
    pub rack_power_kw: Option<f64>,
    /// Heat one rack's cooling removes, when given.
    pub rack_cooling_kw: Option<f64>,
    /// Racks fed by one PDU.
    pub racks_per_pdu: u64,
    /// Percentile of hourly site IT power for oversubscription headroom.
    pub oversubscription_percentile: f64,
}

/// Where a stage's instances sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// One for the site.
    Site,
    /// One per PDU.
    Pdu,
    /// One per rack.
    Rack,
}

/// One stage of the power chain.
#[derive(Debug, Clone, PartialEq)]
pub struct StageSpec {
    /// Name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Usable capacity of one instance, if given (else sized to the design load).
    pub capacity_kw: Option<f64>,
    /// Units sharing one instance's N capacity (default: 1 MW modules at site
    /// level, one unit per PDU or rack, or as many `unit_kw` units as the
    /// capacity needs).
    pub units: Option<u32>,
    /// Rating of one unit when `units` is not given (a power shelf's rectifier).
    pub unit_kw: Option<f64>,
    /// Redundancy.
    pub redundancy: Redundancy,
    /// Loss coefficients.
    pub loss: LossModel,
    /// Also feeds cooling and other loads (upstream of the UPS).
    pub feeds_mechanical: bool,
}

/// Operations staff.
#[derive(Debug, Clone, PartialEq)]
pub enum People {
    /// No staff line.
    None,
    /// A given monthly cost.
    Monthly {
        /// Cost a month.
        cost_usd: f64,
    },
    /// Administrators in proportion to servers.
    PerServers {
        /// Servers one administrator looks after.
        servers_per_admin: f64,
        /// Loaded yearly cost of one administrator.
        admin_annual_cost_usd: f64,
    },
}

/// Maintenance fractions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Maintenance {
    /// Yearly fraction of facility capex.
    pub facility_annual_fraction: f64,
    /// Yearly fraction of IT capex.
    pub it_annual_fraction: f64,
}

impl Scenario {
    /// Servers across all SKUs.
    pub fn server_count(&self) -> u64 {
        self.servers.iter().map(|s| s.count).sum()
    }

    /// vCPUs across the fleet.
    pub fn vcpu_count(&self) -> u64 {
        self.servers.iter().map(|s| s.count * s.vcpus()).sum()
    }

    /// Accelerators across the fleet.
    pub fn accelerator_count(&self) -> u64 {
        self.servers.iter().filter_map(|s| s.accelerators.map(|a| s.count * a.accelerators)).sum()
    }
}

/// Capacity planning over months.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Months.
    pub horizon_months: u32,
    /// Demand samples.
    pub samples: u32,
    /// Penalty per MW-month unserved.
    pub unserved_penalty_usd_per_mw_month: f64,
    /// Median demand curve (a CSV is read by the I/O layer into `Monthly`).
    pub demand: PlanDemand,
    /// σ of log demand after one year.
    pub noise_sigma_annual: f64,
    /// Module size.
    pub module_size_mw: f64,
    /// Lead time.
    pub lead_time_months: u32,
    /// Cooling the module removes (None: its size).
    pub module_cooling_mw: Option<f64>,
    /// Rack positions in the module (None: enough).
    pub module_racks: Option<u64>,
    /// Power chain of a module (None: the scenario's).
    pub module_power_chain: Option<Vec<StageSpec>>,
    /// Cooling plant of a module (None: the scenario's).
    pub module_cooling: Option<CoolingPlant>,
    /// Annual fraction of servers failing in place (0: repaired).
    pub fail_in_place_annual_fraction: f64,
    /// Build rule.
    pub build: BuildRule,
    /// Site choice for threshold builds.
    pub site_choice: plenum_models::buildout::SiteChoice,
    /// Candidate sites.
    pub sites: Vec<PlanSite>,
}

/// Where the demand curve comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanDemand {
    /// A closed-form curve.
    Curve(plenum_models::buildout::DemandCurve),
    /// A CSV of monthly MW.
    Csv {
        /// The file.
        path: PathBuf,
        /// Column.
        column: String,
    },
}

/// When to build.
#[derive(Debug, Clone, PartialEq)]
pub enum BuildRule {
    /// Keep forecast utilization one lead time ahead under a threshold.
    Threshold {
        /// Highest planned utilization.
        utilization: f64,
        /// Forecast percentile planned for.
        percentile: f64,
    },
    /// Build at given months and sites: (month, site index, modules).
    Schedule(Vec<(u32, usize, u32)>),
}

/// A candidate site.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSite {
    /// Name.
    pub name: String,
    /// Weather (None: the scenario's).
    pub weather: Option<WeatherSource>,
    /// Grid (None: the scenario's or the climate's).
    pub carbon: Option<CarbonSource>,
    /// Time zone (None: the scenario's).
    pub utc_offset_hours: Option<i32>,
    /// Energy price (None: the scenario's).
    pub price_usd_per_kwh: Option<f64>,
    /// Build cost per critical watt (None: the scenario's).
    pub cost_usd_per_critical_w: Option<f64>,
    /// Room.
    pub max_mw: f64,
    /// Built before month 0.
    pub initial_mw: f64,
}

/// Direct liquid cooling: the plant (its design heat set by the engine) and its capital.
#[derive(Debug, Clone, PartialEq)]
pub struct Liquid {
    /// The plant.
    pub plant: plenum_models::liquid_cooling::LiquidPlant,
    /// CDUs per kW of liquid design heat, USD.
    pub cdu_usd_per_kw: f64,
    /// Piping, manifolds and cold-plate connections per kW, USD.
    pub piping_usd_per_kw: f64,
    /// Dry coolers, pads or towers and trim chillers per kW, USD.
    pub heat_rejection_usd_per_kw: f64,
}

impl Liquid {
    /// Capital of the liquid plant for `design_heat_kw` of liquid heat, USD.
    pub fn capex_usd(&self, design_heat_kw: f64) -> f64 {
        (self.cdu_usd_per_kw + self.piping_usd_per_kw + self.heat_rejection_usd_per_kw) * design_heat_kw
    }
}
