"""What a landing works out for each article from its text alone, on every core.

An article's language verdict (``language.detect``) and its near-duplicate signature
(``copy_index.signature``) depend on nothing but its text, and they are most of a landing's CPU
(figures in docs/scaling.md, "Landing on every core"). ``Screener`` works them out for a batch
of articles on forked worker processes while the landing's own process reads the next batch and
writes the last one. Results come back in order, so what lands is the same however many
processes screened it.

A batch smaller than ``min_batch`` is screened in the calling process (a feed, a small file: a
fork costs more than it saves), and so is everything when there is one process, or when the
caller is a daemonic process (a Celery worker), which may not start children. The workers start
with the first large batch and stop with the screener. A worker that dies (out of memory, killed)
fails the landing with an error that says so; it never leaves it waiting.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

import numpy as np

from pipelines.ingest import language
from pipelines.ingest.copy_index import signature
from pipelines.settings import default_processes

MIN_BATCH = 256  # articles: below this a batch is screened in the calling process


class Screened(NamedTuple):
    verdict: language.Verdict
    signature: np.ndarray | None  # None for an article set aside: it is never indexed


def screen(text: str, keep: tuple[str, ...]) -> Screened:
    verdict = language.detect(text, keep)
    return Screened(verdict, signature(text) if verdict.keep else None)


def _screen_all(texts: Sequence[str], keep: tuple[str, ...]) -> list[Screened]:
    return [screen(text, keep) for text in texts]


class Screener:
    """Screen batches of texts, on ``processes`` forked workers when a batch is large enough."""

    def __init__(
        self, keep: tuple[str, ...], processes: int | None = None, min_batch: int | None = None
    ):
        self.keep = keep
        self.processes = default_processes() if processes is None else max(1, processes)
        if mp.current_process().daemon:
            self.processes = 1
        self.min_batch = MIN_BATCH if min_batch is None else min_batch
        self._pool = None

    def __enter__(self) -> Screener:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, texts: Sequence[str]) -> Callable[[], list[Screened]]:
        """Start screening ``texts``; the function returned waits for their results, in order."""
        texts = list(texts)
        if self.processes == 1 or len(texts) < self.min_batch:
            return lambda: _screen_all(texts, self.keep)
        pool = self._pool or self._start()
        size = -(-len(texts) // self.processes)
        try:
            parts = [
                pool.submit(_screen_all, texts[i : i + size], self.keep)
                for i in range(0, len(texts), size)
            ]
        except BrokenProcessPool as error:
            raise _died() from error

        def results() -> list[Screened]:
            try:
                return [screened for part in parts for screened in part.result()]
            except BrokenProcessPool as error:
                raise _died() from error

        return results

    def _start(self) -> ProcessPoolExecutor:
        # Loaded before the fork, so the workers share the detector's and the hash's tables
        # instead of loading their own.
        language.prepare(self.keep)
        signature("")
        # The caller's objects stay out of the collector's reach in the workers: a collection
        # would write to every page it visits, and make each worker a copy of the caller.
        gc.freeze()
        try:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=mp.get_context("fork"))
            self._pool.submit(int).result()  # forks every worker now, while the objects are frozen
        finally:
            gc.unfreeze()
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _died() -> RuntimeError:
    return RuntimeError(
        "a worker process screening the articles (language, near-duplicate signature) died "
        "before it was done: out of memory, or killed?"
    )
