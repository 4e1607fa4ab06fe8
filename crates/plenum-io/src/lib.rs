//! Readers of input data: the only crate besides the CLI that touches files.
//!
//! [`trace`] reads workload traces (OpenDC parquet, Bitbrains GWA-T-12,
//! Azure VM, SWF) and OpenDC topologies into the plain types of
//! `plenum_models::workload`; every error names the file, the row and the
//! column, and says what was expected.

pub mod trace;
