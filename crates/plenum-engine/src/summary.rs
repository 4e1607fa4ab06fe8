//! The JSON summary of a run, as one typed tree: [`Summary`] is the single
//! definition of what `plenum run --format json` prints, what `summary.json`
//! holds and what the report and a run folder read back. Serializing it gives
//! the JSON; deserializing checks it (every object refuses unknown keys);
//! [`Summary::json_schema`] is its JSON Schema (`plenum schema --summary`).
//!
//! Field names keep their units. To add a figure, add a field to the section
//! type that owns it (e.g. [`crate::facility::CarbonSummary`]) with a doc
//! comment giving its unit and source; a new top-level section is a field
//! here and one line in [`Summary`]'s `Serialize`.

use crate::calibration::Calibration;
use crate::carbon_aware::CarbonAwareSummary;
use crate::facility::StageSummary;
use crate::facility::{
    CarbonSummary, CoolingSummary, EnergySummary, OversubscriptionSummary, PueSummary, WaterSummary,
};
use crate::plan::PlanSummary;
use crate::reliability::ReliabilitySummary;
use crate::results::{CostSummary, ItSummary, NetworkSummary, Results, ScenarioInfo};
use crate::skus::SkuComparison;
use crate::training::{PowerDynamicsSummary, TrainingSummary};
use crate::warnings::Warning;
use crate::workload::{ReplayEnergy, WorkloadFigures};
use plenum_scenario::notes::Note;
use schemars::JsonSchema;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

pub use crate::json_forms::Named;

/// Everything a run reports, in the order the JSON lists it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// What was run.
    pub scenario: ScenarioInfo,
    /// Problems with the design the run found (overloads, lost redundancy,
    /// mismatched inputs): the run completes, and these say what to fix.
    pub warnings: Vec<Warning>,
    /// Cost breakdown and unit costs.
    pub cost: CostSummary,
    /// IT power figures.
    pub it: ItSummary,
    /// Network cost, power and sizing.
    pub network: NetworkSummary,
    /// Work per dollar and per joule by SKU, where SKUs give a work rate
    /// (absent when none does).
    #[serde(default)]
    pub skus: Vec<SkuComparison>,
    /// Energy: the simulated year's (with the replay's IT energy as
    /// `replay_it_mwh` when there is one), or the replay's alone.
    #[serde(default)]
    pub energy: Option<Energy>,
    /// PUE of the simulated year (scenarios with `[cooling]`).
    #[serde(default)]
    pub pue: Option<PueSummary>,
    /// Cooling over the simulated year.
    #[serde(default)]
    pub cooling: Option<CoolingSummary>,
    /// Water drawn by cooling towers and adiabatic pads over the simulated year.
    #[serde(default)]
    pub water: Option<WaterSummary>,
    /// Carbon over the simulated year.
    #[serde(default)]
    pub carbon: Option<CarbonSummary>,
    /// Power-chain stages over the simulated year, in chain order from the utility down.
    #[serde(default)]
    pub power_chain: Option<Named<StageSummary>>,
    /// Peak power against nameplate over the simulated year.
    #[serde(default)]
    pub oversubscription: Option<OversubscriptionSummary>,
    /// Mean utilization over the simulated year (fraction).
    #[serde(default)]
    pub mean_utilization: Option<f64>,
    /// Where the simulated year's weather came from.
    #[serde(default)]
    pub weather_source: Option<String>,
    /// Reliability study, when the scenario has `[reliability]`.
    #[serde(default)]
    pub reliability: Option<ReliabilitySummary>,
    /// Carbon-aware shifting against running at arrival, when the scenario
    /// has `[carbon_aware]`.
    #[serde(default)]
    pub carbon_aware: Option<CarbonAwareSummary>,
    /// Trace replay figures, when the scenario has `[workload]`.
    #[serde(default)]
    pub workload: Option<WorkloadFigures>,
    /// The capacity plan, when the scenario has `[plan]`.
    #[serde(default)]
    pub plan: Option<PlanSummary>,
    /// Figures computed from absent inputs (`{code, message, field}`).
    pub notes: Vec<Note>,
    /// The comparison with measured telemetry, when the scenario has `[telemetry]`.
    #[serde(default)]
    pub calibration: Option<Calibration>,
    /// A training job's interruptions and goodput, when the scenario has `[training]`.
    #[serde(default)]
    pub training: Option<TrainingSummary>,
    /// The training job's power swings as the grid sees them, before and
    /// after each mitigation, when the scenario has `[training]`.
    #[serde(default)]
    pub power_dynamics: Option<PowerDynamicsSummary>,
}

