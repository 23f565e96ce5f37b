"""One outcome of a check, one severity, one mapping to Dagster: what a check result shows
follows from the ``CheckOutcome`` alone, whichever check made it."""

import json
from pathlib import Path

import dagster as dg

from assets.check_results import check_result
from pipelines.datamodel.outcomes import Change, CheckOutcome, ReleaseAction, Severity, Status
from pipelines.validation.findings import Failure, Validation, check_outcome


def _failure(severity: Severity) -> Failure:
    return Failure("expect_column_values_to_not_be_null", "title", 3, 30.0, ["a1"], severity)


def _validation(*failures: Failure, docs_page: Path | None = None) -> Validation:
    return Validation("articles", not failures, 4, 10, list(failures), docs_page=docs_page)


def test_a_passed_check_keeps_its_nominal_severity_a_failed_one_the_worst_failure():
    passed = check_outcome("articles_valid", [_validation()])
    assert (passed.passed, passed.severity, passed.blocks) == (True, Severity.ERROR, False)
    volume = check_outcome("articles_volume", [_validation()], nominal=Severity.WARN)
    assert volume.severity == Severity.WARN

    warned = check_outcome("articles_valid", [_validation(_failure(Severity.WARN))])
    assert (warned.passed, warned.severity, warned.blocks, warned.warns) == (
        False,
        Severity.WARN,
        False,
        True,
    )
    failed = check_outcome(
        "aggregates_valid",
        [_validation(_failure(Severity.WARN)), _validation(_failure(Severity.ERROR))],
    )
    assert failed.blocks and failed.severity == Severity.ERROR
    assert failed.metadata["failed"] == 2 and failed.metadata["rows"] == 20


def test_the_check_result_shows_the_outcome_and_its_metadata_as_the_ui_reads_them(tmp_path):
    page = tmp_path / "page.html"
    outcome = check_outcome(
        "articles_volume",
        [_validation(_failure(Severity.WARN), docs_page=page)],
        nominal=Severity.WARN,
        description="2 rows: far outside it",
        metadata={"recent_counts": [40, 41], "expected_low": None, "recent_days": 2},
    )
    result = check_result(outcome)
    assert (result.passed, result.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert result.description == "2 rows: far outside it"
    assert result.check_name is None and result.asset_key is None
    metadata = result.metadata
    assert "expected_low" not in metadata
    assert metadata["recent_days"] == dg.IntMetadataValue(2)
    assert metadata["recent_counts"] == dg.MetadataValue.json([40, 41])
    assert metadata["data_docs"] == dg.MetadataValue.path(str(page))
    assert isinstance(metadata["failures"], dg.MarkdownMetadataValue)
    assert "| WARN | expect_column_values_to_not_be_null | title |" in metadata["failures"].value

    blocking = check_result(CheckOutcome("events_valid", False, "bad"), asset_key="events")
    assert blocking.severity == dg.AssetCheckSeverity.ERROR
    assert (blocking.asset_key, blocking.check_name) == (dg.AssetKey("events"), "events_valid")


def test_the_vocabulary_is_written_as_the_strings_already_stored():
    record = {
        "status": Status.of(Severity.WARN),
        "action": ReleaseAction.PUBLISH_DAY,
        "failures": [f"[{Severity.ERROR}] x"],
    }
    assert json.loads(json.dumps(record)) == {
        "status": "warned",
        "action": "publish day",
        "failures": ["[ERROR] x"],
    }
    assert [Status.of(s) for s in (None, Severity.ERROR)] == ["passed", "failed"]
    change = Change(1, None, (), ReleaseAction.CODEBOOK)
    assert change.name == "codebook" and type(change.name) is str
    assert str(CheckOutcome("x", False, "y", Severity.WARN)) == "x: FAILED (WARN): y"
