"""The Parquet exports read back with their real types, partition columns included, in every
reader installed: pandas, pyarrow datasets, DuckDB, polars (R's arrow is not installed here)."""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from pipelines.datamodel.tables import TABLES
from pipelines.warehouse import exports
from pipelines.warehouse.store import Warehouse
from tests.warehouse.helpers import to_hive_layout
from tests.warehouse.synthetic import publish_all, stream

PARTITIONED = [t for t in TABLES.values() if t.partition_column]
CUTOFF = date(2024, 8, 2)  # inside the synthetic stream, which crosses a month boundary


def _expected(warehouse, table) -> tuple[int, int]:
    """Rows in the table, and rows on or after CUTOFF in its partition column."""
    with warehouse.connect() as con:
        return con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {table.partition_column} >= ?) "
            f"FROM {table.name}",
            [CUTOFF],
        ).fetchone()


@pytest.mark.parametrize("table", PARTITIONED, ids=lambda t: t.name)
def test_pyarrow_datasets_read_the_dictionary_types(synthetic_warehouse, table):
    folder = synthetic_warehouse.exports_dir / table.name
    total, after = _expected(synthetic_warehouse, table)
    for partitioning in (None, "hive"):  # hive: what pandas asks pyarrow for
        dataset = ds.dataset(folder, partitioning=partitioning)
        assert dataset.schema.remove_metadata().equals(table.arrow_schema().remove_metadata())
        assert dataset.count_rows() == total
        assert dataset.count_rows(filter=ds.field(table.partition_column) >= CUTOFF) == after


@pytest.mark.parametrize("table", PARTITIONED, ids=lambda t: t.name)
def test_pandas_reads_dates_as_dates(synthetic_warehouse, table):
    folder = synthetic_warehouse.exports_dir / table.name
    column = table.partition_column
    total, after = _expected(synthetic_warehouse, table)

    plain = pd.read_parquet(folder)
    assert len(plain) == total
    assert not isinstance(plain[column].dtype, pd.CategoricalDtype)
    assert {type(v) for v in plain[column]} == {date}
    assert len(plain[plain[column] >= CUTOFF]) == after

    # the documented way to get datetime64 columns (docs/queries.md)
    frame = pd.read_parquet(folder, to_pandas_kwargs={"date_as_object": False})
    assert pd.api.types.is_datetime64_dtype(frame[column])
    assert len(frame[frame[column] >= CUTOFF.isoformat()]) == after
    assert set(frame[column].dt.year) == {2024}
    for name in ("events", "mentions", "articles"):
        if name in frame.columns and table.column(name).type == "BIGINT":
            assert frame[name].dtype == "int64", name


@pytest.mark.parametrize("table", PARTITIONED, ids=lambda t: t.name)
def test_duckdb_reads_the_dictionary_types(synthetic_warehouse, table):
    glob = synthetic_warehouse.exports_dir / table.name / "*" / "*.parquet"
    total, after = _expected(synthetic_warehouse, table)
    con = duckdb.connect()
    for hive in ("", ", hive_partitioning = true"):
        relation = con.sql(f"SELECT * FROM read_parquet('{glob}'{hive})")
        assert dict(zip(relation.columns, map(str, relation.types), strict=True)) == {
            c.name: c.type for c in table.columns
        }
        counted = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {table.partition_column} >= ?) "
            f"FROM read_parquet('{glob}'{hive})",
            [CUTOFF],
        ).fetchone()
        assert counted == (total, after)


@pytest.mark.parametrize("table", PARTITIONED, ids=lambda t: t.name)
def test_polars_reads_the_dictionary_types(synthetic_warehouse, table):
    pl = pytest.importorskip("polars")
    glob = synthetic_warehouse.exports_dir / table.name / "*" / "*.parquet"
    total, after = _expected(synthetic_warehouse, table)
    frame = pl.scan_parquet(str(glob))
    schema = frame.collect_schema()
    assert schema.names() == table.column_names
    assert schema[table.partition_column] == pl.Date
    for column in table.columns:
        if column.type == "BIGINT":
            assert schema[column.name] == pl.Int64, column.name
    assert frame.select(pl.len()).collect().item() == total
    filtered = frame.filter(pl.col(table.partition_column) >= CUTOFF)
    assert filtered.select(pl.len()).collect().item() == after


def test_r_arrow_is_not_installed_here():
    if shutil.which("Rscript") is not None:
        pytest.fail("R is installed: add a test reading the exports with arrow::open_dataset()")
    pytest.skip("R is not installed: R's arrow reader is not tested")


def test_exports_of_the_hive_layout_are_rewritten_and_removed(tmp_path):
    """A data folder exported by an older dyadflow (``event_date=.../part-0.parquet``): the next
    publication rewrites every partition in the current layout and removes the old folders, so a
    glob over a table does not read its rows twice."""
    days = stream(days=4)
    warehouse = Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")
    publish_all(warehouse, days[:3])
    root = warehouse.exports_dir
    to_hive_layout(root)

    publish_all(warehouse, days[3:])

    assert exports.legacy_folders(root) == []
    assert json.loads((root / exports.MANIFEST).read_text("utf-8"))["layout"] == exports.LAYOUT
    counts = warehouse.table_counts()
    for table in PARTITIONED:
        dataset = ds.dataset(root / table.name, partitioning="hive")
        assert dataset.count_rows() == counts[table.name], table.name
        assert dataset.schema.field(table.partition_column).type == pa.date32()


# How docs/queries.md tells pandas users to read a CSV extract of events.
CSV_DTYPES = {"event_code": "string", "event_base_code": "string", "event_root_code": "string"}


def test_csv_extracts_write_lists_one_way_and_keep_leading_zeros(synthetic_warehouse, tmp_path):
    import json

    output = tmp_path / "events.csv"
    with synthetic_warehouse.connect() as con:
        exports.extract(con, TABLES["events"], "csv", output)
        table = con.execute(
            "SELECT event_id, source_roles, source_urls, event_code, event_root_code, source_group "
            "FROM events ORDER BY event_id"
        ).fetchdf()

    frame = pd.read_csv(output, dtype=CSV_DTYPES)
    assert list(frame["event_id"]) == list(table["event_id"])
    for column in ("source_roles", "source_urls"):
        assert [json.loads(v) for v in frame[column]] == [list(v) for v in table[column]], column
    assert list(frame["event_code"]) == list(table["event_code"])
    assert any(code.startswith("0") for code in frame["event_root_code"])
    assert frame["source_group"].isna().tolist() == table["source_group"].isna().tolist()

    read = duckdb.sql(f"SELECT event_code, event_root_code, quad_class FROM read_csv('{output}')")
    assert list(map(str, read.types)) == ["VARCHAR", "VARCHAR", "BIGINT"]
    assert [r[0] for r in read.fetchall()] == list(table["event_code"])
