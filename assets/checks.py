"""Asset checks on the day being built: Great Expectations suites (pipelines/validation).

Two checks per staged asset:

- ``<asset>_valid`` (blocking): the asset's suite. A failed critical expectation is an ERROR
  and stops everything downstream, publication included; failed warning-level expectations
  (null rates, URL shapes) give a WARN and let the day through.
- ``<asset>_volume`` (WARN): the day's row count against the recent days' counts, read from
  the materialisations recorded in the Dagster instance.

Each result carries the failing expectations, a few failing rows and the path of its Data Docs
page; every validation is also kept in the history under <home>/validation (the warehouse's
``validation_runs`` table). A day a failed check blocks has its records published at once, with
no data (``Warehouse.record_validations``): it will not be published to bring them along. Great Expectations is imported inside the checks only, so loading
the definitions stays quick.
"""

import warnings
from datetime import date, timedelta

import dagster as dg
import pandas as pd

from assets.check_results import check_result
from assets.partitions import daily_partitions, partition_day
from assets.resources import ValidationResource, WarehouseResource
from pipelines.datamodel.outcomes import CheckOutcome, Severity
from pipelines.datamodel.tables import ARTICLES, EVENT_MENTIONS
from pipelines.validation.failure_tables import sample_rows_table
from pipelines.validation.findings import check_outcome
from pipelines.validation.structural import describe
from pipelines.validation.volume import MIN_HISTORY, RECENT_DAYS

ROW_COUNT = "dagster/row_count"
_DAY = "the partition's day"  # what a day's partition column is held to
# The columns shown next to the keys of a suite's failing rows.
SHOWN = {
    "articles": ("title", "source_file", "source_line"),
    "event_mentions": ("article_id", "sentence"),
}


