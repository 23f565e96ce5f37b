"""Where dyadflow reads and writes, and on how many processes it works.

Everything the pipeline writes lives under one home folder: ``./data`` by default, or the
folder named by ``DYADFLOW_HOME``. Nothing is written anywhere else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "DYADFLOW_HOME"
DEFAULT_HOME = "data"
PROCESSES_ENV = "DYADFLOW_PROCESSES"


class SettingError(ValueError):
    """A ``DYADFLOW_*`` environment variable holds a value dyadflow cannot use. The message names
    the variable and the value; the command line prints it without a traceback."""


def env_count(name: str) -> int | None:
    """A positive whole number from the environment variable ``name``; None when it is unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or int(raw) < 1:  # isdigit() would let "²" through to int()
        raise SettingError(f"{name}={raw!r}: expected a whole number of at least 1")
    return int(raw)


def default_processes() -> int:
    """$DYADFLOW_PROCESSES, else the cores this process may run on: the worker processes of
    the coding and of a landing."""
    explicit = env_count(PROCESSES_ENV)
    if explicit is not None:
        return explicit
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Layout:
    """The folders and files under a dyadflow home."""

    home: Path

    @property
    def duckdb_path(self) -> Path:
        return self.home / "dyadflow.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def staging_dir(self) -> Path:
        """Intermediate asset outputs, one Parquet file per asset partition."""
        return self.home / "staging"

    @property
    def parses_dir(self) -> Path:
        """spaCy parses kept per model and partition, for re-coding without parsing."""
        return self.home / "parses"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def inbox_dir(self) -> Path:
        return self.home / "inbox"


def home_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The dyadflow home: the explicit argument, else $DYADFLOW_HOME, else ./data."""
    chosen = explicit or os.environ.get(HOME_ENV) or DEFAULT_HOME
    return Path(chosen).expanduser().resolve()


def layout(explicit: str | os.PathLike[str] | None = None) -> Layout:
    return Layout(home_dir(explicit))
