"""Type stubs for the native module `plenum._plenum` (the Rust core)."""
import os

from typing import Any, Sequence

import pyarrow

__version__: str

class PlenumError(Exception):
    """Base class of Plenum's errors."""

class ScenarioError(PlenumError):
    """A scenario is wrong; the message is the CLI's diagnostic (file, line, field)."""

    diagnostics: list[dict[str, Any]]
    """Each problem: file, field, message, help, line, column, override."""

class InputError(PlenumError):
    """A data file the scenario names is wrong or missing (file, line or row, field)."""

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
        """Replace values by dotted path (`energy.pue`, `servers[0].count`), as `--set`."""
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

class Run:
    """What one run produced (wrapped by `plenum.Result`)."""

    def summary_json(self) -> str: ...
    def table_names(self) -> list[str]: ...
    def table(self, name: str) -> pyarrow.Table: ...

def run(scenario: Scenario) -> Run: ...
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
) -> pyarrow.Table: ...
def _restore_scenario(origin: str, text: str, overrides: list[str]) -> Scenario: ...
