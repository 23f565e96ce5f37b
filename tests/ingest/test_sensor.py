"""The inbox sensor, evaluated with Dagster's sensor context on a real instance: a dropped file
starts one ingestion, the ingestion's days get one daily run each, and nothing is asked twice."""

import json
import os
import time

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.resources import ArticleSources, LandingArea
from assets.sensors import SETTLE_SECONDS

pytestmark = pytest.mark.slow


def _drop(inbox, name, lines, age=SETTLE_SECONDS + 60):
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


ARTICLES = [
    {
        "id": "s1",
        "text": "Ghana and Togo agreed to reopen their border.",
        "published_at": "2024-08-06T09:00:00Z",
    },
    {
        "id": "s2",
        "text": "Kenya sent more police officers to Haiti.",
        "published_at": "2024-08-07T09:00:00Z",
    },
]


@pytest.fixture
def setup(tmp_path):
    home = tmp_path / "home"
    defs = build_definitions(str(home))
    sensor = defs.resolve_sensor_def("inbox_sensor")
    resources = {"sources": ArticleSources(), "landing": LandingArea(home=str(home))}
    with dg.DagsterInstance.ephemeral() as instance:
        yield home, defs, sensor, resources, instance


def _tick(sensor, resources, instance, cursor):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
    result = sensor(context)
    return result, result.cursor


def test_a_dropped_file_is_ingested_once_and_its_days_run_once(setup):
    home, defs, sensor, resources, instance = setup
    result, cursor = _tick(sensor, resources, instance, None)
    assert result.run_requests == []  # empty inbox: nothing to do

    _drop(home / "inbox", "wire.jsonl", ARTICLES)
    result, cursor = _tick(sensor, resources, instance, cursor)
    (ingest,) = result.run_requests
    assert ingest.job_name == "ingest_sources" and ingest.tags["dyadflow/new_files"] == "1"

    # Asked once: the next tick, before the ingestion ran, asks nothing.
    result, cursor = _tick(sensor, resources, instance, cursor)
    assert result.run_requests == []

    run = defs.resolve_job_def("ingest_sources").execute_in_process(
        instance=instance, resources=resources
    )
    assert run.success

    result, cursor = _tick(sensor, resources, instance, cursor)
    assert [(r.job_name, r.partition_key) for r in result.run_requests] == [
        ("daily_events", "2024-08-06"),
        ("daily_events", "2024-08-07"),
    ]
    result, cursor = _tick(sensor, resources, instance, cursor)
    assert result.run_requests == []


def test_a_file_still_being_written_waits_and_a_changed_file_is_asked_again(setup):
    home, defs, sensor, resources, instance = setup
    path = _drop(home / "inbox", "fresh.jsonl", ARTICLES[:1], age=0)
    result, cursor = _tick(sensor, resources, instance, None)
    assert result.run_requests == []  # modified a moment ago: not settled yet

    past = time.time() - SETTLE_SECONDS - 60
    os.utime(path, (past, past))
    result, cursor = _tick(sensor, resources, instance, cursor)
    assert len(result.run_requests) == 1
    defs.resolve_job_def("ingest_sources").execute_in_process(
        instance=instance, resources=resources
    )
    result, cursor = _tick(sensor, resources, instance, cursor)
    assert [r.partition_key for r in result.run_requests] == ["2024-08-06"]

    _drop(home / "inbox", "fresh.jsonl", ARTICLES)  # the file grows
    result, cursor = _tick(sensor, resources, instance, cursor)
    (again,) = result.run_requests
    assert again.job_name == "ingest_sources"
