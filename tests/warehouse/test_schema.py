import duckdb
import pyarrow as pa

from pipelines.warehouse.schema import EVENT_MENTIONS, TABLES


def test_every_table_creates_with_comments_on_every_column():
    con = duckdb.connect()
    for table in TABLES.values():
        con.execute(table.create_sql())
        for statement in table.comment_sql():
            con.execute(statement)
    comments = con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert comments == []
    described = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE comment <> ''"
        ).fetchall()
    }
    assert described == set(TABLES)


def test_empty_frames_keep_their_types():
    frame = EVENT_MENTIONS.frame()
    assert list(frame.columns) == EVENT_MENTIONS.column_names
    assert str(frame["sentence_index"].dtype) == "Int32"
    assert str(frame["is_dyadic"].dtype) == "boolean"
    arrow = pa.Table.from_pandas(frame, schema=EVENT_MENTIONS.arrow_schema(), preserve_index=False)
    assert arrow.schema.field("event_date").type == pa.date32()
