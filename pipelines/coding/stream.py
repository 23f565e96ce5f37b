"""Coding a stream of articles on every core, with the parses kept for re-coding.

``code_stream`` takes the articles of a partition (or of many, one after the other) and yields
each article's mention rows. The work goes to ``processes`` worker processes forked from the
process that built the coder (spaCy model and dictionaries are shared, not loaded again), in
tasks of a few dozen articles:

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

import multiprocessing as mp
import os
import queue
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.coding.parses import (
    Located,
    PartitionParses,
    new_docbin,
    shard_docs,
    text_key,
)
from pipelines.ingest.records import Article

PROCESSES_ENV = "DYADFLOW_PROCESSES"
BATCH_ENV = "DYADFLOW_BATCH_SIZE"
DEFAULT_BATCH_SIZE = 16  # measured: faster than 64 here, and a third of the memory
TASK_ARTICLES = 48  # articles per task: enough to keep nlp.pipe's batches full, small to balance
_POLL_SECONDS = 1.0


def default_processes() -> int:
    """$DYADFLOW_PROCESSES, else the cores this process may run on."""
    explicit = os.environ.get(PROCESSES_ENV, "").strip()
    if explicit:
        return max(1, int(explicit))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def default_batch_size() -> int:
    explicit = os.environ.get(BATCH_ENV, "").strip()
    return max(1, int(explicit)) if explicit else DEFAULT_BATCH_SIZE


@dataclass
class Task:
    """A few articles of one partition: those to parse, and those whose parse is cached."""

    number: int
    parse: list[tuple[int, Article]] = field(default_factory=list)  # (place in task, article)
    cached: list[tuple[int, Article, Located]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.parse) + len(self.cached)


@dataclass
class Done:
    number: int
    rows: list[tuple[str, list[dict]]]  # (article id, mention rows) per article
    keys: list[str]  # text keys of the new parses, in DocBin order
    docbin: bytes


@dataclass
class StreamReport:
    articles: int = 0
    parsed: int = 0
    from_cache: int = 0
    shards_written: int = 0


# The coder the workers use: set in the parent just before forking, inherited by the children.
_CODER = None


def _run(coder, task: Task, batch_size: int) -> Done:
    nlp = coder.nlp
    coded: dict[int, tuple[str, list[dict]]] = {}
    keys: list[str] = []
    blob = b""
    # Strings first seen in this task (names, figures) are forgotten when it ends.
    with nlp.memory_zone():
        by_shard: dict[Path, dict[int, tuple[int, Article]]] = {}
        for place, article, located in task.cached:
            by_shard.setdefault(located.shard, {})[located.position] = (place, article)
        for shard, wanted in by_shard.items():
            for position, doc in shard_docs(shard, nlp.vocab, wanted):
                place, article = wanted[position]
                coded[place] = (article.id, [m.as_row() for m in coder.code_doc(doc, article)])
        if task.parse:
            docbin = new_docbin()
            texts = (article.text for _, article in task.parse)
            for doc, (place, article) in zip(
                nlp.pipe(texts, batch_size=batch_size), task.parse, strict=True
            ):
                coded[place] = (article.id, [m.as_row() for m in coder.code_doc(doc, article)])
                docbin.add(doc)
                keys.append(text_key(article.text))
            blob = docbin.to_bytes()
    return Done(task.number, [coded[place] for place in sorted(coded)], keys, blob)


def _worker(tasks, results, batch_size: int) -> None:
    while True:
        task = tasks.get()
        if task is None:
            return
        try:
            results.put(_run(_CODER, task, batch_size))
        except BaseException:
            results.put((task.number, traceback.format_exc()))
            return


def _tasks(articles: Iterable[Article], cache: PartitionParses | None, size: int) -> Iterator[Task]:
    index = cache.index() if cache is not None else {}
    number = 0
    task = Task(number)
    for article in articles:
        located = index.get(text_key(article.text)) if index else None
        if located is not None:
            task.cached.append((len(task), article, located))
        else:
            task.parse.append((len(task), article))
        if len(task) >= size:
            yield task
            number += 1
            task = Task(number)
    if len(task):
        yield task


class CodingError(RuntimeError):
    pass


def code_stream(
    coder,
    articles: Iterable[Article],
    cache: PartitionParses | None = None,
    processes: int | None = None,
    batch_size: int | None = None,
    report: StreamReport | None = None,
    task_articles: int = TASK_ARTICLES,
) -> Iterator[tuple[str, list[dict]]]:
    """(article id, mention rows) for every article, in the order of ``articles``.

    New parses are added to ``cache`` as they come; shards whose texts are all gone from the
    partition are removed at the end (only when the stream was read to its end).
    """
    processes = default_processes() if processes is None else max(1, processes)
    if mp.current_process().daemon:  # a daemonic process may not start workers of its own
        processes = 1
    batch_size = batch_size or default_batch_size()
    report = report if report is not None else StreamReport()
    used: set[str] = set()

    def counted(stream: Iterable[Article]) -> Iterator[Article]:
        for article in stream:
            report.articles += 1
            used.add(text_key(article.text))
            yield article

    tasks = _tasks(counted(articles), cache, task_articles)
    if processes == 1:
        finished = (_run(coder, task, batch_size) for task in tasks)
    else:
        finished = _in_workers(coder, tasks, processes, batch_size)
    for done in finished:
        if done.keys:
            report.parsed += len(done.keys)
            if cache is not None:
                cache.write(done.keys, done.docbin)
                report.shards_written += 1
        report.from_cache += len(done.rows) - len(done.keys)
        yield from done.rows
    if cache is not None:
        cache.prune(used)


def _in_workers(coder, tasks: Iterator[Task], processes: int, batch_size: int) -> Iterator[Done]:
    global _CODER
    context = mp.get_context("fork")
    todo = context.Queue()
    results = context.Queue()
    _CODER = coder
    workers = [
        context.Process(target=_worker, args=(todo, results, batch_size), daemon=True)
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            worker.start()
    finally:
        _CODER = None
    pending: dict[int, Done] = {}
    sent = received = 0
    next_number = 0
    exhausted = False
    try:
        while True:
            while not exhausted and sent - received < 2 * processes:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                todo.put(task)
                sent += 1
            if exhausted and received == sent:
                return
            result = _receive(results, workers)
            received += 1
            if isinstance(result, tuple):
                raise CodingError(f"a coding worker failed on task {result[0]}:\n{result[1]}")
            pending[result.number] = result
            while next_number in pending:
                yield pending.pop(next_number)
                next_number += 1
    finally:
        for _ in workers:
            todo.put(None)
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
                worker.join()
        todo.close()
        results.close()


def _receive(results, workers) -> Done | tuple[int, str]:
    while True:
        try:
            return results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            dead = [w for w in workers if not w.is_alive() and w.exitcode not in (0, None)]
            if dead:
                codes = ", ".join(str(w.exitcode) for w in dead)
                raise CodingError(
                    f"a coding worker died (exit code {codes}): out of memory?"
                ) from None
