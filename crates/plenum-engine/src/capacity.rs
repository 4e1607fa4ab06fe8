//! Capacity advice over the whole chain: the largest server count for which
//! every site-level power-chain stage (at its N capacity, carrying the losses
//! of everything below it), every PDU- and rack-level stage, the critical-power
//! budget and the cooling plant stay at or under 100% at the scenario's
//! oversubscription percentile, and which of them binds.
//!
//! Method. The simulated year at the installed count `N0` is the baseline. At a
//! count `N` the fleet is `N/N0` copies of the installed one, servers like the
//! fleet's average server (Fan, Weber, Barroso, "Power Provisioning for a
//! Warehouse-sized Computer", ISCA 2007, add machines like the measured ones):
//! each hour, the IT power of servers and top-of-rack switches and the power
//! entering the site from the PDUs (servers plus rack and PDU losses) scale by
//! `N/N0`; the network outside racks is sized again for `N` servers. Site
//! stages then carry that load through the same loss functions as the year
//! (`Stage::loss_kw`, nonlinear), the cooling plant removes the heat at the
//! hour's weather (`CoolingPlant::step`), and the mechanical stages carry the
//! IT path, cooling and other loads. The count is found by bisection on whole
//! servers. Rack- and PDU-level stages are per instance: more racks do not load
//! an instance more, so their loading is the year's.
//!
//! Margin. Servers added are new racks with their own random utilization
//! (the rack and server spread of the year), so their power at an hour is
//! uncertain: each hour's IT power at `N` adds three standard deviations of
//! the added racks' sum, `3·sqrt(added racks)·σ_rack`, with `σ_rack` the
//! standard deviation of full racks' IT power in that hour of the baseline.
//! Following the advice therefore keeps every limit with about 99.9%
//! confidence per hour, not only on average.
//!
//! Plant capacity. The cooling model knows one capacity: the heat it is
//! designed to remove (`cooling.design_heat_kw`, or critical power plus the
//! indoor losses at that load). Its limit is that heat (IT plus indoor losses)
//! at the percentile; the chillers' weather-dependent capacity is not a
//! separate limit (the chiller model stages as many units as the load needs).

use plenum_models::cooling::CoolingPlant;
use plenum_models::power_chain::Stage;
use plenum_models::quantile;

/// Standard deviations of the added racks' power kept as margin.
const MARGIN_SIGMAS: f64 = 3.0;

/// Name of the critical-power budget as a binding constraint.
pub const CRITICAL_POWER: &str = "critical_power";
/// Name of the cooling plant's design heat as a binding constraint.
pub const COOLING_PLANT: &str = "cooling_plant";

/// The simulated year at the installed count, hour by hour, as the solver needs it.
pub(crate) struct Baseline<'a> {
    /// Servers installed.
    pub servers: u64,
    /// Servers per rack.
    pub servers_per_rack: u64,
    /// IT power per hour (servers, top-of-rack switches, network outside racks).
    pub it_kw: &'a [f64],
    /// Losses of rack- and PDU-level stages per hour (heat in the room).
    pub lower_losses_kw: &'a [f64],
    /// No-load losses of every rack- and PDU-level instance for a server
    /// count: they follow the number of racks and PDUs, not the load.
    pub lower_no_load_kw: &'a dyn Fn(u64) -> f64,
    /// Top-of-rack switch power per rack.
    pub tor_kw: f64,
    /// Standard deviation of full racks' IT power per hour.
    pub rack_sd_kw: &'a [f64],
    /// Network power outside racks for a server count.
    pub site_network_kw: &'a dyn Fn(u64) -> f64,
    /// Rack- and PDU-level stages: name and the year's hourly loading of the
    /// most loaded instance.
    pub per_instance_loading: Vec<(String, Vec<f64>)>,
    /// The site's design as the engine sizes it for a server count.
    pub design_at: &'a dyn Fn(u64) -> SiteDesign,
    /// Outdoor conditions per hour.
    pub dry_bulb_c: &'a [f64],
    /// Outdoor wet bulb per hour.
    pub wet_bulb_c: &'a [f64],
    /// Outdoor dew point per hour.
    pub dew_point_c: &'a [f64],
    /// Lighting and other loads.
    pub other_kw: f64,
    /// The critical-power budget.
    pub critical_kw: f64,
    /// Oversubscription percentile (0-100].
    pub percentile: f64,
}

