//! A site is a place: each built-in climate names its grid, and moving the
//! climate with an override without naming a grid moves the grid with it.

use plenum_models::{carbon, climate};
use plenum_scenario::{CarbonSource, Scenario};

fn default_with(overrides: &[&str]) -> Scenario {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    Scenario::load("<embedded default>", text, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn grid_key(s: &Scenario) -> String {
    match &s.physics.as_ref().unwrap().carbon {
        CarbonSource::Builtin(g) => g.key.to_string(),
        CarbonSource::Csv { path, .. } => path.display().to_string(),
    }
}

#[test]
fn moving_the_climate_moves_the_grid() {
    // The default file names grid = "pjm" beside climate = "ashburn".
    assert_eq!(grid_key(&default_with(&[])), "pjm");
    assert_eq!(grid_key(&default_with(&["site.climate=singapore"])), "sg");
    for site in climate::builtin_sites() {
        let s = default_with(&[&format!("site.climate={}", site.key)]);
        assert_eq!(grid_key(&s), site.grid, "{}", site.key);
    }
}

#[test]
fn a_grid_named_with_the_climate_is_kept() {
    let s = default_with(&["site.climate=singapore", "site.grid=pjm"]);
    assert_eq!(grid_key(&s), "pjm");
}

#[test]
fn a_grid_named_in_the_file_beside_its_climate_is_kept() {
    let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
    let text = text.replace("climate = \"ashburn\"", "climate = \"dallas\"");
    let s = Scenario::from_toml_str(&text, "dallas.toml").unwrap();
    assert_eq!(grid_key(&s), "pjm", "what the file says, warned about by the run (climate_grid_mismatch)");
}

#[test]
fn every_climate_names_a_grid_of_its_region() {
    let expected = [
        ("ashburn", "pjm"),
        ("phoenix", "azps"),
        ("dallas", "erco"),
        // O'Hare is in ComEd's zone of PJM, not MISO.
        ("chicago", "pjm"),
        ("seattle", "bpat"),
        ("dublin", "ie"),
        ("amsterdam", "nl"),
        ("frankfurt", "de"),
        ("stockholm", "se"),
        ("singapore", "sg"),
    ];
    assert_eq!(expected.len(), climate::builtin_sites().len());
    for (site, grid) in expected {
        assert_eq!(climate::site(site).unwrap().grid, grid, "{site}");
        assert!(carbon::grid(grid).is_some(), "{grid}");
    }
    // Two sources for PJM are one region; other grids are each their own.
    assert_eq!(carbon::grid("pjm").unwrap().region, carbon::grid("us-mida-pjm").unwrap().region);
    assert_ne!(carbon::grid("pjm").unwrap().region, carbon::grid("miso").unwrap().region);
}
