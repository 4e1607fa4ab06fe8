//! The `[telemetry]` section as written: a file of measurements taken on the
//! real system the scenario mirrors, and how its columns map to what the
//! twin predicts.

use super::choice::choice;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Measurements of the real system, compared with the replay in every run
/// and fitted by `plenum calibrate`.
///
/// Each `[[telemetry.measured]]` entry maps one column of the file to one
/// quantity the replay predicts; a new measured quantity is a new entry, not
/// new code, once the quantity is known (see `plenum_engine::calibration::Quantity`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTelemetry {
    /// The measurements: a Parquet file (`.parquet`) or CSV with a header;
    /// `${PLENUM_DATA}` and other variables are expanded.
    pub path: String,
    /// Column holding the time of each row.
    pub time_column: String,
    /// Unit of the time column: `ms` or `s` after the trace's first
    /// submission, or `absolute` (a Parquet timestamp, integer milliseconds
    /// since the Unix epoch, or RFC 3339 text in CSV) with `trace_start`.
    pub time_unit: TimeUnit,
    /// With `time_unit = "absolute"`: the instant of the trace's first
    /// submission, RFC 3339 with its UTC offset (`2022-10-06T22:00:00+00:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_start: Option<String>,
    /// Seconds one row covers (30 for a sample every 30 s).
    #[schemars(range(min = 1))]
    pub interval_s: u64,
    /// What one row is: `mean_before` (the mean over the `interval_s` ending
    /// at its time, as meters that report energy per interval give) or
    /// `mean_after` (the mean over the interval starting at its time).
    #[serde(default = "default_sample")]
    pub sample: SampleRule,
    /// Column naming the host or group a row measures; rows of one instant
    /// are then added up (power) or averaged (utilization) over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_column: Option<String>,
    /// The measured quantities, one column each.
    #[schemars(length(min = 1))]
    pub measured: Vec<RawMeasured>,
}

/// One measured column and the quantity it measures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeasured {
    /// What the column measures: `it_power` (IT power of the whole fleet) or
    /// `utilization` (mean CPU utilization of the fleet).
    pub quantity: MeasuredQuantity,
    /// Column name in the file.
    pub column: String,
    /// Unit of the column: `W` or `kW` for `it_power`, `fraction` (0..1) or
    /// `percent` for `utilization`.
    pub unit: MeasuredUnit,
}

choice! {
    /// Unit of the time column: `ms`, `s` or `absolute`.
    pub enum TimeUnit {
        Ms = "ms",
        S = "s",
        Absolute = "absolute",
    }
}

choice! {
    /// What one row is: `mean_before` or `mean_after` its time.
    pub enum SampleRule {
        MeanBefore = "mean_before",
        MeanAfter = "mean_after",
    }
}

choice! {
    /// A quantity the replay predicts: `it_power` or `utilization`.
    pub enum MeasuredQuantity {
        ItPower = "it_power",
        Utilization = "utilization",
    }
}

choice! {
    /// Unit of a measured column: `W` or `kW` (power), `fraction` or `percent` (utilization).
    pub enum MeasuredUnit {
        W = "W",
        KW = "kW",
        Fraction = "fraction",
        Percent = "percent",
    }
}

fn default_sample() -> SampleRule {
    SampleRule::MeanBefore
}
