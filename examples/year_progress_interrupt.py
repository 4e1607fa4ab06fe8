# %% [markdown]
# # A simulated year by the hour, a sweep with a progress bar, and a sweep stopped half-way
#
# Three things a notebook session with Plenum does all the time:
#
# 1. sweep a design over sites with `progress=True` (a tqdm bar: rows done,
#    rate and time left);
# 2. run one design and plot its year against time: hourly tables carry a
#    `timestamp` (local standard time of the typical year, dated 2001 only
#    for plotting), so `to_pandas(..., time_index=True)` gives a
#    `DatetimeIndex` that pandas resamples and matplotlib plots;
# 3. stop a long sweep (Ctrl-C, or the notebook's stop button) and keep the
#    rows it finished: the `KeyboardInterrupt` carries them as `partial`.
#
# Run it as a script (`python examples/year_progress_interrupt.py`), or open
# the notebook exported from it (`year_progress_interrupt.ipynb`; export with
# `jupytext --to ipynb examples/year_progress_interrupt.py`).

# %%
import os
import signal
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt

import plenum

OUT = Path(os.environ.get("PLENUM_EXAMPLE_OUT", "year_progress_interrupt.png"))
QUICK = os.environ.get("PLENUM_EXAMPLE_QUICK") == "1"  # a smaller sweep, for the tests

# %% [markdown]
# ## A sweep with a progress bar
#
# The default 8 MW site at each built-in US climate, with and without a
# water-side economizer: every row is a full simulated year.

# %%
us_sites = [c["key"] for c in plenum.climates() if c["key"] in ("ashburn", "chicago", "dallas", "phoenix", "seattle")]
grid = {
    "site.climate": us_sites[:1] if QUICK else us_sites,
    "cooling.economizer": ["none", "water_side"],
}
base = plenum.Scenario.embedded("default")
if QUICK:  # a tenth of the fleet: the same site and plant, a year ten times cheaper to simulate
    base = base.with_values({"servers[0].count": 4_600})
sites = plenum.sweep(base, grid, progress=True)
frame = sites.to_pandas()
print(f"{sites.num_rows} designs swept")
print(frame[["site.climate", "cooling.economizer", "pue.annual", "cost.per_server_month_usd"]].to_string(index=False))
unit = sites.schema.field("cost.per_server_month_usd").metadata[b"unit"].decode()
print(f"cost.per_server_month_usd is in {unit}")

# %% [markdown]
# ## One year, hour by hour
#
# Phoenix without an economizer: the daily mean and the daily peak of the
# facility's power, and the PUE, against the date.

# %%
phoenix = plenum.run(base.with_values({"site.climate": "phoenix", "cooling.economizer": "none"}))
hourly = phoenix.to_pandas("hourly", time_index=True)
print(hourly.attrs["descriptions"]["timestamp"])
daily = hourly[["facility_power_kw", "it_power_kw"]].resample("D").agg(["mean", "max"])
fig, (power, pue) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
power.plot(daily.index, daily[("facility_power_kw", "mean")], label="facility, daily mean")
power.plot(daily.index, daily[("facility_power_kw", "max")], label="facility, daily peak")
power.plot(daily.index, daily[("it_power_kw", "mean")], label="IT, daily mean")
power.set_ylabel("Power (kW)")
power.legend(fontsize=8)
power.grid(alpha=0.3)
pue.plot(hourly.index, hourly["facility_power_kw"] / hourly["it_power_kw"], linewidth=0.3)
pue.set_ylabel("Hourly PUE")
pue.set_xlabel("Typical year, local standard time")
pue.grid(alpha=0.3)
fig.suptitle("Phoenix, no economizer: a simulated year")
fig.tight_layout()
fig.savefig(OUT, dpi=120)
print(f"plot written to {OUT}")

# %% [markdown]
# ## A long sweep, stopped
#
# A reliability sweep of the Dean cluster (J. Dean's first-year failure
# counts) over its years per replication. In a notebook you would press
# stop when you have seen enough; here the progress callback sends the same
# signal (SIGINT) once five rows are done. The sweep stops within a fraction
# of a second, and the rows it had finished are on the exception: a table
# like the whole sweep's, whose `variant` and `sample` columns say which rows
# they are.

# %%
here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
scenarios = next(p / "scenarios" for p in [here, *here.parents] if (p / "scenarios").is_dir())
dean = plenum.Scenario.from_path(scenarios / "dean-cluster-year.toml").with_values({"reliability.replications": 300})
long_grid = {"reliability.years_per_replication": list(range(1, 41))}


def press_stop_after_five_rows(done: int, total: int, stage: str) -> None:
    if done >= 5:
        os.kill(os.getpid(), signal.SIGINT)


try:
    finished = plenum.sweep(dean, long_grid, samples=5, progress=press_stop_after_five_rows)
except KeyboardInterrupt as stop:
    finished = stop.partial
print(f"stopped with {finished.num_rows} of {40 * 5} rows finished")
print(
    finished.to_pandas()[["variant", "sample", "reliability.years_per_replication", "reliability.outages_per_year"]]
    .head()
    .to_string(index=False)
)
