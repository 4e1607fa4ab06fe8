//! Scenario text submitted to the server, loaded so that the data files it
//! names resolve only inside the server's `--data` folder.
//!
//! A data path (`site.weather_epw`, `site.carbon_csv`, `utilization.csv`,
//! `plan.demand.csv`, `plan.sites[i].*`, `workload.path`,
//! `workload.topology`, `telemetry.path`, `carbon_aware.intensity`) may start
//! with `${PLENUM_DATA}`, which means the `--data` folder; any other path is
//! read relative to that folder. A path that is absolute, has a `..`
//! component, names another variable, or (after following symbolic links)
//! leaves the folder is refused with a diagnostic at its line. Accepted paths
//! are replaced in the document by the resolved path before validation, so
//! the engine never expands a variable of the server's environment.

use plenum_scenario::document::{Document, Segment, parse_path, render_path};
use plenum_scenario::{Diagnostic, Location, Scenario, ScenarioError};
use std::path::{Component, Path, PathBuf};
use toml::Value;

/// Key names whose string values are data paths, wherever they are in the
/// tree (the list follows every caller of `plenum_scenario::physics::resolve_path`
/// and the workload's `resolve_paths`).
const PATH_KEYS: &[&str] = &["weather_epw", "carbon_csv", "csv", "path", "topology", "intensity"];

/// The variable that names the data folder in scenario files.
const DATA_VARIABLE: &str = "${PLENUM_DATA}";

/// Whether the last segment of a key path (`site.weather_epw`) names a data path.
pub fn is_path_key(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    let last = last.split('[').next().unwrap_or(last);
    PATH_KEYS.contains(&last)
}

/// Resolve one data path as written in a scenario against `data`, or say why not.
pub fn resolve(text: &str, data: Option<&Path>) -> Result<PathBuf, String> {
    let data = data.ok_or_else(|| {
        "this server has no data folder (start it with `plenum serve --data DIR`), so scenarios cannot name data files"
            .to_string()
    })?;
    let relative = match text.strip_prefix(DATA_VARIABLE) {
        Some(rest) => rest.trim_start_matches(['/', '\\']),
        None => text,
    };
    if relative.contains("${") || relative.contains('$') {
        return Err(format!("{text:?}: only {DATA_VARIABLE} may be used in a data path on this server"));
    }
    let path = Path::new(relative);
    for component in path.components() {
        match component {
            Component::ParentDir => {
                return Err(format!("{text:?}: `..` is not allowed in a data path on this server"));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "{text:?}: absolute paths are not allowed on this server; write {DATA_VARIABLE}/FILE for a file of its data folder"
                ));
            }
            Component::CurDir | Component::Normal(_) => {}
        }
    }
    if relative.contains('\\') {
        return Err(format!("{text:?}: write data paths with `/`"));
    }
    let root = data
        .canonicalize()
        .map_err(|e| format!("the server's data folder {} cannot be read: {e}", data.display()))?;
    let joined = root.join(path);
    // A path that exists is followed through its links and must stay inside;
    // one that does not is refused by validation as "file not found" (and
    // checked here through its nearest existing ancestor, so a link to a
    // folder outside cannot be used to name a file beyond it either).
    let mut existing = joined.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => break,
        }
    }
    let real = existing.canonicalize().map_err(|e| format!("{text:?}: {e}"))?;
    if !real.starts_with(&root) {
        return Err(format!("{text:?}: leads outside the server's data folder (through a symbolic link)"));
    }
    Ok(if existing == joined { real } else { joined })
}

/// Parse, apply the removals and overrides, confine every data path to
/// `data`, and validate: the same diagnostics as `plenum validate`, plus
/// those of refused paths, each at its line.
pub fn load(
    origin: &str,
    text: &str,
    unset: &[String],
    set: &[String],
    data: Option<&Path>,
) -> Result<Scenario, ScenarioError> {
    let error = |diagnostics, source| ScenarioError { origin: origin.to_string(), source, diagnostics };
    let mut document = Document::parse(origin, text).map_err(|d| error(d, text.into()))?;
    plenum_scenario::base::apply(&mut document).map_err(|d| error(vec![d], document.source.clone()))?;
    let mut problems = Vec::new();
    for path in unset {
        if let Err(d) = document.unset(path) {
            problems.push(d);
        }
    }
    for assignment in set {
        if let Err(d) = document.set(assignment) {
            problems.push(d);
        }
    }
    if !problems.is_empty() {
        return Err(error(problems, document.source.clone()));
    }
    let mut leaves = Vec::new();
    collect_path_leaves(&Value::Table(document.tree.clone()), &mut Vec::new(), &mut leaves);
    let mut refused = Vec::new();
    for (segments, written) in leaves {
        let field = render_path(&segments);
        match resolve(&written, data) {
            Ok(path) => {
                let value = Value::String(path.to_string_lossy().into_owned());
                if let Err(message) = document.set_value(&segments, value) {
                    refused.push(Diagnostic::new(&field, message).at(document.locate(&field, false)));
                }
            }
            Err(message) => refused.push(Diagnostic::new(&field, message).at(document.locate(&field, false))),
        }
    }
    if !refused.is_empty() {
        refused.sort_by_key(|d| match &d.location {
            Location::Span { bytes, .. } => bytes.start,
            _ => usize::MAX,
        });
        return Err(error(refused, document.source.clone()));
    }
    Scenario::from_document(document)
}

