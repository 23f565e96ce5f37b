"""Coding a stream of articles on every core, with the parses kept for re-coding.

``code_stream`` takes the articles of a partition and yields each article's mention rows;
``code_partitions`` does the same for the articles of many partitions one after the other, in
one stream, so that the workers never wait between partitions. The work goes to ``processes``
worker processes forked from the process that built the coder (spaCy model and dictionaries are
shared, not loaded again), in tasks of a few dozen articles of one partition:

- an article whose text has a cached parse (``PartitionParses``) is only coded: its Doc is read
  back from the shard, which costs about a tenth of a parse;
- the others are parsed (``nlp.pipe``) and coded in the worker, which sends back the mention
  rows and the new parses as one DocBin; the caller's process writes the shard.

Workers code what they parse, so Docs never travel between processes (a serialised Doc with its
tensor is ~250 kB; a DocBin of the same Doc ~4 kB). Each task runs inside a spaCy memory zone,
so the strings of the texts it reads (names, figures) are freed afterwards and memory stays flat
however long the stream. At most two tasks per worker are in flight, so the stream is never
read ahead further than that: the corpus is never in memory.

With ``processes=1`` the same tasks run in the calling process, with no fork.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.coding.parses import (
    Located,
    PartitionParses,
    new_docbin,
    shard_docs,
    text_key,
)
from pipelines.coding.pieces import PIECE_CHARS
from pipelines.datamodel.records import Article
from pipelines.settings import default_processes, env_count

BATCH_ENV = "DYADFLOW_BATCH_SIZE"
DEFAULT_BATCH_SIZE = 16  # measured: faster than 64 here, and a third of the memory
TASK_ARTICLES = 48  # articles per task: enough to keep nlp.pipe's batches full, small to balance
_POLL_SECONDS = 1.0


def default_batch_size() -> int:
    explicit = env_count(BATCH_ENV)
    return DEFAULT_BATCH_SIZE if explicit is None else explicit


@dataclass
class Task:
    """A few articles of one partition: those to parse, and those whose parse is cached."""

    number: int
    partition: str
    parse: list[tuple[int, Article]] = field(default_factory=list)  # (place in task, article)
    cached: list[tuple[int, Article, Located]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.parse) + len(self.cached)


@dataclass
class Done:
    number: int
    partition: str
    rows: list[tuple[str, list[dict]]]  # (article id, mention rows) per article, in order
    keys: list[str]  # text keys of the new parses, in DocBin order
    docbin: bytes


@dataclass
class StreamReport:
    articles: int = 0
    parsed: int = 0
    from_cache: int = 0
    shards_written: int = 0
    coded_ahead: bool = False  # taken from a prefetch (pipelines/coding/prefetch.py)


class CodingError(RuntimeError):
    pass


# The coder the workers use: set in the parent just before forking, inherited by the children.
_CODER = None


# The whitespace-separated chunks this process has tokenised outside a memory zone.
_WARMED: set[str] = set()


def _warm_tokenizer(nlp, texts: Iterable[str]) -> None:
    """Tokenise the first texts a process parses outside a memory zone, until spaCy's tokenizer
    cache is full.

    Inside a zone the tokenizer caches nothing (an entry would keep strings the zone frees), so
    a process that only ever parses in zones runs every word through its prefix, suffix and
    infix rules again (docs/scaling.md has the cost). Tokenised once outside, the corpus's
    common words stay cached; the strings kept are bounded by the cache's size.
    """
    limit = getattr(nlp.tokenizer, "max_cache_size", 0)
    for text in texts:
        if len(_WARMED) >= limit:
            return
        if len(text) > PIECE_CHARS:  # its words would all stay, however many
            continue
        nlp.tokenizer(text)
        _WARMED.update(text.split())


def _run(coder, task: Task, batch_size: int) -> Done:
    nlp = coder.nlp
    coded: dict[int, tuple[str, list[dict]]] = {}
    keys: list[str] = []
    blob = b""
    _warm_tokenizer(nlp, (article.text for _, article in task.parse))
    # Strings first seen in this task (names, figures) are forgotten when it ends.
    with nlp.memory_zone():
        by_shard: dict[Path, dict[int, tuple[int, Article]]] = {}
        for place, article, located in task.cached:
            by_shard.setdefault(located.shard, {})[located.position] = (place, article)
        for shard, wanted in by_shard.items():
            for position, doc in shard_docs(shard, nlp.vocab, wanted):
                place, article = wanted[position]
                coded[place] = (article.id, [m.as_row() for m in coder.code_doc(doc, article)])
        missing = [(place, article) for place, article, _ in task.cached if place not in coded]
        parse = sorted(task.parse + missing)  # a cached parse that could not be read: parse
        if parse:
            docbin = new_docbin()
            texts = (article.text for _, article in parse)
            for doc, (place, article) in zip(
                coder.parse(texts, batch_size=batch_size), parse, strict=True
            ):
                coded[place] = (article.id, [m.as_row() for m in coder.code_doc(doc, article)])
                docbin.add(doc)
                keys.append(text_key(article.text))
            blob = docbin.to_bytes()
    rows = [coded[place] for place in sorted(coded)]
    return Done(task.number, task.partition, rows, keys, blob)


PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with_parent(parent: int) -> None:
    """Have this worker killed when the process that forked it dies, however it dies.

    A worker waits on its task queue; if a run is killed (kill -9, out of memory), nothing
    would ever tell it to stop, and each holds a few hundred MB. On Linux the kernel sends
    SIGKILL when the forking thread ends (the pool is started, and closed, by a thread that
    outlives it); elsewhere a thread watches for the worker being handed to another parent.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(_POLL_SECONDS)
            os._exit(1)

        threading.Thread(target=watch, name="dyadflow-orphan-watch", daemon=True).start()
    if os.getppid() != parent:  # died before the signal was asked for
        os._exit(1)


