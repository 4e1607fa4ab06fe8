//! A year's IT side kept for reuse ([`ItSide`]): every hour's servers, racks,
//! PDUs and the stages that do not feed the cooling plant, up to the UPS's
//! input, so that a scenario which moves only the climate, the cooling plant,
//! the mechanical stages, other loads or prices recomputes only the cooling
//! and what follows it.

use super::design::PlacedStage;
use super::hours::{Context, Hour};
use plenum_scenario::Level;

/// Every hour's IT side of a simulated year: the hours as the year computed
/// them up to the UPS's input (the mechanical stages, the cooling, water and
/// facility power left at zero), and the peaks of racks, PDUs and the stages
/// that do not feed the cooling plant. Kept by [`super::it_side`](fn@super::it_side) for
/// scenarios that share it ([`super::same_it_side`]); read back, each hour
/// continues to the same bits a run of its own gives.
///
/// Memory: one hour record and three figures a stage an hour, about 4 MB
/// for a year of the default scenario's nine stages; far less than the
/// servers' power it is computed from ([`super::ServersPower`]).
#[derive(Debug, Clone)]
pub struct ItSide {
    pub(super) hours: Vec<Hour>,
    pub(super) rack_peak: Vec<f64>,
    pub(super) pdu_peak: Vec<f64>,
    /// Per stage and instance; zero for the stages that feed the cooling plant.
    pub(super) stage_peak: Vec<Vec<f64>>,
    /// Per stage: its level, whether it feeds the cooling plant, and its
    /// instances.
    layout: Vec<(Level, bool, usize)>,
}

impl ItSide {
    /// The IT side of a year's `hours` and peaks, designed as `stages`.
    pub(super) fn keep(
        stages: &[PlacedStage],
        hours: &[Hour],
        rack_peak: &[f64],
        pdu_peak: &[f64],
        stage_peak: &[Vec<f64>],
    ) -> ItSide {
        let mechanical: Vec<bool> = stages.iter().map(|s| s.feeds_mechanical).collect();
        let it_only = |values: &[f64]| -> Vec<f64> {
            values.iter().zip(&mechanical).map(|(v, &m)| if m { 0.0 } else { *v }).collect()
        };
        let hours = hours
            .iter()
            .map(|h| Hour {
                utilization: h.utilization,
                it_kw: h.it_kw,
                psu_loss_kw: h.psu_loss_kw,
                stage_output_kw: it_only(&h.stage_output_kw),
                stage_loss_kw: it_only(&h.stage_loss_kw),
                stage_loading: it_only(&h.stage_loading),
                rack_sd_kw: h.rack_sd_kw,
                ups_in_kw: h.ups_in_kw,
                ..Hour::default()
            })
            .collect();
        let stage_peak = stage_peak
            .iter()
            .zip(&mechanical)
            .map(|(peaks, &m)| if m { vec![0.0; peaks.len()] } else { peaks.clone() })
            .collect();
        ItSide {
            hours,
            rack_peak: rack_peak.to_vec(),
            pdu_peak: pdu_peak.to_vec(),
            stage_peak,
            layout: stages.iter().map(|s| (s.level, s.feeds_mechanical, s.instances)).collect(),
        }
    }

    /// Whether a year designed as `stages` for `racks` racks and `pdus` PDUs
    /// has this IT side's layout (a guard: the scenarios were compared by
    /// [`super::same_it_side`] already).
    pub(super) fn fits(&self, stages: &[PlacedStage], racks: usize, pdus: usize) -> bool {
        self.rack_peak.len() == racks
            && self.pdu_peak.len() == pdus
            && self.layout.len() == stages.len()
            && self.layout.iter().zip(stages).all(|(&(level, m, n), s)| {
                level == s.level && m == s.feeds_mechanical && (m || n == s.instances)
            })
    }

    /// Bytes held, roughly: the hour records and their per-stage figures.
    pub fn bytes(&self) -> usize {
        let per_hour = std::mem::size_of::<Hour>() + 3 * self.layout.len() * std::mem::size_of::<f64>();
        self.hours.len() * per_hour
            + (self.rack_peak.len() + self.pdu_peak.len()) * std::mem::size_of::<f64>()
    }
}

impl Context<'_> {
    /// [`Context::run`] for hours `range` from their kept IT side: each hour
    /// continues with the cooling and the mechanical stages; the peaks are
    /// the IT side's with the mechanical stages' over `range`.
    pub(super) fn run_reusing(
        &self,
        it: &ItSide,
        range: std::ops::Range<usize>,
    ) -> (Vec<Hour>, Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let mechanical_stages = self.mechanical_stages();
        let mut stage_peak = it.stage_peak.clone();
        for &i in &mechanical_stages {
            stage_peak[i] = vec![0.0; self.stages[i].instances];
        }
        let hours = range
            .map(|h| {
                let mut hour = it.hours[h].clone();
                self.mechanical(h, &mechanical_stages, &mut hour, &mut stage_peak);
                hour
            })
            .collect();
        (hours, it.rack_peak.clone(), it.pdu_peak.clone(), stage_peak)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Inputs, it_side, same_it_side, simulate};
    use plenum_scenario::Scenario;
    use toml::Value;

    fn scenario(values: &[(&str, Value)]) -> Scenario {
        let mut all = vec![
            ("servers[0].count", Value::Integer(400)),
            ("facility.critical_power_kw", Value::Float(200.0)),
        ];
        all.extend_from_slice(values);
        plenum_scenario::embedded::load("default").and_then(|s| s.with_values(&all)).unwrap()
    }

    /// The year's summary and hourly table as JSON and text (every figure's
    /// shortest round-trip decimal: equal text, equal bits).
    fn year(scenario: &Scenario, inputs: &Inputs) -> (serde_json::Value, String) {
        let (summary, table) = simulate(scenario, inputs).unwrap().unwrap();
        (serde_json::to_value(&summary).unwrap(), format!("{:?}", table.columns))
    }

    #[test]
    fn a_year_continued_from_a_shared_it_side_is_its_own_to_the_bit() {
        let base = scenario(&[]);
        let kept = it_side(&base, &Inputs::default(), &crate::Control::default()).unwrap().unwrap();
        let shared = Inputs { it_side: Some(std::sync::Arc::new(kept)), ..Inputs::default() };
        let moved = scenario(&[
            ("site.climate", Value::String("singapore".into())),
            ("cooling.economizer", Value::String("air_side".into())),
            ("cooling.chilled_water_supply_c", Value::Float(20.0)),
        ]);
        assert!(same_it_side(&moved, &base));
        assert_eq!(year(&moved, &shared), year(&moved, &Inputs::default()));
        assert_eq!(year(&base, &shared), year(&base, &Inputs::default()));
        // The IT side is read, not recomputed: given to a scenario whose
        // servers draw more, the year keeps the base's IT power.
        let busier = scenario(&[("utilization.mean_cpu_fraction", Value::Float(0.6))]);
        assert!(!same_it_side(&busier, &base));
        let (read, _) = year(&busier, &shared);
        let (own, _) = year(&busier, &Inputs::default());
        let (base_year, _) = year(&base, &Inputs::default());
        assert_eq!(read["energy"]["it_mwh"], base_year["energy"]["it_mwh"]);
        assert_ne!(read["energy"]["it_mwh"], own["energy"]["it_mwh"]);
    }
}
