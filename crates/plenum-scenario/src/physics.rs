//! Validation of the facility-physics sections into [`crate::model::Physics`]:
//! names resolved to built-in climates, grids and presets, data paths expanded
//! (`${PLENUM_DATA}`) and checked, stages ordered from utility to rack.

use crate::model::*;
use crate::paths::data_file;
use crate::presets;
use crate::problems::Problems;
use crate::rack_density;
use crate::raw::*;
use plenum_models::cooling::{ChillerCurves, Economizer, HeatRejection};
use plenum_models::liquid_cooling::{LiquidClass, LiquidPlant, LiquidRejection};
use plenum_models::power_chain::{LossModel, Redundancy};
use plenum_models::{carbon, climate};

fn redundancy(r: StageRedundancy) -> Redundancy {
    match r {
        StageRedundancy::N => Redundancy::N,
        StageRedundancy::NPlus1 => Redundancy::NPlus1,
        StageRedundancy::NPlus2 => Redundancy::NPlus2,
        StageRedundancy::TwoN => Redundancy::TwoN,
        StageRedundancy::TwoNPlus1 => Redundancy::TwoNPlus1,
        StageRedundancy::DistributedRedundant => Redundancy::DistributedRedundant,
    }
}

/// Validate `[site]`, `[power_chain]`, `[cooling]`, `[carbon]` (called when `[cooling]` exists).
pub(crate) fn physics(
    p: &mut Problems<'_>,
    raw: &RawScenario,
    cooling_raw: &RawCooling,
    default_servers_per_rack: Option<u64>,
    largest_server_peak_w: Option<(usize, f64)>,
) -> Option<Physics> {
    let problems_before = p.count();
    let site = raw.site.clone();
    let Some(site) = site else {
        p.add(
            "cooling",
            "a simulated year needs a `[site]` table with `climate` or `weather_epw`",
            Some("e.g. [site] climate = \"ashburn\""),
        );
        return None;
    };
    let names = SiteNames {
        climate: site.climate.as_deref(),
        weather_epw: site.weather_epw.as_deref(),
        grid: site.grid.as_deref(),
        carbon_csv: site.carbon_csv.as_deref(),
        carbon_csv_column: site.carbon_csv_column.as_deref(),
    };
    let (builtin, weather, carbon) = resolve_site(p, "site", &names, true);
    // The EPW reader fills the offset from the file's header when the scenario leaves it out.
    let utc_offset_hours = site.utc_offset_hours.or(builtin.map(|s| s.utc_offset_hours)).unwrap_or(0);

    let chain_raw = raw.power_chain.clone().unwrap_or(RawPowerChain {
        preset: Preset::Modern,
        servers_per_rack: None,
        rack_power_kw: None,
        rack_cooling_kw: None,
        racks_per_pdu: 20,
        oversubscription_percentile: 100.0,
        stages: None,
    });
    let stages = match &chain_raw.stages {
        Some(list) => stages(p, list),
        None => presets::power_chain(chain_raw.preset),
    };
    let servers_per_rack = chain_raw
        .servers_per_rack
        .or(default_servers_per_rack)
        .or(rack_density::servers_fitting(chain_raw.rack_power_kw, largest_server_peak_w))
        .unwrap_or(40);
    rack_density::check_limits(p, &chain_raw, largest_server_peak_w);
    let power_chain = PowerChainSpec {
        stages,
        servers_per_rack,
        rack_power_kw: chain_raw.rack_power_kw,
        rack_cooling_kw: chain_raw.rack_cooling_kw,
        racks_per_pdu: chain_raw.racks_per_pdu,
        oversubscription_percentile: chain_raw.oversubscription_percentile,
    };

    let cooling = cooling_plant(p, cooling_raw);
    let liquid = match (&cooling_raw.liquid, &cooling) {
        (Some(raw), Some(air)) => liquid(p, raw, air.supply_air_c),
        _ => None,
    };
    let carbon_raw = raw.carbon.clone().unwrap_or_default();
    if p.count() > problems_before {
        return None;
    }
    Some(Physics {
        weather: weather?,
        carbon: carbon?,
        utc_offset_hours,
        power_chain,
        cooling: cooling?,
        design_heat_kw: cooling_raw.design_heat_kw,
        liquid,
        other_loads_fraction: cooling_raw.other_loads_fraction.unwrap_or(0.01),
        building_embodied_t_per_mw: carbon_raw.building_t_per_mw,
        building_lifetime_years: carbon_raw
            .building_lifetime_years
            .unwrap_or(raw.finance.facility_amortization_years),
        server_lifetime_years: carbon_raw
            .server_lifetime_years
            .unwrap_or(raw.finance.server_amortization_years),
    })
}