/// The site-level part of a design, sized for a server count: where the
/// engine sizes stages and the plant from the fleet (PDU and rack no-load
/// losses in the plant's design heat, the plant's draw in the mechanical
/// stages), more servers change them a little.
pub(crate) struct SiteDesign {
    /// Site stages that feed only the IT path, bottom-up.
    pub site_it_stages: Vec<Stage>,
    /// Site stages that also feed the cooling plant, bottom-up.
    pub mechanical_stages: Vec<Stage>,
    /// The cooling plant (with its design heat).
    pub plant: CoolingPlant,
    /// The liquid plant beside it (with its design heat), when there is one.
    pub liquid: Option<plenum_models::liquid_cooling::LiquidPlant>,
}

/// What the solver found.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityAdvice {
    /// The largest count keeping every limit (0 when not even one server fits;
    /// `None` when no limit binds up to a million times the installed count,
    /// e.g. servers that draw no power).
    pub max_servers: Option<u64>,
    /// The limit that goes over first above `max_servers`.
    pub binding: Option<String>,
    /// Every limit's loading at the percentile with the installed count, chain order.
    pub loading_at_installed: Vec<(String, f64)>,
}

/// The value at `percentile` (0-100) of `values`, by the nearest rank the year's
/// oversubscription figures use ([`quantile::nearest_rank`]); 0 for no values.
pub(crate) fn percentile_of(values: &mut [f64], percentile: f64) -> f64 {
    quantile::nearest_rank_unsorted(values, percentile / 100.0).unwrap_or(0.0)
}

