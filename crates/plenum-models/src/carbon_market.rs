//! Market-based carbon accounting and the 24/7 carbon-free-energy score: how
//! contracted clean energy (power purchase agreements) and certificates count
//! against a site's hourly consumption, beside the location-based figure
//! (consumption × the grid's hourly intensity).
//!
//! Sources:
//! - GHG Protocol Scope 2 Guidance (WRI/WBCSD 2015), ch. 6: the market-based
//!   method counts the energy covered by contractual instruments (PPAs,
//!   certificates) at their emission rate (zero for clean supply) and the rest
//!   at the *residual mix* factor; where no residual mix is published, the
//!   grid's average factor stands in (the guidance's last resort, which it
//!   notes double-counts the clean energy others claim).
//! - Google, "24/7 Carbon-Free Energy: Methodologies and Metrics" (2021): the
//!   CFE score is the share of consumption matched, hour by hour, by
//!   carbon-free supply; clean energy beyond an hour's load does not carry to
//!   another hour.
//!
//! Matching rules:
//! - [`Matching::Annual`]: the year's contracted clean supply plus
//!   certificates is netted against the year's consumption (the "100%
//!   renewable" claim of annual matching); the uncovered rest emits at the
//!   residual factor.
//! - [`Matching::Hourly`]: each hour's contracted clean supply covers that
//!   hour's consumption only; unbundled certificates are not time-stamped, so
//!   they count for nothing (the rule of hourly matching in Google's
//!   methodology and EnergyTag's granular certificates).
//!
//! Because the uncovered energy of hourly matching is never less than the
//! annual one (Σ max(0, load − supply) ≥ max(0, Σ load − Σ supply)) and both
//! emit at the same residual factor, hourly matching never reports less
//! carbon than annual matching.
//!
//! Simplifications, stated: the CFE score counts the contracted supply only;
//! Google's also credits the carbon-free share of the grid's own mix, which an
//! intensity series does not give. The residual factor is one figure for the
//! year, as published residual mixes are.

use serde::Serialize;

/// How contracted clean energy is matched to consumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Matching {
    /// Yearly totals: supply and certificates net against the year's consumption.
    Annual,
    /// Hour by hour: each hour's supply covers that hour only; certificates do not count.
    Hourly,
}

impl Matching {
    /// The rule's name as the scenario spells it.
    pub fn name(self) -> &'static str {
        match self {
            Matching::Annual => "annual",
            Matching::Hourly => "hourly",
        }
    }
}

/// The instruments a site holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Contracts {
    /// Contracted clean supply delivered in each hour, kWh (one entry per hour of the load).
    pub clean_supply_kwh: Vec<f64>,
    /// Unbundled energy attribute certificates for the year, MWh.
    pub certificates_mwh: f64,
    /// Emission factor of uncovered energy, gCO2/kWh (`None`: the
    /// consumption-weighted mean grid intensity, the location-based average).
    pub residual_mix_g_per_kwh: Option<f64>,
    /// The matching rule.
    pub matching: Matching,
}

/// The market-based account of one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MarketAccount {
    /// Consumption, MWh.
    pub consumption_mwh: f64,
    /// Location-based emissions (consumption × hourly intensity), t.
    pub location_based_t: f64,
    /// Market-based emissions under the matching rule, t.
    pub market_based_t: f64,
    /// Hourly-matched clean supply over consumption (Google's 24/7 CFE score), 0-1.
    pub cfe_score: f64,
    /// Contracted clean supply over the year, MWh.
    pub clean_supply_mwh: f64,
    /// Clean supply used in the hour it was delivered, MWh.
    pub hourly_matched_mwh: f64,
    /// Consumption covered by instruments under the matching rule, MWh.
    pub covered_mwh: f64,
    /// Certificates counted under the matching rule, MWh.
    pub certificates_applied_mwh: f64,
    /// Emission factor applied to uncovered consumption, gCO2/kWh.
    pub residual_mix_g_per_kwh: f64,
}

