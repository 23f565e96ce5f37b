"""The two things a reader yields: an Article it could read, or a Quarantined record it could not.

Readers never raise on bad input and never drop a record silently: everything they cannot read
becomes a ``Quarantined`` record naming the file, the place in it, and the reason.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime

SNIPPET_CHARS = 200
# Longer articles are quarantined. No news article comes near it; the coder parses a long one
# in pieces, but its coding still grows with it (measured: 130 MB for 1,000,000 characters,
# 470 MB for 4,000,000; bench/long_article.py), and one such text is a dump, not a story.
MAX_ARTICLE_CHARS = 2_000_000


# Printable ASCII, newline and tab are never control characters; only the rest is looked up.
_NOT_PLAIN_ASCII = re.compile(r"[^\x20-\x7e\n\t]")


def _drop_control(match: re.Match[str]) -> str:
    char = match.group()
    return "" if unicodedata.category(char)[0] == "C" else char


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces inside lines, paragraphs kept."""
    text = unicodedata.normalize("NFC", text)
    text = _NOT_PLAIN_ASCII.sub(_drop_control, text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
        elif paragraphs and paragraphs[-1] != "":
            paragraphs.append("")
    return "\n".join(paragraphs).strip()


def within_length(record: Article | Quarantined) -> Article | Quarantined:
    """The record, or a Quarantined one when its text is longer than MAX_ARTICLE_CHARS."""
    if not isinstance(record, Article) or len(record.text) <= MAX_ARTICLE_CHARS:
        return record
    return Quarantined(
        record.source_file,
        record.where,
        f"text of {len(record.text):,} characters is over the limit of {MAX_ARTICLE_CHARS:,}",
        Quarantined.clip(record.text),
        record.id,
        record.published_date,
    )


def derived_id(prefix: str, key: str) -> str:
    """A stable article id for records that carry none: a prefix and a digest of their key (the
    URL when there is one, else the document's bytes), so re-reading a source gives the same id."""
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:20]}"


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
