"""What a data engineer relies on: a bad day is stopped by its blocking check and nothing of it
is published, with the reasons in the check's metadata; a warning lets the day through.

Real parts throughout: the daily job, the spaCy coder, Great Expectations, DuckDB files."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.definitions import build_definitions
from assets.runs import failures_of
from pipelines.settings import layout
from pipelines.validation.site import ValidationSite

pytestmark = pytest.mark.slow

GOOD_DAY, BAD_DAY = "2024-08-07", "2024-08-06"


@pytest.fixture
def faulty_lexicon(tmp_path):
    """A dictionary edit gone wrong: Niger re-coded with a four-letter code."""
    folder = tmp_path / "faulty"
    folder.mkdir()
    (folder / "countries.tsv").write_text(
        "code\tname\talso\tadjectives\tcapitals\nNER\t-\nNIGR\tNiger\t\tNigerien\tNiamey\n"
    )
    return folder


def _run(home, corpus, day, instance, dictionaries=()):
    defs = build_definitions(str(home))
    resources = {
        "sources": {"config": {"paths": [str(corpus)]}},
        "coder": {"config": {"extra_dictionaries": [str(d) for d in dictionaries]}},
    }
    return defs.resolve_job_def("daily_events").execute_in_process(
        partition_key=day,
        run_config={"resources": resources},
        instance=instance,
        raise_on_error=False,
    )


def _published_days(home) -> dict[str, int]:
    with duckdb.connect(str(layout(home).duckdb_path), read_only=True) as con:
        rows = con.execute(
            "SELECT published_date::VARCHAR, count(*) FROM articles GROUP BY 1 ORDER BY 1"
        ).fetchall()
    return dict(rows)


def _evaluation(result, name):
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == name]
    return evaluation


def test_a_bad_day_is_blocked_with_its_reasons_and_nothing_of_it_is_published(
    tmp_path, corpus, faulty_lexicon
):
    home = tmp_path / "data"
    with dg.DagsterInstance.ephemeral() as instance:
        assert _run(home, corpus, GOOD_DAY, instance).success
        before = _published_days(home)
        assert before == {GOOD_DAY: 2}

        result = _run(home, corpus, BAD_DAY, instance, [faulty_lexicon])

    assert not result.success
    failed, warnings, why = failures_of(result)  # what `dyadflow run` prints for the day
    assert failed == ["event_mentions:event_mentions_valid"]
    assert warnings == []
    assert why.startswith("event_mentions:event_mentions_valid: ") and "source_actor" in why
    evaluation = _evaluation(result, "event_mentions_valid")
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert "source_actor" in evaluation.description
    metadata = {k: v.value for k, v in evaluation.metadata.items()}
    assert "expect_column_values_to_match_regex" in metadata["failures"]
    assert "NIGR" in metadata["failures"]
    # The failing rows, with the sentence they were coded from.
    assert "Niger's military junta severed diplomatic ties" in metadata["sample_failing_rows"]
    docs_page = metadata["data_docs"]
    assert "NIGRGOV" in Path(docs_page).read_text()  # the junta: a government (docs/coding.md)

    # The coded mentions were staged, but publication never ran: the warehouse holds exactly
    # what it held before, and the day is missing from it.
    assert result.asset_materializations_for_node("event_mentions")
    assert result.asset_materializations_for_node("events") == []
    assert _published_days(home) == before

    history = ValidationSite.under(home).history()
    failed = history[(history.batch == BAD_DAY) & (history.check_name == "event_mentions_valid")]
    assert list(failed.status) == ["failed"]
    assert failed.iloc[0].dagster_run_id == result.run_id


def test_a_blocked_day_is_in_validation_runs_at_once_and_its_dictionary_is_not_published(
    tmp_path, corpus, faulty_lexicon, monkeypatch
):
    home = tmp_path / "data"
    defs = build_definitions(str(home))
    with dg.DagsterInstance.ephemeral() as instance:
        assert _run(home, corpus, GOOD_DAY, instance).success
        published = _dictionary(home)
        # The edit goes in as `dyadflow run` takes it; the run publishes the codebook first.
        monkeypatch.setenv("DYADFLOW_DICTIONARIES", str(faulty_lexicon))
        codebook = defs.resolve_job_def("codebook").execute_in_process(instance=instance)
        assert codebook.success
        result = _run(home, corpus, BAD_DAY, instance)

    assert failures_of(result)[0] == ["event_mentions:event_mentions_valid"]
    # The query docs/operations.md gives, right after the blocked run.
    with duckdb.connect(str(layout(home).duckdb_path), read_only=True) as con:
        blocked = con.execute(
            "SELECT batch AS day, check_name, status, dagster_run_id FROM validation_runs "
            "WHERE status <> 'passed' ORDER BY validated_at DESC"
        ).fetchall()
    assert blocked == [(BAD_DAY, "event_mentions_valid", "failed", result.run_id)]
    assert _published_days(home) == {GOOD_DAY: 2}
    # The rejected dictionary was never published: the events' one still is.
    assert _dictionary(home) == published
    assert "NIGR" not in published[1]


def _dictionary(home) -> tuple[str, set[str]]:
    with duckdb.connect(str(layout(home).duckdb_path), read_only=True) as con:
        (version,) = con.execute(
            "SELECT dictionary_version FROM releases ORDER BY release_id DESC LIMIT 1"
        ).fetchone()
        codes = {r[0] for r in con.execute("SELECT DISTINCT code FROM actor_dictionary").fetchall()}
    return version, codes


def test_a_day_far_below_the_recent_volume_warns_and_is_published(tmp_path, corpus):
    home = tmp_path / "data"
    with dg.DagsterInstance.ephemeral() as instance:
        # A week of busy days before it, as recorded by earlier materialisations.
        for day in range(30, 37):
            partition = f"2024-07-{day}" if day <= 31 else f"2024-08-{day - 31:02d}"
            instance.report_runless_asset_event(
                dg.AssetMaterialization(
                    "articles", partition=partition, metadata={"dagster/row_count": 40}
                )
            )
        result = _run(home, corpus, BAD_DAY, instance)

    assert result.success
    assert failures_of(result) == ([], ["articles:articles_volume"], "")
    volume = _evaluation(result, "articles_volume")
    assert not volume.passed
    assert volume.severity == dg.AssetCheckSeverity.WARN
    assert "far outside" in volume.description
    assert volume.metadata["expected_low"].value == 20
    assert volume.metadata["recent_days"].value == 7
    assert volume.metadata["recent_counts"].value == [40] * 7
    assert _evaluation(result, "articles_valid").passed
    assert result.asset_materializations_for_node("events")
    assert _published_days(home) == {BAD_DAY: 3}


def test_a_day_whose_publication_fails_is_reported_with_the_error_itself(
    tmp_path, corpus, monkeypatch
):
    monkeypatch.setenv("DYADFLOW_DUCKDB_MEMORY", "lots")
    with dg.DagsterInstance.ephemeral() as instance:
        result = _run(tmp_path / "data", corpus, GOOD_DAY, instance)

    assert not result.success
    failed, warnings, why = failures_of(result)
    assert (failed, warnings) == ([], [])
    # the step and the first line of its error, not "Execution of step "events" failed."
    assert why.startswith("events: ")
    assert "DYADFLOW_DUCKDB_MEMORY='lots': not a DuckDB memory limit" in why
    assert "\n" not in why
