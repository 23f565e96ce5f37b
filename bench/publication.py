"""What a publication costs as the warehouse grows: the copy of the published file, the build,
the exports and the swap, for one new day on top of warehouses of increasing size.

    python -m bench.publication [MENTIONS ...]     # default: 100000 1000000

Each warehouse is filled with synthetic mentions spread over a year (articles to match), its
events and aggregates rebuilt once, and then one synthetic day is published on top. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench import summary
from pipelines.warehouse.store import Warehouse
from tests.warehouse.synthetic import stream

_FILL = """
INSERT INTO articles BY NAME
SELECT 'a' || i AS article_id, DATE '2023-01-01' + CAST(i % 365 AS INTEGER) AS published_date,
       TIMESTAMP '2023-01-01 08:00' + INTERVAL (i % 365) DAY AS published_at,
       'Story ' || i AS title, 'https://news.example/' || i AS url,
       'Outlet ' || (i % 40) AS outlet, 'en' AS language, md5(i::VARCHAR) AS content_hash,
       NULL AS duplicate_of, 'bench.jsonl' AS source_file, CAST(i AS INTEGER) AS source_line,
       'Text of story ' || i AS text
FROM range({articles}) t(i);

INSERT INTO event_mentions BY NAME
WITH codes AS (
    SELECT list(event_code) AS all_codes FROM cameo_event_codes WHERE level >= 2
), actors AS (
    SELECT ['USA', 'CHN', 'RUS', 'UKR', 'NER', 'MLI', 'ISR', 'PSE', 'IRN', 'IND', 'PAK',
            'USAGOV', 'CHNMIL', 'RUSGOV', 'UKRMIL', 'IGOUNO', 'KENCOP', 'KENOPP'] AS all_actors
), raw AS (
    SELECT i, 'a' || (i % {articles}) AS article_id,
           DATE '2023-01-01' + CAST((i % {articles}) % 365 AS INTEGER) AS published_date,
           all_actors[1 + CAST(hash(i, 1) % 18 AS INTEGER)] AS source_actor,
           all_actors[1 + CAST(hash(i, 2) % 18 AS INTEGER)] AS target_actor,
           all_codes[1 + CAST(hash(i, 3) % len(all_codes) AS INTEGER)] AS event_code
    FROM range({mentions}) t(i), codes, actors
)
SELECT md5(i::VARCHAR)[:20] AS mention_id, raw.article_id, raw.published_date,
       CAST(i // {articles} AS INTEGER) AS sentence_index, 0 AS sentence_start,
       'A sentence.' AS sentence, source_actor, 'Source' AS source_text, 0 AS source_start,
       6 AS source_end, target_actor, 'Target' AS target_text, 10 AS target_start,
       16 AS target_end, 'acted' AS trigger_text, 7 AS trigger_start, 12 AS trigger_end,
       c.event_code, c.base_code AS event_base_code, c.root_code AS event_root_code,
       c.quad_class, c.goldstein, c.plover_type, raw.published_date AS event_date,
       NULL AS date_text, NULL AS location_country, NULL AS location_place,
       TRUE AS is_dyadic, 0.8 AS confidence, 'bench' AS rule, 'bench-1' AS coder_version
FROM raw JOIN cameo_event_codes AS c USING (event_code)
WHERE source_actor <> target_actor;
"""


def _megabytes(path: Path) -> float:
    return path.stat().st_size / 1e6


def bench(mentions: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="dyadflow-bench-"))
    try:
        warehouse = Warehouse(folder / "dyadflow.duckdb", folder / "exports")
        warehouse.publish_codebook()
        started = time.perf_counter()
        with duckdb.connect(str(warehouse.path)) as con:  # the bench fills the file in place
            con.execute(_FILL.format(articles=max(mentions // 3, 1), mentions=mentions))
        fill = time.perf_counter() - started
        started = time.perf_counter()
        rebuilt = warehouse.rebuild()
        rebuild = time.perf_counter() - started
        size = _megabytes(warehouse.path)
        started = time.perf_counter()
        shutil.copyfile(warehouse.path, folder / "copy.duckdb")
        copy = time.perf_counter() - started
        (folder / "copy.duckdb").unlink()
        day = stream(days=1, per_day=40)[0]
        started = time.perf_counter()
        result = warehouse.publish_partition(day.day, day.articles, day.quarantine, day.mentions)
        total = time.perf_counter() - started
        counts = warehouse.table_counts()
        print(
            f"{mentions:>9,} mentions -> {counts['events']:>9,} events, file {size:7.1f} MB: "
            f"fill {fill:5.1f} s, full rebuild {rebuild:5.1f} s ({len(rebuilt.events_dates)} dates); "
            f"bare copy {copy * 1000:6.0f} ms ({size / copy:5.0f} MB/s); "
            f"publishing one day {total:5.2f} s = "
            + ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items())
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument(
        "mentions",
        type=int,
        nargs="*",
        default=[100_000, 1_000_000],
        help="warehouse sizes, in mentions (default: 100000 1000000)",
    )
    for size in parser.parse_args(argv).mentions:
        bench(size)


if __name__ == "__main__":
    main(sys.argv[1:])
