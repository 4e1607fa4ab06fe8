//! OpenDC workload traces: a folder with `tasks.parquet` and `fragments.parquet`.
//!
//! Schema versions read (OpenDC `opendc-trace` `TaskSchemas`/`FragmentSchemas`):
//! - tasks v1: `id` string; v2/v3 and the current one: `id` int32 (int64 also
//!   accepted). `submission_time` as int64 or as a timestamp (any unit);
//!   `duration` int64 ms; `cpu_count` int32; `cpu_capacity` float64 MHz (all
//!   cores); `mem_capacity` int64; optional `nature` (string, v1/v2) or
//!   `deferrable` (bool, v3), read for presence only. Older column names
//!   `submissionTime`, `maxCores` and `requiredMemory` are accepted.
//! - fragments v1: `id` string, `timestamp`, `duration`, `cpu_count`,
//!   `cpu_usage`; v2 and current: `id` int32, `duration` int64 ms,
//!   `cpu_usage` float64 MHz. A task's fragments are consumed in file order.
//!
//! Magnitudes decide what integer times mean, and the choice is noted in the
//! trace: values from 1e11 up are epoch milliseconds, values from 1e8 to 1e11
//! epoch seconds (converted), smaller values milliseconds from an arbitrary
//! start. `mem_capacity` has no unit in the format; OpenDC compares it with
//! host memory in MiB, so MiB is assumed unless a value exceeds 16 TiB when
//! read as MiB (Bitbrains-derived traces copy KiB), or the caller says.

use super::{MemoryUnit, open};
use crate::DataError;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use plenum_models::workload::{TaskSpec, Trace, TraceBuilder};
use std::collections::HashMap;
use std::path::Path;

const BATCH_ROWS: usize = 64 * 1024;

/// Read all record batches of a parquet file. The decoder runs contained: a
/// corrupt file that makes it panic is an error like any other.
pub(crate) fn batches(path: &Path) -> Result<Vec<RecordBatch>, DataError> {
    let file = open(path)?;
    let decode = || {
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| DataError::file(path, format!("expected a Parquet file: {e}")))?
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| DataError::file(path, format!("cannot read Parquet: {e}")))?;
        reader.map(|b| b.map_err(|e| DataError::file(path, format!("cannot decode Parquet: {e}")))).collect()
    };
    crate::contain::contained(decode).unwrap_or_else(|panic| {
        Err(DataError::file(path, format!("cannot decode Parquet: a corrupt file ({panic})")))
    })
}

fn column<'a>(batch: &'a RecordBatch, names: &[&'static str]) -> Option<(&'a ArrayRef, &'static str)> {
    names.iter().find_map(|name| batch.column_by_name(name).map(|c| (c, *name)))
}

fn required<'a>(
    path: &Path,
    batch: &'a RecordBatch,
    names: &[&'static str],
) -> Result<&'a ArrayRef, DataError> {
    column(batch, names).map(|(c, _)| c).ok_or_else(|| {
        let found: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        DataError::column(
            path,
            names[0],
            format!("missing column (expected one of {names:?}); the file has {found:?}"),
        )
    })
}

fn null_error(path: &Path, row: u64, name: &str) -> DataError {
    DataError::at_row(path, row, name, "expected a value, found null")
}

/// Integer values of any integer column, as i64.
fn ints(path: &Path, name: &str, a: &ArrayRef, first_row: u64, out: &mut Vec<i64>) -> Result<(), DataError> {
    macro_rules! take {
        ($t:ty) => {{
            let p = a.as_primitive::<$t>();
            for i in 0..p.len() {
                if p.is_null(i) {
                    return Err(null_error(path, first_row + i as u64, name));
                }
                out.push(p.value(i) as i64);
            }
        }};
    }
    match a.data_type() {
        DataType::Int8 => take!(Int8Type),
        DataType::Int16 => take!(Int16Type),
        DataType::Int32 => take!(Int32Type),
        DataType::Int64 => take!(Int64Type),
        DataType::UInt8 => take!(UInt8Type),
        DataType::UInt16 => take!(UInt16Type),
        DataType::UInt32 => take!(UInt32Type),
        DataType::UInt64 => take!(UInt64Type),
        other => {
            // The first row of the batch is the first value of the wrong type.
            return Err(DataError::at_row(
                path,
                first_row,
                name,
                format!("expected an integer column, found {other}"),
            ));
        }
    }
    Ok(())
}

