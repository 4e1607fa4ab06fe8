//! Writing results: JSON summaries, Parquet and CSV tables, into an output
//! folder that appears whole or not at all.
//!
//! [`OutputDir`] stages every file in a sibling temporary folder and renames it
//! into place on [`OutputDir::commit`]; a run killed before that leaves the
//! previous results untouched (the staging folder, named `.NAME.partial-PID`,
//! is never read as results). Parquet files carry each column's description in
//! the field metadata (`description`) and the table's in the file metadata.
//! [`StreamingSeries`] writes a replay's per-host series into the staging
//! folder as the replay produces it.

use crate::staging;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use plenum_engine::workload::{ClusterRow, SeriesSink, TableSink, host_series_table};
use plenum_engine::{ColumnValues, DataTable};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file that marks a folder as written by Plenum and lists the files
/// Plenum put in it. Only a folder holding it and nothing else than those
/// files (or an empty folder, or a new path) is replaced by a run folder: any
/// other folder holds a user's files, and replacing it would delete them.
pub const RUN_FOLDER_MARKER: &str = ".plenum-run";

/// The marker's first paragraph; the file names follow, one a line, after a
/// blank line (fixed text and sorted names: run folders stay byte-identical).
const MARKER_TEXT: &str = "This folder was written by Plenum (`--out`). Plenum replaces it whole when \
asked to write here again, as long as it holds only the files listed below; it never replaces \
a folder holding anything else.\n";

/// The files a marker lists, or `None` when `dir` has no readable marker.
fn marked_files(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(RUN_FOLDER_MARKER)).ok()?;
    let (_, names) = text.split_once("\n\n")?;
    Some(names.lines().map(str::to_string).collect())
}

/// Why a run folder may not replace `target`, if it may not: it is a file,
/// or a folder holding anything but the files its [`RUN_FOLDER_MARKER`] lists
/// (the message names a few of them).
pub fn refuse_folder(target: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(target).ok()?;
    if !meta.is_dir() {
        return Some(format!(
            "{} exists and is not a folder: Plenum writes a run folder here and replaces only folders \
             it wrote; choose a new path",
            target.display()
        ));
    }
    let mut names: Vec<String> = match std::fs::read_dir(target) {
        Ok(entries) => {
            entries.filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned())).collect()
        }
        Err(e) => return Some(format!("{}: cannot list the folder: {e}", target.display())),
    };
    names.sort();
    let (what, foreign): (&str, Vec<String>) = match marked_files(target) {
        Some(listed) => (
            "holds files Plenum did not write",
            names.into_iter().filter(|n| n != RUN_FOLDER_MARKER && !listed.contains(n)).collect(),
        ),
        None => ("is a folder Plenum did not write", names),
    };
    if foreign.is_empty() {
        return None;
    }
    let shown = foreign.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = if foreign.len() > 3 { format!(" and {} more", foreign.len() - 3) } else { String::new() };
    Some(format!(
        "{} {what} ({shown}{more}): refusing to replace it; choose a new path, or an empty folder",
        target.display()
    ))
}

