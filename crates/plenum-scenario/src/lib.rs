//! Scenario files: what a user writes, how it is checked, and the validated
//! [`Scenario`] the engine runs.
//!
//! ```
//! use plenum_scenario::Scenario;
//!
//! // A file that gives only what differs from the embedded default.
//! let phoenix = Scenario::load("phoenix.toml", "base = \"default\"\n\n[site]\nclimate = \"phoenix\"\n", &[]).unwrap();
//! assert_eq!(phoenix.servers.len(), Scenario::embedded_default().servers.len());
//!
//! // Bad input: every problem, each naming the file, line and field.
//! let error = Scenario::load("typo.toml", "base = \"default\"\n\n[site]\nclimat = \"phoenix\"\n", &[]).unwrap_err();
//! assert!(error.to_string().contains("typo.toml:4"), "{error}");
//! ```
//!
//! Loading goes in three steps, each collecting every problem before it stops:
//! parse the TOML keeping spans ([`document`]), check the tree against the
//! schema derived from the raw types ([`check`], [`raw`]; every either/or key
//! is an enum there, so the schema lists its words and the check suggests the
//! closest), then validate what needs several fields at once ([`validate`],
//! each section's validator adding to one collector of problems). Errors name the file, line,
//! column and field ([`diagnostic`]). Embedded scenarios ([`embedded`]) make
//! `plenum run` work with no file at all.

pub mod base;
pub mod carbon_aware;
pub mod carbon_market;
pub mod check;
pub mod diagnostic;
pub mod document;
pub mod embedded;
pub mod model;
pub mod notes;
pub mod paths;
pub mod physics;
pub mod plan;
mod plausible;
pub mod presets;
mod problems;
mod rack_density;
pub mod raw;
pub mod reference;
pub mod reliability;
pub mod telemetry;
pub mod training;
pub mod validate;
pub mod workload;

pub use diagnostic::{Diagnostic, Location, ScenarioError};
pub use document::Document;
pub use model::*;

use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The JSON Schema of scenario files (draft 2020-12), for editors and checks.
pub fn json_schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(raw::RawScenario).to_value())
}

