//! The reliability section of `plenum run`'s table: availability with its
//! confidence interval, downtime, outages, capacity lost, event rates, and the
//! fail-in-place comparison when the scenario asks for it.

use crate::table::{new_table, right};
use plenum_engine::reliability::ReliabilitySummary;
use plenum_report::format;
use std::fmt::Write;

/// An availability with enough decimals to show its unavailability
/// (99.99998883% is not "100.0000%").
fn percent(x: f64) -> String {
    format::availability(x)
}

fn interval(ci: [f64; 2], f: impl Fn(f64) -> String) -> String {
    format!("{} to {}", f(ci[0]), f(ci[1]))
}

/// Three decimals, or three significant digits for smaller numbers (a
/// downtime of 0.000979 h is not "0.001"), none from 100 up.
fn num(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        format!("{x}")
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else {
        let decimals = (2 - x.abs().log10().floor() as i64).max(3) as usize;
        format!("{x:.decimals$}")
    }
}

/// Downtime in hours a year, with minutes when under an hour.
fn downtime(hours: f64) -> String {
    if hours > 0.0 && hours < 1.0 {
        format!("{} ({} min)", num(hours), num(hours * 60.0))
    } else {
        num(hours)
    }
}

/// The section, starting with a blank line.
pub fn render(r: &ReliabilitySummary) -> String {
    let mut out = String::new();
    let tier = r.tier.as_deref().map(|t| format!(" (Tier {t} topology)")).unwrap_or_default();
    let _ = writeln!(
        out,
        "\nReliability{tier}: {} replications x {} year{} = {} simulated years{}",
        r.replications,
        r.years_per_replication,
        if r.years_per_replication == 1.0 { "" } else { "s" },
        r.simulated_years,
        if r.stopped_early { ", stopped early at the requested precision" } else { "" }
    );
    let mut t = new_table(&["Measure", "Mean", "95% confidence interval"]);
    let nines = |a: f64, none: &str| match format::nines(a) {
        Some(n) => format!(" ({n} nines)"),
        None => format!(" ({none})"),
    };
    t.add_row(vec![
        "Availability of IT power".into(),
        format!("{}{}", percent(r.availability), nines(r.availability, "no downtime seen")),
        interval(r.availability_ci95, percent),
    ]);
    t.add_row(vec![
        "Availability of capacity".into(),
        format!("{}{}", percent(r.capacity_availability), nines(r.capacity_availability, "none lost")),
        interval(r.capacity_availability_ci95, percent),
    ]);
    let p = r.downtime_hours_per_year_percentiles;
    t.add_row(vec![
        "Downtime, hours/year".into(),
        downtime(r.downtime_hours_per_year),
        format!(
            "{}; p50 {}, p90 {}, p99 {}, max {}",
            interval(r.downtime_hours_per_year_ci95, num),
            num(p.p50),
            num(p.p90),
            num(p.p99),
            num(p.max)
        ),
    ]);
    t.add_row(vec!["Outages/year".into(), num(r.outages_per_year), interval(r.outages_per_year_ci95, num)]);
    let o = r.outage_hours;
    t.add_row(vec![
        "Outage length, hours".into(),
        num(o.mean),
        format!(
            "{}; {} outages; p50 {}, p90 {}, p99 {}, max {}",
            interval(o.mean_ci95, num),
            o.count,
            num(o.percentiles.p50),
            num(o.percentiles.p90),
            num(o.percentiles.p99),
            num(o.percentiles.max)
        ),
    ]);
    t.add_row(vec![
        "Capacity lost, server-hours/year".into(),
        num(r.capacity_hours_lost_per_year),
        interval(r.capacity_hours_lost_per_year_ci95, num),
    ]);
    right(&mut t, 1);
    let _ = writeln!(out, "{t}");

    let mut e = new_table(&["Component", "Event", "Mode", "Per year", "95% CI"]);
    for rate in &r.events_per_year {
        e.add_row(vec![
            rate.component.clone(),
            rate.kind.clone(),
            rate.mode.clone().unwrap_or_default(),
            num(rate.per_year),
            interval(rate.per_year_ci95, num),
        ]);
    }
    right(&mut e, 3);
    let _ = writeln!(out, "\nEvents\n{e}");

    if let Some(f) = &r.fail_in_place {
        let mut c = new_table(&["Fail in place vs repair", "Fail in place", "Repair-based"]);
        c.add_row(vec![
            "Capacity lost, server-hours/year".into(),
            num(f.capacity_hours_lost_per_year),
            num(f.repair_capacity_hours_lost_per_year),
        ]);
        c.add_row(vec![
            "Module replacements / repairs per year".into(),
            num(f.module_replacements_per_year),
            num(f.repairs_per_year),
        ]);
        c.add_row(vec![
            "Cost a year (lost capacity at the server-hour cost)".into(),
            format::usd_fixed(f.fail_in_place_cost_usd_per_year, 0),
            format::usd_fixed(f.repair_cost_usd_per_year, 0),
        ]);
        right(&mut c, 1);
        let curve: Vec<String> =
            f.capacity_curve_by_month.iter().map(|x| format!("{:.1}%", x * 100.0)).collect();
        let _ = writeln!(
            out,
            "\n{c}\nFail in place saves {} a year; capacity by month: {}",
            format::usd_fixed(f.fail_in_place_saving_usd_per_year, 0),
            curve.join(" ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::reliability::{OutageLengths, Percentiles};

    fn summary(availability: f64, downtime_h: f64) -> ReliabilitySummary {
        ReliabilitySummary {
            tier: Some("IV".into()),
            replications: 1_000,
            years_per_replication: 1.0,
            simulated_years: 1_000.0,
            stopped_early: false,
            availability,
            availability_ci95: [availability - 1e-7, 1.0],
            capacity_availability: 1.0,
            capacity_availability_ci95: [0.999, 1.0],
            downtime_hours_per_year: downtime_h,
            downtime_hours_per_year_ci95: [0.0, 3.0 * downtime_h],
            downtime_hours_per_year_percentiles: Percentiles::default(),
            outages_per_year: 0.001,
            outages_per_year_ci95: [2.53e-5, 5.57e-3],
            outage_hours: OutageLengths::default(),
            capacity_hours_lost_per_year: 0.0,
            capacity_hours_lost_per_year_ci95: [0.0, 0.0],
            events_per_year: Vec::new(),
            events_simulated: 0,
            fail_in_place: None,
        }
    }

    /// Issue 13: an availability of 99.99998883% printed as "100.0000%" and a
    /// downtime of 0.000979 h a year as "0.001".
    #[test]
    fn high_availability_keeps_its_digits() {
        let text = render(&summary(0.9999998883, 0.000979));
        assert!(text.contains("99.9999888% (6.95 nines)"), "{text}");
        assert!(!text.contains("100.0000%"), "{text}");
        assert!(text.contains("0.000979 (0.0587 min)"), "{text}");
        assert!(text.contains("0.0000253 to 0.00557"), "{text}");
    }

    #[test]
    fn no_downtime_says_so() {
        let text = render(&summary(1.0, 0.0));
        assert!(text.contains("100% (no downtime seen)"), "{text}");
    }
}
