"""What the coder produces: one EventMention per coded event in a sentence.

Spans are character offsets into ``sentence`` (``sentence[start:end]`` is the text), and
``sentence_start`` is the sentence's offset in the article text, so every event can be traced
back to the exact characters it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from pipelines.codebook import codebook


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


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
    date_precision: str = "unstated"  # day, week, month, year or unstated (coding/event_dates.py)
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
