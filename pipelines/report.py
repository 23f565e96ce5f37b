"""The summary printed after a run: what was read, what was set aside, what was coded, where."""

from __future__ import annotations

from pathlib import Path

from pipelines.codebook import codebook
from pipelines.warehouse.store import Warehouse


def summary(warehouse: Warehouse) -> str:
    with warehouse.connect(read_only=True) as con:

        def one(sql: str) -> int:
            return con.execute(sql).fetchone()[0]

        articles = one("SELECT count(*) FROM articles")
        days = con.execute(
            "SELECT min(published_date), max(published_date), count(DISTINCT published_date) FROM articles"
        ).fetchone()
        quarantined = con.execute(
            "SELECT source_file, location, reason FROM quarantine ORDER BY source_file, "
            r"try_cast(regexp_extract(location, '\d+') AS BIGINT), location"
        ).fetchall()
        mentions = one("SELECT count(*) FROM event_mentions")
        dyadic = one("SELECT count(*) FROM event_mentions WHERE is_dyadic")
        events = one("SELECT count(*) FROM events")
        by_root = con.execute(
            "SELECT event_root_code, count(*), sum(num_mentions) FROM events GROUP BY 1 ORDER BY 1"
        ).fetchall()
    names = codebook()
    lines = [
        "dyadflow: run complete",
        "",
        f"Read      {articles} articles"
        + (f" published {days[0]} .. {days[1]} ({days[2]} days)" if articles else ""),
        f"Quarantined {len(quarantined)} records:",
        *[f"  {Path(f).name}, {loc}: {reason}" for f, loc, reason in quarantined],
        f"Coded     {mentions} event mentions ({dyadic} dyadic) -> {events} deduplicated events",
        "",
        "Events by CAMEO root code:",
        *[
            f"  {root}  {names.event(root).name.lower():<40} {n:>5} events {m:>5} mentions"
            for root, n, m in by_root
        ],
        "",
        f"DuckDB    {warehouse.path}",
        f"Parquet   {warehouse.exports_dir}/<table>/<date column>=YYYY-MM-DD/part-0.parquet",
    ]
    return "\n".join(lines)
