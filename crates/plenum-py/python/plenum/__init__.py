"""Plenum, a data-center digital twin, from Python.

    import plenum
    scenario = plenum.Scenario.from_path("crates/plenum-scenario/scenarios/default.toml")
    result = plenum.run(scenario.with_values({"site.climate": "phoenix"}), progress=True)
    result.summary["pue"]["annual"]          # the CLI's JSON, as a dict
    result.table("hourly")                   # a pyarrow.Table
    result.to_pandas("hourly", time_index=True)
    plenum.sweep(scenario, grid={"site.climate": ["seattle", "phoenix"]}, progress=True)

The simulation is the Rust core (`plenum._plenum`), which releases the GIL
while it runs and stops within a fraction of a second on Ctrl-C
(`KeyboardInterrupt`; an interrupted sweep's finished rows are the
exception's `partial` attribute). Tables arrive as Arrow tables without a copy
through Python objects. `sweep` runs on the core's thread pool, or as batches
of Ray tasks on whatever cluster `ray.init()` connected to: same seed, same
table. Results pickle, so process pools, joblib and Dask can return them.
"""

from __future__ import annotations

import html
import json
import math
import sys
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from plenum._plenum import (
    InputError,
    InputFileNotFoundError,
    PlenumError,
    RunTooLargeError,
    Scenario,
    ScenarioError,
    ScenarioFileNotFoundError,
    UsageError,
    __version__,
    climates,
    grids,
    scenarios,
    sweep_rows as _sweep_rows,
    sweep_size as _sweep_size,
)
from plenum import _plenum

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = [
    "InputError",
    "InputFileNotFoundError",
    "PlenumError",
    "Result",
    "RunTooLargeError",
    "Scenario",
    "ScenarioError",
    "ScenarioFileNotFoundError",
    "TYPICAL_YEAR",
    "UsageError",
    "climates",
    "grids",
    "run",
    "scenarios",
    "sweep",
    "__version__",
]

Grid = Mapping[str, Sequence[Any]] | Sequence[tuple[str, Sequence[Any]]]


# The simulated year is a typical year, not a calendar one: 8,760 hours of
# local standard time with no leap day and no daylight saving. Timestamps
# place it in 2001 (a non-leap year) only so that tools which need dates
# (pandas, matplotlib) can plot it; the year number means nothing.
TYPICAL_YEAR = 2001

# A progress callback: (done, total, stage).
Progress = Callable[[int, int, str], Any]


class Result:
    """What one run produced: `summary` (the CLI's JSON as a dict) and tables.

    Results pickle (the summary, the tables as Arrow and the scenario), so a
    process pool, joblib or Dask can return them."""

    def __init__(self, native: _plenum.Run | None, scenario: Scenario,
                 summary_json: str | None = None, tables: dict[str, "pyarrow.Table"] | None = None) -> None:
        self._native = native
        self._summary_json = summary_json if summary_json is not None else native.summary_json()
        self._tables = tables
        self._summary: dict[str, Any] | None = None
        self.scenario = scenario

    def __reduce__(self):
        tables = {name: self._raw_table(name) for name in self.table_names}
        return (_restore_result, (self.scenario, self._summary_json, tables))

    @property
    def summary(self) -> dict[str, Any]:
        """The run's summary, equal to `plenum run --format json`."""
        if self._summary is None:
            self._summary = json.loads(self._summary_json)
        return self._summary

    def summary_series(self) -> "pandas.Series":
        """The summary flattened to a pandas Series: one entry per figure under
        its dotted path (`cost.per_server_month_usd`, `pue.annual`), the same
        names as a sweep's columns; text and flags are kept too."""
        import pandas as pd

        flat: dict[str, Any] = {}
        _flatten(self.summary, "", flat)
        return pd.Series(flat, name=self.summary["scenario"]["name"], dtype=object)

    @property
    def table_names(self) -> list[str]:
        """Names of every series and event log the run produced."""
        if self._tables is not None:
            return list(self._tables)
        return self._native.table_names()

    def _raw_table(self, name: str) -> "pyarrow.Table":
        if self._tables is not None:
            if name not in self._tables:
                raise KeyError(f"no table {name!r}; this run has {', '.join(self._tables) or 'none'}")
            return self._tables[name]
        return self._native.table(name)

    def table(self, name: str) -> "pyarrow.Table":
        """One table (`hourly`, `reliability_events`, ...) as a pyarrow.Table;
        every field's metadata has its `description`. A table of the year's
        hours (`hour_of_year`) also has a `timestamp` column: the hour's
        start in local standard time of the typical year, dated
        `TYPICAL_YEAR` (2001) for plotting."""
        return _with_timestamp(self._raw_table(name))

    def to_pandas(self, name: str, time_index: bool = False) -> "pandas.DataFrame":
        """One table as a pandas DataFrame. `time_index=True` indexes an hourly
        table by its `timestamp` (a DatetimeIndex). `df.attrs` keeps the
        table's `description` and each column's (`descriptions`)."""
        table = self.table(name)
        frame = table.to_pandas()
        if time_index:
            if "timestamp" not in frame.columns:
                raise ValueError(f"the table {name!r} has no timestamp column (only tables of hours do)")
            frame = frame.set_index("timestamp")
        frame.attrs["description"] = _metadata(table.schema.metadata)
        frame.attrs["descriptions"] = {f.name: _metadata(f.metadata) for f in table.schema}
        return frame

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


