"""How `dyadflow run` groups days into runs: small days together up to a run's articles, large
days alone, too few small days one a run."""

from datetime import date, timedelta

from assets.runs import (
    BATCH_ARTICLES,
    MIN_BATCH_DAYS,
    SMALL_DAY,
    group_days,
)

START = date(2024, 8, 1)


def _days(*sizes: int) -> list[tuple[date, int]]:
    return [(START + timedelta(days=n), size) for n, size in enumerate(sizes)]


def _sizes(groups, sized) -> list[int]:
    size = dict(sized)
    return [sum(size[day] for day in group) for group in groups]


def test_a_year_of_small_days_runs_in_batches():
    sized = _days(*[20] * 365)
    groups = group_days(sized)
    assert [day for group in groups for day in group] == [day for day, _ in sized]
    assert _sizes(groups, sized) == [BATCH_ARTICLES, 365 * 20 - BATCH_ARTICLES]


def test_a_large_last_day_runs_alone_and_the_small_days_before_it_are_not_split():
    sized = _days(*[20] * 100, SMALL_DAY + 1)
    groups = group_days(sized)
    assert groups == [[day for day, _ in sized[:100]], [sized[100][0]]]


def test_fewer_small_days_than_a_batch_run_one_a_run():
    sized = _days(SMALL_DAY + 1, *[20] * (MIN_BATCH_DAYS - 1))
    assert group_days(sized) == [[day] for day, _ in sized]
