"""Publish: build the day's release on a private copy of the warehouse, check it, swap it in.

The checks run on the candidate release before it replaces the published file; an ERROR-level
failure leaves the published data untouched and fails the asset. Each outcome is reported as an
asset check result of ``events``.

The Great Expectations suites on the events and aggregates (pipelines/validation/candidate_release.py)
run there too, as ``events_valid`` and ``aggregates_valid``.

Adding a validator: write a function ``(candidate_connection, change) -> list[CheckOutcome]``
(pipelines/datamodel/outcomes.py; the built-in ones are in pipelines/warehouse/integrity.py),
add it to ``CANDIDATE_VALIDATORS`` and declare each outcome name it returns in
``CANDIDATE_CHECKS``. ``assets/check_results.py`` turns each outcome into a check result.
"""

from pathlib import Path

import dagster as dg
import pandas as pd

from assets.check_results import check_result
from assets.checks import daily_check_spec
from assets.metadata import events_metadata
from assets.operations import TRANSIENT_RETRY, retried_only_if_transient
from assets.partitions import daily_partitions, partition_day
from assets.resources import CoderResource, ValidationResource, WarehouseResource
from pipelines.day_fingerprint import LIBRARY, day_inputs
from pipelines.validation.candidate_release import CHECKS as GX_CHECKS
from pipelines.validation.candidate_release import candidate_validator
from pipelines.warehouse.integrity import BUILT_IN_CHECKS, PublicationRejected

# DuckDB allows one writer per file: every asset that writes goes through this pool (limit 1).
WRITER_POOL = "duckdb_writer"

# name -> description of every check run on a candidate release (built-in ones first).
CANDIDATE_CHECKS: dict[str, str] = {**BUILT_IN_CHECKS, **GX_CHECKS}
CANDIDATE_VALIDATORS: list = []

# The Dagster wiring decides what a day's run does as much as the library: both are fingerprinted.
_CODE = (LIBRARY, Path(__file__).parent)


def day_fingerprint(articles, quarantine, coder_version: str) -> str:
    """What a day's publication is made of (pipelines/day_fingerprint.py), this application included."""
    return day_inputs(articles, quarantine, coder_version, _CODE)


def published_metadata(result) -> dict:
    """What the ``events`` materialisation of a day says of its publication, by whichever run."""
    return {
        "articles": result.articles,
        "event_mentions": result.mentions,
        "quarantined": result.quarantined,
        "event_dates_rebuilt": len(result.events_dates),
        "events_on_those_dates": result.events_rebuilt,
        "dataset_version": result.dataset_version,
    }


def validators(*more):
    def validate(con, change):
        outcomes = []
        for validator in (*CANDIDATE_VALIDATORS, *more):
            outcomes += list(validator(con, change))
        return outcomes

    return validate


def _check_results(outcomes) -> list[dg.AssetCheckResult]:
    return [check_result(o, asset_key="events") for o in outcomes if o.name in CANDIDATE_CHECKS]


@dg.asset(
    description="Deduplicated dyadic events, a GDELT-like record (one per event date, source, "
    "target and CAMEO code by default), counting mentions, articles and outlets across the "
    "warehouse, copies of a story included. Materialising it publishes the day's articles, "
    "event mentions and quarantine, rebuilds the events and the dyad and country aggregates "
    "the day touches, checks the candidate release and swaps it in atomically, then refreshes "
    "the Parquet exports.",
    partitions_def=daily_partitions,
    group_name="publish",
    kinds={"duckdb", "parquet"},
    pool=WRITER_POOL,
    retry_policy=TRANSIENT_RETRY,
    # Partitioned like the asset: each day's results show on that day.
    check_specs=[
        daily_check_spec(name, "events", description)
        for name, description in CANDIDATE_CHECKS.items()
    ],
)
def events(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    validation: ValidationResource,
    coder: CoderResource,
    articles: pd.DataFrame,
    quarantined_records: pd.DataFrame,
    event_mentions: pd.DataFrame,
):
    day = partition_day(context.partition_key)
    store = warehouse.warehouse()
    validate = validators(candidate_validator(validation.site(), context.run.run_id))
    inputs = day_fingerprint(articles, quarantined_records, coder.version())
    with retried_only_if_transient():
        try:
            result = store.publish_partition(
                day,
                articles,
                quarantined_records,
                event_mentions,
                validate,
                inputs,
                dictionaries=tuple(coder.extra_dictionaries),
            )
        except PublicationRejected as rejected:
            yield from _check_results(rejected.outcomes)
            # A rejected candidate needs a person, not another attempt.
            raise dg.Failure(
                description=str(rejected),
                metadata={"failed": "\n".join(str(o) for o in rejected.outcomes if o.blocks)},
                allow_retries=False,
            ) from None
    yield dg.MaterializeResult(
        metadata={
            **published_metadata(result),
            "seconds": dg.MetadataValue.json(result.seconds),
            "duckdb": dg.MetadataValue.path(str(store.path)),
            "exports": dg.MetadataValue.path(str(store.exports_dir)),
            **events_metadata(store, day, event_mentions),
        },
        check_results=_check_results(result.outcomes),
    )


@dg.asset(
    description="The codebook tables: CAMEO event codes (Goldstein weight, quad class, PLOVER "
    "type), countries, actor roles, the CAMEO to PLOVER mapping and the coder's actor "
    "dictionary. Every publication reloads them too; this asset publishes them on their own.",
    group_name="publish",
    kinds={"duckdb", "parquet"},
    pool=WRITER_POOL,
    retry_policy=TRANSIENT_RETRY,
)
def cameo_codebook(warehouse: WarehouseResource) -> dg.MaterializeResult:
    store = warehouse.warehouse()
    with retried_only_if_transient():
        result = store.publish_codebook()
    counts = store.table_counts()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": counts["cameo_event_codes"],
            "dataset_version": result.dataset_version,
            **{name: counts[name] for name in ("cameo_countries", "cameo_roles", "cameo_plover")},
        }
    )
