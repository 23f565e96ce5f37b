"""The DuckDB warehouse: one file is the published source of truth, a new one at each
publication, and the Parquet exports are refreshed from the same release.

A publication (one day, the codebook, or a rebuild) happens on a private copy of the published
file (see ``swap.py``): the day's rows are replaced, the events of every event date they touch are
rebuilt from all mentions in the warehouse, the aggregates of those dates and months are
recomputed, a row is added to ``releases``, the candidate is checked (``integrity.py`` and any
``validate`` callback), its export files are written under temporary names, and only then is the
candidate published as the new release (the published path is a link to it) and the exports moved
into place. Readers never wait for the writer and never see a half-written release; a run killed
at any moment leaves the published file as it was, and the next publication brings lagging
exports up to date.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import __version__
from pipelines.datamodel.tables import (
    ARTICLES,
    COUNTED_TABLES,
    EVENT_MENTIONS,
    RELEASES,
    TABLES,
    VALIDATION_RUNS,
    VIEWS,
)
from pipelines.settings import SettingError
from pipelines.warehouse import acts, aggregates, coverage, exports, integrity, remote, swap
from pipelines.warehouse.actor_codes import actor_parts_table
from pipelines.warehouse.codebook_tables import (
    actor_dictionary,
    codebook_frames,
    codebook_version,
)
from pipelines.warehouse.dedup_rule import DedupRule
from pipelines.warehouse.integrity import Change, CheckOutcome, PublicationRejected, Validator
from pipelines.warehouse.remote import ExportMirror
from pipelines.warehouse.sql import row, scalar

__all__ = ["DayRows", "PublicationRejected", "PublishResult", "Warehouse"]

log = logging.getLogger(__name__)

PUBLISH_DAY = "publish day"
# The action of a release that only adds validation records (see Warehouse.record_validations).
VALIDATIONS = "validations"

# Tables refreshed per event date, per month of an event date, or whole, in the exports.
_BY_EVENT_DATE = ("events", "dyad_day")
_BY_MONTH = ("dyad_month", "country_month")
_BY_DAY = ("articles", "event_mentions")

MEMORY_ENV = "DYADFLOW_DUCKDB_MEMORY"


def writer_config() -> dict[str, str]:
    """DuckDB settings of the connection that builds a candidate release.

    $DYADFLOW_DUCKDB_MEMORY bounds DuckDB's memory there (e.g. "1GB"; by default DuckDB takes up
    to 80% of RAM, and keeps what a build read until the connection closes). Not bounded by
    default: DuckDB spills most work to disk, but not all of it, and a build under too low a
    limit fails with an out-of-memory error (256MB did from the third day of 2,000 articles,
    measured when a publication still rebuilt every event of the dates it touched).
    """
    limit = os.environ.get(MEMORY_ENV, "").strip()
    return {"memory_limit": limit} if limit else {}


def _open_candidate(path: Path | str) -> duckdb.DuckDBPyConnection:
    config = writer_config()
    try:
        return duckdb.connect(str(path), config=config)
    except duckdb.ParserException as error:
        if not config:
            raise
        raise SettingError(
            f"{MEMORY_ENV}={config['memory_limit']!r}: not a DuckDB memory limit "
            f"(e.g. 512MB, 2GB): {error}"
        ) from error


def check_settings() -> None:
    """Raise SettingError for a $DYADFLOW_DUCKDB_MEMORY or $DYADFLOW_EVENT_KEY the publications
    could not use: a command checks before it starts, rather than fail at its first publication."""
    _open_candidate(":memory:").close()
    DedupRule.from_env()


# Temp tables of the build that the checks on the candidate read.
_CARRIED_OVER = ("affected_dates", "events_written")


def _reopened(con: duckdb.DuckDBPyConnection, path: Path) -> duckdb.DuckDBPyConnection:
    """A new connection to the committed candidate, with the temp tables the checks read.

    DuckDB keeps the memory a connection's work used until the connection closes: for a build
    at 2,000 articles a day, some 250 MB that the checks and exports would pile theirs on.
    """
    carried = {name: con.sql(f"FROM {name}").to_arrow_table() for name in _CARRIED_OVER}
    con.close()
    con = _open_candidate(path)
    for name, table in carried.items():
        con.register(f"{name}_incoming", table)
        con.execute(f"CREATE TEMP TABLE {name} AS FROM {name}_incoming")
        con.unregister(f"{name}_incoming")
    return con


@dataclass
class PublishResult:
    day: date | None
    release_id: int
    dataset_version: str
    articles: int = 0
    quarantined: int = 0
    mentions: int = 0
    events_dates: list[date] = field(default_factory=list)
    events_rebuilt: int = 0
    outcomes: list[CheckOutcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage: copy, build, ...


class SchemaMismatch(RuntimeError):
    pass


@dataclass(frozen=True, eq=False)
class DayRows:
    """A publication day's rows, as ``Warehouse.publish_partitions`` takes them. ``inputs``: the
    fingerprint of what the day was made of (``pipelines/inputs.py``), recorded with it."""

    day: date
    articles: pd.DataFrame
    quarantine: pd.DataFrame
    mentions: pd.DataFrame
    inputs: str | None = None


# What publish_partitions gives for each day: its publication, or the rejection that kept it out.
DayOutcome = PublishResult | PublicationRejected


class Warehouse:
    def __init__(
        self,
        duckdb_path: str | os.PathLike[str],
        exports_dir: str | os.PathLike[str],
        dedup: DedupRule | None = None,
        mirror: ExportMirror | None = None,
    ):
        self.path = Path(duckdb_path)
        self.exports_dir = Path(exports_dir)
        self.dedup = dedup or DedupRule.from_env()
        # object storage the exports are copied to ($DYADFLOW_EXPORTS_URI), if any
        self.mirror = mirror if mirror is not None else ExportMirror.from_env()

    @property
    def validation_runs(self) -> Path:
        """Where validations leave their records (``ValidationSite.runs`` of the data folder)."""
        return self.path.parent / "validation" / "runs"

    def _unrecorded_validations(self) -> bool:
        """Whether a validation record is missing from the published ``validation_runs``."""
        names = {p.name for p in self.validation_runs.glob("*/*.json")}
        if not names:
            return False
        if not self.path.exists():
            return True
        with self.connect() as con:
            try:
                known = {r[0] for r in con.execute("SELECT record FROM validation_runs").fetchall()}
            except duckdb.CatalogException:  # a warehouse from before the history
                return True
        return bool(names - known)

    @contextmanager
    def connect(self, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the published release (the only kind there is: writing
        happens on candidates, through the publish methods)."""
        if not read_only:
            raise ValueError("the published file is never opened for writing: use publish_*()")
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            yield con
        finally:
            con.close()

    # -- publications -------------------------------------------------------------------------

    def publish_partition(
        self,
        day: date,
        articles: pd.DataFrame,
        quarantine: pd.DataFrame,
        mentions: pd.DataFrame,
        validate: Validator | None = None,
        inputs: str | None = None,
        dictionaries: tuple[str, ...] = (),
    ) -> PublishResult:
        """Replace everything published for ``day`` and rebuild what depends on it. ``inputs``:
        the fingerprint of what the day was made of (``pipelines/day_fingerprint.py``), recorded with it;
        ``dictionaries``: the dictionaries the coder read besides the package's and
        $DYADFLOW_DICTIONARIES (its ``extra_dictionaries``), for ``actor_dictionary``."""

        rows = DayRows(day, articles, quarantine, mentions, inputs)
        (result,) = self._publish(PUBLISH_DAY, (rows,), validate, tuple(dictionaries))
        return result

    def publish_partitions(
        self,
        days: Sequence[DayRows],
        validate: Validator | None = None,
        dictionaries: tuple[str, ...] = (),
    ) -> dict[date, DayOutcome]:
        """Publish many days in one release: one copy of the file, one rebuild of the event
        dates they touch, one run of the checks, one swap. The days not to publish (a blocking
        check on their articles or mentions failed) are the caller's to leave out.

        Each day gets its own row in ``releases`` (its inputs, its event dates), as if
        published on its own; the row counts there are those of the whole release. When the
        checks reject the candidate holding every day, each day is published on its own, so
        that the days they reject are left out and the others go in, as one publication per
        day would have it. Returns each day's result or rejection, in the order given."""
        if len({rows.day for rows in days}) != len(days):
            raise ValueError("publish_partitions: a day is given twice")
        if not days:
            return {}
        try:
            results = self._publish(PUBLISH_DAY, tuple(days), validate, tuple(dictionaries))
        except PublicationRejected:
            if len(days) == 1:
                raise
            log.info("the release of %d days was rejected: publishing them one by one", len(days))
        else:
            return {result.day: result for result in results}
        outcomes: dict[date, DayOutcome] = {}
        for rows in days:
            try:
                (outcomes[rows.day],) = self._publish(
                    PUBLISH_DAY, (rows,), validate, tuple(dictionaries)
                )
            except PublicationRejected as rejected:
                outcomes[rows.day] = rejected
        return outcomes

    def publish_codebook(self, validate: Validator | None = None) -> PublishResult:
        """A release that only reloads the codebook tables (every publication does that too)."""
        return self._publish("codebook", (), validate)[0]

    def record_validations(self) -> PublishResult | None:
        """Publish the validation records not yet in ``validation_runs``, and nothing else; None
        when there are none.

        For a day that a failed check blocked: its validations are in the warehouse when they
        ran, not at whichever publication comes next. The release changes no data: the actor
        dictionary stays the one the published events were coded with (``_publish_dictionary``).
        """
        published = self._publish(VALIDATIONS, (), None)
        return published[0] if published else None

    def rebuild(self, validate: Validator | None = None) -> PublishResult:
        """Rebuild events and aggregates of every date from the mentions, e.g. after changing
        the deduplication rule (a publication notices a changed rule by itself)."""
        return self._publish("rebuild", (), validate)[0]

    def sync_exports(self) -> None:
        """Write every Parquet export again from the published file, and mirror them all."""
        with swap.writer_lock(self.path):
            self._catch_up_exports(force=True)
            if self.mirror is not None:
                self.mirror.sync(self.exports_dir)

    def restore_exports(self) -> list[Path]:
        """Write the export files that are missing from the exports folder (deleted, or lost
        with it), finishing first an export a crash cut short; returns the files written.

        When nothing is missing this costs one read-only look at the published file and a
        stat of each expected file, so a run can afford it every time."""
        with swap.writer_lock(self.path):
            caught_up = self._catch_up_exports()
            restored = self._write_missing_exports() if self.path.exists() else []
            if self.mirror is not None and (caught_up or restored):
                release = (exports.read_manifest(self.exports_dir) or {}).get("release_id")
                if not caught_up and self.mirror.in_step(self.exports_dir, release):
                    self.mirror.push(self.exports_dir, restored, [])
                else:
                    self.mirror.sync(self.exports_dir)
            return caught_up + restored

    def _missing_partitions(self, con: duckdb.DuckDBPyConnection) -> dict[str, set[date]]:
        """The partitions with rows in ``con`` whose export file is not on disk."""
        return {
            name: {
                value
                for value in _dates(con, f"SELECT DISTINCT {table.partition_column} FROM {name}")
                if not exports.partition_file(self.exports_dir, table, value).exists()
            }
            for name, table in TABLES.items()
            if table.partition_column
        }

    def _write_missing_exports(self) -> list[Path]:
        with self.connect() as con:
            missing = self._missing_partitions(con)
            whole = {
                name
                for name, table in TABLES.items()
                if not table.partition_column
                and not exports.whole_file(self.exports_dir, table).exists()
            }
            if not whole and not any(missing.values()):
                return []
            pending = _stage(con, self.exports_dir, missing, "restore", whole)
        exports.commit(pending)
        return [item.target for item in pending if item.tmp is not None]

    def _publish(
        self,
        action: str,
        days: tuple[DayRows, ...],
        validate: Validator | None,
        dictionaries: tuple[str, ...] = (),
    ) -> list[PublishResult]:
        """One release; its result for each day published (one result when none is)."""
        try:
            return self._release(action, days, validate, dictionaries)
        except PublicationRejected:
            # The checks that rejected the candidate recorded their validations: they are
            # published without the data, as a blocked day's are.
            try:
                self.record_validations()
            except Exception as error:  # the rejection is what the caller must hear about
                log.warning("validation records not published: %s", error)
            raise

    def _release(
        self,
        action: str,
        days: tuple[DayRows, ...],
        validate: Validator | None,
        dictionaries: tuple[str, ...],
    ) -> list[PublishResult]:
        seconds: dict[str, float] = {}
        with swap.writer_lock(self.path):
            if action == VALIDATIONS and not self._unrecorded_validations():
                return []
            clock = time.perf_counter()
            self._catch_up_exports()
            seconds["catch_up"] = _lap(clock)
            released = exports.read_manifest(self.exports_dir)
            release_before = released.get("release_id") if released else None
            clock = time.perf_counter()
            candidate = swap.prepare(self.path)
            seconds["copy"] = _lap(clock)
            pending: list[exports.Pending] = []
            try:
                clock = time.perf_counter()
                con = _open_candidate(candidate)
                try:
                    change, touched, rebuilt, full, codebook_changed = self._build(
                        con, action, days, dictionaries
                    )
                    con = _reopened(con, candidate)
                    seconds["build"] = _lap(clock)
                    clock = time.perf_counter()
                    outcomes = integrity.built_in(con, change)
                    if validate is not None:
                        outcomes += list(validate(con, change))
                    seconds["validate"] = _lap(clock)
                    if any(o.blocks for o in outcomes):
                        raise PublicationRejected(change, outcomes)
                    clock = time.perf_counter()
                    pending = self._stage_exports(con, change, full, codebook_changed)
                    exports.write_manifest(self.exports_dir, _manifest(change), exports.PENDING)
                    seconds["export"] = _lap(clock)
                    clock = time.perf_counter()
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                swap.promote(candidate, self.path, change.release_id)
                seconds["promote"] = _lap(clock)
            except BaseException:
                exports.discard(pending)
                swap.discard(candidate)
                raise
            exports.commit(pending)
            exports.write_manifest(self.exports_dir, _manifest(change))
            exports.clear_pending(self.exports_dir)
            if self.mirror is not None:
                clock = time.perf_counter()
                self._mirror(pending, release_before)
                seconds["mirror"] = _lap(clock)
        if not days:
            days_dates = [(None, change.event_dates)]
        elif len(days) == 1:
            days_dates = [(days[0], change.event_dates)]
        else:
            days_dates = [(rows, tuple(sorted(touched[rows.day]))) for rows in days]
        return [
            PublishResult(
                day=rows.day if rows else None,
                release_id=change.release_id,
                dataset_version=_dataset_version(change.release_id),
                articles=len(rows.articles) if rows else 0,
                quarantined=len(rows.quarantine) if rows else 0,
                mentions=len(rows.mentions) if rows else 0,
                events_dates=list(event_dates),
                events_rebuilt=sum(rebuilt.get(d, 0) for d in event_dates),
                outcomes=outcomes,
                seconds=seconds,
            )
            for rows, event_dates in days_dates
        ]

    def _build(
        self,
        con: duckdb.DuckDBPyConnection,
        action: str,
        days: tuple[DayRows, ...],
        dictionaries: tuple[str, ...] = (),
    ) -> tuple[Change, dict[date, set[date]], dict[date, int], bool, bool]:
        """Build the release on ``con``. Returns what changed, the event dates each day touches
        (with their neighbours), the events on each rebuilt date, whether every event was
        rebuilt, and whether the codebook or dictionary changed."""
        full = _ensure_schema(con) or action == "rebuild"
        con.execute("BEGIN TRANSACTION")
        _load_codebook(con)
        previous = row(
            con,
            "SELECT dedup_key, codebook_version, dictionary_version FROM releases "
            "ORDER BY release_id DESC LIMIT 1",
        )
        if previous is not None and previous[0] != str(self.dedup):
            full = True  # a new rule applies to every event, or the table would mix two rules
        _load_validation_runs(con, self.validation_runs)
        # a change to one date's mentions can regroup the acts of the days either side
        touched = {rows.day: acts.neighbours(_replace_day(con, rows)) for rows in days}
        dates = set().union(*touched.values())
        dictionary = _publish_dictionary(con, previous[2] if previous else None, dictionaries)
        codebook_changed = previous is None or tuple(previous[1:]) != (
            codebook_version(),
            dictionary,
        )
        if full:
            dates |= _dates(
                con,
                "SELECT event_date FROM event_mentions WHERE is_dyadic "
                "UNION SELECT event_date FROM events UNION SELECT event_date FROM dyad_day",
            )
        affected = tuple(sorted(dates))
        con.execute("CREATE OR REPLACE TEMP TABLE affected_dates (event_date DATE)")
        if affected:
            con.register("affected_incoming", pd.DataFrame({"event_date": list(affected)}))
            con.execute("INSERT INTO affected_dates SELECT event_date FROM affected_incoming")
            con.unregister("affected_incoming")
        actors = [
            code
            for pair in con.execute(
                "SELECT DISTINCT source_actor, target_actor FROM event_mentions "
                "WHERE is_dyadic AND event_date IN (SELECT event_date FROM affected_dates)"
            ).fetchall()
            for code in pair
        ]
        con.register("actor_parts_incoming", actor_parts_table(actors))
        con.execute("CREATE OR REPLACE TEMP TABLE actor_parts AS FROM actor_parts_incoming")
        con.unregister("actor_parts_incoming")
        self.dedup.rebuild(con, every_event=full)
        aggregates.refresh(con)
        rebuilt = dict(
            con.execute(
                "SELECT event_date, count(*) FROM events "
                "WHERE event_date IN (SELECT event_date FROM affected_dates) GROUP BY ALL"
            ).fetchall()
        )
        # One row per day published, each with its own inputs and event dates (the last with
        # every date rebuilt, a full rebuild's included), so that the days read as if each was
        # published on its own; none of the rows but the last is ever the published release.
        entries = [(rows.day, rows.inputs, tuple(sorted(touched[rows.day]))) for rows in days]
        entries = entries or [(None, None, affected)]
        entries[-1] = (*entries[-1][:2], affected)
        for entry_day, inputs, event_dates in entries:
            release_id = _record_release(
                con, action, entry_day, event_dates, str(self.dedup), inputs, dictionary
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
        return change, touched, rebuilt, full, codebook_changed

    # -- exports ------------------------------------------------------------------------------

    def _mirror(self, pending: list[exports.Pending], release_before: int | None) -> None:
        """Copy what this publication exported to object storage (everything, when the
        mirror missed an earlier release)."""
        assert self.mirror is not None
        if self.mirror.in_step(self.exports_dir, release_before):
            written = [item.target for item in pending if item.tmp is not None]
            removed = [item.target for item in pending if item.tmp is None]
            self.mirror.push(self.exports_dir, written, removed)
        else:
            self.mirror.sync(self.exports_dir)

    def _stage_exports(
        self, con: duckdb.DuckDBPyConnection, change: Change, full: bool, codebook_changed: bool
    ) -> list[exports.Pending]:
        values = _partitions_of(change.days, change.event_dates)
        if full:  # partitions of derived tables that no longer exist must go too
            for name in (*_BY_EVENT_DATE, *_BY_MONTH):
                values[name] |= exports.partitions_on_disk(self.exports_dir, TABLES[name])
        # and files lost since the last publication (deleted by hand) come back with this one
        for name, lost in self._missing_partitions(con).items():
            values.setdefault(name, set()).update(lost)
        whole = {
            name
            for name, table in TABLES.items()
            if not table.partition_column
            and (
                table.kind != "codebook"
                or full
                or codebook_changed
                or not exports.whole_file(self.exports_dir, table).exists()
            )
        }
        return _stage(con, self.exports_dir, values, f"r{change.release_id}", whole)

    def _catch_up_exports(self, force: bool = False) -> list[Path]:
        """Re-export what changed since the release the exports reflect; returns the files
        written.

        After a clean run there is nothing to do, and the published file is not even opened
        (so a session holding it open for writing, against advice, does not stop publication).
        """
        exports.remove_stale_temporaries(self.exports_dir)
        if not self.path.exists():
            return []
        manifest = exports.read_manifest(self.exports_dir)
        if manifest and manifest.get("layout") != exports.LAYOUT:
            force = True  # written in another layout: everything again, in this one
        if not force and manifest and not exports.read_manifest(self.exports_dir, exports.PENDING):
            return []
        with self.connect() as con:
            last = scalar(con, "SELECT max(release_id) FROM releases")
            if last is None or (not force and manifest and manifest.get("release_id") == last):
                exports.clear_pending(self.exports_dir)  # swap never happened, or all caught up
                return []
            since = 0 if force or not manifest else int(manifest.get("release_id", 0))
            if since == 0:
                values = {
                    name: exports.partitions_on_disk(self.exports_dir, table)
                    | _dates(con, f"SELECT DISTINCT {table.partition_column} FROM {name}")
                    for name, table in TABLES.items()
                    if table.partition_column
                }
            else:
                values = _partitions_of((), ())
                for day, event_dates in con.execute(
                    "SELECT day, event_dates FROM releases WHERE release_id > ?", [since]
                ).fetchall():
                    for name, more in _partitions_of((day,), event_dates).items():
                        values[name] |= more
            whole = {name for name, table in TABLES.items() if not table.partition_column}
            pending = _stage(con, self.exports_dir, values, "catch-up", whole)
            release = row(
                con,
                "SELECT release_id, day, event_dates, action FROM releases "
                "ORDER BY release_id DESC LIMIT 1",
            )
        exports.commit(pending)
        if exports.remove_legacy_folders(self.exports_dir):
            remote.forget_mirror(self.exports_dir)  # the bucket holds the old layout: sync it
        exports.write_manifest(
            self.exports_dir,
            _manifest(Change(release[0], release[1], tuple(release[2]), release[3])),
        )
        exports.clear_pending(self.exports_dir)
        return [item.target for item in pending if item.tmp is not None]

    def table_counts(self) -> dict[str, int]:
        with self.connect() as con:
            return {name: scalar(con, f"SELECT count(*) FROM {name}") for name in TABLES}

    def published_inputs(self) -> dict[date, str]:
        """The days whose last publication recorded its inputs fingerprint, with it; none when
        the rule in force differs from the published one (every day must be published again)."""
        if not self.path.exists():
            return {}
        with self.connect() as con:
            columns = {r[0] for r in con.execute("DESCRIBE releases").fetchall()}
            if "inputs" not in columns:  # a warehouse from before fingerprints
                return {}
            rule = scalar(con, "SELECT dedup_key FROM releases ORDER BY release_id DESC LIMIT 1")
            if rule != str(self.dedup):
                return {}
            last = con.execute(
                "SELECT day, inputs FROM releases WHERE action = 'publish day' "
                "QUALIFY row_number() OVER (PARTITION BY day ORDER BY release_id DESC) = 1"
            ).fetchall()
            return {day: inputs for day, inputs in last if inputs is not None}

    def last_release(self) -> dict | None:
        with self.connect() as con:
            last = con.execute("SELECT * FROM releases ORDER BY release_id DESC LIMIT 1").fetchdf()
            return None if last.empty else last.iloc[0].to_dict()


# -- helpers ------------------------------------------------------------------------------------


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 4)


