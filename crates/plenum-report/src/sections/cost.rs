//! Where the money goes: monthly cost by line with shares, and the
//! sensitivity tornado when `plenum sensitivity` computed one.

use super::{Block, Section, paragraph};
use crate::format;
use crate::spec::{Chart, WIDTH};
use crate::stats::round;
use crate::{ReportError, Run};
use plenum_models::finance::CostLines;
use serde_json::{Value, json};

/// The section whose absence makes cost line `label` (one of
/// `CostLines::LABELS`) $0, when the run's `notes` say it is absent
/// (`people` for "People"); the command line's table marks it the same way.
pub fn absent_section(notes: &[plenum_scenario::notes::Note], label: &str) -> Option<&'static str> {
    let section = match label {
        "Networking" => "network",
        "People" => "people",
        "Maintenance" => "maintenance",
        _ => return None,
    };
    notes.iter().any(|n| n.field == section).then_some(section)
}

/// Rows of the tornado shown.
const TORNADO_ROWS: usize = 15;

/// Monthly cost by line, with each line's share.
pub fn cost(run: &Run) -> Result<Option<Section>, ReportError> {
    let s = run.summary;
    let total = s.cost.monthly_usd.total();
    let mut rows = Vec::new();
    let (monthly, shares) = (s.cost.monthly_usd.values(), s.cost.share.values());
    // LABELS and values() follow `CostLines::NAMES` order.
    for (i, label) in CostLines::LABELS.into_iter().enumerate() {
        let (usd, share) = (monthly[i], shares[i]);
        // A line that is $0 because its section is absent says so, not just "$0".
        let text = match absent_section(&s.notes, label) {
            Some(section) => format!("{} · not given (no [{section}])", format::usd(usd)),
            None => format!("{} · {}", format::usd(usd), format::percent(share, 1)),
        };
        rows.push(json!({
            "line": label,
            "usd": round(usd, 0),
            "share": round(share, 4),
            "label": text,
        }));
    }
    // Largest first, as an explicit domain (a sort by x conflicts across the two layers).
    let mut order: Vec<(&str, f64)> =
        rows.iter().map(|r| (r["line"].as_str().unwrap_or(""), r["usd"].as_f64().unwrap_or(0.0))).collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let domain: Vec<&str> = order.iter().map(|o| o.0).collect();
    let spec = json!({
        "width": WIDTH - 260,
        "height": {"step": 30},
        "data": {"values": rows},
        "encoding": {
            "y": {"field": "line", "type": "nominal", "sort": null, "scale": {"domain": domain}, "title": null,
                  "axis": {"labelFontSize": 12, "labelLimit": 220}},
            "x": {"field": "usd", "type": "quantitative", "title": "Cost, USD per month", "axis": {"format": "$.2s"}}
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": "#1f5fa8"},
                "encoding": {"tooltip": [
                    {"field": "line", "title": "Line"},
                    {"field": "usd", "title": "USD per month", "format": "$,.0f"},
                    {"field": "share", "title": "Share of total", "format": ".1%"}
                ]}
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12},
                "encoding": {"text": {"field": "label"}}
            }
        ]
    });
    let absent: Vec<&str> =
        CostLines::LABELS.into_iter().filter(|l| absent_section(&s.notes, l).is_some()).collect();
    let caption = format!(
        "Monthly cost of ownership by line (y axis) in USD per month (x axis), largest first; each bar is \
         labelled with its amount and its share of the total of {} a month. Capital lines are level \
         monthly payments over their amortization periods.{}",
        format::usd(total),
        if absent.is_empty() {
            String::new()
        } else {
            format!(
                " Not given, so $0: {} (the scenario has no such section; see Left out above).",
                absent.join(", ")
            )
        }
    );
    let mut blocks = vec![Block::Chart(Chart::new(spec, caption))];
    let unit: Vec<String> = [
        ("cost.per_server_month_usd", "per server-month"),
        ("cost.per_critical_kw_month_usd", "per critical kW-month"),
        ("cost.per_vcpu_hour_usd", "per used vCPU-hour"),
        ("cost.per_gpu_hour_usd", "per used GPU-hour"),
    ]
    .iter()
    .filter_map(|(k, l)| crate::headline::figure_value(s, k).map(|v| format!("{} {l}", format::usd(v))))
    .collect();
    if let Some(share) = crate::headline::figure_value(s, "cost.fully_burdened_power_share") {
        blocks.push(Block::Html(paragraph(&format!(
            "Unit costs: {}. Power distribution & cooling plus energy (the fully burdened cost of power) \
             make {} of the total.",
            unit.join(", "),
            format::percent(share, 1)
        ))));
    }
    Ok(Some(Section { id: "cost", title: "Monthly cost by line".into(), blocks, plots: true }))
}

