"""A blocked day's validations reach ``validation_runs`` when they run, and the published actor
dictionary stays the one the published events were coded with.

Real DuckDB files, real validation records under the warehouse's data folder."""

import json

import pandas as pd
import pytest

from pipelines.coding.version import DEFAULT_MODEL, version_string
from pipelines.datamodel.outcomes import CheckOutcome, Severity
from pipelines.datamodel.record_frames import quarantine_frame
from pipelines.warehouse import codebook_tables
from pipelines.warehouse.integrity import PublicationRejected
from pipelines.warehouse.store import Warehouse
from tests.factories import article, articles_of, mention_row, mentions_frame
from tests.warehouse.helpers import (
    AUG6,
    AUG7,
    assert_same_tables,
    publish_two_days,
    published_tables,
)

NOTHING = quarantine_frame([])


def _record(home, batch, name, status="failed"):
    folder = home / "validation" / "runs" / batch
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "validated_at": "2024-08-08T12:00:01.5",
        "suite": "event_mentions",
        "batch": batch,
        "check_name": "event_mentions_valid",
        "status": status,
        "expectations": 20,
        "failed": 1,
        "errors": 1,
        "warnings": 0,
        "rows": 7,
        "failures": ["[ERROR] expect_column_values_to_match_regex on source_actor"],
        "docs_page": None,
        "dagster_run_id": "run-9",
    }
    (folder / name).write_text(json.dumps(record))


def _blocked_query(warehouse):
    """The query docs/operations.md gives for validations that did not pass."""
    with warehouse.connect() as con:
        return con.execute(
            "SELECT batch AS day, check_name, status FROM validation_runs "
            "WHERE status <> 'passed' ORDER BY validated_at DESC"
        ).fetchall()


def test_a_blocked_days_validations_are_published_at_once_and_nothing_else(warehouse):
    publish_two_days(warehouse)
    before = published_tables(warehouse)
    release = warehouse.last_release()["release_id"]
    _record(warehouse.path.parent, "2024-08-08", "blocked.json")

    result = warehouse.record_validations()

    assert result is not None and result.release_id == release + 1
    assert _blocked_query(warehouse) == [("2024-08-08", "event_mentions_valid", "failed")]
    assert_same_tables(before, published_tables(warehouse))
    last = warehouse.last_release()
    assert last["action"] == "validations" and pd.isna(last["day"])
    assert list(last["event_dates"]) == []
    # Nothing new to record: no release.
    assert warehouse.record_validations() is None
    assert warehouse.last_release()["release_id"] == release + 1


def test_validations_before_any_publication_start_the_warehouse(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")
    assert warehouse.record_validations() is None  # no records, no warehouse
    assert not warehouse.path.exists()
    _record(tmp_path, "2024-08-06", "first.json")
    warehouse.record_validations()
    assert _blocked_query(warehouse) == [("2024-08-06", "event_mentions_valid", "failed")]


def test_a_rejected_candidate_leaves_its_validations_published(warehouse):
    publish_two_days(warehouse)
    before = published_tables(warehouse)

    def reject(con, change):
        # What candidate_validator does: record the validation, then report it.
        _record(warehouse.path.parent, change.day.isoformat(), "events.json")
        return [CheckOutcome("events_valid", False, "bad events", Severity.ERROR)]

    with pytest.raises(PublicationRejected, match="events_valid"):
        warehouse.publish_partition(
            AUG7,
            articles_of(article("a3", AUG7, "Post")),
            NOTHING,
            mentions_frame(mention_row("a3", AUG7)),
            reject,
        )
    assert _blocked_query(warehouse) == [("2024-08-07", "event_mentions_valid", "failed")]
    assert_same_tables(before, published_tables(warehouse))


@pytest.fixture
def edit(tmp_path, monkeypatch):
    """A dictionary edit: $DYADFLOW_DICTIONARIES names a folder adding an organisation."""

    def edit(line: str) -> str:
        folder = tmp_path / f"lexicon-{len(list(tmp_path.glob('lexicon-*')))}"
        folder.mkdir()
        (folder / "organisations.tsv").write_text(f"name\tcode\talso\n{line}\n")
        monkeypatch.setenv("DYADFLOW_DICTIONARIES", str(folder))
        return codebook_tables.dictionary_version()

    return edit


def _coded_with(version, *rows):
    frame = mentions_frame(*rows)
    frame["coder_version"] = version_string(DEFAULT_MODEL, version)
    return frame


def _published_dictionary(warehouse):
    with warehouse.connect() as con:
        phrases = {r[0] for r in con.execute("SELECT phrase FROM actor_dictionary").fetchall()}
    return phrases, warehouse.last_release()["dictionary_version"]


@pytest.mark.slow
def test_the_published_dictionary_is_the_one_the_events_were_coded_with(warehouse, edit):
    first = codebook_tables.dictionary_version()
    warehouse.publish_partition(
        AUG6,
        articles_of(article("a1", AUG6, "Wire")),
        NOTHING,
        _coded_with(first, mention_row("a1", AUG6)),
    )
    assert "Bogus Front" not in _published_dictionary(warehouse)[0]

    # An edit whose day was blocked: neither a codebook release nor the recording of the
    # blocked day's validations publishes it ahead of the events.
    edited = edit("Bogus Front\tIGOBOG")
    assert edited != first
    warehouse.publish_codebook()
    phrases, version = _published_dictionary(warehouse)
    assert "Bogus Front" not in phrases and version == first
    _record(warehouse.path.parent, "2024-08-07", "blocked.json")
    warehouse.record_validations()
    phrases, version = _published_dictionary(warehouse)
    assert "Bogus Front" not in phrases and version == first

    # A day coded with the edit is published: the dictionary goes with it.
    warehouse.publish_partition(
        AUG7,
        articles_of(article("a2", AUG7, "Herald")),
        NOTHING,
        _coded_with(edited, mention_row("a2", AUG7)),
    )
    phrases, version = _published_dictionary(warehouse)
    assert "Bogus Front" in phrases and version == edited
    assert edited in warehouse.last_release()["coder_versions"]


def test_an_empty_warehouse_takes_the_dictionary_in_force(warehouse, edit):
    edited = edit("Bogus Front\tIGOBOG")
    warehouse.publish_codebook()
    phrases, version = _published_dictionary(warehouse)
    assert "Bogus Front" in phrases and version == edited
