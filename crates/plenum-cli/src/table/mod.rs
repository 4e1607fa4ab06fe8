//! Human-readable tables for the terminal.

mod reliability;
mod training;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use plenum_engine::{Results, SensitivityRow};
use plenum_models::finance::CostLines;
use plenum_scenario::Scenario;
use std::fmt::Write;

use plenum_report::format::{number, trimmed, usd_fixed};

/// `n` and its noun, singular for one: `1 sample`, `2 samples`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The width tables must fit: `COLUMNS` when set, else the terminal's when
/// stdout is one; none (tables as wide as their content) for a pipe or file.
fn output_width() -> Option<u16> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()) {
        return Some(columns.max(20));
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(terminal_size::Width(w), _)| w)
}

pub(crate) fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    if let Some(width) = output_width() {
        // Wrap cells (labels first: they are the widest) to fit the width.
        t.set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
    }
    t
}

pub(crate) fn right(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

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
        number(r.scenario.servers as f64, 0),
        number(r.scenario.vcpus as f64, 0),
        trimmed(r.scenario.critical_power_kw)
    );
    let mut t = new_table(&["Monthly cost", "USD / month", "Share"]);
    for (label, (value, share)) in
        CostLines::LABELS.iter().zip(c.monthly_usd.values().iter().zip(c.share.values()))
    {
        // A line that is $0 because its section is absent says so.
        let share = match plenum_report::sections::absent_section(&scenario.notes, label) {
            Some(section) => format!("not given (no [{section}])"),
            None => format!("{:.1}%", share * 100.0),
        };
        t.add_row(vec![label.to_string(), usd_fixed(*value, 0), share]);
    }
    t.add_row(vec!["Total".to_string(), usd_fixed(c.total_monthly_usd, 0), "100.0%".to_string()]);
    right(&mut t, 1);
    let _ = writeln!(out, "{t}\n");

    let mut u = new_table(&["Unit cost", "USD"]);
    u.add_row(vec!["per server-month".into(), usd_fixed(c.per_server_month_usd, 2)]);
    u.add_row(vec!["per server-hour".into(), usd_fixed(c.per_server_hour_usd, 4)]);
    u.add_row(vec!["per critical kW-month".into(), usd_fixed(c.per_critical_kw_month_usd, 2)]);
    u.add_row(vec![
        format!(
            "fully burdened cost of power / month ({:.1}% of total)",
            c.fully_burdened_power_share * 100.0
        ),
        usd_fixed(c.fully_burdened_power_monthly_usd, 0),
    ]);
    match (c.per_vcpu_hour_usd, c.mean_cpu_utilization) {
        (Some(price), Some(u_frac)) => {
            let basis = match c.mean_cpu_utilization_source.as_deref() {
                Some("simulated year") => "the simulated year's mean".to_string(),
                Some(field) => format!("from {field}"),
                None => String::new(),
            };
            u.add_row(vec![
                format!("per vCPU-hour at {:.1}% utilization, {basis} (price floor)", u_frac * 100.0),
                usd_fixed(price, 4),
            ]);
        }
        _ => {
            u.add_row(vec!["per vCPU-hour".to_string(), "needs [utilization]".to_string()]);
        }
    }
    if let (Some(price), Some(u_frac), Some(a)) =
        (c.per_gpu_hour_usd, c.per_gpu_hour_assumed_utilization, r.it.accelerators.as_ref())
    {
        u.add_row(vec![
            format!(
                "per GPU-hour at {:.1}% utilization of {} accelerators (price floor)",
                u_frac * 100.0,
                number(a.count as f64, 0)
            ),
            usd_fixed(price, 4),
        ]);
    }
    right(&mut u, 1);
    let _ = writeln!(out, "{u}");

    let _ = writeln!(out, "\n{}", nameplate_line(r.it.nameplate_kw, r.scenario.critical_power_kw));
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
            usd_fixed(s.capex_usd, 0),
            s.power_kw
        );
    }
    if let Some(f) = &r.facility {
        out.push_str(&facility(f));
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
        out.push_str(&reliability::render(reliability));
    }
    if let Some(t) = &r.training {
        out.push_str(&training::render(t, r.power_dynamics.as_ref()));
    }
    out
}

