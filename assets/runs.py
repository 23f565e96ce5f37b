"""Materialise the definitions from the command line: runs of the code location the UI loads,
executed in this process and recorded in the project's Dagster instance (under the data
folder), so that the UI lists them and can re-execute them."""

import os
import shutil
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import dagster as dg
from dagster._core.execution.execution_result import ExecutionResult
from filelock import FileLock

from assets.partitions import daily_partitions
from pipelines.coding.prefetch import DayPrefetch
from pipelines.ingest.landing_area import Landing, landing_dir
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


def _run_config(sources: Sequence[str], sources_file: str | None) -> dict:
    resource = sources_resource(sources, sources_file)
    config = {"paths": resource.paths, "sources_file": resource.sources_file}
    return {**QUIET, "resources": {"sources": {"config": config}}}


# The code location that workspace.yaml names (what `dagster dev -w workspace.yaml` loads): the
# runs made here carry its origin, so that the UI lists them, draws them on its timeline and
# can launch them again (re-execute) in that location, like the runs it launched itself.
LOCATION = "dyadflow"
DEFINITIONS_MODULE = "assets.definitions"


def workspace_file(layout: Layout) -> Path:
    """The workspace ``dyadflow ui`` starts Dagster with, kept in the instance folder: the code
    location workspace.yaml names, by the same name, from whatever folder the command is run in
    (``dagster dev -m`` would name the location after the module, and the UI could not
    re-execute the runs made here)."""
    import yaml

    entry = {
        "module_name": DEFINITIONS_MODULE,
        "location_name": LOCATION,
        "working_directory": str(Path(__file__).resolve().parents[1]),
    }
    path = layout.dagster_home / "workspace.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"load_from": [{"python_module": entry}]}), "utf-8")
    return path


def ui_command(layout: Layout, port: int) -> list[str]:
    """``dagster dev`` on the data folder's instance, the code location and 127.0.0.1."""
    dagster = shutil.which("dagster") or str(Path(sys.executable).with_name("dagster"))
    workspace = workspace_file(layout)
    return [dagster, "dev", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(port)]


