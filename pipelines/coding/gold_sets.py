"""Gold sets: the files a coder is scored against, read into items and their events.

One JSON object a line (a sentence or a whole article)::

    {"id": "...", "text": "...", "date": "2026-03-02",
     "events":   [{"source": "NER", "target": "UKR", "code": "161"}],
     "optional": [{"source": "NER", "target": "*", "code": "01"}]}

``source`` and ``target`` are actor-code prefixes ("NER" matches "NERMIL"), with alternatives
split by "|" and "*" matching any actor; ``code`` is a CAMEO code prefix ("19" matches 190-196).
A gold event with an empty target names no target. ``onesided`` lists acts with one side unnamed.
The public PLOVER gold set lists its events under ``expected`` (PLOVER event types and legacy
actor codes). A folder's files named ``plover*`` are PLOVER-coded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pipelines.datamodel.records import Article

DEFAULT_DATE = date(2026, 1, 1)


class GoldError(ValueError):
    """A gold file line that cannot be read: names the file and line."""


@dataclass(frozen=True)
class GoldEvent:
    source: str
    target: str
    code: str

    def alternatives(self, which: str) -> list[str]:
        value = getattr(self, which)
        return [part.strip() for part in value.split("|")] if value else []

    def matches(self, source: str, target: str | None, code: str, level: str) -> bool:
        if level == "root":
            if code[:2] != self.code[:2]:
                return False
        elif not code.startswith(self.code):
            return False
        if not actor_matches(self.alternatives("source"), source):
            return False
        wanted = self.alternatives("target")
        if not wanted:
            return True  # the gold names no target: any target, or none
        return target is not None and actor_matches(wanted, target)

    def __str__(self) -> str:
        return f"{self.source or '-'} -> {self.target or '-'} {self.code}"


def actor_matches(alternatives: list[str], code: str | None) -> bool:
    if code is None:
        return "*" in alternatives  # an unnamed doer fills only a gold entry naming none
    return any(alt == "*" or code.startswith(alt) for alt in alternatives)


def side_matches(alternatives: list[str], code: str | None) -> bool:
    """A named side (never an unnamed one) that one of the alternatives matches."""
    return code is not None and actor_matches(alternatives, code)


@dataclass(frozen=True)
class GoldItem:
    id: str
    text: str
    date: date
    events: tuple[GoldEvent, ...]
    optional: tuple[GoldEvent, ...] = ()
    # acts with one side unnamed: counted apart, never scored as dyadic events
    onesided: tuple[GoldEvent, ...] = ()

    def article(self) -> Article:
        """The item as an article to code, published on its date."""
        return Article(
            id=self.id,
            text=self.text,
            published_at=datetime.combine(self.date, datetime.min.time()),
        )


def _events(raw: object, path: Path, number: int, key: str) -> tuple[GoldEvent, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise GoldError(f"{path}, line {number}: {key!r} must be a list")
    events = []
    for entry in raw:
        if not isinstance(entry, dict) or "code" not in entry:
            raise GoldError(f"{path}, line {number}: each {key!r} entry needs a code: {entry!r}")
        events.append(
            GoldEvent(
                source=str(entry.get("source") or "*"),
                target=str(entry.get("target") or ""),
                code=str(entry["code"]),
            )
        )
    return tuple(events)


def _onesided(raw: object, path: Path, number: int) -> tuple[GoldEvent, ...]:
    """One-sided entries keep their blank side blank ("" is "not named", not "anyone")."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(e, dict) and "code" in e for e in raw):
        raise GoldError(f"{path}, line {number}: 'onesided' must be a list of entries with a code")
    return tuple(
        GoldEvent(str(e.get("source") or ""), str(e.get("target") or ""), str(e["code"]))
        for e in raw
    )


def read_gold(path: Path, events_key: str = "events") -> Iterator[GoldItem]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise GoldError(f"{path}, line {number}: not JSON: {error}") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise GoldError(f"{path}, line {number}: needs a 'text' string")
            day = record.get("date")
            try:
                parsed = date.fromisoformat(str(day)[:10]) if day else DEFAULT_DATE
            except ValueError:
                raise GoldError(f"{path}, line {number}: bad date {day!r}") from None
            yield GoldItem(
                id=str(record.get("id") or f"line-{number}"),
                text=record["text"],
                date=parsed,
                events=_events(record.get(events_key), path, number, events_key),
                optional=_events(record.get("optional"), path, number, "optional"),
                onesided=_onesided(record.get("onesided"), path, number),
            )


def gold_files(path: Path) -> list[tuple[Path, bool]]:
    """The gold files a path names, each with whether it is PLOVER-coded: a file, or every
    ``*.jsonl`` of a folder (those named ``plover*`` are PLOVER-coded)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise FileNotFoundError(f"{path}: no *.jsonl gold files in this folder")
        return [(f, f.name.startswith("plover")) for f in files]
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such gold file or folder")
    return [(path, path.name.startswith("plover"))]
