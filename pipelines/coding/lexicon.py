"""The event lexicon: verb and noun patterns with their CAMEO codes, and the frames (appeal,
intent, threat, demand, refusal, report, light verbs) that embed another event.

Pattern syntax (docs/dictionaries.md): the head lemma first, then, in any order,
- a particle the verb must carry ("hand over", "crack down"),
- ``@prep`` (alternatives with ``|``): prepositions whose object is the target ("@with|from"),
- an object lemma (alternatives with ``|``): the direct object must be one of them
  ("cut tie|relation"),
- ``=prep`` (alternatives with ``|``): a preposition the head must govern, not naming the target
  ("break =with" is not needed; "take =part" style constraints).
Options (comma-separated): ``reciprocal`` (a compound subject with no target codes both
directions), ``self`` (the event has no target by nature: protest, mobilise), ``hostile`` /
``cooperative`` (how ``will`` and frames read it; by default from the root code).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.coding.dictionaries import DictionarySet, split_list

PARTICLES = frozenset(
    {"over", "up", "down", "off", "out", "back", "away", "in", "on", "into", "through", "apart"}
)


@dataclass(frozen=True)
class Pattern:
    head: str
    code: str
    source: str  # the pattern as written: the rule that fired
    particles: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()
    target_preps: frozenset[str] = frozenset()
    required_preps: frozenset[str] = frozenset()
    options: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        # a required preposition ("drill =around") is the sharpest cue, then an object
        return 5 * bool(self.required_preps) + 4 * bool(self.objects) + 2 * len(self.particles)

    @property
    def hostile(self) -> bool:
        if "hostile" in self.options:
            return True
        if "cooperative" in self.options:
            return False
        return self.code[:2] >= "09"


@dataclass(frozen=True)
class Frame:
    lemma: str
    kind: str  # appeal | intent | threat | demand | refuse | accuse | report | light | block
    light: bool = False  # also lends its subject to an event-noun object ("announced sanctions")
    particles: tuple[str, ...] = ()
    preps: frozenset[str] = frozenset()  # the frame's addressee preposition ("call on")
    code: str = ""  # the code of the frame alone, when it takes no embedded event
    clause_code: str = ""  # the code when it takes a that-clause with no act in it ("agreed that")
    source: str = ""


def parse_pattern(text: str, code: str, options: str = "") -> Pattern:
    words = text.split()
    if not words:
        raise ValueError("empty pattern")
    head, rest = words[0].casefold(), words[1:]
    particles: list[str] = []
    objects: set[str] = set()
    target_preps: set[str] = set()
    required: set[str] = set()
    for word in rest:
        word = word.casefold()
        if word.startswith("@"):
            target_preps.update(split_list(word[1:]))
        elif word.startswith("="):
            required.update(split_list(word[1:]))
        elif word in PARTICLES and not objects:
            particles.append(word)
        else:
            objects.update(split_list(word))
    return Pattern(
        head=head,
        code=code,
        source=text,
        particles=tuple(particles),
        objects=frozenset(objects),
        target_preps=frozenset(target_preps),
        required_preps=frozenset(required),
        options=frozenset(o.strip() for o in options.split(",") if o.strip()),
    )


class Lexicon:
    """Patterns indexed by head lemma, most specific first; frames by lemma."""

    def __init__(self, dictionaries: DictionarySet) -> None:
        self.verbs = self._index(dictionaries.table("verbs.tsv"))
        self.nouns = self._index(dictionaries.table("nouns.tsv"))
        self.frames: dict[str, list[Frame]] = {}
        for row in dictionaries.table("frames.tsv").values():
            words = row["lemma"].split()
            lemma = words[0].casefold()
            particles = tuple(w for w in words[1:] if not w.startswith("@"))
            preps = frozenset(p for w in words[1:] if w.startswith("@") for p in split_list(w[1:]))
            options = dict(
                part.strip().split("=", 1)
                for part in row.get("options", "").split(",")
                if "=" in part
            )
            kinds = split_list(row["frame"])
            self.frames.setdefault(lemma, []).append(
                Frame(
                    lemma=lemma,
                    kind=kinds[0],
                    light="light" in kinds,
                    particles=particles,
                    preps=preps,
                    code=options.get("code", ""),
                    clause_code=options.get("that", ""),
                    source=row["lemma"],
                )
            )
        for frames in self.frames.values():
            frames.sort(key=lambda f: -len(f.particles))
        self.frame_codes: dict[str, dict[str, str]] = {}
        for row in dictionaries.table("frame_codes.tsv").values():
            kind, _, embedded = row["key"].partition(":")
            self.frame_codes.setdefault(kind, {})[embedded] = row["code"]

    @staticmethod
    def _index(table: dict[str, dict[str, str]]) -> dict[str, list[Pattern]]:
        index: dict[str, list[Pattern]] = {}
        for row in table.values():
            pattern = parse_pattern(row["pattern"], row["code"], row.get("options", ""))
            index.setdefault(pattern.head, []).append(pattern)
        for patterns in index.values():
            patterns.sort(key=lambda p: -p.specificity)
        return index

    def framed_code(self, kind: str, embedded: str | None) -> str | None:
        """The code of a frame over an embedded event: the longest prefix of the embedded
        code listed for the frame, else the frame's default (key ``kind:``)."""
        table = self.frame_codes.get(kind, {})
        if embedded:
            for size in range(len(embedded), 1, -1):
                if embedded[:size] in table:
                    return table[embedded[:size]]
        return table.get("")
