//! Reliability, where a reliability study ran: availability with its
//! confidence interval on a scale of nines against the usual tier figures,
//! and the distribution of outage lengths (from the `reliability_events`
//! table, else the percentiles in the summary).
//!
//! Summary keys read: `reliability.{availability, availability_ci95,
//! downtime_hours_per_year, outages_per_year, capacity_hours_lost_per_year}`
//! and, when present, `reliability.outage_hours.percentiles.{p50, p90, p99, max}`.

use super::{Block, Section, paragraph, tiles};
use crate::format;
use crate::spec::{Chart, WIDTH};
use crate::stats::{column, round, text_column};
use crate::{ReportError, Run};
use serde_json::{Value, json};

/// Availability commonly quoted for the Uptime Institute tiers I-IV.
const TIERS: [(&str, f64); 4] =
    [("Tier I", 0.99671), ("Tier II", 0.99741), ("Tier III", 0.99982), ("Tier IV", 0.99995)];

/// Nines of an availability: −log10(1 − A), capped at 9.
fn nines(availability: f64) -> f64 {
    -(1.0 - availability).max(1e-9).log10()
}

/// Outage lengths (h) from an event table: `outage_start` to the next
/// `outage_end` of the same replication.
pub(crate) fn outage_lengths(run: &Run) -> Option<Vec<f64>> {
    let events = run.table("reliability_events")?;
    let replication = column(events, "replication")?;
    let time_h = column(events, "time_h")?;
    let kind = text_column(events, "kind")?;
    let mut open: std::collections::HashMap<u64, f64> = std::collections::HashMap::new();
    let mut lengths = Vec::new();
    for i in 0..events.rows() {
        let r = replication[i] as u64;
        match kind[i].as_str() {
            "outage_start" => {
                open.insert(r, time_h[i]);
            }
            "outage_end" => {
                if let Some(start) = open.remove(&r) {
                    lengths.push(time_h[i] - start);
                }
            }
            _ => {}
        }
    }
    Some(lengths)
}

/// Logarithmic bins, four a decade: (low edge, high edge, count).
pub(crate) fn log_bins(values: &[f64]) -> Vec<(f64, f64, usize)> {
    let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0 && v.is_finite()).collect();
    if positive.is_empty() {
        return Vec::new();
    }
    let index = |v: f64| (v.log10() * 4.0).floor() as i64;
    let lo = positive.iter().map(|v| index(*v)).min().unwrap_or(0);
    let hi = positive.iter().map(|v| index(*v)).max().unwrap_or(0);
    let mut counts = vec![0usize; (hi - lo + 1) as usize];
    for v in &positive {
        counts[(index(*v) - lo) as usize] += 1;
    }
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let k = lo + i as i64;
            (10f64.powf(k as f64 / 4.0), 10f64.powf((k + 1) as f64 / 4.0), *c)
        })
        .collect()
}

