"""Many days in one publication (``Warehouse.publish_partitions``): the same warehouse as one
publication a day, in one copy, build, check and swap."""

import pytest

from pipelines.datamodel.outcomes import CheckOutcome, Severity
from pipelines.warehouse.integrity import PublicationRejected
from pipelines.warehouse.store import DayRows, PublishResult, Warehouse
from tests.warehouse.digest import exports_digest, tables_digest
from tests.warehouse.synthetic import stream


def _rows(days):
    return [
        DayRows(d.day, d.articles, d.quarantine, d.mentions, f"inputs of {d.day}") for d in days
    ]


def _one_by_one(warehouse, days, validate=None):
    outcomes = {}
    for rows in _rows(days):
        try:
            outcomes[rows.day] = warehouse.publish_partition(
                rows.day,
                rows.articles,
                rows.quarantine,
                rows.mentions,
                validate=validate,
                inputs=rows.inputs,
            )
        except PublicationRejected as rejected:
            outcomes[rows.day] = rejected
    return outcomes


def _pair(tmp_path):
    return (
        Warehouse(tmp_path / "each" / "w.duckdb", tmp_path / "each" / "exports"),
        Warehouse(tmp_path / "all" / "w.duckdb", tmp_path / "all" / "exports"),
    )


def test_days_published_together_make_the_warehouse_one_publication_a_day_makes(tmp_path):
    days = stream(days=8)
    each, together = _pair(tmp_path)
    _one_by_one(each, days[:3])
    _one_by_one(together, days[:3])
    checked = []

    def count(con, change):
        checked.append(change)
        return []

    outcomes = together.publish_partitions(_rows(days[2:]), validate=count)  # day 3 again
    _one_by_one(each, days[2:])
    assert tables_digest(together.path) == tables_digest(each.path)
    assert exports_digest(together.exports_dir) == exports_digest(each.exports_dir)
    # one build, one check, one release file for the six days
    assert len(checked) == 1 and checked[0].days == tuple(d.day for d in days[2:])
    assert list(outcomes) == [d.day for d in days[2:]]
    assert all(isinstance(o, PublishResult) for o in outcomes.values())
    assert len({o.release_id for o in outcomes.values()}) == 1
    assert outcomes[days[4].day].articles == len(days[4].articles)
    # each day recorded as if published on its own: its inputs, and the days it touched
    assert together.published_inputs() == each.published_inputs()
    assert together.published_inputs()[days[7].day] == f"inputs of {days[7].day}"
    with together.connect() as con:
        rows = con.execute(
            "SELECT day FROM releases WHERE release_id > 3 ORDER BY release_id"
        ).fetchall()
    assert [day for (day,) in rows] == [d.day for d in days[2:]]


def test_a_day_the_checks_reject_is_left_out_and_the_others_published(tmp_path):
    days = stream(days=6)
    bad = days[3].day

    def no_bad_day(con, change):
        rows = con.execute(
            "SELECT count(*) FROM articles WHERE published_date = ?", [bad]
        ).fetchall()[0][0]
        return [
            CheckOutcome("not_that_day", rows == 0, f"{rows} articles of {bad}", Severity.ERROR)
        ]

    each, together = _pair(tmp_path)
    _one_by_one(each, days[:1])
    _one_by_one(together, days[:1])
    expected = _one_by_one(each, days[1:], validate=no_bad_day)
    outcomes = together.publish_partitions(_rows(days[1:]), validate=no_bad_day)
    assert isinstance(expected[bad], PublicationRejected)
    assert isinstance(outcomes[bad], PublicationRejected)
    assert "not_that_day" in str(outcomes[bad])
    assert all(isinstance(o, PublishResult) for day, o in outcomes.items() if day != bad)
    assert tables_digest(together.path) == tables_digest(each.path)
    assert exports_digest(together.exports_dir) == exports_digest(each.exports_dir)
    assert bad not in together.published_inputs()


def test_a_day_given_twice_is_refused(warehouse):
    day = stream(days=1)[0]
    with pytest.raises(ValueError, match="twice"):
        warehouse.publish_partitions(_rows([day, day]))
    assert warehouse.publish_partitions([]) == {}
