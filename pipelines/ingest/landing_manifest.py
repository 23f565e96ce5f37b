"""The landing's bookkeeping in ``ingest.duckdb``: which file landed what (the manifest), the
batches, and the days touched that no batch lists yet; the lock that lets one ingestion at a time
write them, and the transactions they change in.

A file is known by its path, size, modification time and SHA-256. Each ingestion is a numbered
batch listing the days it touched; ``manifest.parquet`` and ``batches.parquet`` are snapshots of
the two tables for readers that must not wait for the lock (the sensor, the CLI).
"""

from __future__ import annotations

import fcntl
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

MANIFEST_SQL = """
CREATE TABLE IF NOT EXISTS files (
    source VARCHAR PRIMARY KEY,      -- absolute path, or URL for a feed
    size BIGINT,
    mtime_ns BIGINT,
    sha256 VARCHAR,
    parts VARCHAR[] NOT NULL,        -- landing part files holding its records
    batch INTEGER NOT NULL,
    landed_at TIMESTAMP NOT NULL,
    articles INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    same_as VARCHAR,                 -- read as another file with the same content
    days DATE[] NOT NULL,
    complete BOOLEAN NOT NULL        -- false while (or if a crash left) it part-landed
);
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER PRIMARY KEY,
    finished_at TIMESTAMP NOT NULL,
    files INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    days DATE[] NOT NULL
);
-- days touched by committed parts that no batch lists yet
CREATE TABLE IF NOT EXISTS pending_days (day DATE PRIMARY KEY);
"""

_MANIFEST_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("sha256", pa.string()),
        ("parts", pa.list_(pa.string())),
        ("batch", pa.int32()),
        ("landed_at", pa.timestamp("us")),
        ("articles", pa.int32()),
        ("quarantined", pa.int32()),
        ("same_as", pa.string()),
        ("days", pa.list_(pa.date32())),
        ("complete", pa.bool_()),
    ]
)

# What the sensor and the CLI read (``Landing.manifest``, ``Landing.batches``).
_SNAPSHOTS = {
    "manifest": "SELECT source, size, mtime_ns, sha256, batch, days FROM files ORDER BY source",
    "batches": "SELECT batch, finished_at, days FROM batches ORDER BY batch",
}


@contextmanager
def locked(root: Path, db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The bookkeeping, for one ingestion at a time per landing area (a file lock), so that a
    sensor-launched run and a manual one cannot interleave."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        con = duckdb.connect(str(db_path))
        try:
            con.execute(MANIFEST_SQL)
            yield con
        finally:
            con.close()
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def transaction(con) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def next_batch(con) -> int:
    # Past the batches and the files rows, so that no part of an unfinished ingestion shares a
    # name with this one's.
    return 1 + max(
        con.execute("SELECT max(batch) FROM batches").fetchone()[0] or 0,
        con.execute("SELECT max(batch) FROM files").fetchone()[0] or 0,
    )


def add_pending_days(con, days: set[date]) -> None:
    """Inside a part's transaction: the days touched so far, for the batch that records them
    (this one, or the next ingestion's if this one does not finish)."""
    if days:
        con.execute("INSERT OR IGNORE INTO pending_days SELECT unnest(?::DATE[])", [sorted(days)])


def pending_days(con) -> set[date]:
    return {row[0] for row in con.execute("SELECT day FROM pending_days").fetchall()}


def record_batch(
    con, batch: int, files: int, articles: int, quarantined: int, days: set[date]
) -> None:
    """The batch and the days it touched, which are then pending no more."""
    with transaction(con):
        con.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)",
            [batch, now(), files, articles, quarantined, sorted(days)],
        )
        con.execute("DELETE FROM pending_days")


def snapshots(con) -> Iterator[tuple[str, pa.Table]]:
    for name, sql in _SNAPSHOTS.items():
        with warnings.catch_warnings():
            # DuckDB warns that Arrow output of execute() copies the rows: these are small.
            warnings.simplefilter("ignore", UserWarning)
            table = con.execute(sql).to_arrow_table()
        yield name, table


class Manifest:
    """The files table, held in memory for the batch (one query, not a few per file) and
    written back with each part."""

    def __init__(self, con):
        names = ", ".join(_MANIFEST_SCHEMA.names)
        self.rows = {
            row[0]: dict(zip(_MANIFEST_SCHEMA.names, row, strict=True))
            for row in con.execute(f"SELECT {names} FROM files").fetchall()
        }
        self.by_sha = {
            row["sha256"]: source for source, row in self.rows.items() if _read_itself(row)
        }
        self.changed: set[str] = set()

    def get(self, source: str) -> dict | None:
        return self.rows.get(source)

    def parts(self) -> set[str]:
        """The part files some file's records are in."""
        return {part for row in self.rows.values() for part in row["parts"]}

    def twin(self, digest: str, source: str) -> str | None:
        other = self.by_sha.get(digest)
        return other if other and other != source else None

    def put(self, source: str, **values) -> None:
        row = self.rows.setdefault(source, {"source": source})
        row.update(values, landed_at=now())
        if _read_itself(row):
            self.by_sha[row["sha256"]] = source
        self.changed.add(source)

    def remove(self, source: str) -> None:
        row = self.rows.pop(source, None)
        if row and self.by_sha.get(row.get("sha256")) == source:
            del self.by_sha[row["sha256"]]
        self.changed.add(source)

    def save(self, con) -> None:
        if not self.changed:
            return
        changed = sorted(self.changed)
        con.execute("DELETE FROM files WHERE source IN (SELECT unnest(?::VARCHAR[]))", [changed])
        rows = [self.rows[s] for s in changed if s in self.rows]
        if rows:
            table = pa.Table.from_pylist(rows, schema=_MANIFEST_SCHEMA)
            con.register("manifest_rows", table)
            con.execute("INSERT INTO files BY NAME SELECT * FROM manifest_rows")
            con.unregister("manifest_rows")
        self.changed.clear()


def _read_itself(row: dict) -> bool:
    """Whether a file's records landed from its own bytes, whole: a file with equal content is
    then the same as it."""
    return bool(row.get("sha256")) and bool(row.get("complete")) and row.get("same_as") is None


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
