"""Coding one day: a day's ``articles`` frame in, its ``event_mentions`` frame out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import pyarrow as pa

from pipelines.coding.stream import StreamReport, code_stream
from pipelines.datamodel.record_frames import frame_articles, mentions_frame, mentions_table
from pipelines.datamodel.records import Article, EventMention

if TYPE_CHECKING:  # loading the Dagster definitions imports this module, and no spaCy
    from spacy.language import Language
    from spacy.tokens import Doc

    from pipelines.coding.parses import PartitionParses
    from pipelines.coding.prefetch import DayPrefetch


class Coder(Protocol):
    """What coding a day needs of a coder (pipelines.coding.coder.EventCoder): its version, the
    spaCy pipeline it parses with, and coding a parsed Doc."""

    version: str
    nlp: Language

    def code_articles(self, articles: Iterable[Article]) -> Iterator[EventMention]: ...

    def code_doc(self, doc: Doc, article: Article) -> list[EventMention]: ...


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
    return mentions_frame(table, published, coder.version)
