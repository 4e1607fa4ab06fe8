//! The simulated year, from the `hourly` table: PUE against the weather and
//! economizer hours, power over time (zoomable, hourly), each power-chain
//! stage's loading against its rating, and carbon by hour and month.
//!
//! Charts that do not need every hour are aggregated here (daily bands,
//! month-by-hour means, per-stage percentiles) to keep the page small; the
//! power chart and the PUE scatter keep all 8,760 hours.

use super::{Block, Section, paragraph, table};
use crate::format;
use crate::spec::{
    Chart, WIDTH, day_to_time, hour_to_time, hours_by_mode_chart, hours_by_month, month_encoding, time_x,
};
use crate::stats::{self, MONTHS, column, round};
use crate::{ReportError, Run};
use plenum_engine::{ColumnValues, DataTable};
use plenum_models::quantile;
use serde_json::{Value, json};

/// The hourly table with every column in `names`, or `None`.
fn hourly_with<'a>(run: &Run<'a>, names: &[&str]) -> Option<(&'a DataTable, Vec<Vec<f64>>)> {
    let hourly = run.table("hourly")?;
    let columns = names.iter().map(|n| column_with_gaps(hourly, n)).collect::<Option<Vec<_>>>()?;
    (hourly.rows() > 0).then_some((hourly, columns))
}

/// A numeric column with empty cells as NaN (an hour without IT load has no
/// PUE), which the charts below leave out.
fn column_with_gaps(table: &DataTable, name: &str) -> Option<Vec<f64>> {
    match &table.column(name)?.values {
        ColumnValues::OptF64(v) => Some(v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()),
        _ => column(table, name),
    }
}

/// PUE over the year against the outdoor temperature, and economizer hours by month.
pub fn pue(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some((_, cols)) = hourly_with(run, &["pue", "dry_bulb_c", "economizer_fraction", "month"]) else {
        return Ok(None);
    };
    let (pue, dry_bulb, economizer, month) = (&cols[0], &cols[1], &cols[2], &cols[3]);
    let days: Vec<Value> = pue
        .chunks(24)
        .zip(dry_bulb.chunks(24))
        .enumerate()
        .map(|(d, (p, t))| {
            let p: Vec<f64> = p.iter().copied().filter(|x| x.is_finite()).collect();
            let p = &p[..];
            json!({
                "d": d,
                "pmin": round(stats::min(p), 4), "pmean": round(stats::mean(p), 4), "pmax": round(stats::max(p), 4),
                "tmin": round(stats::min(t), 1), "tmean": round(stats::mean(t), 1), "tmax": round(stats::max(t), 1),
            })
        })
        .collect();
    let band = |lo: &str, mid: &str, hi: &str, color: &str, title: &str, x_title: Value| {
        json!({
            "width": WIDTH, "height": 170,
            "layer": [
                {"mark": {"type": "area", "opacity": 0.25, "color": color},
                 "encoding": {"x": with_title(time_x("date", ""), x_title.clone()), "y": {"field": lo, "type": "quantitative", "title": title, "scale": {"zero": false}},
                              "y2": {"field": hi}}},
                {"mark": {"type": "line", "color": color, "strokeWidth": 1.5},
                 "encoding": {"x": with_title(time_x("date", ""), x_title), "y": {"field": mid, "type": "quantitative"},
                              "tooltip": [{"field": "date", "type": "temporal", "title": "Day", "format": "%b %d", "formatType": "utc"},
                                          {"field": lo, "title": "Lowest hour"}, {"field": mid, "title": "Daily mean"}, {"field": hi, "title": "Highest hour"}]}}
            ]
        })
    };
    let over_year = json!({
        "data": {"values": days},
        "transform": [day_to_time("d", "date")],
        "vconcat": [
            band("pmin", "pmean", "pmax", "#1f5fa8", "PUE (facility / IT power)", Value::Null),
            band("tmin", "tmean", "tmax", "#c0392b", "Outdoor dry bulb, °C", json!("Date (typical year)")),
        ],
        "resolve": {"scale": {"x": "shared"}}
    });
    let scatter_rows: Vec<Value> = pue
        .iter()
        .zip(dry_bulb)
        .zip(economizer)
        .filter(|((p, _), _)| p.is_finite())
        .map(|((p, t), e)| json!({"t": round(*t, 1), "p": round(*p, 4), "e": round(*e, 2)}))
        .collect();
    let scatter = json!({
        "width": WIDTH - 160, "height": 300,
        "data": {"values": scatter_rows},
        "mark": {"type": "circle", "size": 10, "opacity": 0.55},
        "encoding": {
            "x": {"field": "t", "type": "quantitative", "title": "Outdoor dry-bulb temperature, °C"},
            "y": {"field": "p", "type": "quantitative", "title": "Hourly PUE (facility / IT power)", "scale": {"zero": false}},
            "color": {"field": "e", "type": "quantitative", "title": ["Heat removed", "by economizer"],
                      "scale": {"scheme": "viridis", "domain": [0, 1]}, "legend": {"format": ".0%"}}
        }
    });
    // Economizer hours by month: full (no chiller), partial, none.
    let mode = |e: &f64| {
        Some(if *e >= 1.0 {
            0
        } else if *e > 0.0 {
            1
        } else {
            2
        })
    };
    let counts = hours_by_month(month, economizer.iter().map(mode));
    let economizer_chart = hours_by_mode_chart(
        &counts,
        ["Economizer only", "Economizer + chillers", "Chillers only"],
        "Cooling mode",
    );
    let full: u32 = counts.iter().map(|c| c[0]).sum();
    let partial: u32 = counts.iter().map(|c| c[1]).sum();
    let annual = crate::headline::figure_value(run.summary, "pue.annual")
        .map(|p| format!(" The annual PUE is {p:.3}."))
        .unwrap_or_default();
    let blocks = vec![
        Block::Chart(Chart::new(
            over_year,
            format!(
                "PUE and weather over the year, by day. Top: PUE (facility power over IT power, no unit; \
                 y axis), line = daily mean, band = lowest to highest hour of the day. Bottom: outdoor \
                 dry-bulb temperature in °C (y axis), same layout. x axis: date of the typical year \
                 (local standard time).{annual}"
            ),
        )),
        Block::Chart(Chart::new(
            scatter,
            "Hourly PUE (y axis, no unit) against the outdoor dry-bulb temperature (x axis, °C), one dot per \
             hour of the year; colour is the share of the heat removed by the economizer that hour (0-100%). \
             Cold hours run on the economizer and need less cooling power.",
        )),
        Block::Chart(Chart::new(
            economizer_chart,
            format!(
                "Hours each month (y axis, h) with the heat removed by the economizer alone, by economizer \
                 and chillers together, and by chillers only (colour), by month (x axis). Over the year: \
                 {} h economizer only, {} h with some economizer.",
                format::number(f64::from(full), 0),
                format::number(f64::from(full + partial), 0)
            ),
        )),
    ];
    Ok(Some(Section { id: "pue", title: "PUE and the weather".into(), blocks, plots: true }))
}

