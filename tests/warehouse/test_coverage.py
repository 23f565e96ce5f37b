"""coverage_day: what was read, coded and set aside per day and outlet, counted independently
here from the published tables; a day published with no input has a row of zeros."""

from __future__ import annotations

from datetime import timedelta

import pyarrow.parquet as pq
import pytest

from pipelines.datamodel.record_frames import articles_frame, quarantine_frame
from pipelines.datamodel.tables import EVENT_MENTIONS, TABLES
from pipelines.warehouse import exports
from tests.warehouse.synthetic import Day, publish_all, stream


def _coverage(con) -> dict:
    return {
        (day, outlet): rest
        for day, outlet, *rest in con.execute(
            "SELECT published_date, outlet, articles, copies, coded, mentions, dyadic_mentions, "
            "quarantined FROM coverage_day"
        ).fetchall()
    }


@pytest.mark.slow
def test_coverage_counts_the_input_of_every_published_day(warehouse):
    days = stream(days=6, per_day=8)
    quiet = days[2].day
    days[2] = Day(quiet, articles_frame([]), quarantine_frame([]), EVENT_MENTIONS.frame())
    publish_all(warehouse, days)

    with warehouse.connect() as con:
        coverage = _coverage(con)
        articles = con.execute("SELECT * FROM articles").fetchdf()
        mentions = con.execute(
            "SELECT m.is_dyadic, a.published_date, a.outlet FROM event_mentions AS m "
            "JOIN articles AS a USING (article_id)"
        ).fetchdf()
        quarantined = dict(
            con.execute("SELECT published_date, count(*) FROM quarantine GROUP BY ALL").fetchall()
        )

    assert coverage[(quiet, None)] == [0, 0, 0, 0, 0, 0]
    assert not any(day == quiet and outlet is not None for day, outlet in coverage)
    assert not any(
        day == days[-1].day + timedelta(days=1) for day, _ in coverage
    )  # never published
    for (day, outlet), group in articles.groupby(["published_date", "outlet"]):
        said = group[group["duplicate_of"].notna()]
        of_outlet = mentions[(mentions.published_date == day) & (mentions.outlet == outlet)]
        assert coverage[(day.date(), outlet)] == [
            len(group),
            len(said),
            len(group) - len(said),
            len(of_outlet),
            int(of_outlet["is_dyadic"].sum()),
            0,
        ]
    assert quarantined
    for day, count in quarantined.items():
        assert coverage[(day, None)][-1] == count
    assert sum(row[0] for row in coverage.values()) == len(articles)


def test_coverage_is_exported_whole(synthetic_warehouse):
    table = TABLES["coverage_day"]
    path = exports.whole_file(synthetic_warehouse.exports_dir, table)
    exported = pq.read_table(path)
    assert exported.schema.equals(table.arrow_schema(), check_metadata=True)
    with synthetic_warehouse.connect() as con:
        assert exported.num_rows == con.execute("SELECT count(*) FROM coverage_day").fetchone()[0]
        assert exported.num_rows > 0
