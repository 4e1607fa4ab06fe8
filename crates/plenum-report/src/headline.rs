//! The headline figures of a run, read from its summary JSON: what the
//! report's header shows and what a comparison of two runs sets side by side.
//!
//! A figure is listed only when the summary has it (a fixed-PUE scenario has
//! no simulated energy; only reliability runs have an availability), so the
//! list is also the rule for which tiles appear.

use crate::format;
use plenum_models::finance::CostLines;
use serde_json::Value;

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
    /// Key path in the summary JSON (`cost.per_server_month_usd`).
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

/// (key path, label, unit, kind, tile): every figure a summary may hold, in
/// the order shown.
const FIGURES: &[(&str, &str, &str, Kind, bool)] = &[
    ("cost.monthly_usd.total", "Total cost of ownership", "per month", Kind::Usd, true),
    ("cost.per_server_month_usd", "Cost per server-month", "", Kind::Usd, true),
    ("cost.per_vcpu_hour_usd", "Cost per used vCPU-hour", "", Kind::Usd, true),
    ("cost.per_critical_kw_month_usd", "Cost per critical kW-month", "", Kind::Usd, false),
    ("cost.fully_burdened_power_share", "Fully burdened cost of power", "of total", Kind::Percent, false),
    ("cost.monthly_usd.servers", CostLines::LABELS[0], "per month", Kind::Usd, false),
    ("cost.monthly_usd.networking", CostLines::LABELS[1], "per month", Kind::Usd, false),
    ("cost.monthly_usd.power_distribution_cooling", CostLines::LABELS[2], "per month", Kind::Usd, false),
    ("cost.monthly_usd.other_infrastructure", CostLines::LABELS[3], "per month", Kind::Usd, false),
    ("cost.monthly_usd.energy", CostLines::LABELS[4], "per month", Kind::Usd, false),
    ("cost.monthly_usd.people", CostLines::LABELS[5], "per month", Kind::Usd, false),
    ("cost.monthly_usd.maintenance", CostLines::LABELS[6], "per month", Kind::Usd, false),
    ("pue.annual", "Annual PUE", "facility / IT energy", Kind::Quantity(3), true),
    ("energy.facility_mwh", "Facility energy", "MWh a year", Kind::Quantity(0), true),
    ("energy.it_mwh", "IT energy", "MWh a year", Kind::Quantity(0), false),
    ("energy.cost_usd", "Energy cost", "a year", Kind::Usd, false),
    ("cooling.economizer_hours", "Economizer hours", "h a year", Kind::Quantity(0), false),
    ("carbon.total_t", "Carbon, operational + embodied", "tCO2e a year", Kind::Quantity(0), true),
    ("carbon.operational_t", "Operational carbon", "tCO2e a year", Kind::Quantity(0), false),
    ("carbon.embodied_t", "Embodied carbon", "tCO2e a year", Kind::Quantity(0), false),
    ("oversubscription.peak_it_kw", "Peak IT power", "kW", Kind::Quantity(0), false),
    ("reliability.availability", "Availability", "of time with IT power", Kind::Availability, true),
    ("reliability.downtime_hours_per_year", "Downtime", "h a year", Kind::Significant, false),
    ("reliability.outages_per_year", "Outages", "a year", Kind::Significant, false),
    (
        "reliability.capacity_hours_lost_per_year",
        "Capacity lost",
        "server-h a year",
        Kind::Quantity(0),
        false,
    ),
    ("workload.tasks", "Tasks", "", Kind::Quantity(0), false),
    ("workload.served_cpu_core_hours", "CPU work served", "core-h", Kind::Quantity(0), false),
    ("workload.requested_cpu_core_hours", "CPU work requested", "core-h", Kind::Quantity(0), false),
    ("workload.rejected", "Tasks rejected", "", Kind::Quantity(0), false),
    ("workload.mean_wait_s", "Mean wait", "s", Kind::Quantity(1), false),
    ("workload.peak_active_hosts", "Peak active hosts", "", Kind::Quantity(0), false),
];

/// A number at a dotted key path of the summary.
pub fn number_at(summary: &Value, key: &str) -> Option<f64> {
    key.split('.').try_fold(summary, |v, k| v.get(k))?.as_f64()
}

/// The figures the summary has.
pub fn headline_figures(summary: &Value) -> Vec<Figure> {
    FIGURES
        .iter()
        .filter_map(|&(key, label, unit, kind, tile)| {
            let value = number_at(summary, key)?;
            Some(Figure { key, label, unit, value, kind, tile })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_figures_present_are_listed() {
        let s = json!({"cost": {"monthly_usd": {"total": 100.0}, "per_server_month_usd": 2.0,
                        "per_vcpu_hour_usd": null}, "reliability": {"availability": 0.9999}});
        let keys: Vec<&str> = headline_figures(&s).iter().map(|f| f.key).collect();
        assert_eq!(keys, ["cost.monthly_usd.total", "cost.per_server_month_usd", "reliability.availability"]);
    }

    #[test]
    fn differences_carry_their_sign_and_unit() {
        let f = headline_figures(&json!({"pue": {"annual": 1.28}, "reliability": {"availability": 0.999}}));
        assert_eq!(f[0].difference_text(0.0213), "+0.021");
        assert_eq!(f[1].text(), "99.9000%");
        assert_eq!(f[1].difference_text(-0.0005), "-0.05000 pp");
    }
}
