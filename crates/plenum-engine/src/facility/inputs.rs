//! What a simulated year reads from files ([`Inputs`]): EPW weather, a
//! carbon-intensity series, a utilization series, a workload replay's hours;
//! and what a caller computed once for several scenarios (the servers' power,
//! a year's IT side).
//! Built-in sources need none of them.

use super::ReplayHourly;
use plenum_models::weather::WeatherYear;

/// Data read from files for a simulated year; built-in sources need none.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Weather from an EPW file.
    pub weather: Option<WeatherYear>,
    /// The EPW header's time zone.
    pub weather_utc_offset_hours: Option<i32>,
    /// Hourly carbon intensity in UTC order, from a CSV file.
    pub carbon_g_per_kwh_utc: Option<Vec<f64>>,
    /// Hours of that series that were gaps and were interpolated.
    pub carbon_filled_hours: usize,
    /// Hourly utilization from a CSV file (before rescaling to the scenario's mean).
    pub utilization_hourly: Option<Vec<f64>>,
    /// Hours of real data in that series before it repeats.
    pub utilization_real_hours: usize,
    /// Hourly fleet IT power and utilization from a workload replay: when
    /// present, servers draw this instead of what the utilization profile gives.
    pub replay_hourly: Option<ReplayHourly>,
    /// The servers' power of every rack and hour, computed once
    /// ([`super::servers_power`]) for every scenario that draws the same
    /// ([`super::same_servers_power`]: a sensitivity's variants that move the
    /// power chain, the cooling plant, the switches or a price); the year
    /// then reads it instead of computing it, to the same bits.
    pub servers_power: Option<std::sync::Arc<super::ServersPower>>,
    /// A year's IT side, computed once ([`super::it_side`](fn@super::it_side)) for every
    /// scenario that shares it ([`super::same_it_side`]: a sweep's variants
    /// that move the climate, the cooling plant, the mechanical stages,
    /// other loads or a price); the year then continues each hour from it,
    /// to the same bits. Takes precedence over `servers_power`.
    pub it_side: Option<std::sync::Arc<super::ItSide>>,
}