/// Float values of a float or integer column.
pub(crate) fn floats(
    path: &Path,
    name: &str,
    a: &ArrayRef,
    first_row: u64,
    out: &mut Vec<f64>,
) -> Result<(), DataError> {
    macro_rules! take {
        ($t:ty) => {{
            let p = a.as_primitive::<$t>();
            for i in 0..p.len() {
                if p.is_null(i) {
                    return Err(null_error(path, first_row + i as u64, name));
                }
                let v = p.value(i) as f64;
                if !v.is_finite() || v < 0.0 {
                    return Err(DataError::at_row(
                        path,
                        first_row + i as u64,
                        name,
                        format!("expected a finite non-negative number, found {v}"),
                    ));
                }
                out.push(v);
            }
        }};
    }
    match a.data_type() {
        DataType::Float64 => take!(Float64Type),
        DataType::Float32 => take!(Float32Type),
        DataType::Int32 => take!(Int32Type),
        DataType::Int64 => take!(Int64Type),
        other => {
            return Err(DataError::at_row(
                path,
                first_row,
                name,
                format!("expected a floating-point column, found {other}"),
            ));
        }
    }
    Ok(())
}

/// Times: timestamps converted to ms (`true`), or raw integers (`false`).
pub(crate) fn times(
    path: &Path,
    name: &str,
    a: &ArrayRef,
    first_row: u64,
    out: &mut Vec<i64>,
) -> Result<bool, DataError> {
    macro_rules! take {
        ($t:ty, $f:expr) => {{
            let p = a.as_primitive::<$t>();
            for i in 0..p.len() {
                if p.is_null(i) {
                    return Err(null_error(path, first_row + i as u64, name));
                }
                out.push($f(p.value(i)));
            }
        }};
    }
    match a.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => take!(TimestampSecondType, |v: i64| v * 1000),
        DataType::Timestamp(TimeUnit::Millisecond, _) => take!(TimestampMillisecondType, |v: i64| v),
        DataType::Timestamp(TimeUnit::Microsecond, _) => take!(TimestampMicrosecondType, |v: i64| v / 1000),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            take!(TimestampNanosecondType, |v: i64| v / 1_000_000)
        }
        _ => {
            ints(path, name, a, first_row, out)?;
            return Ok(false);
        }
    }
    Ok(true)
}

/// Task ids: integers, or strings numbered in order of first appearance.
enum Ids {
    Int(Vec<u64>),
    Text(Vec<String>),
}

fn ids(path: &Path, a: &ArrayRef, first_row: u64, out: &mut Ids) -> Result<(), DataError> {
    let text = |out: &mut Vec<String>, get: &dyn Fn(usize) -> Option<String>| -> Result<(), DataError> {
        for i in 0..a.len() {
            out.push(get(i).ok_or_else(|| null_error(path, first_row + i as u64, "id"))?);
        }
        Ok(())
    };
    match (a.data_type(), out) {
        (DataType::Utf8, Ids::Text(v)) => {
            let s = a.as_string::<i32>();
            text(v, &|i| (!s.is_null(i)).then(|| s.value(i).to_string()))
        }
        (DataType::LargeUtf8, Ids::Text(v)) => {
            let s = a.as_string::<i64>();
            text(v, &|i| (!s.is_null(i)).then(|| s.value(i).to_string()))
        }
        (DataType::Utf8 | DataType::LargeUtf8, Ids::Int(_)) | (_, Ids::Text(_)) => {
            Err(DataError::column(path, "id", "expected one id type throughout the file"))
        }
        (_, Ids::Int(v)) => {
            let mut raw = Vec::with_capacity(a.len());
            ints(path, "id", a, first_row, &mut raw)?;
            for (i, x) in raw.into_iter().enumerate() {
                if x < 0 {
                    return Err(DataError::at_row(
                        path,
                        first_row + i as u64,
                        "id",
                        format!("expected a non-negative id, found {x}"),
                    ));
                }
                v.push(x as u64);
            }
            Ok(())
        }
    }
}

