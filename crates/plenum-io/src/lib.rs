//! Input readers and output writers: the only crate besides the CLI that
//! touches files.
//!
//! Readers turn data files into the plain series of `plenum-models`
//! ([`epw`] weather, [`carbon_csv`] grid intensity, [`utilization_csv`]);
//! every error names the file, the line and the field ([`DataError`]).
//! Writers ([`write`]) put results in an output folder atomically: a run
//! that is interrupted leaves the previous results or nothing.

pub mod carbon_csv;
pub mod epw;
mod error;
pub mod inputs;
mod time;
pub mod utilization_csv;
pub mod write;

pub use error::DataError;
pub use inputs::{Inputs, load_inputs, load_plan_inputs};