impl Baseline<'_> {
    /// Every limit's loading at the percentile with `servers` servers, in
    /// chain order: site stages from the utility down, per-instance stages,
    /// then critical power and the cooling plant.
    pub(crate) fn loadings(&self, servers: u64) -> Vec<(String, f64)> {
        let hours = self.it_kw.len();
        let n0 = self.servers.max(1) as f64;
        let scale = servers as f64 / n0;
        let network0 = (self.site_network_kw)(self.servers);
        let network = (self.site_network_kw)(servers);
        let added_racks = servers.saturating_sub(self.servers) as f64 / self.servers_per_rack.max(1) as f64;
        let margin_factor = MARGIN_SIGMAS * added_racks.sqrt();
        let racks = |n: u64| n.div_ceil(self.servers_per_rack.max(1)) as f64;
        let tor0 = self.tor_kw * racks(self.servers);
        let tor = self.tor_kw * racks(servers);
        let no_load0 = (self.lower_no_load_kw)(self.servers);
        let no_load = (self.lower_no_load_kw)(servers);
        let design = (self.design_at)(servers);
        let SiteDesign { site_it_stages, mechanical_stages, plant, liquid } = &design;
        let site_stages = site_it_stages.len() + mechanical_stages.len();
        let mut series: Vec<Vec<f64>> = vec![Vec::with_capacity(hours); site_stages + 2];
        for h in 0..hours {
            // Servers scale with the count; switches, and rack and PDU
            // no-load losses, follow the racks and PDUs there are; the rest of
            // the rack and PDU losses follows the load.
            let servers_kw = self.it_kw[h] - network0 - tor0;
            let load_losses_kw = self.lower_losses_kw[h] - no_load0;
            let racks_it_kw = servers_kw + tor0;
            let margin_kw = margin_factor * self.rack_sd_kw[h];
            // The margin carries rack and PDU losses in the year's proportion.
            let up_ratio = if racks_it_kw > 0.0 { (racks_it_kw + load_losses_kw) / racks_it_kw } else { 1.0 };
            let it_kw = scale * servers_kw + tor + network + margin_kw;
            let lower_losses_kw = scale * load_losses_kw + no_load + margin_kw * (up_ratio - 1.0).max(0.0);
            let mut load = it_kw + lower_losses_kw;
            let mut heat_kw = it_kw + lower_losses_kw;
            // Stages are listed from the utility down; load flows bottom-up.
            for (i, stage) in site_it_stages.iter().enumerate() {
                series[site_stages - 1 - i].push(stage.loading(load));
                let loss = stage.loss_kw(load);
                heat_kw += loss;
                load += loss;
            }
            // With a liquid plant, the air plant keeps what the cold plates do
            // not capture, and the cooling limit is the more loaded of the two.
            let (air_heat_kw, liquid_kw, liquid_loading) = match liquid {
                None => (heat_kw, 0.0, 0.0),
                Some(l) => {
                    let (liquid_heat_kw, air_heat_kw) = l.split(it_kw, heat_kw);
                    let step = l.step(liquid_heat_kw, self.dry_bulb_c[h], self.wet_bulb_c[h]);
                    (air_heat_kw, step.total_kw(), liquid_heat_kw / l.design_heat_kw.max(1e-12))
                }
            };
            let cooling =
                plant.step(air_heat_kw, self.dry_bulb_c[h], self.wet_bulb_c[h], self.dew_point_c[h]);
            load += cooling.total_kw() + liquid_kw + self.other_kw;
            for (i, stage) in mechanical_stages.iter().enumerate() {
                series[mechanical_stages.len() - 1 - i].push(stage.loading(load));
                load += stage.loss_kw(load);
            }
            series[site_stages].push(it_kw / self.critical_kw);
            let air_loading = air_heat_kw / plant.design_heat_kw;
            series[site_stages + 1].push(if liquid.is_some() {
                air_loading.max(liquid_loading)
            } else {
                air_loading
            });
        }
        let names = mechanical_stages
            .iter()
            .rev()
            .chain(site_it_stages.iter().rev())
            .map(|s| s.name.clone())
            .chain(self.per_instance_loading.iter().map(|(name, _)| name.clone()))
            .chain([CRITICAL_POWER.to_string(), COOLING_PLANT.to_string()]);
        let fixed = self.per_instance_loading.iter().map(|(_, v)| v.clone());
        let values: Vec<Vec<f64>> = {
            let mut v: Vec<Vec<f64>> = series.drain(..site_stages).collect();
            v.extend(fixed);
            v.extend(series);
            v
        };
        names.zip(values).map(|(name, mut v)| (name, percentile_of(&mut v, self.percentile))).collect()
    }

    /// Solve for the largest count keeping every limit at or under 100%.
    pub(crate) fn advise(&self) -> CapacityAdvice {
        let worst = |servers: u64| {
            self.loadings(servers).into_iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or_default()
        };
        let fits = |servers: u64| worst(servers).1 <= 1.0;
        let loading_at_installed = self.loadings(self.servers);
        let installed_fits = loading_at_installed.iter().all(|(_, v)| *v <= 1.0);
        // `lo` always fits (or is 0), `hi` never does.
        let (mut lo, mut hi) = if installed_fits {
            let cap = self.servers.max(1).saturating_mul(1 << 20);
            let mut hi = self.servers.max(1).saturating_mul(2);
            while fits(hi) {
                if hi >= cap {
                    return CapacityAdvice { max_servers: None, binding: None, loading_at_installed };
                }
                hi = hi.saturating_mul(2);
            }
            (self.servers, hi)
        } else {
            if !fits(0) {
                let binding = Some(worst(0).0);
                return CapacityAdvice { max_servers: Some(0), binding, loading_at_installed };
            }
            (0, self.servers)
        };
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        CapacityAdvice { max_servers: Some(lo), binding: Some(worst(hi).0), loading_at_installed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_is_the_nearest_rank() {
        let mut v: Vec<f64> = (0..101).map(f64::from).rev().collect();
        assert_eq!(percentile_of(&mut v, 100.0), 100.0);
        assert_eq!(percentile_of(&mut v, 99.0), 99.0);
        assert_eq!(percentile_of(&mut v, 0.0), 0.0);
        assert_eq!(percentile_of(&mut [], 50.0), 0.0);
    }
}
