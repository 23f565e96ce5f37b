"""Check outcomes as Dagster shows them: the one mapping from a ``CheckOutcome``
(pipelines/datamodel/outcomes.py) to an asset check result, its severity and its metadata."""

from pathlib import Path

import dagster as dg

from pipelines.datamodel.outcomes import CheckOutcome, Severity

SEVERITY = {
    Severity.ERROR: dg.AssetCheckSeverity.ERROR,
    Severity.WARN: dg.AssetCheckSeverity.WARN,
}


def metadata_value(value):
    """Plain outcome metadata as the UI shows it best: paths, Markdown, numbers, JSON, text."""
    if isinstance(value, Path) or (isinstance(value, str) and value.endswith(".html")):
        return dg.MetadataValue.path(str(value))
    if isinstance(value, (list, dict)):
        return dg.MetadataValue.json(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return dg.MetadataValue.text(str(value))
    if isinstance(value, str):
        return dg.MetadataValue.md(value) if "\n" in value else dg.MetadataValue.text(value)
    return value


def check_result(outcome: CheckOutcome, asset_key: str | None = None) -> dg.AssetCheckResult:
    """``outcome`` as the result of its check; ``asset_key`` names the asset (and the check
    by the outcome's name) when the result is not returned by the check's own function."""
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=outcome.name if asset_key else None,
        passed=outcome.passed,
        severity=SEVERITY[Severity(outcome.severity)],
        description=outcome.description,
        metadata={k: metadata_value(v) for k, v in outcome.metadata.items() if v is not None},
    )
