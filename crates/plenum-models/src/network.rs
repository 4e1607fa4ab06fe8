//! Sizing a two-tier leaf-spine (folded Clos) network from the server count.
//!
//! Every rack has top-of-rack (leaf) switches; each leaf's uplink bandwidth is its
//! server-facing bandwidth divided by the oversubscription ratio; every leaf
//! connects to the spines, whose ports terminate all leaf uplinks; border routers
//! connect the fabric to the outside. Source: the leaf-spine design rules of
//! M. Al-Fares, A. Loukissas, A. Vahdat, "A Scalable, Commodity Data Center Network
//! Architecture", SIGCOMM 2008, and Cisco's "Massively Scalable Data Center"
//! design guide (oversubscription = downlink / uplink bandwidth at the leaf).
//!
//! When there are more leaves than ports on a spine, every leaf cannot reach
//! every spine, and a third tier of identical switches is added: the spines then
//! give half their ports to leaves and half to the super-spines (non-blocking
//! above the leaves), as in the three-stage fabrics of Al-Fares et al. and
//! Facebook's "Introducing data center fabric" (A. Andreyev, 2014).
//!
//! Simplification: ports are counted, not cables or pods; switch counts are the
//! least that terminate every link.

use crate::units::W_PER_KW;
use serde::Serialize;

/// The design parameters of a leaf-spine fabric.
#[derive(Debug, Clone, PartialEq)]
pub struct LeafSpineDesign {
    /// Servers in one rack.
    pub servers_per_rack: u64,
    /// Leaf (top-of-rack) switches per rack; 2 for dual-homed servers.
    pub tors_per_rack: u64,
    /// Speed of a server's link to its leaf.
    pub server_link_gbps: f64,
    /// Speed of one leaf-to-spine uplink.
    pub uplink_gbps: f64,
    /// Server-facing bandwidth over uplink bandwidth at each leaf (1 = non-blocking).
    pub oversubscription_ratio: f64,
    /// Ports on one spine switch.
    pub spine_ports: u64,
    /// Border routers linking the fabric to the outside.
    pub border_routers: u64,
    /// Price of a leaf switch.
    pub tor_price_usd: f64,
    /// Price of a spine switch.
    pub spine_price_usd: f64,
    /// Price of a border router.
    pub border_router_price_usd: f64,
    /// Price of the optics and cable of one uplink (both ends).
    pub uplink_optics_price_usd: f64,
    /// Typical power of a leaf switch.
    pub tor_power_w: f64,
    /// Typical power of a spine switch.
    pub spine_power_w: f64,
    /// Typical power of a border router.
    pub border_router_power_w: f64,
}

/// What a leaf-spine design needs for a given number of servers.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafSpineSizing {
    /// Racks holding the servers.
    pub racks: u64,
    /// Leaf switches.
    pub tor_switches: u64,
    /// Uplinks from each leaf.
    pub uplinks_per_tor: u64,
    /// Spine switches (the tier above the leaves).
    pub spine_switches: u64,
    /// Super-spine switches (zero in a two-tier fabric).
    pub super_spine_switches: u64,
    /// Switching tiers: 2 (leaf-spine) or 3 (with super-spines).
    pub tiers: u8,
    /// Border routers.
    pub border_routers: u64,
    /// Network capital cost.
    pub capex_usd: f64,
    /// Network power draw.
    pub power_kw: f64,
}

/// Size a leaf-spine fabric for `servers` servers.
pub fn size_leaf_spine(servers: u64, design: &LeafSpineDesign) -> LeafSpineSizing {
    let racks = servers.div_ceil(design.servers_per_rack);
    let tor_switches = racks * design.tors_per_rack;
    // Servers split evenly over the rack's leaves.
    let servers_per_tor = design.servers_per_rack.div_ceil(design.tors_per_rack);
    let downlink_gbps = servers_per_tor as f64 * design.server_link_gbps;
    let uplink_bandwidth_gbps = downlink_gbps / design.oversubscription_ratio;
    let uplinks_per_tor = (uplink_bandwidth_gbps / design.uplink_gbps).ceil().max(1.0) as u64;
    let total_uplinks = tor_switches * uplinks_per_tor;
    let two_tier = tor_switches <= design.spine_ports;
    let (spine_switches, super_spine_switches) = if two_tier {
        (total_uplinks.div_ceil(design.spine_ports), 0)
    } else {
        let down_ports = (design.spine_ports / 2).max(1);
        let spines = total_uplinks.div_ceil(down_ports);
        (spines, (spines * down_ports).div_ceil(design.spine_ports))
    };
    let switching_tier = (spine_switches + super_spine_switches) as f64;
    let spine_uplinks = if two_tier { 0 } else { spine_switches * (design.spine_ports / 2).max(1) };
    let capex_usd = tor_switches as f64 * design.tor_price_usd
        + switching_tier * design.spine_price_usd
        + design.border_routers as f64 * design.border_router_price_usd
        + (total_uplinks + spine_uplinks) as f64 * design.uplink_optics_price_usd;
    let power_w = tor_switches as f64 * design.tor_power_w
        + switching_tier * design.spine_power_w
        + design.border_routers as f64 * design.border_router_power_w;
    LeafSpineSizing {
        racks,
        tor_switches,
        uplinks_per_tor,
        spine_switches,
        super_spine_switches,
        tiers: if two_tier { 2 } else { 3 },
        border_routers: design.border_routers,
        capex_usd,
        power_kw: power_w / W_PER_KW,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design() -> LeafSpineDesign {
        LeafSpineDesign {
            servers_per_rack: 40,
            tors_per_rack: 1,
            server_link_gbps: 25.0,
            uplink_gbps: 100.0,
            oversubscription_ratio: 2.5,
            spine_ports: 64,
            border_routers: 2,
            tor_price_usd: 10_000.0,
            spine_price_usd: 40_000.0,
            border_router_price_usd: 100_000.0,
            uplink_optics_price_usd: 500.0,
            tor_power_w: 400.0,
            spine_power_w: 1_500.0,
            border_router_power_w: 3_000.0,
        }
    }

    #[test]
    fn hand_sized_fabric() {
        // 1,000 servers -> 25 racks; 40 x 25 Gb/s = 1 Tb/s down, 400 Gb/s up = 4 x 100G;
        // 100 uplinks over 64-port spines -> 2 spines.
        let s = size_leaf_spine(1_000, &design());
        assert_eq!((s.racks, s.tor_switches, s.uplinks_per_tor, s.spine_switches), (25, 25, 4, 2));
        assert_eq!(s.capex_usd, 25.0 * 10_000.0 + 2.0 * 40_000.0 + 2.0 * 100_000.0 + 100.0 * 500.0);
        assert!((s.power_kw - (25.0 * 0.4 + 2.0 * 1.5 + 2.0 * 3.0)).abs() < 1e-12);
        assert_eq!((s.tiers, s.super_spine_switches), (2, 0));
    }

    #[test]
    fn partial_rack_counts_as_a_rack() {
        assert_eq!(size_leaf_spine(41, &design()).racks, 2);
    }

    #[test]
    fn too_many_leaves_for_the_spine_radix_adds_a_third_tier() {
        // 65 leaves x 4 uplinks = 260 links over 32 down-ports a spine -> 9 spines;
        // 9 x 32 spine uplinks over 64-port super-spines -> 5.
        let s = size_leaf_spine(40 * 65, &design());
        assert_eq!((s.tiers, s.spine_switches, s.super_spine_switches), (3, 9, 5));
    }
}
