//! Unit constants shared by the models.
//!
//! Quantities carry their unit in their name (`power_kw`, `cost_usd`); this module
//! holds the few conversion factors whose value is a convention rather than physics.

/// Hours in a month as Hamilton's cost spreadsheets count them: 8,760 / 12.
///
/// Source: J. Hamilton, "Overall Data Center Costs", Perspectives, 2010 (the
/// spreadsheet prices energy with 730 hours a month).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Hours in a non-leap year.
pub const HOURS_PER_YEAR: f64 = 8_760.0;

/// Months in a year.
pub const MONTHS_PER_YEAR: f64 = 12.0;

/// Watts in a kilowatt.
pub const W_PER_KW: f64 = 1_000.0;
