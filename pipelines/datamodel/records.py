"""The records that pass from stage to stage: an Article a reader could read, a Quarantined
record it could not, and an EventMention the coder found in an article's sentence.

Readers never raise on bad input and never drop a record silently: everything they cannot read
becomes a ``Quarantined`` record naming the file, the place in it, and the reason.

An EventMention's spans are character offsets into its ``sentence`` (``sentence[start:end]`` is
the text), and ``sentence_start`` is the sentence's offset in the article text, so every event
can be traced back to the exact characters it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum

from pipelines.codebook import codebook

SNIPPET_CHARS = 200


def content_hash(text: str) -> str:
    """Hash of the normalised, case-folded text: equal for exact duplicate stories."""
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    published_at: datetime
    title: str = ""
    url: str = ""
    outlet: str = ""
    language: str = "en"
    source_file: str = ""
    source_line: int | None = None
    content_hash: str = field(default="")
    duplicate_of: str | None = None
    # Where the record sits in source_file ("line 3", "entry 2", "byte 1024"); not published.
    location: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.text))

    @property
    def published_date(self) -> date:
        return self.published_at.date()

    @property
    def where(self) -> str:
        if self.location:
            return self.location
        return f"line {self.source_line}" if self.source_line is not None else "file"

    def as_row(self) -> dict:
        # Field by field, not dataclasses.asdict: its deep copy of every text was a twentieth of
        # a landing, and the values are immutable anyway.
        row = {name: getattr(self, name) for name in _ARTICLE_FIELDS}
        row["published_date"] = self.published_date
        return row


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.name != "location")


@dataclass(frozen=True)
class Quarantined:
    """A record that could not be read, with enough to find it and fix it."""

    source_file: str
    location: str  # "line 12", "byte 4096", "entry 3": whatever addresses the record in its file
    reason: str
    snippet: str = ""
    record_id: str = ""
    published_date: date | None = None

    @staticmethod
    def clip(raw: str | bytes) -> str:
        if isinstance(raw, bytes):
            raw = raw[: SNIPPET_CHARS * 4].decode("utf-8", errors="replace")
        raw = raw.replace("\n", " ")
        return raw if len(raw) <= SNIPPET_CHARS else raw[: SNIPPET_CHARS - 1] + "…"

    def as_row(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        rec = f" record {self.record_id!r}" if self.record_id else ""
        return f"{self.source_file}, {self.location}{rec}: {self.reason}"


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


class DatePrecision(StrEnum):
    """How precisely a sentence dates its act, best first: only a day dates it; a week, month or
    year is kept as text, and an act without any takes its publication date."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    UNSTATED = "unstated"


@dataclass(frozen=True)
class EventMention:
    article_id: str
    sentence_index: int
    sentence: str
    sentence_start: int
    # None on either side: a non-dyadic mention, kept but never published as an event. No
    # target: the act has a doer and no receiver named; no source: the doer is not named ("a
    # car bomb exploded in Mosul, killing three", "two journalists were abducted in Syria").
    source_actor: str | None
    source: Span | None
    target_actor: str | None
    target: Span | None
    trigger: Span
    event_code: str
    event_date: date
    confidence: float
    rule: str
    date_text: str | None = None  # the date expression the sentence gives for the act
    date_precision: DatePrecision = DatePrecision.UNSTATED  # coding/event_dates.py finds it
    location_country: str | None = None
    location_place: str | None = None

    @property
    def is_dyadic(self) -> bool:
        return self.source_actor is not None and self.target_actor is not None

    @property
    def mention_id(self) -> str:
        key = "|".join(
            str(part)
            for part in (
                self.article_id,
                self.sentence_index,
                self.trigger.start,
                self.source_actor,
                self.source.start if self.source else "",
                self.target_actor,
                self.target.start if self.target else "",
                self.event_code,
            )
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def as_row(self) -> dict:
        """A flat record with the codebook fields (root, base, quad class, Goldstein, PLOVER)."""
        # Written out, not dataclasses.asdict: this runs for every mention in the coding
        # workers, and asdict's deep copy cost as much as a tenth of the coding.
        code = codebook().event(self.event_code)
        source, target, trigger = self.source, self.target, self.trigger
        return {
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "source_actor": self.source_actor,
            "target_actor": self.target_actor,
            "event_code": self.event_code,
            "event_date": self.event_date,
            "confidence": self.confidence,
            "rule": self.rule,
            "date_text": self.date_text,
            "date_precision": self.date_precision,
            "location_country": self.location_country,
            "location_place": self.location_place,
            "source_text": source.text if source else None,
            "source_start": source.start if source else None,
            "source_end": source.end if source else None,
            "target_text": target.text if target else None,
            "target_start": target.start if target else None,
            "target_end": target.end if target else None,
            "trigger_text": trigger.text,
            "trigger_start": trigger.start,
            "trigger_end": trigger.end,
            "mention_id": self.mention_id,
            "event_root_code": code.root_code,
            "event_base_code": code.base_code,
            "quad_class": code.quad_class,
            "goldstein": code.goldstein,
            "plover_type": code.plover_type or None,
            "is_dyadic": self.is_dyadic,
        }
