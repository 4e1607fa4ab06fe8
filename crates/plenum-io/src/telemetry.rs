//! Measured telemetry (`[telemetry]`): a Parquet or CSV file of measurements
//! of the real system, read onto the trace's clock in the units the twin
//! predicts in.
//!
//! Every measured column is one `[[telemetry.measured]]` mapping (quantity,
//! column, unit): the reader converts it to the quantity's base unit (kW,
//! fraction) and checks it for plausibility against the fleet it measures.
//! Times are converted to the end of each row's interval in ms after the
//! trace's first submission; rows of one instant (one per host, with
//! `host_column`) are added up for power and averaged for utilization.
//! Errors name the file, the row (data rows from 1 for Parquet, lines for
//! CSV) and the column.

use crate::DataError;
use crate::trace::{LoadError, expand_env, opendc};
use arrow_schema::DataType;
use plenum_engine::calibration::Measurements;
use plenum_scenario::telemetry::{
    MeasuredQuantity, MeasuredUnit, Sample, Telemetry, TimeBase, parse_rfc3339_ms,
};
use std::path::Path;

/// Most power one host plausibly draws, W: the largest GPU servers draw
/// about 10.2 kW (NVIDIA DGX H100 user guide, "system power usage 10.2 kW
/// max"); twice that is implausible for one host.
pub const MAX_HOST_POWER_W: f64 = 20_000.0;

/// Least median power one host plausibly draws while on, W: servers idle at
/// tens of watts (SPECpower_ssj2008 results: active idle rarely below 20 W
/// for a whole server); a median below 0.5 W per host is a unit mistake.
pub const MIN_MEDIAN_HOST_POWER_W: f64 = 0.5;

/// One row as read: its time in the file's unit and its values.
struct Rows {
    /// Time as given (relative ms or s as f64; absolute as epoch ms).
    time: Vec<f64>,
    /// File row of each entry (data row for Parquet, line for CSV).
    row: Vec<u64>,
    /// One column of values per measured quantity, as written.
    values: Vec<Vec<f64>>,
}

/// Read the scenario's telemetry for a fleet of `hosts` hosts.
pub fn read_telemetry(t: &Telemetry, hosts: u64) -> Result<Measurements, LoadError> {
    let path = expand_env(&t.path, "telemetry.path").map_err(LoadError::Path)?;
    let parquet = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let rows = if parquet { read_parquet(&path, t)? } else { read_csv(&path, t)? };
    Ok(to_measurements(&path, t, rows, hosts)?)
}

fn read_parquet(path: &Path, t: &Telemetry) -> Result<Rows, DataError> {
    let batches = opendc::batches(path)?;
    let mut rows = Rows { time: Vec::new(), row: Vec::new(), values: vec![Vec::new(); t.measured.len()] };
    let mut first_row = 1u64;
    for batch in &batches {
        let find = |name: &str| {
            batch.column_by_name(name).ok_or_else(|| {
                let found: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
                DataError::column(path, name, format!("missing column; the file has {found:?}"))
            })
        };
        if let Some(host) = &t.host_column {
            find(host)?;
        }
        let time = find(&t.time_column)?;
        let is_timestamp = matches!(time.data_type(), DataType::Timestamp(..));
        match t.time {
            TimeBase::Absolute { .. } => {
                let mut ms = Vec::with_capacity(time.len());
                opendc::times(path, &t.time_column, time, first_row, &mut ms)?;
                rows.time.extend(ms.into_iter().map(|v| v as f64));
            }
            _ if is_timestamp => {
                return Err(DataError::at_row(
                    path,
                    first_row,
                    &t.time_column,
                    "holds absolute timestamps: set time_unit = \"absolute\" and trace_start",
                ));
            }
            _ => opendc::floats(path, &t.time_column, time, first_row, &mut rows.time)?,
        }
        for (m, out) in t.measured.iter().zip(&mut rows.values) {
            opendc::floats(path, &m.column, find(&m.column)?, first_row, out)?;
        }
        rows.row.extend(first_row..first_row + batch.num_rows() as u64);
        first_row += batch.num_rows() as u64;
    }
    Ok(rows)
}

