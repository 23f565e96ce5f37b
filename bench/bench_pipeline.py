"""End to end: how close the whole pipeline comes to the spaCy parse alone, on a generated corpus.

    python -m bench.bench_pipeline [--articles 2000 20000] [--days 10 1] [--processes N]

For each corpus size and each number of days (bench/corpus.py: varied names and figures, spread
over that many days; the fixed costs of a run and of a day show in the difference):

(a) the ceiling: spaCy ``nlp.pipe`` over the corpus's texts, read from the file as a stream,
    with the coder's pipeline, ``n_process`` = ``--processes``, timed around the pipe alone
    (model loading left out: the ceiling is as high as it can be);
(b) the pipeline: ``dyadflow run --source corpus.jsonl`` in a fresh data folder, the same number
    of processes, timed from the command's start to its exit: landing, coding, validation,
    publication to DuckDB and Parquet, Dagster's bookkeeping, start-up included;

and prints articles/s, words/s, the peak memory of each process tree (children included) and
the ratio b/a by wall clock and by CPU time (CPU time is the steadier figure on a busy machine),
and where the difference goes: the workers' CPU an article in (a) and (b), and the main
process's own CPU in each. With ``--bracket``, (a) runs again after (b) and the ratio is taken
against the mean of the two: a machine whose speed drifts during the run (a shared one) then
moves both sides alike; both (a) runs are printed, so the drift shows.
Then it changes the dictionaries (one verb pattern more, through $DYADFLOW_DICTIONARIES): a new
coder version, so every coded day is stale. It runs (b) again on the same data folder (every
day re-coded from its cached parses) and prints the speed-up of that whole run; and it codes the
first day's partition on its own, first with an empty parse cache and then with the changed
lexicon, and prints the speed-up of the coding itself. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus as generated
from bench import summary
from bench.tree import TreeRun, measure
from pipelines.coding.stream import default_batch_size
from pipelines.settings import default_processes

EXTRA_VERBS = "pattern\tcode\toptions\ndeplore\t111\t\n"


def parse_only(path: Path, processes: int, batch_size: int) -> dict:
    """(a), run in a child process: nlp.pipe over the texts of a JSONL file, streamed."""
    from pipelines.coding.nlp import load_pipeline

    nlp = load_pipeline()
    counts = {"articles": 0, "words": 0}

    def texts():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"]
                counts["articles"] += 1
                counts["words"] += len(text.split())
                yield text

    list(nlp.pipe(["Warm up the pipeline."]))
    before, before_self = _cpu_self_and_children(), _cpu_self()
    started = time.perf_counter()
    for _doc in nlp.pipe(texts(), batch_size=batch_size, n_process=processes):
        pass
    seconds = time.perf_counter() - started
    total = _cpu_self_and_children() - before
    return {**counts, "seconds": seconds, "cpu": total, "cpu_main": _cpu_self() - before_self}


def recode_partition(path: Path, extra: Path, processes: int, batch_size: int) -> dict:
    """Run in a child process: the first publication day of a JSONL corpus coded as
    ``event_mentions`` codes it (``code_stream`` with the partition's parse cache), then coded
    again by a coder whose lexicon changed (one verb pattern more in ``extra``): a new coder
    version, so the day is stale; its parses are not, and are read back instead of parsed."""
    from pipelines.coding.coder import EventCoder
    from pipelines.coding.parses import ParseCache
    from pipelines.coding.stream import StreamReport, code_stream
    from pipelines.datamodel.records import Article
    from pipelines.ingest.jsonl import read_jsonl

    records = [r for r in read_jsonl(path) if isinstance(r, Article)]
    day = min(r.published_at.date() for r in records)
    articles = [r for r in records if r.published_at.date() == day]
    del records
    timed = {}
    with tempfile.TemporaryDirectory(prefix="dyadflow-parses-") as tmp:
        for name, coder in (
            ("first", EventCoder()),
            ("recode", EventCoder(extra_dictionaries=[extra])),
        ):
            cache = ParseCache(tmp, coder.nlp).partition(day.isoformat())
            report = StreamReport()
            started = time.perf_counter()
            stream = code_stream(
                coder, articles, cache, processes=processes, batch_size=batch_size, report=report
            )
            mentions = sum(len(rows) for _, rows in stream)
            timed[name] = {
                "seconds": time.perf_counter() - started,
                "parsed": report.parsed,
                "from_cache": report.from_cache,
                "mentions": mentions,
                "coder_version": coder.version,
            }
    return {"day": day.isoformat(), "articles": len(articles), **timed}


def _cpu_self() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _cpu_self_and_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _dyadflow() -> str:
    return str(Path(sys.executable).with_name("dyadflow"))


def pipeline_env(processes: int, batch_size: int) -> dict[str, str]:
    """The settings (b) runs with: the same processes and batch as (a), no user dictionaries."""
    return {
        "DYADFLOW_PROCESSES": str(processes),
        "DYADFLOW_BATCH_SIZE": str(batch_size),
        "DYADFLOW_DICTIONARIES": "",
    }


def run_pipeline(corpus: Path, home: Path, env: dict[str, str]) -> TreeRun:
    run = measure([_dyadflow(), "run", "--source", str(corpus), "--home", str(home)], env=env)
    if run.returncode != 0:
        raise SystemExit(f"dyadflow run failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    return run


def published_articles(home: Path) -> int:
    import duckdb

    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def measure_parse_only(corpus: Path, processes: int, batch_size: int) -> tuple[dict, TreeRun]:
    """(a) in a child process: its own figures, and the tree's as measured from outside."""
    run = measure(
        [
            sys.executable,
            "-m",
            "bench.bench_pipeline",
            "--parse-only",
            str(corpus),
            "--processes",
            str(processes),
            "--batch-size",
            str(batch_size),
        ],
        cwd=Path(__file__).resolve().parent.parent,
    )
    if run.returncode != 0:
        raise SystemExit(f"parse-only run failed:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1]), run


def mean_of(runs: list[dict]) -> dict:
    """One (a) from several runs of it: the timings averaged, the counts as they are."""
    mean = dict(runs[0])
    for key in ("seconds", "cpu", "cpu_main"):
        mean[key] = sum(r[key] for r in runs) / len(runs)
    return mean


def bench(
    articles: int, days: int, processes: int, batch_size: int, recode: bool, bracket: bool = False
) -> dict:
    with tempfile.TemporaryDirectory(prefix="dyadflow-bench-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        _, words = generated.write(articles, corpus, days=days)
        env = pipeline_env(processes, batch_size)
        a, a_run = measure_parse_only(corpus, processes, batch_size)
        home = root / "home"
        b_run = run_pipeline(corpus, home, env)
        published = published_articles(home)
        a_runs = [a]
        if bracket:
            a_runs.append(measure_parse_only(corpus, processes, batch_size)[0])
        result = {
            "articles": articles,
            "words": words,
            "days": days,
            "a": mean_of(a_runs),
            "a_runs": a_runs,
            "a_tree": a_run,
            "b_tree": b_run,
            "published": published,
        }
        if recode:
            extra = root / "dictionaries"
            extra.mkdir()
            (extra / "verbs.tsv").write_text(EXTRA_VERBS, "utf-8")
            again = run_pipeline(corpus, home, {**env, "DYADFLOW_DICTIONARIES": str(extra)})
            partition = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.bench_pipeline",
                    "--recode-partition",
                    str(corpus),
                    str(extra),
                    "--processes",
                    str(processes),
                    "--batch-size",
                    str(batch_size),
                ],
                cwd=Path(__file__).resolve().parent.parent,
                env={**os.environ, "DYADFLOW_DICTIONARIES": ""},
                capture_output=True,
                text=True,
                check=True,
            )
            result.update(
                recode_tree=again, partition=json.loads(partition.stdout.strip().splitlines()[-1])
            )
        return result


def report(r: dict, processes: int, batch_size: int) -> None:
    a, at, bt = r["a"], r["a_tree"], r["b_tree"]
    words, articles = r["words"], r["articles"]
    print(
        f"\n{articles:,} articles, {words:,} words over {r['days']} day{'s' * (r['days'] != 1)}; "
        f"processes={processes}, batch_size={batch_size}"
    )
    a_wps, b_wps = a["words"] / a["seconds"], words / bt.wall
    if len(r["a_runs"]) > 1:
        print(
            "  (a) before and after (b): "
            + ", ".join(f"{x['seconds']:.1f} s (CPU {x['cpu']:.1f} s)" for x in r["a_runs"])
            + "; (a) below is their mean"
        )
    print(
        f"  (a) parse only   {a['articles'] / a['seconds']:8.1f} articles/s {a_wps:9,.0f} words/s"
        f"  {a['seconds']:7.1f} s  CPU {a['cpu']:7.1f} s  peak {at.peak_pss_mb:6.0f} MB PSS"
        f" ({at.peak_rss_mb:.0f} MB RSS)"
    )
    print(
        f"  (b) pipeline     {articles / bt.wall:8.1f} articles/s {b_wps:9,.0f} words/s"
        f"  {bt.wall:7.1f} s  CPU {bt.cpu:7.1f} s  peak {bt.peak_pss_mb:6.0f} MB PSS"
        f" ({bt.peak_rss_mb:.0f} MB RSS)"
    )
    print(
        f"  ratio b/a        {b_wps / a_wps:8.2f} by wall clock, {a['cpu'] / bt.cpu:.2f} by CPU time;"
        f" {r['published']:,} articles published"
    )
    # Where the gap comes from: the workers' CPU an article (parse, and in (b) the coding, the
    # parse kept for re-coding and the landing's screening) and what the main process spends.
    a_workers, b_workers = a["cpu"] - a["cpu_main"], bt.cpu - bt.own_cpu
    print(
        f"  CPU an article   workers {a_workers / articles * 1000:5.1f} ms (a),"
        f" {b_workers / articles * 1000:5.1f} ms (b: parse, coding, parses kept, landing; "
        f"{b_workers / a_workers - 1:+.0%}); main process {a['cpu_main']:.1f} s (a),"
        f" {bt.own_cpu:.1f} s (b: landing, Dagster, validation, publication)"
    )
    if "recode_tree" in r:
        rt = r["recode_tree"]
        print(
            f"  re-code after a dictionary change: whole run {rt.wall:6.1f} s"
            f" ({bt.wall / rt.wall:.1f}x faster than the first), peak {rt.peak_pss_mb:.0f} MB PSS"
        )
        p = r["partition"]
        first, again = p["first"], p["recode"]
        print(
            f"  re-code one partition ({p['day']}, {p['articles']:,} articles): first run"
            f" {first['seconds']:6.1f} s ({first['parsed']:,} parsed), after the lexicon change"
            f" {again['seconds']:6.1f} s ({again['from_cache']:,} from cached parses, "
            f"{again['parsed']} parsed): {first['seconds'] / again['seconds']:.1f}x faster;"
            f" mentions {first['mentions']:,} -> {again['mentions']:,}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("--articles", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument(
        "--days",
        type=int,
        nargs="+",
        default=[10],
        help="spread each corpus over this many days (several values: one benchmark each)",
    )
    parser.add_argument("--processes", type=int, default=default_processes())
    parser.add_argument("--batch-size", type=int, default=default_batch_size())
    parser.add_argument("--no-recode", action="store_true", help="skip the re-coding run")
    parser.add_argument(
        "--bracket",
        action="store_true",
        help="run (a) again after (b), and take the ratio against the mean of the two",
    )
    parser.add_argument("--parse-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--recode-partition", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.recode_partition:
        corpus, extra = args.recode_partition
        print(json.dumps(recode_partition(corpus, extra, args.processes, args.batch_size)))
        return 0
    if args.parse_only:
        print(json.dumps(parse_only(args.parse_only, args.processes, args.batch_size)))
        return 0
    print(
        f"bench_pipeline: {os.cpu_count()} cores; (a) spaCy nlp.pipe alone, "
        "(b) dyadflow run from ingest to published tables"
    )
    for size in args.articles:
        for days in args.days:
            result = bench(
                size, days, args.processes, args.batch_size, not args.no_recode, args.bracket
            )
            report(result, args.processes, args.batch_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
