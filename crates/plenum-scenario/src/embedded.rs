//! Scenarios compiled into the binary, so `plenum run` needs no file.
//!
//! The texts are the files in this crate's `scenarios/` folder, kept beside
//! the code that embeds them (so the crate builds on its own); the
//! repository's top-level `scenarios/` holds the examples that are not
//! embedded. A test checks that every embedded scenario validates, and that
//! every file of the folder is embedded.

use crate::{Scenario, ScenarioError};

/// Name and text of every embedded scenario.
pub const SCENARIOS: [(&str, &str); 4] = [
    ("default", include_str!("../scenarios/default.toml")),
    ("ashburn-static", include_str!("../scenarios/ashburn-static.toml")),
    ("hamilton-2008", include_str!("../scenarios/hamilton-2008.toml")),
    ("hamilton-2010", include_str!("../scenarios/hamilton-2010.toml")),
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
    fn every_file_of_the_folder_is_embedded_and_none_is_duplicated() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut names: Vec<String> = super::SCENARIOS.iter().map(|(n, _)| format!("{n}.toml")).collect();
        names.sort();
        assert_eq!(files, names);
        let examples = folder.join("../../../scenarios");
        for name in &names {
            assert!(!examples.join(name).exists(), "{name} is also in the top-level scenarios/");
        }
    }

    #[test]
    fn every_embedded_scenario_validates() {
        for (name, _) in super::SCENARIOS {
            if let Err(e) = super::load(name) {
                panic!("{e}");
            }
        }
    }
}
