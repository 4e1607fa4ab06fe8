//! `plenum calibrate`: fit the hosts' power model to measured telemetry on a
//! fit window, report the error on that window and on the held-out rest,
//! optionally refit online window by window, and give the scenario back
//! with the fitted values in place.
//!
//! The replay runs once with the scenario as written; every host's
//! utilization per measured interval is kept, and the fit re-applies the
//! power model to it for each candidate (`plenum_engine::calibration`). The
//! fitted scenario then runs as `plenum run` would, and the figures for the
//! fit and held-out windows come from that run, so `calibrated.toml`
//! reproduces them. The fit reads measurements of the fit window only
//! ([`Measurements::window`]).

use crate::{Limits, Run, Streams, telemetry};
use crate::{Result, RunError};
use plenum_engine::calibration::{
    ErrorMetrics, FitWindowSeconds, GroupModel, HostUtilization, Measurements, PowerErrorMetrics, PowerFit,
    RollingMetrics, align, fit_power, rolling,
};
use plenum_engine::workload::{ClusterRow, SeriesSink, TableSink};
use plenum_engine::{ColumnValues, DataTable};
use plenum_scenario::Scenario;
use plenum_scenario::telemetry::TimeBase;
use plenum_scenario::workload::HostSource;
use std::collections::HashMap;

/// A span of trace time, ms after the first submission: `[from_ms, to_ms)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start, ms.
    pub from_ms: u64,
    /// End (exclusive), ms.
    pub to_ms: u64,
}

/// A duration like `2d`, `30h`, `90m`, `45s` or `500ms`, in ms.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = (t[..split].parse::<f64>().ok()?, &t[split..]);
    let factor = match unit {
        "ms" => 1.0,
        "s" => 1e3,
        "m" | "min" => 6e4,
        "h" => 3.6e6,
        "d" => 8.64e7,
        _ => return None,
    };
    let ms = number * factor;
    (0.0..1e18).contains(&ms).then(|| ms.round() as u64)
}

/// Parse `START..END`: offsets from the trace's first submission (`0d..2d`,
/// `6h..30h`) or RFC 3339 instants (`2022-10-06T22:00:00Z..2022-10-08T22:00:00Z`,
/// which need `trace_start_epoch_ms`).
pub fn parse_window(text: &str, trace_start_epoch_ms: Option<i64>) -> Result<Window, String> {
    let (a, b) = text.split_once("..").ok_or_else(|| {
        format!("expected START..END (`0d..2d`, `6h..30h` or two RFC 3339 instants), found {text:?}")
    })?;
    let point = |p: &str| -> Result<u64, String> {
        if let Some(ms) = parse_duration_ms(p) {
            return Ok(ms);
        }
        let instant = plenum_scenario::telemetry::parse_rfc3339_ms(p)
            .ok_or_else(|| format!("{p:?} is neither an offset (`2d`, `6h`) nor an RFC 3339 instant"))?;
        let start = trace_start_epoch_ms.ok_or_else(|| {
            format!("{p:?} is absolute, but the trace start is unknown: give offsets (`0d..2d`)")
        })?;
        u64::try_from(instant - start).map_err(|_| format!("{p:?} is before the trace's first submission"))
    };
    let (from_ms, to_ms) = (point(a)?, point(b)?);
    if to_ms <= from_ms {
        return Err(format!("the window {text:?} ends before it starts"));
    }
    Ok(Window { from_ms, to_ms })
}

/// What `plenum calibrate` asks for.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--fit START..END`.
    pub fit: String,
    /// `--rolling WINDOW`.
    pub rolling: Option<String>,
}

/// A calibration: the fitted scenario's run (its summary's `calibration`
/// holds every figure), the fitted scenario and its text.
pub struct Calibrated {
    /// The run of the fitted scenario, with `calibration` replaced by the
    /// calibration's figures and `calibration_series` by the comparison of
    /// both models.
    pub run: Run,
    /// The fitted scenario.
    pub scenario: Scenario,
    /// `calibrated.toml`: the scenario's text with the fitted values in place.
    pub toml: String,
}

