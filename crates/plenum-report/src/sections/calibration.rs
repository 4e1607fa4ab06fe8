//! The twin against measurements, where the scenario has `[telemetry]`:
//! measured and predicted power over time, the error over time, and
//! predicted against measured (`calibration_series` table); after `plenum
//! calibrate`, the fitted model's prediction beside the scenario's.
//!
//! Summary keys read: `calibration.{uncalibrated, fit, holdout,
//! rolling}.{mape, share_under_10pct, instants}`, `calibration.params.*`.

use super::{Block, Section, tiles};
use crate::format;
use crate::spec::{Chart, WIDTH};
use crate::stats::{self, column, round};
use crate::{ReportError, Run};
use plenum_engine::calibration::PowerErrorMetrics;
use serde_json::{Value, json};

/// Most points drawn per series over time (buckets averaged) and in the scatter (every k-th row).
const MAX_POINTS: usize = 2_000;

/// The calibration section.
pub fn calibration(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(c) = &run.summary.calibration else { return Ok(None) };
    let mut items = Vec::new();
    let power = |m: &Option<Option<PowerErrorMetrics>>| {
        m.flatten().map(|m| (m.mape, m.share_under_10pct, m.instants))
    };
    let rolling = c.rolling.clone().flatten().map(|m| (m.mape, m.share_under_10pct, m.instants));
    for (metrics, label) in [
        (power(&c.uncalibrated), "Error, as written"),
        (power(&c.fit), "Error, fit window"),
        (power(&c.holdout), "Error, held out"),
        (rolling, "Error, rolling refit"),
    ] {
        if let Some((mape, under, n)) = metrics.filter(|m| m.0.is_finite()) {
            let under = Some(under).filter(|u| u.is_finite());
            let n = n as f64;
            items.push((
                label.to_string(),
                format::percent(mape, 2),
                format!(
                    "mean absolute percentage error over {} instants; {} under 10%",
                    format::number(n, 0),
                    under.map_or("-".into(), |u| format::percent(u, 1))
                ),
            ));
        }
    }
    let mut blocks = vec![Block::Html(tiles(&items))];
    if let Some(params) = &c.params {
        let mut html = String::from(
            "<table><tr><th>Host group</th><th>Idle, W</th><th>Peak, W</th><th>Exponent e of u<sup>e</sup></th></tr>",
        );
        for (_, p) in params {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{} ± {}</td><td>{} ± {}</td><td>{} ± {}</td></tr>",
                format::html(&p.name),
                format::number(p.idle_w, 1),
                format::number(p.idle_w_sd, 1),
                format::number(p.peak_w, 1),
                format::number(p.peak_w_sd, 1),
                format::number(p.exponent, 3),
                format::number(p.exponent_sd, 3),
            ));
        }
        html.push_str(
            "</table><p>Fitted by least squares on the fit window; ± is one standard deviation.</p>",
        );
        blocks.push(Block::Html(html));
    }
    let Some(series) = run.table("calibration_series") else {
        return Ok(Some(Section {
            id: "calibration",
            title: "Against measurements".into(),
            blocks,
            plots: false,
        }));
    };
    let (Some(time_s), Some(measured), Some(predicted), Some(error)) = (
        column(series, "time_s"),
        column(series, "measured_kw"),
        column(series, "predicted_kw"),
        column(series, "error_fraction"),
    ) else {
        return Ok(Some(Section {
            id: "calibration",
            title: "Against measurements".into(),
            blocks,
            plots: false,
        }));
    };
    if time_s.is_empty() {
        return Ok(Some(Section {
            id: "calibration",
            title: "Against measurements".into(),
            blocks,
            plots: false,
        }));
    }
    let calibrated = column(series, "calibrated_kw");
    let bucket = time_s.len().div_ceil(MAX_POINTS);
    let t = stats::chunked(&time_s, bucket, stats::max);
    let mut lines: Vec<Value> = Vec::new();
    let mut add = |name: &str, v: &[f64]| {
        for (h, x) in t.iter().zip(stats::chunked(v, bucket, stats::mean)) {
            lines.push(json!({"h": round(h / 3600.0, 3), "kw": round(x, 3), "what": name}));
        }
    };
    add("Measured", &measured);
    add("Predicted, as written", &predicted);
    if let Some(c) = &calibrated {
        add("Predicted, calibrated", c);
    }
    let averaged = if bucket > 1 {
        format!(" Each point averages {bucket} consecutive measured intervals.")
    } else {
        String::new()
    };
    blocks.push(Block::Chart(Chart::new(
        json!({
            "width": WIDTH, "height": 240,
            "data": {"values": lines},
            "mark": {"type": "line", "strokeWidth": 1},
            "encoding": {
                "x": {"field": "h", "type": "quantitative", "title": "Hours since the first submission"},
                "y": {"field": "kw", "type": "quantitative", "title": "Cluster power, kW", "scale": {"zero": false}},
                "color": {"field": "what", "type": "nominal", "title": null, "sort": null},
                "tooltip": [{"field": "what"}, {"field": "h", "title": "Hours", "format": ",.2f"}, {"field": "kw", "title": "kW", "format": ",.2f"}]
            }
        }),
        format!(
            "Cluster IT power measured and predicted (y axis, kW) against hours since the first submission \
             (x axis); both are means over the same measured intervals.{averaged}"
        ),
    )));
    let e = stats::chunked(&error, bucket, stats::mean);
    let mut error_rows: Vec<Value> = t
        .iter()
        .zip(&e)
        .map(|(h, e)| json!({"h": round(h / 3600.0, 3), "e": round(*e, 5), "what": "As written"}))
        .collect();
    if let Some(c) = &calibrated {
        let ce: Vec<f64> = c.iter().zip(&measured).map(|(p, m)| (p - m) / m).collect();
        for (h, e) in t.iter().zip(stats::chunked(&ce, bucket, stats::mean)) {
            error_rows.push(json!({"h": round(h / 3600.0, 3), "e": round(e, 5), "what": "Calibrated"}));
        }
    }
    blocks.push(Block::Chart(Chart::new(
        json!({
            "width": WIDTH, "height": 160,
            "data": {"values": error_rows},
            "layer": [
                {"mark": {"type": "rule", "color": "#888"}, "encoding": {"y": {"datum": 0}}},
                {"mark": {"type": "line", "strokeWidth": 1},
                 "encoding": {
                    "x": {"field": "h", "type": "quantitative", "title": "Hours since the first submission"},
                    "y": {"field": "e", "type": "quantitative", "title": "Error, %", "axis": {"format": ".0%"}},
                    "color": {"field": "what", "type": "nominal", "title": null, "sort": null},
                    "tooltip": [{"field": "what"}, {"field": "h", "title": "Hours", "format": ",.2f"}, {"field": "e", "title": "Error", "format": ".2%"}]
                 }}
            ]
        }),
        format!(
            "Error of the prediction over time: (predicted − measured) / measured (y axis, %; above zero the \
             twin over-predicts) against hours since the first submission (x axis).{averaged}"
        ),
    )));
    let step = time_s.len().div_ceil(MAX_POINTS);
    let points: Vec<Value> = (0..time_s.len())
        .step_by(step)
        .map(|i| json!({"m": round(measured[i], 3), "p": round(predicted[i], 3)}))
        .collect();
    let lo = stats::min(&measured).min(stats::min(&predicted));
    let hi = stats::max(&measured).max(stats::max(&predicted));
    let sampled = if step > 1 { format!(" Every {step}th interval is drawn.") } else { String::new() };
    blocks.push(Block::Chart(Chart::new(
        json!({
            "width": 420, "height": 420,
            "layer": [
                {"data": {"values": [{"m": lo, "p": lo}, {"m": hi, "p": hi}]},
                 "mark": {"type": "line", "color": "#888", "strokeDash": [4, 4]},
                 "encoding": {"x": {"field": "m", "type": "quantitative"}, "y": {"field": "p", "type": "quantitative"}}},
                {"data": {"values": points},
                 "mark": {"type": "point", "size": 8, "opacity": 0.4, "color": "#1f5fa8"},
                 "encoding": {
                    "x": {"field": "m", "type": "quantitative", "title": "Measured, kW", "scale": {"zero": false}},
                    "y": {"field": "p", "type": "quantitative", "title": "Predicted as written, kW", "scale": {"zero": false}},
                    "tooltip": [{"field": "m", "title": "Measured kW", "format": ",.2f"}, {"field": "p", "title": "Predicted kW", "format": ",.2f"}]
                 }}
            ]
        }),
        format!(
            "Predicted (y axis, kW) against measured (x axis, kW) cluster power, one point per measured \
             interval; on the dashed line the twin is exact.{sampled}"
        ),
    )));
    Ok(Some(Section { id: "calibration", title: "Against measurements".into(), blocks, plots: true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::{ColumnValues, DataTable};

    #[test]
    fn series_become_three_charts_and_tiles() {
        use plenum_engine::calibration::{Calibration, FittedGroup};
        let metrics = |mape, share_under_10pct, instants| PowerErrorMetrics {
            mape,
            share_under_10pct,
            instants,
            ..Default::default()
        };
        let mut s = crate::fixture::summary("t", 1.0);
        s.calibration = Some(Calibration {
            uncalibrated: Some(Some(metrics(0.022, 0.99, 5000))),
            holdout: Some(Some(metrics(0.014, 1.0, 3000))),
            params: Some(
                vec![(
                    "n".to_string(),
                    FittedGroup {
                        name: "node".into(),
                        idle_w: 29.4,
                        idle_w_sd: 0.1,
                        peak_w: 180.0,
                        peak_w_sd: 0.3,
                        exponent: 0.32,
                        exponent_sd: 0.004,
                        curve: "power".into(),
                    },
                )]
                .into(),
            ),
            ..Default::default()
        });
        let n = 5_000usize;
        let m: Vec<f64> = (0..n).map(|i| 20.0 + (i % 7) as f64).collect();
        let p: Vec<f64> = m.iter().map(|x| x * 1.02).collect();
        let table = DataTable::new("calibration_series", "")
            .with("time_s", "", ColumnValues::F64((0..n).map(|i| 30.0 * (i + 1) as f64).collect()))
            .with("measured_kw", "", ColumnValues::F64(m.clone()))
            .with("predicted_kw", "", ColumnValues::F64(p.clone()))
            .with("error_fraction", "", ColumnValues::F64(vec![0.02; n]))
            .with("calibrated_kw", "", ColumnValues::F64(m.clone()));
        let tables = [table];
        let run = Run { summary: &s, scenario_toml: None, tables: &tables, sensitivity: None };
        let section = calibration(&run).unwrap().unwrap();
        let charts: Vec<&Chart> = section
            .blocks
            .iter()
            .filter_map(|b| if let Block::Chart(c) = b { Some(c) } else { None })
            .collect();
        assert_eq!(charts.len(), 3);
        let lines = charts[0].spec["data"]["values"].as_array().unwrap();
        assert!(lines.len() <= 3 * MAX_POINTS, "{}", lines.len());
        assert!(charts[0].caption.contains("averages 3 consecutive"));
        let Block::Html(t) = &section.blocks[0] else { panic!() };
        assert!(t.contains("2.20%") && t.contains("1.40%"), "{t}");
        let Block::Html(p) = &section.blocks[1] else { panic!() };
        assert!(p.contains("29.4 ± 0.1") && p.contains("0.320 ± 0.004"), "{p}");
        let none = crate::fixture::summary("t", 1.0);
        let run = Run { summary: &none, scenario_toml: None, tables: &[], sensitivity: None };
        assert!(calibration(&run).unwrap().is_none());
    }
}
