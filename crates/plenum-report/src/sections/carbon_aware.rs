//! Carbon-aware shifting, where the run compared it with running at arrival:
//! the grid intensity over the period with the hosts busy at arrival and
//! shifted (`carbon_aware_slots` table), emissions by site before and after
//! (`carbon_aware.sites`, or the one site), and the distribution of the
//! delay shifting caused (`carbon_aware_jobs` table).
//!
//! Summary keys read: `carbon_aware.{policy, baseline_t, shifted_t,
//! saving_share, mean_delay_h, p95_delay_h, queued_jobs, moved_jobs, jobs,
//! sites.*.{baseline_t, shifted_t}}`.

use super::{Block, Section, tiles};
use crate::format;
use crate::spec::{Chart, WIDTH};
use crate::stats::{self, column, round, text_column};
use crate::{ReportError, Run};
use plenum_engine::carbon_aware::CarbonAwareSummary;
use serde_json::{Value, json};

/// Most points drawn per site and series over time; longer series are aggregated in buckets.
const MAX_POINTS: usize = 1_500;

/// Bins of the delay histogram.
const DELAY_BINS: usize = 30;

/// The carbon-aware section.
pub fn carbon_aware(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(c) = &run.summary.carbon_aware else { return Ok(None) };
    let mut items = vec![
        ("At arrival".to_string(), format::significant(c.baseline_t), "tCO2".to_string()),
        (
            "Shifted".to_string(),
            format::significant(c.shifted_t),
            format!("tCO2, {} saved", format::percent(c.saving_share, 1)),
        ),
        (
            "Mean delay".to_string(),
            format::number(c.mean_delay_h, 2),
            format!("h (95th percentile {:.2} h)", c.p95_delay_h),
        ),
        (
            "Queued".to_string(),
            format::number(c.queued_jobs as f64, 0),
            format!("of {} jobs waited for capacity", format::number(c.jobs as f64, 0)),
        ),
    ];
    if c.moved_jobs > 0 {
        items.push((
            "Moved".to_string(),
            format::number(c.moved_jobs as f64, 0),
            "jobs ran at another site".into(),
        ));
    }
    let mut blocks = vec![Block::Html(tiles(&items))];
    let policy = c.policy.clone();
    if let Some(chart) = over_time(run) {
        blocks.push(Block::Chart(chart));
    }
    if let Some(chart) = by_site(c) {
        blocks.push(Block::Chart(chart));
    }
    if let Some(chart) = delays(run) {
        blocks.push(Block::Chart(chart));
    }
    Ok(Some(Section {
        id: "carbon-aware",
        title: format!("Carbon-aware shifting ({policy})"),
        blocks,
        plots: true,
    }))
}

/// Intensity per site (top) and busy hosts at arrival and shifted (bottom) over the period.
fn over_time(run: &Run) -> Option<Chart> {
    let slots = run.table("carbon_aware_slots")?;
    let (time_s, intensity, base, shifted) = (
        column(slots, "time_s")?,
        column(slots, "intensity_g_per_kwh")?,
        column(slots, "baseline_hosts")?,
        column(slots, "shifted_hosts")?,
    );
    if time_s.is_empty() {
        return None;
    }
    let sites: Vec<String> = match text_column(slots, "site") {
        Some(names) => names.to_vec(),
        None => vec!["home".into(); time_s.len()],
    };
    let mut intensity_rows = Vec::new();
    let mut host_rows = Vec::new();
    let mut averaged = 1;
    let mut start = 0;
    while start < time_s.len() {
        let end = start + sites[start..].iter().take_while(|n| **n == sites[start]).count();
        let bucket = (end - start).div_ceil(MAX_POINTS);
        averaged = averaged.max(bucket);
        let t = stats::chunked(&time_s[start..end], bucket, stats::min);
        let g = stats::chunked(&intensity[start..end], bucket, stats::mean);
        let b = stats::chunked(&base[start..end], bucket, stats::max);
        let sh = stats::chunked(&shifted[start..end], bucket, stats::max);
        let site = &sites[start];
        for i in 0..t.len() {
            let ms = (t[i] * 1000.0).round();
            intensity_rows.push(json!({"t": ms, "site": site, "g": round(g[i], 1)}));
            host_rows.push(json!({"t": ms, "series": format!("{site}: at arrival"), "hosts": b[i]}));
            host_rows.push(json!({"t": ms, "series": format!("{site}: shifted"), "hosts": sh[i]}));
        }
        start = end;
    }
    let x =
        |title: Value| json!({"field": "t", "type": "temporal", "scale": {"type": "utc"}, "title": title});
    let spec = json!({
        "vconcat": [
            {
                "width": WIDTH, "height": 160,
                "data": {"values": intensity_rows},
                "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 1},
                "encoding": {
                    "x": x(Value::Null),
                    "y": {"field": "g", "type": "quantitative", "title": "Intensity, gCO2/kWh"},
                    "color": {"field": "site", "type": "nominal", "title": "Site"},
                    "tooltip": [{"field": "t", "type": "temporal", "title": "Time (UTC)", "format": "%Y-%m-%d %H:%M"},
                                {"field": "site", "title": "Site"}, {"field": "g", "title": "gCO2/kWh", "format": ",.0f"}]
                }
            },
            {
                "width": WIDTH, "height": 160,
                "data": {"values": host_rows},
                "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 1},
                "encoding": {
                    "x": x(json!("Time on the series' clock")),
                    "y": {"field": "hosts", "type": "quantitative", "title": "Busy hosts"},
                    "color": {"field": "series", "type": "nominal", "title": "Load",
                              "scale": {"scheme": "tableau20"}},
                    "tooltip": [{"field": "t", "type": "temporal", "title": "Time (UTC)", "format": "%Y-%m-%d %H:%M"},
                                {"field": "series", "title": "Schedule"}, {"field": "hosts", "title": "Busy hosts"}]
                }
            }
        ],
        "resolve": {"scale": {"color": "independent"}}
    });
    let note = if averaged > 1 {
        format!(" Each point covers {averaged} slots: mean intensity, most hosts busy.")
    } else {
        String::new()
    };
    Some(Chart::new(
        spec,
        format!(
            "Grid carbon intensity of each site (top, y axis, gCO2/kWh) and the hosts busy with every job at \
             arrival and with flexible work shifted (bottom, y axis, hosts), over the period jobs used (x axis, \
             time on the intensity series' clock).{note}"
        ),
    ))
}

