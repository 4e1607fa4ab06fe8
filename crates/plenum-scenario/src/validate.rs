//! From raw to validated: the checks that need more than one field (either/or
//! choices, idle below peak, unique names, a fabric that fits two tiers) and
//! the resolution of choices into the enums of [`crate::model`].
//!
//! Single-field ranges (non-negative prices, PUE ≥ 1, shares in 0..1) live in
//! the schema attributes of [`crate::raw`] and are checked by [`crate::check`].

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::*;
use crate::raw::*;
use std::collections::HashMap;

struct Problems<'d> {
    document: &'d Document,
    out: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn add(&mut self, field: &str, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::new(field, message).at(self.document.locate(field, false));
        d.help = help.map(str::to_string);
        self.out.push(d);
    }
}

/// Validate `raw` (already structurally checked) into a [`Scenario`].
pub fn validate(raw: RawScenario, document: &Document) -> Result<Scenario, Vec<Diagnostic>> {
    let mut p = Problems { document, out: Vec::new() };

    let facility_capex_usd = match (raw.facility.cost_usd_per_critical_w, raw.facility.capex_usd) {
        (Some(per_w), None) => per_w * raw.facility.critical_power_kw * 1_000.0,
        (None, Some(total)) => total,
        (Some(_), Some(_)) => {
            p.add(
                "facility.capex_usd",
                "give either `capex_usd` or `cost_usd_per_critical_w`, not both",
                None,
            );
            0.0
        }
        (None, None) => {
            p.add(
                "facility",
                "missing the build cost: expected `cost_usd_per_critical_w` or `capex_usd`",
                Some("Hamilton's 2010 model uses cost_usd_per_critical_w = 9.0"),
            );
            0.0
        }
    };

    let mut names: HashMap<&str, usize> = HashMap::new();
    for (i, sku) in raw.servers.iter().enumerate() {
        if let Some(first) = names.insert(sku.name.as_str(), i) {
            p.add(
                &format!("servers[{i}].name"),
                format!("duplicate SKU name {:?} (also servers[{first}])", sku.name),
                None,
            );
        }
        if sku.idle_power_w > sku.peak_power_w {
            p.add(
                &format!("servers[{i}].idle_power_w"),
                format!("idle power {} W is above peak power {} W", sku.idle_power_w, sku.peak_power_w),
                Some("idle_power_w must not exceed peak_power_w"),
            );
        }
    }

    let network = match &raw.network {
        None => Network::None,
        Some(n) => match (n.capex_usd, &n.leaf_spine) {
            (Some(capex_usd), None) => Network::Capex { capex_usd, power_kw: n.power_kw.unwrap_or(0.0) },
            (None, Some(ls)) => {
                if n.power_kw.is_some() {
                    p.add(
                        "network.power_kw",
                        "a leaf-spine fabric computes its own power; remove `power_kw`",
                        None,
                    );
                }
                let design = LeafSpineDesign {
                    servers_per_rack: ls.servers_per_rack,
                    tors_per_rack: ls.tors_per_rack,
                    server_link_gbps: ls.server_link_gbps,
                    uplink_gbps: ls.uplink_gbps,
                    oversubscription_ratio: ls.oversubscription_ratio,
                    spine_ports: ls.spine_ports,
                    border_routers: ls.border_routers,
                    tor_price_usd: ls.tor_price_usd,
                    spine_price_usd: ls.spine_price_usd,
                    border_router_price_usd: ls.border_router_price_usd,
                    uplink_optics_price_usd: ls.uplink_optics_price_usd,
                    tor_power_w: ls.tor_power_w,
                    spine_power_w: ls.spine_power_w,
                    border_router_power_w: ls.border_router_power_w,
                };
                Network::LeafSpine(design)
            }
            (Some(_), Some(_)) => {
                p.add(
                    "network.capex_usd",
                    "give either `capex_usd` or `[network.leaf_spine]`, not both",
                    None,
                );
                Network::None
            }
            (None, None) => {
                p.add("network", "expected `capex_usd` or a `[network.leaf_spine]` table", None);
                Network::None
            }
        },
    };
    let network_amortization_years = match (&network, raw.finance.network_amortization_years) {
        (_, Some(years)) => years,
        (Network::None, None) => raw.finance.server_amortization_years,
        (_, None) => {
            p.add(
                "finance",
                "missing key `network_amortization_years`: the scenario has a network to amortize",
                Some("Hamilton's 2010 model amortizes networking over 4 years"),
            );
            1.0
        }
    };

    let people = match &raw.people {
        None => People::None,
        Some(pe) => match (pe.monthly_cost_usd, pe.servers_per_admin, pe.admin_annual_cost_usd) {
            (Some(cost_usd), None, None) => People::Monthly { cost_usd },
            (None, Some(servers_per_admin), Some(admin_annual_cost_usd)) => {
                People::PerServers { servers_per_admin, admin_annual_cost_usd }
            }
            (Some(_), _, _) => {
                p.add("people.monthly_cost_usd", "give either `monthly_cost_usd` or `servers_per_admin` with `admin_annual_cost_usd`, not both", None);
                People::None
            }
            (None, Some(_), None) => {
                p.add("people", "missing key `admin_annual_cost_usd` to go with `servers_per_admin`", None);
                People::None
            }
            (None, None, _) => {
                p.add(
                    "people",
                    "expected `monthly_cost_usd`, or `servers_per_admin` with `admin_annual_cost_usd`",
                    None,
                );
                People::None
            }
        },
    };

    let reliability = crate::reliability::validate(&raw, document, &mut p.out);
    if !p.out.is_empty() {
        return Err(p.out);
    }
    let maintenance = raw.maintenance.map(|m| Maintenance {
        facility_annual_fraction: m.facility_annual_fraction,
        it_annual_fraction: m.it_annual_fraction,
    });
    Ok(Scenario {
        name: raw.scenario.name,
        seed: raw.scenario.seed,
        description: raw.scenario.description.unwrap_or_default(),
        finance: Finance {
            cost_of_money_annual: raw.finance.cost_of_money_annual,
            server_amortization_years: raw.finance.server_amortization_years,
            network_amortization_years,
            facility_amortization_years: raw.finance.facility_amortization_years,
        },
        facility: Facility {
            critical_power_kw: raw.facility.critical_power_kw,
            capex_usd: facility_capex_usd,
            power_cooling_share: raw.facility.power_cooling_share,
        },
        servers: raw
            .servers
            .into_iter()
            .map(|s| ServerSku {
                name: s.name,
                count: s.count,
                price_usd: s.price_usd,
                idle_power_w: s.idle_power_w,
                peak_power_w: s.peak_power_w,
                cores: s.cores,
                threads_per_core: s.threads_per_core,
                memory_gib: s.memory_gib,
                work_rate: s.work_rate,
            })
            .collect(),
        network,
        energy: Energy {
            price_usd_per_kwh: raw.energy.price_usd_per_kwh,
            average_load_fraction: raw.energy.average_load_fraction,
            pue: raw.energy.pue,
        },
        people,
        maintenance: maintenance.unwrap_or_default(),
        mean_cpu_utilization: raw.utilization.map(|u| u.mean_cpu_fraction),
        reliability,
        document: document.clone(),
    })
}
