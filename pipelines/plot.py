"""A dyad's cooperation, conflict and Goldstein score over time, as a PNG.

Monthly bins are the norm in the literature, but a warehouse covering a few weeks has one or two
months: a monthly chart would be two bars pretending to be a trend. The bins follow the span
covered (the articles' publication dates and the dyad's event dates): months from 90 days up,
weeks from 21 days, days below that; the title says which and why.

Events are counted on their ``event_date``: the day the text names for the act, else its
publication day (``date_precision``); the footnote gives how many of each.

Days on which no article was read (``coverage_day``) are shaded, and a bin made only of such days
is left empty rather than drawn as zero events: no news is not the same as no events.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.codebook import QUAD_CLASS_COLOURS, QUAD_CLASS_NAMES
from pipelines.warehouse.sql import row

MONTHLY_FROM_DAYS = 90
WEEKLY_FROM_DAYS = 21

_QUADS = tuple((q, name, QUAD_CLASS_COLOURS[q]) for q, name in QUAD_CLASS_NAMES.items())


class Bins(StrEnum):
    """What a bar of the chart counts (also the word the title and the CLI use)."""

    MONTH = "month"
    WEEK = "week"
    DAY = "day"


class NoEvents(LookupError):
    pass


@dataclass(frozen=True)
class DyadPlot:
    path: Path
    bins: Bins
    events: int
    first: date
    last: date
    no_input: tuple[date, ...] = ()  # days of the span on which no article was read


def parse_dyad(text: str) -> tuple[str, str]:
    parts = [p.strip().upper() for p in text.replace("–", "-").split("-") if p.strip()]
    if len(parts) != 2 or parts[0] == parts[1]:
        raise ValueError(f"a dyad is two different codes joined by '-', like USA-CHN: {text!r}")
    return parts[0], parts[1]


def dyad_events(
    con: duckdb.DuckDBPyConnection, a: str, b: str, directed: bool = False
) -> pd.DataFrame:
    """The dyad's events (a -> b, and b -> a unless directed), by country or actor code."""
    source = "coalesce(source_country, source_actor)"
    target = "coalesce(target_country, target_actor)"
    where = f"({source} = $a AND {target} = $b)"
    if not directed:
        where += f" OR ({source} = $b AND {target} = $a)"
    return con.execute(
        f"SELECT event_date, date_precision, quad_class, goldstein FROM events WHERE {where} "
        "ORDER BY event_date",
        {"a": a, "b": b},
    ).fetchdf()


def choose_bins(first: date, last: date) -> Bins:
    span = (last - first).days + 1
    if span >= MONTHLY_FROM_DAYS:
        return Bins.MONTH
    return Bins.WEEK if span >= WEEKLY_FROM_DAYS else Bins.DAY


def _bin_start(day: pd.Series, bins: Bins) -> pd.Series:
    if bins == Bins.MONTH:
        return day.dt.to_period("M").dt.start_time
    if bins == Bins.WEEK:
        return day - pd.to_timedelta(day.dt.weekday, unit="D")
    return day


def _all_bins(first: date, last: date, bins: Bins) -> pd.DatetimeIndex:
    start = _bin_start(pd.Series(pd.to_datetime([first])), bins).iloc[0]
    freq = {Bins.MONTH: "MS", Bins.WEEK: "W-MON", Bins.DAY: "D"}[bins]
    return pd.date_range(start, pd.Timestamp(last), freq=freq)


def binned(
    events: pd.DataFrame,
    first: date,
    last: date,
    bins: Bins,
    no_input: Collection[date] = (),
) -> pd.DataFrame:
    """Events per bin and quad class, and the Goldstein mean and sum; empty bins are zeros
    (counts) or missing (the mean of nothing), and missing altogether when no article was read
    on any of their days (``no_input``)."""
    frame = events.assign(bin=_bin_start(pd.to_datetime(events["event_date"]), bins))
    counts = frame.pivot_table(
        index="bin", columns="quad_class", values="goldstein", aggfunc="size"
    )
    quads = [q for q, _, _ in _QUADS]
    counts = counts.reindex(columns=quads, fill_value=0)
    goldstein = frame.groupby("bin")["goldstein"].agg(["mean", "sum"])
    out = counts.join(goldstein).reindex(_all_bins(first, last, bins))
    out[quads] = out[quads].fillna(0).astype(int)
    out["sum"] = out["sum"].fillna(0.0)
    days = pd.Series(pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="D"))
    read = ~days.dt.date.isin(set(no_input))
    fed = read.groupby(_bin_start(days, bins)).any().reindex(out.index, fill_value=False)
    unread = ~fed & (out[quads].sum(axis=1) == 0)
    out[quads] = out[quads].astype("float64")
    out.loc[unread, [*quads, "sum"]] = float("nan")
    return out


def days_without_input(con: duckdb.DuckDBPyConnection, first: date, last: date) -> list[date]:
    """The days from first to last on which no article was read."""
    return [
        d
        for (d,) in con.execute(
            """
            SELECT CAST(day AS DATE) FROM range(CAST($first AS DATE), CAST($last AS DATE) + 1,
                                                INTERVAL 1 DAY) AS t(day)
            WHERE CAST(day AS DATE) NOT IN (
                SELECT published_date FROM coverage_day GROUP BY ALL HAVING sum(articles) > 0
            )
            ORDER BY 1
            """,
            {"first": first, "last": last},
        ).fetchall()
    ]


