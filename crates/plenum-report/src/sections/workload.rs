//! The workload, where a trace replay ran: tasks and work served, active
//! hosts and utilization over the replay (`workload_cluster` table) and the
//! spread of host utilization (`workload_hosts` table).
//!
//! Summary keys read: `workload.{tasks, served_cpu_core_hours,
//! requested_cpu_core_hours, rejected, mean_wait_s, peak_active_hosts}`.

use super::{Block, Section, tiles};
use crate::format;
use crate::spec::{Chart, WIDTH};
use crate::stats::{self, column, round};
use crate::{ReportError, Run};
use serde_json::{Value, json};

/// Most points drawn per series over time; longer series are averaged in buckets.
const MAX_POINTS: usize = 2_000;

/// The workload section.
pub fn workload(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(w) = &run.summary.workload else { return Ok(None) };
    let finite = |x: f64| Some(x).filter(|x| x.is_finite());
    let mut items = Vec::new();
    let rejected = format!("{} rejected", format::number(w.rejected as f64, 0));
    items.push(("Tasks".to_string(), format::number(w.tasks as f64, 0), rejected));
    let work = finite(w.served_cpu_core_hours).zip(finite(w.requested_cpu_core_hours));
    if let Some((served, requested)) = work {
        items.push((
            "CPU work served".to_string(),
            format::number(served, 0),
            format!(
                "core-hours, {} of {} requested",
                format::percent(served / requested, 1),
                format::number(requested, 0)
            ),
        ));
    }
    if let Some(wait) = finite(w.mean_wait_s) {
        items.push((
            "Mean wait".to_string(),
            format::number(wait, 1),
            "seconds from submission to start".into(),
        ));
    }
    items.push((
        "Peak active hosts".to_string(),
        format::number(w.peak_active_hosts as f64, 0),
        "hosts running work at once".into(),
    ));
    let mut blocks = vec![Block::Html(tiles(&items))];
    if let Some((served, requested)) = work {
        let spec = json!({
            "width": WIDTH - 260, "height": {"step": 30},
            "data": {"values": [{"what": "Requested by the trace", "v": round(requested, 1)}, {"what": "Served by the hosts", "v": round(served, 1)}]},
            "mark": {"type": "bar", "color": "#1f5fa8"},
            "encoding": {
                "y": {"field": "what", "type": "nominal", "sort": null, "title": null},
                "x": {"field": "v", "type": "quantitative", "title": "CPU work, core-hours", "axis": {"format": "~s"}},
                "tooltip": [{"field": "what", "title": "Work"}, {"field": "v", "title": "Core-hours", "format": ",.1f"}]
            }
        });
        blocks.push(Block::Chart(Chart::new(
            spec,
            "CPU work the trace requested and the hosts served (y axis), in core-hours (x axis); the gap is \
             work rejected, throttled or unfinished at the end of the replay.",
        )));
    }
    if let Some(cluster) = run.table("workload_cluster")
        && let (Some(time_s), Some(active), Some(utilization)) =
            (column(cluster, "time_s"), column(cluster, "active_hosts"), column(cluster, "mean_utilization"))
        && !time_s.is_empty()
    {
        let bucket = time_s.len().div_ceil(MAX_POINTS);
        let t = stats::chunked(&time_s, bucket, stats::max);
        let a = stats::chunked(&active, bucket, stats::mean);
        let u = stats::chunked(&utilization, bucket, stats::mean);
        let rows: Vec<Value> = (0..t.len())
            .map(|i| json!({"h": round(t[i] / 3600.0, 3), "hosts": round(a[i], 1), "u": round(u[i], 4)}))
            .collect();
        let panel = |field: &str, title: &str, x_title: Value, format: &str, color: &str| {
            json!({
                "width": WIDTH, "height": 150,
                "mark": {"type": "line", "color": color, "interpolate": "step-before"},
                "encoding": {
                    "x": {"field": "h", "type": "quantitative", "title": x_title},
                    "y": {"field": field, "type": "quantitative", "title": title, "axis": {"format": format}},
                    "tooltip": [{"field": "h", "title": "Hours", "format": ",.2f"}, {"field": field, "title": title, "format": format}]
                }
            })
        };
        let spec = json!({
            "data": {"values": rows},
            "vconcat": [
                panel("hosts", "Active hosts", Value::Null, ",.0f", "#1f5fa8"),
                panel("u", "Mean CPU utilization", json!("Hours since the first submission"), ".0%", "#2a9d8f"),
            ]
        });
        let averaged = if bucket > 1 {
            format!(" Each point averages {bucket} consecutive samples.")
        } else {
            String::new()
        };
        blocks.push(Block::Chart(Chart::new(
            spec,
            format!(
                "The fleet over the replay: hosts running work (top, y axis, count) and mean CPU utilization \
                 over hosts (bottom, y axis, %), against hours since the first submission (x axis).{averaged}"
            ),
        )));
    }
    if let Some(hosts) = run.table("workload_hosts")
        && let Some(utilization) = column(hosts, "mean_utilization")
        && !utilization.is_empty()
    {
        let mut counts = [0usize; 20];
        for u in &utilization {
            counts[((u * 20.0).floor().max(0.0) as usize).min(19)] += 1;
        }
        let bins: Vec<Value> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| json!({"lo": i as f64 / 20.0, "hi": (i + 1) as f64 / 20.0, "hosts": c}))
            .collect();
        let spec = json!({
            "width": WIDTH - 160, "height": 200,
            "data": {"values": bins},
            "mark": {"type": "rect", "color": "#1f5fa8", "stroke": "white"},
            "encoding": {
                "x": {"field": "lo", "type": "quantitative", "title": "Host mean CPU utilization over the replay, %",
                      "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"}},
                "x2": {"field": "hi"},
                "y": {"field": "hosts", "type": "quantitative", "title": "Hosts", "axis": {"tickMinStep": 1, "format": "d"}},
                "y2": {"datum": 0},
                "tooltip": [{"field": "lo", "title": "From", "format": ".0%"}, {"field": "hi", "title": "To", "format": ".0%"}, {"field": "hosts", "title": "Hosts"}]
            }
        });
        blocks.push(Block::Chart(Chart::new(
            spec,
            format!(
                "Spread of host utilization: number of hosts (y axis) by their time-mean CPU utilization over \
                 the replay (x axis, %, bins of 5 points), {} hosts.",
                format::number(utilization.len() as f64, 0)
            ),
        )));
    }
    Ok(Some(Section { id: "workload", title: "Workload".into(), blocks, plots: true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::{ColumnValues, DataTable};

    #[test]
    fn workload_tables_become_charts() {
        let mut s = crate::fixture::summary("t", 1.0);
        s.workload = Some(plenum_engine::workload::WorkloadFigures {
            tasks: 1000,
            served_cpu_core_hours: 900.0,
            requested_cpu_core_hours: 1000.0,
            rejected: 3,
            mean_wait_s: 12.5,
            peak_active_hosts: 40,
            ..Default::default()
        });
        let n: u32 = 5_000;
        let cluster = DataTable::new("workload_cluster", "")
            .with("time_s", "", ColumnValues::F64((0..n).map(|i| f64::from(i) * 60.0).collect()))
            .with("active_hosts", "", ColumnValues::U64((0..n).map(|i| u64::from(i % 40)).collect()))
            .with("mean_utilization", "", ColumnValues::F64(vec![0.5; n as usize]));
        let hosts = DataTable::new("workload_hosts", "").with(
            "mean_utilization",
            "",
            ColumnValues::F64(vec![0.0, 0.07, 0.5, 1.0]),
        );
        let tables = [cluster, hosts];
        let run = Run { summary: &s, scenario_toml: None, tables: &tables, sensitivity: None };
        let section = workload(&run).unwrap().unwrap();
        let charts: Vec<&Chart> = section
            .blocks
            .iter()
            .filter_map(|b| if let Block::Chart(c) = b { Some(c) } else { None })
            .collect();
        assert_eq!(charts.len(), 3);
        let over_time = charts[1].spec["data"]["values"].as_array().unwrap();
        assert!(over_time.len() <= MAX_POINTS && over_time.len() >= MAX_POINTS / 2, "{}", over_time.len());
        assert!(charts[1].caption.contains("averages 3 consecutive samples"));
        let bins = charts[2].spec["data"]["values"].as_array().unwrap();
        assert_eq!(bins[0]["hosts"], 1);
        assert_eq!(bins[1]["hosts"], 1);
        assert_eq!(bins[19]["hosts"], 1, "100% falls in the last bin");
        let Block::Html(t) = &section.blocks[0] else { panic!() };
        assert!(t.contains("90.0% of 1,000 requested") && t.contains("3 rejected"), "{t}");
    }
}
