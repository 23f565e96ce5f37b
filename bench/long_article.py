"""Peak memory of coding one long article, each size in a process of its own.

Run with ``python -m bench.long_article [CHARS ...]`` (default: 100000 400000 990000). The
article is the bundled sample's texts one after the other, in paragraphs (``--one-line``: one
paragraph with no line breaks at all), cut to the size asked. Prints, for each size, the peak
resident memory of the process that coded it, that of the same process once the coder was
loaded (the difference is what the article cost), the mentions coded, and the wall time.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import datetime

from bench import summary

_CHILD = "long-article-child"


def long_text(chars: int, one_line: bool) -> str:
    from pipelines.datamodel.records import Article
    from pipelines.ingest.jsonl import read_jsonl
    from pipelines.ingest.sample import sample_corpus_path

    texts = [r.text for r in read_jsonl(sample_corpus_path()) if isinstance(r, Article)]
    joiner = " " if one_line else "\n\n"
    parts, size = [], 0
    while size < chars:
        for text in texts:
            text = " ".join(text.split()) if one_line else text
            parts.append(text)
            size += len(text) + len(joiner)
            if size >= chars:
                break
    return joiner.join(parts)[:chars]


def _child(chars: int, one_line: bool) -> None:
    from pipelines.coding.coder import EventCoder
    from pipelines.coding.stream import code_stream
    from pipelines.datamodel.records import Article

    coder = EventCoder()
    article = Article(id="long", text=long_text(chars, one_line), published_at=datetime(2024, 8, 7))
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        mentions = sum(len(rows) for _, rows in code_stream(coder, [article], processes=1))
        error = ""
    except Exception as failure:  # the figure to print is that it failed, and how
        mentions, error = 0, f"{type(failure).__name__}: {str(failure).splitlines()[0][:120]}"
    figures = {
        "seconds": time.perf_counter() - start,
        "loaded_kb": loaded,
        "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "mentions": mentions,
        "error": error,
    }
    print(json.dumps(figures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("chars", nargs="*", type=int, default=[100_000, 400_000, 990_000])
    parser.add_argument("--one-line", action="store_true", help="no line breaks in the article")
    args = parser.parse_args(argv)
    shape = "one line" if args.one_line else "paragraphs"
    print(f"One long article ({shape}), coded in a process of its own per size:")
    print(
        f"{'chars':>10} {'peak MB':>9} {'coder MB':>9} {'article MB':>11} {'mentions':>9} {'s':>7}"
    )
    for chars in args.chars:
        command = [sys.executable, "-m", "bench.long_article", _CHILD, str(chars)]
        out = subprocess.run(
            [*command, *(["--one-line"] if args.one_line else [])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        f = json.loads(out.strip().splitlines()[-1])
        peak, loaded = f["peak_kb"] / 1024, f["loaded_kb"] / 1024
        print(
            f"{chars:>10,} {peak:>9.0f} {loaded:>9.0f} {peak - loaded:>11.0f} "
            f"{f['mentions']:>9} {f['seconds']:>7.1f}  {f['error']}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == _CHILD:
        _child(int(sys.argv[2]), "--one-line" in sys.argv)
    else:
        sys.exit(main())
