//! The catalog of bad scenario files under `tests/bad/`.
//!
//! Each file opens with `# expect-line: N` (a line the report must name)
//! and `# expect: TEXT` lines that must all appear in the report. One `check`
//! runs them all, so adding a case is adding a file.

use plenum_scenario::Scenario;
use std::path::Path;

fn check(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let line: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect-line: "))
        .unwrap_or_else(|| panic!("{} has no `# expect-line:`", path.display()))
        .trim()
        .parse()
        .unwrap();
    let expected: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
    assert!(!expected.is_empty(), "{} has no `# expect:` lines", path.display());
    let error = match Scenario::from_path(path) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e) => e,
    };
    let report = error.to_string();
    let located = format!("{}:{line}:", path.display());
    assert!(report.contains(&located), "{}: report does not name {located}:\n{report}", path.display());
    for text in expected {
        assert!(report.contains(text), "{}: report lacks {text:?}:\n{report}", path.display());
    }
    // The rendered report (with snippets) names the same place.
    assert!(error.render(false).contains(&located));
}

#[test]
fn every_bad_file_is_rejected_with_its_line_and_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 15, "the catalog has {} files", files.len());
    for file in files {
        check(&file);
    }
}

#[test]
fn a_directory_is_not_a_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let e = Scenario::from_path(&dir).unwrap_err();
    assert!(e.to_string().contains("is a directory"), "{e}");
}

#[test]
fn a_missing_file_is_named() {
    let e = Scenario::from_path("no/such/file.toml").unwrap_err();
    assert!(e.to_string().contains("no/such/file.toml: cannot read"), "{e}");
}

#[test]
fn overrides_that_break_a_rule_name_the_override() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let e = Scenario::load("x.toml", text, &["cooling.chillers=0".into()]).unwrap_err();
    let report = e.to_string();
    assert!(report.contains("--set cooling.chillers=0"), "{report}");
    assert!(report.contains("`cooling.chillers`"), "{report}");
}

#[test]
fn overrides_of_unknown_keys_are_caught() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let e = Scenario::load("x.toml", text, &["energy.peu=1.2".into()]).unwrap_err();
    let report = e.to_string();
    assert!(report.contains("unknown key `peu`") && report.contains("did you mean `pue`"), "{report}");
}

#[test]
fn overrides_apply() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let s =
        Scenario::load("x.toml", text, &["cooling.preset=\"legacy\"".into(), "servers[0].count=10".into()])
            .unwrap();
    assert_eq!(s.physics.unwrap().cooling.chiller_cop_rated, 5.55);
    assert_eq!(s.servers[0].count, 10);
}

#[test]
fn non_finite_overrides_are_refused_at_the_override() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    for value in ["nan", "inf", "-inf", "[1.0, nan]"] {
        let e = Scenario::load("x.toml", text, &[format!("energy.pue={value}")]).unwrap_err();
        let report = e.to_string();
        assert!(report.contains("expected a finite number"), "{value}: {report}");
        assert!(report.contains(&format!("--set energy.pue={value}")), "{value}: {report}");
        assert_eq!(e.diagnostics[0].field, "energy.pue");
    }
    let base = Scenario::from_toml_str(text, "x.toml").unwrap();
    let e = base.with_values(&[("energy.pue", toml::Value::Float(f64::NAN))]).unwrap_err();
    assert_eq!(e.diagnostics[0].field, "energy.pue");
    assert!(
        matches!(&e.diagnostics[0].location, plenum_scenario::Location::Override(text) if text == "energy.pue=nan"),
        "{:?}",
        e.diagnostics[0].location
    );
}
