//! Reading tables back: a Parquet file written by [`crate::write`] (or any
//! Parquet file of flat numeric, text and boolean columns) as a [`DataTable`].
//!
//! The table takes its name from the file stem (`hourly.parquet` → `hourly`),
//! its description from the schema metadata and each column's description
//! from the field metadata (`description`), as `write::record_batch` puts
//! them. Columns of narrower types (Int32, Float32, UInt32) widen to the
//! table's 64-bit types; a nullable Float64 column (how `OptF64` is written)
//! reads back with its empty cells; nested or temporal columns and nulls
//! elsewhere are errors that name the file and the column.

use crate::DataError;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use plenum_engine::{ColumnValues, DataTable};
use std::fs::File;
use std::path::Path;

/// Read one Parquet file as a table.
pub fn read_parquet(path: &Path) -> Result<DataTable, DataError> {
    let file = File::open(path).map_err(|e| DataError::file(path, format!("cannot open: {e}")))?;
    // The decoder runs contained: a corrupt file that makes it panic is an
    // error like any other.
    let decode = || -> Result<_, DataError> {
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| DataError::file(path, format!("not a readable Parquet file: {e}")))?;
        let schema = builder.schema().clone();
        let reader = builder.build().map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
        let batches: Vec<RecordBatch> = reader
            .collect::<Result<_, _>>()
            .map_err(|e| DataError::file(path, format!("cannot read a row group: {e}")))?;
        Ok((schema, batches))
    };
    let (schema, batches) = crate::contain::contained(decode).unwrap_or_else(|panic| {
        Err(DataError::file(path, format!("cannot read a row group: a corrupt file ({panic})")))
    })?;
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let description = schema.metadata().get("description").cloned().unwrap_or_default();
    let mut table = DataTable::new(&name, &description);
    for (index, field) in schema.fields().iter().enumerate() {
        let column = field.name();
        let description = field.metadata().get("description").cloned().unwrap_or_default();
        let arrays: Vec<&dyn Array> = batches.iter().map(|b| b.column(index).as_ref()).collect();
        // A nullable float column is how `ColumnValues::OptF64` is written
        // (an hour without IT load has no PUE): read it back as such.
        if field.is_nullable() && *field.data_type() == DataType::Float64 {
            let values = arrays.iter().flat_map(|a| a.as_primitive::<Float64Type>().iter()).collect();
            table = table.with(column, &description, ColumnValues::OptF64(values));
            continue;
        }
        if let Some(nulls) = arrays.iter().map(|a| a.null_count()).find(|n| *n > 0) {
            return Err(DataError::at(
                path,
                1,
                column,
                format!("{nulls} empty (null) values; Plenum tables have none"),
            ));
        }
        let values = match field.data_type() {
            DataType::Float64 => {
                ColumnValues::F64(gather(&arrays, |a| a.as_primitive::<Float64Type>().values().to_vec()))
            }
            DataType::Float32 => ColumnValues::F64(gather(&arrays, |a| {
                a.as_primitive::<Float32Type>().values().iter().map(|v| f64::from(*v)).collect()
            })),
            DataType::UInt64 => {
                ColumnValues::U64(gather(&arrays, |a| a.as_primitive::<UInt64Type>().values().to_vec()))
            }
            DataType::UInt32 => ColumnValues::U64(gather(&arrays, |a| {
                a.as_primitive::<UInt32Type>().values().iter().map(|v| u64::from(*v)).collect()
            })),
            DataType::Int64 => {
                ColumnValues::I64(gather(&arrays, |a| a.as_primitive::<Int64Type>().values().to_vec()))
            }
            DataType::Int32 => ColumnValues::I64(gather(&arrays, |a| {
                a.as_primitive::<Int32Type>().values().iter().map(|v| i64::from(*v)).collect()
            })),
            DataType::Utf8 => ColumnValues::Text(gather(&arrays, |a| {
                a.as_string::<i32>().iter().map(|v| v.unwrap_or_default().to_string()).collect()
            })),
            DataType::LargeUtf8 => ColumnValues::Text(gather(&arrays, |a| {
                a.as_string::<i64>().iter().map(|v| v.unwrap_or_default().to_string()).collect()
            })),
            DataType::Boolean => ColumnValues::Bool(gather(&arrays, |a| {
                a.as_boolean().iter().map(|v| v.unwrap_or(false)).collect()
            })),
            other => {
                return Err(DataError::at(
                    path,
                    1,
                    column,
                    format!("column type {other} is not one Plenum reads (numbers, text, booleans)"),
                ));
            }
        };
        table = table.with(column, &description, values);
    }
    for (column, field) in table.columns.iter_mut().zip(schema.fields()) {
        column.unit = field.metadata().get("unit").cloned();
    }
    Ok(table)
}

fn gather<T>(arrays: &[&dyn Array], f: impl Fn(&dyn Array) -> Vec<T>) -> Vec<T> {
    arrays.iter().flat_map(|a| f(*a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::write_parquet;

    #[test]
    fn a_written_table_reads_back_equal() {
        let table = DataTable::new("t", "test rows")
            .with("a_kw", "power", ColumnValues::F64(vec![1.0, 2.5, f64::MIN_POSITIVE]))
            .with("n", "count", ColumnValues::U64(vec![3, 4, u64::MAX]))
            .with("d", "signed", ColumnValues::I64(vec![-1, 0, 1]))
            .with("name", "label", ColumnValues::Text(vec!["x".into(), "y,z".into(), String::new()]))
            .with("up", "flag", ColumnValues::Bool(vec![true, false, true]))
            .with("pue", "with gaps", ColumnValues::OptF64(vec![Some(1.2), None, Some(1.4)]));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_parquet(&table, &path).unwrap();
        assert_eq!(read_parquet(&path).unwrap(), table);
    }

    #[test]
    fn an_empty_table_reads_back_with_its_columns() {
        let table = DataTable::new("events", "no events").with("time_h", "time", ColumnValues::F64(vec![]));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.parquet");
        write_parquet(&table, &path).unwrap();
        assert_eq!(read_parquet(&path).unwrap(), table);
    }

    #[test]
    fn a_file_that_is_not_parquet_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hourly.parquet");
        std::fs::write(&path, "hour,kw\n0,1\n").unwrap();
        let error = read_parquet(&path).unwrap_err();
        assert_eq!(error.file, path);
        assert!(error.message.contains("not a readable Parquet file"), "{error}");
        let missing = read_parquet(&dir.path().join("none.parquet")).unwrap_err();
        assert!(missing.message.contains("cannot open"), "{missing}");
    }
}
