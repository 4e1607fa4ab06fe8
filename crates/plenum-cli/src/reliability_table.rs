//! The reliability section of `plenum run`'s table: availability with its
//! confidence interval, downtime, outages, capacity lost, event rates, and the
//! fail-in-place comparison when the scenario asks for it.

use crate::table::{new_table, right, usd};
use plenum_engine::reliability::ReliabilitySummary;
use std::fmt::Write;

fn percent(x: f64) -> String {
    format!("{:.4}%", x * 100.0)
}

fn interval(ci: [f64; 2], f: impl Fn(f64) -> String) -> String {
    format!("{} to {}", f(ci[0]), f(ci[1]))
}

fn num(x: f64) -> String {
    if x.abs() >= 100.0 { format!("{x:.0}") } else { format!("{x:.3}") }
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
    let nines = |a: f64| if a < 1.0 { format!(" ({:.2} nines)", -(1.0 - a).log10()) } else { String::new() };
    t.add_row(vec![
        "Availability of IT power".into(),
        format!("{}{}", percent(r.availability), nines(r.availability)),
        interval(r.availability_ci95, percent),
    ]);
    t.add_row(vec![
        "Availability of capacity".into(),
        percent(r.capacity_availability),
        interval(r.capacity_availability_ci95, percent),
    ]);
    let p = r.downtime_hours_per_year_percentiles;
    t.add_row(vec![
        "Downtime, hours/year".into(),
        num(r.downtime_hours_per_year),
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
            usd(f.fail_in_place_cost_usd_per_year, 0),
            usd(f.repair_cost_usd_per_year, 0),
        ]);
        right(&mut c, 1);
        let curve: Vec<String> =
            f.capacity_curve_by_month.iter().map(|x| format!("{:.1}%", x * 100.0)).collect();
        let _ = writeln!(
            out,
            "\n{c}\nFail in place saves {} a year; capacity by month: {}",
            usd(f.fail_in_place_saving_usd_per_year, 0),
            curve.join(" ")
        );
    }
    out
}
