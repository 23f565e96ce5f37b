"""The coder scored on the public PLOVER gold set, at event-type level (``score_plover``): the
set is coded in PLOVER 0.5 event types with TABARI-era actor codes, read here as today's."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipelines.coding.gold_scoring import (
    SCORES_HEADER,
    Headline,
    Scores,
    coded_items,
    default_coder,
    scores_line,
)
from pipelines.coding.gold_sets import read_gold

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
class PloverReport(Headline):
    path: str
    items: int
    types: Scores  # event types per sentence
    types_and_source: Scores  # event type and the source's country
    per_type: dict[str, Scores]
    results: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)
    coder_version: str = ""
    mode: str = "plover"

    @property
    def headline(self) -> Scores:
        return self.types


def score_plover(path: Path, coder=None) -> PloverReport:
    """Event-type level: per sentence, the set of PLOVER types in the gold against the set the
    coder's mentions carry (dyadic or not: the PLOVER set often names no target). A second
    figure also asks that the source's country agree (legacy codes mapped, "***" ignored)."""
    coder = coder or default_coder()
    items = list(read_gold(path, events_key="expected"))
    types, with_source = Scores(), Scores()
    per_type: dict[str, Scores] = defaultdict(Scores)
    results = []
    for item, mentions in coded_items(items, coder):
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


def print_plover_report(report: PloverReport, out: TextIO, verbose: bool = False) -> None:
    out.write(f"PLOVER gold: {report.path} ({report.items} items), coder {report.coder_version}\n")
    out.write("scored at event-type level (PLOVER 0.5 types, one per type and sentence)\n\n")
    out.write(SCORES_HEADER + "\n")
    out.write(scores_line("event type", report.types) + "\n")
    out.write(scores_line("type+source", report.types_and_source) + "\n\n")
    out.write("per event type\n" + SCORES_HEADER + "\n")
    for kind, scores in report.per_type.items():
        out.write(scores_line(kind, scores) + "\n")
    if verbose:
        out.write("\n")
        for item_id, text, gold, predicted in report.results:
            predicted_types = {p.split(" ")[0] for p in predicted}
            if set(gold) != predicted_types:
                out.write(f"[{item_id}] {text}\n  gold   {', '.join(gold)}\n")
                out.write(f"  coded  {', '.join(predicted) or '(nothing)'}\n")
