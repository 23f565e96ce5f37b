from datetime import date

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from pipelines.ingest.records import Quarantined
from pipelines.stages import quarantine_frame
from pipelines.warehouse.store import Warehouse
from tests.factories import article, articles_of, mention_row, mentions_frame

AUG6, AUG7 = date(2024, 8, 6), date(2024, 8, 7)


@pytest.fixture
def warehouse(tmp_path):
    return Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")


def _tables(warehouse):
    with warehouse.connect(read_only=True) as con:
        return {
            name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchdf()
            for name in ("articles", "event_mentions", "events", "quarantine")
        }


def _publish_two_days(warehouse):
    bad = quarantine_frame([Quarantined("in.jsonl", "line 3", "invalid JSON")])
    warehouse.publish_partition(
        AUG6, articles_of(article("a1", AUG6, "Wire")), bad, mentions_frame(mention_row("a1", AUG6))
    )
    # The same event, reported again the next day by another outlet.
    warehouse.publish_partition(
        AUG7,
        articles_of(article("a2", AUG7, "Herald")),
        bad,
        mentions_frame(mention_row("a2", AUG7, event_date=AUG6)),
    )


def test_an_event_reported_on_two_days_is_one_event(warehouse):
    _publish_two_days(warehouse)
    events = _tables(warehouse)["events"]
    assert len(events) == 1
    event = events.iloc[0]
    assert (event.source_actor, event.target_actor, event.event_code) == ("NER", "UKR", "161")
    assert (event.num_mentions, event.num_articles, event.num_sources) == (2, 2, 2)
    assert (event.first_published, event.last_published) == (pd.Timestamp(AUG6), pd.Timestamp(AUG7))
    assert _tables(warehouse)["quarantine"].shape[0] == 1


def test_republishing_a_partition_leaves_identical_tables(warehouse):
    _publish_two_days(warehouse)
    before = _tables(warehouse)
    _publish_two_days(warehouse)
    after = _tables(warehouse)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_replacing_a_day_rebuilds_the_events_it_touched(warehouse):
    _publish_two_days(warehouse)
    empty = mentions_frame()
    warehouse.publish_partition(AUG7, articles_of(article("a2", AUG7)), quarantine_frame([]), empty)
    (event,) = _tables(warehouse)["events"].itertuples()
    assert (event.num_mentions, event.num_articles) == (1, 1)
    warehouse.publish_partition(AUG6, articles_of(), quarantine_frame([]), empty)
    assert _tables(warehouse)["events"].empty
    assert not (warehouse.exports_dir / "events" / "event_date=2024-08-06").exists()


def test_non_dyadic_mentions_are_kept_but_make_no_event(warehouse):
    row = mention_row("a1", AUG6, target_actor=None, target=None)
    warehouse.publish_partition(
        AUG6, articles_of(article("a1", AUG6)), quarantine_frame([]), mentions_frame(row)
    )
    tables = _tables(warehouse)
    assert len(tables["event_mentions"]) == 1 and not tables["event_mentions"].is_dyadic[0]
    assert tables["events"].empty


def test_exports_are_one_file_per_partition_with_the_tables_row_counts(warehouse):
    _publish_two_days(warehouse)
    for table, column in (
        ("articles", "published_date"),
        ("event_mentions", "published_date"),
        ("events", "event_date"),
    ):
        files = sorted((warehouse.exports_dir / table).glob(f"{column}=*/part-0.parquet"))
        assert files, table
        dataset = ds.dataset(warehouse.exports_dir / table, partitioning="hive")
        with warehouse.connect(read_only=True) as con:
            expected = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert dataset.count_rows() == expected
    glob = str(warehouse.exports_dir / "event_mentions" / "*" / "*.parquet")
    query = f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)"
    via_duckdb = duckdb.connect().execute(query).fetchone()[0]
    assert via_duckdb == 2


def test_a_failed_transaction_leaves_the_partition_as_it_was(warehouse):
    _publish_two_days(warehouse)
    before = _tables(warehouse)
    broken = mentions_frame(mention_row("a1", AUG6)).assign(mention_id=None)  # violates NOT NULL
    with pytest.raises(duckdb.ConstraintException):
        warehouse.publish_partition(
            AUG6, articles_of(article("a9", AUG6)), quarantine_frame([]), broken
        )
    after = _tables(warehouse)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])
