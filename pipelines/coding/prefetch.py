"""Days coded ahead of the runs that publish them: one stream over a whole range of days.

``dyadflow run`` publishes a range of days one daily run at a time (each with its checks and
its atomic publication). Coding each day on its own would start the workers for every day and
leave them idle while the day is validated and published. Instead, ``DayPrefetch`` feeds the
originals of every day, in order, through one pool of workers (``code_partitions``) on a
background thread, keeping at most ``ahead`` coded days waiting; each day's ``event_mentions``
step then takes its day's result (``take``) instead of coding it, while the workers already
code the next day.

A result is handed over only for exactly the articles it was coded from (ids and texts) and by
the same coder version; otherwise ``take`` returns None and the step codes the day itself.
Nothing is published from here: the daily runs still validate and publish every day.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.coding.parses import PartitionParses, text_key
from pipelines.coding.stream import CodingError, StreamReport, WorkerPool, code_partitions
from pipelines.datamodel.records import Article


def fingerprint(articles: Sequence[Article]) -> str:
    digest = hashlib.sha256()
    for article in articles:
        digest.update(f"{article.id}\0{text_key(article.text)}\n".encode())
    return digest.hexdigest()


@dataclass
class Coded:
    """A day's coding: as ``code_stream`` would have yielded it, or as ``compact`` made it."""

    rows: Any  # (article id, mention rows) per article, in order; or compact(those)
    report: StreamReport


class _Day:
    def __init__(self) -> None:
        self.ready = threading.Event()
        self.fingerprint = ""
        self.expected = 0
        self.rows: Any = []  # (article id, mention rows) per article; compacted once complete
        self.received = 0
        self.dropped = False  # given up by the runs: its rows are not kept


class DayPrefetch:
    """Code ``days`` (partition keys, in run order) ahead of the runs, ``ahead`` days at most
    (more while they hold fewer than ``ahead_articles`` articles).

    Use as a context manager around the daily runs: entering forks the workers and starts the
    feeder thread, leaving stops both. ``originals(day)`` gives the articles of a day to code
    (read when the stream reaches that day); ``caches(day)`` its parse cache. ``compact``, if
    given, turns a complete day's rows into what ``take`` hands over: a day waits as, say, an
    Arrow table instead of one Python dict per mention (a tenth of the memory).
    """

    def __init__(
        self,
        coder,
        days: Sequence[str],
        originals: Callable[[str], list[Article]],
        caches: Callable[[str], PartitionParses | None] = lambda _: None,
        processes: int | None = None,
        ahead: int = 2,
        compact: Callable[[list[tuple[str, list[dict]]]], Any] | None = None,
        ahead_articles: int = 0,
    ):
        self.coder = coder
        self.days = list(days)
        self.originals = originals
        self.caches = caches
        self.processes = processes
        self.ahead = max(1, ahead)
        # More days may wait while they hold fewer articles than this together: small days
        # are run many at a time, and the workers keep coding while a run validates and
        # publishes them.
        self.ahead_articles = ahead_articles
        self.compact = compact
        self._lock = threading.Condition()
        self._state = {day: _Day() for day in self.days}
        self._reports: dict[str, StreamReport] = {}
        self._taken: set[str] = set()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._pool: WorkerPool | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> DayPrefetch:
        # the workers fork here, in the caller's thread, before the feeder starts
        self._pool = WorkerPool(self.coder, self.processes).__enter__()
        self._thread = threading.Thread(target=self._feed, name="dyadflow-prefetch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        with self._lock:  # wake the feeder if it waits for room
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join()
        if self._pool is not None:
            self._pool.close()

    # -- the feeder thread ------------------------------------------------------------------

    def _items(self) -> Iterator[tuple[str, Article]]:
        for day in self.days:
            if self._stop.is_set():
                return
            state = self._state[day]
            articles = self.originals(day)
            state.fingerprint, state.expected = fingerprint(articles), len(articles)
            if not articles:
                state.ready.set()
                continue
            for article in articles:
                yield day, article

    def _feed(self) -> None:
        try:
            current = None
            for day, article_id, rows in code_partitions(
                self._pool, self._items(), self.caches, by_partition=self._reports
            ):
                if day != current:
                    current = day
                    self._wait_for_room()
                state = self._state[day]
                state.received += 1
                if not state.dropped:
                    state.rows.append((article_id, rows))
                if state.received == state.expected:
                    if self.compact is not None and not state.dropped:
                        state.rows = self.compact(state.rows)
                    state.ready.set()
                if self._stop.is_set():
                    return
        except BaseException as error:
            self._error = error
        finally:
            for state in self._state.values():
                state.ready.set()

    def _wait_for_room(self) -> None:
        """Pause (between two days: the days before are all coded) while ``ahead`` coded days
        wait to be taken. Workers finish the tasks they hold meanwhile."""
        with self._lock:
            while not self._stop.is_set() and self._full():
                self._lock.wait()

    def _full(self) -> bool:
        # A day with nothing to code is ready as soon as it is read, ahead of the day being
        # coded before it: it holds no rows, and counting it would wait on that very day.
        waiting = [
            state.expected
            for day, state in self._state.items()
            if state.ready.is_set() and day not in self._taken and state.expected
        ]
        return len(waiting) >= self.ahead and sum(waiting) >= self.ahead_articles

    # -- the daily runs' side ---------------------------------------------------------------

    def take(self, day: str, articles: Sequence[Article], coder_version: str) -> Coded | None:
        """The coding of ``day`` if it was coded from exactly ``articles`` (ids and texts) by
        this coder version; None otherwise, and the caller codes the day itself."""
        state = self._state.get(day)
        if state is None or coder_version != self.coder.version:
            return None
        with self._lock:
            # days before this one that nobody took (their run stopped earlier) give way
            for other in self.days[: self.days.index(day)]:
                if other not in self._taken:
                    self._state[other].dropped = True
                    self._state[other].rows = []
                    self._taken.add(other)
        state.ready.wait()
        with self._lock:
            self._taken.add(day)
            self._lock.notify_all()
        if self._error is not None:
            raise CodingError(f"coding ahead failed: {self._error}") from self._error
        complete = not state.dropped and state.received == state.expected
        if not complete or state.fingerprint != fingerprint(articles):
            return None
        coded = Coded(state.rows, self._reports.get(day, StreamReport()))
        state.rows, state.dropped = [], True
        return coded
