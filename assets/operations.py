"""Operating policies shared by every asset: who owns it, and how transient failures are retried."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

# Shown on every asset in the UI; the people to ask about the data.
OWNERS = ("team:data-engineering",)

# For steps that touch the outside world (reading sources, writing the warehouse file): a
# locked file, a full disk being cleared or a flaky network usually pass within minutes.
TRANSIENT_RETRY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
# What may pass by itself: the operating system's errors (files, disks, sockets, timeouts) and
# DuckDB's input/output errors (a file held by another writer).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, duckdb.IOException)


def owned(spec: dg.AssetSpec) -> dg.AssetSpec:
    """The asset with the default owners, unless it names its own."""
    return spec if spec.owners else spec.replace_attributes(owners=list(OWNERS))


@contextmanager
def retried_only_if_transient() -> Iterator[None]:
    """Around a step with ``TRANSIENT_RETRY``: let its retries spend time only on errors that
    may pass by themselves. Anything else (a bug, bad data, a rejected release) fails the step
    at once, with the original error chained, instead of failing four times over minutes."""
    try:
        yield
    except TRANSIENT_ERRORS:
        raise
    except dg.Failure as failure:
        if failure.allow_retries is False:
            raise
        raise dg.Failure(
            description=failure.description, metadata=failure.metadata, allow_retries=False
        ) from failure
    except Exception as error:
        raise dg.Failure(
            description=f"{type(error).__name__}: {error} (not retried: not a transient error)",
            allow_retries=False,
        ) from error
