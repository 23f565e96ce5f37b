"""The build of a release on its candidate: in one transaction, the days' rows replace those
published for them, the codebook, actor dictionary and validation records are loaded, the
events of every event date the days touch are rebuilt from all mentions in the warehouse, the
aggregates of those dates and months are recomputed, and the release rows are added."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.datamodel.outcomes import Change, ReleaseAction
from pipelines.datamodel.tables import ARTICLES, EVENT_MENTIONS, VALIDATION_RUNS
from pipelines.warehouse import acts, aggregates, coverage, migration, releases
from pipelines.warehouse.actor_codes import actor_parts_table
from pipelines.warehouse.codebook_tables import (
    actor_dictionary,
    actor_dictionary_version,
    codebook_frames,
    codebook_version,
)
from pipelines.warehouse.dedup_rule import DedupRule
from pipelines.warehouse.sql import ON_AFFECTED_DATES, dates, insert, run_with, scalar


@dataclass(frozen=True, eq=False)
class DayRows:
    """A publication day's rows, as ``Warehouse.publish_partitions`` takes them. ``inputs``: the
    fingerprint of what the day was made of (``pipelines/day_fingerprint.py``), recorded with it."""

    day: date
    articles: pd.DataFrame
    quarantine: pd.DataFrame
    mentions: pd.DataFrame
    inputs: str | None = None


@dataclass(frozen=True)
class Built:
    """What a build changed. ``touched``: the event dates each day touches (with their
    neighbours); ``rebuilt``: the events on each rebuilt date; ``full``: every event was
    rebuilt; ``codebook_changed``: the codebook or actor dictionary differs from the last
    release's."""

    change: Change
    touched: dict[date, set[date]]
    rebuilt: dict[date, int]
    full: bool
    codebook_changed: bool


def build(
    con: duckdb.DuckDBPyConnection,
    action: ReleaseAction,
    days: tuple[DayRows, ...],
    dedup: DedupRule,
    validation_runs: Path,
    dictionaries: tuple[str, ...] = (),
) -> Built:
    """Build the release on the candidate ``con`` and commit it."""
    full = migration.ensure_schema(con) or action == ReleaseAction.REBUILD
    con.execute("BEGIN TRANSACTION")
    _load_codebook(con)
    previous = releases.latest(con, "dedup_key, codebook_version, dictionary_version")
    if previous is not None and previous[0] != str(dedup):
        full = True  # a new rule applies to every event, or the table would mix two rules
    _load_validation_runs(con, validation_runs)
    # a change to one date's mentions can regroup the acts of the days either side
    touched = {rows.day: acts.neighbours(_replace_day(con, rows)) for rows in days}
    affected_set = set().union(*touched.values())
    dictionary = _publish_dictionary(con, previous[2] if previous else None, dictionaries)
    codebook_changed = previous is None or tuple(previous[1:]) != (
        codebook_version(),
        dictionary,
    )
    if full:
        affected_set |= dates(
            con,
            "SELECT event_date FROM event_mentions WHERE is_dyadic "
            "UNION SELECT event_date FROM events UNION SELECT event_date FROM dyad_day",
        )
    affected = tuple(sorted(affected_set))
    _rebuild_events(con, affected, dedup, full)
    rebuilt = dict(
        con.execute(
            f"SELECT event_date, count(*) FROM events WHERE {ON_AFFECTED_DATES} GROUP BY ALL"
        ).fetchall()
    )
    # One row per day published, each with its own inputs and event dates (the last with
    # every date rebuilt, a full rebuild's included), so that the days read as if each was
    # published on its own; none of the rows but the last is ever the published release.
    entries = [(rows.day, rows.inputs, tuple(sorted(touched[rows.day]))) for rows in days]
    entries = entries or [(None, None, affected)]
    entries[-1] = (*entries[-1][:2], affected)
    for entry_day, inputs, event_dates in entries:
        release_id = releases.record(
            con, action, entry_day, event_dates, str(dedup), inputs, dictionary
        )
    coverage.refresh(con)  # after the release: a day published empty has a row of zeros
    con.execute("COMMIT")
    change = Change(
        release_id,
        days[0].day if len(days) == 1 else None,
        affected,
        action,
        tuple(rows.day for rows in days),
    )
    return Built(change, touched, rebuilt, full, codebook_changed)


def _rebuild_events(
    con: duckdb.DuckDBPyConnection, affected: tuple[date, ...], dedup: DedupRule, full: bool
) -> None:
    """The events and aggregates of the ``affected`` dates, from their mentions."""
    con.execute("CREATE OR REPLACE TEMP TABLE affected_dates (event_date DATE)")
    if affected:
        run_with(
            con,
            "affected_incoming",
            pd.DataFrame({"event_date": list(affected)}),
            "INSERT INTO affected_dates SELECT event_date FROM affected_incoming",
        )
    actors = [
        code
        for pair in con.execute(
            "SELECT DISTINCT source_actor, target_actor FROM event_mentions "
            f"WHERE is_dyadic AND {ON_AFFECTED_DATES}"
        ).fetchall()
        for code in pair
    ]
    run_with(
        con,
        "actor_parts_incoming",
        actor_parts_table(actors),
        "CREATE OR REPLACE TEMP TABLE actor_parts AS FROM actor_parts_incoming",
    )
    dedup.rebuild(con, every_event=full)
    aggregates.refresh(con)


