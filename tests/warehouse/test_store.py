import hashlib
import json
import shutil

import duckdb
import pandas as pd
import pytest

from pipelines.datamodel.outcomes import CheckOutcome, Severity
from pipelines.datamodel.record_frames import quarantine_frame
from pipelines.settings import SettingError
from pipelines.validation.candidate_release import candidate_validator
from pipelines.warehouse import swap
from pipelines.warehouse.dedup_rule import DedupRule, InvalidRule
from pipelines.warehouse.integrity import PublicationRejected
from pipelines.warehouse.store import MEMORY_ENV, Warehouse
from tests.factories import article, articles_of, mention_row, mentions_frame
from tests.warehouse.helpers import (
    AUG6,
    AUG7,
    assert_same_tables,
    publish_two_days,
    published_tables,
)
from tests.warehouse.synthetic import publish_all, stream

NOTHING = quarantine_frame([])


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_event_reported_on_two_days_is_one_event(warehouse):
    publish_two_days(warehouse)
    events = published_tables(warehouse)["events"]
    assert len(events) == 1
    event = events.iloc[0]
    assert (event.source_actor, event.target_actor, event.event_code) == ("NER", "UKR", "161")
    assert (event.num_mentions, event.num_articles, event.num_sources) == (2, 2, 2)
    assert (event.first_seen.date(), event.last_seen.date()) == (AUG6, AUG7)
    assert (event.source_name, event.target_name) == ("Niger", "Ukraine")
    assert (event.event_base_code, event.event_root_code, event.quad_class) == ("161", "16", 4)
    assert event.source_url == "https://news.example/a1"
    assert list(event.source_urls) == ["https://news.example/a1", "https://news.example/a2"]
    assert published_tables(warehouse)["quarantine"].shape[0] == 1


@pytest.mark.slow
def test_event_id_is_a_hash_of_the_key_and_stable_across_runs(tmp_path):
    expected = hashlib.sha256(b"2024-08-06|NER|UKR|161").hexdigest()[:20]
    ids = []
    for run in ("first", "second"):
        warehouse = Warehouse(tmp_path / run / "w.duckdb", tmp_path / run / "exports")
        publish_two_days(warehouse)
        publish_two_days(warehouse)  # and a re-run over the same warehouse
        ids.append(list(published_tables(warehouse)["events"]["event_id"]))
    assert ids == [[expected], [expected]]


def test_actor_codes_are_split_into_country_group_and_roles(warehouse):
    rows = [
        mention_row("a1", AUG6, source_actor="NERMIL", target_actor="IGOUNO"),
        mention_row("a1", AUG6, sentence_index=1, source_actor="USAGOVPTY", target_actor="KENCOP"),
    ]
    warehouse.publish_partition(
        AUG6, articles_of(article("a1", AUG6)), NOTHING, mentions_frame(*rows)
    )
    events = published_tables(warehouse)["events"].set_index("source_actor")
    niger, usa = events.loc["NERMIL"], events.loc["USAGOVPTY"]
    assert niger.source_country == "NER" and pd.isna(niger.source_group)
    assert list(niger.source_roles) == ["MIL"]
    assert pd.isna(niger.target_country) and niger.target_group == "UNO"
    assert list(niger.target_roles) == ["IGO"]
    assert list(usa.source_roles) == ["GOV", "PTY"] and usa.target_country == "KEN"


def test_copies_of_a_story_count_as_articles_and_sources(warehouse):
    warehouse.publish_partition(
        AUG6,
        articles_of(article("a1", AUG6, "Wire")),
        NOTHING,
        mentions_frame(mention_row("a1", AUG6)),
    )
    copy = article("c1", AUG7, "Herald")
    copy = type(copy)(**{**copy.__dict__, "duplicate_of": "a1"})
    same_outlet = type(copy)(**{**copy.__dict__, "id": "c2", "outlet": "Wire", "url": ""})
    warehouse.publish_partition(AUG7, articles_of(copy, same_outlet), NOTHING, mentions_frame())
    (event,) = published_tables(warehouse)["events"].itertuples()
    assert (event.num_mentions, event.num_articles, event.num_sources) == (3, 3, 2)
    assert event.last_seen.date() == AUG7
    assert list(event.source_urls) == ["https://news.example/a1", "https://news.example/c1"]
    # The copies withdrawn, the event is back to its original alone.
    warehouse.publish_partition(AUG7, articles_of(), NOTHING, mentions_frame())
    (event,) = published_tables(warehouse)["events"].itertuples()
    assert (event.num_mentions, event.num_articles, event.num_sources) == (1, 1, 1)


