"""Score the coder against a gold standard: precision, recall and F1 at root-code and full-code
level, a per-root table, and (verbose) every miss and every extra.

Gold format, one JSON object a line (a sentence or a whole article)::

    {"id": "...", "text": "...", "date": "2026-03-02",
     "events":   [{"source": "NER", "target": "UKR", "code": "161"}],
     "optional": [{"source": "NER", "target": "*", "code": "01"}]}

``source`` and ``target`` are actor-code prefixes ("NER" matches "NERMIL"), with alternatives
split by "|" and "*" matching any actor; ``code`` is a CAMEO code prefix ("19" matches 190-196).
Predictions are the coder's distinct dyadic (source, target, code) triples per line. Gold events
count for recall; each prediction matches at most one gold event (a maximum matching), a
prediction that matches an ``optional`` entry is neither right nor wrong, and every other
prediction is a false positive. A gold event with an empty target is matched by a prediction
with any target, or by a non-dyadic mention (which is otherwise never scored).

PLOVER mode (``plover=True``) reads the public PLOVER gold set (``expected`` lists with PLOVER
event types and legacy actor codes) and scores event types: see ``score_plover``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from pipelines.datamodel.records import Article, EventMention

DEFAULT_DATE = date(2026, 1, 1)


class GoldError(ValueError):
    """A gold file line that cannot be read: names the file and line."""


@dataclass(frozen=True)
class GoldEvent:
    source: str
    target: str
    code: str

    def alternatives(self, which: str) -> list[str]:
        value = getattr(self, which)
        return [part.strip() for part in value.split("|")] if value else []

    def matches(self, source: str, target: str | None, code: str, level: str) -> bool:
        if level == "root":
            if code[:2] != self.code[:2]:
                return False
        elif not code.startswith(self.code):
            return False
        if not _actor_matches(self.alternatives("source"), source):
            return False
        wanted = self.alternatives("target")
        if not wanted:
            return True  # the gold names no target: any target, or none
        return target is not None and _actor_matches(wanted, target)

    def __str__(self) -> str:
        return f"{self.source or '-'} -> {self.target or '-'} {self.code}"


def _actor_matches(alternatives: list[str], code: str | None) -> bool:
    if code is None:
        return "*" in alternatives  # an unnamed doer fills only a gold entry naming none
    return any(alt == "*" or code.startswith(alt) for alt in alternatives)


@dataclass(frozen=True)
class GoldItem:
    id: str
    text: str
    date: date
    events: tuple[GoldEvent, ...]
    optional: tuple[GoldEvent, ...] = ()
    # acts with one side unnamed: counted apart, never scored as dyadic events
    onesided: tuple[GoldEvent, ...] = ()


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


@dataclass
class ItemResult:
    item: GoldItem
    predictions: list[Prediction]
    misses: dict[str, list[GoldEvent]]  # by level
    extras: dict[str, list[Prediction]]


@dataclass
class EvaluationReport:
    path: str
    items: int
    root: Scores
    full: Scores
    per_root: dict[str, Scores]
    results: list[ItemResult] = field(default_factory=list)
    onesided: Scores = field(default_factory=Scores)  # root level, kept out of the F1
    coder_version: str = ""
    mode: str = "cameo"  # or "plover"

    @property
    def precision(self) -> float:
        return self.root.precision

    @property
    def recall(self) -> float:
        return self.root.recall

    @property
    def f1(self) -> float:
        return self.root.f1


# ---- reading ---------------------------------------------------------------------------------


def _events(raw: object, path: Path, number: int, key: str) -> tuple[GoldEvent, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise GoldError(f"{path}, line {number}: {key!r} must be a list")
    events = []
    for entry in raw:
        if not isinstance(entry, dict) or "code" not in entry:
            raise GoldError(f"{path}, line {number}: each {key!r} entry needs a code: {entry!r}")
        events.append(
            GoldEvent(
                source=str(entry.get("source") or "*"),
                target=str(entry.get("target") or ""),
                code=str(entry["code"]),
            )
        )
    return tuple(events)


def _onesided(raw: object, path: Path, number: int) -> tuple[GoldEvent, ...]:
    """One-sided entries keep their blank side blank ("" is "not named", not "anyone")."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(e, dict) and "code" in e for e in raw):
        raise GoldError(f"{path}, line {number}: 'onesided' must be a list of entries with a code")
    return tuple(
        GoldEvent(str(e.get("source") or ""), str(e.get("target") or ""), str(e["code"]))
        for e in raw
    )


def read_gold(path: Path, events_key: str = "events") -> Iterator[GoldItem]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise GoldError(f"{path}, line {number}: not JSON: {error}") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise GoldError(f"{path}, line {number}: needs a 'text' string")
            day = record.get("date")
            try:
                parsed = date.fromisoformat(str(day)[:10]) if day else DEFAULT_DATE
            except ValueError:
                raise GoldError(f"{path}, line {number}: bad date {day!r}") from None
            yield GoldItem(
                id=str(record.get("id") or f"line-{number}"),
                text=record["text"],
                date=parsed,
                events=_events(record.get(events_key), path, number, events_key),
                optional=_events(record.get("optional"), path, number, "optional"),
                onesided=_onesided(record.get("onesided"), path, number),
            )


