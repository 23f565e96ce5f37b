"""The distributed profile: the same definitions, with every step of a run executed by Celery
workers (dagster-celery's executor) on any number of machines, through a Redis broker.

Partitions are the unit of scale-out: each daily partition is its own run, the runs the instance
lets go at once (``concurrency.runs.max_concurrent_runs`` in dagster.yaml) put their steps on
the broker's ``dagster`` queue, and whichever worker is free takes the next step. A worker loads
the spaCy model once and keeps it. Steps hand their outputs over through the data folder, and
every worker opens the same Dagster instance: on several machines the data folder must be a
shared filesystem (NFS or a cluster filesystem) mounted at the same path everywhere, and
DAGSTER_HOME must point at the same instance.

    pip install -e '.[celery]'
    redis-server --bind 0.0.0.0 &                                           # the broker
    dagster-celery worker start -A dagster_celery.app -y celery.yaml &  # each machine
    DYADFLOW_CELERY_BROKER=redis://BROKER:6379/0 dagster dev -w workspace-celery.yaml

with celery.yaml::

    execution:
      config:
        broker: redis://BROKER:6379/0
        backend: redis://BROKER:6379/0

dagster-dask's executor was tried first: it hands Dask the run record itself as an argument,
which Dask walks as a tuple, and Dagster 1.13 run records refuse that as soon as a job uses pools
(dyadflow's writer pool), so every run fails before its first step. Celery's executor sends
serialised arguments and loads the run from the instance.
"""

from __future__ import annotations

import os

import dagster as dg
from dagster_celery import celery_executor

from assets.definitions import build_definitions
from pipelines.settings import home_dir

BROKER_ENV = "DYADFLOW_CELERY_BROKER"
BACKEND_ENV = "DYADFLOW_CELERY_BACKEND"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"


def executor_config(broker: str | None = None, backend: str | None = None) -> dict:
    """Broker and result backend: given, else from the environment, else a local Redis."""
    broker = broker or os.environ.get(BROKER_ENV, "").strip() or DEFAULT_BROKER
    backend = backend or os.environ.get(BACKEND_ENV, "").strip() or broker
    return {"broker": broker, "backend": backend}


def build_distributed_definitions(
    home: str, broker: str | None = None, backend: str | None = None
) -> dg.Definitions:
    base = build_definitions(home)
    return dg.Definitions(
        assets=base.assets,
        asset_checks=base.asset_checks,
        jobs=base.jobs,
        schedules=base.schedules,
        sensors=base.sensors,
        resources=base.resources,
        loggers=base.loggers,
        executor=celery_executor.configured(executor_config(broker, backend)),
    )


defs = build_distributed_definitions(str(home_dir()))


def daily_events_job() -> dg.JobDefinition:
    """The daily job of the distributed profile, for ``dg.reconstructable``: the workers rebuild
    it from this module, under the same $DYADFLOW_HOME."""
    return build_distributed_definitions(str(home_dir())).resolve_job_def("daily_events")
