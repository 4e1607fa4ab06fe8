"""Item: the README's Python snippets run. The README is a front page whose
Python section lives in the book's Python guide, so every ```python block of
README.md and then of docs/book/src/guide/python.md is executed, in order and
in one namespace (later blocks use what earlier ones made), from the
repository root as both assume."""

import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[3]


DOCS = ("README.md", "docs/book/src/guide/python.md")


def python_blocks() -> list[str]:
    return [
        block
        for doc in DOCS
        for block in re.findall(r"^```python\n(.*?)^```", (ROOT / doc).read_text(), flags=re.S | re.M)
    ]


def test_the_readme_has_python_snippets():
    blocks = python_blocks()
    assert len(blocks) >= 3
    assert any('to_pandas("reliability_events")' in b for b in blocks)


def test_every_readme_python_block_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for i, block in enumerate(python_blocks()):
        try:
            exec(compile(block, f"README/Python guide python block {i + 1}", "exec"), namespace)
        except Exception as e:  # name the block that broke
            raise AssertionError(f"README/Python guide python block {i + 1} failed: {e!r}\n{block}") from e
    # What the snippets claim, checked on what they made.
    assert isinstance(namespace["hourly"].index, pd.DatetimeIndex)
    assert len(namespace["events"]) > 0 and "time_h" in namespace["events"].columns
    assert isinstance(namespace["table"], pa.Table) and namespace["table"].num_rows == 8
    assert namespace["by_capex"].removed == ["facility.cost_usd_per_critical_w"]
