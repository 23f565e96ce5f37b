"""What a day's publication is made of, as one fingerprint, so that `dyadflow run` can leave a
day alone when none of it changed.

A day's tables follow from its articles and quarantine records as landed, and from everything
that turns them into tables: dyadflow's own code and data files (dictionaries, codebook, suites),
the coder's version (spaCy model and dictionaries, extra ones included), the libraries doing the
work, and the settings that change what is published. The fingerprint covers all of them. A
publication records it in ``releases.inputs``; a day whose last publication has the fingerprint
the day has now is up to date.

What it leaves out on purpose: settings that change how the work runs but not its result (the
data folder, process and batch counts, DuckDB's memory limit, the schedule, the Celery broker),
and the deduplication rule, which is checked for the warehouse as a whole.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipelines.datamodel.tables import ARTICLES, QUARANTINE

# Settings that do not change what a day publishes.
_NEUTRAL_SETTINGS = {
    "DYADFLOW_HOME",
    "DYADFLOW_PROCESSES",
    "DYADFLOW_BATCH_SIZE",
    "DYADFLOW_DUCKDB_MEMORY",
    "DYADFLOW_SCHEDULE_HOUR",
    "DYADFLOW_SCHEDULE_RUNNING",
    "DYADFLOW_CELERY_BROKER",
    "DYADFLOW_CELERY_BACKEND",
    "DYADFLOW_SOURCES",  # which files are read: their articles are in the fingerprint
    "DYADFLOW_START_DATE",
    # The deduplication rule shapes the events of the whole warehouse, not a day's articles and
    # mentions: Warehouse.published_inputs compares it with the published one.
    "DYADFLOW_EVENT_KEY",
}
_LIBRARIES = (
    "dyadflow",
    "spacy",
    "en_core_web_sm",
    "great_expectations",
    "duckdb",
    "pandas",
    "pyarrow",
    "dagster",
)
LIBRARY = Path(__file__).parent


def day_inputs(
    articles: pd.DataFrame,
    quarantine: pd.DataFrame,
    coder_version: str,
    code: tuple[Path, ...] = (LIBRARY,),
) -> str:
    """The fingerprint of a day: its articles and quarantine, the coder, and the environment.
    ``code``: the packages whose files decide what a day's run does (the application adds its
    own wiring to the library's)."""
    digest = hashlib.sha256()
    digest.update(f"{environment(code)}\0{coder_version}\0".encode())
    for table, frame in ((ARTICLES, articles), (QUARANTINE, quarantine)):
        digest.update(_frame_digest(table, frame))
    return digest.hexdigest()[:24]


def _frame_digest(table, frame: pd.DataFrame) -> bytes:
    """The rows' values in the table's own types and key order: the same whether the frame was
    just read from the landing area or went through Dagster's staging and back."""
    ordered = frame[table.column_names].sort_values(list(table.key), kind="stable")
    arrow = pa.Table.from_pandas(ordered, schema=table.arrow_schema(), preserve_index=False)
    digest = hashlib.sha256(table.name.encode())
    for name in table.column_names:
        digest.update(f"\0{name}\0{arrow.column(name).to_pylist()!r}".encode())
    return digest.digest()


def environment(code: tuple[Path, ...] = (LIBRARY,)) -> str:
    """dyadflow's files, the libraries' versions, and the settings that change results."""
    digest = hashlib.sha256(_code(code).encode())
    for name, value in sorted(os.environ.items()):
        if name.startswith("DYADFLOW_") and name not in _NEUTRAL_SETTINGS:
            digest.update(f"{name}={value}\0".encode())
    return digest.hexdigest()


@cache
def _code(packages: tuple[Path, ...]) -> str:
    """dyadflow's files and the libraries' versions: read once per process."""
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(package.parent)}\0".encode())
                digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    return digest.hexdigest()
