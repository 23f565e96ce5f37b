"""Why the coder misses what it misses: each gold event it did not find, and each event it coded
that the gold does not hold, put in one kind of error, and a table of gold root against coded
root for the same pair of actors.

Kinds, checked in this order for a missed gold event (root level), against the item's coded
events that matched nothing:
- ``wrong direction``: the same root between the same actors, the other way round;
- ``wrong root``: the same source and target, another root;
- ``wrong target or none``: the same root and source, another target or none (non-dyadic);
- ``wrong source``: the same root and target, another source;
- ``no actor found``: the coder coded an act of that root in the item, with neither actor;
- ``not coded``: nothing of the kind at all.
A coded event that explains a miss is counted with it; the coded events left over are
``extra``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipelines.coding.gold_scoring import ItemResult, Prediction
from pipelines.coding.gold_sets import GoldEvent, side_matches

KINDS = (
    "wrong direction",
    "wrong root",
    "wrong target or none",
    "wrong source",
    "no actor found",
    "not coded",
    "extra",
)


def classify_miss(gold: GoldEvent, leftovers: list[Prediction]) -> tuple[str, Prediction | None]:
    """The kind of a missed gold event, with the coded event that explains it (if any)."""
    sources, targets = gold.alternatives("source"), gold.alternatives("target")
    same_root = [p for p in leftovers if p.code[:2] == gold.code[:2]]
    for p in same_root:
        if side_matches(sources, p.target) and side_matches(targets, p.source):
            return "wrong direction", p
    for p in leftovers:
        if side_matches(sources, p.source) and side_matches(targets, p.target):
            return "wrong root", p
    for p in same_root:
        if side_matches(sources, p.source):
            return "wrong target or none", p
    for p in same_root:
        if side_matches(targets, p.target):
            return "wrong source", p
    if same_root:
        return "no actor found", same_root[0]
    return "not coded", None


@dataclass
class Diagnosis:
    kinds: Counter = field(default_factory=Counter)
    # gold root -> coded root for the same pair of actors ("-" when nothing was coded for it)
    confusion: Counter = field(default_factory=Counter)
    labelled: dict[str, list[tuple[str, object]]] = field(default_factory=dict)  # item id ->

    def add(self, result: ItemResult) -> None:
        leftovers = list(result.extras["root"]) + [
            p for p in result.predictions if p.target is None
        ]
        labels: list[tuple[str, object]] = []
        for gold in result.misses["root"]:
            kind, explained = classify_miss(gold, leftovers)
            self.kinds[kind] += 1
            labels.append((kind, gold))
            coded_root = explained.code[:2] if kind == "wrong root" and explained else "-"
            self.confusion[(gold.code[:2], coded_root)] += 1
            if explained is not None:
                leftovers.remove(explained)
        missed = result.misses["root"]
        for gold in result.item.events:
            if gold not in missed:
                self.confusion[(gold.code[:2], gold.code[:2])] += 1
        for p in leftovers:
            if p.target is None:
                continue  # a non-dyadic mention is never an extra
            self.kinds["extra"] += 1
            labels.append(("extra", p))
        if labels:
            self.labelled[result.item.id] = labels


def diagnose(results: list[ItemResult]) -> Diagnosis:
    diagnosis = Diagnosis()
    for result in results:
        diagnosis.add(result)
    return diagnosis


def confusion_table(diagnosis: Diagnosis) -> list[str]:
    """Gold roots down, coded roots across, for gold events the coder found or coded wrong."""
    gold_roots = sorted({g for g, _ in diagnosis.confusion})
    coded_roots = [*sorted({c for _, c in diagnosis.confusion if c != "-"}), "-"]
    lines = ["gold \\ coded " + "".join(f"{c:>4}" for c in coded_roots)]
    for g in gold_roots:
        cells = "".join(f"{diagnosis.confusion[(g, c)] or '.':>4}" for c in coded_roots)
        lines.append(f"{g:<13}{cells}")
    return lines
