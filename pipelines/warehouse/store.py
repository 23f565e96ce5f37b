"""The DuckDB warehouse: one file is the source of truth; each partition is replaced in one
transaction, and the Parquet exports are refreshed from it afterwards.

DuckDB allows a single writer process per file, so callers serialise publication (Dagster does it
with a concurrency pool of 1); readers open the file read-only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.warehouse import exports
from pipelines.warehouse.schema import (
    ARTICLES,
    CAMEO_EVENT_CODES,
    EVENT_MENTIONS,
    EVENTS,
    QUARANTINE,
    TABLES,
)

# Events are derived from every mention in the warehouse with the same defining fields, so a
# story reported on several days still yields one event.
_REBUILD_EVENTS = """
DELETE FROM events WHERE event_date IN (SELECT event_date FROM affected_dates);
INSERT INTO events BY NAME
SELECT
    substr(sha256(concat_ws('|', m.event_date, m.source_actor, m.target_actor, m.event_code)), 1, 20)
        AS event_id,
    m.event_date,
    m.source_actor,
    m.target_actor,
    m.event_code,
    any_value(m.event_base_code) AS event_base_code,
    any_value(m.event_root_code) AS event_root_code,
    any_value(m.quad_class) AS quad_class,
    any_value(m.goldstein) AS goldstein,
    any_value(m.plover_type) AS plover_type,
    count(*) AS num_mentions,
    count(DISTINCT m.article_id) AS num_articles,
    count(DISTINCT coalesce(nullif(a.outlet, ''), a.article_id)) AS num_sources,
    max(m.confidence) AS confidence,
    min(a.published_date) AS first_published,
    max(a.published_date) AS last_published
FROM event_mentions AS m
JOIN articles AS a USING (article_id)
WHERE m.is_dyadic AND m.event_date IN (SELECT event_date FROM affected_dates)
GROUP BY m.event_date, m.source_actor, m.target_actor, m.event_code
ORDER BY ALL;
"""


@dataclass
class PublishResult:
    day: date
    articles: int
    quarantined: int
    mentions: int
    events_dates: list[date] = field(default_factory=list)
    events_rebuilt: int = 0


class Warehouse:
    def __init__(self, duckdb_path: str | os.PathLike[str], exports_dir: str | os.PathLike[str]):
        self.path = Path(duckdb_path)
        self.exports_dir = Path(exports_dir)

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path), read_only=read_only)
        try:
            if not read_only:
                _ensure_schema(con)
            yield con
        finally:
            con.close()

    def publish_codebook(self, codes: pd.DataFrame) -> int:
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM cameo_event_codes")
            _insert(con, CAMEO_EVENT_CODES.name, codes)
            con.execute("COMMIT")
            exports.export_whole(con, CAMEO_EVENT_CODES, self.exports_dir)
        return len(codes)

    def publish_partition(
        self,
        day: date,
        articles: pd.DataFrame,
        quarantine: pd.DataFrame,
        mentions: pd.DataFrame,
    ) -> PublishResult:
        """Replace everything published for ``day`` in one transaction, then refresh exports."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                old_dates = _dates(
                    con,
                    "SELECT DISTINCT event_date FROM event_mentions WHERE published_date = ?",
                    day,
                )
                for table, frame in ((ARTICLES, articles), (EVENT_MENTIONS, mentions)):
                    con.execute(f"DELETE FROM {table.name} WHERE published_date = ?", [day])
                    _insert(con, table.name, frame)
                _upsert_quarantine(con, quarantine)
                new_dates = (
                    set(pd.to_datetime(mentions["event_date"]).dt.date) if len(mentions) else set()
                )
                affected = sorted(old_dates | new_dates)
                con.execute("CREATE OR REPLACE TEMP TABLE affected_dates (event_date DATE)")
                con.executemany("INSERT INTO affected_dates VALUES (?)", [[d] for d in affected])
                con.execute(_REBUILD_EVENTS)
                rebuilt = con.execute(
                    "SELECT count(*) FROM events WHERE event_date IN (SELECT event_date FROM affected_dates)"
                ).fetchone()[0]
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            exports.export_partition(con, ARTICLES, day, self.exports_dir)
            exports.export_partition(con, EVENT_MENTIONS, day, self.exports_dir)
            for event_day in affected:
                exports.export_partition(con, EVENTS, event_day, self.exports_dir)
            exports.export_whole(con, QUARANTINE, self.exports_dir)
        return PublishResult(day, len(articles), len(quarantine), len(mentions), affected, rebuilt)

    def table_counts(self) -> dict[str, int]:
        with self.connect(read_only=True) as con:
            return {
                name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES
            }


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    existing = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table in TABLES.values():
        if table.name in existing:
            continue
        con.execute(table.create_sql())
        for statement in table.comment_sql():
            con.execute(statement)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    # No try/finally: after a failed statement the transaction is aborted and the caller rolls
    # back; unregistering then would raise and hide the real error.
    con.register("incoming", frame)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    con.unregister("incoming")


def _upsert_quarantine(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Quarantine rows are keyed by where they sit in their file, so re-reading is idempotent."""
    if frame.empty:
        return
    con.register("incoming", frame)
    con.execute(
        "DELETE FROM quarantine USING incoming "
        "WHERE quarantine.source_file = incoming.source_file AND quarantine.location = incoming.location"
    )
    con.execute("INSERT INTO quarantine BY NAME SELECT DISTINCT * FROM incoming")
    con.unregister("incoming")


def _dates(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> set[date]:
    return {row[0] for row in con.execute(sql, list(params)).fetchall()}
