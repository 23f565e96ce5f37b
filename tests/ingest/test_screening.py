"""Screening a landing's articles on worker processes: the same results as in one process, in
order; a worker that dies is an error, never a wait."""

import os
import signal

import pytest

from pipelines.ingest import language
from pipelines.ingest.copy_index import signature
from pipelines.ingest.screening import Screener, screen

TEXTS = [
    "Niger severed diplomatic ties with Ukraine on Tuesday, the junta said in a statement.",
    "Le gouvernement malien a rompu ses relations diplomatiques avec l'Ukraine ce dimanche.",
    "Nigerian police arrested dozens of protesters waving Russian flags in Kano on Monday.",
    "",
] * 5


@pytest.mark.slow
def test_workers_screen_as_the_calling_process_does_in_order():
    with Screener(("en",), processes=2, min_batch=1) as screener:
        results = screener.submit(TEXTS)()
        assert screener._pool is not None  # the workers did it
    alone = [screen(text, ("en",)) for text in TEXTS]
    assert [r.verdict for r in results] == [r.verdict for r in alone]
    assert [r.verdict.keep for r in results[:4]] == [True, False, True, True]
    for got, expected in zip(results, alone, strict=True):
        if expected.signature is None:
            assert got.signature is None
        else:
            assert (got.signature == expected.signature).all()
    assert (results[0].signature == signature(TEXTS[0])).all()


def test_small_batches_stay_in_the_calling_process():
    with Screener(("en",), processes=2, min_batch=100) as screener:
        screener.submit(TEXTS)()
        assert screener._pool is None


@pytest.mark.slow
def test_a_worker_that_dies_fails_the_screening_with_a_clear_error():
    with Screener(("en",), processes=2, min_batch=1) as screener:
        screener.submit(TEXTS[:2])()
        for pid in list(screener._pool._processes):
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(RuntimeError, match="died before it was done: out of memory"):
            screener.submit(TEXTS)()
    language.release()
