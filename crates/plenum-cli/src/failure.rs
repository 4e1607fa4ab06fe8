//! Why a command failed ([`Failure`]), what it prints on stderr and the exit
//! status it gives: a [`RunError`] from plenum-run by its variant, a
//! refusal or a wrong flag (2), `--strict` with warnings (3), anything else
//! (1). Matched, never downcast.

use plenum_run::RunError;
use plenum_scenario::ScenarioError;
use std::fmt;

/// A command's result.
pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// A run, sweep, sensitivity study or calibration did not finish, or its
    /// scenario or data files are wrong.
    Run(RunError),
    /// A flag's value is wrong, or an output would replace a file Plenum may
    /// not replace ([`crate::guard`]).
    Usage(String),
    /// `--strict` and the run gave this many warnings.
    Strict(usize),
    /// Anything else (writing a file, serving).
    Other(anyhow::Error),
}

/// Exit status on Ctrl-C: 128 + SIGINT. A cancelled run only reaches here
/// when no signal did (the signal's thread exits with its own status first).
const INTERRUPTED_EXIT: u8 = 130;

impl Failure {
    /// The process's exit status: 2 for wrong input, 3 for `--strict`, 130
    /// interrupted, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Run(
                RunError::Scenario(_) | RunError::Data(_) | RunError::Usage(_) | RunError::TooLarge(_),
            ) => 2,
            Failure::Run(RunError::Interrupted(_)) => INTERRUPTED_EXIT,
            Failure::Run(RunError::Failed(_)) => 1,
            Failure::Usage(_) => 2,
            Failure::Strict(_) => 3,
            Failure::Other(_) => 1,
        }
    }

    /// What stderr shows: a scenario's diagnostics with their source lines
    /// (in colour on a terminal), otherwise one `error:` line.
    pub fn render(&self, colour: bool) -> String {
        match self {
            Failure::Run(RunError::Scenario(e) | RunError::TooLarge(e)) => e.render(colour),
            Failure::Other(e) => format!("error: {e:#}\n"),
            other => format!("error: {other}\n"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Run(e) => write!(f, "{e}"),
            Failure::Usage(m) => f.write_str(m),
            Failure::Strict(n) => {
                let s = if *n == 1 { "" } else { "s" };
                write!(f, "--strict: the run gave {n} warning{s} (listed above)")
            }
            Failure::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Self {
        Failure::Run(e)
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::Run(e.into())
    }
}

impl From<plenum_io::DataError> for Failure {
    fn from(e: plenum_io::DataError) -> Self {
        Failure::Run(e.into())
    }
}

impl From<crate::guard::Refusal> for Failure {
    fn from(e: crate::guard::Refusal) -> Self {
        Failure::Usage(e.to_string())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.into())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Other(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario_error() -> ScenarioError {
        ScenarioError::file("s.toml", "bad")
    }

    #[test]
    fn every_kind_of_failure_has_its_exit_status() {
        let data = plenum_io::DataError::file(std::path::Path::new("w.epw"), "empty");
        let cases: [(Failure, u8); 10] = [
            (RunError::from(scenario_error()).into(), 2),
            (RunError::Data(data.clone()).into(), 2),
            (RunError::Usage("--vary x: expected key=value".into()).into(), 2),
            (RunError::TooLarge(Box::new(scenario_error())).into(), 2),
            (RunError::Interrupted(None).into(), 130),
            (RunError::failed("no host fits task 3").into(), 1),
            (crate::guard::Refusal("--out: a file".into()).into(), 2),
            (Failure::Strict(2), 3),
            (anyhow::anyhow!("cannot listen").into(), 1),
            (data.into(), 2),
        ];
        for (failure, code) in cases {
            assert_eq!(failure.exit_code(), code, "{failure:?}");
        }
    }

    #[test]
    fn a_scenario_error_prints_its_diagnostics_and_others_one_error_line() {
        let too_large = Failure::from(RunError::TooLarge(Box::new(scenario_error())));
        assert_eq!(too_large.render(false), scenario_error().render(false));
        let data =
            Failure::from(plenum_io::DataError::at(std::path::Path::new("w.epw"), 9, "dry_bulb", "NaN"));
        assert_eq!(data.render(false), "error: w.epw:9: `dry_bulb`: NaN\n");
        assert_eq!(
            Failure::Strict(1).render(false),
            "error: --strict: the run gave 1 warning (listed above)\n"
        );
    }
}