/// An output folder being written.
pub struct OutputDir {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Start writing results meant for `target` (removing what runs killed
    /// before they finished left beside it, see [`crate::staging`]).
    /// A target that is a file or a folder Plenum did not write is refused
    /// ([`refuse_folder`]).
    pub fn create(target: &Path) -> io::Result<OutputDir> {
        if let Some(refusal) = refuse_folder(target) {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, refusal));
        }
        let staging = staging::staging_path(target)?;
        staging::remove_stale(target)?;
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        staging::register(&staging);
        if let Err(e) = std::fs::create_dir_all(&staging) {
            let _ = std::fs::remove_dir_all(&staging);
            staging::unregister(&staging);
            return Err(e);
        }
        Ok(OutputDir { staging, target: target.to_path_buf(), committed: false })
    }

    /// Path of a file inside the staging folder.
    pub fn path(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// Write a JSON value.
    pub fn write_json(&self, file: &str, value: &serde_json::Value) -> io::Result<()> {
        let mut out = BufWriter::new(File::create(self.path(file))?);
        serde_json::to_writer_pretty(&mut out, value)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Write bytes as they are.
    pub fn write_bytes(&self, file: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.path(file), bytes)
    }

    /// Write a table as `NAME.parquet` (and `NAME.csv` when `csv`).
    pub fn write_table(&self, table: &DataTable, csv: bool) -> io::Result<()> {
        write_parquet(table, &self.path(&format!("{}.parquet", table.name)))?;
        if csv {
            write_csv(table, &self.path(&format!("{}.csv", table.name)))?;
        }
        Ok(())
    }

    /// Move the finished folder into place, replacing earlier results.
    ///
    /// The earlier folder is moved aside (`.NAME.partial-PID.old`), the new
    /// one renamed into place, then the old one removed; a process killed
    /// between the two renames leaves the old folder for the next run to put
    /// back ([`crate::staging`]).
    pub fn commit(mut self) -> io::Result<PathBuf> {
        self.write_marker()?;
        let old = PathBuf::from(format!("{}.old", self.staging.display()));
        let replacing = self.target.exists();
        let renamed =
            staging::commit(&self.target, &self.staging, replacing.then_some(old.as_path()), || {
                if replacing {
                    std::fs::rename(&self.target, &old)?;
                }
                std::fs::rename(&self.staging, &self.target)
            });
        if let Err(e) = renamed {
            // Put the earlier results back if they were moved aside (Drop
            // removes the staging folder).
            if old.exists() && !self.target.exists() {
                let _ = std::fs::rename(&old, &self.target);
            }
            staging::unregister(&old);
            return Err(e);
        }
        self.committed = true;
        let removed = if replacing { std::fs::remove_dir_all(&old) } else { Ok(()) };
        staging::unregister(&old);
        removed?;
        Ok(self.target.clone())
    }
}

impl OutputDir {
    /// Write [`RUN_FOLDER_MARKER`] listing every file staged, sorted.
    fn write_marker(&self) -> io::Result<()> {
        let mut names: Vec<String> = std::fs::read_dir(&self.staging)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<io::Result<_>>()?;
        names.retain(|n| n != RUN_FOLDER_MARKER);
        names.sort();
        let mut text = format!("{MARKER_TEXT}\n");
        for name in names {
            text.push_str(&name);
            text.push('\n');
        }
        std::fs::write(self.staging.join(RUN_FOLDER_MARKER), text)
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
            staging::unregister(&self.staging);
        }
    }
}

fn arrow_column(values: &ColumnValues) -> (DataType, ArrayRef) {
    match values {
        ColumnValues::F64(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
        ColumnValues::OptF64(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
        ColumnValues::U64(v) => (DataType::UInt64, Arc::new(UInt64Array::from(v.clone()))),
        ColumnValues::I64(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
        ColumnValues::Text(v) => (DataType::Utf8, Arc::new(StringArray::from(v.clone()))),
        ColumnValues::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
    }
}

/// A table as an Arrow record batch, column descriptions in field metadata.
pub fn record_batch(table: &DataTable) -> RecordBatch {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = table
        .columns
        .iter()
        .map(|c| {
            let (data_type, array) = arrow_column(&c.values);
            let nullable = matches!(c.values, ColumnValues::OptF64(_));
            let mut metadata = HashMap::from([("description".to_string(), c.description.clone())]);
            if let Some(unit) = &c.unit {
                metadata.insert("unit".to_string(), unit.clone());
            }
            let field = Field::new(&c.name, data_type, nullable).with_metadata(metadata);
            (field, array)
        })
        .unzip();
    let schema = Schema::new(fields)
        .with_metadata(HashMap::from([("description".to_string(), table.description.clone())]));
    RecordBatch::try_new(Arc::new(schema), arrays).expect("columns of a DataTable have equal lengths")
}

/// Write a table as Parquet (Snappy-compressed).
pub fn write_parquet(table: &DataTable, path: &Path) -> io::Result<()> {
    write_parquet_to(table, File::create(path)?)
}

/// A table as the bytes of a Parquet file (for `atomic_file::replace_file`).
pub fn parquet_bytes(table: &DataTable) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_parquet_to(table, &mut bytes)?;
    Ok(bytes)
}

/// Snappy, and the table's description in the file metadata.
fn properties(table: &DataTable) -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![KeyValue::new("plenum.table".into(), table.description.clone())]))
        .build()
}

