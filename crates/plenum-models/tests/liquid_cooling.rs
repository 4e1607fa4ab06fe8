//! The liquid plant over the built-in years: chiller hours against the ASHRAE
//! class at every site, and heat conserved in every hour of random climates,
//! classes, rejections and captured shares.

use plenum_models::climate;
use plenum_models::liquid_cooling::{LiquidClass, LiquidPlant, LiquidRejection};
use plenum_models::weather::builtin_year;
use proptest::prelude::*;

fn plant(class: LiquidClass, rejection: LiquidRejection, captured_share: f64) -> LiquidPlant {
    LiquidPlant { design_heat_kw: 1_000.0, ..LiquidPlant::new(class, rejection, captured_share) }
}

#[test]
fn chiller_hours_fall_as_the_class_rises_at_every_built_in_site() {
    for key in climate::site_keys() {
        let year = builtin_year(climate::site(key).unwrap());
        let wet_bulb = year.wet_bulb_c();
        for rejection in
            [LiquidRejection::DryCooler, LiquidRejection::Adiabatic, LiquidRejection::CoolingTower]
        {
            let hours: Vec<usize> = LiquidClass::ALL
                .iter()
                .map(|&class| {
                    let p = plant(class, rejection, 0.8);
                    (0..year.dry_bulb_c.len())
                        .filter(|&h| p.step(800.0, year.dry_bulb_c[h], wet_bulb[h]).chillers_kw > 0.0)
                        .count()
                })
                .collect();
            assert!(hours.windows(2).all(|w| w[1] <= w[0]), "{key} {rejection:?}: {hours:?}");
            assert!(hours[5] < 8_760, "{key} {rejection:?}: W+ never free");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every hour, the heat rejected outdoors is the heat captured plus the
    /// pumps' and chillers' work; the plant's power is its parts; water is
    /// used only by towers and wetted pads.
    #[test]
    fn heat_is_conserved_every_hour(
        class in prop::sample::select(LiquidClass::ALL.to_vec()),
        rejection in prop::sample::select(vec![LiquidRejection::DryCooler, LiquidRejection::Adiabatic, LiquidRejection::CoolingTower]),
        captured in 0.0..1.0f64,
        rear_doors in 0.0..1.0f64,
        it_kw in 0.0..2_000.0f64,
        losses_kw in 0.0..200.0f64,
        dry_bulb in -30.0..48.0f64,
        depression in 0.0..25.0f64,
        chillers in any::<bool>(),
    ) {
        let mut p = plant(class, rejection, captured);
        p.rear_door_share = rear_doors;
        p.chillers = chillers;
        let (liquid_kw, air_kw) = p.split(it_kw, it_kw + losses_kw);
        prop_assert!(liquid_kw >= 0.0 && air_kw >= -1e-9);
        prop_assert!((liquid_kw + air_kw - (it_kw + losses_kw)).abs() <= 1e-9 * (1.0 + it_kw));
        let s = p.step(liquid_kw, dry_bulb, dry_bulb - depression);
        let balance = s.heat_kw + s.cdu_pumps_kw + s.facility_pumps_kw + s.chillers_kw;
        prop_assert!((s.heat_rejected_kw - balance).abs() <= 1e-9 * (1.0 + balance));
        prop_assert!(s.total_kw().is_finite() && s.total_kw() >= 0.0);
        prop_assert!(s.evaporation_l >= 0.0 && s.blowdown_l >= 0.0);
        if rejection == LiquidRejection::DryCooler {
            prop_assert_eq!(s.water_l(), 0.0);
        }
        if !chillers {
            prop_assert_eq!(s.chillers_kw, 0.0);
        }
    }
}
