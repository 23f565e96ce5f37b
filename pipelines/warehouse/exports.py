"""Parquet exports, hive-partitioned, one deterministic file per partition.

``COPY ... (PARTITION_BY, OVERWRITE)`` would wipe the whole directory, so each partition is written
to its own file (``<table>/<column>=<value>/part-0.parquet``) through a temporary name and an
atomic rename. The partition column lives in the path only, as hive readers expect.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb

from pipelines.warehouse.schema import Table


def partition_file(exports_dir: Path, table: Table, value: date) -> Path:
    return (
        exports_dir
        / table.name
        / f"{table.partition_column}={value.isoformat()}"
        / "part-0.parquet"
    )


def export_partition(
    con: duckdb.DuckDBPyConnection, table: Table, value: date, exports_dir: Path
) -> Path | None:
    """Write one partition's rows to its file; remove the file when the partition is empty."""
    column = table.partition_column
    target = partition_file(exports_dir, table, value)
    count = con.execute(
        f"SELECT count(*) FROM {table.name} WHERE {column} = ?", [value]
    ).fetchone()[0]
    if count == 0:
        target.unlink(missing_ok=True)
        if target.parent.exists() and not any(target.parent.iterdir()):
            target.parent.rmdir()
        return None
    order = ", ".join(table.key) if table.key else "ALL"
    query = f"SELECT * EXCLUDE ({column}) FROM {table.name} WHERE {column} = DATE '{value.isoformat()}' ORDER BY {order}"
    _copy(con, query, target)
    return target


def export_whole(con: duckdb.DuckDBPyConnection, table: Table, exports_dir: Path) -> Path:
    target = exports_dir / table.name / "part-0.parquet"
    order = ", ".join(table.key) if table.key else "ALL"
    _copy(con, f"SELECT * FROM {table.name} ORDER BY {order}", target)
    return target


def _copy(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(f"COPY ({query}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
    os.replace(tmp, target)
