//! The headline figures of a run, read from its typed summary: what the
//! report's header shows and what a comparison of two runs sets side by side.
//!
//! A figure is listed only when the summary has it (a fixed-PUE scenario has
//! no simulated energy; only reliability runs have an availability), so the
//! list is also the rule for which tiles appear.

use crate::format;
use plenum_engine::Summary;
use plenum_engine::summary::Energy;
use plenum_models::finance::CostLines;

/// How a figure's value is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// US dollars.
    Usd,
    /// A fraction shown as a percentage.
    Percent,
    /// An availability, shown with its nines.
    Availability,
    /// A plain quantity with this many decimals.
    Quantity(usize),
    /// A plain quantity with about four significant digits (small downtimes).
    Significant,
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Key path in the summary JSON (`cost.per_server_month_usd`): what identifies the figure.
    pub key: &'static str,
    /// What it is, for people.
    pub label: &'static str,
    /// Unit after the number (`per month`, `MWh a year`); empty for none.
    pub unit: &'static str,
    /// The value.
    pub value: f64,
    /// How to show it.
    pub kind: Kind,
    /// Shown as a tile in the report header.
    pub tile: bool,
}

impl Figure {
    /// The value as text, without the unit.
    pub fn text(&self) -> String {
        value_text(self.kind, self.value)
    }

    /// A difference of two values of this figure as text, with its sign.
    pub fn difference_text(&self, difference: f64) -> String {
        let text = match self.kind {
            Kind::Percent => format!("{} pp", format::number(difference * 100.0, 3)),
            // Availabilities differ in far decimals: keep four significant digits.
            Kind::Availability => format!("{} pp", format::significant(difference * 100.0)),
            k => value_text(k, difference),
        };
        if difference > 0.0 { format!("+{text}") } else { text }
    }
}

fn value_text(kind: Kind, value: f64) -> String {
    match kind {
        Kind::Usd => format::usd(value),
        Kind::Percent => format::percent(value, 1),
        Kind::Availability => format::availability(value),
        Kind::Quantity(d) => format::number(value, d),
        Kind::Significant => format::significant(value),
    }
}

/// Reads a figure from a summary; `None` when the run did not produce it.
type Getter = fn(&Summary) -> Option<f64>;