def test_republishing_a_partition_leaves_identical_tables(warehouse):
    publish_two_days(warehouse)
    before = published_tables(warehouse)
    exported = _files(warehouse.exports_dir / "events")
    publish_two_days(warehouse)
    assert_same_tables(before, published_tables(warehouse))
    assert _files(warehouse.exports_dir / "events") == exported  # byte for byte


def test_replacing_a_day_rebuilds_the_events_it_touched(warehouse):
    publish_two_days(warehouse)
    warehouse.publish_partition(AUG7, articles_of(article("a2", AUG7)), NOTHING, mentions_frame())
    (event,) = published_tables(warehouse)["events"].itertuples()
    assert (event.num_mentions, event.num_articles) == (1, 1)
    warehouse.publish_partition(AUG6, articles_of(), NOTHING, mentions_frame())
    tables = published_tables(warehouse)
    assert tables["events"].empty and tables["dyad_day"].empty and tables["dyad_month"].empty
    assert not (warehouse.exports_dir / "events" / "event_date=2024-08-06").exists()
    assert not (warehouse.exports_dir / "dyad_month" / "month=2024-08-01").exists()


def test_a_publication_writes_and_checks_only_the_events_it_changes(warehouse):
    written = []

    def record(con, change):
        ids = con.execute("SELECT event_id FROM events_written ORDER BY ALL").fetchall()
        written.append([i for (i,) in ids])
        return candidate_validator()(con, change)

    publish_two_days(warehouse, record)
    (event,) = published_tables(warehouse)["events"].itertuples()
    # the first day adds the event, the second changes it (one mention more)
    assert written == [[event.event_id], [event.event_id]] and event.num_mentions == 2
    before = published_tables(warehouse)
    again = warehouse.publish_partition(
        AUG7,
        articles_of(article("a2", AUG7, "Herald")),
        NOTHING,
        mentions_frame(mention_row("a2", AUG7, event_date=AUG6)),
        record,
    )
    assert written[-1] == []
    (checked,) = [o for o in again.outcomes if o.name == "events_valid"]
    assert checked.passed and checked.metadata["rows"] == 0
    assert_same_tables({"events": before["events"]}, published_tables(warehouse, ["events"]))


@pytest.mark.slow
def test_the_events_a_day_touches_are_rebuilt_as_a_full_rebuild_would(warehouse):
    # Each publication rebuilds only the events of the day's mentions and of the stories its
    # copies repeat; the result must be what rebuilding everything gives.
    days = stream(days=8, per_day=12)
    publish_all(warehouse, days)
    # a day republished with half its articles (copies of its stories elsewhere stay), then
    # an earlier day again, whole
    late, early = days[5], days[2]
    kept = late.articles.iloc[::2]
    warehouse.publish_partition(
        late.day,
        kept,
        late.quarantine,
        late.mentions[late.mentions["article_id"].isin(kept["article_id"])],
    )
    warehouse.publish_partition(early.day, early.articles, early.quarantine, early.mentions)
    names = ["events", "dyad_day", "dyad_month", "country_month"]
    incremental = published_tables(warehouse, names)
    assert len(incremental["events"]) > 50
    warehouse.rebuild()
    assert_same_tables(incremental, published_tables(warehouse, names))


def test_non_dyadic_mentions_are_kept_but_make_no_event(warehouse):
    row = mention_row("a1", AUG6, target_actor=None, target=None)
    warehouse.publish_partition(
        AUG6, articles_of(article("a1", AUG6)), NOTHING, mentions_frame(row)
    )
    tables = published_tables(warehouse)
    assert len(tables["event_mentions"]) == 1 and not tables["event_mentions"].is_dyadic[0]
    assert tables["events"].empty


def test_the_deduplication_rule_is_configurable_and_a_change_rebuilds_every_date(tmp_path):
    rows = [
        mention_row("a1", AUG6, event_code="171"),
        mention_row("a1", AUG6, sentence_index=1, event_code="1711"),
        mention_row("a1", AUG6, sentence_index=2, event_code="1711"),
    ]
    path, exports = tmp_path / "w.duckdb", tmp_path / "exports"
    default = Warehouse(path, exports)
    default.publish_partition(
        AUG6, articles_of(article("a1", AUG6)), NOTHING, mentions_frame(*rows)
    )
    assert sorted(published_tables(default)["events"]["event_code"]) == ["171", "1711"]

    by_base = Warehouse(
        path, exports, dedup=DedupRule.parse("event_date,source_actor,target_actor,event_base_code")
    )
    by_base.publish_partition(AUG7, articles_of(), NOTHING, mentions_frame())  # another day
    (event,) = published_tables(by_base)["events"].itertuples()
    assert event.event_code == "1711"  # the code most mentions give
    assert event.num_mentions == 3
    assert event.event_id == hashlib.sha256(b"2024-08-06|NER|UKR|171").hexdigest()[:20]
    assert (
        by_base.last_release()["dedup_key"]
        == "event_date,source_actor,target_actor,event_base_code"
    )


