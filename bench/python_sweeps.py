"""Benchmarks of the Python package (issue 8's goals).

    bash bench/python_sweeps.sh            # builds a release wheel into .venv, then runs this

1. Python overhead per `plenum.run` of a cost-only scenario: the wall time of
   `plenum.run(s)` (and with `.summary` read) against the same run timed in
   Rust (`plenum._plenum` has no Rust-only timer, so the figure is the whole
   call; its Rust part is the cost evaluation plus reading no inputs).
2. A 10,000-variant cost sweep on the local backend (100 PUEs x 100 energy
   prices on crates/plenum-scenario/scenarios/ashburn-static.toml).
3. Ray scaling on a Monte Carlo reliability sweep (scenarios/dean-cluster-year.toml,
   8 variants x 2 samples, each row a full Monte Carlo study): one Ray
   instance with 1 CPU, then one with 2, each task on one thread; the
   speed-up is the ratio of wall times. The two tables are checked equal.

Each figure is the best of `--repeat` runs (default 3), printed as one line.
With `--address auto` (or a head's address) the reliability sweep runs on that
Ray cluster instead, checked against and timed beside this machine's pool.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import plenum

ROOT = Path(__file__).resolve().parents[1]


def best_of(repeat: int, fn) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times), statistics.median(times)


def overhead(repeat: int) -> None:
    scenario = plenum.Scenario.from_path(ROOT / "crates" / "plenum-scenario" / "scenarios" / "hamilton-2010.toml")
    n = 5000
    plenum.run(scenario)  # warm up

    def calls():
        for _ in range(n):
            plenum.run(scenario)

    def calls_with_summary():
        for _ in range(n):
            plenum.run(scenario).summary  # noqa: B018 - reading it is the point

    best, median = best_of(repeat, calls)
    print(f"plenum.run (cost-only hamilton-2010): {best / n * 1e6:.1f} us per call "
          f"(median {median / n * 1e6:.1f} us; {n} calls)")
    best, median = best_of(repeat, calls_with_summary)
    print(f"plenum.run + .summary dict: {best / n * 1e6:.1f} us per call (median {median / n * 1e6:.1f} us)")


def cost_sweep(repeat: int) -> None:
    scenario = plenum.Scenario.from_path(ROOT / "crates" / "plenum-scenario" / "scenarios" / "ashburn-static.toml")
    grid = {
        "energy.pue": [1.05 + i * 0.01 for i in range(100)],
        "energy.price_usd_per_kwh": [0.03 + i * 0.001 for i in range(100)],
    }
    table = None

    def once():
        nonlocal table
        table = plenum.sweep(scenario, grid)

    best, median = best_of(repeat, once)
    assert table is not None and table.num_rows == 10_000
    print(f"10,000-variant cost sweep (local): {best:.2f} s (median {median:.2f} s), "
          f"{table.num_columns} columns, {best / 10_000 * 1e6:.0f} us per variant")


def reliability_sweep(replications: int):
    scenario = plenum.Scenario.from_path(ROOT / "scenarios" / "dean-cluster-year.toml").with_values(
        {"reliability.replications": replications, "reliability.batch_replications": replications}
    )
    grid = {
        "reliability.years_per_replication": [1, 2],
        "reliability.components.rack.mtbf_hours": [9854.0, 19707.0, 39414.0, 78828.0],
    }
    return scenario, grid


def on_cluster(address: str, repeat: int, replications: int) -> None:
    """The reliability sweep on an existing Ray cluster, against this machine's pool."""
    import ray

    scenario, grid = reliability_sweep(replications)
    ray.init(address=address, logging_level="ERROR", log_to_driver=False)
    cpus = int(ray.cluster_resources().get("CPU", 0))
    tables = {}

    def remote():
        tables["ray"] = plenum.sweep(scenario, grid, samples=2, seed=1, backend="ray")

    def local():
        tables["local"] = plenum.sweep(scenario, grid, samples=2, seed=1)

    on_ray, _ = best_of(repeat, remote)
    here, _ = best_of(repeat, local)
    assert tables["ray"].to_pylist() == tables["local"].to_pylist(), "the cluster gave a different table"
    print(f"Ray cluster at {address} ({cpus} CPUs): {on_ray:.2f} s; this machine's pool: {here:.2f} s")


def ray_scaling(repeat: int, replications: int) -> None:
    import ray

    scenario, grid = reliability_sweep(replications)
    tables = {}
    times = {}
    for cpus in (1, 2):
        ray.init(num_cpus=cpus, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
        plenum.sweep(scenario, {"reliability.years_per_replication": [1]}, backend="ray", batch_rows=1)  # warm workers

        def once():
            tables[cpus] = plenum.sweep(scenario, grid, samples=2, seed=1, backend="ray")

        times[cpus] = best_of(repeat, once)
        if cpus == 2:
            ray_overhead(ray)
        ray.shutdown()
    assert tables[1].to_pylist() == tables[2].to_pylist(), "1 and 2 workers gave different tables"
    rows = tables[1].num_rows
    print(f"Ray reliability sweep ({rows} rows, {replications} replications each): "
          f"1 worker {times[1][0]:.2f} s, 2 workers {times[2][0]:.2f} s, "
          f"speed-up {times[1][0] / times[2][0]:.2f}x (medians {times[1][1]:.2f} / {times[2][1]:.2f} s)")


def _noop() -> None:
    return None


def ray_overhead(ray) -> None:
    """Ray's cost per task (the basis of the batch size), and the 10,000-variant
    cost sweep on Ray against the local pool."""
    noop = ray.remote(num_cpus=1)(_noop)
    ray.get([noop.remote() for _ in range(50)])
    n = 500
    began = time.perf_counter()
    for _ in range(n):
        ray.get(noop.remote())
    serial = (time.perf_counter() - began) / n
    print(f"Ray task round trip (no-op, one at a time): {serial * 1e3:.2f} ms")
    scenario = plenum.Scenario.from_path(ROOT / "crates" / "plenum-scenario" / "scenarios" / "ashburn-static.toml")
    grid = {
        "energy.pue": [1.05 + i * 0.01 for i in range(100)],
        "energy.price_usd_per_kwh": [0.03 + i * 0.001 for i in range(100)],
    }
    local, _ = best_of(3, lambda: plenum.sweep(scenario, grid))
    on_ray, _ = best_of(3, lambda: plenum.sweep(scenario, grid, backend="ray"))
    print(f"10,000-variant cost sweep: local {local:.2f} s, Ray (2 CPUs) {on_ray:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--only", choices=["overhead", "sweep", "ray"])
    parser.add_argument("--address", help="run the reliability sweep on this Ray cluster (e.g. auto) instead")
    args = parser.parse_args()
    if args.address:
        on_cluster(args.address, args.repeat, args.replications)
        return
    if args.only in (None, "overhead"):
        overhead(args.repeat)
    if args.only in (None, "sweep"):
        cost_sweep(args.repeat)
    if args.only in (None, "ray"):
        ray_scaling(args.repeat, args.replications)


if __name__ == "__main__":
    main()
