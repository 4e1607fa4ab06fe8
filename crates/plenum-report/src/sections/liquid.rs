//! Direct liquid cooling and water, from the `hourly` table and the typed
//! `cooling.liquid` and `water` figures: the facility water supply
//! temperature against the weather, hours by cooling mode each month, and
//! water drawn each month. Charts are aggregated by day or month.

use super::{Block, Section, tiles};
use crate::format;
use crate::spec::{Chart, WIDTH, day_to_time, hours_by_mode_chart, hours_by_month, month_encoding, time_x};
use crate::stats::{self, column, round, text_column};
use crate::{ReportError, Run};
use serde_json::{Value, json};

/// Cooling modes of the liquid plant, as the hourly table's `liquid_mode` writes them.
const MODES: [&str; 3] = ["dry", "evaporative", "chiller"];
/// Their labels in the chart.
const MODE_LABELS: [&str; 3] = ["Dry coolers alone", "Evaporative (pads or towers)", "Trim chillers"];

/// The liquid plant's supply temperature and modes, and water by month.
pub fn liquid(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(hourly) = run.table("hourly") else { return Ok(None) };
    let (Some(water_l), Some(month)) = (column(hourly, "water_l"), column(hourly, "month")) else {
        return Ok(None);
    };
    let mut blocks = Vec::new();
    let mut items = Vec::new();
    let liquid = run.summary.cooling.as_ref().and_then(|c| c.liquid.as_ref());
    if let Some(l) = liquid {
        items.push((
            "Heat on liquid".to_string(),
            format!("{:.0}%", l.captured_share * 100.0),
            format!("class {}", l.class),
        ));
        items.push((
            "Chiller hours".to_string(),
            format::number(l.chiller_hours as f64, 0),
            "h a year".into(),
        ));
        items.push((
            "Dry coolers alone".to_string(),
            format::number(l.dry_cooler_only_hours as f64, 0),
            "h a year".into(),
        ));
    }
    if let Some(w) = &run.summary.water {
        items.push(("Water".to_string(), format::number(w.annual_m3, 0), "m³ a year".into()));
        items.push(("WUE".to_string(), format!("{:.2}", w.wue_l_per_kwh), "L per IT kWh".into()));
    }
    blocks.push(Block::Html(tiles(&items)));
    if let (Some(l), Some(supply), Some(dry_bulb), Some(modes)) = (
        liquid,
        column(hourly, "facility_water_supply_c"),
        column(hourly, "dry_bulb_c"),
        text_column(hourly, "liquid_mode"),
    ) {
        let days: Vec<Value> = supply
            .chunks(24)
            .zip(dry_bulb.chunks(24))
            .enumerate()
            .map(|(d, (s, t))| {
                json!({
                    "d": d,
                    "smax": round(stats::max(s), 1),
                    "tmin": round(stats::min(t), 1), "tmean": round(stats::mean(t), 1), "tmax": round(stats::max(t), 1),
                })
            })
            .collect();
        let temperatures = json!({
            "width": WIDTH, "height": 220,
            "data": {"values": days},
            "transform": [day_to_time("d", "date"), {"calculate": format!("{}", l.facility_supply_c), "as": "set"}],
            "layer": [
                {"mark": {"type": "area", "opacity": 0.25, "color": "#c0392b"},
                 "encoding": {"x": time_x("date", "Date (typical year)"),
                              "y": {"field": "tmin", "type": "quantitative", "title": "Temperature, °C"}, "y2": {"field": "tmax"}}},
                {"mark": {"type": "line", "color": "#c0392b", "strokeWidth": 1},
                 "encoding": {"x": time_x("date", ""), "y": {"field": "tmean", "type": "quantitative"}}},
                {"mark": {"type": "line", "color": "#1f5fa8", "strokeWidth": 2},
                 "encoding": {"x": time_x("date", ""), "y": {"field": "smax", "type": "quantitative"},
                              "tooltip": [{"field": "date", "type": "temporal", "title": "Day", "format": "%b %d", "formatType": "utc"},
                                          {"field": "smax", "title": "Warmest supply, °C"}, {"field": "tmax", "title": "Warmest outdoor, °C"}]}},
                {"mark": {"type": "rule", "color": "#1f5fa8", "strokeDash": [4, 4]},
                 "encoding": {"y": {"field": "set", "type": "quantitative"}}}
            ]
        });
        blocks.push(Block::Chart(Chart::new(
            temperatures,
            format!(
                "Facility water supply temperature against the weather, by day (y axis, °C; x axis: date of \
                 the typical year). Blue line: the warmest hour's supply temperature; dashed: the {:.0} °C set point \
                 of class {}. Red: outdoor dry bulb, band = coldest to warmest hour, line = daily mean. The \
                 supply rises above the set point only without trim chillers.",
                l.facility_supply_c,
                l.class,
            ),
        )));
        let counts = hours_by_month(&month, modes.iter().map(|mode| MODES.iter().position(|x| x == mode)));
        blocks.push(Block::Chart(Chart::new(
            hours_by_mode_chart(&counts, MODE_LABELS, "Liquid plant mode"),
            format!(
                "Hours each month (y axis, h) the liquid plant ran on dry coolers alone, with evaporation \
                 (adiabatic pads or towers) and with trim chillers (colour), by month (x axis). Over the year: \
                 {} h with chillers, {} h on dry coolers alone.",
                format::number(l.chiller_hours as f64, 0),
                format::number(l.dry_cooler_only_hours as f64, 0)
            ),
        )));
    }
    let mut by_month = [0.0f64; 12];
    for (w, m) in water_l.iter().zip(&month) {
        by_month[(*m as usize).clamp(1, 12) - 1] += w / 1_000.0;
    }
    let rows: Vec<Value> =
        by_month.iter().enumerate().map(|(m, v)| json!({"month": m + 1, "m3": round(*v, 1)})).collect();
    blocks.push(Block::Chart(Chart::new(
        json!({
            "width": WIDTH - 200, "height": 200,
            "data": {"values": rows},
            "mark": {"type": "bar", "color": "#1f77b4"},
            "encoding": {
                "x": month_encoding("month", "Month"),
                "y": {"field": "m3", "type": "quantitative", "title": "Water drawn, m³"},
                "tooltip": [{"field": "month", "title": "Month"}, {"field": "m3", "title": "m³"}]
            }
        }),
        "Water drawn by cooling towers and adiabatic pads each month (y axis, m³: evaporation plus \
         blowdown), by month (x axis). Dry coolers and air-cooled plants draw none.",
    )));
    let title = if liquid.is_some() { "Liquid cooling and water" } else { "Water" };
    Ok(Some(Section { id: "liquid", title: title.into(), blocks, plots: true }))
}
