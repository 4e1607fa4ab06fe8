//! A sweep's results as a page: cost per server-month against annual PUE,
//! one point per row of the sweep table (colour: the first varied input,
//! shape: the second), then the table of the varied inputs and headline
//! figures. The chart's specification is [`sweep_chart`], the one definition
//! `plenum serve`'s sweep page shows.
//!
//! When the sweep has no simulated year (a fixed-PUE scenario: no
//! `pue.annual`), the x axis is the first varied input instead.

use crate::format::html as esc;
use crate::sections::{Block, Section, table};
use crate::spec::{Chart, WIDTH};
use crate::stats::round;
use plenum_engine::{ColumnValues, DataTable};
use serde_json::{Value, json};

/// The figure on the y axis (a sweep table's column: a summary key path).
pub const COST_COLUMN: &str = "cost.per_server_month_usd";
/// The figure on the x axis when present.
pub const PUE_COLUMN: &str = "pue.annual";

/// Cell `row` of a column as JSON (numbers rounded to 6 decimals, `null` when missing).
fn cell(values: &ColumnValues, row: usize) -> Value {
    match values {
        ColumnValues::F64(v) => round(v[row], 6),
        ColumnValues::OptF64(v) => v[row].map_or(Value::Null, |x| round(x, 6)),
        ColumnValues::U64(v) => json!(v[row]),
        ColumnValues::I64(v) => json!(v[row]),
        ColumnValues::Text(v) => json!(v[row]),
        ColumnValues::Bool(v) => json!(v[row]),
    }
}

fn is_numeric(values: &ColumnValues) -> bool {
    !matches!(values, ColumnValues::Text(_) | ColumnValues::Bool(_))
}

/// The chart of a sweep table whose varied inputs are the columns `inputs`
/// (key paths, as `--vary` names them); `None` when the table has no cost
/// per server-month or nothing to put on the x axis.
pub fn sweep_chart(sweep: &DataTable, inputs: &[&str]) -> Option<Chart> {
    let cost = sweep.column(COST_COLUMN)?;
    let inputs: Vec<_> = inputs.iter().filter_map(|n| sweep.column(n)).collect();
    let pue = sweep.column(PUE_COLUMN).filter(|c| (0..sweep.rows()).any(|r| !cell(&c.values, r).is_null()));
    let x = pue.or_else(|| inputs.first().copied())?;
    let x_title =
        if x.name == PUE_COLUMN { "Annual PUE (facility / IT energy)".to_string() } else { x.name.clone() };
    // Fields named i0, i1, ... (key paths have dots, which Vega-Lite reads as nesting).
    let rows: Vec<Value> = (0..sweep.rows())
        .filter_map(|r| {
            let (xv, yv) = (cell(&x.values, r), cell(&cost.values, r));
            if xv.is_null() || yv.is_null() {
                return None;
            }
            let mut row = json!({"x": xv, "y": yv});
            for (i, c) in inputs.iter().enumerate() {
                row[format!("i{i}")] = cell(&c.values, r);
            }
            Some(row)
        })
        .collect();
    let x_encoding = if is_numeric(&x.values) {
        json!({"field": "x", "type": "quantitative", "title": x_title, "scale": {"zero": false}})
    } else {
        json!({"field": "x", "type": "nominal", "title": x_title})
    };
    let mut encoding = json!({
        "x": x_encoding,
        "y": {"field": "y", "type": "quantitative", "title": "Cost per server-month, USD", "scale": {"zero": false}, "axis": {"format": "$,.2f"}},
    });
    let mut tooltip: Vec<Value> =
        inputs.iter().enumerate().map(|(i, c)| json!({"field": format!("i{i}"), "title": c.name})).collect();
    tooltip.push(json!({"field": "x", "title": x_title}));
    tooltip.push(json!({"field": "y", "title": "USD per server-month", "format": "$,.2f"}));
    encoding["tooltip"] = Value::Array(tooltip);
    if let Some(first) = inputs.first() {
        encoding["color"] = json!({"field": "i0", "type": "nominal", "title": first.name});
    }
    if let Some(second) = inputs.get(1) {
        encoding["shape"] = json!({"field": "i1", "type": "nominal", "title": second.name});
    }
    let spec = json!({
        "width": WIDTH - 220, "height": 320,
        "data": {"values": rows},
        "mark": {"type": "point", "filled": true, "size": 90, "opacity": 0.85},
        "encoding": encoding
    });
    let by = match inputs.len() {
        0 => String::new(),
        1 => format!(" Colour: {}.", inputs[0].name),
        _ => format!(" Colour: {}; shape: {}.", inputs[0].name, inputs[1].name),
    };
    let caption = format!(
        "Cost per server-month (y axis, USD) against {} (x axis), one point per row of the sweep \
         (variant and seed).{by}",
        if x.name == PUE_COLUMN { "the annual PUE (no unit)" } else { "the first varied input" }
    );
    Some(Chart::new(spec, caption))
}

