"""Parquet exports: one deterministic file per partition, explicit Arrow schemas.

Layout: ``<exports>/<table>/<YYYY-MM-DD>/part-0.parquet`` for partitioned tables and
``<exports>/<table>/part-0.parquet`` for the others. The partition column is inside every file,
with its real type, and the folder is named by the bare date, not ``column=value``: a hive folder
name makes pandas, pyarrow and R's arrow read the partition column back as strings (or
categoricals), and a column both in the folder name and in the file fails to merge in pyarrow.
The Arrow schema of every file is the data dictionary's, with each column's description in its
field metadata, so the files describe themselves.

Files are written under a temporary name and renamed into place, so a reader never sees half a
file. ``_release.json`` at the top names the release the exports reflect; when it lags behind the
DuckDB file (a run killed between the two), the next publication re-exports what changed since.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.datamodel.columns import Table, View
from pipelines.warehouse.sql import scalar
from pipelines.warehouse.swap import fsync_dir, fsync_file

MANIFEST = "_release.json"
# Written just before the DuckDB file is swapped, removed once the exports have caught up: its
# presence tells the next publication that the exports may lag, without opening the database.
PENDING = "_pending.json"
FILE_NAME = "part-0.parquet"
# The export layout, recorded in the manifest: exports written under another one (hive folders,
# ``column=value``) are rewritten whole and the old folders removed.
LAYOUT = 2
_BATCH_ROWS = 64_000


@dataclass(frozen=True)
class Pending:
    """An export written to its temporary name, waiting to be renamed into place (or, when
    ``tmp`` is None, a partition that became empty and whose file is to be removed)."""

    tmp: Path | None
    target: Path


def partition_file(exports_dir: Path, table: Table, value: date) -> Path:
    return exports_dir / table.name / value.isoformat() / FILE_NAME


def whole_file(exports_dir: Path, table: Table) -> Path:
    return exports_dir / table.name / FILE_NAME


def _order(table: Table) -> str:
    return ", ".join(table.key) if table.key else "ALL"


def stage_partition(
    con: duckdb.DuckDBPyConnection, table: Table, value: date, exports_dir: Path, tag: str
) -> Pending:
    """Write one partition's rows to a temporary file beside its target."""
    column = table.partition_column
    target = partition_file(exports_dir, table, value)
    if scalar(con, f"SELECT count(*) FROM {table.name} WHERE {column} = ?", [value]) == 0:
        return Pending(None, target)
    query = (
        f"SELECT * FROM {table.name} "
        f"WHERE {column} = DATE '{value.isoformat()}' ORDER BY {_order(table)}"
    )
    return Pending(_write(con, query, table.arrow_schema(), target, tag), target)


def stage_whole(
    con: duckdb.DuckDBPyConnection, table: Table, exports_dir: Path, tag: str
) -> Pending:
    target = whole_file(exports_dir, table)
    query = f"SELECT * FROM {table.name} ORDER BY {_order(table)}"
    return Pending(_write(con, query, table.arrow_schema(), target, tag), target)


def _write(
    con: duckdb.DuckDBPyConnection, query: str, schema: pa.Schema, target: Path, tag: str
) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{tag}.tmp")
    reader = con.sql(query).to_arrow_reader(_BATCH_ROWS)
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_table(pa.Table.from_batches([batch]).cast(schema))
    fsync_file(tmp)
    return tmp


def commit(pending: Iterable[Pending]) -> None:
    """Move staged files into place; remove the files of partitions that became empty."""
    touched: set[Path] = set()
    for item in pending:
        if item.tmp is not None:
            os.replace(item.tmp, item.target)
        else:
            item.target.unlink(missing_ok=True)
            folder = item.target.parent
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        touched.add(item.target.parent)
    for folder in touched:
        if folder.exists():
            fsync_dir(folder)


def written(pending: Iterable[Pending]) -> list[Path]:
    """The files the staged exports write (not those of partitions that became empty)."""
    return [item.target for item in pending if item.tmp is not None]


def removed(pending: Iterable[Pending]) -> list[Path]:
    return [item.target for item in pending if item.tmp is None]


def discard(pending: Iterable[Pending]) -> None:
    for item in pending:
        if item.tmp is not None:
            item.tmp.unlink(missing_ok=True)


