//! Whether two scenarios simulate the same year, or draw the same servers'
//! power in it: what the hourly model reads of a scenario, compared field by
//! field, so that a sensitivity can reuse its base run's year for a variant
//! that moves only a price or a period of the cost model, and its servers'
//! power for one that moves the power chain, the cooling or the switches,
//! and its IT side for one that moves only the climate, the cooling plant or
//! what feeds it.

use plenum_scenario::{Network, Scenario};

/// Whether `a` and `b`, run on the same [`super::Inputs`], simulate the same
/// year to the bit. Everything [`super::simulate`] reads is compared: the
/// physics (site, power chain, cooling, carbon), the seed, the utilization,
/// the critical power, the energy prices, and the servers and network with
/// their prices set aside (prices are read only by the cost model, which
/// runs after the year). Anything else may differ: finance, people,
/// maintenance, the build cost, server and network prices.
pub fn same_year(a: &Scenario, b: &Scenario) -> bool {
    a.physics == b.physics
        && a.seed == b.seed
        && a.utilization == b.utilization
        && a.facility.critical_power_kw.to_bits() == b.facility.critical_power_kw.to_bits()
        && a.energy.price_usd_per_kwh.to_bits() == b.energy.price_usd_per_kwh.to_bits()
        && a.energy.price_usd_per_kwh_by_hour == b.energy.price_usd_per_kwh_by_hour
        && without_prices(a) == without_prices(b)
}

/// The servers and the network of `scenario` with every price zeroed.
fn without_prices(scenario: &Scenario) -> (Vec<plenum_scenario::ServerSku>, Network) {
    let servers = scenario
        .servers
        .iter()
        .map(|sku| plenum_scenario::ServerSku { price_usd: 0.0, ..sku.clone() })
        .collect();
    let network = match &scenario.network {
        Network::None => Network::None,
        Network::Capex { power_kw, .. } => Network::Capex { capex_usd: 0.0, power_kw: *power_kw },
        Network::LeafSpine(design) => Network::LeafSpine(plenum_models::network::LeafSpineDesign {
            tor_price_usd: 0.0,
            spine_price_usd: 0.0,
            border_router_price_usd: 0.0,
            uplink_optics_price_usd: 0.0,
            ..design.clone()
        }),
    };
    (servers, network)
}

/// Whether `a` and `b`, on the same [`super::Inputs`], draw the same power
/// from their servers, rack by rack and hour by hour ([`super::ServersPower`]):
/// the same servers (prices aside), servers per rack, utilization and seed.
/// The power chain, the cooling plant, the switches, the critical power and
/// the prices may differ.
pub fn same_servers_power(a: &Scenario, b: &Scenario) -> bool {
    let per_rack = |s: &Scenario| s.physics.as_ref().map(|p| p.power_chain.servers_per_rack);
    per_rack(a).is_some()
        && per_rack(a) == per_rack(b)
        && a.seed == b.seed
        && a.utilization == b.utilization
        && without_prices(a).0 == without_prices(b).0
}

/// Whether `a` and `b`, on the same [`super::Inputs`], have the same IT side
/// of their year hour by hour ([`super::ItSide`]): the same servers' power
/// ([`same_servers_power`]), power chain, critical power (which sizes the
/// stages) and network power. The climate, the cooling plant, the liquid
/// plant, other loads, the carbon and the prices may differ: they act only
/// from the UPS's input upwards (the mechanical stages are sized for the
/// cooling, but the stages that do not feed it are not).
pub fn same_it_side(a: &Scenario, b: &Scenario) -> bool {
    same_servers_power(a, b)
        && a.physics.as_ref().map(|p| &p.power_chain) == b.physics.as_ref().map(|p| &p.power_chain)
        && a.facility.critical_power_kw.to_bits() == b.facility.critical_power_kw.to_bits()
        && without_prices(a).1 == without_prices(b).1
}
