"""Check rows of bench/sweep10k.sh's table against `plenum run` with the same
overrides: every figure of the run's JSON summary must equal the row's column
of the same path exactly. Usage: sweep_spot_check.py TABLE.parquet ROW...
(environment: PLENUM, the binary; CHILLED_WATER, the file of the grid's
chilled-water values as given to --vary). Needs pyarrow."""
import json, os, subprocess, sys
import pyarrow.parquet as pq
P = os.environ.get("PLENUM", "target/release/plenum")
t = pq.read_table(sys.argv[1]).to_pylist()
cw = open(os.environ["CHILLED_WATER"]).read().strip().split(",")
def flatten(v, path, out):
    if isinstance(v, dict):
        for k, c in v.items():
            flatten(c, f"{path}.{k}" if path else k, out)
    elif isinstance(v, list):
        for i, c in enumerate(v):
            flatten(c, f"{path}[{i}]", out)
    elif isinstance(v, bool) or v is None or isinstance(v, str):
        pass
    else:
        out[path] = v
for r in [int(x) for x in sys.argv[2:]]:
    row = t[r]
    i = r % 334
    sets = [f"site.climate={row['site.climate']}", f"cooling.economizer={row['cooling.economizer']}",
            f"cooling.chilled_water_supply_c={cw[i]}"]
    assert float(cw[i]) == row["cooling.chilled_water_supply_c"], (cw[i], row)
    args = [P, "run", "--format", "json"] + sum((["--set", s] for s in sets), [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    figures = {}
    flatten(json.loads(out), "", figures)
    keys = {"site.climate", "cooling.economizer", "cooling.chilled_water_supply_c"}
    compared = differ = 0
    for k, v in figures.items():
        name = f"summary.{k}" if k in keys else k
        if name not in row:
            continue
        compared += 1
        if row[name] != v:
            differ += 1
            print("DIFF", r, name, row[name], v)
    assert compared > 100 and differ == 0
    print(f"row {r} ({', '.join(sets)}): {compared} figures compared, {differ} differ; figures in run not in table: {len([k for k in figures if (('summary.'+k) if k in keys else k) not in row])}")