/// The notes on figures computed from absent inputs, one line each.
pub fn notes(notes: &[plenum_scenario::notes::Note]) -> String {
    let mut out = String::new();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes (inputs the scenario leaves out):");
        for n in notes {
            let _ = writeln!(out, "  - {}", n.message);
        }
    }
    out
}

/// `x` with the fewest decimals (two to six) that tell it apart from `reference`
/// when it differs, so 8,000.17 kW against 8,000 never reads as equal.
fn distinct(x: f64, reference: f64, min_decimals: usize) -> String {
    // At least two significant digits below 1 (0.0017, not 0.00).
    let significant = if x != 0.0 && x.abs() < 1.0 { (1.0 - x.abs().log10().floor()) as usize } else { 0 };
    let mut decimals = min_decimals.max(significant.min(6));
    while decimals < 6 && x != reference && format!("{x:.decimals$}") == format!("{reference:.decimals$}") {
        decimals += 1;
    }
    format!("{x:.decimals$}")
}

/// "IT nameplate ... x critical power", saying by how much it is over or under.
fn nameplate_line(nameplate_kw: f64, critical_kw: f64) -> String {
    let ratio = nameplate_kw / critical_kw;
    let (nameplate, critical) =
        (distinct(nameplate_kw, critical_kw, 0), distinct(critical_kw, nameplate_kw, 0));
    let difference_kw = nameplate_kw - critical_kw;
    let margin = distinct(difference_kw.abs(), 0.0, 0);
    let verdict = if difference_kw > 0.0 {
        format!(" (oversubscribed: nameplate {margin} kW above critical power)")
    } else if difference_kw < 0.0 {
        format!(" ({margin} kW below critical power)")
    } else {
        " (equal to critical power)".to_string()
    };
    format!(
        "IT nameplate {nameplate} kW = {} x critical power {critical} kW{verdict}",
        distinct(ratio, 1.0, 2)
    )
}

