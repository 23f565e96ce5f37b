"""Metadata people read in the Dagster UI: Markdown tables and a chart, built from DataFrames.

The UI renders Markdown (tables included) in the asset and check panels. The chart is an SVG
drawn here, embedded in the Markdown as an image, with the same figures as a table under it.
"""

from __future__ import annotations

import base64
from html import escape

import dagster as dg
import pandas as pd

from pipelines.codebook import QUAD_CLASS_COLOURS, QUAD_CLASS_NAMES, codebook
from pipelines.markdown_tables import table

PREVIEW_ROWS = 8
CHART_DAYS = 30  # the chart of the events asset: event dates up to the partition's day
QUAD_CLASSES = {q: (name, QUAD_CLASS_COLOURS[q]) for q, name in QUAD_CLASS_NAMES.items()}


def mentions_preview(mentions: pd.DataFrame, limit: int = PREVIEW_ROWS) -> str:
    """A few dyadic mentions, most confident first, one per CAMEO root where possible."""
    dyadic = mentions[mentions["is_dyadic"].fillna(False).astype(bool)]
    if dyadic.empty:
        return "No dyadic events coded on this day."
    ranked = dyadic.sort_values(["confidence", "mention_id"], ascending=[False, True])
    picked = ranked.drop_duplicates("event_root_code").head(limit)
    if len(picked) < limit:
        rest = ranked.drop(index=picked.index).head(limit - len(picked))
        picked = pd.concat([picked, rest])
    book = codebook()
    rows = [
        (
            m.sentence,
            f"{m.source_text} ({m.source_actor})",
            f"{m.target_text} ({m.target_actor})",
            f"{m.event_code} {book.event(m.event_code).name.lower()}",
            f"{m.event_date}",
        )
        for m in picked.itertuples(index=False)
    ]
    return table(("sentence", "source", "target", "CAMEO code", "event date"), rows)


def root_code_table(root_codes: pd.Series) -> str:
    """Counts by CAMEO root code, with the root's name and a bar."""
    counts = root_codes.dropna().value_counts().sort_index()
    if counts.empty:
        return "No events."
    book = codebook()
    widest = int(counts.max())
    rows = [
        (root, book.event(root).name.lower(), int(n), "█" * max(1, round(20 * int(n) / widest)))
        for root, n in counts.items()
    ]
    return table(("root", "name", "events", ""), rows)


def root_code_counts(root_codes: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in root_codes.dropna().value_counts().sort_index().items()}


def quad_class_chart(per_day: pd.DataFrame, title: str) -> str:
    """Events per day by quad class, as a stacked bar chart (SVG) and a table.

    ``per_day`` has one row per (day, quad_class) with the number of ``events``.
    """
    if per_day.empty:
        return "No events."
    days = pd.to_datetime(per_day["day"]).dt.date
    wide = (
        per_day.assign(day=days)
        .pivot_table(
            index="day", columns="quad_class", values="events", aggfunc="sum", fill_value=0
        )
        .reindex(columns=list(QUAD_CLASSES), fill_value=0)
    )
    # Every day of the span gets a bar, so the gaps show as gaps.
    span = pd.date_range(min(days), max(days), freq="D").date
    wide = wide.reindex(span, fill_value=0)
    svg = _stacked_bars(wide, title)
    image = base64.b64encode(svg.encode()).decode()
    rows = [
        (str(day), *(int(v) for v in counts), int(counts.sum())) for day, counts in wide.iterrows()
    ]
    figures = table(("day", *(name for name, _ in QUAD_CLASSES.values()), "all"), rows)
    return f"![{escape(title)}](data:image/svg+xml;base64,{image})\n\n{figures}"


def _stacked_bars(wide: pd.DataFrame, title: str) -> str:
    width, height, left, bottom, top = 640, 260, 40, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(1, int(wide.sum(axis=1).max()))
    step = plot_w / max(1, len(wide))
    bar = max(2.0, step * 0.8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="16" font-size="13">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#888"/>',
        f'<line x1="{left}" y1="{top}" x2="{width - 10}" y2="{top}" stroke="#ddd"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (day, counts) in enumerate(wide.iterrows()):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for quad, value in counts.items():
            h = plot_h * int(value) / peak
            if h:
                y -= h
                name, colour = QUAD_CLASSES[int(quad)]
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>{day}: {int(value)} {name}</title></rect>'
                )
        if i % max(1, round(len(wide) / 7)) == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
                f"{day:%m-%d}</text>"
            )
    for j, (name, colour) in enumerate(QUAD_CLASSES.values()):
        x = left + j * 150
        parts.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{height - 5}">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)


def day_events(mentions: pd.DataFrame) -> pd.DataFrame:
    """The distinct events coded from a day's mentions (dyadic ones; one per date, dyad, code)."""
    dyadic = mentions[mentions["is_dyadic"].fillna(False).astype(bool)]
    return dyadic.drop_duplicates(["event_date", "source_actor", "target_actor", "event_code"])


def quad_class_counts(events: pd.DataFrame) -> dict[str, int]:
    """Events per quad class, named: numeric entries the UI can plot across materialisations."""
    counts = events["quad_class"].dropna().astype(int).value_counts()
    return {
        name.replace(" ", "_"): int(counts.get(quad, 0)) for quad, (name, _) in QUAD_CLASSES.items()
    }


def recent_quad_classes(con, day, days: int = CHART_DAYS) -> pd.DataFrame:
    """Published events per event date and quad class, for the ``days`` days up to ``day``."""
    return con.execute(
        "SELECT event_date AS day, quad_class, count(*) AS events FROM events "
        "WHERE event_date BETWEEN ?::DATE - ? AND ?::DATE GROUP BY ALL ORDER BY ALL",
        [day, days - 1, day],
    ).fetchdf()


def events_metadata(store, day, mentions: pd.DataFrame) -> dict:
    """What the events asset shows after publishing ``day``: the day's events in a preview,
    by CAMEO root and by quad class, and a chart of the published events of the last days."""
    events = day_events(mentions)
    with store.connect() as con:
        per_day = recent_quad_classes(con, day)
    return {
        "dagster/row_count": len(events),
        "preview": dg.MetadataValue.md(mentions_preview(mentions)),
        "by_root_code": dg.MetadataValue.md(root_code_table(events["event_root_code"])),
        **quad_class_counts(events),
        "chart": dg.MetadataValue.md(
            quad_class_chart(
                per_day, f"Published events per day by quad class, {CHART_DAYS} days to {day}"
            )
        ),
    }
