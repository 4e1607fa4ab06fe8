#!/usr/bin/env python3
"""Derive the embedded hourly years of the five US built-in climates.

Reads the TMYx EPW files of PLENUM_DATA/weather-epw-us-tmyx (climate.onebuilding.org
TMYx, NCEI ISD / ERA5 2007-2021, copied from HewlettPackard/dc-rl, MIT; see that
folder's README) and writes, per site, `<key>.txt`: one line per day,
`MM-DD` then the 24 hourly dry bulbs and, after `|`, the 24 hourly dew points,
in tenths of a degree Celsius (EPW fields 6 and 7, which the files give to
0.1 degC, so nothing is lost), hour ending 1..24 in local standard time, in
file order. The EPW files themselves are not committed.

Usage: PLENUM_DATA=/path/to/data python3 derive.py   (run in this folder)
It also prints each site's block of statistics for sites.txt (monthly means of
the hourly dry bulb and dew point, the mean daily range, the mean station
pressure, the hour ending of the mean day's peak; sites.txt holds them as
printed), and the statistics of daily-mean anomalies (against the monthly
mean) that the synthesis of the other built-in climates is built on
(crates/plenum-models/src/weather.rs): the lag-1 autocorrelation of dry-bulb
anomalies (within a month), their correlation with dew-point anomalies (all
year and June-August), and in December-February their skewness and the RMS of
the cold and the warm anomalies.
"""

import os
import statistics
import sys

SITES = {
    "ashburn": "USA_VA_Leesburg.Exec.epw",
    "phoenix": "USA_AZ_Phoenix-Sky.Harbor.epw",
    "dallas": "USA_TX_Dallas-Fort.Worth.epw",
    "chicago": "USA_IL_Chicago.OHare.epw",
    "seattle": "USA_WA_Seattle-Tacoma.epw",
}


def tenths(text):
    value = round(float(text) * 10.0)
    if abs(value) > 700:
        sys.exit(f"implausible temperature {text!r}")
    return str(value)


def lag1(values, months):
    pairs = [(values[d], values[d + 1]) for d in range(len(values) - 1) if months[d] == months[d + 1]]
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5


def correlation(xs, ys):
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5


def skewness(xs):
    m, s = statistics.fmean(xs), statistics.pstdev(xs)
    return statistics.fmean(((x - m) / s) ** 3 for x in xs)


def rms(xs):
    return (sum(x * x for x in xs) / len(xs)) ** 0.5


def anomalies(rows, field):
    daily = [statistics.fmean(float(h[field]) for h in rows[24 * d : 24 * d + 24]) for d in range(365)]
    months = [int(rows[24 * d][1]) for d in range(365)]
    monthly = {m: statistics.fmean(t for t, mm in zip(daily, months) if mm == m) for m in set(months)}
    return [t - monthly[m] for t, m in zip(daily, months)], months


def site_block(rows):
    """The derived fields of a site's block in sites.txt."""
    months = [int(r[1]) for r in rows]
    dry = [float(r[6]) for r in rows]

    def monthly(values):
        return " ".join(
            str(round(statistics.fmean(v for v, m in zip(values, months) if m == month), 1)) for month in range(1, 13)
        )

    ranges = []
    for month in range(1, 13):
        days = [dry[24 * d : 24 * d + 24] for d in range(365) if months[24 * d] == month]
        ranges.append(str(round(statistics.fmean(max(h) - min(h) for h in days), 1)))
    mean_day = [statistics.fmean(dry[24 * d + h] for d in range(365)) for h in range(24)]
    return "\n".join(
        [
            f"pressure_pa {float(round(statistics.fmean(float(r[9]) for r in rows)))}",
            f"tmax_hour {mean_day.index(max(mean_day)) + 1}",
            f"monthly_mean_dry_bulb_c {monthly(dry)}",
            f"monthly_mean_daily_range_c {' '.join(ranges)}",
            f"monthly_mean_dew_point_c {monthly([float(r[7]) for r in rows])}",
        ]
    )


def main():
    data = os.environ.get("PLENUM_DATA")
    if not data:
        sys.exit("set PLENUM_DATA to the data folder")
    for key, name in SITES.items():
        path = os.path.join(data, "weather-epw-us-tmyx", name)
        with open(path, encoding="utf-8") as f:
            rows = [line.split(",") for line in f.read().splitlines()[8:] if line.strip()]
        if len(rows) != 8760:
            sys.exit(f"{path}: expected 8760 hourly rows, found {len(rows)}")
        lines = [
            f"# {key}: hourly dry bulb | dew point, tenths of a degree C, local standard time, hour ending 1-24.",
            f"# Derived by derive.py from {name}: TMYx typical year, climate.onebuilding.org",
            "# (NCEI ISD / ERA5, 2007-2021), via HewlettPackard/dc-rl (MIT). EPW fields 6 and 7, unchanged.",
        ]
        for day in range(365):
            hours = rows[24 * day : 24 * day + 24]
            month, dom = int(hours[0][1]), int(hours[0][2])
            if any(int(h[1]) != month or int(h[2]) != dom for h in hours):
                sys.exit(f"{path}: day {day + 1} does not hold 24 hours of one date")
            dry = " ".join(tenths(h[6]) for h in hours)
            dew = " ".join(tenths(h[7]) for h in hours)
            lines.append(f"{month:02}-{dom:02} {dry} | {dew}")
        with open(f"{key}.txt", "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        print(site_block(rows))
        dry, months = anomalies(rows, 6)
        dew, _ = anomalies(rows, 7)
        summer = [d for d in range(365) if months[d] in (6, 7, 8)]
        winter = [dry[d] for d in range(365) if months[d] in (12, 1, 2)]
        print(
            f"{key}: wrote {key}.txt; daily dry-bulb anomalies: lag-1 autocorrelation {lag1(dry, months):.2f}, "
            f"correlation with dew point {correlation(dry, dew):.2f} (June-August "
            f"{correlation([dry[d] for d in summer], [dew[d] for d in summer]):.2f}); winter skewness "
            f"{skewness(winter):.2f}, RMS cold {rms([a for a in winter if a < 0]):.1f} K, "
            f"warm {rms([a for a in winter if a > 0]):.1f} K"
        )


if __name__ == "__main__":
    main()