/// The simulated year: energy, PUE, cooling, carbon, power chain, oversubscription.
fn facility(f: &plenum_engine::FacilitySummary) -> String {
    let mut out = String::new();
    let e = &f.energy;
    let _ = writeln!(out, "\nSimulated year, hour by hour ({}):", f.weather_source);
    let mut t = new_table(&["Energy", "MWh / year", "Mean kW", "Share"]);
    let hours = 8_760.0;
    for (label, mwh) in [
        ("IT (servers at the wall, network)", Some(e.it_mwh)),
        ("  of which server PSU losses", e.psu_losses_mwh),
        ("Power-chain losses", Some(e.losses_mwh)),
        ("Cooling", Some(e.cooling_mwh)),
        ("Lighting and other", Some(e.other_mwh)),
        ("Facility total", Some(e.facility_mwh)),
    ] {
        let Some(mwh) = mwh else {
            t.add_row(vec![
                format!("{label}: not modelled (curves are wall power; give `psu`)"),
                "-".into(),
                "-".into(),
                "-".into(),
            ]);
            continue;
        };
        t.add_row(vec![
            label.to_string(),
            format!("{mwh:.0}"),
            format!("{:.0}", mwh * 1000.0 / hours),
            format!("{:.1}%", mwh / e.facility_mwh * 100.0),
        ]);
    }
    right(&mut t, 1);
    let _ = writeln!(out, "{t}");
    let _ = writeln!(
        out,
        "PUE {:.3} for the year (hourly {:.3} to {:.3}); mean utilization {:.0}%; energy {} a year",
        f.pue.annual,
        f.pue.min_hourly,
        f.pue.max_hourly,
        f.mean_utilization * 100.0,
        usd_fixed(e.cost_usd, 0)
    );
    let c = &f.cooling;
    let _ = writeln!(
        out,
        "Cooling: economizer {} h ({} h with chillers off); chillers {:.0}, fans {:.0}, pumps {:.0}, towers {:.0} MWh",
        c.economizer_hours, c.full_economizer_hours, c.chillers_mwh, c.fans_mwh, c.pumps_mwh, c.towers_mwh
    );
    if let Some(l) = &c.liquid {
        let _ = writeln!(
            out,
            "Liquid cooling: {:.0}% of heat on cold plates and rear doors, class {} ({:.0} °C facility water), {}; \
             {} h dry coolers alone, {} h evaporative, {} h with chillers; CDU pumps {:.0}, facility pumps {:.0}, \
             fans {:.0}, chillers {:.0} MWh; {:.0} MWh rejected",
            l.captured_share * 100.0,
            l.class,
            l.facility_supply_c,
            l.heat_rejection.replace('_', " "),
            l.dry_cooler_only_hours,
            l.evaporative_hours,
            l.chiller_hours,
            l.cdu_pump_mwh,
            l.facility_pump_mwh,
            l.rejection_fans_mwh,
            l.chillers_mwh,
            l.heat_rejection_mwh
        );
    }
    let w = &f.water;
    let _ = writeln!(
        out,
        "Water: {:.0} m3 a year ({:.0} evaporated, {:.0} blown down), WUE {:.2} L/kWh",
        w.annual_m3, w.evaporation_m3, w.blowdown_m3, w.wue_l_per_kwh
    );
    let k = &f.carbon;
    let _ = writeln!(
        out,
        "Carbon: {:.0} tCO2e operational + {:.0} tCO2e embodied a year (grid mean {:.0} g/kWh)",
        k.operational_t, k.embodied_t, k.mean_intensity_g_per_kwh
    );
    let mut p = new_table(&[
        "Power chain stage",
        "Level",
        "Instances",
        "N capacity kW",
        "Units",
        "Peak loading",
        "Losses MWh",
        "Stranded kW",
    ]);
    for (name, s) in &f.power_chain {
        p.add_row(vec![
            name.clone(),
            s.level.to_string(),
            s.instances.to_string(),
            format!("{:.0}", s.capacity_kw),
            format!("{}", s.installed_units),
            format!("{:.1}%", s.peak_loading * 100.0),
            format!("{:.0}", s.losses_mwh),
            format!("{:.0}", s.stranded_kw),
        ]);
    }
    right(&mut p, 2);
    let _ = writeln!(out, "{p}");
    let o = &f.oversubscription;
    let _ = writeln!(
        out,
        "Oversubscription: peak IT {:.0} kW of {:.0} kW nameplate (rack {:.1}%, PDU {:.1}%, site {:.1}% of nameplate);\n  at the p{} hour IT is {} kW of the {} kW budget",
        o.peak_it_kw,
        o.nameplate_kw,
        o.rack_peak_fraction * 100.0,
        o.pdu_peak_fraction * 100.0,
        o.site_peak_fraction * 100.0,
        o.percentile,
        distinct(o.percentile_it_kw, o.budget_kw, 0),
        distinct(o.budget_kw, o.percentile_it_kw, 0),
    );
    let binding = match o.binding_stage.as_str() {
        "critical_power" => "the critical-power budget".to_string(),
        "cooling_plant" => "the cooling plant's design heat".to_string(),
        stage => format!("stage {stage}"),
    };
    let _ = match (o.extra_servers, o.max_servers) {
        (Some(extra), Some(_)) if o.headroom_fraction >= 0.0 => writeln!(
            out,
            "  whole chain (every stage, budget, cooling) at p{}: room for {extra} more servers ({:.1}%), then {binding} goes over",
            o.percentile,
            o.headroom_fraction * 100.0
        ),
        (_, Some(max)) => writeln!(
            out,
            "  whole chain at p{}: over a limit already; {max} servers fit ({:.1}%), {binding} binds",
            o.percentile,
            o.headroom_fraction * 100.0
        ),
        _ => writeln!(out, "  whole chain at p{}: no limit binds (servers draw no power)", o.percentile),
    };
    out
}

