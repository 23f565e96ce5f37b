"""What coding costs on top of the spaCy parse, measured in one run on one corpus.

Run with ``python -m bench.bench_coder`` (options: ``--repeat``, ``--batch-size``,
``--n-process``). The corpus is the bundled sample (pipelines/data/sample/articles.jsonl),
repeated to make the timings stable. Prints, never asserts:

- parse only: ``EventCoder.parse`` (the same spaCy pipeline the coder uses), words/s;
- parse + coding: ``EventCoder.code_articles``, words/s, and the overhead over parse only;
- coding alone on already-parsed Docs (``code_doc``), as a share of the parse time: the figure
  the overhead should equal, measured without the run-to-run noise of two parses;
- the rest of what a coding worker does per article, each as a share of the parse time: turning
  the mentions into rows (``EventMention.as_row``) and keeping the parses for re-coding (a
  ``DocBin`` of them, serialised as a shard is).

Each figure is given by wall clock and by CPU time: on a machine busy with other work the CPU
time is the steadier of the two.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench import summary
from pipelines.coding.coder import EventCoder
from pipelines.coding.parses import new_docbin
from pipelines.datamodel.records import Article
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.sample import sample_corpus_path


def load_corpus(repeat: int) -> list[Article]:
    articles = [
        record for record in read_jsonl(sample_corpus_path()) if isinstance(record, Article)
    ]
    return [article for _ in range(repeat) for article in articles]


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU time suffers less from a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("--repeat", type=int, default=4, help="copies of the sample corpus")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure (best kept)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    coder = EventCoder(batch_size=args.batch_size, n_process=args.n_process)
    load_seconds = time.perf_counter() - started
    articles = load_corpus(args.repeat)
    texts = [article.text for article in articles]
    words = sum(len(text.split()) for text in texts)
    list(coder.parse(texts[:20]))  # warm up

    def parse_only() -> None:
        for _doc in coder.parse(texts):
            pass

    mentions = 0

    def parse_and_code() -> None:
        nonlocal mentions
        mentions = sum(1 for _ in coder.code_articles(articles))

    # the two measures alternate, so a busy spell on the machine hits both alike; the fastest
    # run of each is the least disturbed one
    docs = list(coder.parse(texts))

    def code_only() -> None:
        for doc, article in zip(docs, articles, strict=True):
            coder.code_doc(doc, article)

    coded = [coder.code_doc(doc, article) for doc, article in zip(docs, articles, strict=True)]

    def rows_only() -> None:
        for found in coded:
            [mention.as_row() for mention in found]

    def keep_only() -> None:
        docbin = new_docbin()
        for doc in docs:
            docbin.add(doc)
        docbin.to_bytes()

    parse_runs, full_runs, code_runs, rows_runs, keep_runs = [], [], [], [], []
    for _ in range(args.runs):
        parse_runs.append(timed(parse_only))
        full_runs.append(timed(parse_and_code))
        code_runs.append(timed(code_only))
        rows_runs.append(timed(rows_only))
        keep_runs.append(timed(keep_only))

    print(f"coder {coder.version}; pipeline {', '.join(coder.nlp.pipe_names)}")
    print(f"model and dictionaries loaded in {load_seconds:.2f} s")
    print(
        f"corpus: {len(articles)} articles ({args.repeat} x sample), {words} words; "
        f"batch_size={args.batch_size}, n_process={args.n_process}, best of {args.runs} runs"
    )
    for clock, index in (("wall clock", 0), ("CPU time", 1)):
        parse = min(run[index] for run in parse_runs)
        full = min(run[index] for run in full_runs)
        code = min(run[index] for run in code_runs)
        print(f"\n{clock}")
        print(f"  parse only      {words / parse:>9,.0f} words/s  ({parse:.2f} s)")
        print(
            f"  parse + coding  {words / full:>9,.0f} words/s  ({full:.2f} s), {mentions} mentions"
        )
        print(f"  overhead        {100 * (full - parse) / parse:>8.1f} %")
        print(
            f"  coding alone    {words / code:>9,.0f} words/s  ({code:.2f} s), "
            f"{100 * code / parse:.1f} % of the parse time"
        )
        rows = min(run[index] for run in rows_runs)
        keep = min(run[index] for run in keep_runs)
        print(f"  mention rows    {100 * rows / parse:>8.1f} % of the parse time ({rows:.3f} s)")
        print(f"  parses kept     {100 * keep / parse:>8.1f} % of the parse time ({keep:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