/// How a site is named: `[site]` or a `[[plan.sites]]` entry.
pub(crate) struct SiteNames<'a> {
    pub(crate) climate: Option<&'a str>,
    pub(crate) weather_epw: Option<&'a str>,
    pub(crate) grid: Option<&'a str>,
    pub(crate) carbon_csv: Option<&'a str>,
    pub(crate) carbon_csv_column: Option<&'a str>,
}

/// Resolve a site's built-in climate, weather and grid; problems are
/// reported under `prefix` (`site`, `plan.sites[2]`). A `required` site must
/// end with both weather and a grid; otherwise either may be left to the
/// scenario's. Without a grid, a built-in climate brings its own.
pub(crate) fn resolve_site(
    p: &mut Problems<'_>,
    prefix: &str,
    names: &SiteNames<'_>,
    required: bool,
) -> (Option<&'static climate::BuiltinSite>, Option<WeatherSource>, Option<CarbonSource>) {
    let field = |k: &str| format!("{prefix}.{k}");
    let builtin = names.climate.and_then(climate::site);
    let weather = match (names.climate, names.weather_epw) {
        (Some(name), None) => match builtin {
            Some(s) => Some(WeatherSource::Builtin(s)),
            None => {
                // The schema lists the built-in names; this guards a table out of step with it.
                p.add(&field("climate"), format!("no built-in climate {name:?}"), None);
                None
            }
        },
        (None, Some(path)) => data_file(p, &field("weather_epw"), path).map(WeatherSource::Epw),
        (Some(_), Some(_)) => {
            p.add(&field("weather_epw"), "give either `climate` or `weather_epw`, not both", None);
            None
        }
        (None, None) => {
            if required {
                p.add(prefix, "expected `climate` (a built-in site) or `weather_epw` (a weather file)", None);
            }
            None
        }
    };
    // A site is a place: an override that moves the climate without naming a
    // grid (or a carbon CSV) moves the grid with it, to the new climate's.
    let moved = p.document.is_overridden(&field("climate"))
        && !p.document.is_overridden(&field("grid"))
        && !p.document.is_overridden(&field("carbon_csv"));
    let grid_name = match builtin {
        Some(site) if moved && names.weather_epw.is_none() => Some(site.grid),
        _ => names.grid,
    };
    let carbon_csv = if moved && builtin.is_some() { None } else { names.carbon_csv };
    let carbon = match (grid_name, carbon_csv) {
        (Some(name), None) => match carbon::grid(name) {
            Some(g) => Some(CarbonSource::Builtin(g)),
            None => {
                p.add(&field("grid"), format!("no built-in grid {name:?}"), None);
                None
            }
        },
        (None, Some(path)) => data_file(p, &field("carbon_csv"), path)
            .map(|path| CarbonSource::Csv { path, column: names.carbon_csv_column.map(str::to_string) }),
        (Some(_), Some(_)) => {
            p.add(&field("carbon_csv"), "give either `grid` or `carbon_csv`, not both", None);
            None
        }
        (None, None) => match builtin {
            Some(s) => carbon::grid(s.grid).map(CarbonSource::Builtin),
            None => {
                if required {
                    p.add(
                        prefix,
                        "with `weather_epw`, name the grid: `grid` (built-in) or `carbon_csv`",
                        None,
                    );
                }
                None
            }
        },
    };
    (builtin, weather, carbon)
}