def _restore_result(scenario: Scenario, summary_json: str, tables: dict[str, "pyarrow.Table"]) -> Result:
    return Result(None, scenario, summary_json, tables)


def _metadata(metadata: Mapping[bytes, bytes] | None, key: bytes = b"description") -> str:
    return (metadata or {}).get(key, b"").decode()


def _flatten(node: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(node, Mapping):
        for key, child in node.items():
            _flatten(child, f"{path}.{key}" if path else key, out)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _flatten(child, f"{path}[{i}]", out)
    else:
        out[path] = node


def _with_timestamp(table: "pyarrow.Table") -> "pyarrow.Table":
    """Add `timestamp` to a table of the year's hours (see `Result.table`)."""
    if "hour_of_year" not in table.column_names or "timestamp" in table.column_names:
        return table
    import pyarrow as pa
    import pyarrow.compute as pc

    start = pa.scalar(datetime(TYPICAL_YEAR, 1, 1), type=pa.timestamp("s"))
    offsets = pc.cast(pc.multiply(pc.cast(table["hour_of_year"], pa.int64()), 3600), pa.duration("s"))
    description = (
        "Start of the hour, local standard time of the typical (non-leap) year the simulation "
        f"runs; dated {TYPICAL_YEAR} only for plotting: the year number means nothing"
    )
    field = pa.field("timestamp", pa.timestamp("s"), nullable=False, metadata={"description": description})
    return table.append_column(field, pc.add(start, offsets))


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


class _Reporter:
    """`progress=True`: a tqdm bar (tqdm.auto, so a widget in a notebook)
    when tqdm is installed, else one line on stderr rewritten in place:
    units done, rate and time left, per stage."""

    def __init__(self) -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        self._tqdm = tqdm
        self._bar = None
        self._stage: str | None = None
        self._started = 0.0

    def __call__(self, done: int, total: int, stage: str) -> None:
        if stage != self._stage:
            self.close()
            self._stage, self._started = stage, time.perf_counter()
            if self._tqdm is not None:
                self._bar = self._tqdm(total=total, desc=stage, unit=stage.split()[-1])
        if self._bar is not None:
            self._bar.total = total
            self._bar.update(done - self._bar.n)
            return
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else float("nan")
        sys.stderr.write(f"\r{stage}: {done:,}/{total:,} ({done / max(total, 1):.0%}), "
                         f"{rate:,.1f}/s, {left:,.0f} s left ")
        sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._stage is not None:
            sys.stderr.write("\n")
        self._stage = None


def _reporter(progress: bool | Progress | None) -> tuple[Progress | None, Callable[[], None]]:
    """The callback for `progress` and what closes it."""
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        reporter = _Reporter()
        return reporter, reporter.close
    if callable(progress):
        return progress, lambda: None
    raise TypeError(f"progress must be True, False or a callable (done, total, stage), not {progress!r}")


def run(scenario: Scenario, progress: bool | Progress = False) -> Result:
    """Run everything the scenario asks for: cost, the simulated year,
    reliability, the workload replay and the capacity plan.

    `progress=True` shows a progress bar per stage (tqdm when installed,
    else a line on stderr); a callable is called as `progress(done, total,
    stage)` from the calling thread (`stage` names the unit counted, such as
    "reliability replications"). Ctrl-C stops the run within a fraction of
    a second with `KeyboardInterrupt`, as does an exception the callback
    raises."""
    callback, close = _reporter(progress)
    try:
        return Result(_plenum.run(scenario, callback), scenario)
    finally:
        close()


def _as_pairs(grid: Grid) -> list[tuple[str, Any]]:
    items: Iterable[tuple[str, Sequence[Any]]] = grid.items() if isinstance(grid, Mapping) else grid
    pairs = []
    for key, values in items:
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(f"the grid's values for {key!r} must be a list, not {type(values).__name__}")
        # A NumPy array or pandas Series becomes its list of Python values.
        values = values.tolist() if hasattr(values, "tolist") else list(values)
        pairs.append((str(key), values))
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
    progress: bool | Progress = False,
) -> "pyarrow.Table":
    """Run `scenario` over every combination of `grid` ({"dotted.key": [values]};
    values may be lists, tuples, NumPy arrays or pandas Series, and NumPy or
    pandas scalars), `samples` times each (sample j runs with seed `seed + j`,
    the same in every variant), and return one table: a row per variant and
    sample, the inputs set, then every figure of the run's summary (each
    column's metadata has its `description` and `unit`).

    `backend="local"` uses the Rust thread pool. `backend="ray"` ships batches
    of rows as Ray tasks to the cluster `ray.init()` connected to (it calls
    `ray.init()` itself when nothing is connected). The table is the same
    either way, for any number of workers. `batch_rows` fixes the batch size;
    by default a batch takes at least 0.1 s (timed on the first rows, one
    per CPU, which run as tasks of their own), and the cluster gets up to 4
    batches per CPU.

    `progress=True` shows rows done, rate and time left (a tqdm bar when
    tqdm is installed, else a line on stderr); a callable is called as
    `progress(done, total, "sweep rows")`.

    Ctrl-C (or an exception raised by the progress callback) stops the sweep
    within a fraction of a second: the exception (`KeyboardInterrupt`) is
    raised with the rows finished so far as its `partial` attribute, a table
    like the whole sweep's with fewer rows (their `variant` and `sample`
    columns say which):

        try:
            table = plenum.sweep(scenario, grid)
        except KeyboardInterrupt as stop:
            table = stop.partial
    """
    pairs = _as_pairs(grid)
    _, rows = _sweep_size(scenario, pairs, samples, seed)
    callback, close = _reporter(progress)
    try:
        if backend == "local":
            return _sweep_rows(scenario, pairs, samples, seed, 0, rows, None, callback)
        if backend == "ray":
            return _sweep_ray(scenario, pairs, samples, seed, rows, batch_rows, cpus_per_task, callback)
        raise ValueError(f'backend must be "local" or "ray", not {backend!r}')
    finally:
        close()