/// The timeline of `plenum plan`.
pub fn plan(
    scenario: &Scenario,
    p: &plenum_engine::plan::PlanSummary,
    timeline: &plenum_engine::DataTable,
    monthly: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Plan for {}: {} months, {} demand samples\n",
        scenario.name, p.horizon_months, p.samples
    );
    let col = |name: &str| -> Vec<f64> {
        match timeline.column(name).map(|c| &c.values) {
            Some(plenum_engine::ColumnValues::F64(v)) => v.clone(),
            _ => Vec::new(),
        }
    };
    let (forecast, demand, p95, built, usable, served, unserved, util, cost) = (
        col("forecast_mw"),
        col("demand_mean_mw"),
        col("demand_p95_mw"),
        col("built_mw"),
        col("usable_mw"),
        col("served_mean_mw"),
        col("unserved_mean_mw"),
        col("utilization_mean"),
        col("cost_mean_usd"),
    );
    let mut t = new_table(&[
        "Month",
        "Forecast MW",
        "Demand MW",
        "p95 MW",
        "Built MW",
        "Usable MW",
        "Served MW",
        "Short MW",
        "Utilization",
        "Cost / month",
    ]);
    let step = if monthly { 1 } else { 12 };
    for m in (0..demand.len())
        .step_by(step)
        .chain(std::iter::once(demand.len() - 1))
        .collect::<std::collections::BTreeSet<_>>()
    {
        t.add_row(vec![
            m.to_string(),
            format!("{:.1}", forecast[m]),
            format!("{:.1}", demand[m]),
            format!("{:.1}", p95[m]),
            format!("{:.1}", built[m]),
            format!("{:.1}", usable[m]),
            format!("{:.1}", served[m]),
            format!("{:.2}", unserved[m]),
            format!("{:.0}%", util[m] * 100.0),
            usd_fixed(cost[m], 0),
        ]);
    }
    right(&mut t, 0);
    let _ = writeln!(out, "{t}\n");
    let mut s = new_table(&[
        "Site",
        "PUE",
        "Energy $/MW-month",
        "Burdened $/kW-month",
        "tCO2e/MW-month",
        "Modules",
        "Built MW",
    ]);
    for (name, site) in &p.sites {
        s.add_row(vec![
            name.clone(),
            format!("{:.3}", site.economics.pue),
            usd_fixed(site.economics.energy_usd_per_mw_month, 0),
            usd_fixed(site.burdened_usd_per_kw_month, 2),
            format!("{:.2}", site.economics.carbon_t_per_mw_month),
            site.modules.to_string(),
            format!("{:.0}", site.built_mw),
        ]);
    }
    right(&mut s, 1);
    let _ = writeln!(out, "{s}\n");
    let _ = writeln!(
        out,
        "NPV {} (p5 {}, p95 {}); {} per MW-month served; capital committed {}",
        usd_fixed(p.npv_usd, 0),
        usd_fixed(p.npv_usd_p5, 0),
        usd_fixed(p.npv_usd_p95, 0),
        usd_fixed(p.cost_per_mw_month_usd, 0),
        usd_fixed(p.capex_usd, 0)
    );
    let _ = writeln!(
        out,
        "Months short {:.1} on average (p95 {:.0}); {:.0} MWh not served; mean utilization {:.0}%; stranded up to {:.1} MW",
        p.months_short,
        p.months_short_p95,
        p.unserved_mwh,
        p.mean_utilization * 100.0,
        p.stranded_mw_peak
    );
    if let Some(m) = p.out_of_room_month {
        let _ = writeln!(out, "From month {m} no site had room for a module the forecast needed.");
    }
    let _ = writeln!(out, "\nBuilds ({}):", p.builds.len());
    for b in &p.builds {
        let _ = writeln!(
            out,
            "  month {:>3} -> {:>3}: {} MW at {}: {}",
            b.start_month, b.complete_month, b.size_mw, b.site, b.reason
        );
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
        usd_fixed(base.cost.total_monthly_usd, 0),
        usd_fixed(base.cost.per_server_month_usd, 2),
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
    let cell = |x: Option<f64>, d| x.map_or("invalid".to_string(), |v| usd_fixed(v, d));
    for r in rows.iter().take(top.unwrap_or(usize::MAX)) {
        let bar = "█".repeat(((r.swing_usd / widest) * 20.0).round() as usize);
        t.add_row(vec![
            r.input.clone(),
            trimmed(r.low_value),
            trimmed(r.high_value),
            cell(r.total_low_usd, 0),
            cell(r.total_high_usd, 0),
            cell(r.per_server_month_low_usd, 2),
            cell(r.per_server_month_high_usd, 2),
            format!("{} {bar}", usd_fixed(r.swing_usd, 0)),
        ]);
    }
    right(&mut t, 1);
    let _ = writeln!(out, "{t}");
    let invalid: Vec<&SensitivityRow> = rows.iter().filter(|r| r.invalid.is_some()).collect();
    for r in invalid {
        let _ =
            writeln!(out, "  {}: a moved value is invalid: {}", r.input, r.invalid.as_deref().unwrap_or(""));
    }
    out
}