def daily_check_spec(name: str, asset: str, description: str) -> dg.AssetCheckSpec:
    """A check spec on the daily partitions, for checks an asset runs itself (see daily_check)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r".*partitions_def on an AssetCheckSpec", category=dg.PreviewWarning
        )
        return dg.AssetCheckSpec(
            name, asset=asset, description=description, partitions_def=daily_partitions
        )


def daily_check(**kwargs):
    """``dg.asset_check`` on the daily partitions: each day is checked, and shown, on its own.

    Partitioned asset checks are a Dagster preview feature (1.13); its notice is silenced
    here, and only here, because a check of a partitioned asset cannot load its partition
    without it.
    """

    def decorate(fn):
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message=r".*partitions_def on an AssetCheckSpec",
                category=dg.PreviewWarning,
            )
            return dg.asset_check(partitions_def=daily_partitions, **kwargs)(fn)

    return decorate


@daily_check(
    asset="articles",
    blocking=True,
    description="Great Expectations on the day's articles. ERROR (blocks coding and "
    f"publication): {describe(ARTICLES, _DAY)}; published_at inside that day; no article a "
    "copy of itself. WARN: more than 5% of titles, URLs or outlets missing, URLs not http(s), "
    "a language other than English, texts under 50 characters.",
)
def articles_valid(
    context: dg.AssetCheckExecutionContext,
    articles: pd.DataFrame,
    validation: ValidationResource,
    warehouse: WarehouseResource,
) -> dg.AssetCheckResult:
    from pipelines.validation import suites

    day = partition_day(context.partition_key)
    return _run_suite(
        context,
        validation,
        warehouse,
        "articles",
        suites.articles(day),
        articles,
        key="article_id",
        shown=SHOWN["articles"],
    )


@daily_check(
    asset="event_mentions",
    blocking=True,
    description="Great Expectations on the day's coded mentions. ERROR (blocks publication): "
    f"{describe(EVENT_MENTIONS, _DAY)}; a source and a target on every dyadic mention, source "
    "differs from target; spans not reversed, trigger spans not empty; event date within the "
    "ten years before the publication day; a date text on every act dated to the day. WARN: "
    "more than one coder version in the day.",
)
def event_mentions_valid(
    context: dg.AssetCheckExecutionContext,
    event_mentions: pd.DataFrame,
    validation: ValidationResource,
    warehouse: WarehouseResource,
) -> dg.AssetCheckResult:
    from pipelines.validation import suites

    day = partition_day(context.partition_key)
    return _run_suite(
        context,
        validation,
        warehouse,
        "event_mentions",
        suites.event_mentions(day),
        event_mentions,
        key="mention_id",
        shown=SHOWN["event_mentions"],
        # The day's last staged validation: it renders the day's Data Docs pages so far.
        render_docs=True,
    )


@daily_check(
    asset="articles",
    description=f"Volume: the day's article count is within half the smallest and twice the "
    f"largest count of up to {RECENT_DAYS} earlier days (judged from {MIN_HISTORY} days on). "
    "Warns only: a quiet news day is no error, but an empty day often means a broken feed.",
)
def articles_volume(
    context: dg.AssetCheckExecutionContext,
    articles: pd.DataFrame,
    validation: ValidationResource,
    warehouse: WarehouseResource,
) -> dg.AssetCheckResult:
    return _run_volume(context, validation, warehouse, "articles", articles)


@daily_check(
    asset="event_mentions",
    description=f"Volume: the day's count of coded mentions is within half the smallest and "
    f"twice the largest count of up to {RECENT_DAYS} earlier days (judged from {MIN_HISTORY} "
    "days on). Warns only: a sudden drop or surge usually means a changed source or lexicon.",
)
def event_mentions_volume(
    context: dg.AssetCheckExecutionContext,
    event_mentions: pd.DataFrame,
    validation: ValidationResource,
    warehouse: WarehouseResource,
) -> dg.AssetCheckResult:
    return _run_volume(context, validation, warehouse, "event_mentions", event_mentions)


def _run_suite(
    context, validation, warehouse, table, expectations, frame, *, key, shown, render_docs=False
):
    from pipelines.validation import runner

    site = validation.site()
    batch = context.partition_key
    validated = runner.validate(table, expectations, frame, key=key, batch=batch, site=site)
    if render_docs:
        runner.render_docs(site, batch)
    _record(context, site, warehouse, validated)
    return check_result(valid_outcome(_name(context), validated, frame, key, shown))


def valid_outcome(name: str, validated, frame, key: str, shown) -> CheckOutcome:
    """The outcome of a ``<asset>_valid`` check: its validation, with a few failing rows."""
    sample = sample_rows_table(validated.failures, frame, key, shown)
    return check_outcome(name, [validated], samples=[sample])


def _run_volume(context, validation, warehouse, table, frame):
    from pipelines.validation.volume import judge

    day = partition_day(context.partition_key)
    recent = _recent_counts(context.instance, dg.AssetKey(table), day)
    validated = judge(table, len(frame), recent, batch=context.partition_key)
    _record(context, validation.site(), warehouse, validated)
    return check_result(volume_outcome(_name(context), validated, frame, recent))


def volume_outcome(name: str, validated, frame, recent: list[int]) -> CheckOutcome:
    """The outcome of a ``<asset>_volume`` check, from its validation and the recent counts."""
    from pipelines.validation.volume import expected_range

    expected = expected_range(recent)
    judged = (
        f"{len(frame)} rows; recent range {expected}"
        if expected
        else f"{len(frame)} rows; not judged: {len(recent)} of the {MIN_HISTORY} earlier days "
        "needed have been materialised"
    )
    return check_outcome(
        name,
        [validated],
        nominal=Severity.WARN,
        description=judged if validated.success else f"{judged}: far outside it",
        metadata={
            "recent_days": len(recent),
            "expected_low": expected.low if expected else None,
            "expected_high": expected.high if expected else None,
            "recent_counts": recent,
        },
    )


def _name(context) -> str:
    return context.check_specs[0].name


def _record(context, site, warehouse, validated) -> None:
    """Keep ``validated`` in the history; when this run's day is blocked, publish the records.

    Each check of a blocked run publishes those recorded so far, so a check that runs after
    the blocking one is not left for the next publication either.
    """
    run_id = context.op_execution_context.run_id
    site.record(validated, _name(context), run_id)
    if not site.blocked(validated.batch, run_id):
        return
    try:
        warehouse.warehouse().record_validations()
    except Exception as error:  # the records stay on disk: the next publication loads them
        context.log.warning(f"validation records not published yet: {error}")


def _recent_counts(instance: dg.DagsterInstance, asset: dg.AssetKey, day: date) -> list[int]:
    """Row counts of the latest materialisation of each of the ``RECENT_DAYS`` days before."""
    counts = recent_counts_by_day(instance, asset, day)
    return [counts[p] for p in sorted(counts)]


def recent_counts_by_day(
    instance: dg.DagsterInstance, asset: dg.AssetKey, day: date
) -> dict[str, int]:
    """``_recent_counts`` by partition key."""
    wanted = {
        (day - timedelta(days=n)).isoformat()
        for n in range(1, RECENT_DAYS + 1)
        if day - timedelta(days=n) >= partition_day(daily_partitions.get_first_partition_key())
    }
    counts: dict[str, int] = {}
    cursor = None
    while wanted - counts.keys():
        page = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset, asset_partitions=sorted(wanted)),
            limit=100,
            cursor=cursor,
        )
        for record in page.records:  # newest first: the first seen per day is its latest
            materialization = record.asset_materialization
            row_count = materialization.metadata.get(ROW_COUNT) if materialization else None
            if row_count is not None and materialization.partition not in counts:
                counts[materialization.partition] = int(row_count.value)
        if not page.has_more:
            break
        cursor = page.cursor
    return counts
