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
//!
//! # Where the time goes (issue 20)
//!
//! Reading the SURF week (2,323,475 fragments in three row groups of three
//! columns, 1.7 MB; 6,295 tasks) is measured with callgrind toggled on
//! `load_workload` on one core (commands and figures in bench/RESULTS.md,
//! "Reading the SURF week trace"). Valgrind counts `rep stosb`/`rep movsb`
//! (the large `memset`/`memcpy`) once a byte, so their "instructions" are
//! bytes, a few percent of the time they seem to be.
//!
//! First round: 1,056 M to 510 M (SipHash look-ups of each fragment's task,
//! value-by-value copies, `TraceBuilder` sorting a second copy, a full sort
//! for a median). Of the 510 M left, 37% was still per-fragment work here
//! (an owner per fragment, a counting sort through a 2.3 M-entry order,
//! copies to an intermediate `i64`/`f64` column each), 15% `TraceBuilder::
//! fragment` (a push with an assert per fragment), 9% the median's
//! selection, 8% the float check (scalar), and 17% the Parquet decoder, of
//! which 47 M its `memset` (it zero-fills every output buffer). The process
//! also took 40,000 page faults: 46 MB of decoded batches and every
//! intermediate column touched fresh memory.
//!
//! Now (153 M, of which 49 M the decoder's `memset` and 33 M the one copy
//! of the 37 MB of fragment columns, both counted by the byte; the decoder
//! proper about 45 M, the reader's own passes about 25 M):
//! - ids are read as runs of one task straight from the `int32`/`int64`
//!   array (blocks of 16 compared with an OR of XORs), one look-up a run;
//! - each run's place in the trace comes from the runs alone (a counting
//!   sort of the runs by their task's submission rank), so the values are
//!   copied once, straight to their place, in or out of task order;
//! - the fragments are read in two passes of a column of a row group at a
//!   time on all cores (ids, then durations and demands), each batch checked
//!   in place (one OR for the durations' signs, eight-lane packed compares
//!   for the floats), copied, and dropped: the allocator hands its memory to
//!   the next batch, and the faults fall to 11,400 (the trace's own columns
//!   and the replay's), from 40,000;
//! - the task durations (the fragments' sums) and the check that all
//!   durations are equal (then that is the median, no selection) are done on
//!   the values as they are placed, in cache; the main thread never walks
//!   the 2.3 M fragments;
//! - the fragment columns are moved into the trace whole; `TraceBuilder`
//!   sees only the tasks, already in submission order.
//!
//! What is left is the Parquet decoder (dictionary and RLE decoding, bit
//! unpacking, Snappy, and its zero-fill), spread over the cores, and the
//! first touch of the trace's 37 MB.

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
use bytes::Bytes;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use plenum_models::workload::{Fragments, TaskSpec, Trace, TraceBuilder};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

const BATCH_ROWS: usize = 64 * 1024;

/// Read all record batches of a parquet file. The decoder runs contained: a
/// corrupt file that makes it panic is an error like any other.
///
/// The file is read into memory once (one read instead of a seek and read
/// per column chunk) and decoded in units of one column of one row group
/// (one row group with all its columns when the schema is nested), on up to
/// `available_parallelism` threads that take the next unit, largest first,
/// until none is left: the SURF week's three row groups of three columns are
/// nine units, which two cores share evenly where whole row groups split 1:2.
/// A row group's batches are then put together from its columns' batches
/// (same batch size, so the same boundaries), in file order: the same rows
/// in the same order as one sequential reader gives, whatever the number of
/// threads. (Batch boundaries may differ; every reader here numbers rows
/// across batches.)
pub(crate) fn batches(path: &Path) -> Result<Vec<RecordBatch>, DataError> {
    let file = ParquetFile::load(path)?;
    let groups = file.groups();
    let schema = file.metadata.schema().clone();
    let fields = schema.fields().len();
    // Flat (every root column one leaf): a unit can be one column.
    let flat = fields > 0 && file.metadata.parquet_schema().num_columns() == fields;
    let per_group = if flat { fields } else { 1 };
    let unit = |u: usize| (u / per_group, flat.then_some(u % per_group));
    let cost = |u: usize| match unit(u) {
        (g, Some(c)) => file.column_bytes(g, c),
        (g, None) => file.metadata.metadata().row_group(g).compressed_size(),
    };
    let decoded = parallel_units(groups * per_group, cost, |u| {
        let (g, column) = unit(u);
        let mut batches = Vec::new();
        file.for_each_batch(path, g, column, |b| {
            batches.push(b.clone());
            Ok(())
        })?;
        Ok::<_, DataError>(batches)
    });
    // The first failing unit in file order.
    let decoded = decoded.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut all = Vec::new();
    for parts in decoded.chunks(per_group) {
        if !flat {
            all.extend(parts.iter().flatten().cloned());
            continue;
        }
        let count = parts[0].len();
        if parts.iter().any(|p| p.len() != count) {
            return Err(DataError::file(
                path,
                "cannot decode Parquet: columns of one row group differ in length",
            ));
        }
        for j in 0..count {
            let columns: Vec<ArrayRef> = parts.iter().map(|p| p[j].column(0).clone()).collect();
            all.push(
                RecordBatch::try_new(schema.clone(), columns)
                    .map_err(|e| DataError::file(path, format!("cannot decode Parquet: {e}")))?,
            );
        }
    }
    Ok(all)
}

