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


@pytest.mark.parametrize("sql", QUERIES, ids=[f"query-{n + 1}" for n in range(len(QUERIES))])
def test_every_query_returns_counts_as_bigint_and_months_as_dates(
    sql, synthetic_warehouse, synthetic_home, monkeypatch
):
    """DuckDB sums integers into HUGEINT, which pandas turns into floats; months truncated from
    dates are TIMESTAMPs. The documented queries give what the tables give: BIGINT and DATE."""
    monkeypatch.chdir(synthetic_home.parent)
    with synthetic_warehouse.connect() as con:
        relation = con.sql(sql)
        types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert "HUGEINT" not in types.values(), types
    assert not any("DECIMAL" in t for t in types.values()), types
    dates = [t for name, t in types.items() if name in ("month", "day") or name.endswith("date")]
    assert all(t == "DATE" for t in dates), types