fn stages(p: &mut Problems<'_>, list: &[RawStage]) -> Vec<StageSpec> {
    let mut out = Vec::new();
    let mut previous_level = Level::Site;
    let mut seen_non_mechanical = false;
    for (i, s) in list.iter().enumerate() {
        let field = |name: &str| format!("power_chain.stages[{i}].{name}");
        let level = match s.level {
            StageLevel::Site => Level::Site,
            StageLevel::Pdu => Level::Pdu,
            StageLevel::Rack => Level::Rack,
        };
        if level < previous_level {
            p.add(
                &field("level"),
                format!(
                    "stages run from the utility down: a {:?} stage cannot follow a {:?} stage",
                    level, previous_level
                )
                .to_lowercase(),
                None,
            );
        }
        previous_level = level;
        if s.feeds_mechanical && (seen_non_mechanical || level != Level::Site) {
            p.add(
                &field("feeds_mechanical"),
                "only site-level stages above every non-mechanical stage can feed the cooling plant",
                None,
            );
        }
        seen_non_mechanical |= !s.feeds_mechanical;
        let kind = s.kind.map(presets::delivery_kind);
        if s.kind.is_some() && s.feeds_mechanical {
            p.add(
                &field("feeds_mechanical"),
                "a busway, rack PDU or power shelf feeds IT only, never the cooling plant",
                None,
            );
        }
        if s.kind == Some(StageKind::PowerShelfDc) && level != Level::Rack {
            p.add(&field("level"), "a power shelf sits in the rack: level = \"rack\"", None);
        }
        let base = kind.map_or(LossModel { no_load: 0.0, proportional: 0.0, square: 0.0 }, |k| k.loss);
        out.push(StageSpec {
            name: s.name.clone(),
            level,
            capacity_kw: s.capacity_kw,
            units: s.units,
            unit_kw: kind.and_then(|k| k.unit_kw),
            redundancy: s.redundancy.map(redundancy).or(kind.map(|k| k.redundancy)).unwrap_or(Redundancy::N),
            loss: LossModel {
                no_load: s.no_load_loss.unwrap_or(base.no_load),
                proportional: s.proportional_loss.unwrap_or(base.proportional),
                square: s.square_loss.unwrap_or(base.square),
            },
            feeds_mechanical: s.feeds_mechanical,
        });
    }
    let mut names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        p.add("power_chain.stages", format!("two stages are named {:?}", w[0]), None);
    }
    out
}

fn cooling_plant(p: &mut Problems<'_>, c: &RawCooling) -> Option<plenum_models::cooling::CoolingPlant> {
    let mut plant = presets::cooling(c.preset);
    match c.heat_rejection {
        Some(RawHeatRejection::WaterCooled) => {
            plant.rejection = HeatRejection::WaterCooled;
            plant.curves = ChillerCurves::WATER_COOLED_LARGE;
        }
        Some(RawHeatRejection::AirCooled) => {
            plant.rejection = HeatRejection::AirCooled;
            plant.curves = ChillerCurves::AIR_COOLED_LARGE;
            if c.chiller_cop_rated.is_none() {
                plant.chiller_cop_rated = ChillerCurves::AIR_COOLED_LARGE.rated_cop;
            }
        }
        None => {}
    }
    if let Some(e) = c.economizer {
        plant.economizer = match e {
            RawEconomizer::None => Economizer::None,
            RawEconomizer::AirSide => Economizer::AirSide,
            RawEconomizer::WaterSide => Economizer::WaterSide,
        };
    }
    macro_rules! set {
        ($($field:ident),*) => { $( if let Some(v) = c.$field { plant.$field = v; } )* };
    }
    set!(
        chiller_cop_rated,
        chillers,
        supply_air_c,
        return_air_c,
        chilled_water_supply_c,
        chilled_water_delta_t_k,
        rejection_approach_k,
        hx_approach_k,
        air_economizer_approach_k,
        air_economizer_max_dew_point_c,
        fan_design_fraction,
        fan_variable_speed,
        fan_min_speed_fraction,
        chilled_water_pump_fraction,
        condenser_pump_fraction,
        tower_fan_fraction
    );
    if plant.return_air_c <= plant.supply_air_c {
        p.add(
            "cooling.return_air_c",
            format!(
                "return air ({} °C) must be warmer than supply air ({} °C)",
                plant.return_air_c, plant.supply_air_c
            ),
            None,
        );
        return None;
    }
    Some(plant)
}