def coverage(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    first, last = row(con, "SELECT min(published_date), max(published_date) FROM articles")
    return first, last


def plot_dyad(
    con: duckdb.DuckDBPyConnection,
    dyad: str,
    output: Path,
    directed: bool = False,
    dataset_version: str = "",
) -> DyadPlot:
    a, b = parse_dyad(dyad)
    events = dyad_events(con, a, b, directed)
    if events.empty:
        raise NoEvents(f"no events between {a} and {b}{' in that direction' if directed else ''}")
    covered = [d for d in coverage(con) if d is not None]
    dates = list(pd.to_datetime(events["event_date"]).dt.date)
    first, last = min(dates + covered), max(dates + covered)
    bins = choose_bins(first, last)
    no_input = days_without_input(con, first, last)
    table = binned(events, first, last, bins, no_input)
    dated = int((events["date_precision"] == "day").sum())
    _draw(
        table, a, b, directed, bins, first, last, len(events), dataset_version, output, no_input,
        dated,
    )  # fmt: skip
    return DyadPlot(output, bins, len(events), first, last, tuple(no_input))


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _draw(
    table, a, b, directed, bins, first, last, n_events, version, output: Path, no_input=(), dated=0
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    span = (last - first).days + 1
    why = {
        Bins.MONTH: "",
        Bins.WEEK: f": the data cover {span} days, too few for monthly bins",
        Bins.DAY: f": the data cover {span} days, too few for monthly or weekly bins",
    }[bins]
    direction = f"{a} → {b}" if directed else f"{a} ↔ {b}, both directions"
    fig, (counts_ax, goldstein_ax) = plt.subplots(
        2, 1, figsize=(10, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    fig.suptitle(f"{direction}: events per {bins}{why}", fontsize=12)
    # Bars span their bin from its first day; points sit in the middle of it.
    width = {Bins.MONTH: 27, Bins.WEEK: 6.2, Bins.DAY: 0.85}[bins]
    x = table.index
    middle = x + pd.Timedelta(days=width / 2)
    up = pd.Series(0, index=x)
    down = pd.Series(0, index=x)
    for quad, label, colour in _QUADS:
        values = table[quad]
        if quad <= 2:  # cooperation above the axis, conflict below
            counts_ax.bar(x, values, width, bottom=up, color=colour, label=label, align="edge")
            up = up + values
        else:
            counts_ax.bar(x, -values, width, bottom=-down, color=colour, label=label, align="edge")
            down = down + values
    counts_ax.axhline(0, color="black", linewidth=0.8)
    counts_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts_ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{abs(int(v))}"))
    counts_ax.set_ylabel("events\n(cooperation up, conflict down)")
    counts_ax.legend(loc="upper right", fontsize=8, ncol=2, frameon=True, framealpha=0.9)
    top = max(up.max(), down.max(), 1)
    counts_ax.set_ylim(-top * 1.25, top * 1.35)

    mean = table["mean"]
    goldstein_ax.axhline(0, color="black", linewidth=0.8)
    goldstein_ax.bar(x, table["sum"], width, color="#9fa8da", alpha=0.6, label="sum", align="edge")
    goldstein_ax.plot(
        middle, mean, color="#1a237e", marker="o", linewidth=1.2, label="mean per event"
    )
    goldstein_ax.set_ylabel(f"Goldstein score\nper {bins}")
    goldstein_ax.legend(loc="upper right", fontsize=8, ncol=2, frameon=True, framealpha=0.9)
    low = min(table["sum"].min(), mean.min(skipna=True), -1)
    high = max(table["sum"].max(), mean.max(skipna=True), 1)
    goldstein_ax.set_ylim(low * 1.25, high * 1.6)

    for n, (start, end) in enumerate(_runs(list(no_input))):
        for ax in (counts_ax, goldstein_ax):
            ax.axvspan(
                pd.Timestamp(start),
                pd.Timestamp(end) + pd.Timedelta(days=1),
                color="#bdbdbd",
                alpha=0.45,
                linewidth=0,
                zorder=0,  # behind the bars
                label="no articles read" if n == 0 and ax is counts_ax else None,
            )
    if no_input:
        counts_ax.legend(loc="upper right", fontsize=8, ncol=2, frameon=True, framealpha=0.9)

    locator = mdates.AutoDateLocator(minticks=3, maxticks=12)
    goldstein_ax.xaxis.set_major_locator(locator)
    goldstein_ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    pad = timedelta(days=width / 4)
    goldstein_ax.set_xlim(x.min() - pad, x.max() + timedelta(days=width) + pad)
    fig.text(
        0.01,
        0.01,
        f"{n_events} events from {first} to {last}, by event date: the day the text names "
        f"({dated}), else the publication day ({n_events - dated}); "
        f"empty {bins}s have no Goldstein mean"
        + (f"; grey: the {len(no_input)} days with no articles read." if no_input else ".")
        + (f" dyadflow dataset {version}" if version else ""),
        fontsize=8,
        color="#555555",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=120)
    plt.close(fig)
