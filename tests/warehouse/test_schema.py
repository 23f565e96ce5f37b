import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.datamodel.columns import View, quote
from pipelines.datamodel.fields import FIELDS
from pipelines.datamodel.tables import EVENT_MENTIONS, TABLES, VIEWS
from pipelines.validation import structural
from pipelines.warehouse import docs, exports

# The GDELT 2.0 event table's columns, in order (GDELT codebook): gdelt_events must keep them.
GDELT_EVENT_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]


def _described(con):
    return con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() "
        "WHERE database_name = current_database()"
    ).fetchall()


def test_every_table_and_view_creates_with_comments_on_every_column():
    con = duckdb.connect()
    for relation in (*TABLES.values(), *VIEWS.values()):
        con.execute(relation.create_sql())
        for statement in relation.comment_sql():
            con.execute(statement)
    assert [row for row in _described(con) if not row[2]] == []
    described = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE comment <> '' "
            "UNION SELECT view_name FROM duckdb_views() WHERE comment <> '' AND NOT internal"
        ).fetchall()
    }
    assert described == set(TABLES) | set(VIEWS)


def test_gdelt_events_keeps_gdelt_column_names_and_order(synthetic_warehouse):
    # GDELT's columns in GDELT's order, then dyadflow's hex event_id to join back
    assert VIEWS["gdelt_events"].column_names == [*GDELT_EVENT_COLUMNS, "event_id"]
    with synthetic_warehouse.connect() as con:
        cursor = con.execute("SELECT * FROM gdelt_events LIMIT 0")
        assert [d[0] for d in cursor.description] == [*GDELT_EVENT_COLUMNS, "event_id"]
        cursor.fetchall()
        # A GDELT user's query runs unchanged.
        rows = con.execute(
            "SELECT Actor1CountryCode, Actor2CountryCode, count(*), avg(GoldsteinScale) "
            "FROM gdelt_events WHERE QuadClass = 4 AND SQLDATE BETWEEN 20240701 AND 20240831 "
            "GROUP BY 1, 2"
        ).fetchall()
        assert rows
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        view = con.execute("SELECT count(*) FROM gdelt_events").fetchall()[0][0]
    assert view == events


def test_empty_frames_keep_their_types():
    frame = EVENT_MENTIONS.frame()
    assert list(frame.columns) == EVENT_MENTIONS.column_names
    assert str(frame["sentence_index"].dtype) == "Int32"
    assert str(frame["is_dyadic"].dtype) == "boolean"
    arrow = pa.Table.from_pandas(frame, schema=EVENT_MENTIONS.arrow_schema(), preserve_index=False)
    assert arrow.schema.field("event_date").type == pa.date32()


def test_arrow_schemas_carry_the_descriptions():
    schema = TABLES["events"].arrow_schema()
    assert schema.field("num_sources").metadata[b"description"].startswith(b"Number of distinct")
    assert schema.metadata[b"table"] == b"events"


def test_docs_schema_md_is_generated_from_the_dictionary():
    committed = docs.DEFAULT_PATH.read_text("utf-8")
    assert committed == docs.render(), "docs/schema.md is stale: python -m pipelines.warehouse.docs"
    for relation in (*TABLES.values(), *VIEWS.values()):
        assert f"### {relation.name}" in committed
        for column in relation.columns:
            assert f"| `{column.name}` |" in committed


def _docs_columns(text: str) -> dict[str, list[tuple[str, ...]]]:
    """docs/schema.md's column rows per table and view, read back as the reader sees them."""
    sections: dict[str, list[tuple[str, ...]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:], [])
        elif current is not None and line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            current.append((cells[0].strip("`"), *cells[1:]))
    return sections


def _export_file(warehouse, relation, tmp_path) -> Path:
    """A Parquet file of ``relation`` as a user gets it: a published table's export, the view's
    extract (``dyadflow export --table``)."""
    if isinstance(relation, View):
        output = tmp_path / f"{relation.name}.parquet"
        with warehouse.connect() as con:
            exports.extract(con, relation, "parquet", output)
        return output
    files = sorted((warehouse.exports_dir / relation.name).rglob("*.parquet"))
    assert files, f"{relation.name}: no Parquet export"
    return files[0]


