"""End to end: real Dagster materialisations of the real assets, with the real spaCy coder,
real Great Expectations checks and a real DuckDB file in a temporary data folder."""

import dagster as dg
import duckdb
import pandas as pd
import pytest

from assets.definitions import DAILY_ASSETS, build_definitions
from pipelines.settings import layout
from pipelines.warehouse.staging import StagingStore

pytestmark = pytest.mark.slow

DAY1, DAY2 = "2024-08-06", "2024-08-07"
TABLES = ("articles", "event_mentions", "events", "quarantine")


def _materialise(home, corpus, day, selection=None):
    defs = build_definitions(str(home))
    sources = {"sources": {"config": {"paths": [str(corpus)]}}}
    return dg.materialize(
        [*defs.assets, *defs.asset_checks],
        resources=defs.resources,
        partition_key=day,
        selection=selection or dg.AssetSelection.assets(*DAILY_ASSETS),
        run_config={"resources": sources},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def _tables(home) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(layout(home).duckdb_path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchdf() for t in TABLES}


@pytest.fixture(scope="module")
def published(tmp_path_factory, corpus):
    home = tmp_path_factory.mktemp("home")
    results = [_materialise(home, corpus, day) for day in (DAY1, DAY2)]
    return home, results


def test_two_days_publish_real_events(published):
    home, results = published
    assert all(r.success for r in results)
    tables = _tables(home)
    assert sorted(tables["articles"]["article_id"]) == ["fx-1", "fx-2", "fx-3", "fx-4", "fx-5"]
    events = tables["events"]
    niger_ukraine = events[
        events.source_actor.str.startswith("NER")
        & events.target_actor.str.startswith("UKR")
        & (events.event_code == "161")
    ]
    assert len(niger_ukraine) >= 1
    mention = tables["event_mentions"].query("article_id == 'fx-1' and event_code == '161'").iloc[0]
    sentence = mention.sentence
    assert sentence[mention.source_start : mention.source_end] == mention.source_text
    assert sentence[mention.target_start : mention.target_end] == "Ukraine"
    assert "severed" in sentence[mention.trigger_start : mention.trigger_end]
    assert mention.coder_version


def test_broken_records_are_quarantined_and_their_neighbours_published(published, corpus):
    home, _ = published
    tables = _tables(home)
    quarantine = tables["quarantine"]
    reasons = dict(zip(quarantine.location, quarantine.reason, strict=True))
    assert set(reasons) == {"line 3", "line 7"}
    assert "invalid JSON" in reasons["line 3"]
    assert "not an ISO 8601" in reasons["line 7"]
    assert set(quarantine.source_file) == {str(corpus)}
    # The records on either side of the broken line 3 went through.
    assert {"fx-2", "fx-3"} <= set(tables["articles"]["article_id"])


def test_rematerialising_a_partition_leaves_identical_tables(published, corpus):
    home, _ = published
    before = _tables(home)
    assert _materialise(home, corpus, DAY1).success
    after = _tables(home)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_a_failing_expectation_blocks_publication(tmp_path, corpus):
    home = tmp_path
    staged = _materialise(
        home,
        corpus,
        DAY1,
        dg.AssetSelection.assets("articles", "quarantined_records", "event_mentions"),
    )
    assert staged.success
    store = StagingStore(layout(home).staging_dir)
    mentions = store.read("event_mentions", DAY1)
    assert len(mentions) > 0
    mentions["goldstein"] = 42.0  # a faulty coder: out of the Goldstein range
    store.write("event_mentions", DAY1, mentions)

    result = _materialise(
        home,
        corpus,
        DAY1,
        dg.AssetSelection.assets("events") | dg.AssetSelection.checks_for_assets("event_mentions"),
    )
    (evaluation,) = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "event_mentions_valid"
    ]
    assert not evaluation.passed
    assert "goldstein" in evaluation.description
    assert not result.success
    assert result.asset_materializations_for_node("events") == []
    # Nothing of the day was published; the warehouse holds only the day's validation records,
    # written when the check blocked it.
    with duckdb.connect(str(layout(home).duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
        failed = con.execute(
            "SELECT suite FROM validation_runs WHERE status = 'failed' AND batch = ?",
            [DAY1],
        ).fetchall()
    assert ("event_mentions",) in failed
