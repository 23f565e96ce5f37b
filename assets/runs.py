"""Materialise the definitions from the command line, recorded in the project's Dagster instance
(under the data folder) so the runs show up in the UI afterwards."""

import os
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import dagster as dg
from filelock import FileLock

from assets.partitions import daily_partitions
from pipelines.coding.prefetch import DayPrefetch
from pipelines.ingest.landing import Ingestor, IngestReport, Landing, landing_dir
from pipelines.settings import Layout

# The CLI prints its own progress and summary; Dagster's console log is kept for errors.
# The CLI reports each day itself (with the reasons a day failed); Dagster's console log would
# repeat them as stack traces. The full logs stay in the run history (`make ui`).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True)
class PartitionRun:
    day: date
    success: bool
    run_id: str
    failed_checks: list[str]  # blocking (ERROR) checks that failed: the day was not published
    message: str = ""
    warnings: list[str] = field(default_factory=list)  # WARN checks that failed: published anyway


def instance_for(layout: Layout) -> dg.DagsterInstance:
    """The Dagster instance kept under the data folder, created with dyadflow's config."""
    home = layout.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        template = resources.files("assets") / "dagster.yaml"
        config.write_text(template.read_text("utf-8"), "utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    # Dagster creates its SQLite tables on first use, checking for them first: two first runs
    # on a new data folder would both create them and one would fail ("table ... already
    # exists"). The first holds the lock until every storage exists; the others then find them.
    with FileLock(home / ".instance.lock"):
        instance = dg.DagsterInstance.get()
        instance.get_runs_count()
        instance.event_log_storage.get_concurrency_keys()
        instance.all_instigator_state()
    return instance


def sources_resource(sources: Sequence[str] = (), sources_file: str | None = None):
    from assets.resources import ArticleSources

    return ArticleSources(
        paths=[str(Path(s).resolve()) for s in sources], sources_file=sources_file or ""
    )


def land(
    layout: Layout, sources: Sequence[str] = (), sources_file: str | None = None
) -> tuple[IngestReport, list[date]]:
    """Ingest new and changed sources into the landing area (the library directly: the daily
    runs that follow record it), and return every publication day the sources hold."""
    config = sources_resource(sources, sources_file).config(layout.home)
    report = Ingestor(landing_dir(layout.home), config).run(poll_feeds=True)
    names = [str(p) for p in config.file_paths()] + [f.location for f in config.feed_urls()]
    days = Landing(landing_dir(layout.home)).days_of(names)
    return report, [d for d in days if daily_partitions.has_partition_key(d.isoformat())]


def materialise(
    layout: Layout,
    days: Sequence[date],
    sources: Sequence[str] = (),
    on_done: Callable[[PartitionRun], None] | None = None,
    sources_file: str | None = None,
) -> list[PartitionRun]:
    """Publish the codebook, then run the daily job for each day, one run per partition."""
    resource = sources_resource(sources, sources_file)
    run_config = {
        **QUIET,
        "resources": {
            "sources": {"config": {"paths": resource.paths, "sources_file": resource.sources_file}}
        },
    }
    # The coding workers start first, from a process that has not loaded the definitions or
    # Great Expectations yet: they code the first day while those load.
    with _coding_ahead(layout, days):
        from assets.definitions import build_definitions
        from pipelines.validation.runner import rendering_deferred

        defs = build_definitions(str(layout.home))
        with instance_for(layout) as instance, rendering_deferred():
            return _run_days(defs, instance, days, run_config, on_done)


def _run_days(defs, instance, days, run_config, on_done) -> list[PartitionRun]:
    free_dead_runs(instance)
    tags = owner_tags()
    defs.resolve_job_def("codebook").execute_in_process(
        instance=instance, run_config=QUIET, tags=tags
    )
    job = defs.resolve_job_def("daily_events")
    outcomes = []
    for day in days:
        result = job.execute_in_process(
            partition_key=day.isoformat(),
            instance=instance,
            run_config=run_config,
            raise_on_error=False,
            tags=tags,
        )
        failed, warnings, message = failures_of(result)
        outcome = PartitionRun(day, result.success, result.run_id, failed, message, warnings)
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    return outcomes


# Which process runs a run, so that a later run can tell when it is gone (runs.free_dead_runs).
PID_TAG, HOST_TAG, STARTED_TAG = "dyadflow/pid", "dyadflow/host", "dyadflow/process_started"
UNFINISHED = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def _process_started(pid: int) -> str:
    """When a process started (clock ticks since boot, from /proc): with its pid, it tells the
    process from a later one given the same pid. Empty where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def owner_tags() -> dict[str, str]:
    pid = os.getpid()
    return {PID_TAG: str(pid), HOST_TAG: socket.gethostname(), STARTED_TAG: _process_started(pid)}


def _gone(tags: Mapping[str, str]) -> bool:
    pid = int(tags[PID_TAG])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # another user's process: it exists
    started = tags.get(STARTED_TAG, "")
    return bool(started) and _process_started(pid) not in ("", started)


def free_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs of this machine's dyadflow processes that are gone (killed, out of
    memory) and free the pool slots they held: a run killed while publishing keeps the
    "duckdb_writer" slot, and every later publishing run would wait for it forever. Runs of
    live processes, of other machines and those Dagster launched itself are left alone."""
    host = socket.gethostname()
    freed = []
    for run in instance.get_runs(dg.RunsFilter(statuses=UNFINISHED, tags={HOST_TAG: host})):
        if PID_TAG not in run.tags or not _gone(run.tags):
            continue
        pid = run.tags[PID_TAG]
        instance.report_run_failed(run, f"dyadflow: the process running it (pid {pid}) is gone")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        day = run.tags.get("dagster/partition")
        print(
            f"dyadflow: run {run.run_id}{f' (day {day})' if day else ''} was left unfinished by "
            f"process {pid}, which is gone: marked failed and its pool slots freed",
            file=sys.stderr,
        )
        freed.append(run.run_id)
    return freed


def _coding_ahead(layout: Layout, days: Sequence[date]) -> AbstractContextManager:
    """The days' originals coded in one stream on one pool of workers, ahead of the daily runs
    (whose event_mentions steps take their day from it)."""
    if not days:
        return nullcontext()
    from assets.resources import CoderResource
    from pipelines import stages

    coder = CoderResource(home=str(layout.home))
    landing = Landing(landing_dir(layout.home))

    def originals(day: str):
        frame = landing.day_articles(date.fromisoformat(day))
        return list(stages.frame_articles(frame[frame["duplicate_of"].isna()]))

    keys = [day.isoformat() for day in days]
    return DayPrefetch(
        layout.home, coder.coder(), keys, originals, coder.parses, compact=stages.mentions_table
    )


def failures_of(result: dg.ExecuteInProcessResult) -> tuple[list[str], list[str], str]:
    """The blocking checks that failed, the warnings, and why the run failed: the failed checks'
    own descriptions (which expectations, on which columns), else the failed steps' messages."""
    failed, warnings, reasons = [], [], []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.severity == dg.AssetCheckSeverity.WARN:
            warnings.append(name)
        else:
            failed.append(name)
            reasons.append(f"{name}: {evaluation.description or 'failed'}")
    message = ""
    if not result.success:
        errors = reasons or [_step_error(e) for e in result.all_events if e.is_step_failure]
        message = "; ".join(errors) or "run failed"
    return failed, warnings, message


def _step_error(event: dg.DagsterEvent) -> str:
    """A failed step and the first line of its error, not Dagster's "Execution of step failed"."""
    error = event.step_failure_data.error if event.step_failure_data else None
    lines = (error.message or "").strip().splitlines() if error else []
    if not lines:
        return event.message or ""
    return (
        f"{event.step_key}: {lines[0].removeprefix('dagster._core.definitions.events.Failure: ')}"
    )
