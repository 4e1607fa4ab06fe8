//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! These types are the single source of the file format. The JSON Schema that
//! `plenum schema` prints and that the checker in [`crate::check`] walks is
//! derived from them, so a field documented here is documented in editors too.
//! Units are in the key names. Values here are unchecked; [`crate::validate`]
//! turns them into a [`crate::Scenario`].

pub mod reliability;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Plenum scenario: one data-center site, its fleet and its finances.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
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
    /// How busy the servers are; used for the price floor per vCPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<RawUtilization>,
    /// Monte Carlo reliability study: failures, repairs and outages of the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<reliability::RawReliability>,
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
    /// Power at idle, in watts.
    #[schemars(range(min = 0.0))]
    pub idle_power_w: f64,
    /// Power at full load, in watts.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub peak_power_w: f64,
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
    /// Average IT draw as a fraction of critical power (0..1; Hamilton uses 0.8).
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub average_load_fraction: f64,
    /// Power usage effectiveness: facility power over IT power (at least 1).
    #[schemars(range(min = 1.0))]
    pub pue: f64,
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

/// How busy the fleet is.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUtilization {
    /// Mean fraction of vCPU time sold or used (0..1], the denominator of the price per vCPU-hour.
    #[schemars(extend("exclusiveMinimum" = 0), range(max = 1.0))]
    pub mean_cpu_fraction: f64,
}
