//! The validated `[telemetry]` section: where the measurements are, how
//! their clock maps onto the trace's, and which column measures which
//! quantity, in which unit.

use crate::problems::Problems;
pub use crate::raw::telemetry::{MeasuredQuantity, MeasuredUnit};
use crate::raw::telemetry::{RawTelemetry, SampleRule, TimeUnit};

/// Validated telemetry.
#[derive(Debug, Clone, PartialEq)]
pub struct Telemetry {
    /// The file (resolved; unexpanded while `${PLENUM_DATA}` is unset).
    pub path: String,
    /// Time column.
    pub time_column: String,
    /// How times map onto the trace's clock.
    pub time: TimeBase,
    /// Length of the interval one row covers, ms.
    pub interval_ms: u64,
    /// Whether a row's interval ends or starts at its time.
    pub sample: Sample,
    /// Host or group column, when rows are per host.
    pub host_column: Option<String>,
    /// Measured columns.
    pub measured: Vec<Measured>,
}

/// The clock of the time column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeBase {
    /// Milliseconds after the trace's first submission.
    RelativeMs,
    /// Seconds after the trace's first submission.
    RelativeS,
    /// Absolute instants; the trace's first submission is at this many ms after the Unix epoch.
    Absolute {
        /// Trace time 0, ms since 1970-01-01T00:00:00Z.
        trace_start_epoch_ms: i64,
    },
}

/// What one row's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// The mean over the interval ending at the row's time.
    MeanBefore,
    /// The mean over the interval starting at the row's time.
    MeanAfter,
}

/// One measured column.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// What it measures.
    pub quantity: MeasuredQuantity,
    /// Column name.
    pub column: String,
    /// Multiplier from the column's unit to the quantity's base unit (kW for
    /// power, fraction for utilization).
    pub to_base: f64,
    /// The unit as written.
    pub unit: MeasuredUnit,
}

/// The quantities a column can measure, with their units and the factor to
/// the base unit.
pub const QUANTITY_UNITS: &[(MeasuredQuantity, &[(MeasuredUnit, f64)])] = &[
    (MeasuredQuantity::ItPower, &[(MeasuredUnit::W, 1e-3), (MeasuredUnit::KW, 1.0)]),
    (MeasuredQuantity::Utilization, &[(MeasuredUnit::Fraction, 1.0), (MeasuredUnit::Percent, 0.01)]),
];

/// Milliseconds since the Unix epoch of an RFC 3339 instant
/// (`2022-10-06T22:00:00Z`, `2022-10-06 22:00:00.5+02:00`); `None` when malformed.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_at_checked(10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || parts.next().is_some() {
        return None;
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let num = |s: Option<&str>, max: i64| s?.parse::<i64>().ok().filter(|v| (0..=max).contains(v));
    let hour = num(rest.get(0..2), 23)?;
    (rest.get(2..3)? == ":").then_some(())?;
    let minute = num(rest.get(3..5), 59)?;
    (rest.get(5..6)? == ":").then_some(())?;
    let second = num(rest.get(6..8), 60)?;
    let mut rest = rest.get(8..)?;
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        if digits == 0 {
            return None;
        }
        let first3: String = frac[..digits].chars().chain("000".chars()).take(3).collect();
        millis = first3.parse().ok()?;
        rest = &frac[digits..];
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            (rest.len() == 6 && rest.get(3..4)? == ":").then_some(())?;
            sign * (num(rest.get(1..3), 23)? * 60 + num(rest.get(4..6), 59)?)
        }
    };
    // Days since the epoch (H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms", days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(((days * 24 + hour) * 60 + minute - offset_min) * 60_000 + second * 1000 + millis)
}

/// Validate `[telemetry]`, adding its problems to `p`.
pub(crate) fn validate(raw: &RawTelemetry, p: &mut Problems<'_>) -> Option<Telemetry> {
    let before = p.count();
    let time = match raw.time_unit {
        TimeUnit::Ms => Some(TimeBase::RelativeMs),
        TimeUnit::S => Some(TimeBase::RelativeS),
        TimeUnit::Absolute => match &raw.trace_start {
            None => {
                p.add(
                    "telemetry",
                    "missing key `trace_start`: absolute times need the instant of the trace's first submission",
                    None,
                );
                None
            }
            Some(text) => match parse_rfc3339_ms(text) {
                Some(ms) => Some(TimeBase::Absolute { trace_start_epoch_ms: ms }),
                None => {
                    p.add(
                        "telemetry.trace_start",
                        format!(
                            "expected an RFC 3339 instant with its offset (2022-10-06T22:00:00+00:00), found {text:?}"
                        ),
                        None,
                    );
                    None
                }
            },
        },
    };
    if raw.trace_start.is_some() && raw.time_unit != TimeUnit::Absolute {
        p.add(
            "telemetry.trace_start",
            format!("only used with time_unit = \"absolute\", not \"{}\"", raw.time_unit),
            None,
        );
    }
    let sample = match raw.sample {
        SampleRule::MeanBefore => Sample::MeanBefore,
        SampleRule::MeanAfter => Sample::MeanAfter,
    };
    let mut measured = Vec::new();
    for (i, m) in raw.measured.iter().enumerate() {
        let units = QUANTITY_UNITS.iter().find(|(q, _)| *q == m.quantity).map_or(&[][..], |(_, u)| *u);
        let Some((_, to_base)) = units.iter().find(|(u, _)| *u == m.unit) else {
            let names: Vec<&str> = units.iter().map(|(u, _)| u.as_str()).collect();
            p.add(
                &format!("telemetry.measured[{i}].unit"),
                format!(
                    "{} is measured in one of {}; found {:?}",
                    m.quantity,
                    names.join(", "),
                    m.unit.as_str()
                ),
                None,
            );
            continue;
        };
        if raw.measured[..i].iter().any(|o| o.quantity == m.quantity) {
            p.add(
                &format!("telemetry.measured[{i}].quantity"),
                format!("{} is measured twice", m.quantity),
                None,
            );
        }
        measured.push(Measured {
            quantity: m.quantity,
            column: m.column.clone(),
            to_base: *to_base,
            unit: m.unit,
        });
    }
    if p.count() > before {
        return None;
    }
    Some(Telemetry {
        path: raw.path.clone(),
        time_column: raw.time_column.clone(),
        time: time?,
        interval_ms: raw.interval_s * 1000,
        sample,
        host_column: raw.host_column.clone(),
        measured,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_instants_parse_with_their_offsets() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_ms("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_rfc3339_ms("1970-01-01 00:00:01.25Z"), Some(1250));
        // 2022-10-06T22:00:00Z, the SURF trace's start.
        assert_eq!(parse_rfc3339_ms("2022-10-06T22:00:00+00:00"), Some(1_665_093_600_000));
        for bad in ["2022-10-06", "2022-13-01T00:00:00Z", "2022-10-06T22:00:00", "2022-10-06T22:00:00+0200"] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }
}