/// (key path, label, unit, kind, tile, getter): every figure a summary may
/// hold, in the order shown.
const FIGURES: &[(&str, &str, &str, Kind, bool, Getter)] = &[
    ("cost.monthly_usd.total", "Total cost of ownership", "per month", Kind::Usd, true, |s| {
        Some(s.cost.monthly_usd.total())
    }),
    ("cost.per_server_month_usd", "Cost per server-month", "", Kind::Usd, true, |s| {
        Some(s.cost.per_server_month_usd)
    }),
    ("cost.per_vcpu_hour_usd", "Cost per used vCPU-hour", "", Kind::Usd, true, |s| s.cost.per_vcpu_hour_usd),
    ("cost.per_gpu_hour_usd", "Cost per used GPU-hour", "", Kind::Usd, true, |s| s.cost.per_gpu_hour_usd),
    (
        "cost.per_gpu_hour_assumed_utilization",
        "GPU utilization assumed",
        "for the GPU-hour",
        Kind::Percent,
        false,
        |s| s.cost.per_gpu_hour_assumed_utilization,
    ),
    ("it.accelerators.count", "Accelerators", "GPUs", Kind::Quantity(0), false, |s| {
        s.it.accelerators.as_ref().map(|a| a.count as f64)
    }),
    ("cost.per_critical_kw_month_usd", "Cost per critical kW-month", "", Kind::Usd, false, |s| {
        Some(s.cost.per_critical_kw_month_usd)
    }),
    (
        "cost.fully_burdened_power_share",
        "Fully burdened cost of power",
        "of total",
        Kind::Percent,
        false,
        |s| Some(s.cost.fully_burdened_power_share),
    ),
    ("cost.monthly_usd.servers", CostLines::LABELS[0], "per month", Kind::Usd, false, |s| {
        Some(s.cost.monthly_usd.servers)
    }),
    ("cost.monthly_usd.networking", CostLines::LABELS[1], "per month", Kind::Usd, false, |s| {
        Some(s.cost.monthly_usd.networking)
    }),
    (
        "cost.monthly_usd.power_distribution_cooling",
        "Power distribution & cooling",
        "per month",
        Kind::Usd,
        false,
        |s| Some(s.cost.monthly_usd.power_distribution_cooling),
    ),
    ("cost.monthly_usd.other_infrastructure", CostLines::LABELS[3], "per month", Kind::Usd, false, |s| {
        Some(s.cost.monthly_usd.other_infrastructure)
    }),
    ("cost.monthly_usd.energy", CostLines::LABELS[4], "per month", Kind::Usd, false, |s| {
        Some(s.cost.monthly_usd.energy)
    }),
    ("cost.monthly_usd.people", CostLines::LABELS[5], "per month", Kind::Usd, false, |s| {
        Some(s.cost.monthly_usd.people)
    }),
    ("cost.monthly_usd.maintenance", CostLines::LABELS[6], "per month", Kind::Usd, false, |s| {
        Some(s.cost.monthly_usd.maintenance)
    }),
    ("pue.annual", "Annual PUE", "facility / IT energy", Kind::Quantity(3), true, |s| {
        s.pue.as_ref().map(|p| p.annual)
    }),
    ("energy.facility_mwh", "Facility energy", "MWh a year", Kind::Quantity(0), true, |s| {
        year_energy(s).map(|e| e.facility_mwh)
    }),
    ("energy.it_mwh", "IT energy", "MWh a year", Kind::Quantity(0), false, |s| match &s.energy {
        Some(Energy::Year(e)) => Some(e.it_mwh),
        Some(Energy::Replay(e)) => Some(e.it_mwh),
        None => None,
    }),
    ("energy.cost_usd", "Energy cost", "a year", Kind::Usd, false, |s| year_energy(s).map(|e| e.cost_usd)),
    ("cooling.economizer_hours", "Economizer hours", "h a year", Kind::Quantity(0), false, |s| {
        s.cooling.as_ref().map(|c| c.economizer_hours as f64)
    }),
    (
        "cooling.liquid.chiller_hours",
        "Liquid plant chiller hours",
        "h a year",
        Kind::Quantity(0),
        false,
        |s| s.cooling.as_ref().and_then(|c| c.liquid.as_ref()).map(|l| l.chiller_hours as f64),
    ),
    ("water.annual_m3", "Water drawn", "m³ a year", Kind::Quantity(0), false, |s| {
        s.water.as_ref().map(|w| w.annual_m3)
    }),
    ("water.wue_l_per_kwh", "Water usage effectiveness", "L per IT kWh", Kind::Quantity(2), false, |s| {
        s.water.as_ref().map(|w| w.wue_l_per_kwh)
    }),
    ("carbon.total_t", "Carbon, operational + embodied", "tCO2e a year", Kind::Quantity(0), true, |s| {
        s.carbon.as_ref().map(|c| c.total_t)
    }),
    ("carbon.operational_t", "Operational carbon", "tCO2e a year", Kind::Quantity(0), false, |s| {
        s.carbon.as_ref().map(|c| c.operational_t)
    }),
    ("carbon.embodied_t", "Embodied carbon", "tCO2e a year", Kind::Quantity(0), false, |s| {
        s.carbon.as_ref().map(|c| c.embodied_t)
    }),
    ("oversubscription.peak_it_kw", "Peak IT power", "kW", Kind::Quantity(0), false, |s| {
        s.oversubscription.as_ref().map(|o| o.peak_it_kw)
    }),
    ("reliability.availability", "Availability", "of time with IT power", Kind::Availability, true, |s| {
        s.reliability.as_ref().map(|r| r.availability)
    }),
    ("reliability.downtime_hours_per_year", "Downtime", "h a year", Kind::Significant, false, |s| {
        s.reliability.as_ref().map(|r| r.downtime_hours_per_year)
    }),
    ("reliability.outages_per_year", "Outages", "a year", Kind::Significant, false, |s| {
        s.reliability.as_ref().map(|r| r.outages_per_year)
    }),
    (
        "reliability.capacity_hours_lost_per_year",
        "Capacity lost",
        "server-h a year",
        Kind::Quantity(0),
        false,
        |s| s.reliability.as_ref().map(|r| r.capacity_hours_lost_per_year),
    ),
    ("workload.tasks", "Tasks", "", Kind::Quantity(0), false, |s| {
        s.workload.as_ref().map(|w| w.tasks as f64)
    }),
    ("workload.served_cpu_core_hours", "CPU work served", "core-h", Kind::Quantity(0), false, |s| {
        s.workload.as_ref().map(|w| w.served_cpu_core_hours)
    }),
    ("workload.requested_cpu_core_hours", "CPU work requested", "core-h", Kind::Quantity(0), false, |s| {
        s.workload.as_ref().map(|w| w.requested_cpu_core_hours)
    }),
    ("workload.rejected", "Tasks rejected", "", Kind::Quantity(0), false, |s| {
        s.workload.as_ref().map(|w| w.rejected as f64)
    }),
    ("workload.mean_wait_s", "Mean wait", "s", Kind::Quantity(1), false, |s| {
        s.workload.as_ref().map(|w| w.mean_wait_s)
    }),
    ("workload.peak_active_hosts", "Peak active hosts", "", Kind::Quantity(0), false, |s| {
        s.workload.as_ref().map(|w| w.peak_active_hosts as f64)
    }),
];