def origins(defs: dg.Definitions, job_name: str):
    """The code location's origin of a job (as the UI knows it), and its Python origin."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.remote_origin import RemoteJobOrigin, RemoteRepositoryOrigin
    from dagster._core.workspace.load import location_origin_from_module_name

    location = location_origin_from_module_name(DEFINITIONS_MODULE, None, None, LOCATION)
    repository = RemoteRepositoryOrigin(location, defs.get_repository_def().name)
    code = ReconstructableRepository.for_module(
        DEFINITIONS_MODULE, "defs", str(Path(__file__).resolve().parents[1])
    )
    return (
        RemoteJobOrigin(repository, job_name),
        code.get_reconstructable_job(job_name).get_python_origin(),
    )


def execute(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    job_name: str,
    run_config: Mapping,
    tags: Mapping[str, str],
    partition: str | None = None,
) -> ExecutionResult:
    """Run a job here, in this process, as a run of the code location (see ``origins``): as
    ``execute_in_process`` does, but with the origins it does not take."""
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.api import (
        ExecuteRunWithPlanIterable,
        create_execution_plan,
        job_execution_iterator,
    )
    from dagster._core.execution.context_creation_job import (
        PlanOrchestrationContextManager,
        orchestration_context_event_generator,
    )
    from dagster._core.execution.execute_in_process import merge_run_tags
    from dagster._core.execution.execute_in_process_result import ExecuteInProcessResult

    job_def = defs.resolve_job_def(job_name)
    job = InMemoryJob(job_def)
    # the job's tags and the partition's, as execute_in_process gives them
    tags = merge_run_tags(job_def, partition, tags, None, instance, run_config)
    plan = create_execution_plan(job, run_config=run_config, instance_ref=instance.get_ref())
    remote, python = origins(defs, job_name)
    run = instance.create_run_for_job(
        job_def,
        execution_plan=plan,
        run_config=run_config,
        tags=tags,
        remote_job_origin=remote,
        job_code_origin=python,
    )
    events = list(
        ExecuteRunWithPlanIterable(
            execution_plan=plan,
            iterator=job_execution_iterator,
            execution_context_manager=PlanOrchestrationContextManager(
                context_event_generator=orchestration_context_event_generator,
                job=job,
                execution_plan=plan,
                dagster_run=run,
                instance=instance,
                run_config=run_config,
                executor_defs=None,
                output_capture=None,
                raise_on_error=False,
            ),
        )
    )
    return ExecuteInProcessResult(
        job_def=job_def,
        event_list=events,
        dagster_run=instance.get_run_by_id(run.run_id),
        output_capture=None,
    )


@dataclass(frozen=True)
class Landed:
    """What an ingestion run landed (from the metadata of its `landed_articles`)."""

    run_id: str
    success: bool
    message: str = ""
    articles: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    quarantined: int = 0
    hidden_skipped: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)  # every publication day the sources hold


def land(layout: Layout, sources: Sequence[str] = (), sources_file: str | None = None) -> Landed:
    """Ingest new and changed sources into the landing area in an `ingest_sources` run (which
    materialises `landed_articles`), and say what it landed."""
    from assets.definitions import build_definitions

    defs = build_definitions(str(layout.home))
    with instance_for(layout) as instance:
        free_dead_runs(instance)
        result = execute(
            defs, instance, "ingest_sources", _run_config(sources, sources_file), owner_tags()
        )
    if not result.success:
        _, _, message = failures_of(result)
        return Landed(result.run_id, False, message)
    (landed,) = result.asset_materializations_for_node("landed_articles")
    meta = {key: value.value for key, value in landed.metadata.items()}
    config = sources_resource(sources, sources_file).config(layout.home)
    names = [str(p) for p in config.file_paths()] + [f.location for f in config.feed_urls()]
    days = Landing(landing_dir(layout.home)).days_of(names)
    return Landed(
        result.run_id,
        True,
        articles=meta["articles"],
        files_read=meta["files_read"],
        files_unchanged=meta["files_unchanged"],
        quarantined=meta["quarantined"],
        hidden_skipped=list(meta["hidden_files_skipped"]),
        days=[d for d in days if daily_partitions.has_partition_key(d.isoformat())],
    )


def materialise(
    layout: Layout,
    days: Sequence[date],
    sources: Sequence[str] = (),
    on_done: Callable[[PartitionRun], None] | None = None,
    sources_file: str | None = None,
    landed_by: str = "",
) -> list[PartitionRun]:
    """Publish the codebook, then run the days: a small day (``SMALL_DAY`` articles or fewer)
    with the small days next to it, in one run of the `backfill_days` job (up to
    ``BATCH_ARTICLES`` articles), any other day in a run of the daily job.

    ``landed_by``: the ingestion run that landed the sources for these runs (its id)."""
    from assets.definitions import build_definitions
    from assets.ingest import LANDED_BY_TAG
    from assets.resources import CodingAhead
    from pipelines.validation.runner import rendering_deferred

    run_config = _run_config(sources, sources_file)
    tags = {**owner_tags(), **({LANDED_BY_TAG: landed_by} if landed_by else {})}
    with _coding_ahead(layout, days) as ahead:
        defs = build_definitions(str(layout.home), coding_ahead=CodingAhead(ahead))
        with instance_for(layout) as instance, rendering_deferred():
            groups = run_groups(Landing(landing_dir(layout.home)), days)
            return _run_days(defs, instance, groups, run_config, tags, on_done)


# A run's fixed cost (the run, its check steps, a publication) is seconds: days this small are
# run together, so that a backfill of small days is not mostly that cost. Larger days keep a
# run each: a day of their size costs far more than the run, and shows in the UI as its own.
SMALL_DAY = 500
BATCH_ARTICLES = 5000
# Fewer small days than this keep a run each: what the run saves them is a few seconds.
MIN_BATCH_DAYS = 8


def run_groups(landing: Landing, days: Sequence[date]) -> list[list[date]]:
    """The days in order, in the groups they run in (``group_days``)."""
    return group_days([(day, len(landing.day_articles(day))) for day in days])


def group_days(sized: Sequence[tuple[date, int]]) -> list[list[date]]:
    """Days and their article counts, in order, in the groups they run in: consecutive small
    days together (up to ``BATCH_ARTICLES`` articles, at least ``MIN_BATCH_DAYS`` days), every
    other day on its own."""
    groups: list[list[date]] = []
    held = 0
    for day, size in sized:
        if size > SMALL_DAY:
            groups.append([day])
            held = BATCH_ARTICLES  # nothing joins this day's group
            continue
        if groups and held + size <= BATCH_ARTICLES:
            groups[-1].append(day)
            held += size
        else:
            groups.append([day])
            held = size
    return [part for group in groups for part in _split_if_few(group)]


def _split_if_few(group: list[date]) -> list[list[date]]:
    return [group] if len(group) >= MIN_BATCH_DAYS else [[day] for day in group]


def _run_days(defs, instance, groups, run_config, tags, on_done) -> list[PartitionRun]:
    from assets.backfill import JOB, OUTCOMES

    free_dead_runs(instance)
    execute(defs, instance, "codebook", QUIET, tags)
    outcomes = []
    for group in groups:
        if len(group) == 1:
            (day,) = group
            result = execute(defs, instance, "daily_events", run_config, tags, day.isoformat())
            failed, warnings, message = failures_of(result)
            done = [PartitionRun(day, result.success, result.run_id, failed, message, warnings)]
        else:
            keys = [day.isoformat() for day in group]
            config = {**run_config, "ops": {"publish_days": {"config": {"days": keys}}}}
            result = execute(defs, instance, JOB, config, tags)
            _, _, message = failures_of(result)
            by_day = _step_metadata(result, OUTCOMES)
            done = [
                PartitionRun(day=day, run_id=result.run_id, **by_day[day.isoformat()])
                if day.isoformat() in by_day
                else PartitionRun(day, False, result.run_id, [], message or "run failed")
                for day in group
            ]
        for outcome in done:
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    return outcomes


def _step_metadata(result: ExecutionResult, name: str) -> dict:
    """A metadata entry of the run's step outputs (empty when no step gave it)."""
    for event in result.all_events:
        if event.is_successful_output and name in event.step_output_data.metadata:
            return event.step_output_data.metadata[name].value
    return {}


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
        # A run launched again from the UI carries the tags of the run it repeats: its process
        # is Dagster's, not the one the tags name.
        if PID_TAG not in run.tags or run.parent_run_id or not _gone(run.tags):
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
    (given to their job as its `coding_ahead` resource: their event_mentions steps take their
    day from it)."""
    if not days:
        return nullcontext()
    from assets.resources import CoderResource
    from pipelines.datamodel.record_frames import frame_articles, mentions_table

    coder = CoderResource(home=str(layout.home))
    landing = Landing(landing_dir(layout.home))

    def originals(day: str):
        frame = landing.day_articles(date.fromisoformat(day))
        return list(frame_articles(frame[frame["duplicate_of"].isna()]))

    keys = [day.isoformat() for day in days]
    return DayPrefetch(
        coder.coder(),
        keys,
        originals,
        coder.parses,
        compact=mentions_table,
        # a backfill_days run takes its days after it has read and validated their articles,
        # and publishes them all at its end: the workers code its next days meanwhile
        ahead_articles=BATCH_ARTICLES,
    )


def failures_of(result: ExecutionResult) -> tuple[list[str], list[str], str]:
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
