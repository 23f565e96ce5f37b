"""What failed in a validation, as Markdown tables: the failed expectations, and a few of the
failing rows with columns that help find them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipelines.markdown_tables import table


def failures_table(failures) -> str:
    if not failures:
        return "All expectations met."
    rows = []
    for f in failures:
        if f.observed is not None:
            what = f"observed {f.observed}, expected {f.expected}"
        else:
            what = f"{f.unexpected_count} rows ({f.unexpected_percent:.1f}%), e.g. " + ", ".join(
                f.examples
            )
        rows.append((f.severity, f.expectation, f.column or "(table)", what))
    return table(("severity", "expectation", "column", "failing"), rows)


def sample_rows_table(failures, frame: pd.DataFrame, key: str, shown: Sequence[str]) -> str:
    """A few failing rows of each failed expectation, with columns that help find them."""
    shown = [c for c in shown if c in frame.columns]
    indexed = frame.set_index(key, drop=False) if key in frame.columns else None
    rows = []
    for f in failures:
        for failing in f.rows:
            row_key = failing.get(key)
            values = ", ".join(f"{c}={v}" for c, v in failing.items() if c != key)
            context = []
            if indexed is not None and row_key in indexed.index:
                found = indexed.loc[[row_key]].iloc[0]
                context = [found[c] for c in shown]
            else:
                context = [""] * len(shown)
            rows.append((f.expectation, row_key, values, *context))
    if not rows:
        return ""
    return table(("expectation", key, "failing value", *shown), rows)
