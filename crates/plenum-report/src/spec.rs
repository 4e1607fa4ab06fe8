//! Pieces shared by the Vega-Lite specifications: chart sizes, the time axis
//! of the simulated year, and a chart with its caption.

use serde_json::{Value, json};

/// Width of a full-width chart, px.
pub const WIDTH: u32 = 760;

/// A chart and the caption under it (plain text: what it shows and the unit
/// of every axis).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The Vega-Lite specification, data inline.
    pub spec: Value,
    /// The caption.
    pub caption: String,
}

impl Chart {
    /// A chart.
    pub fn new(spec: Value, caption: impl Into<String>) -> Self {
        Chart { spec, caption: caption.into() }
    }
}

/// Milliseconds of 2001-01-01T00:00Z: hour 0 of the simulated year, drawn as
/// a non-leap year in UTC so no time zone or daylight saving moves it (the
/// hours are local standard time of the site; the year label is never shown).
pub const YEAR_START_MS: i64 = 978_307_200_000;

/// A `calculate` transform turning an hour-of-year field into a timestamp.
pub fn hour_to_time(hour_field: &str, as_field: &str) -> Value {
    json!({"calculate": format!("{YEAR_START_MS} + datum.{hour_field} * 3600000"), "as": as_field})
}

/// A `calculate` transform turning a day-of-year field (from 0) into a timestamp.
pub fn day_to_time(day_field: &str, as_field: &str) -> Value {
    json!({"calculate": format!("{YEAR_START_MS} + datum.{day_field} * 86400000"), "as": as_field})
}

/// An x encoding for a timestamp field of the simulated year: month and day
/// labels (hours when zoomed in), never a year.
pub fn time_x(field: &str, title: &str) -> Value {
    json!({
        "field": field,
        "type": "temporal",
        "scale": {"type": "utc"},
        "title": title,
        "axis": {
            "labelExpr": "utchours(datum.value) != 0 ? utcFormat(datum.value, '%b %d %H:%M') \
                          : utcdate(datum.value) == 1 ? utcFormat(datum.value, '%b') \
                          : utcFormat(datum.value, '%b %d')",
            "labelOverlap": true,
            "grid": true
        }
    })
}

/// An ordinal month encoding over a numeric month field (1-12), labelled Jan-Dec.
pub fn month_encoding(field: &str, title: &str) -> Value {
    json!({
        "field": field,
        "type": "ordinal",
        "title": title,
        "scale": {"domain": (1..=12).collect::<Vec<u32>>()},
        "axis": {"labelExpr": "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][datum.value - 1]", "labelAngle": 0}
    })
}

/// Hours in each of three modes, month by month: `modes[i]` is the mode of
/// hour `i` (an index into the chart's labels, or `None` to leave it out)
/// and `months[i]` its month, 1-12.
pub fn hours_by_month(months: &[f64], modes: impl IntoIterator<Item = Option<usize>>) -> [[u32; 3]; 12] {
    let mut counts = [[0u32; 3]; 12];
    for (mode, m) in modes.into_iter().zip(months) {
        if let Some(i) = mode {
            counts[(*m as usize).clamp(1, 12) - 1][i] += 1;
        }
    }
    counts
}

/// A stacked bar chart of hours by mode (colour, three `labels` in stacking
/// order, teal to orange) in each month (x axis): the economizer's and the
/// liquid plant's "how did the plant run each month".
pub fn hours_by_mode_chart(counts: &[[u32; 3]; 12], labels: [&str; 3], legend_title: &str) -> Value {
    let bars: Vec<Value> = counts
        .iter()
        .enumerate()
        .flat_map(|(m, c)| {
            c.iter()
                .enumerate()
                .map(move |(i, hours)| json!({"month": m + 1, "mode": labels[i], "order": i, "hours": hours}))
        })
        .collect();
    json!({
        "width": WIDTH - 200, "height": 240,
        "data": {"values": bars},
        "mark": {"type": "bar"},
        "encoding": {
            "x": month_encoding("month", "Month"),
            "y": {"field": "hours", "type": "quantitative", "title": "Hours in the month, h", "stack": "zero"},
            "color": {"field": "mode", "type": "nominal", "title": legend_title,
                      "scale": {"domain": labels, "range": ["#2a9d8f", "#8ecae6", "#e76f51"]}},
            "order": {"field": "order"},
            "tooltip": [{"field": "month", "title": "Month"}, {"field": "mode", "title": "Mode"}, {"field": "hours", "title": "Hours"}]
        }
    })
}