/// Run one step of the decoder contained (see [`crate::contain`]).
fn contained_decode<T>(path: &Path, step: impl FnOnce() -> Result<T, DataError>) -> Result<T, DataError> {
    crate::contain::contained(step).unwrap_or_else(|panic| {
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
            if p.null_count() == 0 {
                out.extend(p.values().iter().map(|&v| v as i64));
                return Ok(());
            }
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
            // No nulls and every value valid (checked in one branch-free pass):
            // copy the column; otherwise find the first bad row below.
            if p.null_count() == 0
                && p.values().iter().fold(true, |ok, &v| {
                    let v = v as f64;
                    ok & (v.is_finite() & (v >= 0.0))
                })
            {
                out.extend(p.values().iter().map(|&v| v as f64));
                return Ok(());
            }
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
    if let Some(p) = a.as_primitive_opt::<Float64Type>()
        && p.null_count() == 0
        && all_finite_non_negative(p.values())
    {
        out.extend_from_slice(p.values());
        return Ok(());
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

/// True when every value is finite and not below 0 (so also no NaN), in
/// one pass that compiles to packed SSE2 instructions: in eight lanes, `v * 0`
/// summed stays 0 unless some value is infinite or NaN (which make it NaN),
/// and `if v < low { v } else { low }` (the `minpd` instruction) from 0 goes
/// below 0 only for a negative value (not for -0, which passes as `v >= 0`
/// does).
fn all_finite_non_negative(values: &[f64]) -> bool {
    const LANES: usize = 8;
    let (mut probe, mut low) = ([0.0f64; LANES], [0.0f64; LANES]);
    let blocks = values.chunks_exact(LANES);
    let rest = blocks.remainder();
    for block in blocks {
        for lane in 0..LANES {
            let v = block[lane];
            probe[lane] += v * 0.0;
            low[lane] = if v < low[lane] { v } else { low[lane] };
        }
    }
    probe.iter().all(|&p| p == 0.0)
        && low.iter().all(|&l| l >= 0.0)
        && rest.iter().all(|&v| v.is_finite() && v >= 0.0)
}

/// Non-negative integers of an integer column: durations. The common
/// `int64` column without nulls is checked with one OR over its values (a
/// negative sets the sign bit) and lent as it is; any other is converted
/// into `scratch`.
fn non_negative_ints<'a>(
    path: &Path,
    name: &str,
    a: &'a ArrayRef,
    first_row: u64,
    scratch: &'a mut Vec<i64>,
) -> Result<&'a [i64], DataError> {
    if let Some(p) = a.as_primitive_opt::<Int64Type>()
        && p.null_count() == 0
        && p.values().iter().fold(0i64, |bits, &v| bits | v) >= 0
    {
        return Ok(p.values());
    }
    scratch.clear();
    ints(path, name, a, first_row, scratch)?;
    if let Some(i) = scratch.iter().position(|&v| v < 0) {
        return Err(DataError::at_row(
            path,
            first_row + i as u64,
            name,
            format!("expected a non-negative duration in ms, found {}", scratch[i]),
        ));
    }
    Ok(scratch)
}

/// Float values of a column, checked as [`floats`] does: a `float64` column
/// without nulls or bad values is lent as it is; any other is converted into
/// `scratch`.
fn float_values<'a>(
    path: &Path,
    name: &str,
    a: &'a ArrayRef,
    first_row: u64,
    scratch: &'a mut Vec<f64>,
) -> Result<&'a [f64], DataError> {
    if let Some(p) = a.as_primitive_opt::<Float64Type>()
        && p.null_count() == 0
        && all_finite_non_negative(p.values())
    {
        return Ok(p.values());
    }
    scratch.clear();
    floats(path, name, a, first_row, scratch)?;
    Ok(scratch)
}