/// The series sink of the calibration replay: the cluster table, and every
/// host's utilization per sample (hosts × samples values).
struct UtilizationSink {
    table: TableSink,
    time_ms: Vec<u64>,
    utilization: Vec<f64>,
}

impl SeriesSink for UtilizationSink {
    fn cluster(&mut self, row: &ClusterRow) {
        self.table.cluster(row);
    }
    fn wants_hosts(&self) -> bool {
        true
    }
    fn hosts(&mut self, time_ms: u64, _power_w: &[f64], utilization: &[f64]) {
        self.time_ms.push(time_ms);
        self.utilization.extend_from_slice(utilization);
    }
}

/// Lower-case the name, other characters to `_`: a summary key.
pub fn key_of(name: &str) -> String {
    let mut key: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    while key.contains("__") {
        key = key.replace("__", "_");
    }
    key.trim_matches('_').to_string()
}

/// Calibrate `scenario` as `options` ask, within `limits`; `streams` as for
/// [`crate::run_streaming`].
pub fn calibrate(
    scenario: &Scenario,
    limits: &Limits,
    options: &Options,
    streams: Option<Streams<'_>>,
) -> Result<Calibrated> {
    let w = scenario
        .workload
        .as_ref()
        .ok_or_else(|| RunError::Usage("calibrate needs a [workload] to replay".into()))?;
    let t = scenario.telemetry.as_ref().ok_or_else(|| {
        RunError::Usage("calibrate needs measurements: the scenario has no [telemetry]".into())
    })?;
    if !t.measured.iter().any(|m| m.quantity == plenum_scenario::telemetry::MeasuredQuantity::ItPower) {
        return Err(scenario
            .error_at(
                "telemetry.measured",
                "calibrate fits power: map a column to quantity \"it_power\"",
                None,
            )
            .into());
    }
    if !matches!(w.hosts, HostSource::Servers { .. }) {
        return Err(scenario
            .error_at(
                "workload.topology",
                "calibrate writes the fitted power into [[servers]]: give the hosts as [[servers]] and \
                 workload.core_mhz instead of a topology",
                None,
            )
            .into());
    }
    crate::check_size(scenario, &plenum_engine::limits::estimate(scenario, None), limits)?;
    let input = crate::workload::load(scenario, w)?;
    let shape = crate::workload::shape(scenario, w, &input);
    crate::check_size(scenario, &plenum_engine::limits::estimate(scenario, Some(&shape)), limits)?;
    let groups = plenum_engine::workload::host_groups(scenario, None)?;
    let hosts: u64 = groups.iter().map(|g| g.count).sum();
    let measured = telemetry::load(scenario, hosts)?.expect("the scenario has telemetry");
    if measured.interval_ms % w.sample_interval_ms != 0 {
        return Err(scenario
            .error_at(
                "workload.sample_interval_s",
                format!(
                    "calibrate needs replay samples that tile the measured interval of {} s: use a divisor of it",
                    measured.interval_ms / 1000
                ),
                None,
            )
            .into());
    }
    let start_epoch = match t.time {
        TimeBase::Absolute { trace_start_epoch_ms } => Some(trace_start_epoch_ms),
        _ => input.trace.start_epoch_ms,
    };
    let fit_window =
        parse_window(&options.fit, start_epoch).map_err(|m| RunError::Usage(format!("--fit: {m}")))?;
    let rolling_ms = options
        .rolling
        .as_deref()
        .map(|r| {
            parse_duration_ms(r).filter(|&ms| ms > 0).ok_or_else(|| {
                RunError::Usage(format!("--rolling: expected a duration like 1d or 12h, found {r:?}"))
            })
        })
        .transpose()?;

    // One replay as written, keeping every host's utilization.
    let mut sink =
        UtilizationSink { table: TableSink::new(false), time_ms: Vec::new(), utilization: Vec::new() };
    let mut outcome =
        plenum_engine::workload::replay_with(w, &groups, &input.trace, scenario.seed, &mut sink)
            .map_err(|e| RunError::from(e).context("replaying the workload"))?;
    let UtilizationSink { table, time_ms, utilization } = sink;
    outcome.tables.extend(table.into_tables());
    let (uncalibrated, _) = telemetry::compare(&outcome, &measured);
    let predicted_before = telemetry::predictions(&outcome, &measured);
    let group_of: Vec<usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| std::iter::repeat_n(g, group.count as usize))
        .collect();
    let n_hosts = group_of.len().max(1);
    let util = HostUtilization::from_samples(
        time_ms.iter().copied().zip(utilization.chunks(n_hosts)),
        w.sample_interval_ms,
        &group_of,
        groups.len(),
        &measured.end_ms,
        measured.interval_ms,
    );
    let models: Vec<GroupModel> = groups
        .iter()
        .map(|g| GroupModel {
            name: g.name.clone(),
            hosts: g.count,
            idle_w: g.power.idle_w(),
            peak_w: g.power.peak_w(),
        })
        .collect();

    // The fit reads the fit window's measurements and nothing else.
    let fit = fit_on(&util, &models, &measured.window(fit_window.from_ms, fit_window.to_ms))?;

    // The fitted scenario, as text and as a run.
    let toml = calibrated_toml(scenario, &fit, options, fit_window, &measured)?;
    let fitted = Scenario::load(&scenario.document.origin, &toml, &[])
        .map_err(|e| RunError::failed(format!("the calibrated scenario does not validate: {e:?}")))?;
    let mut run = crate::run_streaming(&fitted, limits, streams)?;
    let cluster = |tables: &[DataTable], name: &str| -> Vec<f64> {
        tables
            .iter()
            .find(|t| t.name == "workload_cluster")
            .and_then(|t| t.column(name))
            .and_then(|c| match &c.values {
                ColumnValues::F64(v) => Some(v.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let calibrated_prediction = align(
        &cluster(&run.results.tables, "time_s"),
        &cluster(&run.results.tables, "it_power_kw"),
        &measured.end_ms,
        measured.interval_ms,
    );
    let power = measured.values("it_power").expect("it_power is measured");
    let in_fit = |end: u64| end >= fit_window.from_ms + measured.interval_ms && end <= fit_window.to_ms;
    let split = |keep: &dyn Fn(u64) -> bool| {
        let p: Vec<Option<f64>> = calibrated_prediction
            .iter()
            .zip(&measured.end_ms)
            .map(|(p, &t)| if keep(t) { *p } else { None })
            .collect();
        ErrorMetrics::of(&p, power).map(PowerErrorMetrics::from)
    };
    let mut summary = uncalibrated;
    summary.fit = Some(split(&in_fit));
    summary.holdout = Some(split(&|t| !in_fit(t)));
    summary.fit_window = Some(FitWindowSeconds {
        from_s: fit_window.from_ms as f64 / 1000.0,
        to_s: fit_window.to_ms as f64 / 1000.0,
    });
    summary.params = Some(fit.groups.iter().map(|g| (key_of(&g.name), g.clone())).collect());
    summary.method = Some(
        "least squares on the fit window: idle and dynamic power by linear least squares for each \
         exponent of the power law u^e, the exponent by Brent's method (argmin); uncertainty from the \
         Jacobian at the optimum, assuming independent errors"
            .to_string(),
    );
    if let Some(window_ms) = rolling_ms {
        let by_end: HashMap<u64, f64> = measured.end_ms.iter().copied().zip(power.iter().copied()).collect();
        let on_util: Vec<f64> = util.end_ms.iter().map(|t| by_end[t]).collect();
        let r = rolling(&util, &models, &on_util, window_ms)
            .map_err(|e| RunError::failed(format!("--rolling: {e}")))?;
        let predicted: Vec<Option<f64>> = r.predicted_kw.iter().map(|&p| Some(p)).collect();
        summary.rolling = Some(ErrorMetrics::of(&predicted, &r.measured_kw).map(|m| RollingMetrics {
            mape: m.mape,
            rmse_kw: m.rmse,
            bias_kw: m.bias,
            share_under_10pct: m.share_under_10pct,
            instants: m.instants,
            window_s: window_ms as f64 / 1000.0,
            refits: r.fits.len(),
            exponents: r.fits.iter().map(|(_, f)| f.exponent).collect(),
        }));
    }
    run.calibration = Some(summary);
    run.results.tables.retain(|t| t.name != "calibration_series");
    run.results.tables.push(telemetry::series_table(
        &measured,
        &predicted_before,
        Some((&calibrated_prediction, &in_fit)),
    ));
    Ok(Calibrated { run, scenario: fitted, toml })
}

/// Fit on the measurements `window` holds (already cut to the fit window),
/// at the intervals the replay covers.
fn fit_on(util: &HostUtilization, models: &[GroupModel], window: &Measurements) -> Result<PowerFit> {
    let power = window.values("it_power").expect("it_power is measured");
    let by_end: HashMap<u64, f64> = window.end_ms.iter().copied().zip(power.iter().copied()).collect();
    let fit_util = util.select(|t| by_end.contains_key(&t));
    let fit_measured: Vec<f64> = fit_util.end_ms.iter().map(|t| by_end[t]).collect();
    if fit_util.end_ms.is_empty() {
        return Err(RunError::Usage(
            "--fit: no measurement in the fit window falls on the replay (is the window inside the trace?)"
                .into(),
        ));
    }
    fit_power(&fit_util, models, &fit_measured).map_err(|e| RunError::failed(format!("--fit: {e}")))
}

/// The scenario's text with the fitted idle and peak power of every SKU and
/// the fitted curve in place, after a comment saying how they were obtained.
fn calibrated_toml(
    scenario: &Scenario,
    fit: &PowerFit,
    options: &Options,
    window: Window,
    measured: &Measurements,
) -> Result<String> {
    let doc = &scenario.document;
    let source: &str = &doc.source;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut inserts: Vec<String> = Vec::new();
    let set = |path: &str, key: &str, value: String, edits: &mut Vec<_>, inserts: &mut Vec<String>| match doc
        .value_span(path)
    {
        Some(span) => edits.push((span, value)),
        None => inserts.push(format!("{key} = {value}")),
    };
    for (i, g) in fit.groups.iter().enumerate() {
        set(&format!("servers[{i}].idle_power_w"), "", format!("{:.3}", g.idle_w), &mut edits, &mut inserts);
        set(&format!("servers[{i}].peak_power_w"), "", format!("{:.3}", g.peak_w), &mut edits, &mut inserts);
    }
    if !inserts.is_empty() {
        return Err(RunError::Usage(
            "the scenario's [[servers]] lack idle_power_w or peak_power_w in the file: cannot put the fit in place"
                .into(),
        ));
    }
    set("workload.power_model", "power_model", "\"power\"".into(), &mut edits, &mut inserts);
    set(
        "workload.power_exponent",
        "power_exponent",
        format!("{:.4}", fit.exponent),
        &mut edits,
        &mut inserts,
    );
    // calibrated.toml is written elsewhere: relative data paths become the
    // absolute paths they resolved to (paths with variables stay as written).
    let resolved_workload = scenario.workload.as_ref().and_then(|w| match &w.source {
        plenum_scenario::workload::WorkloadSource::OpenDc { path, .. }
        | plenum_scenario::workload::WorkloadSource::Azure { path, .. }
        | plenum_scenario::workload::WorkloadSource::Bitbrains { path }
        | plenum_scenario::workload::WorkloadSource::Swf { path, .. } => Some(path.clone()),
        _ => None,
    });
    let resolved_telemetry = scenario.telemetry.as_ref().map(|t| t.path.clone());
    for (table, resolved) in [("workload", resolved_workload), ("telemetry", resolved_telemetry)] {
        let written = doc.tree.get(table).and_then(|t| t.get("path")).and_then(|p| p.as_str());
        if let (Some(written), Some(resolved)) = (written, resolved)
            && !written.contains('$')
            && !std::path::Path::new(written).is_absolute()
            && let Some(span) = doc.value_span(&format!("{table}.path"))
        {
            edits.push((span, toml::Value::String(resolved).to_string()));
        }
    }
    let mut text = source.to_string();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    for (span, value) in edits {
        // The line's comment described the old value: say where the new one comes from.
        let line_end = source[span.end..].find('\n').map_or(source.len(), |i| span.end + i);
        let old = &source[span.clone()];
        let why = if value.starts_with('"') && old.starts_with('"') && value != "\"power\"" {
            format!("resolved from {old}")
        } else {
            format!("fitted by plenum calibrate (was {old})")
        };
        text.replace_range(span.start..line_end, &format!("{value}  # {why}"));
    }
    if !inserts.is_empty() {
        // After the [workload] header line (spans before it are unchanged by
        // edits in [workload], which all come after the header).
        let header = doc
            .key_span("workload")
            .ok_or_else(|| RunError::failed("the scenario has no [workload] header"))?;
        let header_start = header.start.min(text.len());
        let line_end = text[header_start..].find('\n').map_or(text.len(), |i| header_start + i + 1);
        text.insert_str(line_end, &(inserts.join("\n") + "\n"));
    }
    let params: Vec<String> = fit
        .groups
        .iter()
        .map(|g| {
            format!(
                "#   {}: idle {:.1} ± {:.1} W, peak {:.1} ± {:.1} W, exponent {:.3} ± {:.3}",
                g.name, g.idle_w, g.idle_w_sd, g.peak_w, g.peak_w_sd, g.exponent, g.exponent_sd
            )
        })
        .collect();
    let header = format!(
        "# Calibrated by `plenum calibrate {} --fit {}{}`: idle power, peak power and the\n\
         # exponent of the power law P = P_idle + (P_peak - P_idle) * u^e fitted by least squares\n\
         # to {} measured intervals of {} s from {:.0} s to {:.0} s after the first submission\n\
         # (no measurement outside that window was read to fit); ± is one standard deviation\n\
         # from the Jacobian at the optimum. The values in place below are the fit's:\n{}\n\n",
        doc.origin,
        options.fit,
        options.rolling.as_deref().map(|r| format!(" --rolling {r}")).unwrap_or_default(),
        fit.instants,
        measured.interval_ms / 1000,
        window.from_ms as f64 / 1000.0,
        window.to_ms as f64 / 1000.0,
        params.join("\n")
    );
    Ok(header + &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_as_offsets_or_instants() {
        assert_eq!(parse_window("0d..2d", None), Ok(Window { from_ms: 0, to_ms: 172_800_000 }));
        assert_eq!(parse_window("6h..30h", None), Ok(Window { from_ms: 21_600_000, to_ms: 108_000_000 }));
        let start = plenum_scenario::telemetry::parse_rfc3339_ms("2022-10-06T22:00:00Z");
        assert_eq!(
            parse_window("2022-10-07T22:00:00Z..2022-10-08T22:00:00Z", start),
            Ok(Window { from_ms: 86_400_000, to_ms: 172_800_000 })
        );
        assert!(parse_window("2d..1d", None).unwrap_err().contains("ends before"));
        assert!(
            parse_window("2022-10-07T22:00:00Z..2d", None).unwrap_err().contains("trace start is unknown")
        );
        assert!(parse_window("2d", None).is_err());
        assert_eq!(parse_duration_ms("1d"), Some(86_400_000));
        assert_eq!(parse_duration_ms("1.5h"), Some(5_400_000));
        assert_eq!(parse_duration_ms("3 weeks"), None);
    }

    #[test]
    fn keys_are_lower_snake_case() {
        assert_eq!(key_of("SURF Lisa CPU node (2x Xeon)"), "surf_lisa_cpu_node_2x_xeon");
    }
}