fn write_parquet_to<W: io::Write + Send>(table: &DataTable, sink: W) -> io::Result<()> {
    let batch = record_batch(table);
    let mut writer =
        ArrowWriter::try_new(sink, batch.schema(), Some(properties(table))).map_err(io::Error::other)?;
    writer.write(&batch).map_err(io::Error::other)?;
    writer.close().map_err(io::Error::other)?;
    Ok(())
}

/// Rows of the per-host series buffered before they go to the files.
const HOST_ROWS_PER_CHUNK: usize = 64 * 1024;

/// A replay's [`SeriesSink`] for runs with an output folder: the fleet's
/// series (one row a sample, needed for the facility year) is kept in a
/// [`TableSink`]; the per-host series (hosts × samples rows, gigabytes for a
/// long replay of a large fleet) goes to `workload_host_series.parquet` (and
/// `.csv`) in the folder's staging area a chunk at a time, so memory stays
/// bounded (64 Ki rows here, plus the Parquet writer's open row group).
pub struct StreamingSeries {
    cluster: TableSink,
    parquet: Option<ArrowWriter<File>>,
    csv: Option<csv::Writer<File>>,
    path: PathBuf,
    chunk: (Vec<f64>, Vec<u64>, Vec<f64>, Vec<f64>),
    /// The first write error: a sink cannot fail mid-replay, so it is kept
    /// for [`StreamingSeries::finish`].
    error: Option<io::Error>,
}