# ---- scoring ---------------------------------------------------------------------------------


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


def _side_matches(alternatives: list[str], code: str | None) -> bool:
    return code is not None and _actor_matches(alternatives, code)


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
                hit = _side_matches(gold.alternatives("target"), p.target)
            elif not gold.target and p.target is None:
                hit = _side_matches(gold.alternatives("source"), p.source)
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


def evaluate_items(items: Iterable[GoldItem], coder=None, path: str = "") -> EvaluationReport:
    coder = coder or _default_coder()
    items = list(items)
    root, full, onesided = Scores(), Scores(), Scores()
    per_root: dict[str, Scores] = defaultdict(Scores)
    results = []
    articles = [_article(item) for item in items]
    docs = coder.parse(article.text for article in articles)
    for item, article, doc in zip(items, articles, docs, strict=True):
        result, scores, roots = score_item(item, coder.code_doc(doc, article))
        root.add(scores["root"])
        full.add(scores["full"])
        if item.onesided:
            onesided.add(score_onesided(item, result.predictions))
        for code, value in roots["root"].items():
            per_root[code].add(value)
        results.append(result)
    return EvaluationReport(
        path=path,
        items=len(items),
        root=root,
        full=full,
        per_root=dict(sorted(per_root.items())),
        results=results,
        coder_version=coder.version,
        onesided=onesided,
    )


def _article(item: GoldItem) -> Article:
    return Article(
        id=item.id, text=item.text, published_at=datetime.combine(item.date, datetime.min.time())
    )


def _default_coder():
    from pipelines.coding.coder import EventCoder

    return EventCoder()


# ---- PLOVER ----------------------------------------------------------------------------------

# The public PLOVER gold set is coded in the PLOVER 0.5 event types (DEMAND, DISAPPROVE,
# INVESTIGATE, FIGHT), not in those of the 2021 mapping the codebook carries (REQUEST, ACCUSE,
# ASSAULT for 19). CAMEO roots read as PLOVER 0.5 types; 01 (statements) has none.
PLOVER_05_BY_ROOT = {
    "02": "DEMAND",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",
    "09": "INVESTIGATE",
    "10": "DEMAND",
    "11": "DISAPPROVE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "FIGHT",
    "20": "FIGHT",
}
# yielding that gives something back or stands down is RETREAT in PLOVER
PLOVER_05_BY_BASE = {"084": "RETREAT", "085": "RETREAT", "086": "RETREAT", "087": "RETREAT"}
# TABARI-era country codes in the PLOVER set, read as today's CAMEO codes
LEGACY_COUNTRY_CODES = {
    "JAP": "JPN",
    "ITL": "ITA",
    "GMY": "DEU",
    "UKG": "GBR",
    "RUM": "ROU",
    "SUD": "SDN",
    "DRC": "COD",
    "ZAI": "COD",
}


def plover_type(code: str) -> str | None:
    return PLOVER_05_BY_BASE.get(code[:3]) or PLOVER_05_BY_ROOT.get(code[:2])


def _legacy(code: str) -> str:
    code = code.replace("*", "")
    return LEGACY_COUNTRY_CODES.get(code[:3], code[:3]) + code[3:] if code else code


@dataclass
class PloverReport:
    path: str
    items: int
    types: Scores  # event types per sentence
    types_and_source: Scores  # event type and the source's country
    per_type: dict[str, Scores]
    results: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)
    coder_version: str = ""
    mode: str = "plover"

    @property
    def precision(self) -> float:
        return self.types.precision

    @property
    def recall(self) -> float:
        return self.types.recall

    @property
    def f1(self) -> float:
        return self.types.f1


def score_plover(path: Path, coder=None) -> PloverReport:
    """Event-type level: per sentence, the set of PLOVER types in the gold against the set the
    coder's mentions carry (dyadic or not: the PLOVER set often names no target). A second
    figure also asks that the source's country agree (legacy codes mapped, "***" ignored)."""
    coder = coder or _default_coder()
    items = list(read_gold(path, events_key="expected"))
    types, with_source = Scores(), Scores()
    per_type: dict[str, Scores] = defaultdict(Scores)
    results = []
    articles = [_article(item) for item in items]
    for item, article, doc in zip(
        items, articles, coder.parse(a.text for a in articles), strict=True
    ):
        mentions = coder.code_doc(doc, article)
        predicted = {
            (plover_type(m.event_code), (m.source_actor or "")[:3])
            for m in mentions
            if plover_type(m.event_code)
        }
        gold_types = {e.code for e in item.events}
        predicted_types = {t for t, _ in predicted}
        for kind in gold_types | predicted_types:
            if kind in gold_types and kind in predicted_types:
                types.tp += 1
                per_type[kind].tp += 1
            elif kind in gold_types:
                types.fn += 1
                per_type[kind].fn += 1
            else:
                types.fp += 1
                per_type[kind].fp += 1
        gold_pairs = {(e.code, _legacy(e.source)[:3]) for e in item.events}
        matched = {
            g
            for g in gold_pairs
            if any(p[0] == g[0] and (not g[1] or p[1] == g[1]) for p in predicted)
        }
        with_source.tp += len(matched)
        with_source.fn += len(gold_pairs) - len(matched)
        with_source.fp += sum(
            1
            for p in predicted
            if not any(p[0] == g[0] and (not g[1] or p[1] == g[1]) for g in gold_pairs)
        )
        results.append(
            (item.id, item.text, sorted(gold_types), sorted(f"{t} ({s})" for t, s in predicted))
        )
    return PloverReport(
        path=str(path),
        items=len(items),
        types=types,
        types_and_source=with_source,
        per_type=dict(sorted(per_type.items())),
        results=results,
        coder_version=coder.version,
    )


