"""The pipeline's stages as plain functions over DataFrames, shaped by the data dictionary.

Dagster assets, the CLI and tests call these; nothing here knows who calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import pyarrow as pa

from pipelines.coding.mention import EventMention
from pipelines.coding.stream import StreamReport, code_stream
from pipelines.datamodel.tables import ARTICLES, EVENT_MENTIONS, QUARANTINE
from pipelines.ingest.records import Article, Quarantined

if TYPE_CHECKING:  # loading the Dagster definitions imports this module, and no spaCy
    from spacy.language import Language
    from spacy.tokens import Doc

    from pipelines.coding.parses import PartitionParses
    from pipelines.coding.prefetch import DayPrefetch


class Coder(Protocol):
    """What the stages need of a coder (pipelines.coding.coder.EventCoder): its version, the
    spaCy pipeline it parses with, and coding a parsed Doc."""

    version: str
    nlp: Language

    def code_articles(self, articles: Iterable[Article]) -> Iterator[EventMention]: ...

    def code_doc(self, doc: Doc, article: Article) -> list[EventMention]: ...


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


def code_day(
    coder: Coder,
    articles: pd.DataFrame,
    parses: PartitionParses | None = None,
    processes: int | None = None,
    report: StreamReport | None = None,
    ahead: tuple[DayPrefetch, str] | None = None,
) -> pd.DataFrame:
    """Code every original article of a day into event mentions (non-dyadic ones included).

    Copies of a story (``duplicate_of`` set) are not coded again: they count toward the
    original's events when the warehouse aggregates them. The articles are parsed and coded on
    ``processes`` worker processes (default: one per core, ``$DYADFLOW_PROCESSES``); with
    ``parses``, an article whose text was parsed before is only re-coded from its cached parse,
    and new parses are kept there. With ``ahead`` (a prefetch and the day's partition key:
    ``dyadflow run`` codes its range of days ahead), the day's coding is taken from the
    prefetch when it was coded from these very articles by this coder.
    """
    originals = articles[articles["duplicate_of"].isna()]
    published = dict(zip(originals["article_id"], originals["published_date"], strict=True))
    report = report if report is not None else StreamReport()
    taken = None
    if ahead is not None:
        prefetch, partition = ahead
        taken = prefetch.take(partition, list(frame_articles(originals)), coder.version)
    if taken is not None:
        coded = taken.rows
        for name in ("articles", "parsed", "from_cache", "shards_written"):
            setattr(report, name, getattr(taken.report, name))
        report.coded_ahead = True
    else:
        coded = code_stream(
            coder, frame_articles(originals), parses, processes=processes, report=report
        )
    table = coded if isinstance(coded, pa.Table) else mentions_table(coded)
    dates = [published[article_id] for article_id in table.column("article_id").to_pylist()]
    for name, values in (
        ("published_date", pa.array(dates, pa.date32())),
        ("coder_version", pa.array([coder.version] * len(dates), pa.string())),
    ):
        table = table.set_column(table.schema.get_field_index(name), name, values)
    return EVENT_MENTIONS.to_pandas(table)


def mentions_table(coded: Iterable[tuple[str, list[dict]]]) -> pa.Table:
    """The mention rows of (article id, rows) pairs as one Arrow table in the shape of
    ``event_mentions`` (publication date and coder version still empty)."""
    rows = [row for _, mentions in coded for row in mentions]
    return pa.Table.from_pylist(rows, schema=EVENT_MENTIONS.arrow_schema())


def _str(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)