/// Runs of equal ids of an integer column without nulls, read in place
/// (`int32` or `int64`): `(id, start, end)` with batch-relative rows.
/// `false` for any other column (read value by value then).
fn id_runs(a: &ArrayRef, runs: &mut Vec<(i64, usize, usize)>) -> bool {
    fn scan<
        T: Copy + Into<i64> + PartialEq + std::ops::BitXor<Output = T> + std::ops::BitOr<Output = T> + Default,
    >(
        values: &[T],
        runs: &mut Vec<(i64, usize, usize)>,
    ) {
        let mut k = 0;
        while k < values.len() {
            let end = k + run_length(&values[k..]);
            runs.push((values[k].into(), k, end));
            k = end;
        }
    }
    if a.null_count() > 0 {
        return false;
    }
    if let Some(p) = a.as_primitive_opt::<Int32Type>() {
        scan(p.values(), runs);
    } else if let Some(p) = a.as_primitive_opt::<Int64Type>() {
        scan(p.values(), runs);
    } else {
        return false;
    }
    true
}

/// Length of the run of values equal to `values[0]` at the start of
/// `values` (0 when empty). Blocks of 16 are compared with an OR of XORs, no
/// early exit (packed, SSE2); the block where the run ends is scanned value
/// by value.
fn run_length<T>(values: &[T]) -> usize
where
    T: Copy + PartialEq + std::ops::BitXor<Output = T> + std::ops::BitOr<Output = T> + Default,
{
    let Some(&first) = values.first() else { return 0 };
    let mut len = 0;
    for block in values.chunks(16) {
        if block.len() == 16 && block.iter().fold(T::default(), |d, &v| d | (v ^ first)) == T::default() {
            len += 16;
        } else {
            return len + block.iter().position(|&v| v != first).unwrap_or(block.len());
        }
    }
    len
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

    let file = ParquetFile::load(fragments_path)?;
    let groups = file.groups();
    let frows = file.rows();
    let column_of = |names: &[&'static str]| -> Result<usize, DataError> {
        let fields = file.metadata.schema().fields();
        names.iter().find_map(|n| fields.iter().position(|f| f.name() == n)).ok_or_else(|| {
            let found: Vec<String> = fields.iter().map(|f| f.name().clone()).collect();
            DataError::column(
                fragments_path,
                names[0],
                format!("missing column (expected one of {names:?}); the file has {found:?}"),
            )
        })
    };
    let id_column = column_of(&["id"])?;
    let text_fragments =
        matches!(file.metadata.schema().field(id_column).data_type(), DataType::Utf8 | DataType::LargeUtf8);
    if text_fragments != labels.is_some() && frows > 0 {
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
    let unknown = |row: u64, id: &dyn std::fmt::Debug| {
        DataError::at_row(
            fragments_path,
            row,
            "id",
            format!("expected the id of a task in {}, found {id:?}", tasks_path.display()),
        )
    };
    // First pass, the ids, each row group on its own: read as runs of one
    // task (a task's fragments follow each other in these files), one
    // look-up a run, not a fragment. Each batch is dropped once read, so its
    // memory serves the next (fresh pages cost a fault each).
    let group_runs = parallel_units(
        groups,
        |g| file.column_bytes(g, id_column),
        |g| {
            let mut runs: Vec<Run> = Vec::new();
            let mut int_ids: Vec<i64> = Vec::new();
            let mut id_runs_of_batch: Vec<(i64, usize, usize)> = Vec::new();
            let mut text_ids = Ids::Text(Vec::new());
            let mut base = file.first_row(g);
            file.for_each_batch(fragments_path, g, id_column, |batch| {
                let first = base as u64 + 1;
                let n = batch.num_rows();
                let id_column = batch.column(0);
                if text_fragments {
                    let Ids::Text(v) = &mut text_ids else { unreachable!("text ids") };
                    v.clear();
                    ids(fragments_path, id_column, first, &mut text_ids)?;
                    let Ids::Text(v) = &text_ids else { unreachable!("text ids") };
                    for (k, s) in v.iter().enumerate() {
                        let task = label_index
                            .get(s.as_str())
                            .copied()
                            .ok_or_else(|| unknown(first + k as u64, s))?;
                        push_run(&mut runs, task, base + k, base + k + 1);
                    }
                } else {
                    id_runs_of_batch.clear();
                    if !id_runs(id_column, &mut id_runs_of_batch) {
                        int_ids.clear();
                        ints(fragments_path, "id", id_column, first, &mut int_ids)?;
                        let mut k = 0;
                        while k < n {
                            let end = k + run_length(&int_ids[k..]);
                            id_runs_of_batch.push((int_ids[k], k, end));
                            k = end;
                        }
                    }
                    for &(id, k, end) in &id_runs_of_batch {
                        let row = first + k as u64;
                        if id < 0 {
                            return Err(DataError::at_row(
                                fragments_path,
                                row,
                                "id",
                                format!("expected a non-negative id, found {id}"),
                            ));
                        }
                        let task = index.get(&(id as u64)).copied().ok_or_else(|| unknown(row, &id))?;
                        push_run(&mut runs, task, base + k, base + end);
                    }
                }
                base += n;
                Ok(())
            })?;
            Ok(runs)
        },
    );
    let mut runs: Vec<Run> = Vec::new();
    for part in group_runs {
        for r in part? {
            push_run(&mut runs, r.task, r.start, r.end);
        }
    }

    // Tasks in the order `TraceBuilder::finish` would put them in (a stable
    // sort by submission time); each task's fragments in file order. Each
    // run's place in the trace follows from the runs alone: a stable sort of
    // the runs by their task's rank.
    let submit_ms: Vec<u64> = submit.iter().map(|&s| ((s - min) * factor) as u64).collect();
    let mut task_order: Vec<usize> = (0..task_ids.len()).collect();
    task_order.sort_by_key(|&i| submit_ms[i]);
    let mut rank = vec![0u32; task_ids.len()];
    for (r, &i) in task_order.iter().enumerate() {
        rank[i] = r as u32;
    }
    // A counting sort (stable) of the runs by rank.
    let mut first_of_rank = vec![0usize; task_ids.len() + 1];
    for r in &runs {
        first_of_rank[rank[r.task as usize] as usize + 1] += 1;
    }
    for i in 1..first_of_rank.len() {
        first_of_rank[i] += first_of_rank[i - 1];
    }
    let mut by_rank = vec![0usize; runs.len()];
    for (i, r) in runs.iter().enumerate() {
        let slot = &mut first_of_rank[rank[r.task as usize] as usize];
        by_rank[*slot] = i;
        *slot += 1;
    }
    let mut destination = vec![0usize; runs.len()];
    let mut placed: Vec<Run> = Vec::with_capacity(runs.len());
    let mut at = 0usize;
    for &r in &by_rank {
        destination[r] = at;
        let len = runs[r].end - runs[r].start;
        push_run(&mut placed, runs[r].task, at, at + len);
        at += len;
    }
    // The runs cut at row-group ends: pieces, in file order, each with its
    // place in the trace.
    let mut pieces: Vec<(usize, usize, usize, u32)> = Vec::with_capacity(runs.len() + groups); // (group, len, to, task)
    let mut g = 0;
    for (r, run) in runs.iter().enumerate() {
        let mut start = run.start;
        while start < run.end {
            while file.first_row(g + 1) <= start {
                g += 1;
            }
            let end = run.end.min(file.first_row(g + 1));
            pieces.push((g, end - start, destination[r] + (start - run.start), run.task));
            start = end;
        }
    }

    // Second pass, the values: each column of each row group decoded on its
    // own (on all cores), its batches checked in place and copied straight
    // to their places in the trace, then dropped. Every value is written
    // once, whether or not the file is in task order; the zeroed columns
    // come from the allocator's fresh pages, no pass of their own.
    let mut duration_ms = vec![0u64; frows];
    let mut cpu_usage_mhz = vec![0.0f64; frows];
    let duration_column = column_of(&["duration"])?;
    let usage_column = column_of(&["cpu_usage"])?;
    let duration_jobs = split_by_group(&mut duration_ms, &pieces, groups);
    let usage_jobs = split_by_group(&mut cpu_usage_mhz, &pieces, groups);
    enum Job<'a> {
        Duration(Vec<&'a mut [u64]>),
        Usage(Vec<&'a mut [f64]>),
    }
    let jobs: Vec<std::sync::Mutex<Option<(usize, Job)>>> = duration_jobs
        .into_iter()
        .enumerate()
        .map(|(g, p)| (g, Job::Duration(p)))
        .chain(usage_jobs.into_iter().enumerate().map(|(g, p)| (g, Job::Usage(p))))
        .map(|j| std::sync::Mutex::new(Some(j)))
        .collect();
    let job_bytes = |u: usize| {
        let (g, column) = if u < groups { (u, duration_column) } else { (u - groups, usage_column) };
        file.column_bytes(g, column)
    };
    let outcomes = parallel_units(jobs.len(), job_bytes, |u| {
        let (g, job) = jobs[u].lock().expect("a job is taken once").take().expect("a job is taken once");
        let mut first = file.first_row(g) as u64 + 1;
        let (mut duration_scratch, mut usage_scratch) = (Vec::new(), Vec::new());
        match job {
            Job::Duration(mut to) => {
                // Each piece's sum (for its task's duration), and whether
                // every duration equals the first (for the median), on the
                // values just written.
                let mut at = (0, 0);
                let mut sums = vec![0u64; to.len()];
                let (mut d0, mut diff) = (None, 0u64);
                file.for_each_batch(fragments_path, g, duration_column, |batch| {
                    let values = non_negative_ints(
                        fragments_path,
                        "duration",
                        batch.column(0),
                        first,
                        &mut duration_scratch,
                    )?;
                    scatter(
                        values,
                        &mut to,
                        &mut at,
                        |&v| v as u64,
                        |p, part| {
                            let d0 = *d0.get_or_insert(part[0]);
                            let (sum, x) = part.iter().fold((0u64, 0u64), |(s, x), &d| (s + d, x | (d ^ d0)));
                            sums[p] += sum;
                            diff |= x;
                        },
                    );
                    first += batch.num_rows() as u64;
                    Ok(())
                })?;
                Ok(Some((sums, d0, diff)))
            }
            Job::Usage(mut to) => {
                let mut at = (0, 0);
                file.for_each_batch(fragments_path, g, usage_column, |batch| {
                    let values = float_values(
                        fragments_path,
                        "cpu_usage",
                        batch.column(0),
                        first,
                        &mut usage_scratch,
                    )?;
                    scatter(values, &mut to, &mut at, |&v| v, |_, _| {});
                    first += batch.num_rows() as u64;
                    Ok(())
                })?;
                Ok(None)
            }
        }
    });
    // The first error in file order: every row group's durations, then its
    // demands. Then the tasks' sums of fragment durations, from the pieces'.
    let mut task_sum = vec![0u64; task_ids.len()];
    let mut pieces_of_group: Vec<Vec<u32>> = vec![Vec::new(); groups];
    for &(g, _, _, task) in &pieces {
        pieces_of_group[g].push(task);
    }
    let (mut first_duration, mut durations_differ) = (None, 0u64);
    for (unit, outcome) in outcomes.into_iter().enumerate() {
        let Some((sums, d0, diff)) = outcome? else { continue };
        for (&task, sum) in pieces_of_group[unit].iter().zip(sums) {
            task_sum[task as usize] += sum;
        }
        if let Some(d0) = d0 {
            durations_differ |= diff | (d0 ^ *first_duration.get_or_insert(d0));
        }
    }
    drop(jobs);
    let runs = placed;
    // Every duration equal to the first (as in the SURF week, checked as they
    // were placed): that is the median, without a selection.
    let all_equal = durations_differ == 0;
    if !duration_ms.is_empty() {
        let median = if all_equal {
            duration_ms[0]
        } else {
            // The element a full sort would put in the middle, found in linear time.
            let mut scratch = duration_ms.clone();
            let middle = scratch.len() / 2;
            *scratch.select_nth_unstable(middle).1
        };
        b.note(format!("fragments: duration read as ms (median {median} ms), cpu_usage as MHz"));
    }
    let mut fragment_start = Vec::with_capacity(task_ids.len() + 1);
    fragment_start.push(0u64);
    let mut task_durations = Vec::with_capacity(task_ids.len());
    let mut mismatched = 0usize;
    let mut without_fragments = 0usize;
    let mut next_run = runs.iter().peekable();
    for &i in &task_order {
        let run = next_run.next_if(|r| r.task as usize == i);
        let Some(run) = run else {
            without_fragments += 1;
            task_durations.push(duration[i] as u64);
            fragment_start.push(*fragment_start.last().expect("offsets"));
            continue;
        };
        let sum = task_sum[i];
        if sum != duration[i] as u64 {
            mismatched += 1;
        }
        task_durations.push(sum);
        fragment_start.push(run.end as u64);
    }
    debug_assert!(next_run.next().is_none(), "every run belongs to a task in order");

    b.reserve(task_ids.len(), 0);
    for (&i, &duration_ms) in task_order.iter().zip(&task_durations) {
        b.task(TaskSpec {
            id: task_ids[i],
            submit_ms: submit_ms[i],
            duration_ms,
            cpu_count: cpu_count[i] as u32,
            cpu_capacity_mhz: cpu_capacity[i],
            memory_mib: unit.to_mib(memory[i] as u64),
        });
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
        b.labels(task_order.iter().map(|&i| l[i].clone()).collect());
    }
    // The builder holds the tasks in order, with their durations already the
    // fragments' sums; the fragment columns join it whole (not value by value).
    let mut trace = b.finish();
    trace.tasks.fragment_start = fragment_start;
    trace.fragments = Fragments { duration_ms, cpu_usage_mhz };
    Ok(trace)
}

/// A Parquet file read into memory once (one read instead of a seek and read
/// per column chunk), with its metadata, for decoding a column of a row
/// group at a time.
struct ParquetFile {
    bytes: Bytes,
    metadata: ArrowReaderMetadata,
    /// Row of each row group's first row, and the file's row count last, as
    /// the metadata says (each row group's count is checked when decoded).
    group_start: Vec<usize>,
}

impl ParquetFile {
    fn load(path: &Path) -> Result<Self, DataError> {
        let mut bytes = Vec::new();
        open(path)?
            .read_to_end(&mut bytes)
            .map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
        let bytes = Bytes::from(bytes);
        let metadata = contained_decode(path, || {
            ArrowReaderMetadata::load(&bytes, ArrowReaderOptions::new())
                .map_err(|e| DataError::file(path, format!("expected a Parquet file: {e}")))
        })?;
        let mut group_start = vec![0usize];
        for g in metadata.metadata().row_groups() {
            group_start
                .push(group_start.last().expect("a start").saturating_add(g.num_rows().max(0) as usize));
        }
        Ok(ParquetFile { bytes, metadata, group_start })
    }

    fn groups(&self) -> usize {
        self.group_start.len() - 1
    }

    fn rows(&self) -> usize {
        *self.group_start.last().expect("a start")
    }

    /// The file's row of row group `g`'s first row (`g` = groups: the end).
    fn first_row(&self, g: usize) -> usize {
        self.group_start[g.min(self.groups())]
    }

    /// Compressed size of a column of a row group (the flat schemas read
    /// here have one leaf a column), to schedule the largest first.
    fn column_bytes(&self, g: usize, column: usize) -> i64 {
        let group = self.metadata.metadata().row_group(g);
        if column < group.num_columns() { group.column(column).compressed_size() } else { 0 }
    }

    /// Decode one column of row group `g` (all columns for `None`),
    /// contained (see [`contained_decode`]), and hand each batch to `each`,
    /// then drop it. The batches must add up to the row group's rows.
    fn for_each_batch(
        &self,
        path: &Path,
        g: usize,
        column: impl Into<Option<usize>>,
        mut each: impl FnMut(&RecordBatch) -> Result<(), DataError>,
    ) -> Result<(), DataError> {
        let column = column.into();
        contained_decode(path, || {
            let mut builder =
                ParquetRecordBatchReaderBuilder::new_with_metadata(self.bytes.clone(), self.metadata.clone())
                    .with_row_groups(vec![g])
                    .with_batch_size(BATCH_ROWS);
            if let Some(c) = column {
                builder = builder.with_projection(ProjectionMask::roots(self.metadata.parquet_schema(), [c]));
            }
            let reader =
                builder.build().map_err(|e| DataError::file(path, format!("cannot read Parquet: {e}")))?;
            let mut rows = 0;
            for batch in reader {
                let batch =
                    batch.map_err(|e| DataError::file(path, format!("cannot decode Parquet: {e}")))?;
                rows += batch.num_rows();
                each(&batch)?;
            }
            if rows != self.first_row(g + 1) - self.first_row(g) {
                return Err(DataError::file(path, format!("cannot decode Parquet: row group {g} is short")));
            }
            Ok(())
        })
    }
}

/// Run `work` on units `0..count` on up to `available_parallelism` threads,
/// each taking the next unit (largest `cost` first) until none is left; the
/// results in unit order, whatever the schedule.
fn parallel_units<T: Send>(
    count: usize,
    cost: impl Fn(usize) -> i64,
    work: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let mut schedule: Vec<usize> = (0..count).collect();
    schedule.sort_by_key(|&u| std::cmp::Reverse(cost(u)));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, count.max(1));
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&u) = schedule.get(k) else { return done };
            done.push((u, work(u)));
        }
    };
    let finished: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut all = worker();
        for h in helpers {
            all.extend(h.join().expect("a unit's work contains its panics"));
        }
        all
    });
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (u, r) in finished {
        results[u] = Some(r);
    }
    results.into_iter().map(|r| r.expect("every unit done")).collect()
}

