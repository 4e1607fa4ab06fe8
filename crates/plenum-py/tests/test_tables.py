"""Item: tables analysts can use directly: hourly tables carry a timestamp
(the typical year's local standard time), to_pandas can index by it and
keeps descriptions in df.attrs, sweep columns carry unit and description,
integer figures stay integers, and the summary flattens to a Series."""

from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import plenum

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "scenarios" / "ashburn-static.toml"
DEAN = ROOT / "scenarios" / "dean-cluster-year.toml"


@pytest.fixture(scope="module")
def year(default_year):
    return default_year


def test_hourly_tables_carry_the_typical_years_local_time(year):
    hourly = year.table("hourly")
    stamps = hourly["timestamp"]
    assert stamps.type == pa.timestamp("s")
    assert stamps[0].as_py() == datetime(plenum.TYPICAL_YEAR, 1, 1, 0)
    assert stamps[-1].as_py() == datetime(plenum.TYPICAL_YEAR, 12, 31, 23)
    description = hourly.schema.field("timestamp").metadata[b"description"].decode()
    assert "local standard time" in description and "typical" in description
    # The timestamp agrees with the month and hour columns.
    frame = year.to_pandas("hourly")
    assert (frame["timestamp"].dt.month == frame["month"]).all()
    assert (frame["timestamp"].dt.hour == frame["hour_of_day"]).all()


def test_to_pandas_gives_a_datetime_index_and_keeps_descriptions(year):
    frame = year.to_pandas("hourly", time_index=True)
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert len(frame) == 8760 and frame.index.is_monotonic_increasing
    # A month's mean straight from the index.
    july = frame.loc[f"{plenum.TYPICAL_YEAR}-07", "it_power_kw"]
    assert len(july) == 31 * 24
    assert "kW" in frame.attrs["descriptions"]["it_power_kw"]
    assert frame.attrs["description"].startswith("One row per hour")
    with pytest.raises(ValueError, match="timestamp"):
        plenum.run(plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 5})).to_pandas(
            "reliability_events", time_index=True)


def test_summary_series_is_the_flat_summary():
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 10})
    result = plenum.run(scenario)
    series = result.summary_series()
    assert series["reliability.availability"] == result.summary["reliability"]["availability"]
    assert series["cost.per_server_month_usd"] == result.summary["cost"]["per_server_month_usd"]
    assert series["scenario.name"] == result.summary["scenario"]["name"]
    # The same names as a sweep's figure columns.
    table = plenum.sweep(scenario, {"energy.price_usd_per_kwh": [0.07]})
    figures = set(table.column_names[4:])
    numeric = {k for k, v in series.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert figures == numeric


def test_every_sweep_figure_has_a_unit_and_a_description():
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 10})
    table = plenum.sweep(scenario, {"energy.pue": [1.3, 1.4]})
    for field in table.schema:
        metadata = field.metadata or {}
        description = metadata.get(b"description", b"").decode()
        assert description and description != "Figure from the run's summary.", field.name
        if field.name not in ("variant", "sample", "seed", "energy.pue"):
            assert metadata.get(b"unit"), field.name
    unit = lambda name: table.schema.field(name).metadata[b"unit"].decode()
    assert unit("cost.per_server_month_usd") == "USD/server-month"
    assert unit("reliability.downtime_hours_per_year") == "h/year"
    assert unit("reliability.availability") == "1 (ratio)"
    assert "confidence interval" in table.schema.field("reliability.availability_ci95[0]").metadata[
        b"description"].decode()


def test_integer_figures_stay_integers():
    scenario = plenum.Scenario.from_path(DEAN).with_values({"reliability.replications": 10})
    table = plenum.sweep(scenario, {"energy.pue": [1.3, 1.4]})
    assert table["scenario.servers"].type == pa.int64()
    assert table["reliability.replications"].to_pylist() == [10, 10]
    assert table["reliability.events_simulated"].type == pa.int64()
    assert table["cost.per_server_month_usd"].type == pa.float64()
    frame = table.to_pandas()
    assert frame["scenario.servers"].dtype == "int64"
