"""Records as frames and back: Articles and Quarantined records as the rows of the ``articles``
and ``quarantine`` tables, a day's ``articles`` frame as Articles again, and the coder's mention
rows as one Arrow table in the shape of ``event_mentions`` and that table as its frame."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date

import pandas as pd
import pyarrow as pa

from pipelines.datamodel.records import Article, Quarantined
from pipelines.datamodel.tables import ARTICLES, EVENT_MENTIONS, QUARANTINE


def article_row(article: Article) -> dict:
    """An Article as a row of the ``articles`` table, where its id is ``article_id``."""
    row = article.as_row()
    row["article_id"] = row.pop("id")
    return row


def articles_frame(articles: Iterable[Article]) -> pd.DataFrame:
    return ARTICLES.frame(article_row(article) for article in articles)


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


def mentions_table(coded: Iterable[tuple[str, list[dict]]]) -> pa.Table:
    """The mention rows of (article id, rows) pairs as one Arrow table in the shape of
    ``event_mentions`` (publication date and coder version still empty)."""
    rows = [row for _, mentions in coded for row in mentions]
    return pa.Table.from_pylist(rows, schema=EVENT_MENTIONS.arrow_schema())


def mentions_frame(
    table: pa.Table, published: Mapping[str, date], coder_version: str
) -> pd.DataFrame:
    """A mentions table (``mentions_table``) as the ``event_mentions`` frame, each mention given
    its article's publication date from ``published`` and the coder's version."""
    dates = [published[article_id] for article_id in table.column("article_id").to_pylist()]
    for name, values in (
        ("published_date", pa.array(dates, pa.date32())),
        ("coder_version", pa.array([coder_version] * len(dates), pa.string())),
    ):
        table = table.set_column(table.schema.get_field_index(name), name, values)
    return EVENT_MENTIONS.to_pandas(table)


def _str(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)
