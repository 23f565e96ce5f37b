"""Every SQL block in docs/queries.md runs against a published warehouse and returns rows."""

import re
from pathlib import Path

import pytest

QUERIES_MD = Path(__file__).parents[2] / "docs" / "queries.md"
QUERIES = re.findall(r"```sql\n(.*?)```", QUERIES_MD.read_text("utf-8"), flags=re.S)


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
def test_every_query_runs_and_returns_rows(sql, synthetic_warehouse, synthetic_home, monkeypatch):
    monkeypatch.chdir(synthetic_home.parent)  # the Parquet query reads data/exports from here
    with synthetic_warehouse.connect() as con:
        rows = con.execute(sql).fetchall()
    assert rows, sql
