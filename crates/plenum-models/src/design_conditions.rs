//! Climatic design conditions: the annual percentiles HVAC plants are sized
//! for, as ASHRAE publishes them per station and as computed from any hourly
//! year, so a built-in climate can be checked against its source.
//!
//! Definitions (ASHRAE Handbook—Fundamentals 2009, ch. 14, "Climatic design
//! conditions"): the 0.4% value of an element is the value exceeded by 0.4% of
//! the 8,760 hours of a year (35 hours); the 99.6% heating value is the value
//! the element stays above in all but 0.4% of the hours. Cooling uses the 0.4%
//! dry bulb, evaporative equipment (towers, evaporative economizers) the 0.4%
//! wet bulb ("evaporation WB"); heating the 99.6% dry bulb.
//!
//! ASHRAE computes them over 10–30 years of hourly observations; here they are
//! computed over one typical year (the value at rank 35 from the top or the
//! bottom), which is what a simulated year can be compared with.

/// Hours of a 8,760-hour year above the 0.4% value (0.4% × 8,760 = 35.04).
pub const HOURS_BEYOND_0_4_PERCENT: usize = 35;

/// The design conditions a station's tables publish, for a built-in site
/// whose year is synthesized (the sites with an embedded hourly year are
/// compared with that year's source file instead).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedDesignConditions {
    /// Key of the built-in site.
    pub key: &'static str,
    /// Station and its WMO number.
    pub station: &'static str,
    /// Heating 99.6% dry bulb.
    pub heating_99_6_dry_bulb_c: f64,
    /// Cooling 0.4% dry bulb.
    pub cooling_0_4_dry_bulb_c: f64,
    /// Evaporation 0.4% wet bulb.
    pub evaporation_0_4_wet_bulb_c: f64,
    /// Mean daily dry-bulb range of the hottest month.
    pub hottest_month_daily_range_c: f64,
    /// Mean of the yearly lowest dry bulbs.
    pub mean_annual_min_dry_bulb_c: f64,
    /// Mean of the yearly highest dry bulbs.
    pub mean_annual_max_dry_bulb_c: f64,
    /// Where the figures are published.
    pub source: &'static str,
}

/// ASHRAE design conditions of the built-in sites outside the US (ASHRAE
/// Handbook—Fundamentals 2009, ch. 14, "Climate Design Data 2009", as
/// EnergyPlus carries them in each station's design-day file (`.ddy`) and in
/// the `DESIGN CONDITIONS` line of its IWEC weather file).
pub const PUBLISHED: [PublishedDesignConditions; 5] = [
    PublishedDesignConditions {
        key: "dublin",
        station: "Dublin Airport, WMO 039690",
        heating_99_6_dry_bulb_c: -1.9,
        cooling_0_4_dry_bulb_c: 22.1,
        evaporation_0_4_wet_bulb_c: 18.0,
        hottest_month_daily_range_c: 7.2,
        mean_annual_min_dry_bulb_c: -4.5,
        mean_annual_max_dry_bulb_c: 24.8,
        source: "ASHRAE 2009 annual design conditions, IRL_Dublin.039690_IWEC.ddy (EnergyPlus weather data; \
                 copy in GitHub bnajafi/BuildingSimulationProject_Polimi_TES): Htg 99.6% -1.9, Clg .4% DB 22.1, \
                 Clg .4% WB 18.0, daily range 7.2, mean annual extremes -4.5 / 24.8",
    },
    PublishedDesignConditions {
        key: "amsterdam",
        station: "Amsterdam Schiphol, WMO 062400",
        heating_99_6_dry_bulb_c: -7.3,
        cooling_0_4_dry_bulb_c: 27.8,
        evaporation_0_4_wet_bulb_c: 20.7,
        hottest_month_daily_range_c: 8.0,
        mean_annual_min_dry_bulb_c: -8.7,
        mean_annual_max_dry_bulb_c: 31.2,
        source: "ASHRAE 2009 annual design conditions, DESIGN CONDITIONS line of NLD_Amsterdam062400_IWEC.epw \
                 (\"Climate Design Data 2009 ASHRAE Handbook\"; copy in GitHub pvlib/pvlib-python, \
                 pvlib/tests/data): heating 99.6% -7.3, cooling 0.4% DB 27.8, evaporation 0.4% WB 20.7, \
                 hottest-month range 8.0, mean annual extremes -8.7 / 31.2",
    },
    PublishedDesignConditions {
        key: "frankfurt",
        station: "Frankfurt am Main airport, WMO 106370",
        heating_99_6_dry_bulb_c: -10.5,
        cooling_0_4_dry_bulb_c: 30.8,
        evaporation_0_4_wet_bulb_c: 20.6,
        hottest_month_daily_range_c: 10.6,
        mean_annual_min_dry_bulb_c: -12.4,
        mean_annual_max_dry_bulb_c: 34.1,
        source: "ASHRAE 2009 annual design conditions, DEU_Frankfurt.am.Main.106370_IWEC.ddy (EnergyPlus weather \
                 data; copy in GitHub bnajafi/BuildingSimulationProject_Polimi_TES): Htg 99.6% -10.5, Clg .4% DB \
                 30.8, Clg .4% WB 20.6, daily range 10.6, mean annual extremes -12.4 / 34.1",
    },
    PublishedDesignConditions {
        key: "stockholm",
        station: "Stockholm-Arlanda, WMO 024600",
        heating_99_6_dry_bulb_c: -17.8,
        cooling_0_4_dry_bulb_c: 27.1,
        evaporation_0_4_wet_bulb_c: 18.9,
        hottest_month_daily_range_c: 9.4,
        mean_annual_min_dry_bulb_c: -19.5,
        mean_annual_max_dry_bulb_c: 29.3,
        source: "ASHRAE 2009 annual design conditions, SWE_Stockholm.Arlanda.024600_IWEC.ddy (EnergyPlus weather \
                 data; copy in GitHub ugr-sail/sinergym, sinergym/data/weather): Htg 99.6% -17.8, Clg .4% DB 27.1, \
                 Clg .4% WB 18.9, daily range 9.4, mean annual extremes -19.5 / 29.3",
    },
    PublishedDesignConditions {
        key: "singapore",
        station: "Singapore Changi, WMO 486980",
        heating_99_6_dry_bulb_c: 23.0,
        cooling_0_4_dry_bulb_c: 33.2,
        evaporation_0_4_wet_bulb_c: 27.7,
        hottest_month_daily_range_c: 5.5,
        mean_annual_min_dry_bulb_c: 21.8,
        mean_annual_max_dry_bulb_c: 34.3,
        source: "ASHRAE 2009 annual design conditions, DESIGN CONDITIONS line of SGP_Singapore.486980_IWEC.epw \
                 (\"Climate Design Data 2009 ASHRAE Handbook\"; copy in GitHub hopezh/test_ladybug_pandas): \
                 heating 99.6% 23.0, cooling 0.4% DB 33.2, evaporation 0.4% WB 27.7, hottest-month range 5.5, mean annual \
                 extremes 21.8 / 34.3",
    },
];

