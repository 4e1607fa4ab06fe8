//! Pure domain models of a data center.
//!
//! Each module owns one model and states its source. Models do no I/O, know no
//! file format and take plain data in, giving plain data out; the engine wires
//! them to a validated scenario.

pub mod finance;
pub mod network;
pub mod units;
