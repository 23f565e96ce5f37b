"""The building blocks of the data dictionary: fields, the columns tables make of them, tables and
views, and what derives from them (DuckDB DDL, ``COMMENT ON`` statements, Arrow schemas, typed
pandas frames).

The fields themselves are in ``fields.py``, the tables and views in ``tables.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

import pandas as pd
import pyarrow as pa

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    # Parquet names a list's items "element"; naming them so here keeps a schema read back from
    # a file equal to the one it was written with.
    "VARCHAR[]": pa.list_(pa.field("element", pa.string())),
    "DATE[]": pa.list_(pa.field("element", pa.date32())),
}

# Nullable pandas dtypes, so integer columns with gaps stay integers in staged frames.
_PANDAS_TYPES: dict[pa.DataType, object] = {
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


class TableKind(StrEnum):
    """What a table is for, which decides how it is kept up to date and how a schema change is
    handled."""

    DATA = "data"  # what was read and coded: migrated in place, never rebuilt
    DERIVED = "derived"  # recomputed from the data tables
    CODEBOOK = "codebook"  # reloaded from the package data
    METADATA = "metadata"  # the release log


@dataclass(frozen=True)
class CodeList:
    """Allowed values read from the CAMEO codebook when a check needs them (``name``: which)."""

    name: str
    description: str


@dataclass(frozen=True)
class Column:
    """A field, or a table's use of one: what the column holds and what every value obeys.

    ``values`` are the allowed values (a tuple, or a ``CodeList``); ``minimum``/``maximum`` an
    inclusive range; ``pattern`` a regular expression every value matches. Null values are
    governed by ``nullable`` alone.
    """

    name: str
    type: str
    description: str
    nullable: bool = True
    values: tuple | CodeList | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    expr: str | None = None  # views only: the SQL expression that computes the column

    def __post_init__(self) -> None:
        assert self.type in _ARROW_TYPES, f"{self.name}: unknown type {self.type}"

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.type]

    def arrow_field(self) -> pa.Field:
        return pa.field(
            self.name,
            self.arrow_type,
            self.nullable,
            metadata={"description": self.description},
        )

    def use(self, note: str | None = None, **changes) -> Column:
        """This field as one table uses it: ``note`` adds what is particular to that table to the
        description; ``changes`` override constraints (a column null in one table only)."""
        if note:
            changes["description"] = f"{self.description} {note}"
        return dataclasses.replace(self, **changes)


class _Relation:
    """What a table and a view share: named columns, an Arrow schema and comments."""

    name: str
    description: str
    columns: tuple[Column, ...]
    COMMENT_ON: ClassVar[str]  # what DuckDB's COMMENT ON calls it

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def arrow_schema(self, *, without: Iterable[str] = ()) -> pa.Schema:
        skip = set(without)
        return pa.schema(
            [c.arrow_field() for c in self.columns if c.name not in skip],
            metadata={"table": self.name, "description": self.description},
        )

    def comment_sql(self) -> list[str]:
        statements = [f"COMMENT ON {self.COMMENT_ON} {self.name} IS {quote(self.description)}"]
        statements += [
            f"COMMENT ON COLUMN {self.name}.{c.name} IS {quote(c.description)}"
            for c in self.columns
        ]
        return statements


@dataclass(frozen=True)
class Table(_Relation):
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    partition_column: str | None = None
    kind: TableKind = TableKind.DATA

    COMMENT_ON: ClassVar[str] = "TABLE"

    def __post_init__(self) -> None:
        assert isinstance(self.kind, TableKind), self.kind
        names = self.column_names
        assert len(set(names)) == len(names), f"{self.name}: duplicate column"
        assert set(self.key) <= set(names), f"{self.name}: key not among columns"
        assert self.partition_column in (None, *names), f"{self.name}: unknown partition column"

    def create_sql(self) -> str:
        cols = ",\n  ".join(
            f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        )
        key = f",\n  PRIMARY KEY ({', '.join(self.key)})" if self.key else ""
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}{key}\n)"

    def frame(self, rows: Iterable[Mapping[str, object]] = ()) -> pd.DataFrame:
        """Rows as a DataFrame with exactly this table's columns and types, even when empty."""
        return self.to_pandas(pa.Table.from_pylist(list(rows), schema=self.arrow_schema()))

    def to_pandas(self, arrow: pa.Table) -> pd.DataFrame:
        """An Arrow table as a DataFrame in this table's column order and dtypes."""
        arrow = arrow.select(self.column_names).cast(self.arrow_schema())
        return arrow.to_pandas(types_mapper=_PANDAS_TYPES.get)


@dataclass(frozen=True)
class View(_Relation):
    """A view over the tables: every column has a description and the expression computing it."""

    name: str
    description: str
    columns: tuple[Column, ...]
    from_sql: str
    date_column: str | None = None  # the column date ranges filter on (exports, docs)

    kind = "view"
    COMMENT_ON: ClassVar[str] = "VIEW"

    def __post_init__(self) -> None:
        assert all(c.expr for c in self.columns), f"{self.name}: a column without an expression"

    def create_sql(self) -> str:
        select = ",\n  ".join(f"{c.expr} AS {c.name}" for c in self.columns)
        return f"CREATE OR REPLACE VIEW {self.name} AS\nSELECT\n  {select}\n{self.from_sql}"


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
