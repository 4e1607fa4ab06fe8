//! Warnings: a valid scenario whose design is infeasible still runs, and its
//! results say so. Each [`Warning`] has a stable snake_case `code`, a message
//! with the figures, and the scenario `field` at fault (a key path such as
//! `facility.critical_power_kw`), so front ends can print it, a report can
//! show it and a script can act on it.
//!
//! [`design_warnings`] checks a run's results against the design: every
//! power-chain stage against its N rating and its installed units at peak,
//! peak IT power against critical power, peak heat against the cooling plant's
//! design heat, the site's grid against its climate's region, and, when no year
//! is simulated, the IT nameplate against critical power. Other code adds its
//! own warnings to the same list (`Results::warnings`).

use crate::Results;
use plenum_models::carbon;
use plenum_models::power_chain::Redundancy;
use plenum_scenario::{CarbonSource, Level, Scenario, WeatherSource};
use serde::Serialize;

/// A problem with a valid scenario's design that the run found.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// Stable snake_case identifier (`stage_over_rating`).
    pub code: String,
    /// What is wrong, with the figures.
    pub message: String,
    /// The scenario key at fault (`facility.critical_power_kw`).
    pub field: String,
}

impl Warning {
    /// A warning with this code, field and message.
    pub fn new(code: &str, field: &str, message: impl Into<String>) -> Warning {
        Warning { code: code.to_string(), message: message.into(), field: field.to_string() }
    }
}

impl std::fmt::Display for Warning {
    /// `warning[code]: message (field)`, the line the CLI prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "warning[{}]: {} ({})", self.code, self.message, self.field)
    }
}

/// Codes of every warning [`design_warnings`] can give.
pub const CODES: [&str; 9] = [
    "stage_over_rating",
    "redundancy_lost",
    "it_over_critical_power",
    "cooling_over_capacity",
    "nameplate_over_critical_power",
    "climate_grid_mismatch",
    "liquid_supply_over_class",
    "rack_over_power",
    "rack_over_cooling",
];

/// The largest nameplate of a rack of `per_rack` servers (servers at peak,
/// filled SKU after SKU in the scenario's order, as the year fills them), W.
fn largest_rack_nameplate_w(scenario: &Scenario, per_rack: u64) -> f64 {
    let (mut largest_w, mut rack_w, mut in_rack) = (0.0f64, 0.0f64, 0u64);
    for sku in &scenario.servers {
        let mut left = sku.count;
        while left > 0 {
            let take = left.min(per_rack - in_rack);
            rack_w += take as f64 * sku.peak_power_w;
            in_rack += take;
            left -= take;
            if in_rack == per_rack {
                largest_w = largest_w.max(rack_w);
                (rack_w, in_rack) = (0.0, 0);
            }
        }
    }
    largest_w.max(rack_w)
}

/// A full rack whose nameplate is above the rack's power or cooling limit
/// (`power_chain.rack_power_kw`, `rack_cooling_kw`): it runs, and can overload
/// the rack when its servers peak together.
fn rack_density_warnings(scenario: &Scenario, physics: &plenum_scenario::Physics, out: &mut Vec<Warning>) {
    let chain = &physics.power_chain;
    let nameplate_kw = largest_rack_nameplate_w(scenario, chain.servers_per_rack.max(1)) / 1_000.0;
    let limits = [
        ("rack_over_power", "rack_power_kw", chain.rack_power_kw, "power it is provisioned for"),
        ("rack_over_cooling", "rack_cooling_kw", chain.rack_cooling_kw, "heat its cooling removes"),
    ];
    for (code, key, limit, what) in limits {
        if let Some(limit_kw) = limit
            && nameplate_kw > limit_kw
        {
            out.push(Warning::new(code, &format!("power_chain.{key}"), {
                format!(
                    "a rack of {} servers has a nameplate of {nameplate_kw:.1} kW, {} of the {what} \
                     ({limit_kw:.1} kW): \
                     fewer servers per rack, or a higher limit, keep its peak inside",
                    chain.servers_per_rack,
                    percent_over(nameplate_kw / limit_kw)
                )
            }));
        }
    }
}

