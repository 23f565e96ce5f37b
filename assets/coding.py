"""Coding: parse the day's articles with spaCy and code CAMEO events, sentence by sentence."""

import dagster as dg
import pandas as pd

from assets.partitions import daily_partitions
from assets.resources import CoderResource
from pipelines import stages


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
    frame = stages.code_day(coder.coder(), articles)
    dyadic = frame[frame["is_dyadic"]]
    return dg.Output(
        frame,
        metadata={
            "dagster/row_count": len(frame),
            "dyadic": len(dyadic),
            "articles": len(articles),
            "by_root_code": dg.MetadataValue.json(
                {
                    k: int(v)
                    for k, v in dyadic["event_root_code"].value_counts().sort_index().items()
                }
            ),
        },
    )