fn collect_path_leaves(value: &Value, at: &mut Vec<Segment>, out: &mut Vec<(Vec<Segment>, String)>) {
    match value {
        Value::Table(table) => {
            for (key, child) in table {
                at.push(Segment::Key(key.clone()));
                if let (Value::String(text), true) = (child, PATH_KEYS.contains(&key.as_str())) {
                    out.push((at.clone(), text.clone()));
                } else {
                    collect_path_leaves(child, at, out);
                }
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Segment::Index(i));
                collect_path_leaves(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// A sweep axis value for a data-path key, confined as [`load`] confines
/// the file's; other keys' values pass unchanged.
pub fn confine_axis_value(key: &str, value: Value, data: Option<&Path>) -> Result<Value, String> {
    if parse_path(key).is_none() || !is_path_key(key) {
        return Ok(value);
    }
    match value {
        Value::String(text) => resolve(&text, data)
            .map(|p| Value::String(p.to_string_lossy().into_owned()))
            .map_err(|m| format!("`{key}`: {m}")),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("weather")).unwrap();
        std::fs::write(dir.path().join("weather/a.epw"), "x").unwrap();
        dir
    }

    #[test]
    fn paths_inside_the_data_folder_resolve() {
        let dir = data();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve("${PLENUM_DATA}/weather/a.epw", Some(dir.path())).unwrap(),
            root.join("weather/a.epw")
        );
        assert_eq!(resolve("weather/a.epw", Some(dir.path())).unwrap(), root.join("weather/a.epw"));
        assert_eq!(
            resolve("weather/missing.epw", Some(dir.path())).unwrap(),
            root.join("weather/missing.epw")
        );
    }

    #[test]
    fn traversal_absolute_other_variables_and_no_data_folder_are_refused() {
        let dir = data();
        for (text, expected) in [
            ("../../etc/passwd", "`..`"),
            ("${PLENUM_DATA}/../etc/passwd", "`..`"),
            ("weather/../../x", "`..`"),
            ("/etc/passwd", "absolute"),
            ("${HOME}/x", "only ${PLENUM_DATA}"),
            ("$HOME/x", "only ${PLENUM_DATA}"),
        ] {
            let error = resolve(text, Some(dir.path())).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
        assert!(resolve("weather/a.epw", None).unwrap_err().contains("no data folder"));
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_data_folder_are_refused() {
        let dir = data();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.csv"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.csv"), dir.path().join("s.csv")).unwrap();
        for text in ["out/secret.csv", "s.csv", "out/not-there.csv"] {
            let error = resolve(text, Some(dir.path())).unwrap_err();
            assert!(error.contains("outside"), "{text}: {error}");
        }
    }

    #[test]
    fn a_refused_path_is_a_diagnostic_at_its_line() {
        let dir = data();
        let text = format!(
            "{}\n",
            plenum_scenario::embedded::SCENARIOS[0]
                .1
                .replace("climate = \"ashburn\"", "weather_epw = \"../../etc/passwd\"")
        );
        assert!(text.contains("../../etc/passwd"), "the default scenario names its climate");
        let error = load("s.toml", &text, &[], &[], Some(dir.path())).unwrap_err();
        let line = text.lines().position(|l| l.contains("etc/passwd")).unwrap() + 1;
        let d = &error.diagnostics[0];
        assert_eq!(d.field, "site.weather_epw");
        assert!(matches!(d.location, Location::Span { line: l, .. } if l == line), "{:?}", d.location);
        // The same through an override.
        let error = load(
            "s.toml",
            plenum_scenario::embedded::SCENARIOS[0].1,
            &["site.climate".into()],
            &["site.weather_epw=/etc/passwd".into()],
            Some(dir.path()),
        )
        .unwrap_err();
        assert!(error.to_string().contains("absolute"), "{error}");
    }

    #[test]
    fn sweep_values_for_path_keys_are_confined() {
        let dir = data();
        assert!(
            confine_axis_value("site.weather_epw", Value::String("/etc/passwd".into()), Some(dir.path()))
                .is_err()
        );
        assert!(
            confine_axis_value("plan.sites[0].carbon_csv", Value::String("../x".into()), Some(dir.path()))
                .is_err()
        );
        assert_eq!(
            confine_axis_value("site.climate", Value::String("/etc/passwd".into()), Some(dir.path()))
                .unwrap(),
            Value::String("/etc/passwd".into())
        );
    }
}