def _dataset_version(release_id: int) -> str:
    return f"{__version__}+r{release_id}"


def _manifest(change: Change) -> dict:
    return {
        "release_id": change.release_id,
        "dataset_version": _dataset_version(change.release_id),
        "action": change.action,
        "day": change.day.isoformat() if change.day else None,
        "layout": exports.LAYOUT,
    }


def _partitions_of(days, event_dates) -> dict[str, set[date]]:
    event_dates = set(event_dates or ())
    months = {d.replace(day=1) for d in event_dates}
    values: dict[str, set[date]] = {name: set() for name in (*_BY_DAY, *_BY_EVENT_DATE, *_BY_MONTH)}
    for name in _BY_DAY:
        values[name] |= {day for day in days if day}
    for name in _BY_EVENT_DATE:
        values[name] |= event_dates
    for name in _BY_MONTH:
        values[name] |= months
    return values


def _stage(
    con: duckdb.DuckDBPyConnection,
    exports_dir: Path,
    values: dict[str, set[date]],
    tag: str,
    whole: set[str],
) -> list[exports.Pending]:
    """Write the given partitions, and the unpartitioned tables named in ``whole``."""
    pending: list[exports.Pending] = []
    try:
        for name, table in TABLES.items():
            if table.partition_column:
                for value in sorted(values.get(name, ())):
                    pending.append(exports.stage_partition(con, table, value, exports_dir, tag))
            elif name in whole:
                pending.append(exports.stage_whole(con, table, exports_dir, tag))
    except BaseException:
        exports.discard(pending)
        raise
    return pending


