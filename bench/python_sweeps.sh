#!/usr/bin/env bash
# Python benchmarks (bench/python_sweeps.py) on a release build of the
# package: builds it into the test environment (.venv, made by
# crates/plenum-py/test.sh), then runs the benchmarks. The next test.sh run
# puts the debug build back. Arguments go to python_sweeps.py; with
# `interrupt` first, bench/python_interrupt.py runs instead (the rest are its).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${PLENUM_VENV:-$root/.venv}"
if [ ! -x "$venv/bin/maturin" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/crates/plenum-py/requirements-test.txt"
fi
(cd "$root/crates/plenum-py" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" maturin develop --release >/dev/null 2>&1)
if [ "${1:-}" = interrupt ]; then
    shift
    exec "$venv/bin/python" "$root/bench/python_interrupt.py" "$@"
fi
exec "$venv/bin/python" "$root/bench/python_sweeps.py" "$@"