/// `x` (a fraction) as a percentage with enough decimals that a value above 1
/// never prints as 100.0% (up to four decimals).
pub fn percent_over(x: f64) -> String {
    for decimals in 1..=4 {
        let text = format!("{:.*}", decimals, x * 100.0);
        if x <= 1.0 || text.parse::<f64>().is_ok_and(|p| p > 100.0) {
            return format!("{text}%");
        }
    }
    format!("{:.4}%", x * 100.0)
}

/// Two powers in kW with the same, fewest decimals (up to three) that tell
/// them apart when they differ: 8,000.17 kW never prints as 8000 kW beside
/// 8000 kW.
pub fn kw_pair(a: f64, b: f64) -> (String, String) {
    let mut decimals = 0;
    while decimals < 3 && a != b && format!("{a:.decimals$}") == format!("{b:.decimals$}") {
        decimals += 1;
    }
    (format!("{a:.decimals$} kW"), format!("{b:.decimals$} kW"))
}

/// kW with enough decimals that a difference above zero shows (up to three).
fn kw(x: f64) -> String {
    let decimals = if x.abs() >= 10.0 {
        0
    } else if x.abs() >= 1.0 {
        1
    } else if x.abs() >= 0.1 {
        2
    } else {
        3
    };
    format!("{x:.decimals$} kW")
}

fn redundancy_name(r: Redundancy) -> &'static str {
    match r {
        Redundancy::N => "N",
        Redundancy::NPlus1 => "N+1",
        Redundancy::NPlus2 => "N+2",
        Redundancy::TwoN => "2N",
        Redundancy::TwoNPlus1 => "2(N+1)",
        Redundancy::DistributedRedundant => "distributed redundant",
    }
}

