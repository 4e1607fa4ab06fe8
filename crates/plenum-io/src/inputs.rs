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

/// Read the data files of a scenario's `[plan]`: a demand CSV (one row a
/// month, MW in `column`) and each candidate site's weather and carbon files.
pub fn load_plan_inputs(scenario: &Scenario) -> Result<plenum_engine::plan::PlanInputs, DataError> {
    let Some(plan) = &scenario.plan else { return Ok(Default::default()) };
    let demand_monthly_mw = match &plan.demand {
        plenum_scenario::PlanDemand::Csv { path, column } => Some(monthly_csv(path, column)?),
        plenum_scenario::PlanDemand::Curve(_) => None,
    };
    let sites = plenum_engine::plan::site_scenarios(scenario, plan)
        .iter()
        .map(load_inputs)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(plenum_engine::plan::PlanInputs { demand_monthly_mw, sites })
}

/// A column of non-negative MW values, one row a month.
fn monthly_csv(path: &std::path::Path, column: &str) -> Result<Vec<f64>, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .from_path(path)
        .map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
    let headers = reader.headers().map_err(|e| DataError::at(path, 1, "header", e.to_string()))?.clone();
    let index = headers
        .iter()
        .position(|h| h.trim() == column)
        .ok_or_else(|| DataError::at(path, 1, column, format!("no column {column} in the header")))?;
    let mut values = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| DataError::at(path, i + 2, "row", e.to_string()))?;
        let cell = record.get(index).unwrap_or("").trim();
        let v: f64 =
            cell.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                DataError::at(path, i + 2, column, format!("expected MW ≥ 0, found {cell:?}"))
            })?;
        values.push(v);
    }
    if values.is_empty() {
        return Err(DataError::file(path, "no data rows"));
    }
    Ok(values)
}
