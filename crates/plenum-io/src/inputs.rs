//! Read every data file a scenario names into the engine's [`Inputs`].

use crate::{DataError, carbon_csv, epw, utilization_csv};
pub use plenum_engine::Inputs;
use plenum_scenario::{CarbonSource, Scenario, UtilizationProfile, WeatherSource};

/// Read the scenario's weather, carbon and utilization files (built-in
/// sources need nothing and are left empty).
pub fn load_inputs(scenario: &Scenario) -> Result<Inputs, DataError> {
    let mut inputs = Inputs::default();
    if let Some(physics) = &scenario.physics {
        if let WeatherSource::Epw(path) = &physics.weather {
            let (weather, location) = epw::read(path)?;
            inputs.weather = Some(weather);
            inputs.weather_utc_offset_hours = Some(location.utc_offset_hours.round() as i32);
        }
        if let CarbonSource::Csv { path, column } = &physics.carbon {
            let series = carbon_csv::read(path, column.as_deref())?;
            inputs.carbon_filled_hours = series.filled_hours;
            inputs.carbon_g_per_kwh_utc = Some(series.g_per_kwh_utc);
        }
    }
    if let UtilizationProfile::Csv { path, column, percent, step_s } = &scenario.utilization.profile {
        let (series, real_hours) = utilization_csv::read(path, column, *percent, *step_s)?;
        inputs.utilization_hourly = Some(series);
        inputs.utilization_real_hours = real_hours;
    }
    Ok(inputs)
}