/// `[cooling.liquid]` into a [`Liquid`]: the class's supply temperature, the
/// rejection's defaults, and the checks that need several fields.
///
/// The plant's defaults and their sources are [`LiquidPlant::new`]'s; the
/// capital per kW (CDUs 150, piping 100, heat rejection 150 USD) is an
/// assumption of this model, stated as such.
fn liquid(p: &mut Problems<'_>, c: &RawLiquid, supply_air_c: f64) -> Option<Liquid> {
    let class = match c.class {
        RawLiquidClass::W17 => LiquidClass::W17,
        RawLiquidClass::W27 => LiquidClass::W27,
        RawLiquidClass::W32 => LiquidClass::W32,
        RawLiquidClass::W40 => LiquidClass::W40,
        RawLiquidClass::W45 => LiquidClass::W45,
        RawLiquidClass::WPlus => LiquidClass::WPlus,
    };
    let rejection = match c.heat_rejection.unwrap_or(RawLiquidRejection::DryCooler) {
        RawLiquidRejection::DryCooler => LiquidRejection::DryCooler,
        RawLiquidRejection::Adiabatic => LiquidRejection::Adiabatic,
        RawLiquidRejection::CoolingTower => LiquidRejection::CoolingTower,
    };
    let problems_before = p.count();
    let supply_c = c.facility_supply_c.unwrap_or(class.supply_c());
    let limit_c = class.supply_c();
    if class != LiquidClass::WPlus && supply_c > limit_c {
        p.add(
            "cooling.liquid.facility_supply_c",
            format!("class {} allows facility water up to {limit_c} °C, found {supply_c} °C", class.name()),
            Some("lower it, or name a warmer class"),
        );
    }
    if class == LiquidClass::WPlus && supply_c <= LiquidClass::W45.supply_c() {
        p.add(
            "cooling.liquid.facility_supply_c",
            format!("class W+ is facility water above 45 °C, found {supply_c} °C"),
            Some("name the class that allows it (W45 or cooler)"),
        );
    }
    if !(2.0..=70.0).contains(&supply_c) {
        p.add(
            "cooling.liquid.facility_supply_c",
            format!(
                "expected a facility water temperature between 2 and 70 °C, found {supply_c}: is it in °F?"
            ),
            None,
        );
    }
    let rear_door_share = c.rear_door_share.unwrap_or(0.0);
    if rear_door_share > 0.0 && supply_c >= supply_air_c {
        p.add(
            "cooling.liquid.rear_door_share",
            format!(
                "rear doors cannot cool air to the supply temperature ({supply_air_c} °C) with facility water at {supply_c} °C"
            ),
            Some("rear doors need facility water cooler than the cold aisle: a cooler class or facility_supply_c"),
        );
    }
    if p.count() > problems_before {
        return None;
    }
    let d = LiquidPlant::new(class, rejection, c.captured_share);
    Some(Liquid {
        plant: LiquidPlant {
            rear_door_share,
            facility_supply_c: supply_c,
            facility_delta_t_k: c.facility_delta_t_k.unwrap_or(d.facility_delta_t_k),
            cdu_approach_k: c.cdu_approach_k.unwrap_or(d.cdu_approach_k),
            cdu_flow_l_per_min_per_kw: c.cdu_flow_l_per_min_per_kw.unwrap_or(d.cdu_flow_l_per_min_per_kw),
            cdu_pump_head_kpa: c.cdu_pump_head_kpa.unwrap_or(d.cdu_pump_head_kpa),
            facility_pump_head_kpa: c.facility_pump_head_kpa.unwrap_or(d.facility_pump_head_kpa),
            pump_efficiency: c.pump_efficiency.unwrap_or(d.pump_efficiency),
            rejection_approach_k: c.rejection_approach_k.unwrap_or(d.rejection_approach_k),
            adiabatic_effectiveness: c.adiabatic_effectiveness.unwrap_or(d.adiabatic_effectiveness),
            dry_cooler_air_rise_k: c.dry_cooler_air_rise_k.unwrap_or(d.dry_cooler_air_rise_k),
            rejection_fan_fraction: c.rejection_fan_fraction.unwrap_or(d.rejection_fan_fraction),
            cycles_of_concentration: c.cycles_of_concentration.unwrap_or(d.cycles_of_concentration),
            chiller_cop_rated: c.chiller_cop_rated.unwrap_or(d.chiller_cop_rated),
            chillers: c.chillers.unwrap_or(d.chillers),
            ..d
        },
        cdu_usd_per_kw: c.cdu_usd_per_kw.unwrap_or(150.0),
        piping_usd_per_kw: c.piping_usd_per_kw.unwrap_or(100.0),
        heat_rejection_usd_per_kw: c.heat_rejection_usd_per_kw.unwrap_or(150.0),
    })
}
