#!/usr/bin/env bash
# Fuzz one target (or all) for a while: `fuzz/run.sh TARGET SECONDS`, or
# `fuzz/run.sh all SECONDS` for each in turn. New inputs go to fuzz/corpus/
# (ignored by git); crashes to fuzz/artifacts/. Seeds: fuzz/seeds/TARGET (our
# own small files), the shipped scenarios and the bad-scenario catalog for
# `scenario`, and, when PLENUM_DATA is set, the real data files (read, never
# committed). Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable
# toolchain RUSTC_BOOTSTRAP=1 lets it pass its -Z flags (see fuzz/README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${1:?target or all}"
seconds="${2:-60}"
targets=(scenario epw carbon_csv utilization_csv opendc_parquet opendc_topology bitbrains azure swf)
[ "$target" = all ] || targets=("$target")
export RUSTC_BOOTSTRAP=1
data="${PLENUM_DATA:-}"
for t in "${targets[@]}"; do
    dirs=("$here/corpus/$t" "$here/seeds/$t")
    mkdir -p "$here/corpus/$t"
    case "$t" in
        scenario) dirs+=("$root/scenarios" "$root/crates/plenum-scenario/scenarios" "$root/crates/plenum-scenario/tests/bad") ;;
        epw) [ -n "$data" ] && dirs+=("$data/weather-epw-us-tmyx") ;;
        carbon_csv) [ -n "$data" ] && dirs+=("$data/carbon-intensity-us-eia930-2022") ;;
        utilization_csv) [ -n "$data" ] && dirs+=("$data/dc-utilization-aggregate") ;;
        swf) [ -n "$data" ] && dirs+=("$data/swf-nasa-ipsc-1993") ;;
    esac
    seeds=()
    for d in "${dirs[@]}"; do [ -d "$d" ] && seeds+=("$d"); done
    echo "== $t (${seconds} s)"
    (cd "$root" && cargo fuzz run --fuzz-dir fuzz -s none "$t" "${seeds[@]}" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 -print_final_stats=1 2>&1 |
        grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|INFO: seed corpus|==[0-9]+==|SUMMARY|thread|panicked|Failed|artifact)' || true)
done
