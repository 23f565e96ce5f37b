"""A backfill of many small days: how close ``dyadflow run`` comes to the spaCy parse alone when
a corpus is a year of quiet days, where a run's fixed cost a day used to dominate.

    python -m bench.bench_backfill [--days 365] [--per-day 20] [--processes N] [--bracket]

Writes ``days`` x ``per-day`` generated articles (bench/corpus.py), then measures, as
``bench.bench_pipeline`` does: (a) the parse ceiling, spaCy ``nlp.pipe`` over the same texts
with the same number of processes, model loading left out; (b) ``dyadflow run --source`` in a
fresh data folder, from the command's start to its exit. Prints both times, the ratio b/a by
wall clock and by CPU time, the runs the pipeline made and the days it published. With
``--bracket``, (a) runs again after (b) and the ratio is taken against the mean of the two, as
in ``bench.bench_pipeline``: on a machine whose speed drifts, both sides move alike. Asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench import corpus as generated
from bench import summary
from bench.bench_pipeline import (
    mean_of,
    measure_parse_only,
    pipeline_env,
    published_articles,
    run_pipeline,
)
from pipelines.coding.stream import default_batch_size
from pipelines.settings import default_processes


def _runs(home: Path) -> dict[str, int]:
    import dagster as dg

    runs: dict[str, int] = {}
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        for run in instance.get_runs():
            runs[run.job_name] = runs.get(run.job_name, 0) + 1
    return runs


def bench(days: int, per_day: int, processes: int, batch_size: int, bracket: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="dyadflow-backfill-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        articles, words = generated.write(days * per_day, corpus, days=days)
        env = pipeline_env(processes, batch_size)
        first, a_tree = measure_parse_only(corpus, processes, batch_size)
        home = root / "home"
        b = run_pipeline(corpus, home, env)
        a_runs = [first]
        if bracket:
            a_runs.append(measure_parse_only(corpus, processes, batch_size)[0])
        a = mean_of(a_runs)
        published = published_articles(home)
        try:
            runs = _runs(home)
        except Exception as error:  # the figures stand without it
            runs = {"?": str(error)}
    each = ", ".join(f"{run['seconds']:.1f}" for run in a_runs)
    runs_of_a = f"  (mean of {each} s)" if bracket else ""
    print(
        f"\n{articles:,} articles ({per_day} a day over {days} days), {words:,} words; "
        f"processes={processes}, batch_size={batch_size}"
    )
    print(
        f"  (a) parse only  {a['seconds']:7.1f} s  CPU {a['cpu']:7.1f} s"
        f"  peak {a_tree.peak_pss_mb:5.0f} MB PSS{runs_of_a}"
    )
    print(
        f"  (b) pipeline    {b.wall:7.1f} s  CPU {b.cpu:7.1f} s  peak {b.peak_pss_mb:5.0f} MB PSS"
        f"  (main process CPU {b.own_cpu:.1f} s)"
    )
    print(
        f"  ratio b/a       {a['seconds'] / b.wall:7.2f} by wall clock, "
        f"{a['cpu'] / b.cpu:.2f} by CPU time; {published:,} articles published; runs {runs}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--processes", type=int, default=default_processes())
    parser.add_argument("--batch-size", type=int, default=default_batch_size())
    parser.add_argument("--bracket", action="store_true", help="(a) again after (b)")
    args = parser.parse_args(argv)
    print(f"bench_backfill: {os.cpu_count()} cores")
    bench(args.days, args.per_day, args.processes, args.batch_size, args.bracket)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