/// The reliability section.
pub fn reliability(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(r) = &run.summary.reliability else { return Ok(None) };
    let availability = r.availability;
    let [lo, hi] = r.availability_ci95;
    let ci: Option<(f64, f64)> = (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
    let mut items = vec![(
        "Availability".to_string(),
        format::availability(availability),
        ci.map(|(lo, hi)| format!("95% CI {} to {}", format::availability(lo), format::availability(hi)))
            .unwrap_or_else(|| "of time every rack has power and cooling".into()),
    )];
    if let Some(nines) = format::nines(availability) {
        items[0].2.push_str(&format!("; {nines} nines"));
    }
    for (value, label, unit) in [
        (r.downtime_hours_per_year, "Downtime", "hours a year"),
        (r.outages_per_year, "Outages", "a year"),
        (r.capacity_hours_lost_per_year, "Capacity lost", "server-hours a year"),
    ] {
        if let Some(v) = Some(value).filter(|v| v.is_finite()) {
            let unit = if label == "Downtime" && v > 0.0 && v < 1.0 {
                format!("{unit} ({} minutes)", format::significant(v * 60.0))
            } else {
                unit.to_string()
            };
            items.push((label.to_string(), format::significant(v), unit));
        }
    }
    let mut blocks = vec![Block::Html(tiles(&items))];
    // Availability on a scale of nines, against the tiers.
    let (ci_lo, ci_hi) = ci.unwrap_or((availability, availability));
    let site = json!([{"what": "This site", "n": round(nines(availability), 4), "lo": round(nines(ci_lo), 4),
                       "hi": round(nines(ci_hi), 4), "a": format::availability(availability)}]);
    // Tier labels on two rows: tiers I and II are close together.
    let tiers: Vec<Value> = TIERS
        .iter()
        .enumerate()
        .map(|(i, (t, a))| {
            json!({"tier": t, "n": round(nines(*a), 4), "a": format::availability(*a), "y": 2 + 14 * (i % 2)})
        })
        .collect();
    let x_hi = (nines(ci_hi.max(availability)).max(nines(0.99995)) + 0.5).ceil();
    let x_lo = nines(ci_lo.min(availability)).min(2.0).floor().max(0.0);
    let ticks: Vec<f64> = (x_lo as i64..=x_hi as i64).map(|n| n as f64).collect();
    let x = |field: &str| {
        json!({"field": field, "type": "quantitative", "title": "Availability, % (scale of nines)",
               "scale": {"domain": [x_lo, x_hi]},
               "axis": {"values": ticks, "labelExpr": "format(100 - 100 * pow(10, -datum.value), '.7~f') + '%'"}})
    };
    let spec = json!({
        "width": WIDTH - 160, "height": 110,
        "layer": [
            {"data": {"values": tiers}, "mark": {"type": "rule", "color": "#9b9b9b", "strokeDash": [4, 3]},
             "encoding": {"x": x("n"), "tooltip": [{"field": "tier"}, {"field": "a", "title": "Availability"}]}},
            {"data": {"values": tiers}, "mark": {"type": "text", "angle": 0, "align": "left", "dx": 3, "dy": 0, "baseline": "top", "color": "#5b6475", "fontSize": 10},
             "encoding": {"x": x("n"), "y": {"field": "y", "type": "quantitative", "scale": null}, "text": {"field": "tier"}}},
            {"data": {"values": site}, "mark": {"type": "rule", "strokeWidth": 3, "color": "#1f5fa8"},
             "encoding": {"x": x("lo"), "x2": {"field": "hi"}, "y": {"value": 65}}},
            {"data": {"values": site}, "mark": {"type": "point", "filled": true, "size": 120, "color": "#1f5fa8"},
             "encoding": {"x": x("n"), "y": {"value": 65}, "tooltip": [{"field": "what"}, {"field": "a", "title": "Availability"}]}},
            {"data": {"values": site}, "mark": {"type": "text", "align": "center", "dy": 22, "color": "#1f5fa8", "fontWeight": "bold"},
             "encoding": {"x": x("n"), "y": {"value": 65}, "text": {"field": "a"}}}
        ]
    });
    blocks.push(Block::Chart(Chart::new(
        spec,
        "Availability of IT power (the fraction of time every rack has power and cooling; x axis, %, on a \
         scale of nines: each step to the right is ten times less downtime). The blue dot is this site's \
         mean, the bar its 95% confidence interval; dashed lines mark the availability commonly quoted for \
         Uptime Institute tiers I to IV.",
    )));
    // Outage lengths: the percentiles over every replication (summary), then
    // the histogram of the replications whose events were logged.
    let p = &r.outage_hours.percentiles;
    let points: Vec<Value> =
        [("median", p.p50), ("90th percentile", p.p90), ("99th percentile", p.p99), ("longest", p.max)]
            .iter()
            .filter(|(_, v)| *v > 0.0)
            .map(|(label, v)| json!({"stat": label, "hours": round(*v, 4)}))
            .collect();
    if !points.is_empty() {
        let spec = json!({
            "width": WIDTH - 160, "height": {"step": 26},
            "data": {"values": points},
            "mark": {"type": "point", "filled": true, "size": 90, "color": "#1f5fa8"},
            "encoding": {
                "y": {"field": "stat", "type": "nominal", "sort": null, "title": null},
                "x": {"field": "hours", "type": "quantitative", "scale": {"type": "log"}, "title": "Outage length, hours (log scale)"},
                "tooltip": [{"field": "stat"}, {"field": "hours", "title": "Hours"}]
            }
        });
        blocks.push(Block::Chart(Chart::new(
            spec,
            format!(
                "Outage lengths pooled across all replications ({} outages): median, 90th and 99th \
                 percentile and longest (y axis), in hours (x axis, logarithmic).",
                format::number(r.outage_hours.count as f64, 0)
            ),
        )));
    }
    match outage_lengths(run) {
        Some(lengths) if !lengths.is_empty() => {
            let binned = log_bins(&lengths);
            let drawn: usize = binned.iter().map(|b| b.2).sum();
            let bins: Vec<Value> = binned
                .iter()
                .map(|(lo, hi, c)| json!({"lo": round(*lo, 4), "hi": round(*hi, 4), "count": c}))
                .collect();
            let spec = json!({
                "width": WIDTH - 160, "height": 220,
                "data": {"values": bins},
                "mark": {"type": "rect", "color": "#1f5fa8", "stroke": "white"},
                "encoding": {
                    "x": {"field": "lo", "type": "quantitative", "scale": {"type": "log"}, "title": "Outage length, hours (log scale)"},
                    "x2": {"field": "hi"},
                    "y": {"field": "count", "type": "quantitative", "title": "Outages", "axis": {"tickMinStep": 1, "format": "d"}},
                    "y2": {"datum": 0},
                    "tooltip": [{"field": "lo", "title": "From, h"}, {"field": "hi", "title": "To, h"}, {"field": "count", "title": "Outages"}]
                }
            });
            blocks.push(Block::Chart(Chart::new(
                spec,
                format!(
                    "Distribution of outage lengths: number of outages (y axis) by length in hours (x axis, \
                     logarithmic, four bins a decade), {} outages in the logged replications \
                     (reliability_events.parquet){}.",
                    drawn,
                    if drawn < lengths.len() {
                        format!("; {} of zero length are not drawn", lengths.len() - drawn)
                    } else {
                        String::new()
                    }
                ),
            )));
        }
        Some(_) => blocks.push(Block::Html(paragraph("No outage occurred in the logged replications."))),
        None => {}
    }
    Ok(Some(Section { id: "reliability", title: "Reliability".into(), blocks, plots: true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::{ColumnValues, DataTable};

    fn summary() -> plenum_engine::Summary {
        let mut s = crate::fixture::summary("t", 1.0);
        s.reliability = Some(plenum_engine::reliability::ReliabilitySummary {
            availability: 0.99991,
            availability_ci95: [0.99985, 0.99996],
            downtime_hours_per_year: 0.79,
            outages_per_year: 0.12,
            capacity_hours_lost_per_year: 3200.0,
            ..Default::default()
        });
        s
    }

    #[test]
    fn outages_pair_within_a_replication() {
        let events = DataTable::new("reliability_events", "")
            .with("replication", "", ColumnValues::U64(vec![0, 1, 0, 1, 0, 0]))
            .with("time_h", "", ColumnValues::F64(vec![10.0, 11.0, 12.5, 111.0, 20.0, 20.25]))
            .with(
                "kind",
                "",
                ColumnValues::Text(
                    [
                        "outage_start",
                        "outage_start",
                        "outage_end",
                        "outage_end",
                        "outage_start",
                        "outage_end",
                    ]
                    .map(String::from)
                    .to_vec(),
                ),
            );
        let s = summary();
        let tables = [events];
        let run = Run { summary: &s, scenario_toml: None, tables: &tables, sensitivity: None };
        assert_eq!(outage_lengths(&run).unwrap(), vec![2.5, 100.0, 0.25]);
        let section = reliability(&run).unwrap().unwrap();
        let charts: Vec<&Chart> = section
            .blocks
            .iter()
            .filter_map(|b| if let Block::Chart(c) = b { Some(c) } else { None })
            .collect();
        assert_eq!(charts.len(), 2);
        let bins = charts[1].spec["data"]["values"].as_array().unwrap();
        assert_eq!(bins.iter().map(|b| b["count"].as_u64().unwrap()).sum::<u64>(), 3);
        assert!(charts[1].caption.contains("3 outages"));
        let Block::Html(tiles) = &section.blocks[0] else { panic!() };
        assert!(
            tiles.contains("99.99100%")
                && tiles.contains("0.79")
                && tiles.contains("47.40 minutes")
                && tiles.contains("3,200"),
            "{tiles}"
        );
    }

    #[test]
    fn without_events_the_summary_percentiles_are_drawn() {
        let mut s = summary();
        s.reliability.as_mut().unwrap().outage_hours = plenum_engine::reliability::OutageLengths {
            count: 4,
            mean: 3.0,
            mean_ci95: [2.0, 4.0],
            percentiles: plenum_engine::reliability::Percentiles { p50: 1.5, p90: 5.0, p99: 9.0, max: 12.0 },
        };
        let run = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: None };
        let section = reliability(&run).unwrap().unwrap();
        let Block::Chart(c) = &section.blocks[2] else { panic!("{:?}", section.blocks[2]) };
        assert_eq!(c.spec["data"]["values"].as_array().unwrap().len(), 4);
        assert!(c.caption.contains("(4 outages)"), "{}", c.caption);
        let plain = crate::fixture::summary("t", 1.0);
        let none = Run { summary: &plain, scenario_toml: None, tables: &[], sensitivity: None };
        assert!(reliability(&none).unwrap().is_none());
    }

    #[test]
    fn bins_cover_every_value() {
        let bins = log_bins(&[0.3, 1.0, 1.2, 30.0, 0.0]);
        assert_eq!(bins.iter().map(|b| b.2).sum::<usize>(), 4, "zero lengths are not drawn on a log axis");
        assert!(bins[0].0 <= 0.3 && bins.last().unwrap().1 > 30.0);
        assert!((nines(0.999) - 3.0).abs() < 1e-9);
    }
}
