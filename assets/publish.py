"""Publish: replace the day in the DuckDB warehouse in one transaction and refresh the exports."""

import dagster as dg
import pandas as pd

from assets.partitions import daily_partitions, partition_day
from assets.resources import WarehouseResource
from pipelines.codebook import codebook

# DuckDB allows one writer per file: every asset that writes goes through this pool (limit 1).
WRITER_POOL = "duckdb_writer"


@dg.asset(
    description="Deduplicated dyadic events, one per (event date, source, target, CAMEO code), "
    "counting mentions, articles and outlets across the warehouse. Materialising it publishes "
    "the day's articles, event mentions and quarantine to DuckDB in one transaction and "
    "refreshes the Parquet exports.",
    partitions_def=daily_partitions,
    group_name="publish",
    kinds={"duckdb", "parquet"},
    pool=WRITER_POOL,
)
def events(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    articles: pd.DataFrame,
    quarantined_records: pd.DataFrame,
    event_mentions: pd.DataFrame,
) -> dg.MaterializeResult:
    day = partition_day(context.partition_key)
    store = warehouse.warehouse()
    result = store.publish_partition(day, articles, quarantined_records, event_mentions)
    return dg.MaterializeResult(
        metadata={
            "articles": result.articles,
            "event_mentions": result.mentions,
            "quarantined": result.quarantined,
            "event_dates_rebuilt": len(result.events_dates),
            "events_on_those_dates": result.events_rebuilt,
            "duckdb": dg.MetadataValue.path(str(store.path)),
            "exports": dg.MetadataValue.path(str(store.exports_dir)),
        }
    )


@dg.asset(
    description="The CAMEO event codebook: code, name, Goldstein weight, quad class, PLOVER type.",
    group_name="publish",
    kinds={"duckdb", "parquet"},
    pool=WRITER_POOL,
)
def cameo_codebook(warehouse: WarehouseResource) -> dg.MaterializeResult:
    rows = warehouse.warehouse().publish_codebook(codebook().events_frame())
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})
