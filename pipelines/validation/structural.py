"""The structural expectations of a table, generated from the data dictionary
(``pipelines/datamodel``), and the words that describe them.

What a table's fields and key state becomes a Great Expectations expectation, critical:

- the key: its columns present, its values unique (one column) or unique together (several);
- the partition column: among the values a batch holds (the partition's day, the rebuilt dates);
- NOT NULL fields present, on the tables validated before they reach the warehouse ("data"
  tables, staged as frames). The warehouse's own tables refuse a null in a NOT NULL column
  themselves (the same dictionary writes their DDL), so there only the key is restated;
- allowed values (a list, or a code list of the CAMEO codebook), ranges and patterns.

The domain rules (spans, dates against the publication day, measures that add up, null rates
that warn) are written by hand in ``suites.py``. Great Expectations is imported when the
expectations are built, not with this module: the Dagster definitions read ``describe``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pipelines.datamodel.columns import CodeList, Table, TableKind

DICTIONARY = "dyadflow_dictionary"  # meta key: the dictionary statement an expectation checks


def expectations(table: Table, partition_values: Iterable | None = None) -> list:
    """The expectations ``table``'s dictionary entry states; ``partition_values``: what its
    partition column may hold in this batch (not checked when None)."""
    import great_expectations as gx

    e = gx.expectations

    def meta(statement: str, column: str | None = None) -> dict:
        note = f"Data dictionary: {statement}."
        if column is not None:
            note += f" {table.column(column).description}"
        return {"meta": {DICTIONARY: statement}, "notes": note}

    found = []
    for column in _not_null(table):
        found.append(
            e.ExpectColumnValuesToNotBeNull(
                column=column, **meta(f"{table.name}.{column} NOT NULL", column)
            )
        )
    if len(table.key) == 1:
        found.append(
            e.ExpectColumnValuesToBeUnique(
                column=table.key[0], **meta(f"{table.name} key ({table.key[0]})")
            )
        )
    elif table.key:
        found.append(
            e.ExpectCompoundColumnsToBeUnique(
                column_list=list(table.key), **meta(f"{table.name} key ({', '.join(table.key)})")
            )
        )
    if table.partition_column and partition_values is not None:
        found.append(
            e.ExpectColumnValuesToBeInSet(
                column=table.partition_column,
                value_set=sorted(partition_values),
                **meta(f"{table.name} partitioned by {table.partition_column}"),
            )
        )
    for column in table.columns:
        where = meta(f"{table.name}.{column.name}", column.name)
        if column.values is not None:
            found.append(
                e.ExpectColumnValuesToBeInSet(
                    column=column.name, value_set=allowed(column.values), **where
                )
            )
        if column.minimum is not None or column.maximum is not None:
            found.append(
                e.ExpectColumnValuesToBeBetween(
                    column=column.name,
                    min_value=column.minimum,
                    max_value=column.maximum,
                    **where,
                )
            )
        if column.pattern is not None:
            found.append(
                e.ExpectColumnValuesToMatchRegex(column=column.name, regex=column.pattern, **where)
            )
    return found


def describe(table: Table, partition: str | None = None) -> str:
    """The same expectations in words, for a check's description; ``partition`` says what the
    partition column is held to ("the partition's day")."""
    parts = []
    if len(table.key) == 1:
        parts.append(f"{table.key[0]} present and unique")
    elif table.key:
        parts.append(f"({', '.join(table.key)}) present and unique")
    if table.partition_column and partition:
        parts.append(f"{table.partition_column} {partition}")
    present = [c for c in _not_null(table) if c not in table.key]
    if present:
        parts.append(f"{', '.join(present)} present")
    ranges: list[str] = []
    for column in table.columns:
        if isinstance(column.values, CodeList):
            parts.append(f"{column.name} in {column.values.description}")
        elif column.values is not None:
            parts.append(f"{column.name} one of {', '.join(map(str, column.values))}")
        if column.minimum is not None and column.maximum is not None:
            ranges.append(f"{column.name} in [{_num(column.minimum)}, {_num(column.maximum)}]")
        elif column.minimum is not None:
            ranges.append(f"{column.name} >= {_num(column.minimum)}")
        elif column.maximum is not None:
            ranges.append(f"{column.name} <= {_num(column.maximum)}")
    parts += ranges
    formed = [c.name for c in table.columns if c.pattern is not None]
    if formed:
        parts.append(f"{', '.join(formed)} well formed")
    return "; ".join(parts)


def _not_null(table: Table) -> list[str]:
    if table.kind == TableKind.DATA:
        return [c.name for c in table.columns if not c.nullable]
    return list(table.key)


def allowed(values: tuple | CodeList) -> list:
    """The allowed values a field states, its code list read from the codebook."""
    return list(values) if isinstance(values, tuple) else list(_code_lists()[values.name])


@cache
def _code_lists() -> dict[str, tuple[str, ...]]:
    from pipelines.codebook import codebook

    codes = sorted(codebook().events)
    bases = {code[:3] for code in codes if len(code) >= 3} | {c for c in codes if len(c) == 2}
    return {
        "event_codes": tuple(codes),
        "base_codes": tuple(sorted(bases)),
        "root_codes": tuple(sorted({code[:2] for code in codes})),
    }


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
