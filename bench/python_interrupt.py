"""How fast Ctrl-C stops the Python package (issue 23), and what the watch
costs a short call.

    bash bench/python_sweeps.sh interrupt       # release build, then this script
    .venv/bin/python bench/python_interrupt.py  # whatever build is installed

1. Latency of an interrupt: SIGINT sent (os.kill from a timer thread) 1 s
   into a long run, `plenum.run` of scenarios/dean-cluster-year.toml with
   1,000,000 replications, until `KeyboardInterrupt` reaches the caller.
2. The same for a sweep (the Dean cluster, 300 replications a row, 40
   variants x 5 samples), with the number of finished rows it kept.
3. The cost of the watch on a short call: `plenum.run` of a cost-only
   scenario (hamilton-2010), whose work now runs on a thread of its own
   while the caller polls for signals.

Each latency is measured `--repeat` times (default 5): min, median and max.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import threading
import time
from pathlib import Path

import plenum

ROOT = Path(__file__).resolve().parents[1]
DEAN = ROOT / "scenarios" / "dean-cluster-year.toml"


def latency(call, after_s: float = 1.0) -> tuple[float, object]:
    """Seconds from SIGINT to the KeyboardInterrupt `call` raises, and the exception."""
    sent: dict[str, float] = {}

    def fire():
        sent["at"] = time.perf_counter()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(after_s, fire)
    timer.start()
    try:
        call()
    except KeyboardInterrupt as stop:
        caught = time.perf_counter()
        timer.join()
        return caught - sent["at"], stop
    timer.cancel()
    raise RuntimeError("the call finished before the interrupt")


def spread(values: list[float]) -> str:
    return f"min {min(values) * 1e3:.0f} ms, median {statistics.median(values) * 1e3:.0f} ms, max {max(values) * 1e3:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    long_run = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 1_000_000})
    run_latencies = [latency(lambda: plenum.run(long_run))[0] for _ in range(args.repeat)]
    print(f"run, Dean 1,000,000 replications, SIGINT at 1 s: {spread(run_latencies)}")

    rows = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 300})
    grid = {"reliability.years_per_replication": list(range(1, 41))}
    sweep_latencies, kept = [], []
    for _ in range(args.repeat):
        seconds, stop = latency(lambda: plenum.sweep(rows, grid, samples=5), after_s=2.0)
        sweep_latencies.append(seconds)
        kept.append(stop.partial.num_rows)
    print(f"sweep, Dean 40 x 5 rows, SIGINT at 2 s: {spread(sweep_latencies)}; rows kept {kept} of 200")

    cost_only = plenum.Scenario.embedded("hamilton-2010")
    for _ in range(50):
        plenum.run(cost_only)
    times = []
    for _ in range(500):
        began = time.perf_counter()
        plenum.run(cost_only)
        times.append(time.perf_counter() - began)
    print(f"plenum.run of hamilton-2010 (cost only), whole call: best {min(times) * 1e6:.0f} µs, "
          f"median {statistics.median(times) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
