//! The hourly table of a simulated year: one row per hour, one column per
//! quantity (weather, utilization, IT power, every stage's losses and
//! loading, cooling, facility power, PUE, carbon, price).

use super::design::PlacedStage;
use super::hours::{Hour, hourly_pue};
use crate::tables::{ColumnValues, DataTable};
use plenum_models::liquid_cooling::{LiquidMode, LiquidPlant};
use plenum_models::weather::{self, WeatherYear};

pub(super) fn hourly_table(
    stages: &[PlacedStage],
    liquid: Option<&LiquidPlant>,
    hours: &[Hour],
    weather: &WeatherYear,
    wet_bulb_c: &[f64],
    intensity: &[f64],
    prices: &[f64],
) -> DataTable {
    let col = |f: &dyn Fn(&Hour) -> f64| ColumnValues::F64(hours.iter().map(f).collect());
    let n = hours.len();
    let mut table = DataTable::new("hourly", "One row per hour of the simulated year (local standard time).")
        .with(
            "hour_of_year",
            "Hour of the year, 0 = 1 January 00:00-01:00",
            ColumnValues::U64((0..n as u64).collect()),
        )
        .with(
            "month",
            "Month, 1-12",
            ColumnValues::U64((0..n).map(|h| weather::month_and_hour(h).0 as u64 + 1).collect()),
        )
        .with(
            "hour_of_day",
            "Hour of the day, 0-23",
            ColumnValues::U64((0..n).map(|h| (h % 24) as u64).collect()),
        )
        .with("dry_bulb_c", "Outdoor dry-bulb temperature, °C", ColumnValues::F64(weather.dry_bulb_c.clone()))
        .with("wet_bulb_c", "Outdoor wet-bulb temperature, °C", ColumnValues::F64(wet_bulb_c.to_vec()))
        .with("utilization", "Fleet mean CPU utilization, 0-1", col(&|h| h.utilization))
        .with("it_power_kw", "IT power at the equipment input, kW", col(&|h| h.it_kw))
        .with(
            "psu_losses_kw",
            "Server PSU losses (inside IT power), kW; 0 where no SKU models its PSU (wall-power curves)",
            col(&|h| h.psu_loss_kw),
        );
    for (i, s) in stages.iter().enumerate() {
        let name = &s.stage.name;
        table = table
            .with(
                &format!("{name}_loss_kw"),
                &format!("Losses of stage {name}, kW"),
                col(&|h| h.stage_loss_kw[i]),
            )
            .with(
                &format!("{name}_loading"),
                &format!("Load over N capacity of the most loaded {name} instance, 0-1"),
                col(&|h| h.stage_loading[i]),
            );
    }
    if liquid.is_some() {
        let liquid_col = |f: &dyn Fn(&plenum_models::liquid_cooling::LiquidStep) -> f64| {
            ColumnValues::F64(hours.iter().map(|h| h.liquid.as_ref().map_or(0.0, f)).collect())
        };
        table = table
            .with(
                "liquid_heat_kw",
                "Heat into the facility water (cold plates and rear doors), kW",
                liquid_col(&|s| s.heat_kw),
            )
            .with(
                "facility_water_supply_c",
                "Facility water supply temperature reached, °C",
                liquid_col(&|s| s.supply_c),
            )
            .with("cdu_pumps_kw", "Technology-loop (CDU) pump power, kW", liquid_col(&|s| s.cdu_pumps_kw))
            .with("facility_pumps_kw", "Facility water pump power, kW", liquid_col(&|s| s.facility_pumps_kw))
            .with(
                "rejection_fans_kw",
                "Liquid plant's dry-cooler or tower fan power, kW",
                liquid_col(&|s| s.rejection_fans_kw),
            )
            .with(
                "liquid_chillers_kw",
                "Liquid plant's trim-chiller power, kW",
                liquid_col(&|s| s.chillers_kw),
            )
            .with(
                "heat_rejected_kw",
                "Heat the liquid plant rejects outdoors (heat plus pump and chiller work), kW",
                liquid_col(&|s| s.heat_rejected_kw),
            )
            .with(
                "liquid_mode",
                "How the liquid plant ran: dry (coolers alone), evaporative (pads or towers) or chiller",
                ColumnValues::Text(
                    hours
                        .iter()
                        .map(|h| {
                            match h.liquid.map(|s| s.mode).unwrap_or_default() {
                                LiquidMode::Dry => "dry",
                                LiquidMode::Evaporative => "evaporative",
                                LiquidMode::Chiller => "chiller",
                            }
                            .to_string()
                        })
                        .collect(),
                ),
            );
    }
    table
        .with("chillers_kw", "Chiller power, kW", col(&|h| h.cooling.chillers_kw))
        .with("fans_kw", "Air-handler fan power, kW", col(&|h| h.cooling.fans_kw))
        .with("pumps_kw", "Pump power, kW", col(&|h| h.cooling.pumps_kw))
        .with("towers_kw", "Tower or dry-cooler fan power, kW", col(&|h| h.cooling.tower_kw))
        .with("cooling_kw", "Cooling plant power (air and liquid plants), kW", col(&|h| h.cooling_kw()))
        .with(
            "economizer_fraction",
            "Share of heat removed without chillers, 0-1",
            col(&|h| h.cooling.economizer_fraction),
        )
        .with(
            "water_l",
            "Water drawn by cooling towers and adiabatic pads (evaporation plus blowdown), L",
            col(&|h| h.water_evaporation_l + h.water_blowdown_l),
        )
        .with("other_kw", "Lighting and other loads, kW", col(&|h| h.other_kw))
        .with("facility_power_kw", "Power drawn from the utility, kW", col(&|h| h.facility_kw))
        .with(
            "pue",
            "Facility power over IT power (empty in hours without IT load)",
            ColumnValues::OptF64(hours.iter().map(hourly_pue).collect()),
        )
        .with(
            "carbon_intensity_g_per_kwh",
            "Grid carbon intensity, gCO2e/kWh",
            ColumnValues::F64(intensity.to_vec()),
        )
        .with(
            "carbon_kg",
            "Operational carbon of the hour, kgCO2e",
            ColumnValues::F64(
                hours.iter().zip(intensity).map(|(h, g)| h.facility_kw * g / 1_000.0).collect(),
            ),
        )
        .with("energy_price_usd_per_kwh", "Electricity price, USD/kWh", ColumnValues::F64(prices.to_vec()))
        .with(
            "energy_cost_usd",
            "Energy cost of the hour, USD",
            ColumnValues::F64(hours.iter().zip(prices).map(|(h, p)| h.facility_kw * p).collect()),
        )
}
