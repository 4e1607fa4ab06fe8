"""The book's tutorial in Python: its ```python blocks run, in order and in one
namespace, in a folder holding the files the tutorial writes (its
```toml,file=NAME blocks), as crates/plenum-cli/tests/tutorial.rs runs its
shell blocks."""

import contextlib
import io
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TUTORIAL = ROOT / "docs" / "book" / "src" / "tutorial.md"


def blocks(text: str) -> list[tuple[str, str]]:
    """Every fenced block as (info string, body), in order."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```([^\n]*)\n(.*?)^```", text, re.S | re.M)]


def test_the_tutorials_python_runs(tmp_path):
    found = blocks(TUTORIAL.read_text())
    python = [body for info, body in found if info.strip() == "python"]
    assert len(python) >= 2, "the tutorial's Python blocks were not found"
    for info, body in found:
        tags = [t.strip() for t in info.split(",")]
        for tag in tags[1:]:
            if tag.startswith("file="):
                (tmp_path / tag[len("file="):]).write_text(body)
    namespace: dict = {}
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(printed):
            for body in python:
                exec(compile(body, str(TUTORIAL), "exec"), namespace)
    finally:
        os.chdir(cwd)
    # The sweep printed its six designs; the run its headline figures.
    assert namespace["table"].num_rows == 6
    assert namespace["result"].summary["pue"]["annual"] > 1.0
    assert "cost.per_server_month_usd" in printed.getvalue()
