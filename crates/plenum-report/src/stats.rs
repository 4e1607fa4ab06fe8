//! Small statistics over table columns: means, groups, and the rounding that
//! keeps the embedded chart data small (percentiles are
//! `plenum_models::quantile`'s).

use plenum_engine::{ColumnValues, DataTable};
use serde_json::Value;

/// A numeric column as f64 (counts widen), or `None` when absent, text or
/// with missing values.
pub fn column(table: &DataTable, name: &str) -> Option<Vec<f64>> {
    match &table.column(name)?.values {
        ColumnValues::F64(v) => Some(v.clone()),
        ColumnValues::U64(v) => Some(v.iter().map(|x| *x as f64).collect()),
        ColumnValues::I64(v) => Some(v.iter().map(|x| *x as f64).collect()),
        ColumnValues::OptF64(_) | ColumnValues::Text(_) | ColumnValues::Bool(_) => None,
    }
}

/// A text column.
pub fn text_column<'a>(table: &'a DataTable, name: &str) -> Option<&'a [String]> {
    match &table.column(name)?.values {
        ColumnValues::Text(v) => Some(v),
        _ => None,
    }
}

/// Arithmetic mean (NaN when empty).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Consecutive groups of `size` values (the last may be shorter), each
/// reduced by `f`: daily figures from hourly ones.
pub fn chunked(values: &[f64], size: usize, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    values.chunks(size.max(1)).map(f).collect()
}

/// Lowest value (NaN when empty).
pub fn min(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::min).unwrap_or(f64::NAN)
}

/// Highest value (NaN when empty).
pub fn max(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::max).unwrap_or(f64::NAN)
}

/// `x` rounded to `decimals` decimals, as JSON (`null` when not finite).
pub fn round(x: f64, decimals: i32) -> Value {
    if !x.is_finite() {
        return Value::Null;
    }
    let scale = 10f64.powi(decimals);
    let r = (x * scale).round() / scale;
    if decimals <= 0 && r.abs() < 9.0e15 {
        Value::from(r as i64)
    } else {
        serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
    }
}

/// Month names, January first.
pub const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_reduce_in_order() {
        let v: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(chunked(&v, 4, mean), vec![1.5, 5.5, 8.5]);
        assert_eq!(chunked(&v, 4, max), vec![3.0, 7.0, 9.0]);
    }

    #[test]
    fn rounding_keeps_json_small() {
        assert_eq!(round(1234.5678, 1).to_string(), "1234.6");
        assert_eq!(round(1234.5678, 0).to_string(), "1235");
        assert_eq!(round(f64::NAN, 2), Value::Null);
    }
}