/// Cut `column` into the pieces' places (`(group, len, to, _)`, which tile it)
/// and hand each row group its pieces, in file order.
fn split_by_group<'a, T>(
    column: &'a mut [T],
    pieces: &[(usize, usize, usize, u32)],
    groups: usize,
) -> Vec<Vec<&'a mut [T]>> {
    let mut by_place: Vec<usize> = (0..pieces.len()).collect();
    by_place.sort_unstable_by_key(|&p| pieces[p].2);
    let mut slot: Vec<Option<&'a mut [T]>> = (0..pieces.len()).map(|_| None).collect();
    let mut rest = column;
    for &p in &by_place {
        let (here, after) = std::mem::take(&mut rest).split_at_mut(pieces[p].1);
        slot[p] = Some(here);
        rest = after;
    }
    let mut jobs: Vec<Vec<&'a mut [T]>> = (0..groups).map(|_| Vec::new()).collect();
    for (p, s) in slot.into_iter().enumerate() {
        jobs[pieces[p].0].push(s.expect("the pieces tile the column"));
    }
    jobs
}

/// Copy `values` (converted) into the pieces `to`, going on from `at`
/// (piece, offset in it), where the last batch stopped; `written` sees each
/// part written (piece, values) while it is in cache.
fn scatter<S, T>(
    values: &[S],
    to: &mut [&mut [T]],
    at: &mut (usize, usize),
    convert: impl Fn(&S) -> T,
    mut written: impl FnMut(usize, &[T]),
) {
    let mut values = values;
    while !values.is_empty() {
        let piece = &mut to[at.0][at.1..];
        let n = piece.len().min(values.len());
        for (d, s) in piece[..n].iter_mut().zip(&values[..n]) {
            *d = convert(s);
        }
        written(at.0, &piece[..n]);
        values = &values[n..];
        at.1 += n;
        if at.1 == to[at.0].len() {
            *at = (at.0 + 1, 0);
        }
    }
}

