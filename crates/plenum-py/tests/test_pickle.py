"""Item: results pickle (process pools, joblib and Dask return them);
scenarios compare by content; to_dict() and to_toml() include the
overrides; with_values({key: None}) removes a key."""

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
DEAN = ROOT / "scenarios" / "dean-cluster-year.toml"


def small_dean() -> plenum.Scenario:
    return plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 20})


def test_a_result_pickles_with_summary_and_tables(small_default):
    result = plenum.run(small_default.with_values({"energy.price_usd_per_kwh": 0.09}))
    copy = pickle.loads(pickle.dumps(result))
    assert copy.summary == result.summary
    assert copy.table_names == result.table_names
    for name in result.table_names:
        assert copy.table(name).equals(result.table(name))
    assert copy.scenario == result.scenario
    assert copy.to_pandas("hourly", time_index=True).equals(result.to_pandas("hourly", time_index=True))
    with pytest.raises(KeyError, match="hourly"):
        copy.table("nothing")


def _run_in_worker(scenario: plenum.Scenario) -> plenum.Result:
    return plenum.run(scenario)


def test_a_process_pool_returns_results():
    """A pool of spawned processes (a forked child would inherit the Rust
    thread pool's state without its threads)."""
    scenario = small_dean()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        remote = pool.submit(_run_in_worker, scenario).result(timeout=120)
    assert remote.summary == plenum.run(scenario).summary
    assert remote.table("reliability_events").num_rows > 0


def test_scenarios_compare_by_content():
    scenario = plenum.Scenario.embedded("ashburn-static").with_values({"energy.pue": 1.3})
    copy = pickle.loads(pickle.dumps(scenario))
    assert copy == scenario and hash(copy) == hash(scenario)
    assert scenario != plenum.Scenario.embedded("ashburn-static")
    assert scenario == plenum.Scenario.embedded("ashburn-static").with_values({"energy.pue": 1.3})
    # The same content from another origin is the same scenario.
    assert plenum.Scenario.from_toml(scenario.to_toml()) == scenario
    assert plenum.Scenario.from_dict(scenario.to_dict()) == scenario
    assert len({scenario, copy}) == 1


def test_to_dict_and_to_toml_include_the_overrides():
    scenario = plenum.Scenario.embedded().with_values({"energy.price_usd_per_kwh": 0.0925, "servers[0].count": 1000})
    tables = scenario.to_dict()
    assert tables["energy"]["price_usd_per_kwh"] == 0.0925
    assert tables["servers"][0]["count"] == 1000
    assert "price_usd_per_kwh = 0.0925" in scenario.to_toml()
    assert "0.0925" not in scenario.toml  # the text as written keeps the file's value
    assert plenum.run(plenum.Scenario.from_toml(scenario.to_toml())).summary["cost"] == \
        plenum.run(scenario).summary["cost"]


def test_none_removes_a_key_so_a_climate_becomes_an_epw_file(tmp_path):
    scenario = plenum.Scenario.embedded()
    assert "climate" in scenario.to_dict()["site"]
    # Removing the climate alone leaves the site without weather: an error
    # that names the removal.
    with pytest.raises(plenum.ScenarioError, match="--unset site.climate"):
        scenario.with_values({"site.climate": None})
    # Switching the built-in climate for a weather file (here a broken one:
    # it is read at run time, and the error names it).
    epw = tmp_path / "site.epw"
    epw.write_text("LOCATION,Nowhere,,,,,0,0,0,0\nnot an epw file\n")
    switched = scenario.with_values({"site.climate": None, "site.weather_epw": str(epw)})
    assert switched.removed == ["site.climate"]
    assert "climate" not in switched.to_dict()["site"]
    assert switched.to_dict()["site"]["weather_epw"] == str(epw)
    assert pickle.loads(pickle.dumps(switched)) == switched
    with pytest.raises(plenum.InputError, match="site.epw"):
        plenum.run(switched)
    with pytest.raises(plenum.ScenarioError, match="--unset site.nothing"):
        scenario.with_values({"site.nothing": None})
