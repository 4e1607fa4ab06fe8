//! Scenarios compiled into the binary, so `plenum run` needs no file.
//!
//! The texts are the files under the repository's `scenarios/` folder; a test
//! checks that every one of them validates.

use crate::{Scenario, ScenarioError};

/// Name and text of every embedded scenario.
pub const SCENARIOS: [(&str, &str); 4] = [
    ("default", include_str!("../../../scenarios/default.toml")),
    ("ashburn-static", include_str!("../../../scenarios/ashburn-static.toml")),
    ("hamilton-2008", include_str!("../../../scenarios/hamilton-2008.toml")),
    ("hamilton-2010", include_str!("../../../scenarios/hamilton-2010.toml")),
];

/// Load an embedded scenario by name.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    let (_, text) = SCENARIOS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| ScenarioError::file(name, "no embedded scenario of that name"))?;
    Scenario::from_toml_str(text, &format!("<embedded {name}>"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_scenario_validates() {
        for (name, _) in super::SCENARIOS {
            if let Err(e) = super::load(name) {
                panic!("{e}");
            }
        }
    }
}
