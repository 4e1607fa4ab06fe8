#!/usr/bin/env python3
"""Derive the built-in grid carbon profiles (crates/plenum-models/src/carbon.rs).

A profile is the mean grid carbon intensity by month and local standard hour of
day of one real year of hourly data, rounded to 0.1 gCO2/kWh, and the mean of
all the year's hourly values. It reads, from PLENUM_DATA:
- carbon-intensity-us-eia930-2022/<BA>_2022_hourly.csv: EIA-930 hourly grid
  monitor 2022 (US EIA, public domain), column `avg_CI` as computed from the fuel
  mix by the HewlettPackard/dc-rl authors (MIT); empty fields are gaps in the
  source and are left out of every mean;
- carbon-intensity-electricitymaps-2023/<ZONE>_2023_hourly.csv: Electricity Maps
  2023 hourly carbon intensity (ODbL, "Electricity Maps (2025). <zone> 2023
  hourly Carbon Intensity Data (Version January 27, 2025)"), via
  atlarge-research/opendc-traces, column `carbon_intensity`.
Timestamps are UTC; an hour's local standard time is UTC plus the grid's offset,
and its month and hour of day are those of that local time (the few hours that
the shift moves across New Year count in the month they land in).

Writes, per grid, `<key>.txt` (see `parse_profile` in carbon.rs for the format):
`key value` header lines, then twelve lines `MM` and 24 values for local hours
0..23. The CSV files themselves are not committed.

Usage: PLENUM_DATA=/path/to/data python3 derive.py   (run in this folder)
"""

import csv
import datetime
import os
import sys

EIA = "EIA-930 2022 via HewlettPackard/dc-rl avg_CI, mean by month and local hour"
EMAPS = "Electricity Maps 2023 via atlarge-research/opendc-traces carbon_intensity, mean by month and local hour"
PJM_REGION = "the PJM Interconnection (US Mid-Atlantic and northern Illinois)"

# key, name, region, source, UTC offset of local standard time (hours), data file, column.
GRIDS = [
    ("pjm", "PJM Interconnection (Ashburn, VA)", PJM_REGION, EIA, -5,
     "carbon-intensity-us-eia930-2022/PJM_2022_hourly.csv", "avg_CI"),
    ("azps", "Arizona Public Service (Phoenix, AZ)", "Arizona", EIA, -7,
     "carbon-intensity-us-eia930-2022/AZPS_2022_hourly.csv", "avg_CI"),
    ("erco", "ERCOT (Dallas, TX)", "ERCOT (Texas)", EIA, -6,
     "carbon-intensity-us-eia930-2022/ERCO_2022_hourly.csv", "avg_CI"),
    ("miso", "MISO (Chicago, IL)", "MISO (US Midwest)", EIA, -6,
     "carbon-intensity-us-eia930-2022/MISO_2022_hourly.csv", "avg_CI"),
    ("bpat", "Bonneville Power Administration (Seattle, WA)", "the US Pacific Northwest", EIA, -8,
     "carbon-intensity-us-eia930-2022/BPAT_2022_hourly.csv", "avg_CI"),
    ("ie", "Ireland (Dublin)", "Ireland", EMAPS, 0,
     "carbon-intensity-electricitymaps-2023/IE_2023_hourly.csv", "carbon_intensity"),
    ("nl", "Netherlands (Amsterdam)", "the Netherlands", EMAPS, 1,
     "carbon-intensity-electricitymaps-2023/NL_2023_hourly.csv", "carbon_intensity"),
    ("de", "Germany (Frankfurt)", "Germany", EMAPS, 1,
     "carbon-intensity-electricitymaps-2023/DE_2023_hourly.csv", "carbon_intensity"),
    ("se", "Sweden (Stockholm)", "Sweden", EMAPS, 1,
     "carbon-intensity-electricitymaps-2023/SE_2023_hourly.csv", "carbon_intensity"),
    ("sg", "Singapore", "Singapore", EMAPS, 8,
     "carbon-intensity-electricitymaps-2023/SG_2023_hourly.csv", "carbon_intensity"),
    ("fr", "France", "France", EMAPS, 1,
     "carbon-intensity-electricitymaps-2023/FR_2023_hourly.csv", "carbon_intensity"),
    ("pl", "Poland", "Poland", EMAPS, 1,
     "carbon-intensity-electricitymaps-2023/PL_2023_hourly.csv", "carbon_intensity"),
    ("us-mida-pjm", "PJM, US Mid-Atlantic (Electricity Maps zone US-MIDA-PJM)", PJM_REGION, EMAPS, -5,
     "carbon-intensity-electricitymaps-2023/US-MIDA-PJM_2023_hourly.csv", "carbon_intensity"),
]


def utc(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def main():
    data = os.environ.get("PLENUM_DATA")
    if not data:
        sys.exit("set PLENUM_DATA to the data folder")
    for key, name, region, source, offset, file, column in GRIDS:
        path = os.path.join(data, file)
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if len(rows) != 8760:
            sys.exit(f"{path}: expected 8760 hourly rows, found {len(rows)}")
        sums = [[0.0] * 24 for _ in range(12)]
        counts = [[0] * 24 for _ in range(12)]
        values = []
        for row in rows:
            if row[column] == "":
                continue
            value = float(row[column])
            local = utc(row["timestamp"]) + datetime.timedelta(hours=offset)
            sums[local.month - 1][local.hour] += value
            counts[local.month - 1][local.hour] += 1
            values.append(value)
        lines = [
            f"# {key}: mean grid carbon intensity (gCO2/kWh) by month (rows 01-12) and local standard hour 0-23.",
            f"# Derived by derive.py from {file} (see derive.py for sources and licences).",
            f"key {key}",
            f"name {name}",
            f"region {region}",
            f"source {source}",
            f"utc_offset_hours {offset}",
            f"annual_mean_g_per_kwh {round(sum(values) / len(values), 1)}",
        ]
        for month in range(12):
            means = " ".join(str(round(sums[month][h] / counts[month][h], 1)) for h in range(24))
            lines.append(f"{month + 1:02} {means}")
        with open(f"{key}.txt", "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        print(f"{key}: {len(values)} hourly values, annual mean {round(sum(values) / len(values), 1)} gCO2/kWh")


if __name__ == "__main__":
    main()
