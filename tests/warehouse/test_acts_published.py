"""One act, one event, in the published warehouse: mentions of one act published on different
days meet in one event whatever order the days are published in."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.datamodel.record_frames import quarantine_frame
from pipelines.warehouse.store import Warehouse
from tests.factories import article, articles_of, mention_row, mentions_frame

TUE, WED = date(2024, 8, 6), date(2024, 8, 7)


def _publish(warehouse: Warehouse, day: date) -> None:
    if day == TUE:  # "Niger's government said on Tuesday it was severing ties with Ukraine"
        rows = [mention_row("tue", TUE, source_actor="NERGOV", date_precision="day")]
    else:  # Wednesday's paper: "Niger has severed diplomatic relations with Ukraine"
        rows = [mention_row("wed", WED, date_precision="unstated")]
    outlet = "Wire" if day == TUE else "Herald"
    warehouse.publish_partition(
        day, articles_of(article(rows[0]["article_id"], day, outlet)), quarantine_frame([]),
        mentions_frame(*rows),
    )  # fmt: skip


def _events(warehouse: Warehouse):
    with warehouse.connect() as con:
        return con.execute(
            "SELECT event_id, event_date, date_precision, source_actor, target_actor, "
            "num_mentions, num_articles, num_sources, mention_ids FROM events ORDER BY ALL"
        ).fetchall()


@pytest.mark.slow
def test_a_follow_up_joins_the_act_of_the_day_before_in_either_order(tmp_path):
    forward = Warehouse(tmp_path / "forward.duckdb", tmp_path / "forward")
    _publish(forward, TUE)
    _publish(forward, WED)
    (event,) = _events(forward)
    _, when, precision, source, target, mentions, articles, sources, ids = event
    assert (when, precision, source, target) == (TUE, "day", "NERGOV", "UKR")
    assert (mentions, articles, sources, len(ids)) == (2, 2, 2, 2)

    backward = Warehouse(tmp_path / "backward.duckdb", tmp_path / "backward")
    _publish(backward, WED)
    assert _events(backward)[0][1] == WED  # alone, Wednesday's report is Wednesday's act
    _publish(backward, TUE)
    assert _events(backward) == _events(forward)

    forward.rebuild()
    assert _events(forward) == [event]


def test_every_mention_of_an_event_is_listed_once(warehouse):
    _publish(warehouse, TUE)
    _publish(warehouse, WED)
    with warehouse.connect() as con:
        listed = con.execute(
            "SELECT count(*), count(DISTINCT mention_id) FROM events, unnest(mention_ids) AS u(mention_id)"
        ).fetchone()
        dyadic = con.execute("SELECT count(*) FROM event_mentions WHERE is_dyadic").fetchone()[0]
    assert listed == (dyadic, dyadic)


@pytest.mark.slow
def test_the_samples_acts_told_by_several_outlets_are_one_event_each(tmp_path, coder):
    from collections import defaultdict

    from pipelines.datamodel.record_frames import articles_frame
    from pipelines.datamodel.records import Article
    from pipelines.datamodel.tables import EVENT_MENTIONS
    from pipelines.ingest.jsonl import read_jsonl
    from pipelines.ingest.sample import sample_corpus_path

    told = [
        record
        for record in read_jsonl(sample_corpus_path())
        if isinstance(record, Article)
        and (
            ("Ukraine" in record.text and ("Niger" in record.text or "Mali" in record.text))
            or "Air Base 201" in record.text
            or "base in Niger" in record.text
        )
    ]
    by_day = defaultdict(list)
    for item in told:
        by_day[item.published_at.date()].append(item)
    warehouse = Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")
    for day, items in sorted(by_day.items()):
        rows = [
            {**m.as_row(), "published_date": day, "coder_version": "test"}
            for m in coder.code_articles(items)
        ]
        warehouse.publish_partition(
            day, articles_frame(items), quarantine_frame([]), EVENT_MENTIONS.frame(rows)
        )
    with warehouse.connect() as con:
        # the first half of August: later, the Sahel juntas' letter to the Security Council
        def acts(source: str, target: str, code: str) -> list[tuple]:
            return con.execute(
                "SELECT event_date, num_articles FROM events WHERE source_country = ? "
                "AND target_country = ? AND event_code = ? AND event_date < DATE '2024-08-15'",
                [source, target, code],
            ).fetchall()

        assert [n for _, n in acts("NER", "UKR", "161")] == [3]
        assert [n for _, n in acts("MLI", "UKR", "161")] == [2]
        assert [n for _, n in acts("USA", "NER", "087")] == [3]
        # a day only where the text names one, and a point wherever a place is known
        assert con.execute(
            "SELECT count(*) FROM events WHERE date_precision = 'day' AND date_text IS NULL"
        ).fetchone() == (0,)
        assert con.execute(
            "SELECT count(*) FROM events WHERE location_country IS NOT NULL "
            "AND (location_latitude IS NULL OR location_longitude IS NULL)"
        ).fetchone() == (0,)
