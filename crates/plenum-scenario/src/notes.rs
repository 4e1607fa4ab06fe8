//! Notes: what a scenario leaves out and the figure Plenum computes in its
//! place. A scenario may omit `[network]`, `[people]`, `[maintenance]`,
//! `[utilization]` or embodied carbon; the figures that depend on them are
//! then 0 (or the stated default), and each such gap is a [`Note`] carried by
//! the scenario into the summary JSON (`notes`, beside `warnings`), the
//! table and the report, so that a silent default is never read as a result.

use crate::raw::RawScenario;
use serde::Serialize;

/// One figure computed from an absent input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Stable identifier (`people-absent`).
    pub code: String,
    /// What was absent and what Plenum used instead, in words.
    pub message: String,
    /// The scenario key path that is absent (`people`).
    pub field: String,
}

impl Note {
    fn new(code: &str, field: &str, message: impl Into<String>) -> Note {
        Note { code: code.into(), message: message.into(), field: field.into() }
    }
}

/// The notes for a raw scenario that passed validation.
pub(crate) fn notes(raw: &RawScenario) -> Vec<Note> {
    let mut out = Vec::new();
    let simulated = raw.cooling.is_some();
    let replayed = raw.workload.is_some();
    if raw.utilization.is_none() && !replayed {
        if simulated {
            out.push(Note::new(
                "utilization-absent",
                "utilization",
                "no [utilization]: the simulated year runs every server at 0% CPU (idle power all year); \
                 add [utilization] with mean_cpu_fraction (e.g. 0.3) for a working fleet",
            ));
        } else {
            out.push(Note::new(
                "utilization-absent",
                "utilization",
                "no [utilization]: no price per vCPU-hour (it needs the mean CPU utilization)",
            ));
        }
    }
    if raw.network.is_none() {
        out.push(Note::new(
            "network-absent",
            "network",
            "no [network]: networking costs $0 (no switches bought, 0 kW drawn)",
        ));
    }
    if raw.people.is_none() {
        out.push(Note::new("people-absent", "people", "no [people]: staff cost $0 a month"));
    }
    if raw.maintenance.is_none() {
        out.push(Note::new(
            "maintenance-absent",
            "maintenance",
            "no [maintenance]: maintenance costs $0 a year",
        ));
    }
    if simulated {
        let building = raw.carbon.as_ref().map_or(0.0, |c| c.building_t_per_mw);
        if building == 0.0 {
            out.push(Note::new(
                "building-embodied-carbon-absent",
                "carbon.building_t_per_mw",
                "no building_t_per_mw in [carbon]: the building's embodied carbon counts as 0 tCO2e",
            ));
        }
        for (i, sku) in raw.servers.iter().enumerate().filter(|(_, s)| s.embodied_kgco2e == 0.0) {
            out.push(Note::new(
                "server-embodied-carbon-absent",
                &format!("servers[{i}].embodied_kgco2e"),
                format!(
                    "no embodied_kgco2e for server SKU {:?}: its embodied carbon counts as 0 kgCO2e",
                    sku.name
                ),
            ));
        }
    }
    out
}
