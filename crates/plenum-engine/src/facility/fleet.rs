//! The fleet as the simulation sees it: racks of servers, each server's SKU,
//! the SKUs' wall-power and PSU-loss curves tabulated, network power per rack
//! and outside racks, and the shape (racks, PDUs, largest rack) that sizes
//! the power chain.

use plenum_models::it_power::{SpreadTable, TabulatedCurve};
use plenum_models::units::W_PER_KW;
use plenum_scenario::{Network, Physics, Scenario};

/// Racks of servers: which SKU each server is, rack by rack.
pub(super) struct Fleet {
    /// Start of each rack's servers (servers are numbered rack by rack), plus the end.
    pub(super) rack_start: Vec<usize>,
    /// Per SKU: wall power (W) tabulated over utilization.
    pub(super) wall: Vec<TabulatedCurve>,
    /// Per SKU: PSU loss (W) tabulated over utilization, when it has a PSU.
    pub(super) psu_loss: Vec<Option<TabulatedCurve>>,
    /// Per SKU: the wall-power curve's mean and standard deviation under the
    /// scenario's server spread (the `normal` server-spread method); empty
    /// when there is no server spread.
    pub(super) wall_spread: Vec<SpreadTable>,
    /// Per SKU: the PSU-loss curve's, when it has a PSU.
    pub(super) psu_loss_spread: Vec<Option<SpreadTable>>,
    /// Runs of servers of one SKU: (SKU, first server, end), rack by rack.
    pub(super) runs: Vec<(usize, usize, usize)>,
    /// Start of each rack's runs in `runs`, plus the end.
    pub(super) rack_runs: Vec<usize>,
    /// Per rack: nameplate IT power (servers at peak and top-of-rack switches).
    pub(super) rack_nameplate_kw: Vec<f64>,
    /// Top-of-rack power per rack.
    pub(super) tor_kw: f64,
    /// Network power outside racks (spines, border, or a lump).
    pub(super) site_network_kw: f64,
    pub(super) racks_per_pdu: usize,
}

impl Fleet {
    pub(super) fn racks(&self) -> usize {
        self.rack_start.len() - 1
    }

    pub(super) fn pdus(&self) -> usize {
        self.racks().div_ceil(self.racks_per_pdu)
    }
}

/// Steps of the spread tables: 2,048 over the window centres' range keep
/// the interpolation's error under 1e-4 W ([`SpreadTable`]), and one table
/// (64 KB) stays in a core's L2 cache.
const SPREAD_TABLE_STEPS: usize = 2048;

pub(super) fn build_fleet(scenario: &Scenario, physics: &Physics) -> Fleet {
    let per_rack = physics.power_chain.servers_per_rack as usize;
    let mut server_sku = Vec::with_capacity(scenario.server_count() as usize);
    for (i, sku) in scenario.servers.iter().enumerate() {
        server_sku.extend(std::iter::repeat_n(i as u16, sku.count as usize));
    }
    let racks = server_sku.len().div_ceil(per_rack);
    let rack_start: Vec<usize> = (0..=racks).map(|r| (r * per_rack).min(server_sku.len())).collect();
    const POINTS: usize = 1_000;
    let mut wall = Vec::new();
    let mut psu_loss = Vec::new();
    for sku in &scenario.servers {
        let dc = sku.power_curve.tabulate(POINTS);
        match &sku.psu {
            None => {
                wall.push(dc);
                psu_loss.push(None);
            }
            Some(psu) => {
                let at = |u: f64| {
                    let dc_w = sku.power_curve.power_w(u);
                    dc_w / psu.curve.efficiency(dc_w / psu.rating_w)
                };
                let wall_points: Vec<f64> = (0..=POINTS).map(|i| at(i as f64 / POINTS as f64)).collect();
                let loss_points: Vec<f64> =
                    (0..=POINTS).map(|i| wall_points[i] - dc.power_w(i as f64 / POINTS as f64)).collect();
                wall.push(TabulatedCurve::from_points(wall_points));
                psu_loss.push(Some(TabulatedCurve::from_points(loss_points)));
            }
        }
    }
    let (tor_kw, site_network_kw) = network_power(&scenario.network, scenario.server_count());
    let mut runs = Vec::new();
    let mut rack_runs = vec![0];
    for r in 0..racks {
        let (start, end) = (rack_start[r], rack_start[r + 1]);
        let mut first = start;
        for j in start + 1..=end {
            if j == end || server_sku[j] != server_sku[first] {
                runs.push((server_sku[first] as usize, first, j));
                first = j;
            }
        }
        rack_runs.push(runs.len());
    }
    let rack_nameplate_kw = (0..racks)
        .map(|r| {
            server_sku[rack_start[r]..rack_start[r + 1]]
                .iter()
                .map(|&k| wall[k as usize].power_w(1.0) / W_PER_KW)
                .sum::<f64>()
                + tor_kw
        })
        .collect();
    let half_width = scenario.utilization.server_spread;
    let spread_table = |c: &TabulatedCurve| c.spread_moments().table(half_width, SPREAD_TABLE_STEPS);
    let with_spread = half_width > 0.0;
    Fleet {
        rack_start,
        wall_spread: if with_spread { wall.iter().map(spread_table).collect() } else { Vec::new() },
        psu_loss_spread: if with_spread {
            psu_loss.iter().map(|c| c.as_ref().map(spread_table)).collect()
        } else {
            Vec::new()
        },
        wall,
        psu_loss,
        runs,
        rack_runs,
        rack_nameplate_kw,
        tor_kw,
        site_network_kw,
        racks_per_pdu: physics.power_chain.racks_per_pdu as usize,
    }
}

/// Network power for `servers` servers: (top-of-rack power per rack, power
/// outside racks: spines, border, or the scenario's lump).
pub(super) fn network_power(network: &Network, servers: u64) -> (f64, f64) {
    match network {
        Network::None => (0.0, 0.0),
        Network::Capex { power_kw, .. } => (0.0, *power_kw),
        Network::LeafSpine(design) => {
            let sizing = plenum_models::network::size_leaf_spine(servers, design);
            let tor_kw = design.tors_per_rack as f64 * design.tor_power_w / W_PER_KW;
            (
                tor_kw,
                (sizing.power_kw - tor_kw * sizing.tor_switches as f64 / design.tors_per_rack as f64)
                    .max(0.0),
            )
        }
    }
}

/// How many racks and PDUs a fleet fills, what the largest rack draws at
/// nameplate: all that sizing the power chain needs of it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    pub(super) racks: usize,
    pub(super) pdus: usize,
    pub(super) rack_capacity_kw: f64,
    pub(super) racks_per_pdu: usize,
}

impl Fleet {
    pub(super) fn shape(&self) -> Shape {
        Shape {
            racks: self.racks(),
            pdus: self.pdus(),
            rack_capacity_kw: self.rack_nameplate_kw.iter().copied().fold(0.0, f64::max).max(1e-3),
            racks_per_pdu: self.racks_per_pdu,
        }
    }
}