/// Account `load_kwh` (consumption per hour) against `contracts` on the
/// grid's `intensity_g_per_kwh` (per hour, same length).
///
/// # Panics
/// If the three hourly series differ in length.
pub fn account(load_kwh: &[f64], intensity_g_per_kwh: &[f64], contracts: &Contracts) -> MarketAccount {
    assert_eq!(load_kwh.len(), intensity_g_per_kwh.len(), "load and intensity hours");
    assert_eq!(load_kwh.len(), contracts.clean_supply_kwh.len(), "load and clean supply hours");
    let consumption_kwh: f64 = load_kwh.iter().sum();
    let location_g: f64 = load_kwh.iter().zip(intensity_g_per_kwh).map(|(e, g)| e * g).sum();
    let supply_kwh: f64 = contracts.clean_supply_kwh.iter().sum();
    let matched_kwh: f64 = load_kwh.iter().zip(&contracts.clean_supply_kwh).map(|(e, s)| e.min(*s)).sum();
    let residual = contracts.residual_mix_g_per_kwh.unwrap_or(if consumption_kwh > 0.0 {
        location_g / consumption_kwh
    } else {
        0.0
    });
    let (covered_kwh, certificates_kwh) = match contracts.matching {
        Matching::Annual => {
            let certificates_kwh =
                (contracts.certificates_mwh * 1000.0).min((consumption_kwh - supply_kwh).max(0.0));
            ((supply_kwh + certificates_kwh).min(consumption_kwh), certificates_kwh)
        }
        Matching::Hourly => (matched_kwh, 0.0),
    };
    let uncovered_kwh = (consumption_kwh - covered_kwh).max(0.0);
    MarketAccount {
        consumption_mwh: consumption_kwh / 1000.0,
        location_based_t: location_g / 1e6,
        market_based_t: uncovered_kwh * residual / 1e6,
        cfe_score: if consumption_kwh > 0.0 { matched_kwh / consumption_kwh } else { 0.0 },
        clean_supply_mwh: supply_kwh / 1000.0,
        hourly_matched_mwh: matched_kwh / 1000.0,
        covered_mwh: covered_kwh / 1000.0,
        certificates_applied_mwh: certificates_kwh / 1000.0,
        residual_mix_g_per_kwh: residual,
    }
}

/// A constant clean supply (a baseload contract: hydro, geothermal, nuclear)
/// of `annual_mwh` spread evenly over `hours`, kWh per hour.
pub fn flat_supply_kwh(hours: usize, annual_mwh: f64) -> Vec<f64> {
    vec![annual_mwh * 1000.0 / hours.max(1) as f64; hours]
}