def test_an_invalid_rule_is_refused_with_the_reason():
    with pytest.raises(InvalidRule, match="exactly one of event_code"):
        DedupRule.parse("event_date,source_actor,target_actor")
    with pytest.raises(InvalidRule):
        DedupRule.parse("event_date,source_actor,target_actor,event_code,sentence")


def test_a_failing_candidate_is_not_published(warehouse):
    days = stream(days=3)
    publish_all(warehouse, days[:2])
    before, exported = published_tables(warehouse), _files(warehouse.exports_dir)
    published = warehouse.path.read_bytes()
    seen = []

    def too_many_conflicts(con, change):
        seen.append(change)
        conflict = con.execute(
            "SELECT count(*) FROM events WHERE quad_class = 4 AND event_date IN "
            "(SELECT event_date FROM affected_dates)"
        ).fetchall()[0][0]
        return [
            CheckOutcome(
                "no_material_conflict", conflict == 0, f"{conflict} events", Severity.ERROR
            )
        ]

    last = days[2]
    with pytest.raises(PublicationRejected, match="no_material_conflict") as rejected:
        warehouse.publish_partition(
            last.day, last.articles, last.quarantine, last.mentions, validate=too_many_conflicts
        )
    assert seen[0].day == last.day and seen[0].event_dates
    assert any(o.name == "events_counts_consistent" and o.passed for o in rejected.value.outcomes)
    assert warehouse.path.read_bytes() == published
    assert_same_tables(before, published_tables(warehouse))
    assert _files(warehouse.exports_dir) == exported
    assert not swap.candidate_path(warehouse.path).exists()


def test_a_warning_does_not_block_publication(warehouse):
    def warn(con, change):
        return [CheckOutcome("volume", False, "unusual volume", Severity.WARN)]

    result = warehouse.publish_partition(
        AUG6,
        articles_of(article("a1", AUG6)),
        NOTHING,
        mentions_frame(mention_row("a1", AUG6)),
        validate=warn,
    )
    assert [o.name for o in result.outcomes if not o.passed] == ["volume"]
    assert len(published_tables(warehouse)["events"]) == 1


def test_a_failed_transaction_leaves_the_partition_as_it_was(warehouse):
    publish_two_days(warehouse)
    before = published_tables(warehouse)
    broken = mentions_frame(mention_row("a1", AUG6)).assign(mention_id=None)  # violates NOT NULL
    with pytest.raises(duckdb.ConstraintException):
        warehouse.publish_partition(AUG6, articles_of(article("a9", AUG6)), NOTHING, broken)
    assert_same_tables(before, published_tables(warehouse))
    assert not swap.candidate_path(warehouse.path).exists()


def test_the_published_file_is_never_opened_for_writing(warehouse):
    publish_two_days(warehouse)
    with (
        pytest.raises(ValueError, match="never opened for writing"),
        warehouse.connect(read_only=False),
    ):
        pass


def _alter_published(warehouse, statement):
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute(statement)


def test_older_warehouses_are_brought_up_to_the_dictionary(warehouse, tmp_path):
    publish_two_days(warehouse)
    before = published_tables(warehouse)
    # An older dyadflow: articles without duplicate_of, events without coder_version.
    _alter_published(warehouse, "ALTER TABLE articles DROP COLUMN duplicate_of")
    _alter_published(warehouse, "ALTER TABLE events DROP COLUMN coder_version")
    warehouse.publish_codebook()
    assert_same_tables(before, published_tables(warehouse))


def test_an_older_warehouse_takes_one_sided_mentions_after_migration(warehouse):
    from pipelines.datamodel.record_frames import quarantine_frame
    from tests.factories import article, articles_of, mention_row, mentions_frame
    from tests.warehouse.helpers import AUG6

    publish_two_days(warehouse)
    # An older dyadflow required a named source on every mention.
    _alter_published(warehouse, "ALTER TABLE event_mentions ALTER COLUMN source_actor SET NOT NULL")
    car_bomb = mention_row(
        "a9", AUG6, source_actor=None, source=None, event_code="1832", target_actor="UKRCVL"
    )
    assert car_bomb["is_dyadic"] is False
    warehouse.publish_partition(
        AUG6,
        articles_of(article("a1", AUG6, "Wire"), article("a9", AUG6, "Herald")),
        quarantine_frame([]),
        mentions_frame(mention_row("a1", AUG6), car_bomb),
    )
    with warehouse.connect() as con:
        rows = con.execute(
            "SELECT source_actor, target_actor, is_dyadic FROM event_mentions "
            "WHERE article_id = 'a9'"
        ).fetchall()
        nullable = con.execute(
            "SELECT is_nullable FROM duckdb_columns() "
            "WHERE table_name = 'event_mentions' AND column_name = 'source_actor'"
        ).fetchone()[0]
        in_events = con.execute("SELECT count(*) FROM events WHERE target_actor = 'UKRCVL'")
        assert in_events.fetchone()[0] == 0  # one-sided acts stay out of the dyadic events
    assert rows == [(None, "UKRCVL", False)] and nullable


