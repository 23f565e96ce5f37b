"""The coder's output on every gold file and on the sample corpus, one line per item: the
snapshot that ``test_snapshot.py`` compares against, so a refactoring that changes what is coded
shows, sentence by sentence, before it lands.

    python -m tests.coding.snapshot            # compare, print the items that differ
    python -m tests.coding.snapshot --update   # write the current output as the snapshot

A deliberate change to the coder updates the snapshot in the same commit; the diff of the
snapshot files is the review of what the change codes differently.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from pipelines.coding.coder import EventCoder
from pipelines.coding.gold_sets import read_gold
from pipelines.datamodel.records import Article
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.sample import sample_corpus_path

TESTS = Path(__file__).resolve().parents[1]
GOLD = TESTS / "gold"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def corpora() -> dict[str, list[Article]]:
    """Snapshot name -> the articles it codes."""
    found: dict[str, list[Article]] = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        if path.stem.endswith("_test"):
            continue  # a held-back split is scored, never read item by item while developing
        key = "expected" if path.name.startswith("plover") else "events"
        found[path.stem] = [item.article() for item in read_gold(path, events_key=key)]
    found["sample"] = [r for r in read_jsonl(sample_corpus_path()) if isinstance(r, Article)]
    return found


def coded(coder: EventCoder, articles: list[Article]) -> Iterator[dict]:
    docs = coder.parse(article.text for article in articles)
    for article, doc in zip(articles, docs, strict=True):
        mentions = [
            [
                m.sentence_index,
                m.trigger.start,
                m.source_actor,
                m.target_actor,
                m.event_code,
                m.rule,
                m.event_date.isoformat(),
                m.date_text,
                m.date_precision,
                m.location_country,
                m.location_place,
                m.confidence,
                m.source.text if m.source else None,
                m.target.text if m.target else None,
            ]
            for m in coder.code_doc(doc, article)
        ]
        yield {"id": article.id, "mentions": sorted(mentions, key=json.dumps)}


def current(coder: EventCoder) -> dict[str, list[dict]]:
    return {name: list(coded(coder, articles)) for name, articles in corpora().items()}


def stored(name: str) -> list[dict]:
    path = SNAPSHOTS / f"{name}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def differences(name: str, now: list[dict]) -> list[str]:
    """One line per item whose coding differs from the snapshot (or is new or gone)."""
    before = {row["id"]: row["mentions"] for row in stored(name)}
    after = {row["id"]: row["mentions"] for row in now}
    lines = []
    for item in sorted(before.keys() | after.keys()):
        if before.get(item) != after.get(item):
            lines.append(f"{name}/{item}: {before.get(item)} -> {after.get(item)}")
    return lines


def write(name: str, rows: list[dict]) -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (SNAPSHOTS / f"{name}.jsonl").write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="write the current output")
    args = parser.parse_args(argv)
    changed = 0
    for name, rows in current(EventCoder()).items():
        lines = differences(name, rows)
        changed += len(lines)
        if args.update:
            write(name, rows)
        for line in lines:
            print(line)
    verb = "updated" if args.update else "differ"
    print(f"{changed} items {verb}", file=sys.stderr)
    return 0 if args.update or not changed else 1


if __name__ == "__main__":
    raise SystemExit(main())
