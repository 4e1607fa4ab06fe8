"""Plenum, a data-center digital twin, from Python.

    import plenum
    scenario = plenum.Scenario.from_path("scenarios/default.toml")
    result = plenum.run(scenario.with_values({"site.climate": "phoenix"}))
    result.summary["pue"]["annual"]          # the CLI's JSON, as a dict
    result.table("hourly")                   # a pyarrow.Table
    plenum.sweep(scenario, grid={"site.climate": ["seattle", "phoenix"]})

The simulation is the Rust core (`plenum._plenum`), which releases the GIL
while it runs; tables arrive as Arrow tables without a copy through Python
objects. `sweep` runs on the core's thread pool, or as batches of Ray tasks on
whatever cluster `ray.init()` connected to: same seed, same table.
"""

from __future__ import annotations

import html
import json
import math
import time
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from plenum._plenum import (
    InputError,
    PlenumError,
    Scenario,
    ScenarioError,
    __version__,
    sweep_rows as _sweep_rows,
    sweep_size as _sweep_size,
)
from plenum import _plenum

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = [
    "InputError",
    "PlenumError",
    "Result",
    "Scenario",
    "ScenarioError",
    "run",
    "sweep",
    "__version__",
]

Grid = Mapping[str, Sequence[Any]] | Sequence[tuple[str, Sequence[Any]]]


class Result:
    """What one run produced: `summary` (the CLI's JSON as a dict) and tables."""

    def __init__(self, native: _plenum.Run, scenario: Scenario) -> None:
        self._native = native
        self._summary: dict[str, Any] | None = None
        self.scenario = scenario

    @property
    def summary(self) -> dict[str, Any]:
        """The run's summary, equal to `plenum run --format json`."""
        if self._summary is None:
            self._summary = json.loads(self._native.summary_json())
        return self._summary

    @property
    def table_names(self) -> list[str]:
        """Names of every series and event log the run produced."""
        return self._native.table_names()

    def table(self, name: str) -> "pyarrow.Table":
        """One table (`hourly`, `reliability_events`, ...) as a pyarrow.Table."""
        return self._native.table(name)

    def to_pandas(self, name: str) -> "pandas.DataFrame":
        """One table as a pandas DataFrame."""
        return self.table(name).to_pandas()

    def headline(self) -> list[tuple[str, str]]:
        """The headline figures as (label, formatted value) pairs."""
        return _headline(self.summary)

    def __repr__(self) -> str:
        figures = ", ".join(f"{label} {value}" for label, value in self.headline()[:4])
        return f"<plenum.Result {self.summary['scenario']['name']!r}: {figures}>"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
            f"<td style='text-align:right'>{html.escape(value)}</td></tr>"
            for label, value in self.headline()
        )
        tables = ", ".join(html.escape(n) for n in self.table_names) or "none"
        name = html.escape(str(self.summary["scenario"]["name"]))
        return (
            f"<div><strong>Plenum run: {name}</strong>"
            f"<table>{rows}</table><small>tables: {tables}</small></div>"
        )


def _get(summary: Mapping[str, Any], path: str) -> Any:
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


# (label, summary path, format) of the figures a notebook shows first.
_HEADLINE = [
    ("Total cost per month", "cost.total_monthly_usd", "${:,.0f}"),
    ("Cost per server-month", "cost.per_server_month_usd", "${:,.2f}"),
    ("Cost per critical kW-month", "cost.per_critical_kw_month_usd", "${:,.2f}"),
    ("Price floor per vCPU-hour", "cost.per_vcpu_hour_usd", "${:,.4f}"),
    ("Servers", "scenario.servers", "{:,}"),
    ("Annual PUE", "pue.annual", "{:.3f}"),
    ("Facility energy (MWh/yr)", "energy.facility_mwh", "{:,.0f}"),
    ("Operational carbon (tCO2e/yr)", "carbon.operational_t", "{:,.0f}"),
    ("Availability", "reliability.availability", "{:.6f}"),
    ("Downtime (h/yr)", "reliability.downtime_hours_per_year", "{:.3f}"),
    ("Workload tasks", "workload.tasks", "{:,}"),
    ("Replay IT energy (MWh)", "workload.energy.it_mwh", "{:,.3f}"),
]