def test_a_stale_candidate_from_a_killed_run_is_replaced(warehouse):
    publish_two_days(warehouse)
    shutil.copyfile(warehouse.path, swap.candidate_path(warehouse.path))
    with open(swap.candidate_path(warehouse.path), "r+b") as half_written:
        half_written.truncate(4096)
    before = published_tables(warehouse)
    publish_two_days(warehouse)
    assert_same_tables(before, published_tables(warehouse))


def _validation_record(folder, name, check, status="passed", failures=()):
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "validated_at": "2024-08-06T12:00:01.5",
        "suite": "event_mentions",
        "batch": "2024-08-06",
        "check_name": check,
        "status": status,
        "expectations": 20,
        "failed": len(failures),
        "errors": len(failures),
        "warnings": 0,
        "rows": 7,
        "failures": list(failures),
        "docs_page": None,
        "dagster_run_id": "run-1",
    }
    (folder / name).write_text(json.dumps(record))


def test_the_validation_history_is_published_with_each_release(warehouse):
    runs = warehouse.path.parent / "validation" / "runs" / "2024-08-06"
    _validation_record(runs, "a.json", "event_mentions_valid")
    _validation_record(runs, "b.json", "event_mentions_volume", "warned", ["[WARN] volume"])
    (runs / "c.json.tmp").write_text("{")  # a record being written: not one yet
    (runs / "d.json").write_text("{not json")  # unreadable: left for a later publication
    publish_two_days(warehouse)
    history = published_tables(warehouse, ["validation_runs"])["validation_runs"]
    assert list(history["record"]) == ["a.json", "b.json"]
    assert list(history.loc[1, "failures"]) == ["[WARN] volume"]
    _validation_record(runs, "e.json", "articles_valid")
    warehouse.publish_codebook()
    assert len(published_tables(warehouse, ["validation_runs"])["validation_runs"]) == 3


def test_the_candidate_is_built_within_the_writer_memory_limit(warehouse, monkeypatch):
    seen = []

    def record_limit(con, change):
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return []

    publish_two_days(warehouse, validate=record_limit)
    monkeypatch.setenv(MEMORY_ENV, "64MB")
    publish_two_days(warehouse, validate=record_limit)
    # DuckDB shows the limit in MiB: 64 MB is 61.0 MiB; by default it is DuckDB's own (80% of RAM)
    assert seen[2:] == ["61.0 MiB", "61.0 MiB"]
    assert seen[0] == seen[1] != "61.0 MiB"
    assert len(published_tables(warehouse)["events"]) == 1


def test_a_memory_limit_duckdb_cannot_read_is_refused_with_the_variable(warehouse, monkeypatch):
    monkeypatch.setenv(MEMORY_ENV, "lots")
    with pytest.raises(SettingError, match=r"DYADFLOW_DUCKDB_MEMORY='lots': not a DuckDB memory"):
        publish_two_days(warehouse)
    assert not swap.candidate_path(warehouse.path).exists()


def test_each_day_keeps_the_inputs_of_its_last_publication(warehouse, tmp_path):
    assert warehouse.published_inputs() == {}
    day = (articles_of(article("a1", AUG6)), NOTHING, mentions_frame(mention_row("a1", AUG6)))
    warehouse.publish_partition(AUG6, *day, inputs="first")
    warehouse.publish_partition(AUG7, articles_of(article("a2", AUG7)), NOTHING, mentions_frame())
    assert warehouse.published_inputs() == {AUG6: "first"}  # AUG7 recorded none: not up to date
    warehouse.publish_partition(AUG6, *day, inputs="second")
    assert warehouse.published_inputs() == {AUG6: "second"}
    warehouse.publish_partition(AUG6, *day)  # e.g. by an older dyadflow
    assert warehouse.published_inputs() == {}

    warehouse.publish_partition(AUG6, *day, inputs="third")
    coarser = DedupRule(("event_date", "source_actor", "target_actor", "event_root_code"))
    other_rule = Warehouse(warehouse.path, warehouse.exports_dir, dedup=coarser)
    assert other_rule.published_inputs() == {}  # every day must be published under the new rule
