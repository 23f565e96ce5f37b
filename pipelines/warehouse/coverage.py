"""``coverage_day``: what was read, coded and set aside per publication day and outlet, so that
event counts can be normalised by the input behind them and a day with no input told apart from
a day with no events.

A day appears once it has been published: a day published with nothing to read has one row of
zeros (outlet null), a day never published has none. Rebuilt whole at every publication: one
row per day and outlet is small next to the articles it counts.
"""

from __future__ import annotations

import duckdb

from pipelines.datamodel.outcomes import ReleaseAction

# One pass over a union of what was read, coded and set aside: GROUP BY keeps the null outlet of
# quarantined records (and of articles without one) in one group, where a join would not match it.
COVERAGE_SQL = f"""
WITH input AS (
    SELECT published_date, outlet, 1 AS articles, CAST(duplicate_of IS NOT NULL AS INTEGER) AS copies,
           CAST(duplicate_of IS NULL AS INTEGER) AS coded, 0 AS mentions, 0 AS dyadic_mentions,
           0 AS quarantined
    FROM articles
    UNION ALL
    SELECT a.published_date, a.outlet, 0, 0, 0, 1, CAST(m.is_dyadic AS INTEGER), 0
    FROM event_mentions AS m JOIN articles AS a USING (article_id)
    UNION ALL
    SELECT published_date, NULL, 0, 0, 0, 0, 0, 1
    FROM quarantine WHERE published_date IS NOT NULL
    UNION ALL
    SELECT day, NULL, 0, 0, 0, 0, 0, 0
    FROM releases
    WHERE action = '{ReleaseAction.PUBLISH_DAY}' AND day IS NOT NULL
      AND day NOT IN (SELECT published_date FROM articles)
      AND day NOT IN (SELECT published_date FROM quarantine WHERE published_date IS NOT NULL)
)
SELECT published_date, outlet,
       CAST(sum(articles) AS BIGINT) AS articles, CAST(sum(copies) AS BIGINT) AS copies,
       CAST(sum(coded) AS BIGINT) AS coded, CAST(sum(mentions) AS BIGINT) AS mentions,
       CAST(sum(dyadic_mentions) AS BIGINT) AS dyadic_mentions,
       CAST(sum(quarantined) AS BIGINT) AS quarantined
FROM input
GROUP BY ALL
"""


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``coverage_day`` from the articles, mentions, quarantine and releases in ``con``."""
    con.execute("DELETE FROM coverage_day")
    con.execute(f"INSERT INTO coverage_day BY NAME {COVERAGE_SQL} ORDER BY ALL")
