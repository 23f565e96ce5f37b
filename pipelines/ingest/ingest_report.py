"""What one ingestion did, with its quarantined records counted by the kind of reason."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.datamodel.records import Quarantined
from pipelines.ingest.warc import WarcTally


@dataclass
class IngestReport:
    """What one ingestion did, for the asset's metadata and the CLI."""

    batch: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    files_touched: int = 0  # unchanged content under a new modification time
    files_same_content: int = 0
    hidden_skipped: list[Path] = field(default_factory=list)  # in folders, named .something
    feeds_polled: int = 0
    articles: int = 0
    entries_already_ingested: int = 0
    quarantined: int = 0
    reasons: Counter = field(default_factory=Counter)
    set_aside_languages: Counter = field(default_factory=Counter)
    days: set[date] = field(default_factory=set)
    warc: WarcTally = field(default_factory=WarcTally)

    def note(self, record: Quarantined) -> None:
        self.quarantined += 1
        self.reasons[reason_kind(record.reason)] += 1


def reason_kind(reason: str) -> str:
    """A reason without its particulars, for counting: "invalid JSON: Expecting value at column
    2" -> "invalid JSON", "published_at 'x' is not ..." -> "published_at … is not ..."."""
    head = reason.split(": ", 1)[0] if not reason.startswith("language") else reason[:11]
    head = re.sub(r"'[^']*'", "…", head)
    return re.sub(r"\d+", "N", head).strip()
