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
use crate::spec::{Chart, WIDTH};
use crate::stats::{column, round};
use crate::{ReportError, Run};
use serde_json::{Value, json};

/// The plan section.
pub fn plan(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(plan) = &run.summary.plan else { return Ok(None) };
    let finite = |x: f64| Some(x).filter(|x| x.is_finite());
    let mut items = Vec::new();
    if let Some(npv) = finite(plan.npv_usd) {
        items.push((
            "Net present value".to_string(),
            format::usd(npv),
            "of monthly costs, mean over samples".into(),
        ));
    }
    if let Some(m) = finite(plan.months_short) {
        items.push(("Months short".to_string(), format::number(m, 1), "mean over demand samples".into()));
    }
    if let Some(u) = finite(plan.mean_utilization) {
        items.push(("Utilization".to_string(), format::percent(u, 0), "of usable capacity, mean".into()));
    }
    if let Some(x) = finite(plan.stranded_mw_peak) {
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
    {
        let rows: Vec<Value> = plan
            .sites
            .iter()
            .map(|(name, site)| {
                json!({
                    "site": name,
                    "built": site.built_mw,
                    "cost": site.burdened_usd_per_kw_month,
                    "pue": site.economics.pue,
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
    let builds = &plan.builds;
    if !builds.is_empty() {
        let rows: Vec<Vec<String>> = builds
            .iter()
            .map(|b| {
                vec![
                    b.start_month.to_string(),
                    b.complete_month.to_string(),
                    b.site.clone(),
                    if b.size_mw.is_finite() { format::number(b.size_mw, 1) } else { String::new() },
                    b.reason.clone(),
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
        use plenum_engine::plan::{BuildRecord, PlanSiteSummary, PlanSummary};
        let site = |built_mw: f64, burdened_usd_per_kw_month: f64, pue: f64| PlanSiteSummary {
            built_mw,
            burdened_usd_per_kw_month,
            economics: plenum_models::buildout::SiteEconomics { pue, ..Default::default() },
            ..Default::default()
        };
        let mut s = crate::fixture::summary("x", 1.0);
        s.plan = Some(PlanSummary {
            npv_usd: 1.0e9,
            months_short: 2.5,
            mean_utilization: 0.6,
            stranded_mw_peak: 0.0,
            sites: vec![("a".to_string(), site(20.0, 500.0, 1.2)), ("b".to_string(), site(10.0, 520.0, 1.3))]
                .into(),
            builds: vec![BuildRecord {
                site: "a".into(),
                start_month: 0,
                complete_month: 18,
                size_mw: 10.0,
                reason: "forecast exceeds usable capacity at month 18".into(),
            }],
            ..Default::default()
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
        let none = crate::fixture::summary("x", 1.0);
        assert!(
            plan(&Run { summary: &none, scenario_toml: None, tables: &[], sensitivity: None })
                .unwrap()
                .is_none()
        );
    }
}
