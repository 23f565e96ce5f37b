"""Coding: parse the day's articles with spaCy and code CAMEO events, sentence by sentence."""

import dagster as dg
import pandas as pd

from assets.metadata import mentions_preview, root_code_counts, root_code_table
from assets.partitions import daily_partitions
from assets.resources import CoderResource, CodingAhead
from pipelines.coding.day import code_day
from pipelines.coding.stream import StreamReport
from pipelines.coding.version import coder_version


@dg.asset(
    description="One row per event coded in a sentence, with the sentence, the character spans of "
    "source, target and trigger, actor codes, CAMEO code, Goldstein score, quad class, event "
    "date, confidence and the rule that fired. Staged as Parquet; validated before publication. "
    "The code version is the coder's version with the fingerprint of its dictionaries: editing "
    "the lexicon marks the coded days stale.",
    partitions_def=daily_partitions,
    group_name="coding",
    kinds={"spacy", "parquet"},
    # Computed from the dictionary files, without loading spaCy (pipelines/coding/version.py).
    code_version=coder_version(),
)
def event_mentions(
    context: dg.AssetExecutionContext,
    articles: pd.DataFrame,
    coder: CoderResource,
    coding_ahead: dg.ResourceParam[CodingAhead],
) -> dg.Output[pd.DataFrame]:
    event_coder = coder.coder()
    report = StreamReport()
    running = coding_ahead.prefetch
    frame = code_day(
        event_coder,
        articles,
        parses=coder.parses(context.partition_key),
        processes=coder.processes or None,
        report=report,
        ahead=(running, context.partition_key) if running else None,
    )
    dyadic = frame[frame["is_dyadic"].fillna(False).astype(bool)]
    return dg.Output(
        frame,
        metadata={
            "dagster/row_count": len(frame),
            "dyadic": len(dyadic),
            "articles": len(articles),
            "articles_coded": report.articles,
            "parsed": report.parsed,
            "re_coded_from_cached_parses": report.from_cache,
            "coded_ahead": report.coded_ahead,
            "coder_version": event_coder.version,
            "preview": dg.MetadataValue.md(mentions_preview(frame)),
            "by_root_code": dg.MetadataValue.md(root_code_table(dyadic["event_root_code"])),
            "by_root_code_counts": dg.MetadataValue.json(
                root_code_counts(dyadic["event_root_code"])
            ),
        },
    )
