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

#[test]
fn a_key_can_be_removed_and_replaced() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let s = Scenario::load_edited(
        "x.toml",
        text,
        &["facility.cost_usd_per_critical_w".into()],
        &["facility.capex_usd=88e6".into()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.facility.capex_usd, 88e6);
    assert_eq!(s.document.removed(), ["facility.cost_usd_per_critical_w"]);
    assert_eq!(s.document.overrides(), ["facility.capex_usd=88e6"]);
}

#[test]
fn setting_the_other_of_an_either_or_names_the_set() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let e = Scenario::load("x.toml", text, &["facility.capex_usd=88e6".into()]).unwrap_err();
    let report = e.to_string();
    assert!(report.contains("x.toml: --set facility.capex_usd=88e6: "), "{report}");
}

#[test]
fn a_removal_that_leaves_a_gap_names_the_unset_not_a_line() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let e =
        Scenario::load_edited("x.toml", text, &["facility.cost_usd_per_critical_w".into()], &[]).unwrap_err();
    let report = e.to_string();
    assert!(report.contains("x.toml: --unset facility.cost_usd_per_critical_w: "), "{report}");
    assert!(report.contains("missing the build cost"), "{report}");
    // A required key removed: the schema's "missing key" names the removal too.
    let e = Scenario::load_edited("x.toml", text, &["facility.critical_power_kw".into()], &[]).unwrap_err();
    let report = e.to_string();
    assert!(report.contains("--unset facility.critical_power_kw: "), "{report}");
}

#[test]
fn an_override_that_creates_an_incomplete_table_names_the_set() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let e = Scenario::load("x.toml", text, &["network.leaf_spine.leaf_ports=48".into()]).unwrap_err();
    let report = e.to_string();
    assert!(!report.contains("x.toml:1:1"), "{report}");
    assert!(report.contains("--set network.leaf_spine.leaf_ports=48"), "{report}");
}

#[test]
fn removing_what_is_not_there_or_a_list_entry_is_refused() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let e = Scenario::load_edited("x.toml", text, &["facility.capex_usd".into()], &[]).unwrap_err();
    assert!(
        e.to_string().contains(
            "--unset facility.capex_usd: `facility.capex_usd`: `facility.capex_usd` is not in the scenario"
        ),
        "{e}"
    );
    let e = Scenario::load_edited("x.toml", text, &["servers[0]".into()], &[]).unwrap_err();
    assert!(e.to_string().contains("entry of a list"), "{e}");
}

#[test]
fn with_changes_removes_keys_and_names_the_removal() {
    let base = Scenario::embedded_default();
    let changed = base
        .with_changes(&[
            ("facility.cost_usd_per_critical_w", None),
            ("facility.capex_usd", Some(toml::Value::Float(88e6))),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changed.facility.capex_usd, 88e6);
    let e = base.with_changes(&[("facility.cost_usd_per_critical_w", None)]).unwrap_err();
    assert!(e.to_string().contains("--unset facility.cost_usd_per_critical_w"), "{e}");
}

#[test]
fn every_problem_shows_in_one_pass() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let text = text
        .replace("network_amortization_years = 4\n", "")
        .replace("spine_ports = 128\n", "")
        .replace("cost_of_money_annual = 0.05", "cost_of_money_annual = \"x\"")
        .replace("cost_usd_per_critical_w = 9.0\n", "");
    let e = Scenario::load("x.toml", &text, &[]).unwrap_err();
    let report = e.to_string();
    for needle in [
        "`finance.cost_of_money_annual`: expected a number",
        "missing key `spine_ports` in `[network.leaf_spine]`",
        "missing key `network_amortization_years`",
        "missing the build cost",
    ] {
        assert!(report.contains(needle), "{needle} in\n{report}");
    }
}
