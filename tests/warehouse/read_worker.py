"""An analyst's session in a separate process: query the warehouse in a loop while it is being
published, and record anything inconsistent.

    python -m tests.warehouse.read_worker MODE HOME EXPECTED_JSON STOP_FILE RESULT_JSON

EXPECTED_JSON maps each publication day to its article and mention counts. MODE "fresh" opens a
new read-only connection for every round (new queries see new releases); MODE "hold" keeps one
connection open for its whole life (a long session, which keeps the snapshot it opened; DuckDB
shares one database instance per file within a process, hence one mode per process). Each round
checks that the release it sees is whole: every day has all its articles and
mentions, the table counts equal those the release recorded, dyad_day adds up to events, and
every Parquet file of the articles export holds its whole day.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipelines.datamodel.tables import COUNTED_TABLES


def _check(con, expected: dict) -> tuple[int, list[str]]:
    problems = []
    release = con.execute(
        "SELECT release_id, " + ", ".join(f"rows_{t}" for t in COUNTED_TABLES) + " FROM releases "
        "ORDER BY release_id DESC LIMIT 1"
    ).fetchall()[0]
    for name, recorded in zip(COUNTED_TABLES, release[1:], strict=True):
        actual = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        if actual != recorded:
            problems.append(f"release {release[0]}: {name} has {actual} rows, recorded {recorded}")
    per_day = con.execute(
        "SELECT a.published_date::VARCHAR, a.n, coalesce(m.n, 0) FROM "
        "(SELECT published_date, count(*) n FROM articles GROUP BY 1) a LEFT JOIN "
        "(SELECT published_date, count(*) n FROM event_mentions GROUP BY 1) m USING (published_date)"
    ).fetchall()
    for day, articles, mentions in per_day:
        if [articles, mentions] != expected[day]:
            problems.append(
                f"{day}: {articles} articles, {mentions} mentions; want {expected[day]}"
            )
    events, dyads = con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT coalesce(sum(events), 0) FROM dyad_day)"
    ).fetchall()[0]
    if events != dyads:
        problems.append(f"release {release[0]}: {events} events but dyad_day counts {dyads}")
    return release[0], problems


def main(mode: str, home: str, expected_json: str, stop_file: str, result_json: str) -> None:
    root = Path(home)
    path = root / "dyadflow.duckdb"
    expected = json.loads(Path(expected_json).read_text())
    held = duckdb.connect(str(path), read_only=True) if mode == "hold" else None
    first = _check(held, expected)[0] if held else None
    result = {"rounds": 0, "releases_seen": [], "problems": [], "errors": [], "files_read": 0}
    seen = set()
    print("ready", flush=True)
    while not Path(stop_file).exists() or result["rounds"] < 5:
        try:
            if held is not None:
                release, problems = _check(held, expected)
                if release != first:
                    problems.append(f"the open session moved from release {first} to {release}")
            else:
                with duckdb.connect(str(path), read_only=True) as con:
                    release, problems = _check(con, expected)
            seen.add(release)
            result["problems"] += problems
            for file in sorted((root / "exports" / "articles").glob("*/part-0.parquet")):
                day = file.parent.name
                rows = pq.read_metadata(file).num_rows
                result["files_read"] += 1
                if rows != expected[day][0]:
                    result["problems"].append(f"{file}: {rows} rows, want {expected[day][0]}")
        except (FileNotFoundError, OSError, duckdb.Error) as error:
            result["errors"].append(f"{type(error).__name__}: {error}")
        result["rounds"] += 1
        time.sleep(0.005)
    if held is not None:
        held.close()
    result["releases_seen"] = sorted(seen)
    Path(result_json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:])
