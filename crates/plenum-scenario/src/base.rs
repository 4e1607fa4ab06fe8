//! Scenarios that start from a built-in one: `base = "default"` at the top of
//! a file takes every table of that embedded scenario ([`crate::embedded`])
//! and lets the file override only what differs, so a site of one's own fits
//! in a few lines.
//!
//! Merging is key by key: a table in the file merges into the base's table of
//! the same name, any other value (a number, a string, a list, and so a whole
//! `[[servers]]` array) replaces the base's. The merge happens right after
//! parsing, before `--set` overrides and before the schema check, so the
//! merged tree is checked and validated like any file; values the file gives
//! keep their lines in diagnostics, values from the base point at the file's
//! first line.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use toml::{Table, Value};

/// The key naming the base scenario.
pub const BASE_KEY: &str = "base";

/// Merge the base the document names (if any) under its own values.
pub fn apply(document: &mut Document) -> Result<(), Diagnostic> {
    let Some(value) = document.tree.get(BASE_KEY) else { return Ok(()) };
    let locate = |document: &Document| document.locate(BASE_KEY, false);
    let names: Vec<&str> = crate::embedded::SCENARIOS.iter().map(|(name, _)| *name).collect();
    let Some(name) = value.as_str() else {
        return Err(Diagnostic::new(
            BASE_KEY,
            format!("expected the name of a built-in scenario ({})", names.join(", ")),
        )
        .at(locate(document)));
    };
    let Some((_, text)) = crate::embedded::SCENARIOS.iter().find(|(n, _)| *n == name) else {
        let mut d = Diagnostic::new(BASE_KEY, format!("no built-in scenario `{name}`")).at(locate(document));
        d.help = Some(match crate::check::closest(name, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("built-in scenarios: {}", names.join(", ")),
        });
        return Err(d);
    };
    let mut merged: Table = toml::from_str(text).expect("embedded scenarios are valid TOML");
    merge(&mut merged, std::mem::take(&mut document.tree));
    document.tree = merged;
    Ok(())
}

/// Put `over` on top of `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(below)), Value::Table(above)) => merge(below, above),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Scenario;

    const MY_SITE: &str = "base = \"default\"\n\
        [scenario]\nname = \"phoenix-2mw\"\n\
        [facility]\ncritical_power_kw = 2000\n\
        [[servers]]\nname = \"general\"\ncount = 4000\nprice_usd = 9000\nidle_power_w = 120\n\
        peak_power_w = 400\ncores = 48\nmemory_gib = 384\n\
        [site]\nclimate = \"phoenix\"\n";

    #[test]
    fn a_file_overrides_only_what_differs() {
        let default = Scenario::embedded_default();
        let mine = Scenario::from_toml_str(MY_SITE, "my-site.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mine.name, "phoenix-2mw");
        assert_eq!(mine.facility.critical_power_kw, 2000.0);
        // Arrays replace: one SKU, the file's.
        assert_eq!(mine.servers.len(), 1);
        assert_eq!(mine.servers[0].count, 4000);
        // Tables merge: the scenario's description and seed, finance and the
        // rest of [facility] come from the base.
        assert_eq!(mine.seed, default.seed);
        assert_eq!(mine.finance, default.finance);
        assert_eq!(mine.facility.power_cooling_share, default.facility.power_cooling_share);
        assert!(mine.physics.is_some());
    }

    #[test]
    fn a_wrong_base_is_located_with_a_suggestion() {
        let e = Scenario::from_toml_str("base = \"defualt\"\n[scenario]\nname = \"x\"\n", "my-site.toml")
            .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("my-site.toml:1:8: `base`: no built-in scenario `defualt`"), "{text}");
        assert!(e.diagnostics[0].help.as_deref() == Some("did you mean `default`?"), "{text}");
    }

    #[test]
    fn values_the_file_gives_are_checked_at_their_line() {
        let text = MY_SITE.replace("critical_power_kw = 2000", "critical_power_kw = -5");
        let e = Scenario::from_toml_str(&text, "my-site.toml").unwrap_err();
        assert!(e.to_string().contains("my-site.toml:5:21: `facility.critical_power_kw`"), "{e}");
    }
}