/// A solar farm's supply of `annual_mwh` over `hours` hours from 1 January
/// 00:00 local standard time, shaped like the clear-sky cosine of the solar
/// zenith angle at `latitude_deg` at each hour's midpoint, kWh per hour.
///
/// cos θz = sin φ sin δ + cos φ cos δ cos ω (Duffie & Beckman, *Solar
/// Engineering of Thermal Processes*, 4th ed. 2013, eq. 1.6.5 for a horizontal
/// surface), declination δ = 23.45° sin(360° (284 + n) / 365) (Cooper 1969,
/// their eq. 1.6.1a), hour angle ω = 15° per hour from noon. Clouds, tracking,
/// the equation of time and the longitude within the time zone are left out:
/// this is a shape for matching, not a yield forecast.
pub fn solar_supply_kwh(hours: usize, annual_mwh: f64, latitude_deg: f64) -> Vec<f64> {
    let phi = latitude_deg.to_radians();
    let shape: Vec<f64> = (0..hours)
        .map(|h| {
            let day = (h / 24) as f64 + 1.0;
            let solar_hour = (h % 24) as f64 + 0.5;
            let delta = (23.45f64).to_radians() * (std::f64::consts::TAU * (284.0 + day) / 365.0).sin();
            let omega = (15.0 * (solar_hour - 12.0)).to_radians();
            (phi.sin() * delta.sin() + phi.cos() * delta.cos() * omega.cos()).max(0.0)
        })
        .collect();
    let total: f64 = shape.iter().sum();
    if total <= 0.0 {
        return vec![0.0; hours];
    }
    shape.iter().map(|s| s / total * annual_mwh * 1000.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn contracts(supply: Vec<f64>, certificates_mwh: f64, matching: Matching) -> Contracts {
        Contracts { clean_supply_kwh: supply, certificates_mwh, residual_mix_g_per_kwh: None, matching }
    }

    #[test]
    fn annual_matching_nets_the_year_by_hand() {
        let load = [100.0, 100.0];
        let intensity = [200.0, 600.0];
        // 150 kWh of clean supply, all in the first hour; 0.02 MWh of certificates.
        let a = account(&load, &intensity, &contracts(vec![150.0, 0.0], 0.02, Matching::Annual));
        // Location: 100·200 + 100·600 = 80,000 g; residual = 80,000 / 200 = 400 g/kWh.
        assert!((a.location_based_t - 0.08).abs() < 1e-15);
        assert_eq!(a.residual_mix_g_per_kwh, 400.0);
        // Covered: 150 + 20 = 170 kWh; uncovered 30 kWh × 400 = 12,000 g.
        assert!((a.covered_mwh - 0.17).abs() < 1e-15);
        assert!((a.market_based_t - 0.012).abs() < 1e-15);
        assert!((a.certificates_applied_mwh - 0.02).abs() < 1e-15);
        // CFE: hour 1 matched 100 of 100, hour 2 0 of 100.
        assert_eq!(a.cfe_score, 0.5);
    }

    #[test]
    fn hourly_matching_counts_each_hour_alone_by_hand() {
        let load = [100.0, 100.0];
        let intensity = [200.0, 600.0];
        let a = account(&load, &intensity, &contracts(vec![150.0, 0.0], 0.02, Matching::Hourly));
        // Matched: 100 kWh in hour 1 (50 kWh spill), none in hour 2; certificates do not count.
        // Uncovered 100 kWh × 400 g/kWh = 40,000 g.
        assert!((a.market_based_t - 0.04).abs() < 1e-15);
        assert_eq!((a.covered_mwh, a.certificates_applied_mwh, a.cfe_score), (0.1, 0.0, 0.5));
        assert!((a.hourly_matched_mwh - 0.1).abs() < 1e-15);
    }

    #[test]
    fn a_published_residual_mix_replaces_the_grid_average() {
        let a = Contracts {
            residual_mix_g_per_kwh: Some(500.0),
            ..contracts(vec![0.0; 2], 0.0, Matching::Annual)
        };
        let r = account(&[100.0, 100.0], &[200.0, 600.0], &a);
        assert!((r.market_based_t - 0.1).abs() < 1e-15);
    }

    #[test]
    fn certificates_beyond_consumption_claim_nothing_more() {
        let a = account(&[10.0], &[300.0], &contracts(vec![4.0], 1.0, Matching::Annual));
        assert_eq!((a.market_based_t, a.covered_mwh), (0.0, 0.01));
        assert!((a.certificates_applied_mwh - 0.006).abs() < 1e-15);
    }

    #[test]
    fn solar_supply_is_daytime_and_sums_to_the_contract() {
        let s = solar_supply_kwh(8760, 1000.0, 52.0);
        assert!((s.iter().sum::<f64>() - 1e6).abs() < 1e-6);
        // Midnight hours dark, noon bright; June noon brighter than December noon.
        assert!(s.iter().step_by(24).all(|&v| v == 0.0));
        assert!(s[170 * 24 + 12] > 2.0 * s[355 * 24 + 12]);
        let f = flat_supply_kwh(4, 1.0);
        assert_eq!(f, vec![250.0; 4]);
    }

    proptest! {
        /// Hourly matching never reports less carbon than annual matching;
        /// with no instruments both equal the location-based figure; the CFE
        /// score is a share and never above what annual matching covers.
        #[test]
        fn hourly_matching_is_never_below_annual(
            hours in proptest::collection::vec((0.0..500.0f64, 0.0..900.0f64, 0.0..800.0f64), 1..100),
            certificates_mwh in 0.0..10.0f64,
            residual in proptest::option::of(0.0..900.0f64),
        ) {
            let load: Vec<f64> = hours.iter().map(|h| h.0).collect();
            let intensity: Vec<f64> = hours.iter().map(|h| h.1).collect();
            let supply: Vec<f64> = hours.iter().map(|h| h.2).collect();
            let with = |matching, supply: Vec<f64>, certificates_mwh| account(&load, &intensity, &Contracts {
                clean_supply_kwh: supply,
                certificates_mwh,
                residual_mix_g_per_kwh: residual,
                matching,
            });
            let annual = with(Matching::Annual, supply.clone(), certificates_mwh);
            let hourly = with(Matching::Hourly, supply.clone(), certificates_mwh);
            prop_assert!(hourly.market_based_t >= annual.market_based_t - 1e-12 * (1.0 + annual.market_based_t));
            prop_assert!((0.0..=1.0).contains(&hourly.cfe_score));
            prop_assert_eq!(hourly.cfe_score, annual.cfe_score);
            prop_assert!(hourly.cfe_score * annual.consumption_mwh <= annual.covered_mwh + 1e-9);
            prop_assert!(annual.market_based_t >= 0.0);
            if residual.is_none() {
                let none = with(Matching::Hourly, vec![0.0; load.len()], 0.0);
                let tol = 1e-9 * (1.0 + none.location_based_t);
                prop_assert!((none.market_based_t - none.location_based_t).abs() <= tol);
                let none = with(Matching::Annual, vec![0.0; load.len()], 0.0);
                prop_assert!((none.market_based_t - none.location_based_t).abs() <= tol);
                // More supply never raises market-based emissions.
                let more = with(Matching::Hourly, supply.iter().map(|s| 2.0 * s).collect(), 0.0);
                prop_assert!(more.market_based_t <= hourly.market_based_t + 1e-12);
            }
        }
    }
}
