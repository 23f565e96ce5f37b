"""What the conversion counts: entries written, skipped and adjusted per output file, by reason,
and the rows it made."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    """What one output file got: entries written and entries skipped, by reason."""

    written: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    adjusted: Counter[str] = field(default_factory=Counter)  # kept, with a change
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] += n

    def adjust(self, reason: str, n: int = 1) -> None:
        self.adjusted[reason] += n


@dataclass
class Prefixed:
    """A tally whose reasons name what was counted ("pattern line: ...")."""

    tally: Tally
    prefix: str

    def skip(self, reason: str, n: int = 1) -> None:
        self.tally.skip(f"{self.prefix}: {reason}", n)

    def adjust(self, reason: str, n: int = 1) -> None:
        self.tally.adjust(f"{self.prefix}: {reason}", n)


@dataclass
class Conversion:
    """Rows per output file (cells in the file's column order) and the tallies."""

    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())
