"""Type stubs for the native module `plenum._plenum` (the Rust core)."""
import os

from typing import Any, Callable, Sequence

import pyarrow

__version__: str

class PlenumError(Exception):
    """Base class of Plenum's errors."""

class ScenarioError(PlenumError, ValueError):
    """A scenario is wrong; the message is the CLI's diagnostic (file, line, field)."""

    diagnostics: list[dict[str, Any]]
    """Each problem: file, field, message, help, line, column, override."""

class ScenarioFileNotFoundError(ScenarioError, FileNotFoundError):
    """The scenario file, or a data file it names, does not exist (`filename`)."""

class RunTooLargeError(ScenarioError):
    """The run (or the whole sweep) is above the size caps; `diagnostics` name the field that drives it."""

class UsageError(PlenumError, ValueError):
    """A setting beside the scenario is wrong: a sweep's grid or sample count, a size-cap variable."""

class InputError(PlenumError, ValueError):
    """A data file the scenario names is wrong or missing (file, line or row, field)."""

    diagnostics: list[dict[str, Any]]
    """The problem: file, line, field, message."""

class InputFileNotFoundError(InputError, FileNotFoundError):
    """A data file the scenario names was gone when the run read it (`filename`)."""

class Scenario:
    """A validated scenario. Immutable: `with_values` returns a new one."""

    @staticmethod
    def from_path(path: str | os.PathLike[str]) -> Scenario: ...
    @staticmethod
    def from_toml(text: str, origin: str = "<string>") -> Scenario: ...
    @staticmethod
    def from_dict(tables: dict[str, Any]) -> Scenario: ...
    @staticmethod
    def embedded(name: str = "default") -> Scenario:
        """A built-in scenario: default, ashburn-static, hamilton-2008, hamilton-2010."""
    def with_values(self, values: dict[str, Any]) -> Scenario:
        """Replace values by dotted path (`energy.pue`, `servers[0].count`), as `--set`;
        `None` removes the key, as `--unset`."""
    def to_dict(self) -> dict[str, Any]:
        """The scenario as nested dicts, overrides applied."""
    def to_toml(self) -> str:
        """The scenario as TOML text, overrides applied."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def origin(self) -> str: ...
    @property
    def toml(self) -> str: ...
    @property
    def overrides(self) -> list[str]: ...
    @property
    def removed(self) -> list[str]: ...

class Run:
    """What one run produced (wrapped by `plenum.Result`)."""

    def summary_json(self) -> str: ...
    def table_names(self) -> list[str]: ...
    def table(self, name: str) -> pyarrow.Table: ...

Progress = Callable[[int, int, str], Any]

def run(scenario: Scenario, progress: Progress | None = None) -> Run: ...
def sweep_size(
    scenario: Scenario,
    grid: dict[str, Sequence[Any]] | Sequence[tuple[str, Sequence[Any]]],
    samples: int = 1,
    seed: int | None = None,
) -> tuple[int, int]: ...
def sweep_rows(
    scenario: Scenario,
    grid: dict[str, Sequence[Any]] | Sequence[tuple[str, Sequence[Any]]],
    samples: int,
    seed: int | None,
    start: int,
    stop: int,
    threads: int | None = None,
    progress: Progress | None = None,
) -> pyarrow.Table: ...
def climates() -> list[dict[str, Any]]:
    """The built-in climates: key, name, latitude_deg, longitude_deg, elevation_m, utc_offset_hours, grid, source."""
def grids() -> list[dict[str, Any]]:
    """The built-in grid carbon profiles: key, name, annual_mean_g_per_kwh, utc_offset_hours, source."""
def scenarios() -> list[str]:
    """The built-in scenarios' names."""
def _restore_scenario(origin: str, text: str, overrides: list[str], removed: list[str] = ...) -> Scenario: ...