def _headline(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for label, path, fmt in _HEADLINE:
        value = _get(summary, path)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append((label, fmt.format(value)))
    return out


def run(scenario: Scenario) -> Result:
    """Run everything the scenario asks for: cost, the simulated year,
    reliability, the workload replay and the capacity plan."""
    return Result(_plenum.run(scenario), scenario)


def _as_pairs(grid: Grid) -> list[tuple[str, list[Any]]]:
    items: Iterable[tuple[str, Sequence[Any]]] = grid.items() if isinstance(grid, Mapping) else grid
    pairs = []
    for key, values in items:
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(f"the grid's values for {key!r} must be a list, not {type(values).__name__}")
        pairs.append((str(key), list(values)))
    return pairs


# Ray's cost of one task (scheduling, the scenario's transfer and
# validation, the result's return): about 2 ms measured here
# (bench/python_sweeps.py). A batch is made at least 50 times longer, so the
# overhead stays under 5% of the work; and there are up to 4 batches per CPU
# of the cluster, so uneven rows still spread.
_RAY_TASK_OVERHEAD_S = 0.002
_MIN_BATCH_S = 50 * _RAY_TASK_OVERHEAD_S
_BATCHES_PER_CPU = 4


def sweep(
    scenario: Scenario,
    grid: Grid,
    samples: int = 1,
    seed: int | None = None,
    backend: str = "local",
    *,
    batch_rows: int | None = None,
    cpus_per_task: int = 1,
) -> "pyarrow.Table":
    """Run `scenario` over every combination of `grid` ({"dotted.key": [values]}),
    `samples` times each (sample j runs with seed `seed + j`, the same in every
    variant), and return one table: a row per variant and sample, the inputs
    set, then every figure of the run's summary.

    `backend="local"` uses the Rust thread pool. `backend="ray"` ships batches
    of rows as Ray tasks to the cluster `ray.init()` connected to (it calls
    `ray.init()` itself when nothing is connected). The table is the same
    either way, for any number of workers. `batch_rows` fixes the batch size;
    by default a batch takes at least 0.1 s (timed on the first rows, one
    per CPU, which run as tasks of their own), and the cluster gets up to 4
    batches per CPU.
    """
    pairs = _as_pairs(grid)
    _, rows = _sweep_size(scenario, pairs, samples, seed)
    if backend == "local":
        return _sweep_rows(scenario, pairs, samples, seed, 0, rows)
    if backend == "ray":
        return _sweep_ray(scenario, pairs, samples, seed, rows, batch_rows, cpus_per_task)
    raise ValueError(f'backend must be "local" or "ray", not {backend!r}')


def _sweep_ray(
    scenario: Scenario,
    pairs: list[tuple[str, list[Any]]],
    samples: int,
    seed: int | None,
    rows: int,
    batch_rows: int | None,
    cpus_per_task: int,
) -> "pyarrow.Table":
    import pyarrow as pa
    import ray

    if not ray.is_initialized():
        ray.init()
    task = ray.remote(num_cpus=cpus_per_task)(_sweep_batch)
    scenario_ref = ray.put(scenario)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)) // cpus_per_task)

    def batch(start: int, stop: int):
        return task.remote(scenario_ref, pairs, samples, seed, start, stop, cpus_per_task)

    first: list = []
    if batch_rows is None:
        # One row per CPU first, timed by the first to finish (overhead
        # included, so the estimate errs towards larger batches); the rest
        # is batched from that while those rows run.
        began = time.perf_counter()
        first = [batch(r, r + 1) for r in range(min(cpus, rows))]
        ray.wait(first, num_returns=1)
        row_s = max(time.perf_counter() - began, 1e-6)
        rest = rows - len(first)
        batch_rows = max(math.ceil(_MIN_BATCH_S / row_s), math.ceil(rest / (_BATCHES_PER_CPU * cpus)), 1)
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be at least 1, not {batch_rows}")
    futures = first + [batch(s, min(s + batch_rows, rows)) for s in range(len(first), rows, batch_rows)]
    parts = ray.get(futures)
    # Batches may lack a figure the whole sweep has (null there); columns
    # keep the order rows first show them, as in the local table.
    return pa.concat_tables(parts, promote_options="default").combine_chunks()


def _sweep_batch(
    scenario: Scenario,
    pairs: list[tuple[str, list[Any]]],
    samples: int,
    seed: int | None,
    start: int,
    stop: int,
    threads: int,
) -> "pyarrow.Table":
    return _sweep_rows(scenario, pairs, samples, seed, start, stop, threads)
