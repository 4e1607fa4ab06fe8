//! Capacity planning, where the scenario has `[plan]`: the headline figures,
//! the timeline (forecast, demand band, built and usable capacity) from the
//! `plan_timeline` table, and a per-site breakdown (built MW and fully
//! burdened cost per kW), with no map.
//!
//! Summary keys read: `plan.{npv_usd, months_short, unserved_mwh,
//! mean_utilization, stranded_mw_peak, sites.<name>.{built_mw, modules,
//! burdened_usd_per_kw_month, economics.pue}}`.

use super::{Block, Section, tiles};
use crate::format;
use crate::headline::number_at;
use crate::spec::{Chart, WIDTH};
use crate::stats::{column, round};
use crate::{ReportError, Run};
use serde_json::{Value, json};

/// The plan section.
pub fn plan(run: &Run) -> Result<Option<Section>, ReportError> {
    let s = run.summary;
    let Some(plan) = s.get("plan").filter(|p| p.is_object()) else { return Ok(None) };
    let get = |k: &str| number_at(s, &format!("plan.{k}"));
    let mut items = Vec::new();
    if let Some(npv) = get("npv_usd") {
        items.push((
            "Net present value".to_string(),
            format::usd(npv),
            "of monthly costs, mean over samples".into(),
        ));
    }
    if let Some(m) = get("months_short") {
        items.push(("Months short".to_string(), format::number(m, 1), "mean over demand samples".into()));
    }
    if let Some(u) = get("mean_utilization") {
        items.push(("Utilization".to_string(), format::percent(u, 0), "of usable capacity, mean".into()));
    }
    if let Some(x) = get("stranded_mw_peak") {
        items.push(("Stranded power".to_string(), format::number(x, 1), "MW at the peak".into()));
    }
    let mut blocks = vec![Block::Html(tiles(&items))];
    if let Some(t) = run.table("plan_timeline")
        && let (Some(month), Some(forecast), Some(mean), Some(p5), Some(p95), Some(built), Some(usable)) = (
            column(t, "month"),
            column(t, "forecast_mw"),
            column(t, "demand_mean_mw"),
            column(t, "demand_p5_mw"),
            column(t, "demand_p95_mw"),
            column(t, "built_mw"),
            column(t, "usable_mw"),
        )
    {
        let band: Vec<Value> = (0..month.len())
            .map(|i| json!({"m": month[i], "lo": round(p5[i], 2), "hi": round(p95[i], 2)}))
            .collect();
        let mut lines = Vec::new();
        for (name, values) in [
            ("Demand, mean", &mean),
            ("Forecast planned for", &forecast),
            ("Built", &built),
            ("Usable", &usable),
        ] {
            for i in 0..month.len() {
                lines.push(json!({"m": month[i], "mw": round(values[i], 2), "series": name}));
            }
        }
        let spec = json!({
            "width": WIDTH, "height": 260,
            "layer": [
                {"data": {"values": band}, "mark": {"type": "area", "opacity": 0.25, "color": "#1f5fa8"},
                 "encoding": {"x": {"field": "m", "type": "quantitative", "title": "Month from the start of the horizon"},
                              "y": {"field": "lo", "type": "quantitative", "title": "Critical IT power, MW"},
                              "y2": {"field": "hi"}}},
                {"data": {"values": lines}, "mark": {"type": "line", "interpolate": "step-after"},
                 "encoding": {"x": {"field": "m", "type": "quantitative"},
                              "y": {"field": "mw", "type": "quantitative"},
                              "color": {"field": "series", "type": "nominal", "title": null},
                              "tooltip": [{"field": "series"}, {"field": "m", "title": "Month"}, {"field": "mw", "title": "MW", "format": ",.1f"}]}}
            ]
        });
        blocks.push(Block::Chart(Chart::new(
            spec,
            "Capacity against demand over the horizon: critical IT power in MW (y axis) by month (x axis). The band \
             spans the 5th to 95th percentile of demand over the samples; the lines are the mean demand, the forecast \
             the plan was built for, the capacity built, and the part of it that is usable.",
        )));
    }
    if let Some(sites) = plan.get("sites").and_then(Value::as_object) {
        let rows: Vec<Value> = sites
            .iter()
            .map(|(name, site)| {
                json!({
                    "site": name,
                    "built": site.get("built_mw").and_then(Value::as_f64).unwrap_or(0.0),
                    "cost": site.get("burdened_usd_per_kw_month").and_then(Value::as_f64).unwrap_or(0.0),
                    "pue": site.pointer("/economics/pue").and_then(Value::as_f64).unwrap_or(0.0),
                })
            })
            .collect();
        let bar = |field: &str, title: &str, format: &str, color: &str| {
            json!({
                "width": (WIDTH - 80) / 2, "height": {"step": 28},
                "mark": {"type": "bar", "color": color},
                "encoding": {
                    "y": {"field": "site", "type": "nominal", "sort": null, "title": null},
                    "x": {"field": field, "type": "quantitative", "title": title, "axis": {"format": format}},
                    "tooltip": [{"field": "site"}, {"field": field, "title": title, "format": format}, {"field": "pue", "title": "PUE", "format": ".3f"}]
                }
            })
        };
        let spec = json!({
            "data": {"values": rows},
            "hconcat": [
                bar("built", "Built by the end, MW", ",.0f", "#1f5fa8"),
                bar("cost", "Fully burdened cost, USD per kW-month", "$,.0f", "#e76f51"),
            ]
        });
        blocks.push(Block::Chart(Chart::new(
            spec,
            "Each candidate site (y axes): critical power built there by the end of the horizon in MW (left, x axis) \
             and the fully burdened cost of a served kW a month in USD (right, x axis: facility, energy at the \
             site's PUE and price, servers and staff).",
        )));
    }
    // Every build with its reason, as `plenum plan` prints them.
    if let Some(builds) = plan.get("builds").and_then(Value::as_array).filter(|b| !b.is_empty()) {
        let text = |b: &Value, k: &str| match b.get(k) {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Number(n)) => n.as_f64().map_or_else(String::new, |x| format::number(x, 1)),
            _ => String::new(),
        };
        let month =
            |b: &Value, k: &str| b.get(k).and_then(Value::as_u64).map_or_else(String::new, |m| m.to_string());
        let rows: Vec<Vec<String>> = builds
            .iter()
            .map(|b| {
                vec![
                    month(b, "start_month"),
                    month(b, "complete_month"),
                    text(b, "site"),
                    text(b, "size_mw"),
                    text(b, "reason"),
                ]
            })
            .collect();
        blocks.push(Block::Html(crate::sections::paragraph(&format!(
            "{} build{}, each with the reason the plan made it:",
            builds.len(),
            if builds.len() == 1 { "" } else { "s" }
        ))));
        blocks.push(Block::Html(crate::sections::table(
            &["Decided (month)", "Serves load (month)", "Site", "MW", "Reason"],
            &rows,
        )));
    }
    Ok(Some(Section { id: "plan", title: "Capacity plan".into(), blocks, plots: true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::{ColumnValues, DataTable};

    #[test]
    fn plan_section_has_the_timeline_and_the_sites() {
        let s = json!({
            "scenario": {"name": "x"},
            "plan": {"npv_usd": 1.0e9, "months_short": 2.5, "mean_utilization": 0.6, "stranded_mw_peak": 0.0,
                     "sites": {"a": {"built_mw": 20.0, "burdened_usd_per_kw_month": 500.0, "economics": {"pue": 1.2}},
                               "b": {"built_mw": 10.0, "burdened_usd_per_kw_month": 520.0, "economics": {"pue": 1.3}}},
                     "builds": [{"site": "a", "start_month": 0, "complete_month": 18, "size_mw": 10.0,
                                 "reason": "forecast exceeds usable capacity at month 18"}]}
        });
        let f = |v: &[f64]| ColumnValues::F64(v.to_vec());
        let timeline = DataTable::new("plan_timeline", "t")
            .with("month", "", ColumnValues::U64(vec![0, 1, 2]))
            .with("forecast_mw", "", f(&[1.0, 2.0, 3.0]))
            .with("demand_mean_mw", "", f(&[1.0, 2.0, 3.0]))
            .with("demand_p5_mw", "", f(&[1.0, 1.5, 2.0]))
            .with("demand_p95_mw", "", f(&[1.0, 2.5, 4.0]))
            .with("built_mw", "", f(&[10.0, 10.0, 20.0]))
            .with("usable_mw", "", f(&[10.0, 10.0, 20.0]));
        let tables = [timeline];
        let run = Run { summary: &s, scenario_toml: None, tables: &tables, sensitivity: None };
        let section = plan(&run).unwrap().unwrap();
        let charts = section.blocks.iter().filter(|b| matches!(b, Block::Chart(_))).count();
        assert_eq!(charts, 2);
        let Block::Html(t) = &section.blocks[0] else { panic!() };
        assert!(t.contains("Months short") && t.contains("2.5"), "{t}");
        let html: String = section
            .blocks
            .iter()
            .filter_map(|b| if let Block::Html(h) = b { Some(h.as_str()) } else { None })
            .collect();
        assert!(
            html.contains("1 build,") && html.contains("forecast exceeds usable capacity at month 18"),
            "{html}"
        );
        let none = json!({"scenario": {"name": "x"}});
        assert!(
            plan(&Run { summary: &none, scenario_toml: None, tables: &[], sensitivity: None })
                .unwrap()
                .is_none()
        );
    }
}