fn with_title(mut encoding: Value, title: Value) -> Value {
    encoding["title"] = title;
    encoding
}

/// IT, power-chain losses, cooling and other power over the year, hourly, zoomable.
pub fn power(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some((hourly, cols)) =
        hourly_with(run, &["it_power_kw", "cooling_kw", "other_kw", "facility_power_kw"])
    else {
        return Ok(None);
    };
    let losses = stage_losses_kw(hourly);
    let (it, cooling, other) = (&cols[0], &cols[1], &cols[2]);
    let rows: Vec<Value> = (0..hourly.rows())
        .map(|h| {
            json!({"h": h, "it": round(it[h] / 1e3, 3), "loss": round(losses[h] / 1e3, 3),
                   "cool": round(cooling[h] / 1e3, 3), "other": round(other[h] / 1e3, 3)})
        })
        .collect();
    let components = ["IT equipment", "Power-chain losses", "Cooling plant", "Other loads"];
    let spec = json!({
        "width": WIDTH, "height": 320,
        "data": {"values": rows},
        "transform": [
            hour_to_time("h", "time"),
            {"fold": ["it", "loss", "cool", "other"], "as": ["key", "mw"]},
            {"calculate": "indexof(['it', 'loss', 'cool', 'other'], datum.key)", "as": "order"},
            {"calculate": format!("{}[datum.order]", json!(components)), "as": "component"}
        ],
        "params": [{"name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}],
        "mark": {"type": "area", "interpolate": "step-after"},
        "encoding": {
            "x": time_x("time", "Date and hour (typical year, local standard time)"),
            "y": {"field": "mw", "type": "quantitative", "stack": "zero", "title": "Power, MW"},
            "color": {"field": "component", "type": "nominal", "title": null,
                      "scale": {"domain": components, "range": ["#1f5fa8", "#e9a23b", "#2a9d8f", "#9b9b9b"]},
                      "legend": {"orient": "top", "direction": "horizontal"}},
            "order": {"field": "order"}
        }
    });
    let mwh = |v: &[f64]| v.iter().sum::<f64>() / 1e3;
    let caption = format!(
        "Power drawn by the site in every hour of the year (y axis, MW), stacked: IT equipment (server \
         power supply losses included), losses along the power chain (transformer to rack wiring), the \
         cooling plant, and other loads; the top of the stack is the power drawn from the utility. x axis: \
         date and hour. Scroll (or pinch) over the chart to zoom in time, drag to pan, double-click to \
         reset. Over the year: IT {} MWh, losses {} MWh, cooling {} MWh, other {} MWh.",
        format::number(mwh(it), 0),
        format::number(mwh(&losses), 0),
        format::number(mwh(cooling), 0),
        format::number(mwh(other), 0)
    );
    Ok(Some(Section {
        id: "power",
        title: "Power over the year".into(),
        blocks: vec![Block::Chart(Chart::new(spec, caption))],
        plots: true,
    }))
}

/// Sum of the power-chain stages' loss columns (`<stage>_loss_kw`), hour by hour.
fn stage_losses_kw(hourly: &DataTable) -> Vec<f64> {
    let mut total = vec![0.0; hourly.rows()];
    for c in hourly.columns.iter().filter(|c| c.name.ends_with("_loss_kw")) {
        if let Some(v) = column(hourly, &c.name) {
            total.iter_mut().zip(v).for_each(|(t, x)| *t += x);
        }
    }
    total
}

/// Loading statistics of one stage over the year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StageLoading {
    pub name: String,
    pub min: f64,
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub peak: f64,
}

/// Every stage with a `<stage>_loading` column, in table (chain) order.
pub(crate) fn stage_loadings(hourly: &DataTable) -> Vec<StageLoading> {
    hourly
        .columns
        .iter()
        .filter_map(|c| {
            let name = c.name.strip_suffix("_loading")?;
            let values = column(hourly, &c.name)?;
            let s = quantile::sorted(&values);
            let percentile = |p: f64| quantile::quantile(&s, p / 100.0).unwrap_or(f64::NAN);
            Some(StageLoading {
                name: name.to_string(),
                min: s[0],
                mean: stats::mean(&values),
                p50: percentile(50.0),
                p95: percentile(95.0),
                p99: percentile(99.0),
                peak: s[s.len() - 1],
            })
        })
        .collect()
}

/// Each power-chain stage's hourly loading against its rating.
pub fn power_chain(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(hourly) = run.table("hourly").filter(|t| t.rows() > 0) else { return Ok(None) };
    let loadings = stage_loadings(hourly);
    if loadings.is_empty() {
        return Ok(None);
    }
    let stage_info = |name: &str| run.summary.power_chain.as_ref().and_then(|chain| chain.get(name));
    let label = |name: &str| match stage_info(name) {
        Some(info) => {
            format!("{name} ({} × {} kW)", info.instances, format::number(info.capacity_kw, 0))
        }
        None => name.to_string(),
    };
    let labels: Vec<String> = loadings.iter().map(|s| label(&s.name)).collect();
    let stat_names = ["median", "95th percentile", "99th percentile", "peak"];
    let mut ranges = Vec::new();
    let mut points = Vec::new();
    for (s, l) in loadings.iter().zip(&labels) {
        ranges.push(json!({"stage": l, "lo": round(s.min * 100.0, 2), "hi": round(s.peak * 100.0, 2)}));
        for (stat, v) in stat_names.iter().zip([s.p50, s.p95, s.p99, s.peak]) {
            points.push(json!({"stage": l, "stat": stat, "pct": round(v * 100.0, 2)}));
        }
    }
    let x_max = (loadings.iter().map(|s| s.peak).fold(1.0, f64::max) * 100.0 / 10.0).ceil() * 10.0 + 10.0;
    // An explicit domain (not a sort) keeps chain order across the layers' separate data.
    let y = json!({"field": "stage", "type": "nominal", "sort": null, "scale": {"domain": labels}, "title": null,
                   "axis": {"labelLimit": 260}});
    let x = |field: &str| {
        json!({"field": field, "type": "quantitative", "title": "Hourly loading, % of rated N capacity",
               "scale": {"domain": [0, x_max]}})
    };
    let spec = json!({
        "width": WIDTH - 330, "height": {"step": 34},
        "layer": [
            {"data": {"values": ranges}, "mark": {"type": "bar", "color": "#d5dbe5", "height": 14},
             "encoding": {"y": y, "x": x("lo"), "x2": {"field": "hi"},
                          "tooltip": [{"field": "stage", "title": "Stage"}, {"field": "lo", "title": "Lowest hour, %"}, {"field": "hi", "title": "Peak hour, %"}]}},
            {"data": {"values": points}, "mark": {"type": "point", "filled": true, "size": 70, "opacity": 1},
             "encoding": {"y": y, "x": x("pct"),
                          "color": {"field": "stat", "type": "nominal", "title": "Hourly loading",
                                    "scale": {"domain": stat_names, "range": ["#1f5fa8", "#2a9d8f", "#e9a23b", "#c0392b"]}},
                          "shape": {"field": "stat", "type": "nominal", "scale": {"domain": stat_names}},
                          "tooltip": [{"field": "stage", "title": "Stage"}, {"field": "stat", "title": "Statistic"}, {"field": "pct", "title": "Loading, %"}]}},
            {"data": {"values": [{"rating": 100}]}, "mark": {"type": "rule", "color": "#c0392b", "strokeWidth": 2, "strokeDash": [6, 3]},
             "encoding": {"x": {"field": "rating", "type": "quantitative"}}},
            {"data": {"values": [{"rating": 100}]}, "mark": {"type": "text", "text": "rating (100%)", "color": "#c0392b", "align": "left", "dx": 4, "dy": -2, "baseline": "bottom"},
             "encoding": {"x": {"field": "rating", "type": "quantitative"}, "y": {"value": 0}}}
        ]
    });
    let caption = "Loading of each power-chain stage (y axis, from the utility down; in brackets the \
                   number of instances and the rated N capacity of one) as a percentage of its rated N \
                   capacity (x axis, %; the dashed line at 100% is the rating). Each hour counts the most \
                   loaded instance of the stage; the grey bar spans the lowest to the highest hour of the \
                   year, the marks show the median, 95th and 99th percentile and peak hour.";
    let rows: Vec<Vec<String>> = loadings
        .iter()
        .map(|s| {
            let info = stage_info(&s.name);
            let text = |v: Option<f64>, d: usize| {
                v.filter(|v| v.is_finite()).map_or("—".to_string(), |v| format::number(v, d))
            };
            vec![
                s.name.clone(),
                info.map_or("—".to_string(), |i| i.level.clone()),
                text(info.map(|i| i.instances as f64), 0),
                text(info.map(|i| i.capacity_kw), 0),
                format::percent(s.mean, 1),
                format::percent(s.p99, 1),
                format::percent(s.peak, 1),
                text(info.map(|i| i.stranded_kw), 0),
                text(info.map(|i| i.losses_mwh), 0),
            ]
        })
        .collect();
    let blocks = vec![
        Block::Chart(Chart::new(spec, caption)),
        Block::Html(table(
            &[
                "Stage",
                "Level",
                "Instances",
                "Rated N capacity, kW each",
                "Mean loading",
                "99th pct",
                "Peak",
                "Stranded, kW",
                "Losses, MWh/yr",
            ],
            &rows,
        )),
        Block::Html(paragraph(
            "Stranded capacity: the sum over a stage's instances of rated capacity minus that instance's \
             peak load, capacity built but never used.",
        )),
    ];
    Ok(Some(Section { id: "power-chain", title: "Power-chain loading".into(), blocks, plots: true }))
}

/// Mean operational carbon by hour of day and month (heat map).
pub fn carbon(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some((_, cols)) =
        hourly_with(run, &["month", "hour_of_day", "carbon_kg", "carbon_intensity_g_per_kwh"])
    else {
        return Ok(None);
    };
    let (month, hour, kg, intensity) = (&cols[0], &cols[1], &cols[2], &cols[3]);
    let mut sums = vec![[0.0f64; 3]; 12 * 24];
    for i in 0..kg.len() {
        let cell = ((month[i] as usize).clamp(1, 12) - 1) * 24 + (hour[i] as usize).min(23);
        sums[cell][0] += kg[i];
        sums[cell][1] += intensity[i];
        sums[cell][2] += 1.0;
    }
    let cells: Vec<Value> = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s[2] > 0.0)
        .map(|(i, s)| {
            json!({"month": i / 24 + 1, "name": MONTHS[i / 24], "hour": i % 24,
                   "kg": round(s[0] / s[2], 0), "g": round(s[1] / s[2], 0), "t": round(s[0] / 1e3, 1)})
        })
        .collect();
    let spec = json!({
        "width": WIDTH - 180, "height": 300,
        "data": {"values": cells},
        "mark": {"type": "rect"},
        "encoding": {
            "x": {"field": "hour", "type": "ordinal", "title": "Hour of the day (local standard time)", "axis": {"labelAngle": 0}},
            "y": month_encoding("month", "Month"),
            "color": {"field": "kg", "type": "quantitative", "title": ["kgCO2e", "per hour"], "scale": {"scheme": "orangered", "zero": false}},
            "tooltip": [
                {"field": "name", "title": "Month"}, {"field": "hour", "title": "Hour"},
                {"field": "kg", "title": "Mean kgCO2e per hour", "format": ",.0f"},
                {"field": "g", "title": "Mean grid intensity, gCO2e/kWh", "format": ",.0f"},
                {"field": "t", "title": "Total in the month at this hour, tCO2e", "format": ",.1f"}
            ]
        }
    });
    let mut total = crate::headline::figure_value(run.summary, "carbon.operational_t")
        .map(|t| format!(" Operational emissions over the year: {} tCO2e.", format::number(t, 0)))
        .unwrap_or_default();
    let carbon = run.summary.carbon.as_ref();
    if let (Some(market), Some(cfe), Some(matching)) = (
        carbon.and_then(|c| c.market_based_t),
        carbon.and_then(|c| c.cfe_score),
        carbon.and_then(|c| c.matching),
    ) {
        let matching = matching.name();
        total.push_str(&format!(
            " Market-based ({matching} matching of contracted clean energy and certificates): {} tCO2e; \
             24/7 carbon-free-energy score {}.",
            format::number(market, 0),
            format::percent(cfe, 1)
        ));
    }
    let caption = format!(
        "Mean operational emissions of the site in each hour of the day (x axis, 0-23, local standard time) \
         and month (y axis), in kgCO2e per hour (colour; darker is more): facility power times the grid's \
         carbon intensity that hour. Hover a cell for the grid intensity in gCO2e/kWh.{total}"
    );
    Ok(Some(Section {
        id: "carbon",
        title: "Carbon by hour and month".into(),
        blocks: vec![Block::Chart(Chart::new(spec, caption))],
        plots: true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_loading_percentiles_come_from_the_column() {
        let loading: Vec<f64> = (0..101).map(|i| f64::from(i) / 100.0).collect();
        let hourly = DataTable::new("hourly", "")
            .with("ups_loss_kw", "", ColumnValues::F64(vec![1.0; 101]))
            .with("ups_loading", "", ColumnValues::F64(loading));
        let s = &stage_loadings(&hourly)[0];
        assert_eq!(s.name, "ups");
        assert_eq!((s.min, s.p50, s.p95, s.p99, s.peak), (0.0, 0.5, 0.95, 0.99, 1.0));
        assert!((s.mean - 0.5).abs() < 1e-12);
    }

    #[test]
    fn sections_without_their_columns_are_left_out() {
        let summary = crate::fixture::summary("t", 1.0);
        let hourly = DataTable::new("hourly", "").with("month", "", ColumnValues::U64(vec![1]));
        let tables = [hourly];
        let run = Run { summary: &summary, scenario_toml: None, tables: &tables, sensitivity: None };
        for section in [pue, power, power_chain, carbon] {
            assert!(section(&run).unwrap().is_none());
        }
    }

    /// An hour without IT load has no PUE: the section stays, without that point.
    #[test]
    fn hours_without_pue_are_left_out_of_the_pue_charts() {
        let mut summary = crate::fixture::summary("t", 1.0);
        summary.pue =
            Some(plenum_engine::facility::PueSummary { annual: 1.3, min_hourly: 1.2, max_hourly: 1.4 });
        let hourly = DataTable::new("hourly", "")
            .with("pue", "", ColumnValues::OptF64(vec![Some(1.2), None, Some(1.4)]))
            .with("dry_bulb_c", "", ColumnValues::F64(vec![10.0, 11.0, 12.0]))
            .with("economizer_fraction", "", ColumnValues::F64(vec![0.0; 3]))
            .with("month", "", ColumnValues::U64(vec![1; 3]));
        let tables = [hourly];
        let run = Run { summary: &summary, scenario_toml: None, tables: &tables, sensitivity: None };
        let section = pue(&run).unwrap().expect("the PUE section");
        let text =
            serde_json::to_string(&section.blocks.iter().map(|b| format!("{b:?}")).collect::<Vec<_>>())
                .unwrap();
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        assert!(text.contains("pmax") && text.contains("1.4"), "{text}");
    }
}