def _replace_day(con: duckdb.DuckDBPyConnection, rows: DayRows) -> set[date]:
    """Put the day's rows in place of those published for it; the event dates it touched, before
    and after."""
    before = _touch_events_of_day(con, rows.day)
    for table, frame in ((ARTICLES, rows.articles), (EVENT_MENTIONS, rows.mentions)):
        con.execute(f"DELETE FROM {table.name} WHERE published_date = ?", [rows.day])
        insert(con, table.name, frame)
    _upsert_quarantine(con, rows.quarantine)
    return before | _touch_events_of_day(con, rows.day)


def _touch_events_of_day(con: duckdb.DuckDBPyConnection, day: date) -> set[date]:
    """The event dates of the day's dyadic mentions and of the stories the day's copies repeat
    (their articles count those copies): where a change to the day alters events."""
    return dates(
        con,
        """
        SELECT DISTINCT m.event_date
        FROM event_mentions AS m
        WHERE m.is_dyadic AND (m.published_date = $day OR m.article_id IN (
            SELECT duplicate_of FROM articles WHERE published_date = $day AND duplicate_of IS NOT NULL
        ))
        """,
        {"day": day},
    )


def _upsert_quarantine(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Quarantine rows are keyed by where they sit in their file, so re-reading is idempotent."""
    if frame.empty:
        return
    run_with(
        con,
        "incoming",
        frame,
        "DELETE FROM quarantine USING incoming WHERE quarantine.source_file = "
        "incoming.source_file AND quarantine.location = incoming.location",
        "INSERT INTO quarantine BY NAME SELECT DISTINCT * FROM incoming",
    )


def validation_records(folder: Path) -> list[Path]:
    """The validation records in the folder validations leave them in."""
    return sorted(folder.glob("*/*.json"))


def recorded_validations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The validation records ``validation_runs`` holds, by file name."""
    return {r[0] for r in con.execute("SELECT record FROM validation_runs").fetchall()}


def _load_validation_runs(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Add the validation records written since the last publication (records never change)."""
    if not folder.is_dir():
        return
    known = recorded_validations(con)
    rows = []
    for path in validation_records(folder):
        if path.name in known:
            continue
        try:
            record = json.loads(path.read_text("utf-8"))
            record["validated_at"] = datetime.fromisoformat(record["validated_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a record being written, or not one of ours: the next publication retries
        if record["validated_at"].tzinfo is not None:
            record["validated_at"] = record["validated_at"].astimezone(UTC).replace(tzinfo=None)
        wanted = {c: record.get(c) for c in VALIDATION_RUNS.column_names}
        wanted["record"] = path.name
        rows.append(wanted)
    if rows:
        insert(con, VALIDATION_RUNS.name, VALIDATION_RUNS.frame(rows))


def _load_codebook(con: duckdb.DuckDBPyConnection) -> None:
    """The CAMEO tables; the actor dictionary is ``_publish_dictionary``'s."""
    for name, frame in codebook_frames().items():
        con.execute(f"DELETE FROM {name}")
        insert(con, name, frame)


def _publish_dictionary(
    con: duckdb.DuckDBPyConnection, published: str | None, extra: tuple[str, ...]
) -> str:
    """Load the dictionaries in force into ``actor_dictionary`` when the candidate's mentions
    were coded with them, or it has none; otherwise keep the published table. Returns the
    fingerprint of the dictionaries the table holds.

    So a release that publishes no newly coded day (the codebook, validation records, a
    rebuild) never publishes a dictionary ahead of the events: after an edit that blocked its
    day, ``actor_dictionary`` and ``releases.dictionary_version`` still describe the events.
    """
    version = actor_dictionary_version(extra)
    held = scalar(con, "SELECT count(*) FROM actor_dictionary")
    if published == version and held:
        return published  # the candidate, a copy of the published file, holds it already
    coded = {
        # a coder version ends with the fingerprint of its dictionaries (coding/version.py)
        str(v).rsplit("-", 1)[-1]
        for (v,) in con.execute(
            "SELECT DISTINCT coder_version FROM event_mentions WHERE coder_version IS NOT NULL"
        ).fetchall()
    }
    if published is not None and held and coded and version not in coded:
        return published
    version, frame = actor_dictionary(extra)
    con.execute("DELETE FROM actor_dictionary")
    insert(con, "actor_dictionary", frame)
    return version
