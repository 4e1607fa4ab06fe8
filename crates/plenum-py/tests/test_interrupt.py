"""Item: interrupt means stop. SIGINT during a long run or sweep raises
KeyboardInterrupt within a fraction of a second (the Rust core looks at a
cancel flag between replications, chunks of hours, replay events and sweep
rows); an interrupted sweep keeps the rows that finished on the exception's
`partial`. The bounds below are generous (5 s) so a loaded machine does not
fail them; the measured latency is in bench/RESULTS.md."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
DEAN = ROOT / "scenarios" / "dean-cluster-year.toml"


def interrupt_after(seconds: float) -> dict:
    """Send this process SIGINT from a timer thread; the dict gets the time sent."""
    sent: dict = {}

    def fire():
        sent["at"] = time.perf_counter()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(seconds, fire)
    timer.start()
    sent["timer"] = timer
    return sent


def test_sigint_stops_a_million_replications_at_once():
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 1_000_000})
    began = time.perf_counter()
    sent = interrupt_after(1.0)
    with pytest.raises(KeyboardInterrupt):
        plenum.run(scenario)
    stopped = time.perf_counter()
    sent["timer"].join()
    # Without the checks this run takes minutes.
    assert stopped - began < 5.0
    assert stopped - sent["at"] < 4.0


def test_an_interrupted_sweep_keeps_its_finished_rows():
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 300})
    grid = {"reliability.years_per_replication": list(range(1, 41))}
    sent: dict = {}

    def stop_after_three_rows(done, total, stage):
        # As a user pressing Ctrl-C once some rows are done.
        if done >= 3 and "at" not in sent:
            sent["at"] = time.perf_counter()
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt) as caught:
        plenum.sweep(scenario, grid, samples=5, progress=stop_after_three_rows)
    assert time.perf_counter() - sent["at"] < 5.0
    partial = caught.value.partial
    full_columns = plenum.sweep(scenario, {"reliability.years_per_replication": [1]}).column_names
    assert partial.column_names == full_columns
    assert 3 <= partial.num_rows < 200
    # Each finished row is the row an uninterrupted sweep gives.
    first = partial.slice(0, 1).to_pylist()[0]
    variant, sample = first["variant"], first["sample"]
    alone = plenum.sweep(
        scenario, {"reliability.years_per_replication": [grid["reliability.years_per_replication"][variant]]},
        samples=5,
    ).to_pylist()[sample]
    assert {k: v for k, v in first.items() if k != "variant"} == {k: v for k, v in alone.items() if k != "variant"}


def test_a_progress_callback_that_raises_stops_the_run_with_its_exception():
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 1_000_000})

    class Enough(Exception):
        pass

    def stop_at_once(done, total, stage):
        raise Enough(stage)

    began = time.perf_counter()
    with pytest.raises(Enough, match="reliability replications"):
        plenum.run(scenario, progress=stop_at_once)
    assert time.perf_counter() - began < 5.0


def test_an_uninterrupted_run_is_unchanged_by_the_checks():
    """Same figures with and without a progress callback (the control path),
    and as the CLI-equivalent run with no control."""
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 200})
    plain = plenum.run(scenario).summary
    watched = plenum.run(scenario, progress=lambda done, total, stage: None).summary
    assert plain == watched
