"""How fast analysts' questions are on a large warehouse: the dyad-month aggregation (the
``dyad_month`` table's own SQL, over every month) and two common queries, on a synthetic
``events`` table of the warehouse's schema.

    python -m bench.aggregation [EVENTS]        # default 10,000,000

Events are spread over ten years, 60 country actors with roles, 2,000 CAMEO-like codes; the table
lives in a DuckDB file (not in memory), as the published warehouse does. Each query is run three
times and the best time kept. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench import summary
from pipelines.datamodel.tables import EVENTS
from pipelines.warehouse.aggregates import dyad_month_sql

_FILL = """
INSERT INTO events BY NAME
WITH actors AS (
    SELECT ['USA','CHN','RUS','UKR','NER','MLI','ISR','PSE','IRN','IND','PAK','KEN','UGA','NGA',
            'BRA','MEX','FRA','DEU','GBR','TUR','SYR','IRQ','EGY','SDN','ETH','SOM','ZAF','COD',
            'AFG','MMR','VEN','COL','JPN','KOR','PRK','TWN','PHL','IDN','VNM','THA','SAU','YEM',
            'LBN','JOR','LBY','TUN','DZA','MAR','SEN','GHA','CMR','TCD','CAF','SSD','RWA','BDI',
            'POL','SRB','GEO','ARM'] AS countries,
           ['', 'GOV', 'MIL', 'COP', 'OPP', 'REB', 'CVL'] AS roles
), raw AS (
    SELECT i,
           countries[1 + CAST(hash(i, 1) % 60 AS INTEGER)] AS sc,
           countries[1 + CAST(hash(i, 2) % 60 AS INTEGER)] AS tc,
           roles[1 + CAST(hash(i, 3) % 7 AS INTEGER)] AS sr,
           roles[1 + CAST(hash(i, 4) % 7 AS INTEGER)] AS tr,
           1 + CAST(hash(i, 5) % 20 AS INTEGER) AS root
    FROM range({events}) t(i), actors
)
SELECT lpad(i::VARCHAR, 20, '0') AS event_id,
       DATE '2015-01-01' + CAST(i % 3650 AS INTEGER) AS event_date,
       sc || sr AS source_actor, sc AS source_country,
       CASE WHEN sr = '' THEN []::VARCHAR[] ELSE [sr] END AS source_roles,
       tc || tr AS target_actor, tc AS target_country,
       CASE WHEN tr = '' THEN []::VARCHAR[] ELSE [tr] END AS target_roles,
       'Source' AS source_name, 'Target' AS target_name,
       lpad(root::VARCHAR, 2, '0') || (i % 10)::VARCHAR AS event_code,
       lpad(root::VARCHAR, 2, '0') || (i % 10)::VARCHAR AS event_base_code,
       lpad(root::VARCHAR, 2, '0') AS event_root_code,
       CAST(1 + (root - 1) // 5 AS INTEGER) AS quad_class,
       round(10 - root, 1) AS goldstein,
       1 + CAST(hash(i, 6) % 5 AS INTEGER) AS num_mentions,
       1 AS num_articles, 1 AS num_sources, 0.8 AS confidence,
       ['https://news.example/story'] AS source_urls,
       TIMESTAMP '2015-01-01 08:00' + INTERVAL (i % 3650) DAY AS first_seen,
       TIMESTAMP '2015-01-01 09:00' + INTERVAL (i % 3650) DAY AS last_seen,
       'bench-1' AS coder_version
FROM raw
"""

QUERIES = {
    "dyad-month aggregation (dyad_month's SQL, all months)": (
        f"SELECT count(*), sum(events) FROM ({dyad_month_sql()})"
    ),
    "one dyad, both directions, by month": """
        SELECT date_trunc('month', event_date) AS month, source_actor[1:3], target_actor[1:3],
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               avg(goldstein)
        FROM events
        WHERE (source_actor LIKE 'MLI%' AND target_actor LIKE 'UKR%')
           OR (source_actor LIKE 'UKR%' AND target_actor LIKE 'MLI%')
        GROUP BY ALL ORDER BY month""",
    "top 10 directed country dyads": """
        SELECT source_country, target_country, count(*) AS events, sum(num_mentions)
        FROM events GROUP BY ALL ORDER BY events DESC LIMIT 10""",
}


def run(events: int = 10_000_000) -> dict[str, float]:
    """Best-of-three seconds per query on a table of ``events`` rows (and the fill time)."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="dyadflow-agg-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        con.execute(EVENTS.create_sql())
        started = time.perf_counter()
        con.execute(_FILL.format(events=events))
        figures["fill"] = time.perf_counter() - started
        con.execute("CHECKPOINT")
        for name, sql in QUERIES.items():
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                best = min(best, time.perf_counter() - started)
            figures[name] = best
        con.close()
    return figures


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument(
        "events", type=int, nargs="?", default=10_000_000, help="rows (default: 10000000)"
    )
    events = parser.parse_args(argv).events
    figures = run(events)
    print(
        f"aggregation: synthetic events table of {events:,} rows (filled in {figures['fill']:.1f} s)"
    )
    for name, seconds in figures.items():
        if name != "fill":
            print(f"  {name:<55} {seconds:6.3f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