/// Consecutive fragments `start..end` (indices into the fragment columns) of
/// one task.
#[derive(Debug, Clone, Copy)]
struct Run {
    task: u32,
    start: usize,
    end: usize,
}

/// Append fragments `start..end` of `task`, extending the last run when it is
/// the same task's and ends at `start`.
fn push_run(runs: &mut Vec<Run>, task: u32, start: usize, end: usize) {
    match runs.last_mut() {
        Some(last) if last.task == task && last.end == start => last.end = end,
        _ => runs.push(Run { task, start, end }),
    }
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

    /// Fragments as the reader must return them: tasks by submission time
    /// (stable), each task's fragments in file order.
    fn reference_fragments(
        task_ids: &[i32],
        submit: &[i64],
        fragment_ids: &[i32],
        duration: &[i64],
    ) -> (Vec<u64>, Vec<f64>, Vec<u64>) {
        let mut order: Vec<usize> = (0..task_ids.len()).collect();
        order.sort_by_key(|&i| submit[i]);
        let (mut d, mut u, mut start) = (Vec::new(), Vec::new(), vec![0u64]);
        for &i in &order {
            for (f, &id) in fragment_ids.iter().enumerate() {
                if id == task_ids[i] {
                    d.push(duration[f] as u64);
                    u.push(f as f64 + 0.5);
                }
            }
            start.push(d.len() as u64);
        }
        (d, u, start)
    }

    #[test]
    fn fragments_across_row_groups_in_and_out_of_task_order() {
        use parquet::file::properties::WriterProperties;
        let dir = tempfile::tempdir().unwrap();
        let task_ids = vec![10, 11, 12, 13, 14];
        // Task 13 has no fragments; 10 and 12 are submitted together (kept in file order).
        let submit = vec![0i64, 300, 0, 600, 900];
        write(
            &dir.path().join("tasks.parquet"),
            vec![
                ("id", arc(Int32Array::from(task_ids.clone()))),
                ("submission_time", arc(Int64Array::from(submit.clone()))),
                ("duration", arc(Int64Array::from(vec![1i64; 5]))),
                ("cpu_count", arc(Int32Array::from(vec![1; 5]))),
                ("cpu_capacity", arc(Float64Array::from(vec![2100.0; 5]))),
                ("mem_capacity", arc(Int64Array::from(vec![1i64; 5]))),
            ],
        );
        // In task order (10, 12, 11, 14), then shuffled: a task split in two
        // runs, runs crossing the row groups of 7 rows.
        let in_order: Vec<i32> = [vec![10; 9], vec![12; 20], vec![11; 3], vec![14; 8]].concat();
        let shuffled: Vec<i32> = [vec![14; 4], vec![11; 3], vec![10; 9], vec![14; 4], vec![12; 20]].concat();
        for ids in [in_order, shuffled] {
            let duration: Vec<i64> = (0..ids.len() as i64).map(|k| 1_000 + k).collect();
            let usage: Vec<f64> = (0..ids.len()).map(|k| k as f64 + 0.5).collect();
            let columns = vec![
                ("id", arc(Int32Array::from(ids.clone()))),
                ("duration", arc(Int64Array::from(duration.clone()))),
                ("cpu_usage", arc(Float64Array::from(usage))),
            ];
            let schema = Arc::new(Schema::new(
                columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), false)).collect::<Vec<_>>(),
            ));
            let batch =
                RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
            let props = WriterProperties::builder().set_max_row_group_row_count(Some(7)).build();
            let file = std::fs::File::create(dir.path().join("fragments.parquet")).unwrap();
            let mut w = ArrowWriter::try_new(file, schema, Some(props)).unwrap();
            w.write(&batch).unwrap();
            w.close().unwrap();
            assert_eq!(ParquetFile::load(&dir.path().join("fragments.parquet")).unwrap().groups(), 6);
            let t = read_opendc(dir.path(), MemoryUnit::Auto).unwrap();
            let (d, u, start) = reference_fragments(&task_ids, &submit, &ids, &duration);
            assert_eq!(t.tasks.id, vec![10, 12, 11, 13, 14]);
            assert_eq!(t.fragments.duration_ms, d);
            assert_eq!(t.fragments.cpu_usage_mhz, u);
            assert_eq!(t.tasks.fragment_start, start);
            // Durations are the fragments' sums; task 13 keeps its own.
            let sums: Vec<u64> =
                start.windows(2).map(|w| d[w[0] as usize..w[1] as usize].iter().sum()).collect();
            assert_eq!(t.tasks.duration_ms, [&sums[..3], &[1], &sums[4..]].concat());
            assert!(t.notes.iter().any(|n| n.contains("1 tasks have no fragments")), "{:?}", t.notes);
            assert!(t.notes.iter().any(|n| n.contains("(median 1020 ms)")), "{:?}", t.notes);
        }
    }

    #[test]
    fn corrupt_fragment_files_are_errors_or_traces_never_panics() {
        use parquet::file::properties::WriterProperties;
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join("tasks.parquet"),
            vec![
                ("id", arc(Int32Array::from(vec![1, 2]))),
                ("submission_time", arc(Int64Array::from(vec![0i64, 5]))),
                ("duration", arc(Int64Array::from(vec![1i64; 2]))),
                ("cpu_count", arc(Int32Array::from(vec![1; 2]))),
                ("cpu_capacity", arc(Float64Array::from(vec![2100.0; 2]))),
                ("mem_capacity", arc(Int64Array::from(vec![1i64; 2]))),
            ],
        );
        let ids: Vec<i32> = (0..30).map(|k| if k % 11 < 6 { 2 } else { 1 }).collect();
        let columns = vec![
            ("id", arc(Int32Array::from(ids))),
            ("duration", arc(Int64Array::from((0..30).collect::<Vec<i64>>()))),
            ("cpu_usage", arc(Float64Array::from((0..30).map(f64::from).collect::<Vec<_>>()))),
        ];
        let schema = Arc::new(Schema::new(
            columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), false)).collect::<Vec<_>>(),
        ));
        let batch =
            RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
        let props = WriterProperties::builder().set_max_row_group_row_count(Some(8)).build();
        let mut good = Vec::new();
        let mut w = ArrowWriter::try_new(&mut good, schema, Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let fragments = dir.path().join("fragments.parquet");
        // Every fourth byte in turn set to 0xff or its bits flipped (a few
        // seconds in debug): the read returns (an error or a trace that holds
        // its invariants), whatever the byte.
        for at in (0..good.len()).step_by(4) {
            for corrupt in [|_: u8| 0xff, |b: u8| !b] {
                let mut bytes = good.clone();
                bytes[at] = corrupt(bytes[at]);
                std::fs::write(&fragments, &bytes).unwrap();
                if let Ok(t) = read_opendc(dir.path(), MemoryUnit::Auto) {
                    assert_eq!(t.tasks.fragment_start.len(), t.tasks.len() + 1);
                    assert_eq!(*t.tasks.fragment_start.last().unwrap() as usize, t.fragments.len());
                    assert_eq!(t.fragments.cpu_usage_mhz.len(), t.fragments.len());
                }
            }
        }
    }

    #[test]
    fn packed_checks_agree_with_value_by_value_ones() {
        let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e-300, -5.0];
        for len in [0, 1, 7, 8, 9, 16, 23] {
            let good: Vec<f64> = (0..len).map(|k| k as f64 * 1.5).collect();
            assert!(all_finite_non_negative(&good), "{good:?}");
            for at in 0..len {
                for &b in &bad {
                    let mut v = good.clone();
                    v[at] = b;
                    assert!(!all_finite_non_negative(&v), "{v:?}");
                }
                // -0 is not below 0, as for the value-by-value check.
                let mut v = good.clone();
                v[at] = -0.0;
                assert!(all_finite_non_negative(&v), "{v:?}");
            }
        }
        for len in [1usize, 15, 16, 17, 40] {
            for end in 1..=len {
                let v: Vec<i64> = (0..len).map(|k| if k < end { 7 } else { 8 }).collect();
                assert_eq!(run_length(&v), end, "{v:?}");
            }
        }
        assert_eq!(run_length::<i32>(&[]), 0);
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
