"""The examples run, and the notebook is the script's export (same code)."""

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "examples" / "us_sites_pue_vs_cost.py"
YEAR_SCRIPT = ROOT / "examples" / "year_progress_interrupt.py"


def script_cells(text: str) -> list[tuple[str, str]]:
    """The script's `# %%` cells as (kind, source), as jupytext reads them."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# %%"):
            cells.append(("markdown" if "[markdown]" in line else "code", []))
        elif cells:
            cells[-1][1].append(line)
    out = []
    for kind, lines in cells:
        if kind == "markdown":
            lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines]
        out.append((kind, "\n".join(lines).strip()))
    return out


@pytest.mark.parametrize("script", [SCRIPT, YEAR_SCRIPT], ids=lambda p: p.stem)
def test_the_notebook_is_the_scripts_export(script):
    notebook = json.loads(script.with_suffix(".ipynb").read_text())
    exported = [(c["cell_type"], "".join(c["source"]).strip()) for c in notebook["cells"]]
    assert exported == script_cells(script.read_text()), (
        f"examples/{script.stem}.ipynb is out of date: jupytext --to ipynb examples/{script.name}"
    )


def test_the_site_sweep_example_runs_and_plots(tmp_path):
    out = tmp_path / "plot.png"
    env = dict(os.environ, PLENUM_EXAMPLE_QUICK="1", PLENUM_EXAMPLE_OUT=str(out), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "10 designs" in done.stdout
    assert out.stat().st_size > 10_000
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_year_example_sweeps_plots_and_keeps_the_rows_of_a_stopped_sweep(tmp_path):
    out = tmp_path / "year.png"
    env = dict(os.environ, PLENUM_EXAMPLE_QUICK="1", PLENUM_EXAMPLE_OUT=str(out), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, str(YEAR_SCRIPT)], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2 designs swept" in done.stdout
    assert "sweep rows" in done.stderr  # the progress bar
    assert "local standard time" in done.stdout
    stopped = re.search(r"stopped with (\d+) of 200 rows finished", done.stdout)
    assert stopped and 5 <= int(stopped.group(1)) < 200, done.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
