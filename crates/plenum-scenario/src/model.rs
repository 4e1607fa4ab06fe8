//! The validated scenario: plain typed data the engine consumes.
//!
//! Everything here has passed [`crate::validate`]: numbers are finite and in
//! range, either/or choices are resolved into enums, and derived figures (the
//! facility's capex from its cost per watt) are computed once.

use crate::document::Document;
pub use plenum_models::network::LeafSpineDesign;

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
    /// The reliability study, when the scenario has a `[reliability]` section.
    pub reliability: Option<crate::reliability::Reliability>,
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
    /// Average IT draw over critical power.
    pub average_load_fraction: f64,
    /// Fixed PUE.
    pub pue: f64,
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
}
