"""Which lexicon entries earn their place: every rule that fired on gold files, with the events
it coded right, wrong, and neither (matched an optional entry), at root level.

    python -m pipelines.coding.audit tests/gold/dev.jsonl tests/gold/realnews_dev.jsonl \
        [--worse-only] [--layer base|curated]

A rule is what a mention's ``rule`` names (``verb:cut tie|relation|link @with``, a frame over
its embedded act, ``naming:call``); the layer says whether its pattern comes from the base layer
(converted from PETRARCH-2) or the curated files. An entry that codes more wrong events than
right ones is a candidate for removal: a curated ``verbs.tsv`` line ``PATTERN<TAB>-`` removes a
base pattern, with the counts as its reason. Never run on a held-back split.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from pipelines.coding.dictionary_files import base_folder, load_dictionaries
from pipelines.coding.gold_scoring import coded_items, default_coder, score_item
from pipelines.coding.gold_sets import read_gold


def _innermost(rule: str) -> str:
    """The lexicon entry under frames and readings: "frame:urge>verb:release" -> "verb:release"."""
    return rule.rsplit(">", 1)[-1]


def audit(paths: list[Path], coder=None) -> dict[str, Counter]:
    coder = coder or default_coder()
    counts: dict[str, Counter] = defaultdict(Counter)
    for path in paths:
        for item, mentions in coded_items(list(read_gold(path)), coder):
            result, _, _ = score_item(item, mentions)
            extras = set(result.extras["root"])
            for mention in mentions:
                if not mention.is_dyadic:
                    continue
                key = (mention.source_actor, mention.target_actor, mention.event_code)
                rule = _innermost(mention.rule)
                if any((p.source, p.target, p.code) == key for p in extras):
                    counts[rule]["wrong"] += 1
                elif any(g.matches(*key, level="root") for g in item.events):
                    counts[rule]["right"] += 1
                else:
                    counts[rule]["neither"] += 1
    return counts


def layer_of(rule: str, loaded) -> str:
    """ "base" when the pattern a rule names was read from the base layer, else "curated"."""
    kind, _, pattern = rule.partition(":")
    table = {"verb": "verbs.tsv", "noun": "nouns.tsv"}.get(kind)
    if table is None:
        return "curated"  # frames, namings: the grammar's own
    where = loaded.where(table, pattern)
    return "base" if where.startswith(str(base_folder())) else "curated"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--worse-only", action="store_true", help="rules more wrong than right")
    parser.add_argument("--layer", choices=("base", "curated"), help="one layer's rules only")
    args = parser.parse_args(argv)
    if any(path.stem.endswith("_test") for path in args.gold):
        parser.error("a held-back split is for reporting, not for choosing entries")
    counts = audit(args.gold)
    loaded = load_dictionaries()
    rows = []
    for rule, found in counts.items():
        layer = layer_of(rule, loaded)
        if args.layer and layer != args.layer:
            continue
        if args.worse_only and found["wrong"] <= found["right"]:
            continue
        rows.append((found["wrong"] - found["right"], rule, layer, found))
    print(f"{'right':>6}{'wrong':>6}{'neither':>8}  layer    rule")
    for _, rule, layer, found in sorted(rows, key=lambda r: (-r[0], r[1])):
        print(f"{found['right']:>6}{found['wrong']:>6}{found['neither']:>8}  {layer:<8} {rule}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
