# %% [markdown]
# # Cost per server-month against annual PUE at five US sites
#
# The embedded default scenario (8 MW, 46,000 servers, modern power chain and
# chilled-water plant) is moved to each of Plenum's five built-in US climates
# (typical years from the TMYx files of Ashburn VA, Chicago IL, Dallas TX,
# Phoenix AZ and Seattle WA), and three cooling choices that set the PUE are
# varied: the economizer (none, water-side, air-side) and the chilled-water
# supply temperature (cold 10 °C, the default 15.6 °C, warm 20 °C). Every
# combination runs a full simulated year; the sweep returns one Arrow table
# with a row per design, and the plot shows what a point of PUE is worth per
# server-month.
#
# Run it as a script (`python examples/us_sites_pue_vs_cost.py`), or open the
# notebook exported from it (`us_sites_pue_vs_cost.ipynb`). Set
# `PLENUM_BACKEND=ray` to run the sweep as Ray tasks on the cluster
# `ray.init()` connects to (a local one when `RAY_ADDRESS` is unset).

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt

import plenum

BACKEND = os.environ.get("PLENUM_BACKEND", "local")
OUT = Path(os.environ.get("PLENUM_EXAMPLE_OUT", "us_sites_pue_vs_cost.png"))
QUICK = os.environ.get("PLENUM_EXAMPLE_QUICK") == "1"  # a smaller grid, for the tests

# %% [markdown]
# ## The sweep
#
# Each site keeps its own grid's hourly carbon intensity (EIA-930 2022: PJM
# for Ashburn and for Chicago, a ComEd zone of PJM; ERCOT, Arizona Public
# Service, Bonneville): moving the climate moves the grid with it, named here
# to show which. One sweep runs per site over the cooling choices, and the
# tables are stacked. Grid keys are the scenario's own dotted paths (the
# CLI's `--set`); the last key changes fastest. The energy price stays the default's everywhere, so the cost
# differences are the PUE's alone.

# %%
import pyarrow as pa

grids = {"ashburn": "pjm", "chicago": "pjm", "dallas": "erco", "phoenix": "azps", "seattle": "bpat"}
sites = list(grids)
cooling = {
    "cooling.economizer": ["none", "water_side"] if QUICK else ["none", "water_side", "air_side"],
    "cooling.chilled_water_supply_c": [15.6] if QUICK else [10.0, 15.6, 20.0],
}
base = plenum.Scenario.embedded("default")
if QUICK:  # a tenth of the fleet: the same site and plant, a year ten times cheaper to simulate
    base = base.with_values({"servers[0].count": 4_600})
if BACKEND == "ray":
    import ray

    ray.init(address=os.environ.get("RAY_ADDRESS"), ignore_reinit_error=True)


def sweep_site(site: str, grid: str) -> pa.Table:
    """The cooling choices at one site, with a `site` column in front."""
    scenario = base.with_values({"site.climate": site, "site.grid": grid})
    table = plenum.sweep(scenario, cooling, backend=BACKEND)
    return table.add_column(0, "site", pa.array([site] * table.num_rows))


table = pa.concat_tables(sweep_site(site, grid) for site, grid in grids.items())
print(f"{table.num_rows} designs x {table.num_columns} columns")

# %%
frame = table.to_pandas()
columns = [
    "site",
    "cooling.economizer",
    "cooling.chilled_water_supply_c",
    "pue.annual",
    "cost.per_server_month_usd",
    "carbon.operational_t",
]
print(frame[columns].sort_values(["site", "pue.annual"]).to_string(index=False))

# %% [markdown]
# ## Cost per server-month against annual PUE
#
# One colour per site, one marker per economizer. Within a site the points
# fall on a line: energy is the only cost that PUE moves, so the slope is the
# site's energy price times the fleet's IT energy per server.

# %%
markers = {"none": "o", "water_side": "s", "air_side": "^"}
fig, ax = plt.subplots(figsize=(8, 5))
for i, site in enumerate(sites):
    for economizer, marker in markers.items():
        rows = frame[(frame["site"] == site) & (frame["cooling.economizer"] == economizer)]
        if rows.empty:
            continue
        ax.scatter(
            rows["pue.annual"],
            rows["cost.per_server_month_usd"],
            color=f"C{i}",
            marker=marker,
            label=f"{site}, {economizer.replace('_', '-')}",
        )
ax.set_xlabel("Annual PUE")
ax.set_ylabel("Cost per server-month (USD)")
ax.set_title("Five US sites: economizer and chilled-water temperature")
ax.grid(alpha=0.3)
ax.legend(fontsize=7, ncol=3)
fig.tight_layout()
fig.savefig(OUT, dpi=120)
print(f"plot written to {OUT}")

# %% [markdown]
# ## What a point of PUE is worth
#
# The slope of cost per server-month against PUE, fitted over every design.

# %%
slope = (
    frame["cost.per_server_month_usd"].cov(frame["pue.annual"]) / frame["pue.annual"].var()
)
print(f"{slope / 10:.2f} USD per server-month for each 0.1 of PUE")
