"""Ingest: land new and changed sources once, then give each day its articles and quarantine."""

from collections import Counter

import dagster as dg
import pandas as pd

from assets.operations import TRANSIENT_RETRY, retried_only_if_transient
from assets.partitions import daily_partitions, partition_day
from assets.resources import ArticleSources, LandingArea
from pipelines.ingest.ingest_report import IngestReport, reason_kind

# One ingestion at a time writes the landing area (the library also holds a file lock).
LANDING_POOL = "ingest_landing"
# On a daily run: the ingestion run (its id) that landed the run's sources just before it, as
# `dyadflow run` does; its `articles` step then reads the landing area as that run left it.
LANDED_BY_TAG = "dyadflow/landed_by"


@dg.asset(
    description="Reads every new or changed source file once (JSONL, CSV, text, HTML, RSS/Atom, "
    "WARC, and .gz of each; the inbox, the sources file, or the bundled sample corpus) and polls "
    "the feed URLs. Articles land in per-day Parquet files under <home>/landing, in English only "
    "(other languages are set aside with the reason), with exact and near duplicates linked to "
    "their original across everything ingested so far.",
    group_name="ingest",
    kinds={"python", "parquet"},
    pool=LANDING_POOL,
    retry_policy=TRANSIENT_RETRY,  # feeds and files on network shares come and go
)
def landed_articles(
    context: dg.AssetExecutionContext, sources: ArticleSources, landing: LandingArea
):
    with retried_only_if_transient():
        report = landing.ingestor(sources).run(poll_feeds=True)
    context.log.info(
        f"batch {report.batch}: {report.files_read} files read, {report.files_unchanged} "
        f"unchanged, {report.articles} articles, {report.quarantined} quarantined, "
        f"{len(report.days)} days touched"
    )
    if report.hidden_skipped:
        context.log.warning(
            f"skipped {len(report.hidden_skipped)} hidden files (names beginning with a dot): "
            + ", ".join(str(p) for p in report.hidden_skipped[:20])
        )
    return dg.MaterializeResult(metadata=report_metadata(report))


def report_metadata(report: IngestReport) -> dict:
    return {
        "batch": report.batch,
        "files_read": report.files_read,
        "files_unchanged": report.files_unchanged,
        "files_with_known_content": report.files_same_content,
        "hidden_files_skipped": dg.MetadataValue.json([str(p) for p in report.hidden_skipped]),
        "feeds_polled": report.feeds_polled,
        "articles": report.articles,
        "feed_entries_already_ingested": report.entries_already_ingested,
        "quarantined": report.quarantined,
        "quarantine_reasons": dg.MetadataValue.md(_counts_table(report.reasons, "reason")),
        "set_aside_by_language": dg.MetadataValue.json(dict(report.set_aside_languages)),
        "warc_records_passed_over": dg.MetadataValue.json(dict(report.warc.passed_over)),
        "days_touched": dg.MetadataValue.json(sorted(d.isoformat() for d in report.days)),
    }


@dg.multi_asset(
    outs={
        "articles": dg.AssetOut(
            description="Articles published on the partition's day, from the landing area: read "
            "and normalised from the configured sources, English, with `duplicate_of` naming the "
            "original of a copied story (copies are not coded). Staged as Parquet; published to "
            "DuckDB with the day's events.",
            group_name="ingest",
            kinds={"python", "parquet"},
        ),
        "quarantined_records": dg.AssetOut(
            description="Records that could not be read or were set aside (another language), "
            "with file, line or offset, reason and a snippet: dated ones in their day, undated "
            "ones in every day (published once, keyed by file and location).",
            group_name="ingest",
            kinds={"python", "parquet"},
        ),
    },
    deps=[landed_articles],
    partitions_def=daily_partitions,
    can_subset=False,
    retry_policy=TRANSIENT_RETRY,
)
def articles(context: dg.AssetExecutionContext, sources: ArticleSources, landing: LandingArea):
    day = partition_day(context.partition_key)
    landed_by = context.run.tags.get(LANDED_BY_TAG)
    if landed_by:
        context.log.info(f"sources landed by run {landed_by}")
    else:
        # Files that arrived since the last ingestion land first (feeds wait for
        # `landed_articles`): an unchanged file costs one stat, so this is cheap.
        with retried_only_if_transient():
            caught_up = landing.ingestor(sources).run(poll_feeds=False)
        if caught_up.files_read:
            context.log.info(f"landed {caught_up.files_read} new or changed files first")
    frame = landing.landing().day_articles(day)
    quarantine = landing.landing().day_quarantine(day)
    for record in quarantine.itertuples(index=False):
        context.log.warning(f"quarantined {record.source_file}, {record.location}: {record.reason}")
    yield dg.Output(
        frame,
        output_name="articles",
        metadata={
            "dagster/row_count": len(frame),
            "copies": int(frame["duplicate_of"].notna().sum()),
            "outlets": int(frame["outlet"].nunique()),
            "words": sum(len(text.split()) for text in frame["text"]),
            "quarantined": len(quarantine),
        },
    )
    yield dg.Output(
        quarantine,
        output_name="quarantined_records",
        metadata={
            "dagster/row_count": len(quarantine),
            "by_reason": dg.MetadataValue.md(
                _counts_table(Counter(reason_kind(r) for r in quarantine["reason"]), "reason")
            ),
            "records": dg.MetadataValue.md(_reasons_table(quarantine)),
        },
    )


def _counts_table(counts: Counter, what: str) -> str:
    if not counts:
        return "nothing quarantined"
    lines = [f"| {what} | records |", "|---|---:|"]
    lines += [f"| {key} | {n} |" for key, n in counts.most_common()]
    return "\n".join(lines)


def _reasons_table(quarantine: pd.DataFrame, limit: int = 50) -> str:
    if quarantine.empty:
        return "nothing quarantined"
    lines = ["| file | where | reason |", "|---|---|---|"]
    for row in quarantine.head(limit).itertuples(index=False):
        reason = row.reason.replace("|", "\\|")
        lines.append(f"| {row.source_file.rsplit('/', 1)[-1]} | {row.location} | {reason} |")
    if len(quarantine) > limit:
        lines.append(f"| … | | {len(quarantine) - limit} more |")
    return "\n".join(lines)
