"""A range of days in one run (`backfill_days`): what the daily runs do, without a run, six
check steps and a publication per day.

Each day is read from the landing area, coded (from the stream ``dyadflow run`` codes ahead),
staged as its daily run stages it, and judged by the same suites as the daily asset checks
(articles and mentions: Great Expectations, in one pass over all the days for each suite, see
``pipelines/validation/days.py``, and volume); each day's checks are recorded as evaluated on
its partition. The days that no blocking check stops
are published together (``Warehouse.publish_partitions``: one candidate, one set of candidate
checks, one swap); a day a check blocks is reported and left out, as its daily run leaves it
out. Each day's assets are recorded as materialised in its partition, with the row counts
the volume checks of later days read.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import dagster as dg
import pandas as pd
from pydantic import Field

from assets.check_results import check_result
from assets.checks import (
    ROW_COUNT,
    SHOWN,
    recent_counts_by_day,
    valid_outcome,
    volume_outcome,
)
from assets.partitions import partition_day
from assets.publish import WRITER_POOL, day_fingerprint, published_metadata, validators
from assets.resources import (
    ArticleSources,
    CoderResource,
    CodingAhead,
    LandingArea,
    ValidationResource,
    WarehouseResource,
)
from pipelines.coding.day import code_day
from pipelines.datamodel.outcomes import CheckOutcome
from pipelines.validation.volume import RECENT_DAYS
from pipelines.warehouse.staging import StagingStore
from pipelines.warehouse.store import DayRows

JOB = "backfill_days"
OUTCOMES = "day_outcomes"  # the op's output metadata: each day's outcome, for the CLI


class BackfillConfig(dg.Config):
    """The days of the run: listed (as ``dyadflow run`` lists the small days it groups), or a
    range, both ends included (as an engineer gives it in the Launchpad)."""

    days: list[str] = Field(default_factory=list)  # ISO dates, in order
    first: str = ""
    last: str = ""

    def day_list(self) -> list[date]:
        if self.days and (self.first or self.last):
            raise dg.Failure("give the days or a range (first, last), not both")
        if self.days:
            return [_config_day("days", d) for d in self.days]
        if not (self.first and self.last):
            raise dg.Failure("give the days, or first and last: the range of days to run")
        first, last = _config_day("first", self.first), _config_day("last", self.last)
        if first > last:
            raise dg.Failure(f"first {first} is after last {last}")
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _config_day(name: str, text: str) -> date:
    try:
        return partition_day(text)
    except ValueError:
        raise dg.Failure(f"{name}: {text!r} is not a date, YYYY-MM-DD") from None


@dataclass
class DayOutcome:
    success: bool = True
    failed_checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str = ""

    def add(self, asset: str, outcomes) -> None:
        """The ``CheckOutcome``s of checks of ``asset``: one that blocks fails the day, one that
        fails otherwise warns, as their asset checks would in a daily run."""
        for outcome in outcomes:
            name = f"{asset}:{outcome.name}"
            if outcome.blocks:
                self.success = False
                self.failed_checks.append(name)
                self.message = "; ".join(
                    filter(None, (self.message, f"{name}: {outcome.description}"))
                )
            elif not outcome.passed:
                self.warnings.append(name)


@dataclass
class _Day:
    day: date
    articles: pd.DataFrame
    quarantine: pd.DataFrame
    mentions: pd.DataFrame | None = None
    outcome: DayOutcome = field(default_factory=DayOutcome)


class _Volumes:
    """Row counts of the days before each day of the range: from the instance for days before
    the range, from the range itself after."""

    def __init__(self, instance, table: str, first: date):
        self.counts = {
            partition_day(key): count
            for key, count in recent_counts_by_day(instance, dg.AssetKey(table), first).items()
        }

    def recent(self, day: date) -> list[int]:
        days = [day - timedelta(days=n) for n in range(RECENT_DAYS, 0, -1)]
        return [self.counts[d] for d in days if d in self.counts]


@dg.op(pool=WRITER_POOL, description="Read, code, validate and publish a range of days at once.")
def publish_days(
    context: dg.OpExecutionContext,
    config: BackfillConfig,
    sources: ArticleSources,
    landing: LandingArea,
    coder: CoderResource,
    coding_ahead: dg.ResourceParam[CodingAhead],
    validation: ValidationResource,
    warehouse: WarehouseResource,
) -> dg.Output[None]:
    from pipelines.validation import suites
    from pipelines.validation.candidate_release import candidate_validator

    run_id = context.run_id
    site = validation.site()
    store = warehouse.warehouse()
    staging = StagingStore(landing.layout.staging_dir)
    area = landing.landing()
    event_coder = coder.coder()
    days = config.day_list()
    volumes = {t: _Volumes(context.instance, t, days[0]) for t in ("articles", "event_mentions")}
    ready = [_Day(day, area.day_articles(day), area.day_quarantine(day)) for day in days]
    for item in ready:
        key = item.day.isoformat()
        staging.write("articles", key, item.articles)
        staging.write("quarantined_records", key, item.quarantine)
        # materialised before their checks are evaluated, as in a daily run
        _materialised(context, item, articles=item.articles, quarantined_records=item.quarantine)
    _validate(context, site, ready, "articles", suites.articles, volumes)
    coded = [item for item in ready if item.outcome.success]
    for item in coded:
        key = item.day.isoformat()
        item.mentions = code_day(
            event_coder,
            item.articles,
            parses=coder.parses(key),
            processes=coder.processes or None,
            ahead=(coding_ahead.prefetch, key) if coding_ahead.prefetch else None,
        )
        staging.write("event_mentions", key, item.mentions)
        _materialised(context, item, event_mentions=item.mentions)
    _validate(context, site, coded, "event_mentions", suites.event_mentions, volumes)
    if any(not item.outcome.success for item in ready):
        try:
            store.record_validations()
        except Exception as error:  # the records stay on disk: the next publication loads them
            context.log.warning(f"validation records not published yet: {error}")
    passing = [item for item in ready if item.outcome.success]
    version = coder.version()
    published = store.publish_partitions(
        [
            DayRows(
                item.day,
                item.articles,
                item.quarantine,
                item.mentions,
                day_fingerprint(item.articles, item.quarantine, version),
            )
            for item in passing
        ],
        validate=validators(candidate_validator(site, run_id)),
        dictionaries=tuple(coder.extra_dictionaries),
    )
    for item in passing:
        result = published[item.day]
        item.outcome.add("events", getattr(result, "outcomes", ()))
        if isinstance(result, Exception):
            item.outcome.success = False
            continue
        context.log_event(
            dg.AssetMaterialization(
                "events",
                partition=item.day.isoformat(),
                metadata={**published_metadata(result), "published_with_days": len(passing)},
            )
        )
    return dg.Output(
        None,
        metadata={
            OUTCOMES: dg.MetadataValue.json(
                {item.day.isoformat(): asdict(item.outcome) for item in ready}
            )
        },
    )


def _validate(context, site, items: list[_Day], table: str, suite, volumes) -> None:
    """The days' suite (one pass over all of them: ``validate_days``) and volume checks on
    ``table``, each day kept in the history and shown as its partition's check results as the
    daily asset checks are; a blocking failure stops the day."""
    from pipelines.validation.days import validate_days
    from pipelines.validation.volume import judge

    run_id = context.run_id
    id_column = "article_id" if table == "articles" else "mention_id"
    frames = {item.day: item.articles if table == "articles" else item.mentions for item in items}
    validated = validate_days(
        table, {day: suite(day) for day in frames}, frames, key=id_column, site=site
    )
    for item in items:
        key, frame, checked = item.day.isoformat(), frames[item.day], validated[item.day]
        site.record(checked, f"{table}_valid", run_id)
        recent = volumes[table].recent(item.day)
        volume = judge(table, len(frame), recent, batch=key)
        site.record(volume, f"{table}_volume", run_id)
        volumes[table].counts[item.day] = len(frame)
        outcomes = [
            valid_outcome(f"{table}_valid", checked, frame, id_column, SHOWN[table]),
            volume_outcome(f"{table}_volume", volume, frame, recent),
        ]
        for outcome in outcomes:
            _evaluated(context, table, key, outcome)
        item.outcome.add(table, outcomes)


def _evaluated(context, asset: str, partition: str, outcome: CheckOutcome) -> None:
    """``outcome`` shown as its check's evaluation on the day's partition."""
    result = check_result(outcome)
    context.log_event(
        dg.AssetCheckEvaluation(
            asset_key=dg.AssetKey(asset),
            check_name=outcome.name,
            passed=result.passed,
            metadata=result.metadata,
            severity=result.severity,
            description=result.description,
            partition=partition,
        )
    )


def _materialised(context: dg.OpExecutionContext, item: _Day, **staged: pd.DataFrame) -> None:
    for name, frame in staged.items():
        context.log_event(
            dg.AssetMaterialization(
                name, partition=item.day.isoformat(), metadata={ROW_COUNT: len(frame)}
            )
        )


@dg.job(name=JOB, description="Read, code, validate and publish a range of days in one run.")
def backfill_days():
    publish_days()
