"""Where dyadflow reads and writes, and on how many processes it works.

Everything the pipeline writes lives under one home folder: ``./data`` by default, or the
folder named by ``DYADFLOW_HOME``. Nothing is written anywhere else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

HOME_ENV = "DYADFLOW_HOME"
DEFAULT_HOME = "data"
PROCESSES_ENV = "DYADFLOW_PROCESSES"


class SettingError(ValueError):
    """A ``DYADFLOW_*`` environment variable holds a value dyadflow cannot use. The message names
    the variable and the value; the command line prints it without a traceback."""


# Whole numbers from the environment are bounded above too: a count of 20 digits overflows
# the C integers of spaCy and multiprocessing far from where it was set.
_MAX_PROCESSES = 1024
_MAX_BATCH_SIZE = 100_000
# Stores the export mirror can write to (pipelines/warehouse/remote.py): pyarrow filesystems
# that are not this machine's own.
EXPORT_SCHEMES = ("s3", "gs", "gcs", "abfs", "abfss", "hdfs")


def _count(low: int, high: int):
    return Annotated[int, Field(strict=False, ge=low, le=high)]


class Settings(BaseModel):
    """Every ``DYADFLOW_*`` setting a command reads (the environment), typed and bounded.

    Two more are checked where their own parsers live: $DYADFLOW_DUCKDB_MEMORY and
    $DYADFLOW_EVENT_KEY (``pipelines.warehouse.store.check_settings``)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=False)

    processes: _count(1, _MAX_PROCESSES) | None = Field(None, alias=PROCESSES_ENV)
    batch_size: _count(1, _MAX_BATCH_SIZE) | None = Field(None, alias="DYADFLOW_BATCH_SIZE")
    schedule_hour: int = Field(6, alias="DYADFLOW_SCHEDULE_HOUR")
    schedule_running: bool = Field(False, alias="DYADFLOW_SCHEDULE_RUNNING")
    # the first day a deployment holds; the bundled sample corpus is from August 2024
    start_date: date = Field(date(2024, 7, 1), alias="DYADFLOW_START_DATE")
    exports_uri: str | None = Field(None, alias="DYADFLOW_EXPORTS_URI")

    @field_validator("processes", "batch_size", "schedule_hour", mode="before")
    @classmethod
    def _whole_number(cls, value: object) -> object:
        # int() would take "1_000", "²" and " 1e3"-free forms pydantic accepts; digits only
        if isinstance(value, str) and not value.isdecimal():
            raise ValueError("not a whole number")
        return value

    @field_validator("schedule_hour")
    @classmethod
    def _hour(cls, value: int) -> int:
        if not 0 <= value <= 23:
            raise ValueError("out of range")
        return value

    @field_validator("start_date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            return date.fromisoformat(value)  # pydantic alone would take a count of seconds
        return value

    @field_validator("exports_uri")
    @classmethod
    def _store(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in EXPORT_SCHEMES:
            raise ValueError("not an object store")
        if not parts.netloc:
            raise ValueError("no bucket")
        return value


_EXPECTED = {
    PROCESSES_ENV: f"expected a whole number of at least 1 and at most {_MAX_PROCESSES}",
    "DYADFLOW_BATCH_SIZE": f"expected a whole number of at least 1 and at most {_MAX_BATCH_SIZE}",
    "DYADFLOW_SCHEDULE_HOUR": "expected an hour from 0 to 23 (UTC)",
    "DYADFLOW_SCHEDULE_RUNNING": "expected true or false (1/0, yes/no, on/off)",
    "DYADFLOW_START_DATE": "expected a date, YYYY-MM-DD",
    "DYADFLOW_EXPORTS_URI": "expected an object-store URI with a bucket, e.g. s3://bucket/prefix "
    f"({', '.join(s + '://' for s in EXPORT_SCHEMES)})",
}


def check_environment(
    environ: Mapping[str, str] | None = None, names: Iterable[str] = tuple(_EXPECTED)
) -> Settings:
    """The settings of the environment; SettingError naming the first one that is not valid.

    Only ``names`` are read (the others keep their defaults). A variable that is set but empty
    counts as unset."""
    environ = os.environ if environ is None else environ
    raw = {name: environ[name].strip() for name in names if environ.get(name, "").strip()}
    try:
        return Settings.model_validate(raw)
    except ValidationError as error:
        name = str(error.errors()[0]["loc"][0])
        raise SettingError(f"{name}={raw[name]!r}: {_EXPECTED[name]}") from None


def env_count(name: str) -> int | None:
    """A positive whole number from the environment variable ``name``; None when it is unset."""
    field = {PROCESSES_ENV: "processes", "DYADFLOW_BATCH_SIZE": "batch_size"}[name]
    return getattr(check_environment(names=[name]), field)


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
