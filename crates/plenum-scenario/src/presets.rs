//! Design presets: power chains and cooling plants a scenario names and then
//! adjusts. Every figure cites its source; where a source gives no number, the
//! preset says it is an assumption.

use crate::model::{Level, StageSpec};
use crate::raw::{Preset, StageKind};
use plenum_models::cooling::{ChillerCurves, CoolingPlant, Economizer, HeatRejection};
use plenum_models::power_chain::{LossModel, Redundancy};

/// Split a transformer's total loss at 35% load (the DOE efficiency test point,
/// 10 CFR 431.196) equally between no-load and load loss: a transformer
/// designed for peak efficiency at 35% load has equal core and copper loss
/// there. Returns (no-load, square-law) coefficients of rating.
fn transformer_loss(efficiency_at_35_percent: f64) -> LossModel {
    let total_at_35 = 0.35 * (1.0 / efficiency_at_35_percent - 1.0);
    LossModel { no_load: total_at_35 / 2.0, proportional: 0.0, square: total_at_35 / 2.0 / (0.35 * 0.35) }
}

fn stage(
    name: &str,
    level: Level,
    redundancy: Redundancy,
    loss: LossModel,
    feeds_mechanical: bool,
) -> StageSpec {
    StageSpec {
        name: name.into(),
        level,
        capacity_kw: None,
        units: None,
        unit_kw: None,
        redundancy,
        loss,
        feeds_mechanical,
    }
}

/// The stages of a power-chain preset, from the utility down.
pub fn power_chain(preset: Preset) -> Vec<StageSpec> {
    // White Paper 113 (N. Rasmussen, Schneider Electric, Rev 2) Table 2 figures.
    let generator = LossModel { no_load: 0.003, proportional: 0.0, square: 0.0 };
    let switchgear = LossModel { no_load: 0.0, proportional: 0.0, square: 0.005 };
    let pdu = LossModel { no_load: 0.015, proportional: 0.0, square: 0.015 };
    let wiring = LossModel { no_load: 0.0, proportional: 0.0, square: 0.01 };
    match preset {
        Preset::Legacy => vec![
            // DOE 2007 minimum for 1,000 kVA three-phase dry-type: 98.9% at 35% load.
            stage("transformer", Level::Site, Redundancy::N, transformer_loss(0.989), true),
            stage("generator", Level::Site, Redundancy::N, generator, true),
            stage("switchgear", Level::Site, Redundancy::N, switchgear, true),
            // WP 113 Table 2 UPS: 4% no-load, 5% proportional; 2N as in WP 113's example.
            stage(
                "ups",
                Level::Site,
                Redundancy::TwoN,
                LossModel { no_load: 0.04, proportional: 0.05, square: 0.0 },
                false,
            ),
            stage("pdu", Level::Pdu, Redundancy::TwoN, pdu, false),
            stage("rack_wiring", Level::Rack, Redundancy::N, wiring, false),
        ],
        Preset::Modern => vec![
            // DOE 2016 minimum for 1,000 kVA three-phase dry-type: 99.28% at 35% load.
            stage("transformer", Level::Site, Redundancy::N, transformer_loss(0.9928), true),
            stage("generator", Level::Site, Redundancy::N, generator, true),
            stage("switchgear", Level::Site, Redundancy::N, switchgear, true),
            // Three-term fit to the modern double-conversion UPS curve of LBNL's
            // Data Center Electrical Power Chain Assessment Tool v2.1 (2020).
            stage(
                "ups",
                Level::Site,
                Redundancy::NPlus1,
                LossModel { no_load: 0.00949, proportional: 0.01058, square: 0.01701 },
                false,
            ),
            stage("pdu", Level::Pdu, Redundancy::N, pdu, false),
            stage("rack_wiring", Level::Rack, Redundancy::N, wiring, false),
        ],
    }
}

/// What a power-delivery `kind` gives a stage: its losses, the rating of one
/// unit (when it is modular) and its redundancy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeliveryKind {
    /// Loss coefficients.
    pub loss: LossModel,
    /// Rating of one unit, kW (None: one unit per instance).
    pub unit_kw: Option<f64>,
    /// Redundancy when the stage does not say.
    pub redundancy: Redundancy,
}