/// `energy`: a simulated year's, or a trace replay's when there is no year.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Energy {
    /// The simulated year's energy.
    Year(EnergySummary),
    /// The replay's IT energy (scenarios with `[workload]` and no `[cooling]`).
    Replay(ReplayEnergy),
}

impl Summary {
    /// The summary of `results`, with the capacity plan, the scenario's notes
    /// and the telemetry comparison the run layer adds.
    pub fn new(
        results: &Results,
        plan: Option<&PlanSummary>,
        notes: &[Note],
        calibration: Option<&Calibration>,
    ) -> Summary {
        let year = results.facility.as_ref();
        let replay = results.workload.as_ref();
        let energy = match (year, replay) {
            (Some(year), replay) => Some(Energy::Year(EnergySummary {
                replay_it_mwh: replay.map(|r| r.energy.it_mwh),
                ..year.energy.clone()
            })),
            (None, Some(replay)) => Some(Energy::Replay(replay.energy.clone())),
            (None, None) => None,
        };
        Summary {
            scenario: results.scenario.clone(),
            warnings: results.warnings.clone(),
            cost: results.cost.clone(),
            it: results.it.clone(),
            network: results.network.clone(),
            skus: results.skus.clone(),
            energy,
            pue: year.map(|y| y.pue.clone()),
            cooling: year.map(|y| y.cooling.clone()),
            water: year.map(|y| y.water.clone()),
            carbon: year.map(|y| y.carbon.with_market(results.carbon_market.as_ref())),
            power_chain: year.map(|y| y.power_chain.clone()),
            oversubscription: year.map(|y| y.oversubscription.clone()),
            mean_utilization: year.map(|y| y.mean_utilization),
            weather_source: year.map(|y| y.weather_source.clone()),
            reliability: results.reliability.clone(),
            carbon_aware: results.carbon_aware.clone(),
            workload: replay.map(|r| r.workload.clone()),
            plan: plan.cloned(),
            notes: notes.to_vec(),
            calibration: calibration.cloned(),
            training: results.training.clone(),
            power_dynamics: results.power_dynamics.clone(),
        }
    }

    /// The JSON Schema of the summary (draft 2020-12), as `plenum schema --summary` prints it.
    pub fn json_schema() -> serde_json::Value {
        schemars::schema_for!(Summary).to_value()
    }

    /// The summary as a JSON value (what `plenum run --format json` prints).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a summary serializes")
    }
}

impl Serialize for Summary {
    /// The fields in declaration order, absent sections left out, except that
    /// a replay's energy alone follows `workload`: the order of the JSON
    /// before it was typed, which scripts reading the text may rely on.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fn some<M: SerializeMap, T: Serialize>(
            m: &mut M,
            key: &str,
            value: &Option<T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => m.serialize_entry(key, value),
                None => Ok(()),
            }
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("scenario", &self.scenario)?;
        m.serialize_entry("warnings", &self.warnings)?;
        m.serialize_entry("cost", &self.cost)?;
        m.serialize_entry("it", &self.it)?;
        m.serialize_entry("network", &self.network)?;
        if !self.skus.is_empty() {
            m.serialize_entry("skus", &self.skus)?;
        }
        if let Some(Energy::Year(energy)) = &self.energy {
            m.serialize_entry("energy", energy)?;
        }
        some(&mut m, "pue", &self.pue)?;
        some(&mut m, "cooling", &self.cooling)?;
        some(&mut m, "water", &self.water)?;
        some(&mut m, "carbon", &self.carbon)?;
        some(&mut m, "power_chain", &self.power_chain)?;
        some(&mut m, "oversubscription", &self.oversubscription)?;
        some(&mut m, "mean_utilization", &self.mean_utilization)?;
        some(&mut m, "weather_source", &self.weather_source)?;
        some(&mut m, "reliability", &self.reliability)?;
        some(&mut m, "carbon_aware", &self.carbon_aware)?;
        some(&mut m, "workload", &self.workload)?;
        if let Some(Energy::Replay(energy)) = &self.energy {
            m.serialize_entry("energy", energy)?;
        }
        some(&mut m, "plan", &self.plan)?;
        m.serialize_entry("notes", &self.notes)?;
        some(&mut m, "calibration", &self.calibration)?;
        some(&mut m, "training", &self.training)?;
        some(&mut m, "power_dynamics", &self.power_dynamics)?;
        m.end()
    }
}

impl Results {
    /// The JSON summary of these results alone (no plan, notes or
    /// calibration: [`Summary::new`] adds those).
    pub fn summary(&self) -> Summary {
        Summary::new(self, None, &[], None)
    }
}