/// The headline figures a sweep's table shows, by summary path, with their
/// column titles (figures a variant lacks are left out of the table).
const SWEEP_HEADLINES: [(&str, &str); 5] = [
    ("cost.monthly_usd.total", "Total / month"),
    ("cost.per_server_month_usd", "$/server-month"),
    ("pue.annual", "PUE"),
    ("energy.facility_mwh", "Facility MWh/yr"),
    ("carbon.total_t", "tCO2e/yr"),
];

/// Rows of a sweep shown on the terminal; the file holds them all.
const SWEEP_ROWS_SHOWN: usize = 40;

/// The varied inputs and headline figures of `plenum sweep`, a row per
/// variant and sample (the first [`SWEEP_ROWS_SHOWN`]).
pub fn sweep(table: &plenum_engine::DataTable, keys: &[String], samples: u64) -> String {
    use plenum_engine::ColumnValues;
    let cell = |values: &ColumnValues, row: usize| -> String {
        match values {
            ColumnValues::F64(v) => trimmed(v[row]),
            ColumnValues::OptF64(v) => v[row].map_or("-".into(), trimmed),
            ColumnValues::U64(v) => v[row].to_string(),
            ColumnValues::I64(v) => v[row].to_string(),
            ColumnValues::Text(v) => v[row].clone(),
            ColumnValues::Bool(v) => v[row].to_string(),
        }
    };
    let mut columns: Vec<(String, &ColumnValues)> = Vec::new();
    if samples > 1
        && let Some(c) = table.column("seed")
    {
        columns.push(("seed".into(), &c.values));
    }
    for key in keys {
        if let Some(c) = table.column(key) {
            columns.push((key.clone(), &c.values));
        }
    }
    for (path, title) in SWEEP_HEADLINES {
        let column = table.column(path).or_else(|| table.column(&format!("summary.{path}")));
        if let Some(c) =
            column.filter(|c| !matches!(&c.values, ColumnValues::OptF64(v) if v.iter().all(Option::is_none)))
        {
            columns.push((title.to_string(), &c.values));
        }
    }
    let header: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let mut t = new_table(&header);
    for row in 0..table.rows().min(SWEEP_ROWS_SHOWN) {
        t.add_row(columns.iter().map(|(name, values)| {
            // Money in dollars, as every other table prints it (from the
            // number itself: the cell's text has thousands separators).
            let usd = match values {
                ColumnValues::F64(v) => Some(v[row]),
                ColumnValues::OptF64(v) => v[row],
                _ => None,
            };
            match (name.as_str(), usd) {
                ("Total / month", Some(x)) => usd_fixed(x, 0),
                ("$/server-month", Some(x)) => usd_fixed(x, 2),
                _ => cell(values, row),
            }
        }));
    }
    right(&mut t, keys.len() + usize::from(samples > 1));
    let mut out = format!("{t}\n");
    if table.rows() > SWEEP_ROWS_SHOWN {
        let _ =
            writeln!(out, "(the first {SWEEP_ROWS_SHOWN} of {} rows; the file holds them all)", table.rows());
    }
    out
}

/// The comparison of two runs (`plenum report A B`).
pub fn comparison(c: &plenum_report::Comparison, a: &std::path::Path, b: &std::path::Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "A = {} ({})\nB = {} ({})\n", a.display(), c.names.0, b.display(), c.names.1);
    match &c.inputs {
        None => out.push_str("Inputs: a run folder has no scenario.toml; inputs not compared.\n\n"),
        Some(diffs) if diffs.is_empty() => out.push_str("Inputs: the same in both runs.\n\n"),
        Some(diffs) => {
            let mut t = new_table(&["Input that differs", "A", "B"]);
            for d in diffs {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not set)".into());
                t.add_row(vec![d.path.clone(), show(&d.a), show(&d.b)]);
            }
            let _ = writeln!(out, "{t}\n");
        }
    }
    let mut t = new_table(&["Figure", "A", "B", "B - A", "(B - A) / A"]);
    for f in &c.figures {
        let label = if f.figure.unit.is_empty() {
            f.figure.label.to_string()
        } else {
            format!("{} ({})", f.figure.label, f.figure.unit)
        };
        t.add_row(vec![label, f.a_text(), f.b_text(), f.difference_text(), f.relative_text()]);
    }
    right(&mut t, 1);
    let _ = writeln!(out, "{t}");
    out
}
