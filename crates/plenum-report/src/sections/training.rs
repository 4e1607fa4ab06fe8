//! The training job, where the scenario has `[training]`: its goodput and
//! interruptions, and its power waveform at the meter before and after each
//! mitigation (the whole window, and a zoom at full resolution), with what
//! each mitigation costs.
//!
//! Summary keys read: `training.{goodput, goodput_ci95,
//! mean_hours_between_interruptions, interruptions, checkpoint_interval_min,
//! lost_gpu_hours, cost_per_useful_gpu_hour_usd, interruptions_by_cause}`,
//! `power_dynamics.*`; table `training_waveform`.

use super::{Block, Section, tiles};
use crate::format;
use crate::spec::{Chart, WIDTH};
use crate::stats::{self, column, round};
use crate::{ReportError, Run};
use plenum_engine::training::SignalFigures;
use serde_json::{Value, json};

/// Most points drawn per series over the whole window (buckets averaged).
const MAX_POINTS: usize = 1_500;
/// Seconds of the zoom drawn at full resolution.
const ZOOM_S: f64 = 30.0;

/// The training section.
pub fn training(run: &Run) -> Result<Option<Section>, ReportError> {
    let Some(t) = &run.summary.training else { return Ok(None) };
    let items = vec![
        (
            "Goodput".to_string(),
            format::percent(t.goodput, 1),
            format!(
                "training time kept; 95% interval {}-{}",
                format::percent(t.goodput_ci95[0], 2),
                format::percent(t.goodput_ci95[1], 2)
            ),
        ),
        (
            "Between interruptions".to_string(),
            format::number(t.mean_hours_between_interruptions, 2),
            format!(
                "hours; {} interruptions in {} days",
                format::number(t.interruptions, 0),
                format::trimmed(t.run_days)
            ),
        ),
        (
            "Checkpoint every".to_string(),
            format::number(t.checkpoint_interval_min, 1),
            format!("minutes ({})", t.checkpoint_interval_source.replace('_', "/")),
        ),
        ("Lost".to_string(), format::number(t.lost_gpu_hours / 1e6, 2), "million GPU-hours".to_string()),
        (
            "Useful GPU-hour".to_string(),
            format::usd_fixed(t.cost_per_useful_gpu_hour_usd, 2),
            format!("vs {} per GPU-hour", format::usd_fixed(t.cost_per_gpu_hour_usd, 2)),
        ),
    ];
    let mut blocks = vec![Block::Html(tiles(&items))];
    let causes: Vec<Value> = t
        .interruptions_by_cause
        .iter()
        .flat_map(|c| {
            [
                json!({"cause": c.cause.replace('_', " "), "n": round(c.expected, 2), "what": "From the rate"}),
                json!({"cause": c.cause.replace('_', " "), "n": round(c.mean, 2), "what": "Simulated mean"}),
            ]
        })
        .collect();
    blocks.push(Block::Chart(Chart::new(
        json!({
            "width": WIDTH - 160, "height": 16 * t.interruptions_by_cause.len().max(1),
            "data": {"values": causes},
            "mark": "bar",
            "encoding": {
                "y": {"field": "cause", "type": "nominal", "title": null, "sort": null},
                "yOffset": {"field": "what"},
                "x": {"field": "n", "type": "quantitative", "title": "Interruptions over the run"},
                "color": {"field": "what", "type": "nominal", "title": null},
                "tooltip": [{"field": "cause"}, {"field": "what"}, {"field": "n", "format": ",.1f"}]
            }
        }),
        format!(
            "Interruptions over the run by cause (x axis, count): expected from each cause's rate and the \
             Monte Carlo's mean over {} replications. Rates: {}.",
            t.replications, t.interruption_rates_source
        ),
    )));
    if let Some(d) = &run.summary.power_dynamics {
        let mut rows = vec![(
            "None".to_string(),
            signal(d.mean_mw, d.swing_mw, d.max_ramp_mw_per_s, d.p99_ramp_mw_per_s, d.band_energy_share),
            "-".to_string(),
        )];
        if let Some(f) = &d.power_floor {
            rows.push((
                format!("Power floor at {} W", format::number(f.floor_w_per_accelerator, 0)),
                figures(&f.after),
                format!(
                    "{} a year ({} MWh)",
                    format::usd(f.wasted_cost_usd_per_year),
                    format::number(f.wasted_mwh_per_year, 0)
                ),
            ));
        }
        if let Some(r) = &d.rack_storage {
            rows.push((
                format!(
                    "Rack storage, {} kWh / {} kW × {} racks",
                    format::trimmed(r.kwh_per_rack),
                    format::trimmed(r.kw_per_rack),
                    r.racks
                ),
                figures(&r.after),
                format!("{} capital; {} steps over the limit", format::usd(r.capex_usd), r.steps_over_limit),
            ));
        }
        if let Some(b) = &d.site_bess {
            rows.push((
                format!(
                    "Site battery, {} kWh / {} kW",
                    format::number(b.energy_kwh, 0),
                    format::number(b.power_kw, 0)
                ),
                figures(&b.after),
                format!("{} capital", format::usd(b.capex_usd)),
            ));
        }
        let mut html = String::from(
            "<table><tr><th>Mitigation</th><th>Mean, MW</th><th>Swing, MW</th><th>Largest ramp, MW/s</th>\
             <th>99th pct ramp, MW/s</th><th>Band share</th><th>Cost</th></tr>",
        );
        for (name, cells, cost) in &rows {
            html.push_str(&format!(
                "<tr><td>{}</td>{cells}<td>{}</td></tr>",
                format::html(name),
                format::html(cost)
            ));
        }
        html.push_str(&format!(
            "</table><p>At the {} over a {} s window at {} ms steps; band share is the variance between {} and {} Hz \
             (nothing above {} Hz is seen at this step){}.</p>",
            format::html(&d.measured_at),
            format::trimmed(d.window_s),
            format::trimmed(d.step_ms),
            format::trimmed(d.band_low_hz),
            format::trimmed(d.band_high_hz),
            format::trimmed(d.nyquist_hz),
            d.grid_ramp_limit_mw_per_s
                .map_or(String::new(), |l| format!("; the grid's ramp limit is {} MW/s", format::trimmed(l)))
        ));
        blocks.push(Block::Html(html));
        if let Some(table) = run.table("training_waveform")
            && let Some(time_s) = column(table, "time_s")
            && !time_s.is_empty()
        {
            let series: Vec<(&str, Vec<f64>)> = [
                ("grid_power_mw", "No mitigation"),
                ("power_floor_grid_mw", "Power floor"),
                ("rack_storage_grid_mw", "Rack storage"),
                ("site_bess_grid_mw", "Site battery"),
            ]
            .iter()
            .filter_map(|(name, label)| column(table, name).map(|v| (*label, v)))
            .collect();
            let bucket = time_s.len().div_ceil(MAX_POINTS);
            let t_bucket = stats::chunked(&time_s, bucket, stats::min);
            let mut whole: Vec<Value> = Vec::new();
            for (label, v) in &series {
                for (s, mw) in t_bucket.iter().zip(stats::chunked(v, bucket, stats::mean)) {
                    whole.push(json!({"s": round(*s, 2), "mw": round(mw, 4), "what": label}));
                }
            }
            blocks.push(Block::Chart(line_chart(
                whole,
                format!(
                    "Power at the {} (y axis, MW) over the window (x axis, seconds), without mitigation and with each \
                     one.{}",
                    d.measured_at,
                    if bucket > 1 { format!(" Each point averages {bucket} steps.") } else { String::new() }
                ),
            )));
            // The zoom: the steepest step of the unmitigated waveform, at full resolution.
            let raw = &series[0].1;
            let steepest = raw
                .windows(2)
                .enumerate()
                .max_by(|a, b| (a.1[1] - a.1[0]).abs().total_cmp(&(b.1[1] - b.1[0]).abs()))
                .map_or(0, |(i, _)| i);
            let step_s = d.step_ms / 1_000.0;
            let half = (ZOOM_S / 2.0 / step_s) as usize;
            let from = steepest.saturating_sub(half);
            let to = (steepest + half).min(time_s.len());
            let mut zoom: Vec<Value> = Vec::new();
            for (label, v) in &series {
                for i in from..to {
                    zoom.push(json!({"s": round(time_s[i], 2), "mw": round(v[i], 4), "what": label}));
                }
            }
            blocks.push(Block::Chart(line_chart(
                zoom,
                format!(
                    "The same around the steepest step of the unmitigated waveform, every {} ms step drawn: power (y \
                     axis, MW) against seconds into the window (x axis).",
                    format::trimmed(d.step_ms)
                ),
            )));
        }
    }
    Ok(Some(Section { id: "training", title: "Training at scale".into(), blocks, plots: true }))
}

fn figures(s: &SignalFigures) -> String {
    signal(s.mean_mw, s.swing_mw, s.max_ramp_mw_per_s, s.p99_ramp_mw_per_s, s.band_energy_share)
}

fn signal(mean: f64, swing: f64, max_ramp: f64, p99_ramp: f64, band: f64) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        format::number(mean, 2),
        format::number(swing, 2),
        format::number(max_ramp, 2),
        format::number(p99_ramp, 2),
        format::percent(band, 1)
    )
}

fn line_chart(values: Vec<Value>, caption: String) -> Chart {
    Chart::new(
        json!({
            "width": WIDTH, "height": 240,
            "data": {"values": values},
            "mark": {"type": "line", "strokeWidth": 1, "interpolate": "step-after"},
            "encoding": {
                "x": {"field": "s", "type": "quantitative", "title": "Seconds into the window"},
                "y": {"field": "mw", "type": "quantitative", "title": "Power, MW", "scale": {"zero": false}},
                "color": {"field": "what", "type": "nominal", "title": null, "sort": null},
                "tooltip": [{"field": "what"}, {"field": "s", "title": "s", "format": ",.1f"}, {"field": "mw", "title": "MW", "format": ",.3f"}]
            }
        }),
        caption,
    )
}
