//! Built-in climates: typical-year statistics for ten data-center locations,
//! enough to generate an hourly weather year with no data file.
//!
//! Per site: monthly mean dry bulb, mean daily range (mean of daily max − min)
//! and mean dew point, with location, mean station pressure, the hour the daily
//! temperature peaks and the site's grid. US sites are computed from the TMYx
//! typical-year EPW files of climate.onebuilding.org (NCEI ISD / ERA5,
//! 2007-2021); other sites from national 1991-2020 normals or ASHRAE IWEC
//! typical years, as each entry's `source` states.
//! [`crate::weather::builtin_year`] gives a site's hours: the US sites' TMYx
//! years embedded hour by hour, the others synthesized from these statistics.

/// Typical-year statistics of one site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuiltinSite {
    /// Key a scenario names (`ashburn`).
    pub key: &'static str,
    /// Place and station.
    pub name: &'static str,
    /// Offset of local standard time from UTC.
    pub utc_offset_hours: i32,
    /// Key of the site's built-in grid carbon profile.
    pub grid: &'static str,
    /// Latitude.
    pub latitude_deg: f64,
    /// Longitude (east positive).
    pub longitude_deg: f64,
    /// Elevation.
    pub elevation_m: f64,
    /// Mean station pressure.
    pub pressure_pa: f64,
    /// Local standard hour (1-24, hour ending) of the mean daily temperature peak.
    pub tmax_hour: u8,
    /// Monthly mean dry bulb, January first.
    pub monthly_mean_dry_bulb_c: [f64; 12],
    /// Monthly mean of (daily max − daily min) dry bulb.
    pub monthly_mean_daily_range_c: [f64; 12],
    /// Monthly mean dew point.
    pub monthly_mean_dew_point_c: [f64; 12],
    /// Where the figures come from.
    pub source: &'static str,
}