fn read_csv(path: &Path, t: &Telemetry) -> Result<Rows, DataError> {
    let file = crate::trace::open(path)?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
    let headers = reader.headers().map_err(|e| DataError::at_row(path, 1, "header", e.to_string()))?.clone();
    let index = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            let found: Vec<&str> = headers.iter().collect();
            DataError::at_row(path, 1, name, format!("missing column; the header has {found:?}"))
        })
    };
    if let Some(host) = &t.host_column {
        index(host)?;
    }
    let time_index = index(&t.time_column)?;
    let value_index: Vec<usize> = t.measured.iter().map(|m| index(&m.column)).collect::<Result<_, _>>()?;
    let mut rows = Rows { time: Vec::new(), row: Vec::new(), values: vec![Vec::new(); t.measured.len()] };
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| DataError::at_row(path, line, "row", e.to_string()))?;
        let cell = |j: usize| record.get(j).unwrap_or("").trim();
        let text = cell(time_index);
        let time = match t.time {
            TimeBase::Absolute { .. } => parse_rfc3339_ms(text)
                .map(|ms| ms as f64)
                .or_else(|| text.parse::<i64>().ok().map(|ms| ms as f64))
                .ok_or_else(|| {
                    DataError::at_row(
                        path,
                        line,
                        &t.time_column,
                        format!("expected an RFC 3339 instant or epoch milliseconds, found {text:?}"),
                    )
                })?,
            _ => text.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                DataError::at_row(
                    path,
                    line,
                    &t.time_column,
                    format!("expected a time ≥ 0 after the trace start, found {text:?}"),
                )
            })?,
        };
        rows.time.push(time);
        rows.row.push(line);
        for ((m, &j), out) in t.measured.iter().zip(&value_index).zip(&mut rows.values) {
            let text = cell(j);
            let v = text.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                DataError::at_row(
                    path,
                    line,
                    &m.column,
                    format!("expected a finite number ≥ 0, found {text:?}"),
                )
            })?;
            out.push(v);
        }
    }
    if rows.time.is_empty() {
        return Err(DataError::file(path, "no data rows"));
    }
    Ok(rows)
}

