"""The analysis aggregates: ``dyad_day``, ``dyad_month`` and ``country_month``, derived from
``events`` and refreshed for the days and months a publication touched.

A dyad is directed (source -> target) and made of countries: ``USAGOV -> CHNMIL`` counts for
USA -> CHN. Actors with no country (IGOs, NGOs) take their full actor code instead, so an event
is never dropped from the aggregates.
"""

from __future__ import annotations

import duckdb

from pipelines.warehouse.sql import ON_AFFECTED_DATES

# The measures every aggregate carries, as SQL over a set of events aliased ``e``. Goldstein
# weights have one decimal: summed as decimals, the sums and means are exact, whatever order
# the events are stored in (a sum of doubles differs in its last digits).
MEASURES = """
    count(*) AS events,
    sum(e.num_mentions) AS mentions,
    count(*) FILTER (WHERE e.quad_class = 1) AS verbal_cooperation,
    count(*) FILTER (WHERE e.quad_class = 2) AS material_cooperation,
    count(*) FILTER (WHERE e.quad_class = 3) AS verbal_conflict,
    count(*) FILTER (WHERE e.quad_class = 4) AS material_conflict,
    count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
    count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict,
    CAST(sum(CAST(e.goldstein AS DECIMAL(18, 1))) AS DOUBLE) AS goldstein_sum,
    CAST(avg(CAST(e.goldstein AS DECIMAL(18, 1))) AS DOUBLE) AS goldstein_mean"""

# The two sides of an event's country dyad.
SOURCE = "coalesce(e.source_country, e.source_actor)"
TARGET = "coalesce(e.target_country, e.target_actor)"


def dyad_day_sql(where: str = "TRUE") -> str:
    return f"""
SELECT e.event_date, {SOURCE} AS source_country, {TARGET} AS target_country,{MEASURES}
FROM events AS e WHERE {where}
GROUP BY ALL"""


def dyad_month_sql(where: str = "TRUE") -> str:
    return f"""
SELECT CAST(date_trunc('month', e.event_date) AS DATE) AS month,
       {SOURCE} AS source_country, {TARGET} AS target_country,{MEASURES}
FROM events AS e WHERE {where}
GROUP BY ALL"""


def country_month_sql(where: str = "TRUE") -> str:
    # One row per (event, country involved): a domestic event involves its country once.
    return f"""
WITH involved AS (
    SELECT e.*, {SOURCE} AS country, TRUE AS is_source, {SOURCE} = {TARGET} AS is_target
    FROM events AS e WHERE {where}
    UNION ALL
    SELECT e.*, {TARGET} AS country, FALSE AS is_source, TRUE AS is_target
    FROM events AS e WHERE ({where}) AND {SOURCE} <> {TARGET}
)
SELECT CAST(date_trunc('month', e.event_date) AS DATE) AS month, e.country,
       count(*) FILTER (WHERE e.is_source) AS as_source,
       count(*) FILTER (WHERE e.is_target) AS as_target,
       count(*) FILTER (WHERE e.is_source AND e.is_target) AS domestic,{MEASURES}
FROM involved AS e
GROUP BY ALL"""


def with_month_total(sql: str) -> str:
    """A monthly aggregate with ``month_events``, all the events of its month."""
    return f"""
SELECT a.*, t.month_events
FROM ({sql}) AS a
JOIN (
    SELECT CAST(date_trunc('month', event_date) AS DATE) AS month, count(*) AS month_events
    FROM events GROUP BY ALL
) AS t USING (month)"""


_IN_DATES = f"e.{ON_AFFECTED_DATES}"
_IN_MONTHS = (
    "date_trunc('month', e.event_date) IN "
    "(SELECT DISTINCT date_trunc('month', event_date) FROM affected_dates)"
)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the aggregates for the dates in temp table ``affected_dates`` (and their months)."""
    con.execute(f"DELETE FROM dyad_day WHERE {ON_AFFECTED_DATES}")
    con.execute(f"INSERT INTO dyad_day BY NAME {dyad_day_sql(_IN_DATES)} ORDER BY ALL")
    months = "(SELECT DISTINCT CAST(date_trunc('month', event_date) AS DATE) FROM affected_dates)"
    for table, sql in (("dyad_month", dyad_month_sql), ("country_month", country_month_sql)):
        con.execute(f"DELETE FROM {table} WHERE month IN {months}")
        con.execute(f"INSERT INTO {table} BY NAME {with_month_total(sql(_IN_MONTHS))} ORDER BY ALL")
