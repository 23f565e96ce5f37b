"""The coder's mentions scored against gold items: precision, recall and F1 at root-code and
full-code level.

Predictions are the coder's distinct dyadic (source, target, code) triples per item. Gold events
count for recall; each prediction matches at most one gold event (a maximum matching), a
prediction that matches an ``optional`` entry is neither right nor wrong, and every other
prediction is a false positive. A gold event with an empty target is matched by a prediction
with any target, or by a non-dyadic mention (which is otherwise never scored). One-sided acts are
scored apart (``score_onesided``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipelines.coding.gold_sets import GoldEvent, GoldItem, side_matches
from pipelines.datamodel.records import EventMention


@dataclass(frozen=True)
class Prediction:
    source: str | None
    target: str | None
    code: str

    def __str__(self) -> str:
        return f"{self.source or '-'} -> {self.target or '-'} {self.code}"


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Scores) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


class Headline:
    """A report's precision, recall and F1: those of the scores it is judged by."""

    @property
    def headline(self) -> Scores:
        raise NotImplementedError

    @property
    def precision(self) -> float:
        return self.headline.precision

    @property
    def recall(self) -> float:
        return self.headline.recall

    @property
    def f1(self) -> float:
        return self.headline.f1


@dataclass
class ItemResult:
    item: GoldItem
    predictions: list[Prediction]
    misses: dict[str, list[GoldEvent]]  # by level
    extras: dict[str, list[Prediction]]


def max_matching(edges: list[list[int]]) -> dict[int, int]:
    """Left index -> right index, as many pairs as possible (augmenting paths); ``edges[i]``
    lists the right indices left ``i`` may pair with."""
    owner: dict[int, int] = {}  # right -> left

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(edges)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _max_matching(
    gold: list[GoldEvent], predictions: list[Prediction], level: str
) -> dict[int, int]:
    """gold index -> prediction index."""
    return max_matching(
        [
            [j for j, p in enumerate(predictions) if g.matches(p.source, p.target, p.code, level)]
            for g in gold
        ]
    )


def score_item(
    item: GoldItem, mentions: Iterable[EventMention]
) -> tuple[ItemResult, dict[str, Scores], dict[str, dict[str, Scores]]]:
    dyadic: list[Prediction] = []
    undirected: list[Prediction] = []
    for mention in mentions:
        prediction = Prediction(mention.source_actor, mention.target_actor, mention.event_code)
        bucket = dyadic if mention.is_dyadic else undirected
        if prediction not in bucket:
            bucket.append(prediction)
    scores: dict[str, Scores] = {}
    per_root: dict[str, dict[str, Scores]] = {}
    misses: dict[str, list[GoldEvent]] = {}
    extras: dict[str, list[Prediction]] = {}
    names_no_target = any(not g.target for g in item.events)
    names_no_source = any("*" in g.alternatives("source") for g in item.events)
    # a non-dyadic mention may fill only a gold event that names no target (or, for an
    # unnamed doer, one whose source is "*"); it is never an extra
    candidates = dyadic + [
        p
        for p in undirected
        if (p.target is None and names_no_target) or (p.source is None and names_no_source)
    ]
    for level in ("root", "full"):
        matched = _max_matching(list(item.events), candidates, level)
        used = set(matched.values())
        roots: dict[str, Scores] = defaultdict(Scores)
        level_scores = Scores()
        missed = []
        for g, event in enumerate(item.events):
            if g in matched:
                level_scores.tp += 1
                roots[event.code[:2]].tp += 1
            else:
                level_scores.fn += 1
                roots[event.code[:2]].fn += 1
                missed.append(event)
        extra = []
        for j, prediction in enumerate(candidates):
            if j in used or prediction.target is None or prediction.source is None:
                continue
            if any(
                o.matches(prediction.source, prediction.target, prediction.code, level)
                for o in item.optional
            ):
                continue
            level_scores.fp += 1
            roots[prediction.code[:2]].fp += 1
            extra.append(prediction)
        scores[level] = level_scores
        per_root[level] = dict(roots)
        misses[level] = missed
        extras[level] = extra
    return ItemResult(item, dyadic + undirected, misses, extras), scores, per_root


def score_onesided(item: GoldItem, predictions: list[Prediction]) -> Scores:
    """One-sided acts at root level: a gold entry with its source blank is found by a mention
    with no source and the same root and target; one with its target blank, by a mention with
    no target and the same root and source. Unmatched one-sided mentions count as extras."""
    unnamed = [p for p in predictions if p.source is None or p.target is None]
    used: set[int] = set()
    found = Scores()
    for gold in item.onesided:
        for j, p in enumerate(unnamed):
            if j in used or p.code[:2] != gold.code[:2]:
                continue
            if not gold.source and p.source is None:
                hit = side_matches(gold.alternatives("target"), p.target)
            elif not gold.target and p.target is None:
                hit = side_matches(gold.alternatives("source"), p.source)
            else:
                hit = False
            if hit:
                used.add(j)
                break
        else:
            found.fn += 1
            continue
        found.tp += 1
    found.fp = len(unnamed) - len(used)
    return found


def default_coder():
    """The coder with the package's dictionaries, for a caller that gives none."""
    from pipelines.coding.coder import EventCoder

    return EventCoder()


def coded_items(items: list[GoldItem], coder) -> Iterator[tuple[GoldItem, list[EventMention]]]:
    """Each gold item with the mentions the coder codes in it (the texts parsed as one batch)."""
    articles = [item.article() for item in items]
    docs = coder.parse(article.text for article in articles)
    for item, article, doc in zip(items, articles, docs, strict=True):
        yield item, coder.code_doc(doc, article)


SCORES_HEADER = f"{'':<14}{'precision':>9}{'recall':>9}{'F1':>9}{'TP':>7}{'FP':>7}{'FN':>7}"


def scores_line(name: str, scores: Scores) -> str:
    """One row of a scores table, under ``SCORES_HEADER``."""
    return (
        f"{name:<14}{scores.precision:>9.3f}{scores.recall:>9.3f}{scores.f1:>9.3f}"
        f"{scores.tp:>7}{scores.fp:>7}{scores.fn:>7}"
    )
