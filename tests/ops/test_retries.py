"""Retries with back-off spend their time on transient errors only: real Dagster runs."""

import dagster as dg
import duckdb
import pytest

from assets.operations import TRANSIENT_RETRY, retried_only_if_transient


def _run(error: BaseException, fail_times: int):
    attempts = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=2, delay=0.01, backoff=dg.Backoff.EXPONENTIAL))
    def flaky(context: dg.OpExecutionContext):
        attempts.append(context.retry_number)
        with retried_only_if_transient():
            if len(attempts) <= fail_times:
                raise error

    @dg.job
    def job():
        flaky()

    result = job.execute_in_process(raise_on_error=False)
    return result, attempts


@pytest.mark.slow
@pytest.mark.parametrize(
    "error", [OSError("disk full"), TimeoutError("feed"), duckdb.IOException("lock held")]
)
def test_a_transient_error_is_retried_until_it_passes(error):
    result, attempts = _run(error, fail_times=2)
    assert result.success
    assert attempts == [0, 1, 2]


@pytest.mark.slow
@pytest.mark.parametrize(
    "error", [KeyError("event_code"), ValueError("bad data"), dg.Failure("rejected release")]
)
def test_anything_else_fails_at_once(error):
    result, attempts = _run(error, fail_times=5)
    assert not result.success
    assert attempts == [0]
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "rejected release" in failure.message or type(error).__name__ in str(
        failure.event_specific_data.error
    )


def test_the_policy_backs_off_exponentially():
    assert TRANSIENT_RETRY.backoff == dg.Backoff.EXPONENTIAL
    assert TRANSIENT_RETRY.max_retries == 3 and TRANSIENT_RETRY.delay == 10