def test_warehouse_exports_and_docs_say_what_the_dictionary_says(synthetic_warehouse, tmp_path):
    """For every table and view: the DuckDB columns (names, types, NOT NULL, comments), the
    Parquet schema of its export and the docs/schema.md rows are the dictionary's."""
    docs_columns = _docs_columns(docs.DEFAULT_PATH.read_text("utf-8"))
    with synthetic_warehouse.connect() as con:
        duck = {}
        for table, column, type_, nullable, comment in con.execute(
            "SELECT table_name, column_name, data_type, is_nullable, comment "
            "FROM duckdb_columns() WHERE database_name = current_database() "
            "ORDER BY table_name, column_index"
        ).fetchall():
            duck.setdefault(table, []).append((column, type_, nullable, comment))
        relation_comments = dict(
            con.execute(
                "SELECT table_name, comment FROM duckdb_tables() "
                "UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        )
    relations = {**TABLES, **VIEWS}
    assert set(duck) == set(relations), "the warehouse holds other tables than the dictionary"
    for name, relation in relations.items():
        declared = relation.columns
        views = isinstance(relation, View)  # a view's columns carry no NOT NULL
        assert duck[name] == [
            (c.name, c.type, views or c.nullable, c.description) for c in declared
        ], name
        assert relation_comments[name] == relation.description

        schema = pq.read_schema(_export_file(synthetic_warehouse, relation, tmp_path))
        assert schema.equals(relation.arrow_schema(), check_metadata=True), name
        assert [f.metadata[b"description"].decode() for f in schema] == [
            c.description for c in declared
        ]

        assert docs_columns[name] == [
            (
                c.name,
                c.type,
                *(() if views else ("yes" if c.nullable else "no",)),
                docs._cell(c.description),
            )
            for c in declared
        ], name


def test_every_field_is_used_and_every_column_is_a_field():
    used = {c.name for r in (*TABLES.values(), *VIEWS.values()) for c in r.columns}
    assert sorted(set(FIELDS) - used) == [], "fields no table or view holds"
    for relation in (*TABLES.values(), *VIEWS.values()):
        for column in relation.columns:
            field = FIELDS.get(column.name)
            assert field is not None, f"{relation.name}.{column.name} is not in the dictionary"
            assert column.type == field.type, f"{relation.name}.{column.name}: another type"
            # a table adds a note to the field's description, never another description
            assert column.description.startswith(field.description), (
                f"{relation.name}.{column.name}: a description of its own"
            )


def _violations(column) -> list[str]:
    """SQL conditions, each true for a value ``column``'s dictionary entry does not allow."""
    name, found = column.name, []
    if column.values is not None:
        listed = ", ".join(_literal(v) for v in structural.allowed(column.values))
        found.append(f"{name} NOT IN ({listed})")
    if column.minimum is not None:
        found.append(f"{name} < {column.minimum!r}")
    if column.maximum is not None:
        found.append(f"{name} > {column.maximum!r}")
    if column.pattern is not None:
        found.append(f"NOT regexp_full_match({name}, {quote(column.pattern)})")
    return found


def _literal(value) -> str:
    return quote(value) if isinstance(value, str) else repr(value)


def test_a_published_warehouse_holds_only_what_the_dictionary_allows(synthetic_warehouse):
    checked = 0
    with synthetic_warehouse.connect() as con:
        for table in TABLES.values():
            for column in table.columns:
                conditions = _violations(column)
                if not conditions:
                    continue
                condition = " OR ".join(conditions)
                bad = con.execute(
                    f"SELECT DISTINCT {column.name} FROM {table.name} WHERE {condition} LIMIT 5"
                ).fetchall()
                assert bad == [], f"{table.name}.{column.name}: {bad}"
                checked += 1
            rows = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
            assert rows or table.name in {"quarantine", "validation_runs"}, table.name
    assert checked >= 30