/// 80 PLUS Titanium minimum efficiencies, 230 V internal redundant, at 10, 20,
/// 50 and 100% load (CLEAResult 80 PLUS program requirements), the curve of
/// [`plenum_models::it_power::PsuCurve::eighty_plus`].
const TITANIUM: [(f64, f64); 4] = [(0.1, 0.90), (0.2, 0.94), (0.5, 0.96), (1.0, 0.91)];

/// The figures of a power-delivery stage kind.
pub fn delivery_kind(kind: StageKind) -> DeliveryKind {
    // White Paper 113 (N. Rasmussen, Schneider Electric, Rev 2) Table 2:
    // wiring loses 1% of its rating at full load, as I²R.
    let wiring = LossModel { no_load: 0.0, proportional: 0.0, square: 0.01 };
    match kind {
        // A busway is copper bars without a transformer: only I²R, WP 113's
        // wiring figure; fed A and B as the PDUs it replaces usually are not,
        // so N unless the stage says `2n`.
        StageKind::Busway => DeliveryKind { loss: wiring, unit_kw: None, redundancy: Redundancy::N },
        // A 415/240 V rack PDU has no transformer either (the 240 V phase to
        // neutral reaches the server PSUs): the branch wiring's I²R; the AC to
        // DC conversion stays in each server's `psu`. A and B feeds (2N), as
        // dual-corded servers are fed.
        StageKind::RackPduAc => DeliveryKind { loss: wiring, unit_kw: None, redundancy: Redundancy::TwoN },
        // Open Rack V3 48-54 V DC power shelf: rectifier modules of 5.5 kW
        // (ORv3 high-power rack PSU, six to a 33 kW shelf: C. Aydin and H. Soin,
        // "Requirements/Considerations of Next Generation ORv3 PSU and Power
        // Shelves", OCP Global Summit 2023), N+N (the A and B shelves of the
        // ORv3 power architecture), converting at the 80 PLUS Titanium minimum
        // (an assumption: ORv3 rectifiers are at least that efficient),
        // fitted to the three-term model.
        StageKind::PowerShelfDc => DeliveryKind {
            loss: LossModel::fit_efficiency(&TITANIUM),
            unit_kw: Some(5.5),
            redundancy: Redundancy::TwoN,
        },
    }
}

/// Airflow per kW of heat at a supply-return rise of `delta_t_k`, in cfm:
/// 1 / (ρ·cp·ΔT) with ρ = 1.2 kg/m³, cp = 1.006 kJ/(kg·K); 2118.88 cfm per m³/s.
fn cfm_per_kw(delta_t_k: f64) -> f64 {
    1.0 / (1.2 * 1.006 * delta_t_k) * 2_118.88
}

