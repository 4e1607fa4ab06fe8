//! Pure domain models of a data center.
//!
//! ```
//! use plenum_models::finance::monthly_payment_usd;
//!
//! // Excel's PMT at 5% a year over 3 years: 0.02997 USD a month per dollar,
//! // the factor of J. Hamilton's cost spreadsheets.
//! let usd = monthly_payment_usd(1.0, 0.05, 3.0);
//! assert!((usd - 0.02997090).abs() < 1e-8);
//! ```
//!
//! Each module owns one model and states its source. Models do no I/O, know no
//! file format and take plain data in, giving plain data out; the engine wires
//! them to a validated scenario.

pub mod accelerators;
pub mod buildout;
pub mod carbon;
pub mod carbon_aware;
pub mod carbon_market;
pub mod climate;
pub mod cooling;
pub mod design_conditions;
pub mod finance;
pub mod generators;
pub mod it_power;
pub mod liquid_cooling;
pub mod network;
pub mod placement;
pub mod power_chain;
pub mod psychro;
pub mod quantile;
pub mod reliability;
pub mod training;
pub mod training_dynamics;
pub mod units;
pub mod weather;
pub mod workload;
