"""Small query helpers.

DuckDB 2 keeps a result open until it is fetched to the end, and refuses some operations on the
connection meanwhile (registering a frame, for one); ``fetchone`` leaves it open. These helpers
always read results to the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

Params = Sequence[object] | Mapping[str, object] | None

# The rows of the event dates a build rebuilds (temp table ``affected_dates``, build.py).
ON_AFFECTED_DATES = "event_date IN (SELECT event_date FROM affected_dates)"


def row(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> tuple | None:
    """The first row of the result, or None."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> object:
    """The first column of the first row (None when there is no row)."""
    first = row(con, sql, params)
    return None if first is None else first[0]


def dates(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> set:
    """The distinct non-null values of the first column (dates, as the callers use it)."""
    return {first for first, *_ in con.execute(sql, params or []).fetchall() if first is not None}


def run_with(con: duckdb.DuckDBPyConnection, name: str, data: object, *statements: str) -> None:
    """Run ``statements`` with ``data`` (a pandas or Arrow table) registered as view ``name``.

    No try/finally: after a failed statement the transaction is aborted and the caller rolls
    back; unregistering then would raise and hide the real error.
    """
    con.register(name, data)
    for statement in statements:
        con.execute(statement)
    con.unregister(name)


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append the frame's rows to ``table``, column by name."""
    if not frame.empty:
        run_with(con, "incoming", frame, f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
