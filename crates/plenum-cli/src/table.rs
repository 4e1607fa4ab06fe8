//! Human-readable tables for the terminal.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use plenum_engine::{Results, SensitivityRow};
use plenum_models::finance::CostLines;
use plenum_scenario::Scenario;
use std::fmt::Write;

/// Dollars with thousands separators and `decimals` places.
pub fn usd(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}${grouped}.{f}"),
        None => format!("{sign}${grouped}"),
    }
}

/// A number with at most six decimals and no trailing zeros.
fn short(x: f64) -> String {
    let text = format!("{x:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    t
}

pub(crate) fn right(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

const LABELS: [&str; 7] = [
    "Servers",
    "Networking",
    "Power distribution & cooling",
    "Other infrastructure",
    "Energy",
    "People",
    "Maintenance",
];

/// The report of `plenum run`.
pub fn run(scenario: &Scenario, r: &Results) -> String {
    let mut out = String::new();
    let c = &r.cost;
    let _ = writeln!(out, "Scenario: {}", scenario.name);
    if !scenario.description.is_empty() {
        let _ = writeln!(out, "  {}", scenario.description);
    }
    let _ = writeln!(
        out,
        "  {} servers, {} vCPUs, {} kW critical power\n",
        r.scenario.servers, r.scenario.vcpus, r.scenario.critical_power_kw
    );
    let mut t = new_table(&["Monthly cost", "USD / month", "Share"]);
    for (label, (value, share)) in LABELS.iter().zip(c.monthly_usd.values().iter().zip(c.share.values())) {
        t.add_row(vec![label.to_string(), usd(*value, 0), format!("{:.1}%", share * 100.0)]);
    }
    t.add_row(vec!["Total".to_string(), usd(c.total_monthly_usd, 0), "100.0%".to_string()]);
    right(&mut t, 1);
    let _ = writeln!(out, "{t}\n");

    let mut u = new_table(&["Unit cost", "USD"]);
    u.add_row(vec!["per server-month".into(), usd(c.per_server_month_usd, 2)]);
    u.add_row(vec!["per server-hour".into(), usd(c.per_server_hour_usd, 4)]);
    u.add_row(vec!["per critical kW-month".into(), usd(c.per_critical_kw_month_usd, 2)]);
    u.add_row(vec![
        format!(
            "fully burdened cost of power / month ({:.1}% of total)",
            c.fully_burdened_power_share * 100.0
        ),
        usd(c.fully_burdened_power_monthly_usd, 0),
    ]);
    match (c.per_vcpu_hour_usd, c.mean_cpu_utilization) {
        (Some(price), Some(u_frac)) => {
            u.add_row(vec![
                format!("per vCPU-hour at {:.0}% utilization (price floor)", u_frac * 100.0),
                usd(price, 4),
            ]);
        }
        _ => {
            u.add_row(vec!["per vCPU-hour".to_string(), "needs [utilization]".to_string()]);
        }
    }
    right(&mut u, 1);
    let _ = writeln!(out, "{u}");

    let _ = writeln!(
        out,
        "\nIT nameplate {:.0} kW = {:.2} x critical power{}",
        r.it.nameplate_kw,
        r.it.nameplate_over_critical,
        if r.it.nameplate_over_critical > 1.0 { " (oversubscribed)" } else { "" }
    );
    if let Some(s) = &r.network.sizing {
        let _ = writeln!(
            out,
            "Network: {}-tier fabric, {} racks, {} leaf, {} spine, {} super-spine, {} border; {} capex, {:.0} kW",
            s.tiers,
            s.racks,
            s.tor_switches,
            s.spine_switches,
            s.super_spine_switches,
            s.border_routers,
            usd(s.capex_usd, 0),
            s.power_kw
        );
    }
    if !r.skus.is_empty() {
        let mut k = new_table(&["SKU", "work/$", "vs base", "work/TCO $", "vs base", "work/J", "vs base"]);
        for s in &r.skus {
            k.add_row(vec![
                s.name.clone(),
                format!("{:.4}", s.work_per_usd),
                format!("{:.2}x", s.work_per_usd_ratio),
                format!("{:.1}", s.work_per_tco_usd),
                format!("{:.2}x", s.work_per_tco_usd_ratio),
                format!("{:.4}", s.work_per_joule),
                format!("{:.2}x", s.work_per_joule_ratio),
            ]);
        }
        right(&mut k, 1);
        let _ = writeln!(out, "\nServer SKUs (the first is the baseline)\n{k}");
    }
    if let Some(reliability) = &r.reliability {
        out.push_str(&crate::reliability_table::render(reliability));
    }
    out
}

/// The tornado of `plenum sensitivity`.
pub fn sensitivity(
    scenario: &Scenario,
    base: &Results,
    rows: &[SensitivityRow],
    delta: f64,
    top: Option<usize>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sensitivity of {}: each input moved by -{p:.0}% and +{p:.0}%; base total {} / month, {} per server-month\n",
        scenario.name,
        usd(base.cost.total_monthly_usd, 0),
        usd(base.cost.per_server_month_usd, 2),
        p = delta * 100.0,
    );
    let widest = rows.first().map_or(0.0, |r| r.swing_usd).max(1e-9);
    let mut t = new_table(&[
        "Input",
        "Low",
        "High",
        "Total at low",
        "Total at high",
        "$/server-month low",
        "high",
        "Swing",
    ]);
    let cell = |x: Option<f64>, d| x.map_or("invalid".to_string(), |v| usd(v, d));
    for r in rows.iter().take(top.unwrap_or(usize::MAX)) {
        let bar = "█".repeat(((r.swing_usd / widest) * 20.0).round() as usize);
        t.add_row(vec![
            r.input.clone(),
            short(r.low_value),
            short(r.high_value),
            cell(r.total_low_usd, 0),
            cell(r.total_high_usd, 0),
            cell(r.per_server_month_low_usd, 2),
            cell(r.per_server_month_high_usd, 2),
            format!("{} {bar}", usd(r.swing_usd, 0)),
        ]);
    }
    right(&mut t, 1);
    let _ = writeln!(out, "{t}");
    let invalid: Vec<&SensitivityRow> = rows.iter().filter(|r| r.invalid.is_some()).collect();
    for r in invalid {
        let _ =
            writeln!(out, "  {}: a moved value is invalid: {}", r.input, r.invalid.as_deref().unwrap_or(""));
    }
    let _ = CostLines::NAMES; // table labels above follow this order
    out
}

#[cfg(test)]
mod tests {
    use super::usd;

    #[test]
    fn dollars_are_grouped() {
        assert_eq!(usd(3_530_988.4, 0), "$3,530,988");
        assert_eq!(usd(999.0, 2), "$999.00");
        assert_eq!(usd(-1234.5, 1), "-$1,234.5");
        assert_eq!(usd(0.0412, 4), "$0.0412");
    }
}