/// The design's warnings for a run of `scenario` that produced `results`.
pub fn design_warnings(scenario: &Scenario, results: &Results) -> Vec<Warning> {
    let mut out = Vec::new();
    let critical_kw = scenario.facility.critical_power_kw;
    let Some(physics) = &scenario.physics else {
        // Without a year no peak is known: nameplate is the only evidence.
        let nameplate_kw = results.it.nameplate_kw;
        if nameplate_kw > critical_kw {
            out.push(Warning::new("nameplate_over_critical_power", "facility.critical_power_kw", {
                let (nameplate, critical) = kw_pair(nameplate_kw, critical_kw);
                format!(
                    "IT nameplate {nameplate} is above the critical power {critical} (by {}) and \
                         no simulated year checks the peak; add [cooling] to simulate it, or raise \
                         critical power",
                    kw(nameplate_kw - critical_kw)
                )
            }));
        }
        return out;
    };
    if let (WeatherSource::Builtin(site), CarbonSource::Builtin(grid)) = (&physics.weather, &physics.carbon)
        && let Some(home) = carbon::grid(site.grid)
        && home.region != grid.region
    {
        out.push(Warning::new(
            "climate_grid_mismatch",
            "site.grid",
            format!(
                "the climate {} is in {} but the grid {} is in {}: carbon figures are another \
                 region's; name grid = \"{}\" or leave the grid out to use the climate's",
                site.key, home.region, grid.key, grid.region, home.key
            ),
        ));
    }
    rack_density_warnings(scenario, physics, &mut out);
    let Some(year) = &results.facility else { return out };
    for (i, ((name, stage), spec)) in year.power_chain.iter().zip(&physics.power_chain.stages).enumerate() {
        let field = if spec.capacity_kw.is_some() {
            format!("power_chain.stages[{i}].capacity_kw")
        } else if spec.level == Level::Site {
            "facility.critical_power_kw".to_string()
        } else {
            "power_chain.preset".to_string()
        };
        if stage.peak_loading <= 1.0 {
            continue;
        }
        let peak_kw = stage.peak_loading * stage.capacity_kw;
        let where_ = if stage.instances > 1 {
            format!(" (most loaded of {})", stage.instances)
        } else {
            String::new()
        };
        if stage.redundancy == Redundancy::N || peak_kw > stage.installed_capacity_kw {
            out.push(Warning::new("stage_over_rating", &field, {
                let (peak, rating) = kw_pair(peak_kw, stage.capacity_kw);
                format!(
                    "stage {name}{where_} peaks at {peak}, {} of its N rating {rating}: more than \
                         all its installed units ({}, {}) carry",
                    percent_over(stage.peak_loading),
                    redundancy_name(stage.redundancy),
                    kw(stage.installed_capacity_kw),
                )
            }));
        } else {
            out.push(Warning::new("redundancy_lost", &field, {
                let (peak, rating) = kw_pair(peak_kw, stage.capacity_kw);
                format!(
                    "stage {name}{where_} ({}) peaks at {peak}, {} of its N rating {rating}: at \
                         peak its spare units carry load, so a unit failing then drops load",
                    redundancy_name(stage.redundancy),
                    percent_over(stage.peak_loading),
                )
            }));
        }
    }
    let o = &year.oversubscription;
    if o.peak_it_kw > critical_kw {
        out.push(Warning::new("it_over_critical_power", "facility.critical_power_kw", {
            let (peak, critical) = kw_pair(o.peak_it_kw, critical_kw);
            format!(
                "peak IT power {peak} is above the critical power {critical} (by {}, {} of it)",
                kw(o.peak_it_kw - critical_kw),
                percent_over(o.peak_it_kw / critical_kw)
            )
        }));
    }
    let c = &year.cooling;
    // With a liquid plant the air plant's design heat is the air share; the
    // limit is the two plants' design heat together.
    let design_heat_kw = match &c.liquid {
        None => c.design_heat_kw,
        Some(l) => c.design_heat_kw + l.design_heat_kw,
    };
    if let Some(l) = c.liquid.as_ref().filter(|l| l.over_supply_hours > 0) {
        out.push(Warning::new(
            "liquid_supply_over_class",
            "cooling.liquid.chillers",
            format!(
                "the facility water was warmer than its {} °C set point (class {}) in {} hours, up to {:.1} °C: \
                 the outdoors cannot reach it without trim chillers, adiabatic pads or towers",
                l.facility_supply_c, l.class, l.over_supply_hours, l.max_supply_c
            ),
        ));
    }
    if c.peak_heat_kw > design_heat_kw {
        let field = if physics.design_heat_kw.is_some() {
            "cooling.design_heat_kw"
        } else {
            "facility.critical_power_kw"
        };
        out.push(Warning::new("cooling_over_capacity", field, {
            let (peak, design) = kw_pair(c.peak_heat_kw, design_heat_kw);
            format!(
                "peak heat {peak} (IT plus indoor losses) is above the cooling plant's design heat \
                     {design} ({} of it)",
                percent_over(c.peak_heat_kw / design_heat_kw)
            )
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_one_never_prints_as_one_hundred() {
        assert_eq!(percent_over(1.0), "100.0%");
        assert_eq!(percent_over(1.042), "104.2%");
        assert_eq!(percent_over(1.0002), "100.02%");
        assert_eq!(percent_over(1.000_021), "100.002%");
        assert_eq!(percent_over(1.000_000_4), "100.0000%");
        assert_eq!(percent_over(0.9999), "100.0%");
    }

    #[test]
    fn close_powers_print_apart() {
        assert_eq!(kw_pair(8_000.172, 8_000.0), ("8000.2 kW".to_string(), "8000.0 kW".to_string()));
        assert_eq!(kw_pair(8_372.0, 8_000.0), ("8372 kW".to_string(), "8000 kW".to_string()));
        assert_eq!(kw_pair(8_000.000_4, 8_000.0).0, "8000.000 kW");
    }

    #[test]
    fn warnings_print_on_one_line() {
        let w = Warning::new("it_over_critical_power", "facility.critical_power_kw", "peak IT 9 kW");
        assert_eq!(
            w.to_string(),
            "warning[it_over_critical_power]: peak IT 9 kW (facility.critical_power_kw)"
        );
    }
}