def remove_stale_temporaries(exports_dir: Path) -> int:
    """Temporary files left by a run that was killed: never read, safe to delete."""
    stale = list(exports_dir.glob("**/.*.tmp")) if exports_dir.exists() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def partitions_on_disk(exports_dir: Path, table: Table) -> set[date]:
    folder = exports_dir / table.name
    if not folder.exists():
        return set()
    values = set()
    for child in folder.iterdir():
        if child.is_dir():
            try:
                values.add(date.fromisoformat(child.name))
            except ValueError:
                continue
    return values


def legacy_folders(exports_dir: Path) -> list[Path]:
    """Partition folders of the hive layout (``event_date=2024-08-06``) left by an older dyadflow."""
    if not exports_dir.exists():
        return []
    return sorted(
        child
        for folder in exports_dir.iterdir()
        if folder.is_dir()
        for child in folder.iterdir()
        if child.is_dir() and "=" in child.name
    )


def remove_legacy_folders(exports_dir: Path) -> int:
    """Remove the hive-layout folders, once their partitions are exported in the current layout:
    left beside them, a glob over the table would read every row twice."""
    folders = legacy_folders(exports_dir)
    for folder in folders:
        shutil.rmtree(folder)
    for parent in {folder.parent for folder in folders}:
        fsync_dir(parent)
    return len(folders)


def read_manifest(exports_dir: Path, name: str = MANIFEST) -> dict | None:
    try:
        return json.loads((exports_dir / name).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_manifest(exports_dir: Path, manifest: dict, name: str = MANIFEST) -> None:
    exports_dir.mkdir(parents=True, exist_ok=True)
    target = exports_dir / name
    tmp = target.with_name(f".{name}.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", "utf-8")
    fsync_file(tmp)
    os.replace(tmp, target)
    fsync_dir(exports_dir)


def clear_pending(exports_dir: Path) -> None:
    (exports_dir / PENDING).unlink(missing_ok=True)


def extract(
    con: duckdb.DuckDBPyConnection,
    relation: Table | View,
    fmt: str,
    output: Path,
    since: date | None = None,
    until: date | None = None,
) -> int:
    """An ad hoc extract of a table or view, optionally limited to a date range, to one file.

    Returns the number of rows written. Parquet files carry the dictionary's Arrow schema.
    """
    where = _date_filter(relation, since, until)
    order = _order(relation) if isinstance(relation, Table) else "ALL"
    query = f"SELECT * FROM {relation.name} WHERE {where} ORDER BY {order}"
    rows = scalar(con, f"SELECT count(*) FROM ({query})")
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        tmp = _write(con, query, relation.arrow_schema(), output, "extract")
        os.replace(tmp, output)
    elif fmt == "csv":
        tmp = output.with_name(f".{output.name}.extract.tmp")
        con.execute(
            f"COPY ({_csv_select(relation, query)}) TO '{_sql_path(tmp)}' "
            f"(FORMAT csv, HEADER, FORCE_QUOTE ({', '.join(_text_columns(relation))}))"
        )
        os.replace(tmp, output)
    else:
        raise ValueError(f"unknown format {fmt!r}: parquet or csv")
    return rows


def _text_columns(relation: Table | View) -> list[str]:
    """The columns a CSV extract quotes: text and lists (as JSON). Quoted, a code keeps its
    leading zeros in readers that honour quotes (DuckDB's), and an empty string ("") stays
    apart from a null (nothing)."""
    return [c.name for c in relation.columns if c.type == "VARCHAR" or c.type.endswith("[]")]


def _csv_select(relation: Table | View, query: str) -> str:
    """The query with its lists written as JSON arrays: DuckDB's own text for a list quotes some
    items and not others (``[MIL]`` beside ``['https://...']``)."""
    columns = ", ".join(
        f"to_json({c.name}) AS {c.name}" if c.type.endswith("[]") else c.name
        for c in relation.columns
    )
    return f"SELECT {columns} FROM ({query})"


def date_column(relation: Table | View) -> str | None:
    if isinstance(relation, Table):
        return relation.partition_column
    return relation.date_column


def _date_filter(relation: Table | View, since: date | None, until: date | None) -> str:
    if since is None and until is None:
        return "TRUE"
    column = date_column(relation)
    if column is None:
        raise ValueError(f"{relation.name} has no date column: --since/--until do not apply")
    kind = next(c.type for c in relation.columns if c.name == column)

    def literal(value: date) -> str:
        return value.strftime("%Y%m%d") if kind == "INTEGER" else f"DATE '{value.isoformat()}'"

    clauses = []
    if since is not None:
        clauses.append(f"{column} >= {literal(since)}")
    if until is not None:
        clauses.append(f"{column} <= {literal(until)}")
    return " AND ".join(clauses)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
