"""Sweeps: one row per variant and sample, the same table on the local pool,
on a local Ray instance and from the CLI."""

import os
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
# Where cargo builds (CARGO_TARGET_DIR when set, as the test.sh build honours it).
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
STATIC = ROOT / "scenarios" / "ashburn-static.toml"
DEAN = ROOT / "scenarios" / "dean-cluster-year.toml"


def small_dean() -> plenum.Scenario:
    """The DEAN cluster year with few replications: a Monte Carlo sweep."""
    return plenum.Scenario.from_path(DEAN).with_values(
        {"reliability.replications": 20, "reliability.batch_replications": 10}
    )


def test_rows_hold_inputs_then_figures_in_grid_order():
    grid = {"energy.pue": [1.1, 1.2, 1.3], "energy.price_usd_per_kwh": [0.05, 0.10]}
    table = plenum.sweep(plenum.Scenario.from_path(STATIC), grid)
    assert table.num_rows == 6
    names = table.column_names
    assert names[:5] == ["variant", "sample", "seed", "energy.pue", "energy.price_usd_per_kwh"]
    assert "cost.per_server_month_usd" in names
    assert table["energy.pue"].to_pylist() == [1.1, 1.1, 1.2, 1.2, 1.3, 1.3]
    # Each row is the run with the same overrides.
    scenario = plenum.Scenario.from_path(STATIC).with_values(
        {"energy.pue": 1.3, "energy.price_usd_per_kwh": 0.10}
    )
    expected = plenum.run(scenario).summary["cost"]["per_server_month_usd"]
    assert table["cost.per_server_month_usd"][5].as_py() == expected
    # Cost rises with PUE at a fixed price.
    costs = table["cost.per_server_month_usd"].to_pylist()
    assert costs[0] < costs[2] < costs[4]


def test_text_values_become_text_columns(small_default):
    table = plenum.sweep(small_default, {"site.climate": ["seattle", "phoenix"]})
    assert table["site.climate"].to_pylist() == ["seattle", "phoenix"]
    pue = table["pue.annual"].to_pylist()
    assert pue[0] < pue[1]  # Phoenix needs more cooling than Seattle


def test_samples_give_each_variant_the_same_seeds():
    table = plenum.sweep(small_dean(), {"reliability.years_per_replication": [1, 2]}, samples=3, seed=100)
    assert table["seed"].to_pylist() == [100, 101, 102] * 2
    assert table["sample"].to_pylist() == [0, 1, 2] * 2
    outages = table["reliability.outages_per_year"].to_pylist()
    assert len(set(outages[:3])) > 1  # different seeds, different draws


def test_same_seed_same_table_and_the_local_pool_size_does_not_matter():
    grid = {"reliability.years_per_replication": [1, 2]}
    a = plenum.sweep(small_dean(), grid, samples=2, seed=5)
    b = plenum.sweep(small_dean(), grid, samples=2, seed=5)
    assert a.equals(b)
    one_thread = plenum._sweep_rows(small_dean(), list(grid.items()), 2, 5, 0, 4, 1)
    assert a.equals(one_thread)


def test_a_bad_grid_value_raises_a_scenario_error_before_running():
    with pytest.raises(plenum.ScenarioError, match="energy.pue"):
        plenum.sweep(plenum.Scenario.from_path(STATIC), {"energy.pue": [1.2, 0.5]})
    with pytest.raises(plenum.ScenarioError, match="did you mean"):
        plenum.sweep(plenum.Scenario.from_path(STATIC), {"energy.peu": [1.2]})
    with pytest.raises(TypeError, match="list"):
        plenum.sweep(plenum.Scenario.from_path(STATIC), {"site.climate": "seattle"})
    with pytest.raises(ValueError, match="backend"):
        plenum.sweep(plenum.Scenario.from_path(STATIC), {"energy.pue": [1.2]}, backend="spark")


def test_the_cli_writes_the_same_table():
    out = TARGET / "pytest-sweep.parquet"
    binary = TARGET / "debug" / "plenum"
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "--bin", "plenum"], cwd=ROOT, check=True)
    done = subprocess.run(
        [str(binary), "sweep", str(STATIC), "--vary", "energy.pue=1.1,1.2",
         "--vary", "site.climate=seattle,phoenix", "--out", str(out), "--quiet"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    from_cli = pq.read_table(out)
    from_python = plenum.sweep(
        plenum.Scenario.from_path(STATIC), {"energy.pue": [1.1, 1.2], "site.climate": ["seattle", "phoenix"]}
    )
    assert from_cli.equals(from_python)


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_backend_equals_the_local_backend_row_for_row(local_ray):
    grid = {"reliability.years_per_replication": [1, 2], "reliability.replications": [10, 20]}
    local = plenum.sweep(small_dean(), grid, samples=2, seed=11)
    on_ray = plenum.sweep(small_dean(), grid, samples=2, seed=11, backend="ray")
    assert on_ray.column_names == local.column_names
    assert on_ray.schema.types == local.schema.types
    assert on_ray.to_pylist() == local.to_pylist()
    # Any batching gives the same table.
    in_threes = plenum.sweep(small_dean(), grid, samples=2, seed=11, backend="ray", batch_rows=3)
    assert in_threes.to_pylist() == local.to_pylist()


def test_ray_batches_of_a_cost_sweep_equal_the_local_table(local_ray):
    grid = {"energy.pue": [1.1 + i / 100 for i in range(40)], "site.climate": ["seattle", "phoenix"]}
    scenario = plenum.Scenario.from_path(STATIC)
    local = plenum.sweep(scenario, grid)
    on_ray = plenum.sweep(scenario, grid, backend="ray")
    assert on_ray.to_pylist() == local.to_pylist()
    assert isinstance(on_ray, pa.Table)
