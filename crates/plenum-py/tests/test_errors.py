"""Item: errors follow Python conventions."""

import errno
from pathlib import Path

import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "crates" / "plenum-scenario" / "scenarios" / "ashburn-static.toml"


def test_a_scenario_error_is_a_value_error():
    with pytest.raises(ValueError) as caught:
        plenum.Scenario.embedded().with_values({"energy.pue": 0.5})
    assert isinstance(caught.value, plenum.ScenarioError)
    assert isinstance(caught.value, plenum.PlenumError)
    assert issubclass(plenum.InputError, ValueError)


def test_a_missing_scenario_file_is_a_file_not_found_error(tmp_path):
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(FileNotFoundError) as caught:
        plenum.Scenario.from_path(missing)
    assert isinstance(caught.value, plenum.ScenarioError)
    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == str(missing)


def test_a_missing_data_file_is_a_file_not_found_error(tmp_path):
    text = (ROOT / "crates" / "plenum-scenario" / "scenarios" / "default.toml").read_text()
    epw = tmp_path / "site.epw"
    text = text.replace('climate = "ashburn"', f'weather_epw = "{epw}"', 1)
    # Named by the scenario: validation finds it missing.
    with pytest.raises(FileNotFoundError) as caught:
        plenum.Scenario.from_toml(text)
    assert isinstance(caught.value, plenum.ScenarioError)
    assert caught.value.filename == str(epw)
    assert caught.value.diagnostics[0]["field"] == "site.weather_epw"
    # Gone between validation and the run: reading it finds it missing.
    epw.write_text("")
    scenario = plenum.Scenario.from_toml(text)
    epw.unlink()
    with pytest.raises(FileNotFoundError) as caught:
        plenum.run(scenario)
    assert isinstance(caught.value, plenum.InputError)
    assert caught.value.filename == str(epw)
    assert caught.value.diagnostics[0]["file"] == str(epw)


def test_an_input_error_carries_diagnostics(tmp_path):
    epw = tmp_path / "broken.epw"
    epw.write_text("LOCATION,Nowhere,,,,,0,0,0,0\nnot an epw file\n")
    text = (ROOT / "crates" / "plenum-scenario" / "scenarios" / "default.toml").read_text()
    text = text.replace('climate = "ashburn"', f'weather_epw = "{epw}"', 1)
    with pytest.raises(plenum.InputError) as caught:
        plenum.run(plenum.Scenario.from_toml(text))
    assert not isinstance(caught.value, FileNotFoundError)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic["file"] == str(epw)
    assert diagnostic["message"]
    assert set(diagnostic) == {"file", "line", "field", "message"}


@pytest.mark.parametrize("count", [-5, 2**63, 10**30])
def test_negative_or_huge_integers_are_scenario_errors_at_the_field(count):
    scenario = plenum.Scenario.from_path(STATIC)
    with pytest.raises(plenum.ScenarioError) as caught:
        scenario.with_values({"servers[0].count": count})
    assert caught.value.diagnostics[0]["field"] == "servers[0].count"
    with pytest.raises(plenum.ScenarioError) as caught:
        plenum.sweep(scenario, {"servers[0].count": [1000, count]})
    assert caught.value.diagnostics[0]["field"] == "servers[0].count"


@pytest.mark.parametrize("name,value", [("samples", -1), ("seed", -1), ("seed", 2**64), ("samples", 10**25)])
def test_sweep_counts_out_of_range_are_scenario_errors_naming_them(name, value):
    scenario = plenum.Scenario.from_path(STATIC)
    with pytest.raises(plenum.ScenarioError) as caught:
        plenum.sweep(scenario, {"energy.pue": [1.2]}, **{name: value})
    assert caught.value.diagnostics[0]["field"] == name


def test_a_bad_grid_is_a_usage_error():
    scenario = plenum.Scenario.from_path(STATIC)
    with pytest.raises(plenum.UsageError) as caught:
        plenum.sweep(scenario, {"energy.pue": []})
    assert "energy.pue" in str(caught.value) and "no values" in str(caught.value)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, plenum.PlenumError)
    assert not isinstance(caught.value, plenum.ScenarioError)


def test_a_bad_size_cap_variable_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("PLENUM_MAX_CPU_S", "lots")
    with pytest.raises(plenum.UsageError) as caught:
        plenum.run(plenum.Scenario.from_path(STATIC))
    assert "PLENUM_MAX_CPU_S" in str(caught.value)


def test_a_run_above_the_caps_is_a_run_too_large_error_at_the_field(monkeypatch):
    monkeypatch.setenv("PLENUM_MAX_CPU_S", "0.000001")
    # The default: its simulated year and reliability study count.
    with pytest.raises(plenum.RunTooLargeError) as caught:
        plenum.run(plenum.Scenario.embedded())
    assert isinstance(caught.value, plenum.ScenarioError), "existing `except ScenarioError` still catch it"
    assert "PLENUM_MAX_CPU_S" in str(caught.value)
    assert caught.value.diagnostics[0]["field"]
    # The whole grid is capped the same way.
    with pytest.raises(plenum.RunTooLargeError):
        plenum.sweep(plenum.Scenario.embedded(), {"site.climate": ["seattle", "phoenix"]})


def test_an_unknown_embedded_scenario_lists_the_valid_names():
    with pytest.raises(plenum.ScenarioError) as caught:
        plenum.Scenario.embedded("nope")
    for name in plenum.scenarios():
        assert name in str(caught.value)


def test_the_built_ins_are_listed():
    assert "default" in plenum.scenarios() and "hamilton-2010" in plenum.scenarios()
    for name in plenum.scenarios():
        assert plenum.Scenario.embedded(name).name
    climates = plenum.climates()
    assert {"ashburn", "phoenix", "seattle"} <= {c["key"] for c in climates}
    grids = {g["key"] for g in plenum.grids()}
    default = plenum.Scenario.embedded()
    for climate in climates:
        # Each listed climate is one a scenario accepts, and names a listed grid.
        assert default.with_values({"site.climate": climate["key"]}).to_dict()["site"]["climate"] == climate["key"]
        assert climate["grid"] in grids
        assert -90 <= climate["latitude_deg"] <= 90
    for grid in grids:
        default.with_values({"site.grid": grid})