/// The published design conditions of built-in site `key`, if it has them.
pub fn published(key: &str) -> Option<&'static PublishedDesignConditions> {
    PUBLISHED.iter().find(|d| d.key == key)
}

/// Design values of one hourly year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DesignValues {
    /// Dry bulb that all but 35 hours stay above.
    pub heating_99_6_dry_bulb_c: f64,
    /// Dry bulb exceeded in 35 hours.
    pub cooling_0_4_dry_bulb_c: f64,
    /// Wet bulb exceeded in 35 hours.
    pub evaporation_0_4_wet_bulb_c: f64,
}

/// The value exceeded in `hours` hours: rank `hours` from the top (0-based).
pub fn exceeded_in_hours(values: &[f64], hours: usize) -> f64 {
    let mut v = values.to_vec();
    let rank = hours.min(v.len().saturating_sub(1));
    let (_, x, _) = v.select_nth_unstable_by(rank, |a, b| b.total_cmp(a));
    *x
}

/// The value stayed under in only `hours` hours: rank `hours` from the bottom.
pub fn undershot_in_hours(values: &[f64], hours: usize) -> f64 {
    let mut v = values.to_vec();
    let rank = hours.min(v.len().saturating_sub(1));
    let (_, x, _) = v.select_nth_unstable_by(rank, f64::total_cmp);
    *x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::climate;

    #[test]
    fn ranks_count_hours_beyond_the_value() {
        let values: Vec<f64> = (0..8_760).map(f64::from).collect();
        // 35 hours (8,725..8,759) exceed 8,724; 35 hours (0..34) lie under 35.
        assert_eq!(exceeded_in_hours(&values, HOURS_BEYOND_0_4_PERCENT), 8_724.0);
        assert_eq!(undershot_in_hours(&values, HOURS_BEYOND_0_4_PERCENT), 35.0);
    }

    #[test]
    fn published_conditions_name_built_in_sites_and_are_ordered() {
        for d in &PUBLISHED {
            assert!(climate::site(d.key).is_some(), "{}", d.key);
            assert!(d.heating_99_6_dry_bulb_c < d.evaporation_0_4_wet_bulb_c, "{}", d.key);
            assert!(d.evaporation_0_4_wet_bulb_c < d.cooling_0_4_dry_bulb_c, "{}", d.key);
        }
    }
}
