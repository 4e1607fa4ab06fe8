"""Items: NaN and infinity are refused everywhere with the same located
ScenarioError; NumPy and pandas scalars and arrays work wherever a Python
number or list does."""

import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "crates" / "plenum-scenario" / "scenarios" / "ashburn-static.toml"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float64("nan"), np.float32("inf")])
def test_non_finite_values_are_a_located_scenario_error(bad):
    scenario = plenum.Scenario.from_path(STATIC)
    with pytest.raises(plenum.ScenarioError, match="expected a finite number") as caught:
        scenario.with_values({"energy.pue": bad})
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic["field"] == "energy.pue"
    assert diagnostic["override"].startswith("energy.pue=")
    with pytest.raises(plenum.ScenarioError, match="expected a finite number") as caught:
        plenum.sweep(scenario, {"energy.pue": [1.2, bad]})
    assert caught.value.diagnostics[0]["field"] == "energy.pue"
    # Nested in a list, and in from_dict, the same.
    with pytest.raises(plenum.ScenarioError, match="finite"):
        scenario.with_values({"energy.price_usd_per_kwh_by_hour": [0.1] * 23 + [bad]})
    import tomllib

    tables = tomllib.loads(STATIC.read_text())
    tables["energy"]["pue"] = bad
    with pytest.raises(plenum.ScenarioError, match="finite") as caught:
        plenum.Scenario.from_dict(tables)
    assert caught.value.diagnostics[0]["field"] == "energy.pue"


def test_the_cli_refuses_set_nan(tmp_path):
    from test_api import plenum_cli

    for value in ["nan", "inf"]:
        done = plenum_cli("run", "crates/plenum-scenario/scenarios/ashburn-static.toml", "--set", f"energy.pue={value}")
        assert done.returncode == 2, done.stdout
        assert "expected a finite number" in done.stderr and f"--set energy.pue={value}" in done.stderr


def test_numpy_and_pandas_scalars_work_as_python_numbers():
    scenario = plenum.Scenario.from_path(STATIC)
    with_numpy = scenario.with_values({
        "servers[0].count": np.int64(40000),
        "energy.pue": np.float32(1.25),
        "energy.price_usd_per_kwh": pd.Series([0.07]).iloc[0],
    })
    with_python = scenario.with_values({
        "servers[0].count": 40000, "energy.pue": float(np.float32(1.25)), "energy.price_usd_per_kwh": 0.07,
    })
    assert with_numpy == with_python
    assert plenum.run(with_numpy).summary == plenum.run(with_python).summary
    default = plenum.Scenario.embedded()
    assert default.with_values({"scenario.seed": np.uint32(7)}).seed == 7
    assert default.with_values({"finance.cost_of_money_annual": np.float16(0.0625)}).to_dict()["finance"][
        "cost_of_money_annual"] == 0.0625


def test_numpy_arrays_and_series_are_grids():
    scenario = plenum.Scenario.from_path(STATIC)
    table = plenum.sweep(scenario, {
        "servers[0].count": np.arange(10000, 30000, 10000),
        "energy.pue": pd.Series([1.1, 1.2]),
    }, samples=np.int64(1), seed=np.int64(3))
    assert table.num_rows == 4
    assert table["servers[0].count"].type == "int64"
    assert table["servers[0].count"].to_pylist() == [10000, 10000, 20000, 20000]
    listed = plenum.sweep(scenario, {"servers[0].count": [10000, 20000], "energy.pue": [1.1, 1.2]}, seed=3)
    assert table.equals(listed)


def test_numpy_bools_are_flags():
    default = plenum.Scenario.embedded()
    with_numpy = default.with_values({"cooling.fan_variable_speed": np.bool_(False)})
    assert with_numpy == default.with_values({"cooling.fan_variable_speed": False})
    assert with_numpy.to_dict()["cooling"]["fan_variable_speed"] is False
    dean = plenum.Scenario.from_path(ROOT / "scenarios" / "dean-cluster-year.toml").with_values(
        {"reliability.replications": np.int32(10)})
    table = plenum.sweep(dean, {"reliability.site.cooling_on_ups": np.array([True, False])})
    assert table["reliability.site.cooling_on_ups"].to_pylist() == [True, False]