# ---- printing --------------------------------------------------------------------------------


def _line(name: str, scores: Scores) -> str:
    return (
        f"{name:<14}{scores.precision:>9.3f}{scores.recall:>9.3f}{scores.f1:>9.3f}"
        f"{scores.tp:>7}{scores.fp:>7}{scores.fn:>7}"
    )


HEADER = f"{'':<14}{'precision':>9}{'recall':>9}{'F1':>9}{'TP':>7}{'FP':>7}{'FN':>7}"


def print_report(report: EvaluationReport, out: TextIO, verbose: bool = False) -> None:
    from pipelines.coding.diagnosis import KINDS, confusion_table, diagnose

    out.write(f"gold: {report.path} ({report.items} items), coder {report.coder_version}\n\n")
    out.write(HEADER + "\n")
    out.write(_line("root code", report.root) + "\n")
    out.write(_line("full code", report.full) + "\n")
    if report.onesided.tp + report.onesided.fn:
        out.write(_line("one-sided", report.onesided) + "  (kept out of the F1)\n")
    out.write("\nper root code (root level)\n" + HEADER + "\n")
    for code, scores in report.per_root.items():
        out.write(_line(code, scores) + "\n")
    diagnosis = diagnose(report.results)
    out.write("\nerrors by kind (root level)\n")
    for kind in KINDS:
        out.write(f"  {kind:<22}{diagnosis.kinds[kind]:>6}\n")
    out.write("\nroot confusion: gold root (rows) against the root coded for its actors\n")
    out.write("(- : nothing coded for them)\n")
    out.write("\n".join(confusion_table(diagnosis)) + "\n")
    if verbose:
        out.write("\nmisses and extras (root level; full-level misses marked 'full')\n")
        for result in report.results:
            labels = diagnosis.labelled.get(result.item.id, [])
            lines = [f"  {kind:<22}{event}" for kind, event in labels]
            root_missed = set(result.misses["root"])
            lines += [f"  {'full':<22}{e}" for e in result.misses["full"] if e not in root_missed]
            if lines:
                out.write(f"\n[{result.item.id}] {result.item.text}\n")
                out.write(f"  coded  {', '.join(map(str, result.predictions)) or '(nothing)'}\n")
                out.write("\n".join(lines) + "\n")


def print_plover_report(report: PloverReport, out: TextIO, verbose: bool = False) -> None:
    out.write(f"PLOVER gold: {report.path} ({report.items} items), coder {report.coder_version}\n")
    out.write("scored at event-type level (PLOVER 0.5 types, one per type and sentence)\n\n")
    out.write(HEADER + "\n")
    out.write(_line("event type", report.types) + "\n")
    out.write(_line("type+source", report.types_and_source) + "\n\n")
    out.write("per event type\n" + HEADER + "\n")
    for kind, scores in report.per_type.items():
        out.write(_line(kind, scores) + "\n")
    if verbose:
        out.write("\n")
        for item_id, text, gold, predicted in report.results:
            predicted_types = {p.split(" ")[0] for p in predicted}
            if set(gold) != predicted_types:
                out.write(f"[{item_id}] {text}\n  gold   {', '.join(gold)}\n")
                out.write(f"  coded  {', '.join(predicted) or '(nothing)'}\n")


def run_evaluation(
    path: Path,
    verbose: bool = False,
    plover: bool = False,
    out: TextIO = sys.stdout,
    coder=None,
) -> EvaluationReport | PloverReport:
    """Score the coder on a gold file and print the figures; the CLI's ``evaluate``."""
    path = Path(path)
    if plover:
        report = score_plover(path, coder)
        print_plover_report(report, out, verbose)
        return report
    report = evaluate_items(read_gold(path), coder, path=str(path))
    print_report(report, out, verbose)
    return report


def gold_files(path: Path) -> list[tuple[Path, bool]]:
    """The gold files a path names, each with whether it is PLOVER-coded: a file, or every
    ``*.jsonl`` of a folder (those named ``plover*`` are PLOVER-coded)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise FileNotFoundError(f"{path}: no *.jsonl gold files in this folder")
        return [(f, f.name.startswith("plover")) for f in files]
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such gold file or folder")
    return [(path, path.name.startswith("plover"))]