/// The figures the page's table lists after the row's variant, sample, seed
/// and varied inputs.
pub const TABLE_FIGURES: &[&str] = &[PUE_COLUMN, COST_COLUMN, "cost.monthly_usd.total"];

/// The sweep of the scenario `name` over the keys `inputs` as a
/// self-contained page: its chart ([`sweep_chart`]), then its rows (variant,
/// sample, seed, the varied inputs, [`TABLE_FIGURES`]).
pub fn render_sweep(name: &str, sweep: &DataTable, inputs: &[&str]) -> String {
    let mut shown = vec!["variant", "sample", "seed"];
    shown.extend(inputs.iter().copied());
    shown.extend(TABLE_FIGURES.iter().copied().filter(|f| !inputs.contains(f)));
    let title = format!("Plenum sweep of {name}");
    let header = format!(
        "<header>\n<h1>{}</h1>\n<p class=\"lede\">{} rows. Each row is one variant of the grid and one seed.</p>\n</header>\n",
        esc(&title),
        sweep.rows()
    );
    let mut sections = Vec::new();
    if let Some(chart) = sweep_chart(sweep, inputs) {
        sections.push(Section {
            id: "chart",
            title: "Cost against PUE".into(),
            blocks: vec![Block::Chart(chart)],
            plots: true,
        });
    }
    let columns: Vec<_> = shown.iter().filter_map(|n| sweep.column(n)).collect();
    let heads: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let rows: Vec<Vec<String>> = (0..sweep.rows())
        .map(|r| {
            columns
                .iter()
                .map(|c| match cell(&c.values, r) {
                    Value::Null => "—".to_string(),
                    Value::String(s) => s,
                    Value::Number(n) => n.as_f64().map_or(n.to_string(), crate::format::significant),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    sections.push(Section {
        id: "table",
        title: "Rows".into(),
        blocks: vec![Block::Html(table(&heads, &rows))],
        plots: false,
    });
    crate::html::page(&title, &header, &sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(pue: Vec<Option<f64>>) -> DataTable {
        DataTable::new("sweep", "test")
            .with("site.climate", "", ColumnValues::Text(vec!["ashburn".into(), "phoenix".into()]))
            .with("energy.price_usd_per_kwh", "", ColumnValues::F64(vec![0.06, 0.09]))
            .with(PUE_COLUMN, "", ColumnValues::OptF64(pue))
            .with(COST_COLUMN, "", ColumnValues::F64(vec![120.5, 130.25]))
    }

    #[test]
    fn the_chart_puts_cost_against_pue_with_the_inputs_as_colour_and_shape() {
        let table = sweep(vec![Some(1.2), Some(1.4)]);
        let chart = sweep_chart(&table, &["site.climate", "energy.price_usd_per_kwh"]).unwrap();
        let rows = chart.spec["data"]["values"].as_array().unwrap();
        assert_eq!(rows[1], json!({"x": 1.4, "y": 130.25, "i0": "phoenix", "i1": 0.09}));
        assert_eq!(chart.spec["encoding"]["color"]["title"], "site.climate");
        assert_eq!(chart.spec["encoding"]["shape"]["title"], "energy.price_usd_per_kwh");
        let page = render_sweep("site <1>", &table, &["site.climate"]);
        assert!(
            page.contains("sweep of site &lt;1&gt;")
                && page.contains("phoenix")
                && page.contains("data-chart")
        );
        assert!(
            page.contains("<th>cost.per_server_month_usd</th>")
                || page.contains(">cost.per_server_month_usd<")
        );
    }

    #[test]
    fn without_a_pue_the_x_axis_is_the_first_input() {
        let table = sweep(vec![None, None]);
        let chart = sweep_chart(&table, &["site.climate"]).unwrap();
        assert_eq!(chart.spec["encoding"]["x"]["type"], "nominal");
        assert_eq!(chart.spec["data"]["values"][0]["x"], "ashburn");
        assert!(sweep_chart(&table, &[]).is_none());
    }
}
