//! Data files of the catalog that are too long (a whole EPW or carbon year)
//! or binary (Parquet) to commit: each is a well-formed file with one defect,
//! written into the case's folder before the run.

use arrow_array::{ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use plenum_io::epw::synthetic;
use std::path::Path;
use std::sync::Arc;

/// The cases whose data files are generated here.
pub const NAMES: [&str; 25] = [
    "epw-truncated",
    "epw-kelvin",
    "epw-nan",
    "epw-leap-year",
    "epw-unsorted",
    "epw-duplicate-hour",
    "epw-pressure-kpa",
    "epw-impossible-date",
    "epw-too-few-fields",
    "carbon-kg-per-kwh",
    "carbon-unsorted",
    "carbon-duplicate-hour",
    "carbon-leap-year",
    "carbon-truncated",
    "carbon-infinity",
    "opendc-null-duration",
    "opendc-zero-cpu-count",
    "opendc-duplicate-task-id",
    "opendc-negative-fragment-duration",
    "opendc-capacity-in-ghz",
    "opendc-unknown-task",
    "opendc-nan-usage",
    "opendc-wrong-type",
    "telemetry-parquet-kw-as-w",
    "telemetry-parquet-timestamp-as-ms",
];

const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// (month, day, hour 0-23) of every hour of a 365-day year.
fn hours() -> Vec<(u32, u32, u32)> {
    let mut out = Vec::with_capacity(8_760);
    for (m, &days) in DAYS.iter().enumerate() {
        for d in 1..=days {
            for h in 0..24 {
                out.push((m as u32 + 1, d, h));
            }
        }
    }
    out
}

/// EPW rows of the synthetic mild year ([`synthetic::row`]) for `hours` (hour 0-23).
fn epw_rows(hours: &[(u32, u32, u32)]) -> Vec<Vec<String>> {
    hours.iter().map(|&(m, d, h)| synthetic::row(m, d, h + 1)).collect()
}

fn write_epw(dir: &Path, rows: &[Vec<String>]) {
    std::fs::write(dir.join("weather.epw"), synthetic::text(rows)).unwrap();
}

/// Carbon CSV rows (timestamp, gCO2/kWh) of 2022 for `hours`.
fn carbon_rows(hours: &[(u32, u32, u32)], value: &str) -> Vec<(String, String)> {
    hours
        .iter()
        .map(|&(m, d, h)| (format!("2022-{m:02}-{d:02} {h:02}:00:00+00:00"), value.to_string()))
        .collect()
}

fn write_carbon(dir: &Path, rows: &[(String, String)]) {
    let mut text = String::from("timestamp,avg_CI\n");
    for (t, v) in rows {
        text.push_str(&format!("{t},{v}\n"));
    }
    std::fs::write(dir.join("carbon.csv"), text).unwrap();
}

fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

/// An OpenDC workload of three 4-vCPU tasks with two 30 s fragments each,
/// through `edit` (tasks: id, submission_time, duration, cpu_count,
/// cpu_capacity, mem_capacity; fragments: id, duration, cpu_usage).
fn opendc(dir: &Path, edit: impl FnOnce(&mut OpenDc)) {
    let mut w = OpenDc {
        id: vec![Some(1), Some(2), Some(3)],
        submit: vec![0, 1_000, 2_000],
        duration: vec![Some(60_000); 3],
        cpu_count: vec![4; 3],
        cpu_capacity: vec![8_400.0; 3],
        memory: vec![4_096; 3],
        fragment_id: vec![1, 1, 2, 2, 3, 3],
        fragment_duration: vec![30_000; 6],
        usage: vec![2_000.0; 6],
        cpu_count_text: None,
    };
    edit(&mut w);
    let folder = dir.join("trace");
    std::fs::create_dir_all(&folder).unwrap();
    let cpu_count: ArrayRef = match w.cpu_count_text {
        Some(text) => Arc::new(StringArray::from(text)),
        None => Arc::new(Int32Array::from(w.cpu_count)),
    };
    write_parquet(
        &folder.join("tasks.parquet"),
        vec![
            ("id", Arc::new(Int32Array::from(w.id)) as ArrayRef),
            ("submission_time", Arc::new(Int64Array::from(w.submit))),
            ("duration", Arc::new(Int64Array::from(w.duration))),
            ("cpu_count", cpu_count),
            ("cpu_capacity", Arc::new(Float64Array::from(w.cpu_capacity))),
            ("mem_capacity", Arc::new(Int64Array::from(w.memory))),
        ],
    );
    write_parquet(
        &folder.join("fragments.parquet"),
        vec![
            ("id", Arc::new(Int32Array::from(w.fragment_id)) as ArrayRef),
            ("duration", Arc::new(Int64Array::from(w.fragment_duration))),
            ("cpu_usage", Arc::new(Float64Array::from(w.usage))),
        ],
    );
}

/// The columns of a generated OpenDC workload.
struct OpenDc {
    id: Vec<Option<i32>>,
    submit: Vec<i64>,
    duration: Vec<Option<i64>>,
    cpu_count: Vec<i32>,
    cpu_capacity: Vec<f64>,
    memory: Vec<i64>,
    fragment_id: Vec<i32>,
    fragment_duration: Vec<i64>,
    usage: Vec<f64>,
    /// `cpu_count` written as strings instead.
    cpu_count_text: Option<Vec<&'static str>>,
}

/// Write the generated files of case `name` into `dir` (nothing for cases
/// whose files are committed).
pub fn files(name: &str, dir: &Path) {
    let year = hours();
    let mut epw = epw_rows(&year);
    let mut carbon = carbon_rows(&year, "380");
    match name {
        // Cut off in June: 4,000 of 8,760 hours, the last row half written.
        "epw-truncated" => {
            epw.truncate(4_000);
            let last = epw.last_mut().unwrap();
            last.truncate(4);
        }
        // Dry bulb in kelvin at 10:00 on 5 January (row 100, line 108).
        "epw-kelvin" => epw[99][6] = "283.15".into(),
        "epw-nan" => epw[499][6] = "NaN".into(),
        // 2020: 29 February after 28 February 23:00 (line 8 + 1,416 + 1).
        "epw-leap-year" => {
            let leap: Vec<(u32, u32, u32)> = (0..24).map(|h| (2, 29, h)).collect();
            let extra = epw_rows(&leap);
            epw.splice(1_416..1_416, extra);
        }
        // Two hours swapped on 2 March.
        "epw-unsorted" => epw.swap(1_441, 1_442),
        // 1 April 06:00 twice (the row repeated in place of 07:00).
        "epw-duplicate-hour" => {
            let row = epw[2_166].clone();
            epw[2_167] = row;
        }
        // Station pressure in kPa.
        "epw-pressure-kpa" => epw[7][9] = "101.3".into(),
        // 30 February: the whole of 1 March relabelled.
        "epw-impossible-date" => {
            for r in &mut epw[1_416..1_440] {
                r[1] = "2".into();
                r[2] = "30".into();
            }
        }
        "epw-too-few-fields" => epw[2_000].truncate(8),
        "carbon-kg-per-kwh" => carbon = carbon_rows(&year, "0.38"),
        "carbon-unsorted" => carbon.swap(100, 101),
        "carbon-duplicate-hour" => carbon[201] = carbon[200].clone(),
        "carbon-leap-year" => {
            let leap: Vec<(u32, u32, u32)> = (0..24).map(|h| (2, 29, h)).collect();
            let mut rows = carbon_rows(&leap, "380");
            for r in &mut rows {
                r.0 = r.0.replace("2022", "2020");
            }
            for r in &mut carbon {
                r.0 = r.0.replace("2022", "2020");
            }
            carbon.splice(1_416..1_416, rows);
        }
        "carbon-truncated" => carbon.truncate(5_000),
        "carbon-infinity" => carbon[3_000].1 = "inf".into(),
        "opendc-null-duration" => opendc(dir, |w| w.duration[1] = None),
        "opendc-zero-cpu-count" => opendc(dir, |w| w.cpu_count[2] = 0),
        "opendc-duplicate-task-id" => opendc(dir, |w| w.id[2] = Some(1)),
        "opendc-negative-fragment-duration" => opendc(dir, |w| w.fragment_duration[3] = -30_000),
        // 2.1 (GHz) per core written where OpenDC expects MHz for all cores.
        "opendc-capacity-in-ghz" => opendc(dir, |w| w.cpu_capacity = vec![8.4; 3]),
        "opendc-unknown-task" => opendc(dir, |w| w.fragment_id[4] = 7),
        "opendc-nan-usage" => opendc(dir, |w| w.usage[5] = f64::NAN),
        "opendc-wrong-type" => opendc(dir, |w| w.cpu_count_text = Some(vec!["4", "4", "four"])),
        // Cluster power every 30 s, row 3 in W where the column is declared kW.
        "telemetry-parquet-kw-as-w" => write_parquet(
            &dir.join("power.parquet"),
            vec![
                ("t", Arc::new(Int64Array::from(vec![30_000, 60_000, 90_000, 120_000])) as ArrayRef),
                ("power", Arc::new(Float64Array::from(vec![21.7, 21.9, 21_800.0, 22.0])) as ArrayRef),
            ],
        ),
        // Absolute timestamps where the scenario says ms after the first submission.
        "telemetry-parquet-timestamp-as-ms" => write_parquet(
            &dir.join("power.parquet"),
            vec![
                (
                    "t",
                    Arc::new(arrow_array::TimestampMillisecondArray::from(vec![
                        1_665_093_630_000,
                        1_665_093_660_000,
                    ])) as ArrayRef,
                ),
                ("power", Arc::new(Float64Array::from(vec![21_700.0, 21_800.0])) as ArrayRef),
            ],
        ),
        _ => return,
    }
    if name.starts_with("epw-") {
        write_epw(dir, &epw);
    } else if name.starts_with("carbon-") {
        write_carbon(dir, &carbon);
    }
}
