"""Coding: parse the day's articles with spaCy and code CAMEO events, sentence by sentence."""

import dagster as dg
import pandas as pd

from assets.partitions import daily_partitions
from assets.resources import CoderResource
from pipelines import stages
from pipelines.coding import prefetch
from pipelines.coding.stream import StreamReport


@dg.asset(
    description="One row per event coded in a sentence, with the sentence, the character spans of "
    "source, target and trigger, actor codes, CAMEO code, Goldstein score, quad class, event "
    "date, confidence and the rule that fired. Staged as Parquet; validated before publication.",
    partitions_def=daily_partitions,
    group_name="coding",
    kinds={"spacy", "parquet"},
)
def event_mentions(
    context: dg.AssetExecutionContext, articles: pd.DataFrame, coder: CoderResource
) -> dg.Output[pd.DataFrame]:
    report = StreamReport()
    running = prefetch.active(coder.home) if coder.home else None
    frame = stages.code_day(
        coder.coder(),
        articles,
        parses=coder.parses(context.partition_key),
        processes=coder.processes or None,
        report=report,
        ahead=(running, context.partition_key) if running else None,
    )
    dyadic = frame[frame["is_dyadic"]]
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
            "by_root_code": dg.MetadataValue.json(
                {
                    k: int(v)
                    for k, v in dyadic["event_root_code"].value_counts().sort_index().items()
                }
            ),
        },
    )
