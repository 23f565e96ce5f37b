"""How far two hand codings of the same items agree: the ceiling a coder can be held to.

Two coders' required events are matched one to one (a maximum matching) when their roots agree
(or their full codes, at full level) and each side's actor alternatives are compatible, one a
prefix of the other. Strict agreement counts every unmatched required event against the pair;
lenient agreement, as ``dyadflow evaluate`` scores a coder, forgives an event that the other
coder listed as optional. F1 is symmetric: 2 x matched / (events of A + events of B).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from pipelines.coding.gold_scoring import max_matching
from pipelines.coding.gold_sets import GoldEvent, GoldItem, read_gold


def _sides_compatible(a: str, b: str) -> bool:
    left = [p.strip() for p in a.split("|")] if a else ["*"]
    right = [p.strip() for p in b.split("|")] if b else ["*"]
    return any(
        x == "*" or y == "*" or x.startswith(y) or y.startswith(x) for x in left for y in right
    )


def compatible(a: GoldEvent, b: GoldEvent, level: str = "root") -> bool:
    if level == "root":
        if a.code[:2] != b.code[:2]:
            return False
    elif not (a.code.startswith(b.code) or b.code.startswith(a.code)):
        return False
    return _sides_compatible(a.source, b.source) and _sides_compatible(a.target, b.target)


def _matching(left: list[GoldEvent], right: list[GoldEvent], level: str) -> int:
    return len(
        max_matching([[j for j, b in enumerate(right) if compatible(a, b, level)] for a in left])
    )


@dataclass
class Agreement:
    items: int = 0
    events_a: int = 0
    events_b: int = 0
    matched: int = 0
    forgiven_a: int = 0  # A's unmatched events that B lists as optional
    forgiven_b: int = 0

    @property
    def strict_f1(self) -> float:
        total = self.events_a + self.events_b
        return 2 * self.matched / total if total else 1.0

    @property
    def lenient_f1(self) -> float:
        total = self.events_a + self.events_b - self.forgiven_a - self.forgiven_b
        return 2 * self.matched / total if total else 1.0


def agreement(a: list[GoldItem], b: list[GoldItem], level: str = "root") -> Agreement:
    """Agreement of coding ``b`` with coding ``a`` on the items both hold."""
    by_id = {item.id: item for item in a}
    result = Agreement()
    for other in b:
        item = by_id.get(other.id)
        if item is None:
            continue
        left, right = list(item.events), list(other.events)
        matched = _matching(left, right, level)
        result.items += 1
        result.events_a += len(left)
        result.events_b += len(right)
        result.matched += matched
        # an unmatched event the other coder listed as optional is a judgement call both allow
        unmatched_a = len(left) - matched
        unmatched_b = len(right) - matched
        result.forgiven_a += min(
            unmatched_a, sum(any(compatible(e, o, level) for o in other.optional) for e in left)
        )
        result.forgiven_b += min(
            unmatched_b, sum(any(compatible(e, o, level) for o in item.optional) for e in right)
        )
    return result


def agreement_report(second: Path, firsts: list[Path]) -> str:
    """The agreement of a second coding with the first (which may span several files)."""
    first = [item for path in firsts for item in read_gold(path)]
    lines = [f"agreement of {second} with {', '.join(map(str, firsts))}"]
    for level in ("root", "full"):
        found = agreement(first, list(read_gold(second)), level)
        lines.append(
            f"{level:<5} {found.items} items, events {found.events_a} and {found.events_b}, "
            f"matched {found.matched}: F1 strict {found.strict_f1:.3f}, "
            f"lenient {found.lenient_f1:.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Agreement of two hand codings of the same items.")
    parser.add_argument("second", type=Path, help="the second coding (JSONL gold format)")
    parser.add_argument("first", type=Path, nargs="+", help="the first coding's files")
    args = parser.parse_args(argv)
    print(agreement_report(args.second, args.first))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
