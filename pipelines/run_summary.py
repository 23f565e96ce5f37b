"""The summary printed after a run: what was read, what was set aside, what was coded, what the
warehouse now holds, and where."""

from __future__ import annotations

from pathlib import Path

from pipelines.codebook import codebook
from pipelines.datamodel.tables import TABLES
from pipelines.printable import shown
from pipelines.warehouse.sql import row, scalar
from pipelines.warehouse.store import Warehouse


def summary(warehouse: Warehouse) -> str:
    with warehouse.connect(read_only=True) as con:

        def one(sql: str) -> int:
            return scalar(con, sql)

        articles = one("SELECT count(*) FROM articles")
        copies = one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
        days = row(
            con,
            "SELECT min(published_date), max(published_date), count(DISTINCT published_date) "
            "FROM articles",
        )
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
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        counts = {name: one(f"SELECT count(*) FROM {name}") for name in TABLES if name in present}
        release = row(
            con,
            "SELECT dataset_version, dedup_key FROM releases ORDER BY release_id DESC LIMIT 1",
        )
    names = codebook()
    copies_note = f" ({copies} copies of other stories, counted, not coded)" if copies else ""
    lines = [
        "dyadflow: run complete",
        "",
        f"Read      {articles} articles"
        + (f" published {days[0]} .. {days[1]} ({days[2]} days)" if articles else "")
        + copies_note,
        f"Quarantined {len(quarantined)} records:",
        *[f"  {shown(Path(f).name)}, {shown(loc)}: {shown(r)}" for f, loc, r in quarantined],
        f"Coded     {mentions} event mentions ({dyadic} dyadic) -> {events} deduplicated events",
        "",
        "Events by CAMEO root code:",
        *[
            f"  {root}  {names.event(root).name.lower():<40} {n:>5} events {m:>5} mentions"
            for root, n, m in by_root
        ],
        "",
        f"Tables (dataset {release[0] if release else '-'}; one event per act of "
        f"{release[1].replace(',', ', ') if release else '-'}, actors matched across grain):",
        *[f"  {name:<20} {n:>7} rows" for name, n in counts.items()],
        "",
        f"DuckDB    {warehouse.path}",
        f"Parquet   {warehouse.exports_dir}/<table>/YYYY-MM-DD/part-0.parquet",
    ]
    return "\n".join(lines)
