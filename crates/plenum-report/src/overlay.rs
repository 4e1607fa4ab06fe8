//! Charts that set two runs on the same axes, for the comparison: the
//! simulated year's daily mean PUE and daily mean power drawn from the
//! utility, one line per run (A blue, B orange, as the comparison's cost
//! bars). A chart appears only when both runs have its hourly column.
//!
//! Daily means keep the page small (365 points a run instead of 8,760);
//! hours without a value (no IT load, so no PUE) are left out of their day's mean.

use crate::Run;
use crate::spec::{Chart, WIDTH, day_to_time, time_x};
use crate::stats::round;
use plenum_engine::{ColumnValues, DataTable};
use serde_json::json;

/// The colours of run A and run B.
pub(crate) const RUN_COLOURS: [&str; 2] = ["#1f5fa8", "#e9a23b"];

/// A numeric column with missing cells as NaN.
fn values(table: &DataTable, name: &str) -> Option<Vec<f64>> {
    Some(match &table.column(name)?.values {
        ColumnValues::F64(v) => v.clone(),
        ColumnValues::OptF64(v) => v.iter().map(|x| x.unwrap_or(f64::NAN)).collect(),
        ColumnValues::U64(v) => v.iter().map(|x| *x as f64).collect(),
        ColumnValues::I64(v) => v.iter().map(|x| *x as f64).collect(),
        ColumnValues::Text(_) | ColumnValues::Bool(_) => return None,
    })
}

/// Daily means of the finite values of an hourly series (`NaN` for a day without any).
fn daily_means(hourly: &[f64]) -> Vec<f64> {
    hourly
        .chunks(24)
        .map(|day| {
            let finite: Vec<f64> = day.iter().copied().filter(|x| x.is_finite()).collect();
            if finite.is_empty() { f64::NAN } else { finite.iter().sum::<f64>() / finite.len() as f64 }
        })
        .collect()
}

/// One overlaid line chart of the hourly column `column` (scaled by
/// `scale`), or `None` when a run lacks it.
fn daily_overlay(
    runs: [(&Run, &str); 2],
    column: &str,
    scale: f64,
    decimals: i32,
    y_title: &str,
    caption: String,
) -> Option<Chart> {
    let mut rows = Vec::new();
    for (run, label) in runs {
        let series = values(run.table("hourly")?, column)?;
        for (day, mean) in daily_means(&series).into_iter().enumerate() {
            if mean.is_finite() {
                rows.push(json!({"d": day, "run": label, "v": round(mean * scale, decimals)}));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    let labels: Vec<&str> = runs.iter().map(|(_, l)| *l).collect();
    let spec = json!({
        "width": WIDTH, "height": 220,
        "data": {"values": rows},
        "transform": [day_to_time("d", "date")],
        "mark": {"type": "line", "strokeWidth": 1.5, "interpolate": "monotone"},
        "encoding": {
            "x": time_x("date", "Date (typical year)"),
            "y": {"field": "v", "type": "quantitative", "title": y_title, "scale": {"zero": false}},
            "color": {"field": "run", "type": "nominal", "title": "Run", "scale": {"domain": labels, "range": RUN_COLOURS},
                      "legend": {"orient": "top", "direction": "horizontal", "labelLimit": 400}},
            "tooltip": [{"field": "run", "title": "Run"},
                        {"field": "date", "type": "temporal", "title": "Day", "format": "%b %d", "formatType": "utc"},
                        {"field": "v", "title": y_title}]
        }
    });
    Some(Chart::new(spec, caption))
}

/// The overlaid charts of runs A and B (named `names`), in page order.
pub fn overlays(a: &Run, b: &Run, names: &(String, String)) -> Vec<Chart> {
    let (la, lb) = (format!("A: {}", names.0), format!("B: {}", names.1));
    let runs = [(a, la.as_str()), (b, lb.as_str())];
    [
        daily_overlay(
            runs,
            "pue",
            1.0,
            4,
            "PUE, daily mean",
            "Daily mean PUE (facility power over IT power, no unit; y axis) of run A and run B (colour) over \
             the simulated year (x axis, date)."
                .into(),
        ),
        daily_overlay(
            runs,
            "facility_power_kw",
            1e-3,
            4,
            "Facility power, MW (daily mean)",
            "Daily mean power drawn from the utility (y axis, MW) by run A and run B (colour) over the \
             simulated year (x axis, date)."
                .into(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::tables::DataColumn;

    fn hourly(pue: Vec<Option<f64>>) -> DataTable {
        let mut t = DataTable::new("hourly", "test");
        t.columns.push(DataColumn::new("pue", "", ColumnValues::OptF64(pue)));
        t
    }

    #[test]
    fn both_runs_are_on_one_chart_and_gaps_are_left_out() {
        let s = crate::fixture::summary("s", 100.0);
        let mut first = vec![Some(1.2); 24];
        first.extend(vec![None; 24]);
        let (ta, tb) = ([hourly(first)], [hourly(vec![Some(1.5); 48])]);
        let a = Run { summary: &s, scenario_toml: None, tables: &ta, sensitivity: None };
        let b = Run { summary: &s, scenario_toml: None, tables: &tb, sensitivity: None };
        let charts = overlays(&a, &b, &("x".into(), "y".into()));
        assert_eq!(charts.len(), 1, "no facility power column: only the PUE chart");
        let rows = charts[0].spec["data"]["values"].as_array().unwrap();
        let runs: Vec<(&str, f64)> =
            rows.iter().map(|r| (r["run"].as_str().unwrap(), r["v"].as_f64().unwrap())).collect();
        assert_eq!(runs, [("A: x", 1.2), ("B: y", 1.5), ("B: y", 1.5)]);
        let none = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: None };
        assert!(overlays(&a, &none, &("x".into(), "y".into())).is_empty());
    }
}
