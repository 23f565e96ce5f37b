"""How `dyadflow run` groups days into runs: small days together, large days alone, and a short
last run of small days (its checks and publication are the one part no coding overlaps)."""

from datetime import date, timedelta

from assets.runs import (
    BATCH_ARTICLES,
    LAST_RUN_ARTICLES,
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


def test_a_year_of_small_days_ends_in_a_short_run():
    sized = _days(*[20] * 365)
    groups = group_days(sized)
    assert [day for group in groups for day in group] == [day for day, _ in sized]
    sizes = _sizes(groups, sized)
    assert sizes[0] == BATCH_ARTICLES
    assert sizes[-1] <= LAST_RUN_ARTICLES
    assert len(groups[-1]) >= MIN_BATCH_DAYS
    assert sum(sizes) == 365 * 20


def test_few_small_days_stay_one_run():
    sized = _days(*[20] * 30)  # 600 articles: a last run of 500 would leave 5 days before it
    assert group_days(sized) == [[day for day, _ in sized]]
    sized = _days(*[20] * 20)
    assert group_days(sized) == [[day for day, _ in sized]]


def test_a_large_last_day_runs_alone_and_the_small_days_before_it_are_not_split():
    sized = _days(*[20] * 100, SMALL_DAY + 1)
    groups = group_days(sized)
    assert groups == [[day for day, _ in sized[:100]], [sized[100][0]]]


def test_fewer_small_days_than_a_batch_run_one_a_run():
    sized = _days(SMALL_DAY + 1, *[20] * (MIN_BATCH_DAYS - 1))
    assert group_days(sized) == [[day] for day, _ in sized]
