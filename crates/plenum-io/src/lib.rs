//! Input readers and output writers: the only crate besides the CLI that
//! touches files.
//!
//! ```
//! use std::path::Path;
//! use plenum_io::epw::{parse, synthetic};
//!
//! // A full year of hourly weather reads back as 8,760 hours...
//! let (year, _) = parse(Path::new("site.epw"), &synthetic::year(8_760, |_, _| {})).unwrap();
//! assert_eq!(year.dry_bulb_c.len(), 8_760);
//! // ...and a short file is refused with its name in the error.
//! let error = parse(Path::new("short.epw"), &synthetic::year(100, |_, _| {})).unwrap_err();
//! assert!(error.to_string().contains("short.epw"), "{error}");
//! ```
//!
//! Readers turn data files into the plain types of `plenum-models`
//! ([`epw`] weather, [`carbon_csv`] grid intensity, [`utilization_csv`],
//! [`trace`] workload traces and OpenDC topologies); every error names the
//! file, the line or row, and the field or column. Writers ([`write`](mod@write)) put
//! results in an output folder atomically: a run that is interrupted leaves
//! the previous results or nothing. A run folder reads back with
//! [`run_folder`] (tables with [`read_tables`]), and [`atomic_file`] replaces
//! a single file in one rename.

pub mod atomic_file;
pub mod carbon_csv;
pub mod contain;
pub mod epw;
mod error;
pub mod inputs;
pub mod intensity;
pub mod read_tables;
pub mod run_folder;
pub mod staging;
pub mod telemetry;
mod time;
pub mod trace;
pub mod utilization_csv;
pub mod write;

pub use error::{DataError, Position};
pub use inputs::{Inputs, load_inputs, load_plan_inputs};
