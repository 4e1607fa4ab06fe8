#!/usr/bin/env bash
# The Python package's tests: build `plenum` into a virtual environment
# (PLENUM_VENV, default .venv at the repository root; created and filled from
# requirements-test.txt when missing) and run pytest on crates/plenum-py/tests.
# The extension is a debug build sharing cargo's target/ with `cargo test`, so
# after the Rust suite only the binding itself compiles.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PLENUM_VENV:-$root/.venv}"
if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import maturin, pyarrow, pandas, pytest, ray, matplotlib, numpy, tqdm' >/dev/null 2>&1; then
    echo "== installing the test requirements into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-test.txt"
fi
echo "== building the plenum Python package (maturin develop)"
(cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" maturin develop)
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests" "$@"
