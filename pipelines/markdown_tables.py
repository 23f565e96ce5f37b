"""Markdown tables, for text that people read: the Dagster UI renders them, so do GitHub and
most editors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

CELL_CHARS = 160


def cell(value, limit: int = CELL_CHARS) -> str:
    """A value made safe for a Markdown table cell: one line, no pipes, not too long."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