/// Emissions by site where the work ran, at arrival and shifted.
fn by_site(c: &CarbonAwareSummary) -> Option<Chart> {
    let mut rows = Vec::new();
    let mut add = |site: &str, baseline_t: f64, shifted_t: f64| {
        for (t, label) in [(baseline_t, "at arrival"), (shifted_t, "shifted")] {
            rows.push(json!({"site": site, "schedule": label, "t": round(t, 4)}));
        }
    };
    match &c.sites {
        Some(sites) => sites.iter().for_each(|(name, f)| add(name, f.baseline_t, f.shifted_t)),
        None => add("home", c.baseline_t, c.shifted_t),
    }
    let spec = json!({
        "width": WIDTH - 260, "height": {"step": 18},
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "site", "type": "nominal", "title": "Site where the work ran"},
            "yOffset": {"field": "schedule", "sort": ["at arrival", "shifted"]},
            "x": {"field": "t", "type": "quantitative", "title": "Emissions, tCO2"},
            "color": {"field": "schedule", "type": "nominal", "title": "Schedule", "sort": ["at arrival", "shifted"],
                      "scale": {"range": ["#9a6b4f", "#2a9d8f"]}},
            "tooltip": [{"field": "site", "title": "Site"}, {"field": "schedule", "title": "Schedule"},
                        {"field": "t", "title": "tCO2", "format": ",.3f"}]
        }
    });
    Some(Chart::new(
        spec,
        "Emissions of the compared jobs by the site they ran at (y axis), with every job at arrival at its home \
         site and shifted (bars), in tCO2 (x axis): the saving by region, and where moved work went.",
    ))
}