def _worker(tasks, results, batch_size: int, parent: int) -> None:
    _die_with_parent(parent)
    while True:
        task = tasks.get()
        if task is None:
            return
        try:
            results.put(_run(_CODER, task, batch_size))
        except BaseException:
            results.put((task.number, traceback.format_exc()))
            return
        # A task's Docs leave reference cycles that the collector's own runs reach late in a
        # forked worker: collected after each task, a worker stays flat instead of growing by
        # hundreds of MB over a long stream (docs/scaling.md).
        gc.collect()


class WorkerPool:
    """``processes`` forked workers holding the coder, for as many streams as the caller runs
    through them (one after the other). With one process, tasks run in the caller."""

    def __init__(self, coder, processes: int | None = None, batch_size: int | None = None):
        self.coder = coder
        self.processes = default_processes() if processes is None else max(1, processes)
        if mp.current_process().daemon:  # a daemonic process may not start workers of its own
            self.processes = 1
        self.batch_size = batch_size or default_batch_size()
        self._workers: list = []
        self._todo = self._results = None

    def __enter__(self) -> WorkerPool:
        if self.processes > 1:
            self._start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        global _CODER
        context = mp.get_context("fork")
        self._todo, self._results = context.Queue(), context.Queue()
        _CODER = self.coder
        # Objects the caller holds stay out of the collector's reach in the workers: a
        # collection would write to every page it visits and make each worker its own copy.
        gc.freeze()
        try:
            for _ in range(self.processes):
                worker = context.Process(
                    target=_worker,
                    args=(self._todo, self._results, self.batch_size, os.getpid()),
                    daemon=True,
                )
                worker.start()
                self._workers.append(worker)
        finally:
            _CODER = None
            gc.unfreeze()

    def close(self) -> None:
        for _ in self._workers:
            self._todo.put(None)
        for worker in self._workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
                worker.join()
        if self._todo is not None:
            self._todo.close()
            self._results.close()
        self._workers = []

    def run(self, tasks: Iterator[Task]) -> Iterator[Done]:
        """Every task's result, in task order."""
        if not self._workers:
            for task in tasks:
                yield _run(self.coder, task, self.batch_size)
            return
        pending: dict[int, Done] = {}
        sent = received = 0
        expected = None
        exhausted = False
        while True:
            while not exhausted and sent - received < 2 * self.processes:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                expected = task.number if expected is None else expected
                self._todo.put(task)
                sent += 1
            if exhausted and received == sent:
                return
            result = self._receive()
            received += 1
            if isinstance(result, tuple):
                raise CodingError(f"a coding worker failed on task {result[0]}:\n{result[1]}")
            pending[result.number] = result
            while expected in pending:
                yield pending.pop(expected)
                expected += 1

    def _receive(self) -> Done | tuple[int, str]:
        while True:
            try:
                return self._results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                dead = [w for w in self._workers if w.exitcode not in (0, None)]
                if dead:
                    codes = ", ".join(str(w.exitcode) for w in dead)
                    raise CodingError(
                        f"a coding worker died (exit code {codes}): out of memory?"
                    ) from None


