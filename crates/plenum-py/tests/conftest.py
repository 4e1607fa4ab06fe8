"""Fixtures shared by the test modules. A simulated year of the default
scenario costs about 2 s of CPU in the debug build the tests use, almost all
of it proportional to the fleet (45,978 servers): tests that only read a
year's result share one run, and tests whose point is not the default's own
figures simulate a tenth of its fleet (bench/RESULTS.md, issue 23)."""

import pytest

import plenum

# A tenth of the default's 45,978 servers: the same site, plant and climate,
# a year ten times cheaper to simulate.
SMALL_FLEET = 4_600


@pytest.fixture(scope="session")
def default_year() -> plenum.Result:
    """The embedded default scenario's year, run once for the whole session
    (results are immutable: every accessor returns a new object)."""
    return plenum.run(plenum.Scenario.embedded())


@pytest.fixture
def small_default() -> plenum.Scenario:
    """The embedded default with a tenth of its fleet; it still simulates its
    8,760 hours."""
    return plenum.Scenario.embedded().with_values({"servers[0].count": SMALL_FLEET})
