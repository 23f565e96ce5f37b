"""Small query helpers.

DuckDB 2 keeps a result open until it is fetched to the end, and refuses some operations on the
connection meanwhile (registering a frame, for one); ``fetchone`` leaves it open. These helpers
always read results to the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

Params = Sequence[object] | Mapping[str, object] | None


def row(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> tuple | None:
    """The first row of the result, or None."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> object:
    """The first column of the first row (None when there is no row)."""
    first = row(con, sql, params)
    return None if first is None else first[0]
