#!/usr/bin/env bash
# A short run of every fuzz target (CI): build them, then run each on its
# seeds for RUNS executions (default 3000) of mutated inputs. Fails on any
# crash, hang or out-of-memory. New inputs go to a temporary folder, never to
# the committed seeds. Installs cargo-fuzz when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs="${RUNS:-3000}"
export RUSTC_BOOTSTRAP=1   # cargo-fuzz passes -Z flags; see fuzz/README.md
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install --quiet --locked cargo-fuzz
fi
echo "== building the fuzz targets"
(cd "$root" && cargo fuzz build --fuzz-dir fuzz -s none)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for t in scenario epw carbon_csv utilization_csv opendc_parquet opendc_topology bitbrains azure swf; do
    seeds=("$here/seeds/$t")
    [ "$t" = scenario ] && seeds=("$root/scenarios" "$root/crates/plenum-scenario/scenarios" "$root/crates/plenum-scenario/tests/bad")
    mkdir -p "$scratch/$t"
    out="$(cd "$root" && cargo fuzz run --fuzz-dir fuzz -s none "$t" "$scratch/$t" "${seeds[@]}" -- \
        -runs="$runs" -max_total_time=120 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$scratch/$t-" -print_final_stats=1 2>&1)" || {
        echo "$out" | tail -40
        echo "fuzz smoke: $t failed (crash, hang or out-of-memory above)"
        exit 1
    }
    execs="$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p')"
    echo "fuzz smoke: $t ok ($execs executions)"
done
