"""Item: progress. `run` and `sweep` take progress=True (a tqdm bar when
tqdm is installed, a plain line on stderr otherwise) or a callback."""

import builtins
import sys
from pathlib import Path

import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
DEAN = ROOT / "scenarios" / "dean-cluster-year.toml"
STATIC = ROOT / "scenarios" / "ashburn-static.toml"


def test_a_sweep_callback_hears_the_rows_to_the_last():
    seen = []
    table = plenum.sweep(plenum.Scenario.from_path(STATIC), {"energy.pue": [1.1, 1.2, 1.3, 1.4]},
                         progress=lambda done, total, stage: seen.append((done, total, stage)))
    assert table.num_rows == 4
    assert seen, "the callback was never called"
    assert all(total == 4 and stage == "sweep rows" for _, total, stage in seen)
    assert seen[-1][0] == 4
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)


def test_a_run_callback_hears_the_year_and_the_replications(small_default):
    scenario = plenum.Scenario.from_path(DEAN).with_values(
        {"reliability.replications": 4000, "reliability.batch_replications": 100})
    stages = {}
    plenum.run(scenario, progress=lambda done, total, stage: stages.setdefault(stage, []).append((done, total)))
    assert "reliability replications" in stages
    reports = stages["reliability replications"]
    assert reports[-1] == (4000, 4000)
    assert all(total == 4000 for _, total in reports)
    # The default scenario simulates its year: its hours are reported too.
    stages = {}
    plenum.run(small_default, progress=lambda d, t, stage: stages.setdefault(stage, []).append((d, t)))
    assert max(stages["year hours"]) == (8760, 8760)


def test_progress_true_uses_tqdm(capsys):
    pytest.importorskip("tqdm")
    plenum.sweep(plenum.Scenario.from_path(STATIC), {"energy.pue": [1.1, 1.2]}, progress=True)
    err = capsys.readouterr().err
    assert "sweep rows" in err and "2/2" in err and "100%" in err


def test_progress_true_without_tqdm_prints_a_plain_line(monkeypatch, capsys):
    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("no tqdm here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    monkeypatch.delitem(sys.modules, "tqdm.auto", raising=False)
    plenum.sweep(plenum.Scenario.from_path(STATIC), {"energy.pue": [1.1, 1.2]}, progress=True)
    err = capsys.readouterr().err
    assert "sweep rows: 2/2 (100%)" in err and "s left" in err


def test_progress_must_be_a_flag_or_a_callable():
    with pytest.raises(TypeError, match="progress"):
        plenum.run(plenum.Scenario.embedded("ashburn-static"), progress="yes")
