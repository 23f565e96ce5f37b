"""The release log: a row of ``releases`` for each publication (for each day, in a release of
several days), and the dataset version that names a release."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb

from pipelines import __version__
from pipelines.datamodel.outcomes import ReleaseAction
from pipelines.datamodel.tables import COUNTED_TABLES, RELEASES
from pipelines.warehouse.codebook_tables import codebook_version
from pipelines.warehouse.sql import insert, row, scalar


def dataset_version(release_id: int) -> str:
    return f"{__version__}+r{release_id}"


def latest_sql(columns: str = "*") -> str:
    return f"SELECT {columns} FROM releases ORDER BY release_id DESC LIMIT 1"


def latest(con: duckdb.DuckDBPyConnection, columns: str) -> tuple | None:
    """``columns`` of the newest release row; None before the first publication."""
    return row(con, latest_sql(columns))


def inputs_by_day(con: duckdb.DuckDBPyConnection) -> dict[date, str]:
    """The inputs fingerprint the last publication of each day recorded, where it did."""
    last = con.execute(
        f"SELECT day, inputs FROM releases WHERE action = '{ReleaseAction.PUBLISH_DAY}' "
        "QUALIFY row_number() OVER (PARTITION BY day ORDER BY release_id DESC) = 1"
    ).fetchall()
    return {day: inputs for day, inputs in last if inputs is not None}


def record(
    con: duckdb.DuckDBPyConnection,
    action: ReleaseAction,
    day: date | None,
    event_dates: tuple[date, ...],
    dedup_key: str,
    inputs: str | None,
    dictionary: str,
) -> int:
    """Append a release row counting the tables as ``con`` holds them; returns its id."""
    release_id = scalar(con, "SELECT coalesce(max(release_id), 0) + 1 FROM releases")
    counts = {
        f"rows_{name}": scalar(con, f"SELECT count(*) FROM {name}") for name in COUNTED_TABLES
    }
    coder_versions = scalar(
        con,
        "SELECT string_agg(DISTINCT coder_version, ',' ORDER BY coder_version) FROM event_mentions",
    )
    entry = {
        "release_id": release_id,
        "dataset_version": dataset_version(release_id),
        "built_at": datetime.now(UTC).replace(tzinfo=None),
        "action": action,
        "day": day,
        "event_dates": list(event_dates),
        "dyadflow_version": __version__,
        "coder_versions": coder_versions,
        "codebook_version": codebook_version(),
        "dictionary_version": dictionary,
        "dedup_key": dedup_key,
        "inputs": inputs,
        **counts,
    }
    insert(con, RELEASES.name, RELEASES.frame([entry]))
    return release_id