/// Every built-in site.
pub const BUILTIN_SITES: [BuiltinSite; 10] = [
    BuiltinSite {
        key: "ashburn",
        utc_offset_hours: -5,
        grid: "pjm",
        name: "Ashburn, VA (Leesburg Executive Airport, TMYx)",
        latitude_deg: 39.078,
        longitude_deg: -77.558,
        elevation_m: 119.0,
        pressure_pa: 99900.0,
        tmax_hour: 15,
        monthly_mean_dry_bulb_c: [1.2, 2.9, 7.2, 13.5, 18.6, 23.9, 25.8, 24.5, 20.5, 14.6, 7.8, 4.2],
        monthly_mean_daily_range_c: [7.4, 8.1, 10.3, 12.0, 11.8, 11.3, 12.6, 10.9, 10.7, 10.7, 10.6, 7.4],
        monthly_mean_dew_point_c: [-5.2, -2.6, -0.9, 4.9, 11.7, 16.5, 19.2, 18.6, 15.7, 9.7, 2.5, -1.1],
        source: "TMYx typical year (climate.onebuilding.org, NCEI ISD/ERA5 2007-2021) USA_VA_Leesburg.Exec.epw, via HewlettPackard/dc-rl; monthly means of hourly values, daily range = mean of daily max-min",
    },
    BuiltinSite {
        key: "phoenix",
        utc_offset_hours: -7,
        // Arizona Public Service serves Phoenix; the east valley's data
        // centers are in Salt River Project's area, which has no built-in profile.
        grid: "azps",
        name: "Phoenix, AZ (Sky Harbor Intl AP, TMYx)",
        latitude_deg: 33.428,
        longitude_deg: -112.004,
        elevation_m: 337.4,
        pressure_pa: 97294.0,
        tmax_hour: 16,
        monthly_mean_dry_bulb_c: [12.5, 14.0, 20.3, 23.7, 28.8, 34.7, 35.7, 34.6, 33.3, 25.6, 19.3, 12.8],
        monthly_mean_daily_range_c: [13.5, 13.9, 14.5, 13.5, 13.2, 12.9, 10.8, 10.5, 11.8, 14.6, 16.2, 12.7],
        monthly_mean_dew_point_c: [-2.5, 0.6, 0.2, -1.6, -0.9, 2.4, 13.5, 14.5, 11.2, 2.6, -0.1, 1.3],
        source: "TMYx typical year (climate.onebuilding.org, NCEI ISD/ERA5 2007-2021) USA_AZ_Phoenix-Sky.Harbor.epw, via HewlettPackard/dc-rl; monthly means of hourly values, daily range = mean of daily max-min",
    },
    BuiltinSite {
        key: "dallas",
        utc_offset_hours: -6,
        grid: "erco",
        name: "Dallas, TX (Dallas-Fort Worth Intl AP, TMYx)",
        latitude_deg: 32.898,
        longitude_deg: -97.019,
        elevation_m: 170.7,
        pressure_pa: 99543.0,
        tmax_hour: 15,
        monthly_mean_dry_bulb_c: [8.4, 9.4, 16.1, 19.0, 23.5, 28.4, 30.7, 30.6, 26.8, 20.8, 14.4, 9.0],
        monthly_mean_daily_range_c: [9.1, 10.3, 11.5, 11.1, 11.4, 9.5, 9.9, 11.6, 11.2, 13.4, 10.9, 8.2],
        monthly_mean_dew_point_c: [1.2, 3.1, 6.9, 11.4, 13.6, 20.3, 21.0, 18.2, 17.1, 10.5, 6.8, 2.7],
        source: "TMYx typical year (climate.onebuilding.org, NCEI ISD/ERA5 2007-2021) USA_TX_Dallas-Fort.Worth.epw, via HewlettPackard/dc-rl; monthly means of hourly values, daily range = mean of daily max-min",
    },
    BuiltinSite {
        key: "chicago",
        utc_offset_hours: -6,
        // Chicago and O'Hare are ComEd's territory, a zone of PJM (since 2004),
        // not MISO, which serves central and southern Illinois.
        grid: "pjm",
        name: "Chicago, IL (O'Hare Intl AP, TMYx)",
        latitude_deg: 41.960,
        longitude_deg: -87.932,
        elevation_m: 201.8,
        pressure_pa: 99240.0,
        tmax_hour: 15,
        monthly_mean_dry_bulb_c: [-3.8, -3.0, 4.1, 9.1, 16.0, 21.7, 23.8, 23.0, 20.4, 11.8, 4.7, 0.5],
        monthly_mean_daily_range_c: [7.6, 6.9, 9.5, 11.0, 11.3, 9.3, 9.3, 9.8, 9.3, 9.8, 8.6, 6.7],
        monthly_mean_dew_point_c: [-7.8, -7.1, -2.5, 0.4, 7.9, 16.0, 17.3, 15.9, 14.7, 6.5, -0.8, -2.9],
        source: "TMYx typical year (climate.onebuilding.org, NCEI ISD/ERA5 2007-2021) USA_IL_Chicago.OHare.epw, via HewlettPackard/dc-rl; monthly means of hourly values, daily range = mean of daily max-min",
    },
    BuiltinSite {
        key: "seattle",
        utc_offset_hours: -8,
        // Seattle City Light and Puget Sound Energy run their own balancing
        // areas, with no built-in profile; BPA's hydro-dominated grid is the
        // region's and the utilities' main supplier, so it stands for them.
        grid: "bpat",
        name: "Seattle, WA (Seattle-Tacoma Intl AP, TMYx)",
        latitude_deg: 47.444,
        longitude_deg: -122.314,
        elevation_m: 137.0,
        pressure_pa: 100100.0,
        tmax_hour: 16,
        monthly_mean_dry_bulb_c: [6.0, 5.0, 8.4, 10.0, 14.2, 16.6, 19.5, 20.0, 15.9, 11.6, 8.4, 4.1],
        monthly_mean_daily_range_c: [4.9, 4.8, 7.1, 8.1, 9.3, 9.5, 11.3, 11.2, 8.4, 6.5, 5.0, 4.6],
        monthly_mean_dew_point_c: [3.1, 0.5, 3.6, 4.9, 8.3, 9.6, 11.7, 12.6, 10.2, 8.0, 5.2, 0.6],
        source: "TMYx typical year (climate.onebuilding.org, NCEI ISD/ERA5 2007-2021) USA_WA_Seattle-Tacoma.epw, via HewlettPackard/dc-rl; monthly means of hourly values, daily range = mean of daily max-min",
    },
    BuiltinSite {
        key: "dublin",
        utc_offset_hours: 0,
        grid: "ie",
        name: "Dublin, Ireland (Dublin Airport, Met Eireann station 532)",
        latitude_deg: 53.428,
        longitude_deg: -6.241,
        elevation_m: 71.0,
        pressure_pa: 100596.0,
        tmax_hour: 14,
        monthly_mean_dry_bulb_c: [5.3, 5.4, 6.5, 8.1, 10.7, 13.3, 15.2, 15.0, 13.0, 10.2, 7.3, 5.6],
        monthly_mean_daily_range_c: [5.7, 6.4, 7.5, 8.4, 8.7, 8.8, 8.4, 8.3, 8.0, 7.0, 6.1, 5.7],
        monthly_mean_dew_point_c: [3.6, 3.8, 5.1, 4.5, 7.9, 10.3, 11.2, 10.9, 9.5, 9.2, 4.5, 3.7],
        source: "Met Eireann Dublin Airport (stn 532) monthly data, 1991-2020 means of meant/mnmax/mnmin; dew point, pressure and phase from Met Eireann hourly 2017 only (aimsir17), Magnus",
    },
    BuiltinSite {
        key: "amsterdam",
        utc_offset_hours: 1,
        grid: "nl",
        name: "Amsterdam, Netherlands (KNMI De Bilt normals; Schiphol IWEC for humidity/phase)",
        latitude_deg: 52.300,
        longitude_deg: 4.770,
        elevation_m: -2.0,
        pressure_pa: 101609.0,
        tmax_hour: 14,
        monthly_mean_dry_bulb_c: [3.6, 3.9, 6.5, 9.8, 13.4, 16.2, 18.3, 17.9, 14.7, 10.9, 7.0, 4.2],
        monthly_mean_daily_range_c: [5.2, 6.3, 8.1, 10.3, 10.3, 10.1, 10.1, 10.4, 9.5, 7.7, 6.0, 5.1],
        monthly_mean_dew_point_c: [2.2, 1.7, 2.4, 6.2, 7.7, 10.3, 14.1, 13.2, 11.8, 8.0, 4.8, 2.8],
        source: "KNMI 1991-2020 normals De Bilt (as quoted by nl.wikipedia 'Klimaat van Nederland'): mean T, max-min; dew point, pressure, phase and location from IWEC Amsterdam Schiphol EPW (WMO 062400)",
    },
    BuiltinSite {
        key: "frankfurt",
        utc_offset_hours: 1,
        grid: "de",
        name: "Frankfurt am Main, Germany (Frankfurt/Main airport, DWD station 01420)",
        latitude_deg: 50.045,
        longitude_deg: 8.598,
        elevation_m: 112.0,
        pressure_pa: 100323.0,
        tmax_hour: 16,
        monthly_mean_dry_bulb_c: [2.3, 3.1, 6.8, 11.1, 15.1, 18.5, 20.5, 20.0, 15.5, 10.7, 6.1, 3.1],
        monthly_mean_daily_range_c: [5.4, 7.0, 9.1, 11.1, 11.1, 11.2, 11.3, 11.3, 10.2, 8.1, 5.7, 5.1],
        monthly_mean_dew_point_c: [0.3, 0.1, 2.0, 4.3, 8.6, 11.5, 13.0, 13.1, 10.8, 8.1, 4.2, 1.4],
        source: "DWD CDC daily KL, Frankfurt/Main (01420), 1991-2020: means of TMK, TXK-TNK, dew point from mean vapour pressure VPM (Magnus); phase from IWEC Frankfurt EPW",
    },
    BuiltinSite {
        key: "stockholm",
        utc_offset_hours: 1,
        grid: "se",
        name: "Stockholm, Sweden (Stockholm-Arlanda, IWEC typical year)",
        latitude_deg: 59.650,
        longitude_deg: 17.950,
        elevation_m: 61.0,
        pressure_pa: 100475.0,
        tmax_hour: 13,
        monthly_mean_dry_bulb_c: [-3.6, -0.8, 0.3, 4.4, 11.7, 14.5, 17.0, 16.0, 11.3, 6.7, 1.6, -1.9],
        monthly_mean_daily_range_c: [4.8, 4.7, 4.9, 8.8, 10.5, 8.8, 7.8, 7.0, 6.3, 5.6, 4.9, 5.3],
        monthly_mean_dew_point_c: [-4.9, -4.0, -2.1, -2.0, 4.3, 8.0, 11.6, 10.4, 8.0, 4.3, -0.1, -3.5],
        source: "NOT a 1991-2020 normal: ASHRAE IWEC typical year Stockholm-Arlanda (WMO 024600, 1982-1999 base), EPW via ugr-sail/sinergym; same method as the US TMYx sites",
    },
    BuiltinSite {
        key: "singapore",
        utc_offset_hours: 8,
        grid: "sg",
        name: "Singapore (Changi climate station, Meteorological Service Singapore)",
        latitude_deg: 1.370,
        longitude_deg: 103.980,
        elevation_m: 16.0,
        pressure_pa: 100787.0,
        tmax_hour: 14,
        monthly_mean_dry_bulb_c: [26.8, 27.3, 27.8, 28.2, 28.6, 28.5, 28.2, 28.1, 28.0, 27.9, 27.2, 26.8],
        monthly_mean_daily_range_c: [6.3, 7.0, 7.3, 7.1, 6.6, 6.2, 6.0, 6.1, 6.4, 6.8, 6.7, 6.2],
        monthly_mean_dew_point_c: [23.8, 23.8, 24.4, 25.0, 25.3, 24.9, 24.6, 24.4, 24.4, 24.4, 24.5, 24.1],
        source: "MSS/NEA Changi climate station monthly series (data.gov.sg), 1991-2020 means; dew point by Magnus from mean T and mean RH; lat/lon/elev, pressure and phase from IWEC Singapore EPW (WMO 486980)",
    },
];

/// The built-in site with this key.
pub fn site(key: &str) -> Option<&'static BuiltinSite> {
    BUILTIN_SITES.iter().find(|s| s.key == key)
}

/// Keys of every built-in site.
pub fn site_keys() -> Vec<&'static str> {
    BUILTIN_SITES.iter().map(|s| s.key).collect()
}