/// The plant of a cooling preset; `design_heat_kw` is set later by the engine.
pub fn cooling(preset: Preset) -> CoolingPlant {
    let common = CoolingPlant {
        rejection: HeatRejection::WaterCooled,
        economizer: Economizer::None,
        curves: ChillerCurves::WATER_COOLED_LARGE,
        chiller_cop_rated: ChillerCurves::WATER_COOLED_LARGE.rated_cop,
        chillers: 4,
        design_heat_kw: 0.0,
        supply_air_c: 24.0,
        return_air_c: 36.0,
        chilled_water_supply_c: 15.6,
        chilled_water_delta_t_k: 6.0,
        // Cooling-tower approach 10 °F (PG&E, Energy Efficiency Baselines for Data
        // Centers, 2010, as used by LBNL DC Pro v3.0, Appendix D).
        rejection_approach_k: 10.0 * 5.0 / 9.0,
        // Economizer heat exchanger approach 3 °F (LBNL DC Pro v3.0, Appendix D).
        hx_approach_k: 3.0 * 5.0 / 9.0,
        // Assumption: 1 K of fan heat between outdoor air and supply.
        air_economizer_approach_k: 1.0,
        // ASHRAE TC 9.9 recommended envelope: dew point up to 15 °C.
        air_economizer_max_dew_point_c: 15.0,
        fan_design_fraction: 0.0,
        fan_variable_speed: true,
        // Assumption: fans turn down to 30% airflow.
        fan_min_speed_fraction: 0.3,
        // ASHRAE 90.1 Appendix G: 22 W/gpm chilled water at 2.4 gpm/ton (10 °F rise).
        chilled_water_pump_fraction: 22.0 * 2.4 / 1000.0 / 3.516_85,
        // ASHRAE 90.1 Appendix G: 19 W/gpm condenser water at 3 gpm/ton.
        condenser_pump_fraction: 19.0 * 3.0 / 1000.0 / 3.516_85,
        // Tower fans at 40.2 gpm/hp (ASHRAE 90.1-2013), 3 gpm/ton: 1.27% of heat rejected.
        tower_fan_fraction: 0.0127,
    };
    match preset {
        // Warm water at the limit of the 90.1 curves (60 °F), water-side economizer,
        // variable-speed fans at LBNL's "better practice" 0.5 W/cfm (Mathew et al.,
        // Self-benchmarking Guide for Data Centers, LBNL 2009), supply air 24 °C
        // inside ASHRAE's recommended 18-27 °C.
        Preset::Modern => CoolingPlant {
            economizer: Economizer::WaterSide,
            fan_design_fraction: 0.5 * cfm_per_kw(12.0) / 1000.0,
            ..common
        },
        // 45 °F chilled water with a 10 °F rise and 0.67 W/cfm constant-speed fans
        // (PG&E 2010 baseline via DC Pro v3.0), COP 5.55 (ASHRAE 90.1-2007
        // water-cooled centrifugal < 300 tons, via DC Pro), supply air 18 °C, no
        // economizer.
        Preset::Legacy => CoolingPlant {
            economizer: Economizer::None,
            chiller_cop_rated: 5.55,
            supply_air_c: 18.0,
            return_air_c: 29.0,
            chilled_water_supply_c: 7.2,
            chilled_water_delta_t_k: 10.0 * 5.0 / 9.0,
            fan_design_fraction: 0.67 * cfm_per_kw(11.0) / 1000.0,
            fan_variable_speed: false,
            ..common
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transformer_split_reproduces_the_doe_efficiency() {
        let loss = transformer_loss(0.9928);
        assert!((loss.efficiency(0.35) - 0.9928).abs() < 1e-12);
    }

    #[test]
    fn fan_fractions_match_the_derivation() {
        // 0.5 W/cfm at an 11.1 K rise is 7.9% of heat (158 cfm/kW).
        assert!((cfm_per_kw(11.1) - 158.1).abs() < 0.5);
        assert!((0.5 * cfm_per_kw(11.1) / 1000.0 - 0.079).abs() < 0.001);
    }

    #[test]
    fn delivery_kinds_follow_their_sources() {
        let shelf = delivery_kind(StageKind::PowerShelfDc);
        assert_eq!((shelf.unit_kw, shelf.redundancy), (Some(5.5), Redundancy::TwoN));
        // Near the Titanium points: 96% at half load, 91% at full load.
        assert!((shelf.loss.efficiency(0.5) - 0.96).abs() < 0.005);
        assert!((shelf.loss.efficiency(1.0) - 0.91).abs() < 0.005);
        let busway = delivery_kind(StageKind::Busway);
        assert_eq!(busway.loss.loss_kw(0.0, 1.0), 0.0);
        assert!((busway.loss.efficiency(1.0) - 1.0 / 1.01).abs() < 1e-12);
        assert_eq!(delivery_kind(StageKind::RackPduAc).redundancy, Redundancy::TwoN);
    }

    #[test]
    fn legacy_presets_are_the_less_efficient() {
        let ups = |p| power_chain(p).into_iter().find(|s| s.name == "ups").unwrap();
        assert_eq!(ups(Preset::Legacy).redundancy, Redundancy::TwoN);
        assert_eq!(ups(Preset::Modern).redundancy, Redundancy::NPlus1);
        assert!(cooling(Preset::Legacy).chiller_cop_rated < cooling(Preset::Modern).chiller_cop_rated);
        assert_eq!(cooling(Preset::Legacy).economizer, Economizer::None);
    }
}
