//! The market-based keys of `[carbon]` (matching rule, contracted clean
//! supply, certificates, residual mix), validated. The accounting itself is
//! `plenum_models::carbon_market`.

use crate::raw::RawScenario;
pub use plenum_models::carbon_market::Matching;

/// A validated market-based account's inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarketContracts {
    /// The matching rule.
    pub matching: Matching,
    /// Contracted clean supply over the year, MWh.
    pub ppa_mwh_per_year: f64,
    /// Its hourly shape.
    pub ppa_profile: PpaProfile,
    /// Unbundled certificates for the year, MWh.
    pub certificates_mwh: f64,
    /// Emission factor of uncovered consumption, gCO2/kWh (`None`: the grid's mean).
    pub residual_mix_g_per_kwh: Option<f64>,
}

/// The hourly shape of the contracted supply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PpaProfile {
    /// The same every hour.
    Flat,
    /// Clear-sky sun elevation at a latitude.
    Solar {
        /// Degrees north.
        latitude_deg: f64,
    },
}

/// Validate the market keys of `raw.carbon`; `None` when it has none (or
/// has problems, each given to `add(field, message)`).
pub fn validate(raw: &RawScenario, add: &mut dyn FnMut(&str, String)) -> Option<MarketContracts> {
    let c = raw.carbon.as_ref()?;
    let given = c.matching.is_some()
        || c.ppa_mwh_per_year.is_some()
        || c.ppa_profile.is_some()
        || c.ppa_latitude_deg.is_some()
        || c.certificates_mwh.is_some()
        || c.residual_mix_g_per_kwh.is_some();
    if !given {
        return None;
    }
    let mut ok = true;
    let mut bad = |field: &str, message: String| {
        ok = false;
        add(field, message);
    };
    if raw.cooling.is_none() {
        bad(
            "carbon",
            "market-based accounting (matching, ppa_*, certificates_mwh, residual_mix_g_per_kwh) counts \
             the simulated year's hourly consumption: the scenario needs [cooling]"
                .into(),
        );
    }
    let matching = match c.matching.as_deref().unwrap_or("annual") {
        "annual" => Matching::Annual,
        "hourly" => Matching::Hourly,
        other => {
            bad("carbon.matching", format!("expected one of annual, hourly; found {other:?}"));
            Matching::Annual
        }
    };
    let climate_latitude = raw
        .site
        .as_ref()
        .and_then(|s| s.climate.as_deref())
        .and_then(plenum_models::climate::site)
        .map(|s| s.latitude_deg);
    let ppa_profile = match c.ppa_profile.as_deref().unwrap_or("flat") {
        "flat" => {
            if c.ppa_latitude_deg.is_some() {
                bad(
                    "carbon.ppa_latitude_deg",
                    "a latitude shapes a solar supply: set ppa_profile = \"solar\" or remove ppa_latitude_deg"
                        .into(),
                );
            }
            PpaProfile::Flat
        }
        "solar" => match c.ppa_latitude_deg.or(climate_latitude) {
            Some(latitude_deg) => PpaProfile::Solar { latitude_deg },
            None => {
                bad(
                    "carbon.ppa_profile",
                    "a solar supply needs its latitude: set carbon.ppa_latitude_deg (the site has no built-in climate)"
                        .into(),
                );
                PpaProfile::Flat
            }
        },
        other => {
            bad("carbon.ppa_profile", format!("expected one of flat, solar; found {other:?}"));
            PpaProfile::Flat
        }
    };
    if c.ppa_mwh_per_year.is_none() && (c.ppa_profile.is_some() || c.ppa_latitude_deg.is_some()) {
        bad("carbon.ppa_profile", "a supply shape without its size: set carbon.ppa_mwh_per_year".into());
    }
    if !ok {
        return None;
    }
    Some(MarketContracts {
        matching,
        ppa_mwh_per_year: c.ppa_mwh_per_year.unwrap_or(0.0),
        ppa_profile,
        certificates_mwh: c.certificates_mwh.unwrap_or(0.0),
        residual_mix_g_per_kwh: c.residual_mix_g_per_kwh,
    })
}