def _tasks(
    items: Iterable[tuple[str, Article]],
    caches: Callable[[str], PartitionParses | None],
    size: int,
) -> Iterator[Task]:
    """Tasks of at most ``size`` articles, never spanning two partitions."""
    number = 0
    task: Task | None = None
    index: dict = {}
    for partition, article in items:
        if task is None or task.partition != partition:
            if task is not None and len(task):
                yield task
                number += 1
            cache = caches(partition)
            index = cache.index() if cache is not None else {}
            task = Task(number, partition)
        located = index.get(text_key(article.text)) if index else None
        if located is not None:
            task.cached.append((len(task), article, located))
        else:
            task.parse.append((len(task), article))
        if len(task) >= size:
            yield task
            number += 1
            task = Task(number, partition)
    if task is not None and len(task):
        yield task


def code_partitions(
    pool: WorkerPool,
    items: Iterable[tuple[str, Article]],
    caches: Callable[[str], PartitionParses | None] = lambda _: None,
    report: StreamReport | None = None,
    task_articles: int = TASK_ARTICLES,
    by_partition: dict[str, StreamReport] | None = None,
) -> Iterator[tuple[str, str, list[dict]]]:
    """(partition, article id, mention rows) for every (partition, article), in order.

    The items of a partition come together. New parses go to the partition's cache as they come;
    once a partition is through, its shards whose texts are all gone from it are removed.
    ``report`` counts for the whole stream, ``by_partition`` (filled in) for each partition.
    """
    report = report if report is not None else StreamReport()
    by_partition = by_partition if by_partition is not None else {}
    used: dict[str, set[str]] = {}

    def counted() -> Iterator[tuple[str, Article]]:
        for partition, article in items:
            for counts in (report, by_partition.setdefault(partition, StreamReport())):
                counts.articles += 1
            used.setdefault(partition, set()).add(text_key(article.text))
            yield partition, article

    def finish(partition: str) -> None:
        cache = caches(partition)
        if cache is not None:
            cache.prune(used.pop(partition, set()))

    current = None
    for done in pool.run(_tasks(counted(), caches, task_articles)):
        if current is not None and done.partition != current:
            finish(current)
        current = done.partition
        counts = (report, by_partition.setdefault(done.partition, StreamReport()))
        cache = caches(done.partition) if done.keys else None
        if cache is not None:
            cache.write(done.keys, done.docbin)
        for each in counts:
            each.parsed += len(done.keys)
            each.from_cache += len(done.rows) - len(done.keys)
            each.shards_written += cache is not None
        for article_id, rows in done.rows:
            yield done.partition, article_id, rows
    if current is not None:
        finish(current)


def code_stream(
    coder,
    articles: Iterable[Article],
    cache: PartitionParses | None = None,
    processes: int | None = None,
    batch_size: int | None = None,
    report: StreamReport | None = None,
    task_articles: int = TASK_ARTICLES,
) -> Iterator[tuple[str, list[dict]]]:
    """(article id, mention rows) for every article of one partition, in order, on a pool of
    its own."""
    with WorkerPool(coder, processes, batch_size) as pool:
        items = (("", article) for article in articles)
        for _, article_id, rows in code_partitions(
            pool, items, lambda _: cache, report, task_articles
        ):
            yield article_id, rows
