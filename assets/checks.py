"""Asset checks: Great Expectations suites that block publication when they fail."""

import dagster as dg
import pandas as pd

from assets.partitions import daily_partitions, partition_day
from pipelines.validation import suites
from pipelines.validation.runner import validate


@dg.asset_check(
    asset="event_mentions",
    blocking=True,
    partitions_def=daily_partitions,
    description="Great Expectations: codes exist in the CAMEO codebook, Goldstein in [-10, 10], "
    "quad class 1-4, actor codes well formed and not null, source differs from target, event "
    "dates plausible. Failing blocks publication of the day.",
)
def event_mentions_valid(context: dg.AssetCheckExecutionContext, event_mentions: pd.DataFrame):
    day = partition_day(context.partition_key)
    outcome = validate("event_mentions", suites.event_mentions(day), event_mentions)
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=outcome.describe(),
        metadata={
            "rows": outcome.rows,
            "expectations": outcome.evaluated,
            "failed": len(outcome.failures),
            "failures": dg.MetadataValue.md(
                "\n".join(f"- {f}" for f in outcome.failures) or "none"
            ),
        },
    )
