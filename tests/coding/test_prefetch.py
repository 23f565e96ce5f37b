"""Many partitions in one stream on one pool of workers, and days coded ahead of their runs."""

from __future__ import annotations

import threading
from dataclasses import replace

import pandas as pd
import pytest

from pipelines.coding.coder import EventCoder
from pipelines.coding.day import code_day
from pipelines.coding.parses import ParseCache
from pipelines.coding.prefetch import DayPrefetch
from pipelines.coding.stream import StreamReport, WorkerPool, code_partitions, code_stream
from pipelines.datamodel.record_frames import articles_frame, mentions_table
from pipelines.datamodel.records import Article
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.sample import sample_corpus_path

DAYS = ["2024-08-01", "2024-08-02", "2024-08-03"]


@pytest.fixture(scope="module")
def by_day() -> dict[str, list[Article]]:
    records = [r for r in read_jsonl(sample_corpus_path()) if isinstance(r, Article)]
    return {day: records[8 * i : 8 * i + 8] for i, day in enumerate(DAYS)}


@pytest.fixture(scope="module")
def expected(coder: EventCoder, by_day) -> dict[str, list[tuple[str, list[dict]]]]:
    return {
        day: list(code_stream(coder, articles, processes=1)) for day, articles in by_day.items()
    }


@pytest.mark.slow
def test_partitions_in_one_stream_code_as_each_alone_and_keep_their_own_parses(
    coder, by_day, expected, tmp_path
):
    cache = ParseCache(tmp_path, coder.nlp)
    items = [(day, article) for day, articles in by_day.items() for article in articles]
    per_day: dict[str, StreamReport] = {}
    with WorkerPool(coder, processes=2) as pool:
        coded = list(
            code_partitions(
                pool, iter(items), cache.partition, task_articles=3, by_partition=per_day
            )
        )
    for day in DAYS:
        assert [(a, rows) for d, a, rows in coded if d == day] == expected[day]
        assert per_day[day].parsed == len(by_day[day])
        assert sum(1 for _ in cache.partition(day).shards()) == 3  # 8 articles, 3 per task
    assert sum(len(rows) for rows in expected["2024-08-01"]) > 0


@pytest.mark.slow
def test_the_runs_take_each_day_coded_ahead(coder, by_day, expected, tmp_path):
    with DayPrefetch(coder, DAYS, by_day.__getitem__, processes=2, ahead=1) as ahead:
        for day in DAYS:
            taken = ahead.take(day, by_day[day], coder.version)
            assert taken is not None
            assert taken.rows == expected[day]
            assert (taken.report.articles, taken.report.parsed) == (len(by_day[day]),) * 2


def test_a_day_is_handed_over_only_for_the_same_articles_and_coder(coder, by_day, tmp_path):
    first, second, third = DAYS
    with DayPrefetch(coder, DAYS, by_day.__getitem__, processes=1) as ahead:
        assert ahead.take(first, by_day[first], "another coder version") is None
        edited = [*by_day[second][:-1], replace(by_day[second][-1], text="Kenya met Uganda.")]
        assert ahead.take(second, edited, coder.version) is None
        assert ahead.take("2030-01-01", [], coder.version) is None  # not a day coded ahead
        # a day whose run never came (the first) does not hold the third back
        assert ahead.take(third, by_day[third], coder.version) is not None
        assert ahead.take(third, by_day[third], coder.version) is None  # handed over once


def test_a_day_coded_ahead_gives_the_frame_of_the_day_coded_alone(coder, by_day, tmp_path):
    day = DAYS[1]
    articles = articles_frame(by_day[day])
    alone = code_day(coder, articles, processes=1)
    assert len(alone) > 0 and alone["published_date"].notna().all()
    with DayPrefetch(
        coder, [day], by_day.__getitem__, processes=1, compact=mentions_table
    ) as prefetch:
        report = StreamReport()
        ahead = code_day(coder, articles, report=report, ahead=(prefetch, day))
    assert report.coded_ahead
    pd.testing.assert_frame_equal(ahead, alone)


def test_days_with_nothing_to_code_do_not_hold_up_the_day_before_them(coder, by_day):
    """Days whose articles are all copies (or none) are ready at once, before the day ahead of
    them is coded: they must not count as coded days waiting, or the feeder waits for room
    that only the day it has not finished would make."""
    days = ["2024-08-01", "2024-08-02", "2024-08-03", "2024-08-04"]
    articles = {days[0]: by_day[DAYS[0]], days[1]: [], days[2]: [], days[3]: by_day[DAYS[1]]}
    taken = {}

    def take_all(ahead):
        for day in days:
            taken[day] = ahead.take(day, articles[day], coder.version)

    with DayPrefetch(coder, days, articles.__getitem__, processes=1, ahead=1) as ahead:
        runs = threading.Thread(target=take_all, args=(ahead,), daemon=True)
        runs.start()
        runs.join(timeout=120)  # a bound on a deadlock, not on speed: the days take seconds
        stuck = runs.is_alive()  # leaving the block stops the feeder and frees the runs
    assert not stuck, "the runs waited for a day the feeder never finished"
    assert [len(taken[day].rows) for day in days] == [8, 0, 0, 8]


@pytest.mark.slow
def test_small_days_are_coded_further_ahead_than_the_days_ahead(coder, by_day):
    """With room for more articles than the days hold, the feeder codes every day before any is
    taken (a backfill_days run takes its days only after reading and validating them all)."""
    with DayPrefetch(
        coder, DAYS, by_day.__getitem__, processes=1, ahead=1, ahead_articles=100
    ) as ahead:
        # a bound on a feeder that waits for room, not on speed: the days take seconds
        coded = [ahead._state[day].ready.wait(timeout=120) for day in DAYS]
        assert ahead.take(DAYS[2], by_day[DAYS[2]], coder.version) is not None
    assert coded == [True, True, True]
