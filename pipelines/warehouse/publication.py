"""One publication, start to end: under the writer lock, the published file is copied to a
private candidate (``swap.py``), the release is built on it (``build.py``), the checks run on
it (``integrity.py`` and any ``validate`` callback), its exports are written under temporary
names (``export_upkeep.py``), and only then is the candidate published as the new release and
the exports moved into place. A failure at any step, or a run killed at any moment, leaves the
published file as it was.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from pipelines.datamodel.outcomes import CheckOutcome, ReleaseAction
from pipelines.settings import SettingError
from pipelines.warehouse import build, exports, integrity, releases, swap
from pipelines.warehouse.build import DayRows
from pipelines.warehouse.dedup_rule import DedupRule
from pipelines.warehouse.export_upkeep import ExportUpkeep
from pipelines.warehouse.integrity import PublicationRejected, Validator
from pipelines.warehouse.sql import run_with
from pipelines.warehouse.stopwatch import Stopwatch

MEMORY_ENV = "DYADFLOW_DUCKDB_MEMORY"

# Temp tables of the build that the checks on the candidate read.
_CARRIED_OVER = ("affected_dates", "events_written")


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


def writer_config() -> dict[str, str]:
    """DuckDB settings of the connection that builds a candidate release.

    $DYADFLOW_DUCKDB_MEMORY bounds DuckDB's memory there (e.g. "1GB"; by default DuckDB takes up
    to 80% of RAM, and keeps what a build read until the connection closes). Not bounded by
    default: DuckDB spills most work to disk, but not all of it, and a build under too low a
    limit fails with an out-of-memory error (docs/publication.md has a measure).
    """
    limit = os.environ.get(MEMORY_ENV, "").strip()
    return {"memory_limit": limit} if limit else {}


def open_candidate(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A writing connection to a candidate (``:memory:`` to check the settings alone)."""
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


class _Candidate:
    """The connection to a candidate, reopened once the build is committed.

    DuckDB keeps the memory a connection's work used until the connection closes: for a build
    at 2,000 articles a day, some 250 MB that the checks and exports would pile theirs on.
    """

    def __init__(self, path: Path):
        self.path = path
        self.con = open_candidate(path)

    def reopen(self) -> None:
        """A new connection to the committed candidate, with the temp tables the checks read."""
        carried = {name: self.con.sql(f"FROM {name}").to_arrow_table() for name in _CARRIED_OVER}
        self.con.close()
        self.con = open_candidate(self.path)
        for name, table in carried.items():
            run_with(
                self.con,
                f"{name}_incoming",
                table,
                f"CREATE TEMP TABLE {name} AS FROM {name}_incoming",
            )

    def close(self) -> None:
        self.con.close()  # closing twice is harmless


def release(
    published: Path,
    upkeep: ExportUpkeep,
    dedup: DedupRule,
    validation_runs: Path,
    action: ReleaseAction,
    days: tuple[DayRows, ...],
    validate: Validator | None,
    dictionaries: tuple[str, ...],
) -> list[PublishResult]:
    """One release; its result for each day published (one result when none is, none when
    there was nothing to publish)."""
    watch = Stopwatch()
    with swap.writer_lock(published):
        if action == ReleaseAction.VALIDATIONS and not _unrecorded_validations(
            published, validation_runs
        ):
            return []
        with watch.stage("catch_up"):
            upkeep.catch_up()
        release_before = upkeep.release_before()
        with watch.stage("copy"):
            candidate = swap.prepare(published)
        pending: list[exports.Pending] = []
        try:
            with ExitStack() as closing:
                with watch.stage("build"):
                    session = _Candidate(candidate)
                    closing.callback(session.close)
                    built = build.build(
                        session.con, action, days, dedup, validation_runs, dictionaries
                    )
                    session.reopen()
                change = built.change
                with watch.stage("validate"):
                    outcomes = integrity.built_in(session.con, change)
                    if validate is not None:
                        outcomes += list(validate(session.con, change))
                if any(o.blocks for o in outcomes):
                    raise PublicationRejected(change, outcomes)
                with watch.stage("export"):
                    pending = upkeep.stage_release(
                        session.con, change, built.full, built.codebook_changed
                    )
                    upkeep.mark_pending(change)
                with watch.stage("promote"):
                    session.con.execute("CHECKPOINT")
                    session.close()
                    swap.promote(candidate, published, change.release_id)
        except BaseException:
            exports.discard(pending)
            swap.discard(candidate)
            raise
        upkeep.commit_release(pending, change)
        if upkeep.mirror is not None:
            with watch.stage("mirror"):
                upkeep.mirror_release(pending, release_before)
    return _results(built, days, outcomes, watch.seconds)


def _results(
    built: build.Built,
    days: tuple[DayRows, ...],
    outcomes: list[CheckOutcome],
    seconds: dict[str, float],
) -> list[PublishResult]:
    change = built.change
    if not days:
        days_dates = [(None, change.event_dates)]
    elif len(days) == 1:
        days_dates = [(days[0], change.event_dates)]
    else:
        days_dates = [(rows, tuple(sorted(built.touched[rows.day]))) for rows in days]
    return [
        PublishResult(
            day=rows.day if rows else None,
            release_id=change.release_id,
            dataset_version=releases.dataset_version(change.release_id),
            articles=len(rows.articles) if rows else 0,
            quarantined=len(rows.quarantine) if rows else 0,
            mentions=len(rows.mentions) if rows else 0,
            events_dates=list(event_dates),
            events_rebuilt=sum(built.rebuilt.get(d, 0) for d in event_dates),
            outcomes=outcomes,
            seconds=seconds,
        )
        for rows, event_dates in days_dates
    ]


def _unrecorded_validations(published: Path, folder: Path) -> bool:
    """Whether a validation record is missing from the published ``validation_runs``."""
    names = {path.name for path in build.validation_records(folder)}
    if not names:
        return False
    if not published.exists():
        return True
    with swap.read_published(published) as con:
        try:
            known = build.recorded_validations(con)
        except duckdb.CatalogException:  # a warehouse from before the history
            return True
    return bool(names - known)
