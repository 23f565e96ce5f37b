"""Bring a warehouse file's tables, views and comments in line with the data dictionary
(``pipelines/datamodel/tables.py``), carrying data tables over to a changed definition."""

from __future__ import annotations

from functools import cache

import duckdb

from pipelines.datamodel.columns import TableKind
from pipelines.datamodel.tables import TABLES, VIEWS


class SchemaMismatch(RuntimeError):
    pass


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create or bring every table and view in line with the data dictionary.

    Returns True when a derived table was (re)created, so its contents must be rebuilt.
    """
    existing: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, kind, nullable in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE NOT internal AND database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name, column_index"
    ).fetchall():
        existing.setdefault(table, []).append((column, kind, nullable))
    views = _view_sql(con)
    stale_views = [v for v in VIEWS.values() if views.get(v.name) != _stored_view_sql()[v.name]]
    for view in stale_views:
        con.execute(f"DROP VIEW IF EXISTS {view.name}")
    rebuild = False
    for table in TABLES.values():
        # a column that may now be null (a one-sided mention's source) is a change too
        wanted = [(c.name, c.type, c.nullable) for c in table.columns]
        have = existing.get(table.name)
        if have == wanted:
            continue
        if have is None:
            con.execute(table.create_sql())
            rebuild |= table.kind == TableKind.DERIVED
        elif table.kind in (TableKind.DERIVED, TableKind.CODEBOOK):
            con.execute(f"DROP TABLE {table.name}")
            con.execute(table.create_sql())
            rebuild |= table.kind == TableKind.DERIVED
        else:
            _migrate(con, table, [name for name, _, _ in have])
    for view in stale_views:
        con.execute(view.create_sql())
    _apply_comments(con)
    return rebuild


@cache
def _stored_view_sql() -> dict[str, str]:
    """Each view's SQL as DuckDB stores it (normalised), to tell whether a file's view is current."""
    con = duckdb.connect()
    try:
        for table in TABLES.values():
            con.execute(table.create_sql())
        for view in VIEWS.values():
            con.execute(view.create_sql())
        return _view_sql(con)
    finally:
        con.close()


def _view_sql(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT view_name, sql FROM duckdb_views() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    )


def _apply_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Set the dictionary's descriptions as comments, touching only those that differ."""
    have = {
        (name, None): comment
        for name, comment in con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
            "UNION ALL SELECT view_name, comment FROM duckdb_views() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    }
    have |= {
        (table, column): comment
        for table, column, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    }
    for relation in (*TABLES.values(), *VIEWS.values()):
        wanted = {(relation.name, None): relation.description}
        wanted |= {(relation.name, c.name): c.description for c in relation.columns}
        statements = relation.comment_sql()
        for (key, description), statement in zip(wanted.items(), statements, strict=True):
            if have.get(key) != description:
                con.execute(statement)


def _migrate(con: duckdb.DuckDBPyConnection, table, old_columns: list[str]) -> None:
    """Carry a data table over to a changed definition, when no information would be invented."""
    missing = [c for c in table.columns if c.name not in old_columns and not c.nullable]
    if missing:
        raise SchemaMismatch(
            f"{table.name} lacks required columns {[c.name for c in missing]}: this warehouse was "
            "built by an incompatible dyadflow; publish again into a new data folder"
        )
    common = ", ".join(c.name for c in table.columns if c.name in old_columns)
    con.execute(f"ALTER TABLE {table.name} RENAME TO {table.name}__old")
    con.execute(table.create_sql())
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT {common} FROM {table.name}__old")
    con.execute(f"DROP TABLE {table.name}__old")
