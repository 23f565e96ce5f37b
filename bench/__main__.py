"""Every benchmark, one after the other: ``make bench`` (``python -m bench``).

    python -m bench            # quick sizes: a few minutes on 2 cores
    python -m bench --full     # the sizes the capacity figures in README come from (an hour)
    python -m bench --only pipeline aggregation

Each benchmark prints its own figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench import (
    aggregation,
    bench_backfill,
    bench_coder,
    bench_ingest,
    bench_pipeline,
    long_article,
    publication,
    summary,
)


def _plan(full: bool) -> dict[str, Callable[[], object]]:
    return {
        "coder": lambda: bench_coder.main(["--repeat", "2", "--runs", "2"]),
        "ingest": lambda: bench_ingest.main(
            ["--articles", "2000" if full else "300", "--coder-articles", "100"]
        ),
        "publication": lambda: publication.main(["100000", "1000000"] if full else ["100000"]),
        "aggregation": lambda: aggregation.main(["10000000"]),
        "long_article": lambda: long_article.main(
            ["100000", "990000", "1200000"] if full else ["990000"]
        ),
        "pipeline": lambda: bench_pipeline.main(
            ["--articles", "2000", "20000", "--bracket"]
            if full
            else ["--articles", "500", "--days", "5"]
        ),
        "backfill": lambda: bench_backfill.main([] if full else ["--days", "30"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("--full", action="store_true", help="the sizes of the capacity figures")
    parser.add_argument("--only", nargs="+", help="run these benchmarks only")
    args = parser.parse_args(argv)
    plan = _plan(args.full)
    chosen = args.only or list(plan)
    unknown = sorted(set(chosen) - set(plan))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(plan)}")
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        plan[name]()
        print(f"=== {name}: {time.perf_counter() - started:.0f} s ===", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