fn is_text(batches: &[RecordBatch]) -> bool {
    batches
        .first()
        .and_then(|b| b.column_by_name("id"))
        .is_some_and(|c| matches!(c.data_type(), DataType::Utf8 | DataType::LargeUtf8))
}

/// Read an OpenDC workload folder (`tasks.parquet`, `fragments.parquet`).
pub fn read_opendc(folder: &Path, memory_unit: MemoryUnit) -> Result<Trace, DataError> {
    read_opendc_files(&folder.join("tasks.parquet"), &folder.join("fragments.parquet"), memory_unit)
}

/// Read an OpenDC workload from its two files.
pub fn read_opendc_files(
    tasks_path: &Path,
    fragments_path: &Path,
    memory_unit: MemoryUnit,
) -> Result<Trace, DataError> {
    let task_batches = batches(tasks_path)?;
    let rows: usize = task_batches.iter().map(|b| b.num_rows()).sum();
    let mut id = if is_text(&task_batches) { Ids::Text(Vec::new()) } else { Ids::Int(Vec::new()) };
    let (mut submit, mut duration, mut cpu_count, mut cpu_capacity, mut memory) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let mut timestamp_typed = false;
    let mut deferrable_column = None;
    let mut first = 1u64;
    for b in &task_batches {
        ids(tasks_path, required(tasks_path, b, &["id"])?, first, &mut id)?;
        let sub = required(tasks_path, b, &["submission_time", "submissionTime"])?;
        timestamp_typed = times(tasks_path, "submission_time", sub, first, &mut submit)?;
        ints(tasks_path, "duration", required(tasks_path, b, &["duration"])?, first, &mut duration)?;
        ints(
            tasks_path,
            "cpu_count",
            required(tasks_path, b, &["cpu_count", "maxCores"])?,
            first,
            &mut cpu_count,
        )?;
        floats(
            tasks_path,
            "cpu_capacity",
            required(tasks_path, b, &["cpu_capacity"])?,
            first,
            &mut cpu_capacity,
        )?;
        ints(
            tasks_path,
            "mem_capacity",
            required(tasks_path, b, &["mem_capacity", "requiredMemory"])?,
            first,
            &mut memory,
        )?;
        if let Some((_, name)) = column(b, &["deferrable", "nature"]) {
            deferrable_column = Some(name);
        }
        first += b.num_rows() as u64;
    }
    for (i, &c) in cpu_count.iter().enumerate() {
        if c < 1 || c > i64::from(u32::MAX) {
            return Err(DataError::at_row(
                tasks_path,
                i as u64 + 1,
                "cpu_count",
                format!("expected a positive vCPU count, found {c}"),
            ));
        }
    }
    // `cpu_capacity` is MHz for all of a task's cores; under 50 MHz a core
    // (slower than any server CPU since the early 1990s) it was written in GHz.
    for (i, (&mhz, &cores)) in cpu_capacity.iter().zip(&cpu_count).enumerate() {
        if mhz > 0.0 && mhz / (cores as f64) < 50.0 {
            return Err(DataError::at_row(
                tasks_path,
                i as u64 + 1,
                "cpu_capacity",
                format!(
                    "expected MHz for all {cores} cores, found {mhz} ({} MHz a core): in GHz? multiply by 1,000",
                    mhz / cores as f64
                ),
            ));
        }
    }
    for (column, values) in [("duration", &duration), ("mem_capacity", &memory)] {
        if let Some(i) = values.iter().position(|&v| v < 0) {
            return Err(DataError::at_row(
                tasks_path,
                i as u64 + 1,
                column,
                format!("expected a non-negative value, found {}", values[i]),
            ));
        }
    }

    let mut b = TraceBuilder::new(&format!(
        "OpenDC workload {}",
        tasks_path.parent().unwrap_or(tasks_path).display()
    ));
    // Times.
    let min = submit.iter().copied().min().unwrap_or(0);
    let max = submit.iter().copied().max().unwrap_or(0);
    let factor = if timestamp_typed {
        b.note("submission_time: Parquet timestamp, converted to ms");
        b.start_epoch_ms(Some(min));
        1
    } else if max >= 100_000_000_000 {
        b.note("submission_time: int64 values from 1e11 up, read as epoch milliseconds");
        b.start_epoch_ms(Some(min));
        1
    } else if max >= 100_000_000 {
        b.note("submission_time: int64 values between 1e8 and 1e11, read as epoch seconds (converted to ms)");
        b.start_epoch_ms(Some(min * 1000));
        1000
    } else {
        b.note("submission_time: small int64 values, read as milliseconds from the trace start");
        1
    };
    // Memory.
    let unit = match memory_unit {
        MemoryUnit::Auto => {
            let max_mem = memory.iter().copied().max().unwrap_or(0);
            if max_mem > 16 * 1024 * 1024 {
                b.note(format!(
                    "mem_capacity: largest value {max_mem} would be over 16 TiB as MiB; read as KiB"
                ));
                MemoryUnit::Kib
            } else {
                b.note(format!(
                    "mem_capacity: read as MiB (largest value {max_mem}), as OpenDC compares it with host MiB"
                ));
                MemoryUnit::Mib
            }
        }
        u => u,
    };
    if let Some(name) = deferrable_column {
        b.note(format!("column `{name}` present; Plenum replays every task as submitted"));
    }

    // Fragments, grouped by task in file order (a counting sort by task).
    let labels: Option<Vec<String>>;
    let task_ids: Vec<u64> = match id {
        Ids::Int(v) => {
            labels = None;
            v
        }
        Ids::Text(v) => {
            let n = v.len() as u64;
            labels = Some(v);
            (0..n).collect()
        }
    };
    let mut index: HashMap<u64, u32> = HashMap::with_capacity(task_ids.len());
    let mut label_index: HashMap<&str, u32> = HashMap::new();
    if let Some(l) = &labels {
        for (i, s) in l.iter().enumerate() {
            if label_index.insert(s.as_str(), i as u32).is_some() {
                return Err(DataError::at_row(
                    tasks_path,
                    i as u64 + 1,
                    "id",
                    format!("duplicate task id {s:?}"),
                ));
            }
        }
    } else {
        for (i, &t) in task_ids.iter().enumerate() {
            if index.insert(t, i as u32).is_some() {
                return Err(DataError::at_row(
                    tasks_path,
                    i as u64 + 1,
                    "id",
                    format!("duplicate task id {t}"),
                ));
            }
        }
    }

    let fragment_batches = batches(fragments_path)?;
    let frows: usize = fragment_batches.iter().map(|b| b.num_rows()).sum();
    let (mut owner, mut fdur, mut fuse) =
        (Vec::with_capacity(frows), Vec::with_capacity(frows), Vec::with_capacity(frows));
    let mut first = 1u64;
    let text_fragments = is_text(&fragment_batches);
    if text_fragments != labels.is_some() && !fragment_batches.is_empty() {
        return Err(DataError::column(
            fragments_path,
            "id",
            format!(
                "expected {} ids as in {}, found {}",
                if labels.is_some() { "string" } else { "integer" },
                tasks_path.display(),
                if text_fragments { "strings" } else { "integers" }
            ),
        ));
    }
    let mut fid = if text_fragments { Ids::Text(Vec::new()) } else { Ids::Int(Vec::new()) };
    for batch in &fragment_batches {
        let n = batch.num_rows();
        match &mut fid {
            Ids::Int(v) => v.clear(),
            Ids::Text(v) => v.clear(),
        }
        ids(fragments_path, required(fragments_path, batch, &["id"])?, first, &mut fid)?;
        for k in 0..n {
            let row = first + k as u64;
            let task = match &fid {
                Ids::Int(v) => index.get(&v[k]).copied().ok_or_else(|| {
                    DataError::at_row(
                        fragments_path,
                        row,
                        "id",
                        format!("expected the id of a task in {}, found {}", tasks_path.display(), v[k]),
                    )
                })?,
                Ids::Text(v) => label_index.get(v[k].as_str()).copied().ok_or_else(|| {
                    DataError::at_row(
                        fragments_path,
                        row,
                        "id",
                        format!("expected the id of a task in {}, found {:?}", tasks_path.display(), v[k]),
                    )
                })?,
            };
            owner.push(task);
        }
        ints(fragments_path, "duration", required(fragments_path, batch, &["duration"])?, first, &mut fdur)?;
        floats(
            fragments_path,
            "cpu_usage",
            required(fragments_path, batch, &["cpu_usage"])?,
            first,
            &mut fuse,
        )?;
        first += n as u64;
    }
    if let Some(i) = fdur.iter().position(|&d| d < 0) {
        return Err(DataError::at_row(
            fragments_path,
            i as u64 + 1,
            "duration",
            format!("expected a non-negative duration in ms, found {}", fdur[i]),
        ));
    }
    let mut count = vec![0u64; task_ids.len() + 1];
    for &o in &owner {
        count[o as usize + 1] += 1;
    }
    for i in 1..count.len() {
        count[i] += count[i - 1];
    }
    let mut order = vec![0u32; owner.len()];
    let mut next = count.clone();
    for (f, &o) in owner.iter().enumerate() {
        order[next[o as usize] as usize] = f as u32;
        next[o as usize] += 1;
    }
    if !fdur.is_empty() {
        let mut sorted = fdur.clone();
        sorted.sort_unstable();
        b.note(format!(
            "fragments: duration read as ms (median {} ms), cpu_usage as MHz",
            sorted[sorted.len() / 2]
        ));
    }

    b.reserve(task_ids.len(), owner.len());
    let mut mismatched = 0usize;
    let mut without_fragments = 0usize;
    for i in 0..task_ids.len() {
        b.task(TaskSpec {
            id: task_ids[i],
            submit_ms: ((submit[i] - min) * factor) as u64,
            duration_ms: duration[i] as u64,
            cpu_count: cpu_count[i] as u32,
            cpu_capacity_mhz: cpu_capacity[i],
            memory_mib: unit.to_mib(memory[i] as u64),
        });
        let (a, e) = (count[i] as usize, count[i + 1] as usize);
        let mut sum = 0i64;
        for &f in &order[a..e] {
            b.fragment(fdur[f as usize] as u64, fuse[f as usize]);
            sum += fdur[f as usize];
        }
        if e == a {
            without_fragments += 1;
        } else if sum != duration[i] {
            mismatched += 1;
        }
    }
    if mismatched > 0 {
        b.note(format!(
            "{mismatched} tasks' `duration` differs from the sum of their fragments; the fragments' sum is used"
        ));
    }
    if without_fragments > 0 {
        b.note(format!(
            "{without_fragments} tasks have no fragments: they run `duration` at full `cpu_capacity`"
        ));
    }
    if let Some(l) = labels {
        b.labels(l);
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{
        BooleanArray, Float64Array, Int32Array, Int64Array, StringArray, TimestampMillisecondArray,
    };
    use arrow_schema::{Field, Schema};
    use parquet::arrow::ArrowWriter;
    use std::sync::Arc;

    fn write(path: &Path, columns: Vec<(&str, ArrayRef)>) {
        let schema = Arc::new(Schema::new(
            columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect::<Vec<_>>(),
        ));
        let batch =
            RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
        let mut w = ArrowWriter::try_new(std::fs::File::create(path).unwrap(), schema, None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    fn arc<A: Array + 'static>(a: A) -> ArrayRef {
        Arc::new(a)
    }

    #[test]
    fn current_schema_with_int_ids_and_epoch_ms() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join("tasks.parquet"),
            vec![
                ("id", arc(Int32Array::from(vec![5, 3]))),
                ("submission_time", arc(Int64Array::from(vec![1_700_000_060_000, 1_700_000_000_000]))),
                ("duration", arc(Int64Array::from(vec![60_000, 30_000]))),
                ("cpu_count", arc(Int32Array::from(vec![2, 1]))),
                ("cpu_capacity", arc(Float64Array::from(vec![4200.0, 2100.0]))),
                ("mem_capacity", arc(Int64Array::from(vec![1024, 512]))),
                ("deferrable", arc(BooleanArray::from(vec![false, true]))),
            ],
        );
        write(
            &dir.path().join("fragments.parquet"),
            vec![
                ("id", arc(Int32Array::from(vec![5, 3, 5]))),
                ("duration", arc(Int64Array::from(vec![30_000, 30_000, 30_000]))),
                ("cpu_usage", arc(Float64Array::from(vec![100.0, 200.0, 300.0]))),
            ],
        );
        let t = read_opendc(dir.path(), MemoryUnit::Auto).unwrap();
        assert_eq!(t.tasks.id, vec![3, 5]);
        assert_eq!(t.tasks.submit_ms, vec![0, 60_000]);
        assert_eq!(t.start_epoch_ms, Some(1_700_000_000_000));
        assert_eq!(t.tasks.memory_mib, vec![512, 1024]);
        assert_eq!(t.fragments.cpu_usage_mhz, vec![200.0, 100.0, 300.0]);
        assert_eq!(t.tasks.fragment_start, vec![0, 1, 3]);
        assert!(t.notes.iter().any(|n| n.contains("epoch milliseconds")));
        assert!(t.notes.iter().any(|n| n.contains("`deferrable`")));
    }

    #[test]
    fn old_schema_with_string_ids_timestamps_and_kib_memory() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join("tasks.parquet"),
            vec![
                ("id", arc(StringArray::from(vec!["vm-a", "vm-b"]))),
                ("submission_time", arc(TimestampMillisecondArray::from(vec![1_000, 4_000]))),
                ("duration", arc(Int64Array::from(vec![10, 10]))),
                ("maxCores", arc(Int32Array::from(vec![1, 1]))),
                ("cpu_capacity", arc(Float64Array::from(vec![2000.0, 2000.0]))),
                ("requiredMemory", arc(Int64Array::from(vec![130_023_424, 2_048]))),
                ("nature", arc(StringArray::from(vec![Some("deferrable"), None]))),
            ],
        );
        write(
            &dir.path().join("fragments.parquet"),
            vec![
                ("id", arc(StringArray::from(vec!["vm-b", "vm-a"]))),
                ("timestamp", arc(TimestampMillisecondArray::from(vec![4_000, 1_000]))),
                ("duration", arc(Int64Array::from(vec![10, 10]))),
                ("cpu_count", arc(Int32Array::from(vec![1, 1]))),
                ("cpu_usage", arc(Float64Array::from(vec![5.0, 6.0]))),
            ],
        );
        let t = read_opendc(dir.path(), MemoryUnit::Auto).unwrap();
        assert_eq!(t.labels.as_deref().unwrap(), ["vm-a", "vm-b"]);
        assert_eq!(t.tasks.submit_ms, vec![0, 3_000]);
        // 130,023,424 KiB = 124 GiB = 126,976 MiB; 2,048 KiB = 2 MiB.
        assert_eq!(t.tasks.memory_mib, vec![126_976, 2]);
        assert_eq!(t.fragments.cpu_usage_mhz, vec![6.0, 5.0]);
        assert!(t.notes.iter().any(|n| n.contains("read as KiB")));
    }

    #[test]
    fn epoch_seconds_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join("tasks.parquet"),
            vec![
                ("id", arc(Int64Array::from(vec![1]))),
                ("submission_time", arc(Int64Array::from(vec![1_376_314_846]))),
                ("duration", arc(Int64Array::from(vec![5]))),
                ("cpu_count", arc(Int32Array::from(vec![1]))),
                ("cpu_capacity", arc(Float64Array::from(vec![2100.0]))),
                ("mem_capacity", arc(Int64Array::from(vec![1]))),
            ],
        );
        write(
            &dir.path().join("fragments.parquet"),
            vec![
                ("id", arc(Int64Array::from(Vec::<i64>::new()))),
                ("duration", arc(Int64Array::from(Vec::<i64>::new()))),
                ("cpu_usage", arc(Float64Array::from(Vec::<f64>::new()))),
            ],
        );
        let t = read_opendc(dir.path(), MemoryUnit::Auto).unwrap();
        assert_eq!(t.start_epoch_ms, Some(1_376_314_846_000));
        assert!(t.notes.iter().any(|n| n.contains("epoch seconds")));
        assert!(t.notes.iter().any(|n| n.contains("no fragments")));
    }

    #[test]
    fn errors_name_file_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let tasks = vec![
            ("id", arc(Int32Array::from(vec![1, 2]))),
            ("submission_time", arc(Int64Array::from(vec![0, 0]))),
            ("duration", arc(Int64Array::from(vec![1, 1]))),
            ("cpu_count", arc(Int32Array::from(vec![1, 0]))),
            ("cpu_capacity", arc(Float64Array::from(vec![2100.0, 2100.0]))),
            ("mem_capacity", arc(Int64Array::from(vec![1, 1]))),
        ];
        write(&dir.path().join("tasks.parquet"), tasks);
        write(
            &dir.path().join("fragments.parquet"),
            vec![
                ("id", arc(Int32Array::from(vec![1]))),
                ("duration", arc(Int64Array::from(vec![1]))),
                ("cpu_usage", arc(Float64Array::from(vec![1.0]))),
            ],
        );
        let e = read_opendc(dir.path(), MemoryUnit::Auto).unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(2), Some("cpu_count")), "{e}");
        assert!(e.to_string().contains("tasks.parquet: row 2: `cpu_count`: expected a positive vCPU count"));

        // A fragment of an unknown task; a missing column; not a parquet file.
        write(
            &dir.path().join("tasks.parquet"),
            vec![
                ("id", arc(Int32Array::from(vec![1]))),
                ("submission_time", arc(Int64Array::from(vec![0]))),
                ("duration", arc(Int64Array::from(vec![1]))),
                ("cpu_count", arc(Int32Array::from(vec![1]))),
                ("cpu_capacity", arc(Float64Array::from(vec![2100.0]))),
                ("mem_capacity", arc(Int64Array::from(vec![1]))),
            ],
        );
        write(
            &dir.path().join("fragments.parquet"),
            vec![
                ("id", arc(Int32Array::from(vec![1, 9]))),
                ("duration", arc(Int64Array::from(vec![1, 1]))),
                ("cpu_usage", arc(Float64Array::from(vec![1.0, 1.0]))),
            ],
        );
        let e = read_opendc(dir.path(), MemoryUnit::Auto).unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(2), Some("id")), "{e}");
        write(&dir.path().join("fragments.parquet"), vec![("id", arc(Int32Array::from(vec![1])))]);
        let e = read_opendc(dir.path(), MemoryUnit::Auto).unwrap_err();
        assert!(e.to_string().contains("`duration`: missing column"), "{e}");
        std::fs::write(dir.path().join("fragments.parquet"), "id,duration\n").unwrap();
        let e = read_opendc(dir.path(), MemoryUnit::Auto).unwrap_err();
        assert!(e.to_string().contains("expected a Parquet file"), "{e}");
    }

    #[test]
    fn shipped_surf_week_when_plenum_data_is_set() {
        let Some(data) = crate::trace::test_data_dir() else { return };
        let t = read_opendc(&Path::new(&data).join("opendc-surf-week"), MemoryUnit::Auto).unwrap();
        assert_eq!(t.tasks.len(), 6_295);
        assert_eq!(t.fragments.len(), 2_323_475);
        assert!(t.tasks.cpu_count.iter().all(|&c| c == 16));
        assert!(t.tasks.memory_mib.iter().all(|&m| m == 100_000));
    }
}