def _replace_day(con: duckdb.DuckDBPyConnection, rows: DayRows) -> set[date]:
    """Put the day's rows in place of those published for it; the event dates it touched, before
    and after."""
    before = _touch_events_of_day(con, rows.day)
    for table, frame in ((ARTICLES, rows.articles), (EVENT_MENTIONS, rows.mentions)):
        con.execute(f"DELETE FROM {table.name} WHERE published_date = ?", [rows.day])
        _insert(con, table.name, frame)
    _upsert_quarantine(con, rows.quarantine)
    return before | _touch_events_of_day(con, rows.day)


def _touch_events_of_day(con: duckdb.DuckDBPyConnection, day: date) -> set[date]:
    """The event dates of the day's dyadic mentions and of the stories the day's copies repeat
    (their articles count those copies): where a change to the day alters events."""
    return _dates(
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


def _dates(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> set[date]:
    return {row[0] for row in con.execute(sql, params or []).fetchall() if row[0] is not None}


def _record_release(
    con: duckdb.DuckDBPyConnection,
    action: str,
    day: date | None,
    event_dates: tuple[date, ...],
    dedup_key: str,
    inputs: str | None,
    dictionary: str,
) -> int:
    release_id = scalar(con, "SELECT coalesce(max(release_id), 0) + 1 FROM releases")
    counts = {
        f"rows_{name}": scalar(con, f"SELECT count(*) FROM {name}") for name in COUNTED_TABLES
    }
    coder_versions = scalar(
        con,
        "SELECT string_agg(DISTINCT coder_version, ',' ORDER BY coder_version) FROM event_mentions",
    )
    row = {
        "release_id": release_id,
        "dataset_version": _dataset_version(release_id),
        "built_at": datetime.now(UTC).replace(tzinfo=None),
        "action": action,
        "day": day,
        "event_dates": list(event_dates),
        "dyadflow_version": __version__,
        "coder_versions": coder_versions,
        "codebook_version": codebook_version(),
        "dictionary_version": dictionary,
        "dedup_key": dedup_key,
        "inputs": inputs,
        **counts,
    }
    _insert(con, RELEASES.name, RELEASES.frame([row]))
    return release_id


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create or bring every table and view in line with the data dictionary.

    Returns True when a derived table was (re)created, so its contents must be rebuilt.
    """
    existing: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, kind, nullable in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE NOT internal AND database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name, column_index"
    ).fetchall():
        existing.setdefault(table, []).append((column, kind, nullable))
    views = {
        name: sql
        for name, sql in con.execute(
            "SELECT view_name, sql FROM duckdb_views() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    }
    stale_views = [v for v in VIEWS.values() if views.get(v.name) != _stored_view_sql()[v.name]]
    for view in stale_views:
        con.execute(f"DROP VIEW IF EXISTS {view.name}")
    rebuild = False
    for table in TABLES.values():
        # a column that may now be null (a one-sided mention's source) is a change too
        wanted = [(c.name, c.type, c.nullable) for c in table.columns]
        have = existing.get(table.name)
        if have == wanted:
            continue
        if have is None:
            con.execute(table.create_sql())
            rebuild |= table.kind == "derived"
        elif table.kind in ("derived", "codebook"):
            con.execute(f"DROP TABLE {table.name}")
            con.execute(table.create_sql())
            rebuild |= table.kind == "derived"
        else:
            _migrate(con, table, [name for name, _, _ in have])
    for view in stale_views:
        con.execute(view.create_sql())
    _apply_comments(con)
    return rebuild


@cache
def _stored_view_sql() -> dict[str, str]:
    """Each view's SQL as DuckDB stores it (normalised), to tell whether a file's view is current."""
    con = duckdb.connect()
    try:
        for table in TABLES.values():
            con.execute(table.create_sql())
        for view in VIEWS.values():
            con.execute(view.create_sql())
        return dict(
            con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall()
        )
    finally:
        con.close()


def _apply_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Set the dictionary's descriptions as comments, touching only those that differ."""
    have = {
        (name, None): comment
        for name, comment in con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
            "UNION ALL SELECT view_name, comment FROM duckdb_views() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    }
    have |= {
        (table, column): comment
        for table, column, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    }
    for relation in (*TABLES.values(), *VIEWS.values()):
        wanted = {(relation.name, None): relation.description}
        wanted |= {(relation.name, c.name): c.description for c in relation.columns}
        statements = relation.comment_sql()
        for (key, description), statement in zip(wanted.items(), statements, strict=True):
            if have.get(key) != description:
                con.execute(statement)


def _migrate(con: duckdb.DuckDBPyConnection, table, old_columns: list[str]) -> None:
    """Carry a data table over to a changed definition, when no information would be invented."""
    missing = [c for c in table.columns if c.name not in old_columns and not c.nullable]
    if missing:
        raise SchemaMismatch(
            f"{table.name} lacks required columns {[c.name for c in missing]}: this warehouse was "
            "built by an incompatible dyadflow; publish again into a new data folder"
        )
    common = ", ".join(c.name for c in table.columns if c.name in old_columns)
    con.execute(f"ALTER TABLE {table.name} RENAME TO {table.name}__old")
    con.execute(table.create_sql())
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT {common} FROM {table.name}__old")
    con.execute(f"DROP TABLE {table.name}__old")


def _load_validation_runs(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Add the validation records written since the last publication (records never change)."""
    if not folder.is_dir():
        return
    known = {r[0] for r in con.execute("SELECT record FROM validation_runs").fetchall()}
    rows = []
    for path in sorted(folder.glob("*/*.json")):
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
        _insert(con, VALIDATION_RUNS.name, VALIDATION_RUNS.frame(rows))


def _load_codebook(con: duckdb.DuckDBPyConnection) -> None:
    """The CAMEO tables; the actor dictionary is ``_publish_dictionary``'s."""
    for name, frame in codebook_frames().items():
        con.execute(f"DELETE FROM {name}")
        _insert(con, name, frame)


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
    version, frame = actor_dictionary(extra)
    coded = {
        # a coder version ends with the fingerprint of its dictionaries (coding/version.py)
        str(v).rsplit("-", 1)[-1]
        for (v,) in con.execute(
            "SELECT DISTINCT coder_version FROM event_mentions WHERE coder_version IS NOT NULL"
        ).fetchall()
    }
    held = scalar(con, "SELECT count(*) FROM actor_dictionary")
    if published is not None and held and coded and version not in coded:
        return published
    con.execute("DELETE FROM actor_dictionary")
    _insert(con, "actor_dictionary", frame)
    return version


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    # No try/finally: after a failed statement the transaction is aborted and the caller rolls
    # back; unregistering then would raise and hide the real error.
    con.register("incoming", frame)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    con.unregister("incoming")


def _upsert_quarantine(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Quarantine rows are keyed by where they sit in their file, so re-reading is idempotent."""
    if frame.empty:
        return
    con.register("incoming", frame)
    con.execute(
        "DELETE FROM quarantine USING incoming "
        "WHERE quarantine.source_file = incoming.source_file AND quarantine.location = incoming.location"
    )
    con.execute("INSERT INTO quarantine BY NAME SELECT DISTINCT * FROM incoming")
    con.unregister("incoming")