/// The simulated year's energy, when there is a simulated year.
fn year_energy(s: &Summary) -> Option<&plenum_engine::facility::EnergySummary> {
    match &s.energy {
        Some(Energy::Year(e)) => Some(e),
        _ => None,
    }
}

/// The value of the headline figure `key` (a key of the figures listed
/// here), when the summary has it. A non-finite value counts as absent, as
/// it is `null` in the JSON.
pub fn figure_value(summary: &Summary, key: &str) -> Option<f64> {
    let (.., get) = FIGURES.iter().find(|f| f.0 == key)?;
    get(summary).filter(|v| v.is_finite())
}

/// The figures the summary has.
pub fn headline_figures(summary: &Summary) -> Vec<Figure> {
    FIGURES
        .iter()
        .filter_map(|&(key, label, unit, kind, tile, get)| {
            let value = get(summary).filter(|v| v.is_finite())?;
            Some(Figure { key, label, unit, value, kind, tile })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn only_figures_present_are_listed() {
        let mut s = fixture::summary("t", 100.0);
        s.cost.per_vcpu_hour_usd = None;
        s.reliability = Some(plenum_engine::reliability::ReliabilitySummary {
            availability: 0.9999,
            ..Default::default()
        });
        let keys: Vec<&str> = headline_figures(&s).iter().map(|f| f.key).collect();
        assert!(keys.contains(&"cost.monthly_usd.total") && keys.contains(&"reliability.availability"));
        assert!(!keys.contains(&"cost.per_vcpu_hour_usd") && !keys.contains(&"pue.annual"), "{keys:?}");
    }

    #[test]
    fn differences_carry_their_sign_and_unit() {
        let mut s = fixture::summary("t", 100.0);
        s.pue = Some(plenum_engine::facility::PueSummary { annual: 1.28, min_hourly: 1.1, max_hourly: 1.4 });
        s.reliability = Some(plenum_engine::reliability::ReliabilitySummary {
            availability: 0.999,
            ..Default::default()
        });
        let f = headline_figures(&s);
        let pue = f.iter().find(|f| f.key == "pue.annual").unwrap();
        assert_eq!(pue.difference_text(0.0213), "+0.021");
        let availability = f.iter().find(|f| f.key == "reliability.availability").unwrap();
        assert_eq!(availability.text(), "99.9000%");
        assert_eq!(availability.difference_text(-0.0005), "-0.05000 pp");
    }
}
