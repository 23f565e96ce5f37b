"""Which Parquet exports to write, and keeping them (and their mirror) in step with the published
release: after each publication, after a run killed between the swap and the exports (catch
up), when files went missing (restore), or all of them on request (sync).

``exports.py`` writes the files; this module decides which. ``_release.json`` names the release
the exports reflect and ``_pending.json`` marks a publication whose exports may not have landed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.datamodel.columns import TableKind
from pipelines.datamodel.outcomes import Change, ReleaseAction
from pipelines.datamodel.tables import TABLES
from pipelines.warehouse import exports, releases, remote, swap
from pipelines.warehouse.remote import ExportMirror
from pipelines.warehouse.sql import dates, scalar

# Tables refreshed per event date, per month of an event date, or whole, in the exports.
_BY_EVENT_DATE = ("events", "dyad_day")
_BY_MONTH = ("dyad_month", "country_month")
_BY_DAY = ("articles", "event_mentions")


@dataclass(frozen=True)
class ExportUpkeep:
    published: Path
    exports_dir: Path
    mirror: ExportMirror | None

    # -- a publication's exports ------------------------------------------------------------

    def stage_release(
        self, con: duckdb.DuckDBPyConnection, change: Change, full: bool, codebook_changed: bool
    ) -> list[exports.Pending]:
        """Write, under temporary names, the exports that the candidate ``con`` changes."""
        values = _partitions_of(change.days, change.event_dates)
        if full:  # partitions of derived tables that no longer exist must go too
            for name in (*_BY_EVENT_DATE, *_BY_MONTH):
                values[name] |= exports.partitions_on_disk(self.exports_dir, TABLES[name])
        # and files lost since the last publication (deleted by hand) come back with this one
        for name, lost in self._missing_partitions(con).items():
            values.setdefault(name, set()).update(lost)
        whole = {
            name
            for name in _whole_tables()
            if TABLES[name].kind != TableKind.CODEBOOK
            or full
            or codebook_changed
            or not exports.whole_file(self.exports_dir, TABLES[name]).exists()
        }
        return _stage(con, self.exports_dir, values, f"r{change.release_id}", whole)

    def mark_pending(self, change: Change) -> None:
        """Tell the next publication, before the swap, that these exports may not land."""
        exports.write_manifest(self.exports_dir, _manifest(change), exports.PENDING)

    def commit_release(self, pending: list[exports.Pending], change: Change) -> None:
        """Move a swapped-in release's exports into place and record the release they hold."""
        exports.commit(pending)
        exports.write_manifest(self.exports_dir, _manifest(change))
        exports.clear_pending(self.exports_dir)

    def release_before(self) -> int | None:
        """The release the exports reflect (read before a publication, for the mirror)."""
        released = exports.read_manifest(self.exports_dir)
        return released.get("release_id") if released else None

    def mirror_release(self, pending: list[exports.Pending], release_before: int | None) -> None:
        """Copy what a publication exported to object storage (everything, when the mirror
        missed an earlier release)."""
        self._mirror(exports.written(pending), exports.removed(pending), release_before)

    # -- catching up, restoring, syncing ----------------------------------------------------

    def catch_up(self, force: bool = False) -> list[Path]:
        """Re-export what changed since the release the exports reflect; returns the files
        written.

        After a clean run there is nothing to do, and the published file is not even opened
        (so a session holding it open for writing, against advice, does not stop publication).
        """
        exports.remove_stale_temporaries(self.exports_dir)
        if not self.published.exists():
            return []
        manifest = exports.read_manifest(self.exports_dir)
        if manifest and manifest.get("layout") != exports.LAYOUT:
            force = True  # written in another layout: everything again, in this one
        if not force and manifest and not exports.read_manifest(self.exports_dir, exports.PENDING):
            return []
        with swap.read_published(self.published) as con:
            last = scalar(con, "SELECT max(release_id) FROM releases")
            if last is None or (not force and manifest and manifest.get("release_id") == last):
                exports.clear_pending(self.exports_dir)  # swap never happened, or all caught up
                return []
            since = 0 if force or not manifest else int(manifest.get("release_id", 0))
            if since == 0:
                values = {
                    name: exports.partitions_on_disk(self.exports_dir, TABLES[name])
                    | _published_partitions(con, name)
                    for name in _partitioned_tables()
                }
            else:
                values = _partitions_of((), ())
                for day, event_dates in con.execute(
                    "SELECT day, event_dates FROM releases WHERE release_id > ?", [since]
                ).fetchall():
                    for name, more in _partitions_of((day,), event_dates).items():
                        values[name] |= more
            pending = _stage(con, self.exports_dir, values, "catch-up", _whole_tables())
            release = releases.latest(con, "release_id, day, event_dates, action")
        exports.commit(pending)
        if exports.remove_legacy_folders(self.exports_dir):
            remote.forget_mirror(self.exports_dir)  # the bucket holds the old layout: sync it
        exports.write_manifest(
            self.exports_dir,
            _manifest(Change(release[0], release[1], tuple(release[2]), ReleaseAction(release[3]))),
        )
        exports.clear_pending(self.exports_dir)
        return exports.written(pending)

    def sync(self) -> None:
        """Write every export again from the published file, and mirror them all."""
        with swap.writer_lock(self.published):
            self.catch_up(force=True)
            if self.mirror is not None:
                self.mirror.sync(self.exports_dir)

    def restore(self) -> list[Path]:
        """Write the export files missing from the exports folder, finishing first an export a
        crash cut short; returns the files written."""
        with swap.writer_lock(self.published):
            caught_up = self.catch_up()
            restored = self._write_missing() if self.published.exists() else []
            if self.mirror is not None and (caught_up or restored):
                if caught_up:
                    self.mirror.sync(self.exports_dir)
                else:
                    self._mirror(restored, [], self.release_before())
            return caught_up + restored

    def _mirror(self, written: list[Path], removed: list[Path], release_before: int | None) -> None:
        """Push the files a change wrote and removed when the mirror held the release before
        it; otherwise make the mirror a copy of the exports."""
        assert self.mirror is not None
        if self.mirror.in_step(self.exports_dir, release_before):
            self.mirror.push(self.exports_dir, written, removed)
        else:
            self.mirror.sync(self.exports_dir)

    def _missing_partitions(self, con: duckdb.DuckDBPyConnection) -> dict[str, set[date]]:
        """The partitions with rows in ``con`` whose export file is not on disk."""
        return {
            name: {
                value
                for value in _published_partitions(con, name)
                if not exports.partition_file(self.exports_dir, TABLES[name], value).exists()
            }
            for name in _partitioned_tables()
        }

    def _write_missing(self) -> list[Path]:
        with swap.read_published(self.published) as con:
            missing = self._missing_partitions(con)
            whole = {
                name
                for name in _whole_tables()
                if not exports.whole_file(self.exports_dir, TABLES[name]).exists()
            }
            if not whole and not any(missing.values()):
                return []
            pending = _stage(con, self.exports_dir, missing, "restore", whole)
        exports.commit(pending)
        return exports.written(pending)


def _partitioned_tables() -> list[str]:
    return [name for name, table in TABLES.items() if table.partition_column]


def _whole_tables() -> set[str]:
    return {name for name, table in TABLES.items() if not table.partition_column}


def _published_partitions(con: duckdb.DuckDBPyConnection, name: str) -> set[date]:
    return dates(con, f"SELECT DISTINCT {TABLES[name].partition_column} FROM {name}")


def _manifest(change: Change) -> dict:
    return {
        "release_id": change.release_id,
        "dataset_version": releases.dataset_version(change.release_id),
        "action": change.action,
        "day": change.day.isoformat() if change.day else None,
        "layout": exports.LAYOUT,
    }


def _partitions_of(days: Iterable[date | None], event_dates) -> dict[str, set[date]]:
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
