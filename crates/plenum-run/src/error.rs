//! [`RunError`]: the one error of plenum-run, one variant per kind a front
//! end treats differently (the CLI's exit status, Python's exception class,
//! the web server's HTTP status). Each front end `match`es on it; nothing
//! downcasts.

use plenum_io::DataError;
use plenum_scenario::ScenarioError;
use std::fmt;

/// Why a run, a sweep, a sensitivity study or a calibration did not finish.
///
/// | variant | CLI exit | Python | serve |
/// |---|---|---|---|
/// | [`Scenario`](RunError::Scenario) | 2 | `ScenarioError` | 422 |
/// | [`Data`](RunError::Data) | 2 | `InputError` | 422 |
/// | [`Usage`](RunError::Usage) | 2 | `UsageError` | 400 |
/// | [`TooLarge`](RunError::TooLarge) | 2 | `RunTooLargeError` | 413 |
/// | [`Interrupted`](RunError::Interrupted) | 130 | `KeyboardInterrupt` | (cancelled) |
/// | [`Failed`](RunError::Failed) | 1 | `PlenumError` | 500 |
#[derive(Debug)]
pub enum RunError {
    /// The scenario is wrong: its diagnostics, located in its text.
    Scenario(Box<ScenarioError>),
    /// A data file the scenario names is wrong or missing.
    Data(DataError),
    /// A setting given beside the scenario is wrong: a sweep's grid or
    /// sample count, a calibration window, a size-limit variable.
    Usage(String),
    /// The run is above a size cap ([`crate::Limits`]): a diagnostic at the
    /// scenario field that drives its size, saying how to raise the cap.
    TooLarge(Box<ScenarioError>),
    /// The caller cancelled it (its [`crate::CancelToken`]); a sweep keeps
    /// the rows that finished.
    Interrupted(Option<Box<crate::sweep::SweepInterrupted>>),
    /// The model or the machine failed on valid input (a replay the fleet
    /// cannot hold, a fit that does not converge, a disk that is full): what
    /// failed, with what it was doing first.
    Failed(String),
}

impl RunError {
    /// A failure of the model or the machine.
    pub fn failed(message: impl fmt::Display) -> RunError {
        RunError::Failed(message.to_string())
    }

    /// `self` with what was being done when it happened: prefixed to a
    /// failure's or a usage error's message (`replaying the workload: ...`).
    /// Scenario and data errors already say where they are and stay as they are.
    pub fn context(self, doing: impl fmt::Display) -> RunError {
        match self {
            RunError::Failed(m) => RunError::Failed(format!("{doing}: {m}")),
            RunError::Usage(m) => RunError::Usage(format!("{doing}: {m}")),
            other => other,
        }
    }

    /// Whether the run was cancelled rather than failing.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, RunError::Interrupted(_))
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Scenario(e) | RunError::TooLarge(e) => write!(f, "{e}"),
            RunError::Data(e) => write!(f, "{e}"),
            RunError::Usage(m) | RunError::Failed(m) => f.write_str(m),
            RunError::Interrupted(None) => write!(f, "{}", plenum_engine::Interrupted),
            RunError::Interrupted(Some(sweep)) => write!(f, "{sweep}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ScenarioError> for RunError {
    fn from(e: ScenarioError) -> Self {
        RunError::Scenario(Box::new(e))
    }
}

impl From<DataError> for RunError {
    fn from(e: DataError) -> Self {
        RunError::Data(e)
    }
}

impl From<plenum_engine::Interrupted> for RunError {
    fn from(_: plenum_engine::Interrupted) -> Self {
        RunError::Interrupted(None)
    }
}

impl From<crate::sweep::SweepInterrupted> for RunError {
    fn from(e: crate::sweep::SweepInterrupted) -> Self {
        RunError::Interrupted(Some(Box::new(e)))
    }
}

impl From<plenum_engine::FacilityError> for RunError {
    fn from(e: plenum_engine::FacilityError) -> Self {
        match e {
            plenum_engine::FacilityError::Interrupted(i) => i.into(),
            other => RunError::failed(other),
        }
    }
}

impl From<plenum_engine::workload::ReplayError> for RunError {
    fn from(e: plenum_engine::workload::ReplayError) -> Self {
        RunError::failed(e)
    }
}

impl From<std::io::Error> for RunError {
    fn from(e: std::io::Error) -> Self {
        RunError::failed(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_prefixes_failures_and_leaves_located_errors_as_they_are() {
        let failed = RunError::failed("no host fits task 3").context("replaying the workload");
        assert_eq!(failed.to_string(), "replaying the workload: no host fits task 3");
        let data = RunError::from(DataError::file(std::path::Path::new("w.epw"), "empty"));
        assert_eq!(data.context("reading").to_string(), "w.epw: empty");
        let engine = RunError::from(plenum_engine::FacilityError::Interrupted(plenum_engine::Interrupted));
        assert!(engine.is_interrupted(), "{engine}");
    }
}