def _sweep_ray(
    scenario: Scenario,
    pairs: list[tuple[str, list[Any]]],
    samples: int,
    seed: int | None,
    rows: int,
    batch_rows: int | None,
    cpus_per_task: int,
    callback: Progress | None,
) -> "pyarrow.Table":
    import pyarrow as pa
    import ray

    if not ray.is_initialized():
        ray.init()
    task = ray.remote(num_cpus=cpus_per_task)(_sweep_batch)
    scenario_ref = ray.put(scenario)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)) // cpus_per_task)

    starts: dict[Any, tuple[int, int]] = {}

    def batch(start: int, stop: int):
        future = task.remote(scenario_ref, pairs, samples, seed, start, stop, cpus_per_task)
        starts[future] = (start, stop)
        return future

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
    pending = first + [batch(s, min(s + batch_rows, rows)) for s in range(len(first), rows, batch_rows)]
    parts: dict[int, "pyarrow.Table"] = {}
    done = 0

    def table_of(finished: dict[int, "pyarrow.Table"]) -> "pyarrow.Table":
        # Batches may lack a figure the whole sweep has (null there); columns
        # keep the order rows first show them, as in the local table.
        ordered = [finished[start] for start in sorted(finished)]
        return pa.concat_tables(ordered, promote_options="permissive").combine_chunks()

    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=len(pending), timeout=0.1)
            for future in ready:
                start, stop = starts[future]
                parts[start] = ray.get(future)
                done += stop - start
            if ready and callback is not None:
                callback(done, rows, "sweep rows")
    except BaseException as stop:
        for future in pending:
            ray.cancel(future)
        if parts:
            stop.partial = table_of(parts)
        raise
    return table_of(parts)


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
