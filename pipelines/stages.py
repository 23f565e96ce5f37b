"""The pipeline's stages as plain functions over DataFrames, shaped by the data dictionary.

Dagster assets, the CLI and tests call these; nothing here knows who calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import pandas as pd

from pipelines.coding.mention import EventMention
from pipelines.ingest.records import Article, Quarantined
from pipelines.warehouse.schema import ARTICLES, EVENT_MENTIONS, QUARANTINE


class Coder(Protocol):
    version: str

    def code_articles(self, articles: Iterable[Article]) -> Iterator[EventMention]: ...


def articles_frame(articles: Iterable[Article]) -> pd.DataFrame:
    rows = []
    for article in articles:
        row = article.as_row()
        row["article_id"] = row.pop("id")
        rows.append(row)
    return ARTICLES.frame(rows)


def quarantine_frame(records: Iterable[Quarantined]) -> pd.DataFrame:
    return QUARANTINE.frame(record.as_row() for record in records)


def frame_articles(frame: pd.DataFrame) -> Iterator[Article]:
    for row in frame.itertuples(index=False):
        yield Article(
            id=row.article_id,
            text=row.text,
            published_at=row.published_at.to_pydatetime(),
            title=_str(row.title),
            url=_str(row.url),
            outlet=_str(row.outlet),
            language=_str(row.language),
            source_file=_str(row.source_file),
            source_line=None if pd.isna(row.source_line) else int(row.source_line),
            content_hash=row.content_hash,
            duplicate_of=None if pd.isna(row.duplicate_of) else row.duplicate_of,
        )


def code_day(coder: Coder, articles: pd.DataFrame) -> pd.DataFrame:
    """Code every original article of a day into event mentions (non-dyadic ones included).

    Copies of a story (``duplicate_of`` set) are not coded again: they count toward the
    original's events when the warehouse aggregates them.
    """
    originals = articles[articles["duplicate_of"].isna()]
    published = dict(zip(originals["article_id"], originals["published_date"], strict=True))
    rows = []
    for mention in coder.code_articles(frame_articles(originals)):
        row = mention.as_row()
        row["published_date"] = published[mention.article_id]
        row["coder_version"] = coder.version
        rows.append(row)
    return EVENT_MENTIONS.frame(rows)


def _str(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)
