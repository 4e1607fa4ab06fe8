#!/usr/bin/env bash
# Run every shipped scenario (scenarios/*.toml and the embedded default, and
# `plenum calibrate` of surf-measured) with
# the `plenum` of revision REV and with the working tree's, each with
# `--format json --out DIR`, and diff what they wrote byte for byte: the JSON
# printed on stdout, and every file of the run folder (summary.json, the
# Parquet tables, scenario.toml, report.html).
#
#   scripts/compare-summaries.sh REV
#
# REV is built in a temporary git worktree with CARGO_TARGET_DIR set to
# $BASE_TARGET_DIR (default: target/compare-base), or not at all when
# BASE_PLENUM names a `plenum` binary already built from REV. The working
# tree's binary is built with the ambient CARGO_TARGET_DIR (default: target).
# Scenarios that read real data need PLENUM_DATA; without it they are listed
# as skipped and the script fails, so a partial comparison never passes.
# Exit status: 0 when every scenario ran and everything is identical.
set -euo pipefail

rev=${1:?usage: scripts/compare-summaries.sh REV}
root=$(git rev-parse --show-toplevel)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"; if [ -d "$work.tree" ]; then git worktree remove --force "$work.tree"; fi' EXIT

if [ -n "${BASE_PLENUM:-}" ]; then
    base_bin=$BASE_PLENUM
else
    git worktree add --detach "$work.tree" "$rev" >/dev/null
    base_target=${BASE_TARGET_DIR:-$root/target/compare-base}
    (cd "$work.tree" && CARGO_TARGET_DIR=$base_target nice cargo build -j 2 --bin plenum)
    base_bin=$base_target/debug/plenum
fi
cargo_target=${CARGO_TARGET_DIR:-$root/target}
nice cargo build -j 2 --bin plenum
head_bin=$cargo_target/debug/plenum

# One case per line: a name, then the arguments of `plenum`.
cases=("embedded-default run")
for file in scenarios/*.toml; do
    cases+=("$(basename "$file" .toml) run $file")
done
cases+=("surf-measured-calibrate calibrate scenarios/surf-measured.toml --fit 0d..2d --rolling 1d")
failed=0
skipped=0
for case in "${cases[@]}"; do
    read -r name args_text <<<"$case"
    read -r -a args <<<"$args_text"
    scenario=${args[1]:-}
    if [ -z "${PLENUM_DATA:-}" ] && [ -f "$scenario" ] && grep -q 'PLENUM_DATA' "$scenario"; then
        echo "SKIPPED $name (needs PLENUM_DATA)"
        skipped=$((skipped + 1))
        continue
    fi
    for side in base head; do
        bin=${side}_bin
        mkdir -p "$work/$side"
        "${!bin}" "${args[@]}" --format json --quiet --out "$work/$side/$name" \
            >"$work/$side/$name.stdout.json" 2>"$work/$side/$name.stderr" || {
            echo "FAILED  $name: $side exited with $? ($(tail -1 "$work/$side/$name.stderr"))"
            failed=$((failed + 1))
            continue 2
        }
    done
    if diff -r "$work/base/$name" "$work/head/$name" >/dev/null &&
        cmp -s "$work/base/$name.stdout.json" "$work/head/$name.stdout.json"; then
        echo "SAME    $name: $(wc -c <"$work/head/$name.stdout.json") bytes of JSON; $(ls "$work/head/$name" | tr '\n' ' ')"
    else
        echo "DIFFERS $name"
        diff "$work/base/$name.stdout.json" "$work/head/$name.stdout.json" | head -20 || true
        diff -rq "$work/base/$name" "$work/head/$name" || true
        failed=$((failed + 1))
    fi
done
echo "$(( ${#cases[@]} - failed - skipped )) identical, $failed different or failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ]
