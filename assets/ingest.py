"""Ingest: the day's articles from the configured sources, and what could not be read."""

import dagster as dg

from assets.partitions import daily_partitions, partition_day
from assets.resources import ArticleSources
from pipelines import stages


@dg.multi_asset(
    outs={
        "articles": dg.AssetOut(
            description="Articles published on the partition's day, read and normalised from the "
            "configured sources (the bundled sample corpus by default). Staged as Parquet; "
            "published to DuckDB with the day's events.",
            group_name="ingest",
            kinds={"python", "parquet"},
        ),
        "quarantined_records": dg.AssetOut(
            description="Records that could not be read, with file, line and reason: dated ones "
            "in their day, undated ones in every day (published once, keyed by file and line).",
            group_name="ingest",
            kinds={"python", "parquet"},
        ),
    },
    partitions_def=daily_partitions,
    can_subset=False,
)
def articles(context: dg.AssetExecutionContext, sources: ArticleSources):
    day = partition_day(context.partition_key)
    frame, quarantine = stages.ingest_day(sources.paths, day)
    for record in quarantine.itertuples(index=False):
        context.log.warning(f"quarantined {record.source_file}, {record.location}: {record.reason}")
    yield dg.Output(
        frame,
        output_name="articles",
        metadata={
            "dagster/row_count": len(frame),
            "outlets": int(frame["outlet"].nunique()),
            "words": int(frame["text"].str.split().str.len().sum()) if len(frame) else 0,
        },
    )
    yield dg.Output(
        quarantine,
        output_name="quarantined_records",
        metadata={
            "dagster/row_count": len(quarantine),
            "reasons": dg.MetadataValue.md(_reasons_table(quarantine)),
        },
    )


def _reasons_table(quarantine) -> str:
    if quarantine.empty:
        return "nothing quarantined"
    lines = ["| file | where | reason |", "|---|---|---|"]
    for row in quarantine.itertuples(index=False):
        lines.append(f"| {row.source_file.rsplit('/', 1)[-1]} | {row.location} | {row.reason} |")
    return "\n".join(lines)