/// Put rows on the trace's clock, merge rows of one instant, convert units
/// and check plausibility.
fn to_measurements(path: &Path, t: &Telemetry, rows: Rows, hosts: u64) -> Result<Measurements, DataError> {
    if rows.time.is_empty() {
        return Err(DataError::file(path, "no data rows"));
    }
    let interval = t.interval_ms as i64;
    let mut out = Measurements {
        interval_ms: t.interval_ms,
        series: t.measured.iter().map(|m| (m.quantity.as_str().to_string(), Vec::new())).collect(),
        ..Measurements::default()
    };
    let mut counts: Vec<u64> = Vec::new();
    let (mut before_start, mut merged) = (0u64, 0u64);
    let mut last: Option<(i64, u64)> = None;
    for i in 0..rows.time.len() {
        let ms = match t.time {
            TimeBase::RelativeMs => rows.time[i].round() as i64,
            TimeBase::RelativeS => (rows.time[i] * 1000.0).round() as i64,
            TimeBase::Absolute { trace_start_epoch_ms } => rows.time[i] as i64 - trace_start_epoch_ms,
        };
        let end = match t.sample {
            Sample::MeanBefore => ms,
            Sample::MeanAfter => ms + interval,
        };
        if let Some((previous, previous_row)) = last {
            if end < previous {
                return Err(DataError::at_row(
                    path,
                    rows.row[i],
                    &t.time_column,
                    format!("times go backwards (row {previous_row} is later): expected rows in time order"),
                ));
            }
            if end == previous && t.host_column.is_none() {
                return Err(DataError::at_row(
                    path,
                    rows.row[i],
                    &t.time_column,
                    format!(
                        "the same time as row {previous_row}: name the host or group column (host_column) \
                         if rows are per host"
                    ),
                ));
            }
        }
        last = Some((end, rows.row[i]));
        if end < interval {
            before_start += 1;
            continue;
        }
        let same = out.end_ms.last() == Some(&(end as u64));
        if !same {
            out.end_ms.push(end as u64);
            counts.push(0);
            for (_, v) in &mut out.series {
                v.push(0.0);
            }
        } else {
            merged += 1;
        }
        *counts.last_mut().expect("a row") += 1;
        for ((m, column), (_, series)) in t.measured.iter().zip(&rows.values).zip(&mut out.series) {
            *series.last_mut().expect("a row") += column[i] * m.to_base;
        }
    }
    if out.end_ms.is_empty() {
        return Err(DataError::column(
            path,
            &t.time_column,
            "every row's interval starts before the trace's first submission: is the time unit or trace_start right?",
        ));
    }
    // Utilization is a mean over hosts; power a sum.
    for (m, (_, series)) in t.measured.iter().zip(&mut out.series) {
        if m.quantity == MeasuredQuantity::Utilization {
            for (v, &c) in series.iter_mut().zip(&counts) {
                *v /= c as f64;
            }
        }
    }
    // Rows kept in order of `end_ms`; the file row of each kept instant's first row.
    let first_rows: Vec<u64> = {
        let mut v = Vec::with_capacity(out.end_ms.len());
        let mut previous = None;
        for i in 0..rows.time.len() {
            let ms = match t.time {
                TimeBase::RelativeMs => rows.time[i].round() as i64,
                TimeBase::RelativeS => (rows.time[i] * 1000.0).round() as i64,
                TimeBase::Absolute { trace_start_epoch_ms } => rows.time[i] as i64 - trace_start_epoch_ms,
            } + if t.sample == Sample::MeanAfter { interval } else { 0 };
            if ms >= interval && previous != Some(ms) {
                v.push(rows.row[i]);
                previous = Some(ms);
            }
        }
        v
    };
    for (m, (_, series)) in t.measured.iter().zip(&out.series) {
        plausible(path, m, series, &first_rows, hosts)?;
    }
    if before_start > 0 {
        out.notes.push(format!(
            "{before_start} telemetry rows cover time before the trace's first submission and were left out"
        ));
    }
    if merged > 0 {
        out.notes.push(format!(
            "{merged} telemetry rows shared an instant with another and were combined per `{}`",
            t.host_column.as_deref().unwrap_or("time")
        ));
    }
    Ok(out)
}

