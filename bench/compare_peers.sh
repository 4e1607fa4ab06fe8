#!/usr/bin/env bash
# Side-by-side speed of Plenum, SimGrid (C++ S4U + energy plugin) and SimPy.
#
#   bash bench/compare_peers.sh            # N = 10k, 100k, 1M
#   JOBS="10000 100000" bash bench/compare_peers.sh
#
# (a) 99 single-core hosts at 1 Gflop/s, N jobs of 1e9*(1 + i mod 5) flops,
#     job i on host i mod 99, FIFO per host: makespan must be 306 s, 3,035 s,
#     30,306 s in every tool (checked; the script fails otherwise).
# (b) the SURF week replay in Plenum (needs PLENUM_DATA).
# Installs its peers itself (root, Debian): libsimgrid-dev python3-simgrid, simpy.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-10000 100000 1000000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== installing peers"
if ! pkg-config --exists simgrid 2>/dev/null && [ ! -e /usr/include/simgrid/s4u.hpp ]; then
    apt-get update -qq && apt-get install -y -qq libsimgrid-dev python3-simgrid g++ >/dev/null
fi
python3 -c "import simpy" 2>/dev/null || pip install -q simpy || pip install -q --break-system-packages simpy

echo "== building"
cargo build --release -q -p plenum-cli --example replay_timing
g++ -O2 -std=c++17 bench/peers/simgrid_round_robin.cpp -lsimgrid -o "$WORK/simgrid_round_robin"
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">'
    echo '<platform version="4.1"><zone id="z" routing="Full">'
    for h in $(seq 0 98); do
        echo "<host id=\"h$h\" speed=\"1Gf\" core=\"1\"><prop id=\"wattage_per_state\" value=\"100.0:200.0\"/><prop id=\"wattage_off\" value=\"0\"/></host>"
    done
    echo '</zone></platform>'
} > "$WORK/platform.xml"

expect() { case "$1" in 10000) echo 306;; 100000) echo 3035;; 1000000) echo 30306;; *) echo "";; esac; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "== (a) round-robin jobs"
printf "%10s %12s %12s %12s %12s %12s\n" N plenum_s simgrid_s simpy_s simgrid/pl simpy/pl
for n in $JOBS; do
    p=$(./target/release/examples/replay_timing bench/peers/round_robin_jobs.toml --set "workload.jobs.count=$n" --repeat 3)
    s=$("$WORK/simgrid_round_robin" "$WORK/platform.xml" "$n" --log=root.thres:critical 2>/dev/null | tail -1)
    y=$(python3 bench/peers/simpy_round_robin.py "$n")
    want=$(expect "$n")
    for out in "$p" "$s" "$y"; do
        got=$(python3 -c "import json,sys; print(round(float(json.loads(sys.argv[1])['makespan_s'])))" "$out")
        if [ -n "$want" ] && [ "$got" != "$want" ]; then echo "makespan $got != $want: $out" >&2; exit 1; fi
    done
    pt=$(field "$p" replay_s); st=$(field "$s" wall_s); yt=$(field "$y" wall_s)
    printf "%10s %12.4f %12.3f %12.3f %12.1f %12.1f\n" "$n" "$pt" "$st" "$yt" \
        "$(python3 -c "print($st/$pt)")" "$(python3 -c "print($yt/$pt)")"
done

echo "== (b) SURF week"
if [ -n "${PLENUM_DATA:-}" ]; then
    ./target/release/examples/replay_timing scenarios/opendc-surf-week.toml --repeat 5
else
    echo "skipped: PLENUM_DATA is not set"
fi
