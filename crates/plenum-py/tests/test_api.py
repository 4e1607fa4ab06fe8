"""The Python API: scenarios in, summaries and Arrow tables out, errors with
line and field, and the same figures as the CLI."""

import json
import math
import os
import pickle
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
# Where cargo builds (CARGO_TARGET_DIR when set, as the test.sh build honours it).
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
SCENARIOS = ROOT / "scenarios"


def plenum_cli(*args: str) -> subprocess.CompletedProcess:
    """The `plenum` command from the same workspace (built by cargo)."""
    binary = TARGET / "debug" / "plenum"
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "--bin", "plenum"], cwd=ROOT, check=True)
    return subprocess.run([str(binary), *args], cwd=ROOT, capture_output=True, text=True)


def test_summary_equals_the_cli_json():
    scenario = plenum.Scenario.from_path(SCENARIOS / "hamilton-2010.toml")
    result = plenum.run(scenario)
    cli = plenum_cli("run", "scenarios/hamilton-2010.toml", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert result.summary == json.loads(cli.stdout)
    # Hamilton 2010: $3,530,988 a month (published figure).
    assert round(result.summary["cost"]["total_monthly_usd"]) == 3_530_988


def test_from_toml_and_from_dict_agree_with_from_path():
    path = SCENARIOS / "ashburn-static.toml"
    text = path.read_text()
    import tomllib

    by_path = plenum.run(plenum.Scenario.from_path(path)).summary
    by_text = plenum.run(plenum.Scenario.from_toml(text)).summary
    by_dict = plenum.run(plenum.Scenario.from_dict(tomllib.loads(text))).summary
    assert by_path == by_text == by_dict


def test_with_values_matches_the_cli_set():
    scenario = plenum.Scenario.from_path(SCENARIOS / "ashburn-static.toml")
    changed = scenario.with_values({"energy.pue": 1.2, "servers[0].count": 40000})
    assert changed.overrides == ["energy.pue=1.2", "servers[0].count=40000"]
    assert scenario.overrides == []  # the original is unchanged
    cli = plenum_cli(
        "run", "scenarios/ashburn-static.toml", "--format", "json",
        "--set", "energy.pue=1.2", "--set", "servers[0].count=40000",
    )
    assert plenum.run(changed).summary == json.loads(cli.stdout)
    assert plenum.run(changed).summary["scenario"]["servers"] == 40000


def test_tables_arrive_as_arrow_with_units_in_names(default_year):
    result = default_year
    assert "hourly" in result.table_names
    hourly = result.table("hourly")
    assert isinstance(hourly, pa.Table)
    assert hourly.num_rows == 8760
    assert "it_power_kw" in hourly.column_names
    field = hourly.schema.field("it_power_kw")
    assert field.metadata[b"description"]
    # The hourly IT energy adds up to the summary's figure.
    it_mwh = math.fsum(hourly["it_power_kw"].to_pylist()) / 1000
    assert it_mwh == pytest.approx(result.summary["energy"]["it_mwh"], rel=1e-9)
    frame = result.to_pandas("hourly")
    assert len(frame) == 8760
    with pytest.raises(KeyError, match="hourly"):
        result.table("no_such_table")


def test_reliability_event_log_is_a_table():
    scenario = plenum.Scenario.from_path(SCENARIOS / "dean-cluster-year.toml").with_values(
        {"reliability.replications": 20, "reliability.batch_replications": 10}
    )
    result = plenum.run(scenario)
    events = result.table("reliability_events")
    assert events.num_rows > 0
    assert result.summary["reliability"]["availability"] <= 1.0


def test_scenario_error_carries_the_cli_diagnostic():
    bad = SCENARIOS.parent / "crates" / "plenum-scenario" / "tests" / "bad" / "unknown-key-typo.toml"
    with pytest.raises(plenum.ScenarioError) as caught:
        plenum.Scenario.from_path(bad)
    cli = plenum_cli("validate", str(bad))
    assert cli.returncode == 2
    assert str(caught.value).strip() == cli.stderr.strip()
    first = caught.value.diagnostics[0]
    assert first["file"].endswith("unknown-key-typo.toml")
    assert first["line"] is not None and first["field"]


def test_a_bad_override_names_the_override_and_field():
    scenario = plenum.Scenario.embedded()
    with pytest.raises(plenum.ScenarioError) as caught:
        scenario.with_values({"energy.pue": 0.5})
    message = str(caught.value)
    assert "--set energy.pue=0.5" in message
    assert caught.value.diagnostics[0]["field"] == "energy.pue"
    assert isinstance(caught.value, plenum.PlenumError)


def test_text_errors_give_line_numbers():
    with pytest.raises(plenum.ScenarioError) as caught:
        plenum.Scenario.from_toml('[scenario]\nname = "x"\n[finance]\ncost_of_money_annual = "high"\n', origin="mine.toml")
    assert "mine.toml:" in str(caught.value)
    assert any(d["line"] for d in caught.value.diagnostics)


def test_a_bad_data_file_is_an_input_error_naming_file_and_line(tmp_path):
    epw = tmp_path / "broken.epw"
    epw.write_text("LOCATION,Nowhere,,,,,0,0,0,0\nnot an epw file\n")
    text = (SCENARIOS / "default.toml").read_text()
    text = text.replace('climate = "ashburn"', f'weather_epw = "{epw}"', 1)
    scenario = plenum.Scenario.from_toml(text, origin="epw.toml")
    with pytest.raises(plenum.InputError) as caught:
        plenum.run(scenario)
    assert "broken.epw" in str(caught.value)
    assert isinstance(caught.value, plenum.PlenumError)


def test_values_without_a_toml_form_are_refused():
    with pytest.raises(TypeError, match="TOML"):
        plenum.Scenario.embedded().with_values({"energy.pue": object()})


def test_scenarios_pickle_with_their_overrides():
    scenario = plenum.Scenario.embedded("ashburn-static").with_values({"energy.pue": 1.3})
    copy = pickle.loads(pickle.dumps(scenario))
    assert copy.overrides == scenario.overrides
    assert plenum.run(copy).summary == plenum.run(scenario).summary


def test_notebook_view_shows_headline_figures(default_year):
    result = default_year
    page = result._repr_html_()
    assert "Cost per server-month" in page and "Annual PUE" in page
    assert "hourly" in page
    assert "Annual PUE" in repr(result) or "Cost" in repr(result)


def test_scenario_properties():
    scenario = plenum.Scenario.embedded()
    assert scenario.name == "ashburn-8mw"
    assert scenario.origin == "<embedded default>"
    assert "[scenario]" in scenario.toml
    assert "ashburn-8mw" in repr(scenario)


def test_the_gil_is_released_while_simulating():
    """Python keeps running in another thread during a long run: with the GIL
    held, the loop below could not advance until the run returned."""
    import threading

    scenario = plenum.Scenario.from_path(SCENARIOS / "dean-cluster-year.toml").with_values(
        {"reliability.replications": 300}
    )
    started, done = threading.Event(), threading.Event()

    def work():
        started.set()
        plenum.run(scenario)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    spins_while_running = 0
    while not done.is_set():
        spins_while_running += 1
    worker.join()
    assert spins_while_running > 10_000
