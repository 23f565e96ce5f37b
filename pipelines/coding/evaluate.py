"""Score the coder on a gold file and print the figures (the CLI's ``evaluate``): precision,
recall and F1 at root-code and full-code level, a per-root table, the errors by kind, and
(verbose) every miss and every extra. The gold format is in ``gold_sets``, the scoring rules in
``gold_scoring``; a PLOVER-coded file is scored by ``plover_scoring``."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipelines.coding.diagnosis import KINDS, confusion_table, diagnose
from pipelines.coding.gold_scoring import (
    SCORES_HEADER,
    Headline,
    ItemResult,
    Scores,
    coded_items,
    default_coder,
    score_item,
    score_onesided,
    scores_line,
)
from pipelines.coding.gold_sets import GoldItem, read_gold
from pipelines.coding.plover_scoring import PloverReport, print_plover_report, score_plover


@dataclass
class EvaluationReport(Headline):
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
    def headline(self) -> Scores:
        return self.root


def evaluate_items(items: Iterable[GoldItem], coder=None, path: str = "") -> EvaluationReport:
    coder = coder or default_coder()
    items = list(items)
    root, full, onesided = Scores(), Scores(), Scores()
    per_root: dict[str, Scores] = defaultdict(Scores)
    results = []
    for item, mentions in coded_items(items, coder):
        result, scores, roots = score_item(item, mentions)
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


def print_report(report: EvaluationReport, out: TextIO, verbose: bool = False) -> None:
    out.write(f"gold: {report.path} ({report.items} items), coder {report.coder_version}\n\n")
    out.write(SCORES_HEADER + "\n")
    out.write(scores_line("root code", report.root) + "\n")
    out.write(scores_line("full code", report.full) + "\n")
    if report.onesided.tp + report.onesided.fn:
        out.write(scores_line("one-sided", report.onesided) + "  (kept out of the F1)\n")
    out.write("\nper root code (root level)\n" + SCORES_HEADER + "\n")
    for code, scores in report.per_root.items():
        out.write(scores_line(code, scores) + "\n")
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