/// Values in the base unit that no real fleet of `hosts` hosts gives are
/// an error at the first row that shows it, suggesting the unit mix-up.
fn plausible(
    path: &Path,
    m: &plenum_scenario::telemetry::Measured,
    series: &[f64],
    rows: &[u64],
    hosts: u64,
) -> Result<(), DataError> {
    let hosts = hosts.max(1) as f64;
    match m.quantity {
        MeasuredQuantity::ItPower => {
            if let Some(i) = series.iter().position(|kw| kw * 1000.0 / hosts > MAX_HOST_POWER_W) {
                return Err(DataError::at_row(
                    path,
                    rows[i],
                    &m.column,
                    format!(
                        "{} {} is {:.0} W per host for {hosts} hosts, above {MAX_HOST_POWER_W} W: {}",
                        series[i] / m.to_base,
                        m.unit,
                        series[i] * 1000.0 / hosts,
                        if m.unit == MeasuredUnit::KW {
                            "is the unit W, not kW?"
                        } else {
                            "is the column the fleet's power?"
                        }
                    ),
                ));
            }
            let mut sorted = series.to_vec();
            sorted.sort_by(f64::total_cmp);
            let median_w = sorted[sorted.len() / 2] * 1000.0 / hosts;
            if median_w < MIN_MEDIAN_HOST_POWER_W {
                let i =
                    series.iter().position(|kw| kw * 1000.0 / hosts < MIN_MEDIAN_HOST_POWER_W).unwrap_or(0);
                return Err(DataError::at_row(
                    path,
                    rows[i],
                    &m.column,
                    format!(
                        "the median is {median_w:.3} W per host for {hosts} hosts, below {MIN_MEDIAN_HOST_POWER_W} W: \
                         is the unit kW, not {}?",
                        m.unit
                    ),
                ));
            }
        }
        MeasuredQuantity::Utilization => {
            if let Some(i) = series.iter().position(|u| *u > 1.0 + 1e-9) {
                return Err(DataError::at_row(
                    path,
                    rows[i],
                    &m.column,
                    format!(
                        "{} {} is above 100% utilization: is the unit percent?",
                        series[i] / m.to_base,
                        m.unit
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_scenario::telemetry::Measured;

    fn telemetry(path: &Path, time: TimeBase, host: Option<&str>) -> Telemetry {
        Telemetry {
            path: path.to_string_lossy().into_owned(),
            time_column: "t".into(),
            time,
            interval_ms: 30_000,
            sample: Sample::MeanBefore,
            host_column: host.map(str::to_string),
            measured: vec![Measured {
                quantity: MeasuredQuantity::ItPower,
                column: "p".into(),
                to_base: 1e-3,
                unit: MeasuredUnit::W,
            }],
        }
    }

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn csv_rows_become_kw_on_the_trace_clock() {
        let (_d, path) = write("t,p\n0,100\n30000,2000\n60000,3000\n");
        let m = read_telemetry(&telemetry(&path, TimeBase::RelativeMs, None), 10).unwrap();
        assert_eq!(m.end_ms, vec![30_000, 60_000]);
        assert_eq!(m.values("it_power"), Some(&[2.0, 3.0][..]));
        assert!(m.notes[0].contains("1 telemetry rows cover time before"), "{:?}", m.notes);
    }

    #[test]
    fn absolute_times_and_per_host_rows() {
        let (_d, path) = write(
            "t,h,p\n2022-10-06T22:00:30Z,a,1000\n2022-10-06T22:00:30Z,b,500\n2022-10-06T23:00:30+01:00,a,700\n",
        );
        let start = parse_rfc3339_ms("2022-10-06T22:00:00Z").unwrap();
        let t = telemetry(&path, TimeBase::Absolute { trace_start_epoch_ms: start }, Some("h"));
        let m = read_telemetry(&t, 2).unwrap();
        assert_eq!(m.end_ms, vec![30_000]);
        assert_eq!(m.values("it_power"), Some(&[2.2][..]));
    }

    #[test]
    fn errors_name_row_and_column() {
        let cases = [
            ("t,p\n30000,100\n60000,x\n", "3", "`p`", "finite number"),
            ("t,p\n60000,100\n30000,100\n", "3", "`t`", "backwards"),
            ("t,p\n30000,100\n30000,100\n", "3", "`t`", "host_column"),
            ("t,q\n30000,100\n", "1", "`p`", "missing column"),
            ("t,p\n30000,100000\n", "2", "`p`", "above 20000 W"),
        ];
        for (text, row, column, fragment) in cases {
            let (_d, path) = write(text);
            let e = read_telemetry(&telemetry(&path, TimeBase::RelativeMs, None), 1).unwrap_err().to_string();
            assert!(e.contains(&format!("row {row}")) && e.contains(column) && e.contains(fragment), "{e}");
        }
        // Power written in kW, labelled W: 0.02 W per host.
        let (_d, path) = write("t,p\n30000,21.7\n60000,21.6\n");
        let e = read_telemetry(&telemetry(&path, TimeBase::RelativeMs, None), 277).unwrap_err().to_string();
        assert!(e.contains("is the unit kW"), "{e}");
    }
}
