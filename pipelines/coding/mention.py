"""What the coder produces: one EventMention per coded event in a sentence.

Spans are character offsets into ``sentence`` (``sentence[start:end]`` is the text), and
``sentence_start`` is the sentence's offset in the article text, so every event can be traced
back to the exact characters it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
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
    source_actor: str
    source: Span
    target_actor: str | None  # None: a non-dyadic mention, kept but never published as an event
    target: Span | None
    trigger: Span
    event_code: str
    event_date: date
    confidence: float
    rule: str
    date_text: str | None = None  # the words that set event_date, when not the publication date
    location_country: str | None = None
    location_place: str | None = None

    @property
    def is_dyadic(self) -> bool:
        return self.target_actor is not None

    @property
    def mention_id(self) -> str:
        key = "|".join(
            str(part)
            for part in (
                self.article_id,
                self.sentence_index,
                self.trigger.start,
                self.source_actor,
                self.source.start,
                self.target_actor,
                self.target.start if self.target else "",
                self.event_code,
            )
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def as_row(self) -> dict:
        """A flat record with the codebook fields (root, base, quad class, Goldstein, PLOVER)."""
        code = codebook().event(self.event_code)
        row = {k: v for k, v in asdict(self).items() if k not in ("source", "target", "trigger")}
        for name, span in (
            ("source", self.source),
            ("target", self.target),
            ("trigger", self.trigger),
        ):
            row[f"{name}_text"] = span.text if span else None
            row[f"{name}_start"] = span.start if span else None
            row[f"{name}_end"] = span.end if span else None
        row.update(
            mention_id=self.mention_id,
            event_root_code=code.root_code,
            event_base_code=code.base_code,
            quad_class=code.quad_class,
            goldstein=code.goldstein,
            plover_type=code.plover_type or None,
            is_dyadic=self.is_dyadic,
        )
        return row
