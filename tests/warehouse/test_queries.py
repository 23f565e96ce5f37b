"""Every SQL block in docs/queries.md runs against a published warehouse and returns rows."""

import re
from pathlib import Path

import pytest

from pipelines.warehouse.store import Warehouse
from tests.warehouse.synthetic import publish_all, stream

QUERIES_MD = Path(__file__).parents[2] / "docs" / "queries.md"
QUERIES = re.findall(r"```sql\n(.*?)```", QUERIES_MD.read_text("utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("queries")
    warehouse = Warehouse(root / "data" / "dyadflow.duckdb", root / "data" / "exports")
    publish_all(warehouse, stream(days=8, per_day=12))
    return root


def test_the_document_has_the_common_questions():
    assert len(QUERIES) >= 9
    text = QUERIES_MD.read_text("utf-8")
    for question in (
        "Monthly conflict",
        "most active dyads",
        "Goldstein time series",
        "in a region",
    ):
        assert question in text


@pytest.mark.parametrize("sql", QUERIES, ids=[f"query-{n + 1}" for n in range(len(QUERIES))])
def test_every_query_runs_and_returns_rows(sql, home, monkeypatch):
    monkeypatch.chdir(home)  # the Parquet query reads data/exports relative to here
    warehouse = Warehouse(home / "data" / "dyadflow.duckdb", home / "data" / "exports")
    with warehouse.connect() as con:
        rows = con.execute(sql).fetchall()
    assert rows, sql
