"""The CAMEO codebook: event codes with Goldstein weights and quad classes, the CAMEO to PLOVER
mapping, country codes and actor roles. Loaded once from the package's data files."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

QUAD_CLASS_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
# One palette for every chart of quad classes (the dyad plots, the chart in the Dagster UI):
# greens for cooperation, oranges and reds for conflict, darker for material.
QUAD_CLASS_COLOURS = {1: "#9ccc65", 2: "#33691e", 3: "#ffab91", 4: "#bf360c"}


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = (resources.files("pipelines") / "data" / "codebook" / name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@dataclass(frozen=True)
class EventCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str

    @property
    def root_code(self) -> str:
        return self.code[:2]

    @property
    def base_code(self) -> str:
        return self.code[:3]


class UnknownCode(KeyError):
    pass


class Codebook:
    """Look-ups over the CAMEO tables shipped in ``pipelines/data/codebook``."""

    def __init__(self) -> None:
        plover = {row["cameo_code"]: row["plover_type"] for row in _read_tsv("cameo_plover.tsv")}
        self.events: dict[str, EventCode] = {}
        for row in _read_tsv("cameo_event_codes.tsv"):
            code = row["code"]
            self.events[code] = EventCode(
                code=code,
                name=row["name"],
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
                plover_type=_longest_prefix(plover, code),
            )
        self.countries: dict[str, dict[str, str]] = {
            row["code"]: row for row in _read_tsv("countries.tsv")
        }
        self.roles: dict[str, dict[str, str]] = {
            row["code"]: row for row in _read_tsv("actor_roles.tsv")
        }
        self.plover_rows = _read_tsv("cameo_plover.tsv")

    def event(self, code: str) -> EventCode:
        try:
            return self.events[code]
        except KeyError:
            raise UnknownCode(f"{code!r} is not a CAMEO event code") from None

    def __contains__(self, code: object) -> bool:
        return code in self.events

    def events_frame(self) -> pd.DataFrame:
        rows = [
            {
                "event_code": e.code,
                "name": e.name,
                "level": len(e.code) - 1,  # 1 root, 2 base, 3 detailed
                "root_code": e.root_code,
                "base_code": e.base_code,
                "goldstein": e.goldstein,
                "quad_class": e.quad_class,
                "plover_type": e.plover_type or None,
            }
            for e in self.events.values()
        ]
        return pd.DataFrame(rows)


# ---- what a code is, by CAMEO's own divisions of the roots ------------------------------------
# Pure functions of the code's digits (no table needed), so the coder can ask them per act.


def root_of(code: str) -> str:
    return code[:2]


def quad_class_of(code: str) -> int:
    """GDELT's quad class from the root: 01-05 verbal cooperation, 06-09 material cooperation,
    10-14 verbal conflict, 15-20 material conflict."""
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def is_hostile(code: str) -> bool:
    """Investigation onward (09-20): what "will" makes a threat and a frame reads as hostile."""
    return code[:2] >= "09"


def is_material(code: str) -> bool:
    """Material cooperation or conflict (quad classes 2 and 4): acts, not words."""
    return quad_class_of(code) in (2, 4)


def is_force(code: str) -> bool:
    """Coercion and violence (17-20): their target may be a place or a thing's owner."""
    return code[:2] >= "17"


def is_violent(code: str) -> bool:
    """Assault, fighting and mass violence (18-20)."""
    return code[:2] in ("18", "19", "20")


def is_prospective(code: str) -> bool:
    """Appeals, intents, demands, refusals and threats (02, 03, 10, 12, 13): speech acts about
    an act to come, which "will" cannot make any more future."""
    return code[:2] in ("02", "03", "10", "12", "13")


def _longest_prefix(table: dict[str, str], code: str) -> str:
    for size in range(len(code), 1, -1):
        if code[:size] in table:
            return table[code[:size]]
    return ""


@cache
def codebook() -> Codebook:
    return Codebook()