/// Histogram of each job's delay (finish shifted minus finish at arrival).
fn delays(run: &Run) -> Option<Chart> {
    let jobs = run.table("carbon_aware_jobs")?;
    let delay_h = column(jobs, "delay_h")?;
    if delay_h.is_empty() {
        return None;
    }
    let (lo, hi) = (stats::min(&delay_h), stats::max(&delay_h));
    let width = if hi > lo { (hi - lo) / DELAY_BINS as f64 } else { 1.0 };
    let mut counts = vec![0usize; DELAY_BINS];
    for d in &delay_h {
        counts[(((d - lo) / width).floor().max(0.0) as usize).min(DELAY_BINS - 1)] += 1;
    }
    let bins: Vec<Value> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(i, c)| {
            json!({"lo": round(lo + i as f64 * width, 3), "hi": round(lo + (i + 1) as f64 * width, 3), "jobs": c})
        })
        .collect();
    let spec = json!({
        "width": WIDTH - 160, "height": 200,
        "data": {"values": bins},
        "mark": {"type": "rect", "color": "#1f5fa8", "stroke": "white"},
        "encoding": {
            "x": {"field": "lo", "type": "quantitative", "title": "Delay of the finish, h (negative: earlier)"},
            "x2": {"field": "hi"},
            "y": {"field": "jobs", "type": "quantitative", "title": "Jobs", "axis": {"tickMinStep": 1, "format": "d"}},
            "y2": {"datum": 0},
            "tooltip": [{"field": "lo", "title": "From, h", "format": ",.2f"}, {"field": "hi", "title": "To, h", "format": ",.2f"},
                        {"field": "jobs", "title": "Jobs"}]
        }
    });
    Some(Chart::new(
        spec,
        format!(
            "Distribution of the delay shifting caused: number of jobs (y axis) by their finish shifted minus \
             their finish had they run at arrival (x axis, hours, {DELAY_BINS} bins), {} jobs; waits for \
             capacity count as delay.",
            format::number(delay_h.len() as f64, 0)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_engine::{ColumnValues, DataTable};

    #[test]
    fn carbon_aware_tables_become_three_charts() {
        let mut s = crate::fixture::summary("t", 1.0);
        let site = |baseline_t, shifted_t| plenum_engine::carbon_aware::SiteFigures {
            baseline_t,
            shifted_t,
            ..Default::default()
        };
        s.carbon_aware = Some(CarbonAwareSummary {
            policy: "both".into(),
            baseline_t: 2.0,
            shifted_t: 1.5,
            saving_share: 0.25,
            mean_delay_h: 1.5,
            p95_delay_h: 4.0,
            queued_jobs: 3,
            jobs: 10,
            moved_jobs: 4,
            sites: Some([("de".to_string(), site(2.0, 0.9)), ("fr".to_string(), site(0.0, 0.6))].into()),
            ..Default::default()
        });
        let n = 4_000;
        let site = |i: usize| if i < n / 2 { "de".to_string() } else { "fr".to_string() };
        let slots = DataTable::new("carbon_aware_slots", "")
            .with("site", "", ColumnValues::Text((0..n).map(site).collect()))
            .with("time_s", "", ColumnValues::F64((0..n).map(|i| (i % (n / 2)) as f64 * 1800.0).collect()))
            .with("intensity_g_per_kwh", "", ColumnValues::F64(vec![300.0; n]))
            .with("baseline_hosts", "", ColumnValues::F64((0..n).map(|i| (i % 7) as f64).collect()))
            .with("shifted_hosts", "", ColumnValues::F64(vec![1.0; n]));
        let jobs = DataTable::new("carbon_aware_jobs", "").with(
            "delay_h",
            "",
            ColumnValues::F64(vec![-2.0, 0.0, 0.0, 1.0, 6.0]),
        );
        let tables = [slots, jobs];
        let run = Run { summary: &s, scenario_toml: None, tables: &tables, sensitivity: None };
        let section = carbon_aware(&run).unwrap().unwrap();
        assert_eq!(section.title, "Carbon-aware shifting (both)");
        let charts: Vec<&Chart> = section
            .blocks
            .iter()
            .filter_map(|b| if let Block::Chart(c) = b { Some(c) } else { None })
            .collect();
        assert_eq!(charts.len(), 3);
        // Two sites of 2,000 slots in buckets of two: 1,000 points each.
        assert_eq!(charts[0].spec["vconcat"][0]["data"]["values"].as_array().unwrap().len(), 2_000);
        assert_eq!(
            charts[0].spec["vconcat"][1]["data"]["values"][0]["hosts"], 1.0,
            "most hosts of the bucket"
        );
        assert!(charts[0].caption.contains("covers 2 slots"));
        let bars = charts[1].spec["data"]["values"].as_array().unwrap();
        assert_eq!(bars.len(), 4);
        assert_eq!(bars[3], json!({"site": "fr", "schedule": "shifted", "t": 0.6}));
        let bins = charts[2].spec["data"]["values"].as_array().unwrap();
        let total: u64 = bins.iter().map(|b| b["jobs"].as_u64().unwrap()).sum();
        assert_eq!(total, 5);
        assert_eq!(bins.last().unwrap()["jobs"], 1, "the largest delay falls in the last bin");
        let Block::Html(t) = &section.blocks[0] else { panic!() };
        assert!(t.contains("25.0% saved") && t.contains("jobs ran at another site"), "{t}");
    }

    #[test]
    fn without_carbon_aware_there_is_no_section() {
        let s = crate::fixture::summary("t", 1.0);
        let run = Run { summary: &s, scenario_toml: None, tables: &[], sensitivity: None };
        assert!(carbon_aware(&run).unwrap().is_none());
    }
}