impl Scenario {
    /// Read and validate a scenario file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        Scenario::from_path_with(path, &[])
    }

    /// Read a scenario file, apply `--set` style overrides, and validate.
    pub fn from_path_with(path: impl AsRef<Path>, overrides: &[String]) -> Result<Scenario, ScenarioError> {
        Scenario::from_path_edited(path, &[], overrides)
    }

    /// Read a scenario file, remove the keys `unset` names (`--unset`), then
    /// apply `--set` style overrides, and validate.
    pub fn from_path_edited(
        path: impl AsRef<Path>,
        unset: &[String],
        overrides: &[String],
    ) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        if path.is_dir() {
            return Err(ScenarioError::file(&origin, "is a directory, expected a scenario file (TOML)"));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::file(&origin, format!("cannot read: {e}")))?;
        Scenario::load_edited(&origin, &text, unset, overrides)
    }

    /// Validate scenario text; `origin` names it in diagnostics.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        Scenario::load(origin, text, &[])
    }

    /// Parse, override and validate.
    pub fn load(origin: &str, text: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
        Scenario::load_edited(origin, text, &[], overrides)
    }

    /// Parse, remove the keys `unset` names (`facility.cost_usd_per_critical_w`),
    /// apply the `overrides` (`facility.capex_usd=88e6`), and validate. Removals
    /// come first, so a key can be removed and given anew; diagnostics caused
    /// by either name the `--unset` or `--set` instead of a line of the file.
    pub fn load_edited(
        origin: &str,
        text: &str,
        unset: &[String],
        overrides: &[String],
    ) -> Result<Scenario, ScenarioError> {
        let error = |diagnostics, source| ScenarioError { origin: origin.to_string(), source, diagnostics };
        let mut document = Document::parse(origin, text).map_err(|d| error(d, text.into()).sorted())?;
        base::apply(&mut document).map_err(|d| error(vec![d], document.source.clone()))?;
        let mut problems = Vec::new();
        for path in unset {
            if let Err(d) = document.unset(path) {
                problems.push(d);
            }
        }
        for assignment in overrides {
            if let Err(d) = document.set(assignment) {
                problems.push(d);
            }
        }
        if !problems.is_empty() {
            return Err(error(problems, document.source.clone()));
        }
        Scenario::from_document(document)
    }

    /// Validate an already parsed (and perhaps edited) document.
    pub fn from_document(document: Document) -> Result<Scenario, ScenarioError> {
        let error = |diagnostics| {
            ScenarioError { origin: document.origin.clone(), source: document.source.clone(), diagnostics }
                .sorted()
        };
        let mut problems = check::check(&document, json_schema());
        if !problems.is_empty() {
            // Validation needs a tree that passed the schema; the rules about
            // which keys go together and the plausibility of the numbers
            // still run, so every problem shows at once.
            problems.extend(validate::key_rules(&document));
            problems.extend(plausible::check(&document));
            return Err(error(problems));
        }
        let raw = raw::RawScenario::deserialize(toml::Value::Table(document.tree.clone()))
            .map_err(|e| error(vec![Diagnostic::new("", e.to_string())]))?;
        validate::validate(raw, &document).map_err(error)
    }

    /// This scenario with values replaced (paths like `energy.pue` or
    /// `servers[0].price_usd`), validated again. The replacements count as
    /// overrides: diagnostics name them and `Document::overrides` lists them.
    pub fn with_values(&self, values: &[(&str, toml::Value)]) -> Result<Scenario, ScenarioError> {
        let changes: Vec<(&str, Option<toml::Value>)> =
            values.iter().map(|(p, v)| (*p, Some(v.clone()))).collect();
        self.with_changes(&changes)
    }

    /// This scenario with values replaced (`Some`) or keys removed (`None`,
    /// as `--unset` does), in the order given, validated again. Replacements
    /// are listed by `Document::overrides` and removals by
    /// `Document::removed`; diagnostics caused by either name it.
    pub fn with_changes(&self, changes: &[(&str, Option<toml::Value>)]) -> Result<Scenario, ScenarioError> {
        let mut document = self.document.clone();
        let (origin, source) = (document.origin.clone(), document.source.clone());
        for (path, value) in changes {
            let location = match value {
                Some(value) => Location::Override(format!("{path}={value}")),
                None => Location::Unset(path.to_string()),
            };
            let fail = |message: String| ScenarioError {
                origin: origin.clone(),
                source: source.clone(),
                diagnostics: vec![Diagnostic::new(*path, message).at(location.clone())],
            };
            let segments = document::parse_path(path)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| fail(format!("`{path}` is not a key path")))?;
            match value {
                Some(value) => {
                    document.set_value(&segments, value.clone()).map_err(fail)?;
                    // Diagnostics about this value then point at the override, as for `--set`.
                    document.note_override(&segments, format!("{path}={value}"));
                }
                None => document.remove_value(&segments).map_err(fail)?,
            }
        }
        Scenario::from_document(document)
    }

    /// An error about `field` of this scenario found after validation (a
    /// data path that cannot be expanded, a run too large for its limits),
    /// located like a validation diagnostic: at the value, or the override
    /// that set it.
    pub fn error_at(&self, field: &str, message: impl Into<String>, help: Option<String>) -> ScenarioError {
        let mut d = Diagnostic::new(field, message).at(self.document.locate(field, false));
        d.help = help;
        ScenarioError {
            origin: self.document.origin.clone(),
            source: self.document.source.clone(),
            diagnostics: vec![d],
        }
    }

    /// The embedded default: an 8 MW hyperscale site at Ashburn, Virginia.
    pub fn embedded_default() -> Scenario {
        embedded::load("default").expect("the embedded default scenario is valid")
    }
}