/// The sensitivity tornado: change in total monthly cost when each input
/// moves down and up.
pub fn sensitivity(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(rows) = run.sensitivity.and_then(Value::as_array) else { return Ok(None) };
    if rows.is_empty() {
        return Ok(None);
    }
    let base = run.summary.cost.monthly_usd.total();
    let field = |row: &Value, key: &str| row.get(key).and_then(Value::as_f64);
    let mut ranked: Vec<&Value> = rows.iter().filter(|r| field(r, "swing_usd").is_some()).collect();
    ranked.sort_by(|a, b| {
        field(b, "swing_usd").unwrap_or(0.0).total_cmp(&field(a, "swing_usd").unwrap_or(0.0))
    });
    // The fraction moved: the median of high/base − 1 over the rows (whole-number inputs round).
    let mut fractions: Vec<f64> = rows
        .iter()
        .filter_map(|r| Some(field(r, "high_value")? / field(r, "base_value").filter(|b| *b != 0.0)? - 1.0))
        .collect();
    fractions.sort_by(f64::total_cmp);
    let fraction = fractions.get(fractions.len() / 2).copied().unwrap_or(f64::NAN);
    let (down, up) = (
        format!("input −{}", format::percent(fraction, 0)),
        format!("input +{}", format::percent(fraction, 0)),
    );
    let mut values = Vec::new();
    let mut invalid = Vec::new();
    for (rank, row) in ranked.iter().take(TORNADO_ROWS).enumerate() {
        let input = row.get("input").and_then(Value::as_str).unwrap_or("?");
        let base_value = field(row, "base_value").unwrap_or(f64::NAN);
        let label = format!("{input} = {}", format::trimmed(base_value));
        for (direction, total_key, value_key) in
            [(&down, "total_low_usd", "low_value"), (&up, "total_high_usd", "high_value")]
        {
            match field(row, total_key) {
                Some(total) => values.push(json!({
                    "input": label,
                    "rank": rank,
                    "direction": direction,
                    "delta_usd": round(total - base, 0),
                    "value": field(row, value_key),
                    "total_usd": round(total, 0),
                })),
                None => invalid.push(format!("{input} ({direction})")),
            }
        }
    }
    let spec = json!({
        "width": WIDTH - 360,
        "height": {"step": 22},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {"field": "input", "type": "nominal", "sort": {"field": "rank", "order": "ascending"},
                          "title": null, "axis": {"labelLimit": 340}},
                    "x": {"field": "delta_usd", "type": "quantitative",
                          "title": "Change in total cost, USD per month", "axis": {"format": "$~s"}},
                    "color": {"field": "direction", "type": "nominal", "title": "Move",
                              "scale": {"domain": [down, up], "range": ["#4c78a8", "#e45756"]}},
                    "tooltip": [
                        {"field": "input", "title": "Input"},
                        {"field": "direction", "title": "Move"},
                        {"field": "value", "title": "Value used"},
                        {"field": "delta_usd", "title": "Change, USD/month", "format": "$,.0f"},
                        {"field": "total_usd", "title": "Total, USD/month", "format": "$,.0f"}
                    ]
                }
            },
            {"mark": {"type": "rule", "color": "#333"}, "encoding": {"x": {"datum": 0}}}
        ]
    });
    let caption = format!(
        "Sensitivity of the total monthly cost: for each input (y axis, with its value in the scenario) \
         the change in total cost in USD per month (x axis) when the input alone is moved down (blue) or \
         up (red) by {}, for the {} inputs with the largest swing, largest first. The base total is {} a month.",
        format::percent(fraction, 0),
        ranked.len().min(TORNADO_ROWS),
        format::usd(base)
    );
    let mut blocks = vec![Block::Chart(Chart::new(spec, caption))];
    if !invalid.is_empty() {
        blocks.push(Block::Html(paragraph(&format!(
            "Moves that broke a rule of the scenario (not drawn): {}.",
            invalid.join(", ")
        ))));
    }
    Ok(Some(Section { id: "sensitivity", title: "Sensitivity".into(), blocks, plots: true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_models::finance::CostLines;

    fn summary() -> plenum_engine::Summary {
        let mut s = crate::fixture::summary("t", 0.0);
        let lines: Vec<f64> = (0..7).map(|i| 100.0 * (i + 1) as f64).collect();
        s.cost.monthly_usd = CostLines::from_values(lines.try_into().unwrap());
        s.cost.share = s.cost.monthly_usd.shares();
        s
    }

    #[test]
    fn cost_lines_carry_amount_and_share() {
        let s = summary();
        let run = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: None };
        let section = cost(&run).unwrap().unwrap();
        let Block::Chart(chart) = &section.blocks[0] else { panic!() };
        let values = chart.spec["data"]["values"].as_array().unwrap();
        assert_eq!(values.len(), 7);
        assert_eq!(values[6]["label"], "$700.00 · 25.0%");
        assert!(chart.caption.contains("USD per month") && chart.caption.contains("$2,800"));
    }

    #[test]
    fn a_line_of_an_absent_section_says_it_was_not_given() {
        let mut s = summary();
        s.cost.monthly_usd = CostLines::from_values([100.0, 200.0, 300.0, 400.0, 500.0, 0.0, 700.0]);
        s.notes.push(plenum_scenario::notes::Note {
            code: "people-absent".into(),
            message: "no [people]: staff cost $0 a month".into(),
            field: "people".into(),
        });
        let run = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: None };
        let section = cost(&run).unwrap().unwrap();
        let Block::Chart(chart) = &section.blocks[0] else { panic!() };
        let values = chart.spec["data"]["values"].as_array().unwrap();
        let label = |i: usize| values[i]["label"].as_str().unwrap().to_string();
        assert!(
            label(5).starts_with("$0") && label(5).ends_with(" · not given (no [people])"),
            "{}",
            label(5)
        );
        assert_eq!(label(6), "$700.00 · 25.0%");
        assert!(chart.caption.contains("Not given, so $0: People"), "{}", chart.caption);
    }

    #[test]
    fn tornado_ranks_by_swing_and_reports_invalid_moves() {
        let s = summary();
        let rows = json!([
            {"input": "energy.pue", "base_value": 1.5, "low_value": 1.2, "high_value": 1.8,
             "total_low_usd": 2700.0, "total_high_usd": 2900.0, "swing_usd": 200.0},
            {"input": "facility.power_cooling_share", "base_value": 0.9, "low_value": 0.72, "high_value": 1.08,
             "total_low_usd": 2500.0, "total_high_usd": null, "swing_usd": 300.0,
             "invalid": "must be at most 1"},
            {"input": "servers[0].count", "base_value": 10.0, "low_value": 8.0, "high_value": 12.0,
             "total_low_usd": 2790.0, "total_high_usd": 2810.0, "swing_usd": 20.0}
        ]);
        let run = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: Some(&rows) };
        let section = sensitivity(&run).unwrap().unwrap();
        let Block::Chart(chart) = &section.blocks[0] else { panic!() };
        let values = chart.spec["data"]["values"].as_array().unwrap();
        assert_eq!(values.len(), 5, "one move was invalid");
        assert_eq!(values[0]["input"], "facility.power_cooling_share = 0.9");
        assert_eq!(values[0]["delta_usd"], -300);
        assert_eq!(values[1]["rank"], 1);
        assert_eq!(values[1]["delta_usd"], -100);
        assert!(chart.caption.contains("by 20%"), "{}", chart.caption);
        let Block::Html(note) = &section.blocks[1] else { panic!() };
        assert!(note.contains("facility.power_cooling_share (input +20%)"));
        let none = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: None };
        assert!(sensitivity(&none).unwrap().is_none());
    }
}
