"""Checks run on a candidate release before it replaces the published file.

A check takes the candidate's connection and the ``Change`` being published and returns
``CheckOutcome``s. Any failed outcome of severity ERROR stops the publication: the candidate is
thrown away and the published data stay as they were. WARN outcomes are reported, not blocking.

``built_in`` holds the warehouse's own consistency checks. Other validators (Great Expectations
suites, for instance) plug in through the ``validate`` argument of ``Warehouse.publish_partition``
with the same signature; the Dagster asset turns the outcomes into asset check results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb

from pipelines.datamodel.outcomes import Change, CheckOutcome, Severity
from pipelines.warehouse.sql import ON_AFFECTED_DATES, scalar

Validator = Callable[[duckdb.DuckDBPyConnection, Change], Sequence[CheckOutcome]]


class PublicationRejected(RuntimeError):
    """The candidate failed an ERROR-level check; nothing was published."""

    def __init__(self, change: Change, outcomes: Sequence[CheckOutcome]):
        self.change = change
        self.outcomes = list(outcomes)
        failed = [str(o) for o in self.outcomes if o.blocks]
        what = f"day {change.day}" if change.day else change.name
        super().__init__(f"{what} not published: " + "; ".join(failed))


# The built-in checks, by name: what each one guarantees (the Dagster asset declares them).
BUILT_IN_CHECKS = {
    "events_counts_consistent": "Every rebuilt event has 1 <= num_sources <= num_articles <= num_mentions.",
    "mentions_have_articles": "Every event mention of the published day points at a published article.",
    "event_codes_in_codebook": "Every rebuilt event's CAMEO code is in cameo_event_codes.",
    "dyad_day_matches_events": "dyad_day counts exactly the events of each rebuilt date.",
    "actors_recognised": "Actor codes split into a known country or group (warns only).",
}


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(scalar(con, sql))


def built_in(con: duckdb.DuckDBPyConnection, change: Change) -> list[CheckOutcome]:
    """Consistency of what the publication rebuilt: counts, links and aggregates."""
    outcomes = []

    bad_counts = _count(
        con,
        f"SELECT count(*) FROM events WHERE {ON_AFFECTED_DATES} AND NOT "
        "(num_articles >= 1 AND num_sources BETWEEN 1 AND num_articles AND num_mentions >= num_articles)",
    )
    outcomes.append(
        CheckOutcome(
            "events_counts_consistent",
            bad_counts == 0,
            f"{bad_counts} rebuilt events break 1 <= num_sources <= num_articles <= num_mentions",
        )
    )

    days = list(change.days) or ([change.day] if change.day else [])
    day_filter = "WHERE list_contains($days, m.published_date)" if days else ""
    orphans = int(
        scalar(
            con,
            f"SELECT count(*) FROM event_mentions m ANTI JOIN articles a USING (article_id) "
            f"{day_filter}",
            {"days": days} if days else None,
        )
    )
    outcomes.append(
        CheckOutcome(
            "mentions_have_articles",
            orphans == 0,
            f"{orphans} event mentions point at no article",
        )
    )

    unknown_codes = _count(
        con,
        f"SELECT count(*) FROM events e ANTI JOIN cameo_event_codes c USING (event_code) "
        f"WHERE e.{ON_AFFECTED_DATES}",
    )
    outcomes.append(
        CheckOutcome(
            "event_codes_in_codebook",
            unknown_codes == 0,
            f"{unknown_codes} rebuilt events have a code missing from cameo_event_codes",
        )
    )

    mismatch = _count(
        con,
        f"""
        SELECT count(*) FROM (
            SELECT event_date, count(*) AS n FROM events WHERE {ON_AFFECTED_DATES} GROUP BY ALL
        ) e FULL JOIN (
            SELECT event_date, sum(events) AS n FROM dyad_day WHERE {ON_AFFECTED_DATES} GROUP BY ALL
        ) d USING (event_date)
        WHERE e.n IS DISTINCT FROM d.n
        """,
    )
    outcomes.append(
        CheckOutcome(
            "dyad_day_matches_events",
            mismatch == 0,
            f"{mismatch} rebuilt dates where dyad_day's event count differs from events",
        )
    )

    no_country = con.execute(
        f"SELECT DISTINCT actor FROM (SELECT source_actor AS actor, source_country AS country, "
        f"source_group AS grp FROM events WHERE {ON_AFFECTED_DATES} UNION ALL SELECT target_actor, "
        f"target_country, target_group FROM events WHERE {ON_AFFECTED_DATES}) "
        "WHERE country IS NULL AND grp IS NULL ORDER BY actor LIMIT 20"
    ).fetchall()
    outcomes.append(
        CheckOutcome(
            "actors_recognised",
            not no_country,
            f"actor codes with neither a known country nor a group: {[a for (a,) in no_country]}",
            severity=Severity.WARN,
        )
    )
    return outcomes
