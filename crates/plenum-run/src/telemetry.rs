//! `[telemetry]`: read the measurements (plenum-io) and compare every
//! measured quantity with the replay's prediction on the measurement's
//! clock (engine), giving the summary's `calibration.*` figures and the
//! `calibration_series` table.

use crate::{Result, RunError};
use plenum_engine::calibration::{
    Calibration, ErrorMetrics, Measurements, PowerErrorMetrics, align, quantity,
};
use plenum_engine::workload::WorkloadOutcome;
use plenum_engine::{ColumnValues, DataTable};
use plenum_scenario::Scenario;

/// Read the scenario's telemetry for a fleet of `hosts` hosts; a path whose
/// variable is unset is an error of the field `telemetry.path` (saying where
/// the data comes from), a bad file a `DataError`.
pub fn load(scenario: &Scenario, hosts: u64) -> Result<Option<Measurements>> {
    let Some(t) = &scenario.telemetry else { return Ok(None) };
    plenum_io::telemetry::read_telemetry(t, hosts).map(Some).map_err(|e| match e {
        plenum_io::trace::LoadError::Data(e) => RunError::Data(e),
        plenum_io::trace::LoadError::Path(message) => {
            let message = message.strip_prefix("telemetry.path: ").unwrap_or(&message).to_string();
            RunError::from(scenario.error_at(
                "telemetry.path",
                message,
                Some(
                    "the measurements are data, not part of Plenum: set the variable to the folder that holds \
                     them (the scenario's header says where they come from)"
                        .into(),
                ),
            ))
        }
    })
}

/// A column of the replay's cluster table.
pub fn cluster_column<'a>(outcome: &'a WorkloadOutcome, name: &str) -> Option<&'a [f64]> {
    let cluster = outcome.tables.iter().find(|t| t.name == "workload_cluster")?;
    match cluster.column(name).map(|c| &c.values) {
        Some(ColumnValues::F64(v)) => Some(v),
        _ => None,
    }
}

/// Every measured quantity's prediction on the measurement clock, in the
/// order of `m.series` (`None` where the replay does not cover a row).
pub fn predictions(outcome: &WorkloadOutcome, m: &Measurements) -> Vec<Vec<Option<f64>>> {
    let time_s = cluster_column(outcome, "time_s").unwrap_or(&[]);
    m.series
        .iter()
        .map(|(name, _)| {
            let q = quantity(name).expect("validated quantity");
            let values = cluster_column(outcome, q.replay_column).unwrap_or(&[]);
            align(time_s, values, &m.end_ms, m.interval_ms)
        })
        .collect()
}

/// The summary object `calibration` of a run with telemetry: `uncalibrated`
/// (power), `quantities.<name>` (every other measured quantity) and notes.
pub fn compare(outcome: &WorkloadOutcome, m: &Measurements) -> (Calibration, DataTable) {
    let predicted = predictions(outcome, m);
    let mut uncalibrated = None;
    let mut others = Vec::new();
    let mut notes: Vec<String> = m.notes.clone();
    for ((name, measured), predicted) in m.series.iter().zip(&predicted) {
        let missing = predicted.iter().filter(|p| p.is_none()).count();
        if missing > 0 {
            notes.push(format!(
                "{missing} of {} {name} measurements fall outside the replay and are not compared",
                measured.len()
            ));
        }
        let metrics = ErrorMetrics::of(predicted, measured);
        if name == "it_power" {
            uncalibrated = Some(metrics.map(PowerErrorMetrics::from));
        } else {
            others.push((name.clone(), metrics));
        }
    }
    let summary = Calibration {
        uncalibrated,
        quantities: (!others.is_empty()).then(|| others.into()),
        interval_s: m.interval_ms as f64 / 1000.0,
        notes,
        fit: None,
        holdout: None,
        fit_window: None,
        params: None,
        method: None,
        rolling: None,
    };
    (summary, series_table(m, &predicted, None))
}

/// The fitted model's prediction per measured row, and whether a row's end
/// (ms) lies in the fit window.
pub type Calibrated<'a> = (&'a [Option<f64>], &'a dyn Fn(u64) -> bool);

/// The table `calibration_series`: one row per measured instant the replay
/// covers, measured and predicted side by side; `calibrated` adds the
/// prediction of the fitted model and whether the row was in the fit window.
pub fn series_table(
    m: &Measurements,
    predicted: &[Vec<Option<f64>>],
    calibrated: Option<Calibrated<'_>>,
) -> DataTable {
    let keep: Vec<usize> =
        (0..m.end_ms.len()).filter(|&i| predicted.iter().all(|p| p[i].is_some())).collect();
    let mut table = DataTable::new(
        "calibration_series",
        "measured against predicted, one row per measured interval the replay covers",
    )
    .with(
        "time_s",
        "end of the measured interval, s after the first submission",
        ColumnValues::F64(keep.iter().map(|&i| m.end_ms[i] as f64 / 1000.0).collect()),
    );
    for ((name, measured), predicted) in m.series.iter().zip(predicted) {
        let q = quantity(name).expect("validated quantity");
        let (mname, pname, ename) = if name == "it_power" {
            ("measured_kw".to_string(), "predicted_kw".to_string(), "error_fraction".to_string())
        } else {
            (format!("measured_{name}"), format!("predicted_{name}"), format!("error_fraction_{name}"))
        };
        let p: Vec<f64> = keep.iter().map(|&i| predicted[i].expect("kept")).collect();
        let mv: Vec<f64> = keep.iter().map(|&i| measured[i]).collect();
        let e: Vec<f64> =
            p.iter().zip(&mv).map(|(p, m)| if *m == 0.0 { f64::NAN } else { (p - m) / m }).collect();
        table = table
            .with(&mname, &format!("measured mean over the interval, {}", q.unit), ColumnValues::F64(mv))
            .with(
                &pname,
                &format!("the replay's mean over the same interval, {}", q.unit),
                ColumnValues::F64(p),
            )
            .with(&ename, "(predicted − measured) / measured", ColumnValues::F64(e));
    }
    if let Some((calibrated, in_fit)) = calibrated {
        table = table
            .with(
                "calibrated_kw",
                "the replay with the fitted power model, mean over the interval, kW",
                ColumnValues::F64(keep.iter().map(|&i| calibrated[i].unwrap_or(f64::NAN)).collect()),
            )
            .with(
                "in_fit_window",
                "1 when the interval was fitted on, 0 when held out",
                ColumnValues::U64(keep.iter().map(|&i| u64::from(in_fit(m.end_ms[i]))).collect()),
            );
    }
    table
}
