#!/bin/bash
# The 10,020-variant sweep of the default scenario's year (issue 20):
# ten built-in climates x three economizers x 334 chilled-water
# temperatures from 7 to 25 degC, timed with /usr/bin/time -v, then five
# rows checked against `plenum run` with the same overrides.
#   cargo build --release -p plenum-cli
#   T=2 bash bench/sweep10k.sh            # T: RAYON_NUM_THREADS (default 2)
set -euo pipefail
P=${PLENUM:-target/release/plenum}
OUT=${OUT:-/tmp/sweep10k.parquet}
C="ashburn,phoenix,dallas,chicago,seattle,dublin,amsterdam,frankfurt,stockholm,singapore"
CW=$(python3 -c "print(','.join(('%.4f' % (7 + 18*i/333)).rstrip('0').rstrip('.') for i in range(334)))")
echo "$CW" > "${OUT%.parquet}.chilled_water.txt"
uptime
RAYON_NUM_THREADS=${T:-2} /usr/bin/time -v "$P" sweep --vary site.climate=$C \
  --vary cooling.economizer=none,air_side,water_side \
  --vary cooling.chilled_water_supply_c=$CW --out "$OUT" -q > /dev/null
uptime
PLENUM="$P" CHILLED_WATER="${OUT%.parquet}.chilled_water.txt" \
  python3 "$(dirname "$0")/sweep_spot_check.py" "$OUT" 0 1234 5000 7777 10019
