#!/usr/bin/env bash
# Side-by-side speed of Plenum, SimGrid (C++ S4U + energy plugin) and SimPy.
#
#   bash bench/compare_peers.sh            # N = 10k, 100k, 1M
#   JOBS="10000 100000" bash bench/compare_peers.sh
#   PARTS=b bash bench/compare_peers.sh    # only (b); PARTS="a b" by default
#
# (a) 99 single-core hosts at 1 Gflop/s, N jobs of 1e9*(1 + i mod 5) flops,
#     job i on host i mod 99, FIFO per host: makespan must be 306 s, 3,035 s,
#     30,306 s in every tool (checked; the script fails otherwise).
# (b) the OpenDC SURF week (6,295 tasks, 2.3 M fragments, 277 hosts, most-free-
#     memory placement, sqrt power 32/180 W) in the three tools, IT energy side
#     by side (needs PLENUM_DATA). The parquet trace is converted once with
#     pyarrow into a flat binary file that the SimGrid and SimPy versions read
#     (bench/peers/surf_to_bin.py; its time is printed separately).
# Installs its peers itself (root, Debian): libsimgrid-dev python3-simgrid;
# pip: simpy pyarrow numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-10000 100000 1000000}"
PARTS="${PARTS:-a b}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== installing peers"
if ! pkg-config --exists simgrid 2>/dev/null && [ ! -e /usr/include/simgrid/s4u.hpp ]; then
    apt-get update -qq && apt-get install -y -qq libsimgrid-dev python3-simgrid g++ >/dev/null
fi
python3 -c "import simpy, pyarrow, numpy" 2>/dev/null || pip install -q simpy pyarrow numpy \
    || pip install -q --break-system-packages simpy pyarrow numpy

echo "== building"
cargo build --release -q -p plenum-cli --example replay_timing
g++ -O2 -std=c++17 bench/peers/simgrid_round_robin.cpp -lsimgrid -o "$WORK/simgrid_round_robin"
g++ -O2 -std=c++17 bench/peers/simgrid_surf_week.cpp -lsimgrid -o "$WORK/simgrid_surf_week"
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

if [[ " $PARTS " == *" a "* ]]; then
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
fi

[[ " $PARTS " == *" b "* ]] || exit 0
echo "== (b) SURF week"
if [ -z "${PLENUM_DATA:-}" ]; then
    echo "skipped: PLENUM_DATA is not set"
    exit 0
fi
SURF="$PLENUM_DATA/opendc-surf-week"
c=$(python3 bench/peers/surf_to_bin.py "$SURF" "$WORK/surf.bin")
echo "conversion (parquet -> $WORK/surf.bin, once, not in the times below): $(field "$c" convert_s) s"
p=$(./target/release/examples/replay_timing scenarios/opendc-surf-week.toml --repeat 10)
s=$("$WORK/simgrid_surf_week" "$WORK/surf.bin" --log=root.thres:critical 2>/dev/null | tail -1)
y=$(python3 bench/peers/simpy_surf_week.py "$WORK/surf.bin")
echo "plenum:  $p"
echo "simgrid: $s"
echo "simpy:   $y"
python3 - "$p" "$s" "$y" <<'PY'
import json, sys
p, s, y = (json.loads(a) for a in sys.argv[1:])
rows = [
    ("plenum", p["replay_s"], p["load_s"], p["it_mwh"], p["makespan_s"]),
    ("simgrid", s["sim_s"], s["read_s"], s["it_mwh"], s["makespan_s"]),
    ("simpy", y["sim_s"], y["read_s"], y["it_mwh"], y["makespan_s"]),
]
print(f"{'tool':>8} {'sim_s':>9} {'load_s':>8} {'frag/s (M)':>11} {'IT MWh':>14} {'vs plenum':>10} {'makespan_s':>11} {'time ratio':>10}")
for name, t, load, mwh, mk in rows:
    print(f"{name:>8} {t:9.4f} {load:8.3f} {p['fragments'] / t / 1e6:11.1f} {mwh:14.10f} "
          f"{(mwh - p['it_mwh']) / p['it_mwh']:+10.1e} {mk:11.1f} {t / p['replay_s']:10.1f}")
for name, _, _, mwh, mk in rows[1:]:
    if abs(mwh - p["it_mwh"]) > 1e-6 * p["it_mwh"] or abs(mk - p["makespan_s"]) > 1e-6 * p["makespan_s"]:
        sys.exit(f"{name}: energy or makespan differs from Plenum's beyond 1e-6")
PY