impl StreamingSeries {
    /// Stream into `out` (also as CSV when `csv`).
    pub fn create(out: &OutputDir, csv: bool) -> io::Result<StreamingSeries> {
        let path = out.path("workload_host_series.parquet");
        let csv = if csv {
            let mut w = csv::Writer::from_path(out.path("workload_host_series.csv"))?;
            w.write_record(["time_s", "host", "power_w", "utilization"])?;
            Some(w)
        } else {
            None
        };
        Ok(StreamingSeries {
            cluster: TableSink::new(false),
            parquet: None,
            csv,
            path,
            chunk: Default::default(),
            error: None,
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        let (t, h, p, u) = std::mem::take(&mut self.chunk);
        if t.is_empty() {
            return Ok(());
        }
        if let Some(w) = &mut self.csv {
            for i in 0..t.len() {
                w.write_record([t[i].to_string(), h[i].to_string(), p[i].to_string(), u[i].to_string()])?;
            }
        }
        let table = host_series_table(t, h, p, u);
        let batch = record_batch(&table);
        if self.parquet.is_none() {
            let file = File::create(&self.path)?;
            self.parquet = Some(
                ArrowWriter::try_new(file, batch.schema(), Some(properties(&table)))
                    .map_err(io::Error::other)?,
            );
        }
        let writer = self.parquet.as_mut().expect("opened above");
        writer.write(&batch).map_err(io::Error::other)
    }

    /// Close the files and return the tables kept in memory (the fleet's
    /// series), or the first write error.
    pub fn finish(mut self) -> io::Result<Vec<DataTable>> {
        if self.parquet.is_none() && self.chunk.0.is_empty() && self.error.is_none() {
            // No sample at all: still write an empty table, as the in-memory sink would.
            let table = host_series_table(Vec::new(), Vec::new(), Vec::new(), Vec::new());
            write_parquet(&table, &self.path)?;
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.flush()?;
        if let Some(w) = self.parquet.take() {
            w.close().map_err(io::Error::other)?;
        }
        if let Some(mut w) = self.csv.take() {
            w.flush()?;
        }
        Ok(std::mem::take(&mut self.cluster).into_tables())
    }
}

impl SeriesSink for StreamingSeries {
    fn cluster(&mut self, row: &ClusterRow) {
        self.cluster.cluster(row);
    }

    fn wants_hosts(&self) -> bool {
        true
    }

    fn hosts(&mut self, time_ms: u64, power_w: &[f64], utilization: &[f64]) {
        if self.error.is_some() {
            return;
        }
        let time_s = time_ms as f64 / 1000.0;
        for (h, (&p, &u)) in power_w.iter().zip(utilization).enumerate() {
            self.chunk.0.push(time_s);
            self.chunk.1.push(h as u64);
            self.chunk.2.push(p);
            self.chunk.3.push(u);
            if self.chunk.0.len() == HOST_ROWS_PER_CHUNK
                && let Err(e) = self.flush()
            {
                self.error = Some(e);
                return;
            }
        }
    }
}

/// Write a table as CSV with a header row.
pub fn write_csv(table: &DataTable, path: &Path) -> io::Result<()> {
    write_csv_to(table, csv::Writer::from_path(path)?)
}

/// A table as CSV bytes with a header row (for [`crate::atomic_file`]).
pub fn csv_bytes(table: &DataTable) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_csv_to(table, csv::Writer::from_writer(&mut bytes))?;
    Ok(bytes)
}

fn write_csv_to<W: io::Write>(table: &DataTable, mut writer: csv::Writer<W>) -> io::Result<()> {
    writer.write_record(table.columns.iter().map(|c| c.name.as_str()))?;
    for row in 0..table.rows() {
        writer.write_record(table.columns.iter().map(|c| match &c.values {
            ColumnValues::F64(v) => v[row].to_string(),
            ColumnValues::OptF64(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            ColumnValues::U64(v) => v[row].to_string(),
            ColumnValues::I64(v) => v[row].to_string(),
            ColumnValues::Text(v) => v[row].clone(),
            ColumnValues::Bool(v) => v[row].to_string(),
        }))?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DataTable {
        DataTable::new("t", "test rows")
            .with("a_kw", "power", ColumnValues::F64(vec![1.0, 2.5]))
            .with("n", "count", ColumnValues::U64(vec![3, 4]))
            .with("name", "label", ColumnValues::Text(vec!["x".into(), "y,z".into()]))
    }

    #[test]
    fn output_folder_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let out = OutputDir::create(&target).unwrap();
        out.write_table(&table(), true).unwrap();
        assert!(!target.exists());
        out.commit().unwrap();
        assert!(target.join("t.parquet").is_file() && target.join("t.csv").is_file());
        let csv = std::fs::read_to_string(target.join("t.csv")).unwrap();
        assert_eq!(csv, "a_kw,n,name\n1,3,x\n2.5,4,\"y,z\"\n");
        // A second run that is dropped before commit leaves the first intact.
        let second = OutputDir::create(&target).unwrap();
        second.write_bytes("partial", b"x").unwrap();
        drop(second);
        assert!(target.join("t.parquet").is_file() && !target.join("partial").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no staging folder left");
    }

    #[test]
    fn only_folders_plenum_wrote_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("precious");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
        let e = OutputDir::create(&mine).err().expect("a foreign folder is refused");
        assert!(e.to_string().contains("notes.txt"), "{e}");
        assert_eq!(std::fs::read_to_string(mine.join("notes.txt")).unwrap(), "keep me");
        let file = dir.path().join("file.toml");
        std::fs::write(&file, "x = 1").unwrap();
        assert!(OutputDir::create(&file).is_err());
        // An empty folder and a run folder (it carries the marker) are replaced.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let out = OutputDir::create(&empty).unwrap();
        out.write_bytes("summary.json", b"{}").unwrap();
        out.commit().unwrap();
        let marker = std::fs::read_to_string(empty.join(RUN_FOLDER_MARKER)).unwrap();
        assert!(marker.ends_with("\n\nsummary.json\n"), "{marker}");
        OutputDir::create(&empty).unwrap().commit().unwrap();
        // A file of the user's added to a run folder makes it theirs.
        std::fs::write(empty.join("notes.txt"), "mine").unwrap();
        let e = OutputDir::create(&empty).err().expect("a run folder holding a user's file is refused");
        assert!(e.to_string().contains("holds files Plenum did not write (notes.txt)"), "{e}");
    }

    #[test]
    fn parquet_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_parquet(&table(), &path).unwrap();
        let file = File::open(&path).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = reader.schema().clone();
        assert_eq!(schema.field(0).metadata().get("description").map(String::as_str), Some("power"));
        let batch = reader.build().unwrap().next().unwrap().unwrap();
        assert_eq!(batch.num_rows(), 2);
        let a = batch.column(0).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(a.value(1), 2.5);
    }
}
