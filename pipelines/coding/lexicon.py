"""The event lexicon: verb and noun patterns with their CAMEO codes, and the frames (appeal,
intent, threat, demand, refusal, report, light verbs) that embed another event.

Pattern syntax (docs/dictionaries.md): the head lemma first, then, in any order,
- a particle the verb must carry ("hand over", "crack down"),
- ``@prep`` (alternatives with ``|``): prepositions whose object is the target ("@with|from"),
- an object lemma (alternatives with ``|``): the direct object must be one of them
  ("cut tie|relation"),
- ``=prep`` (alternatives with ``|``): a preposition the head must govern, not naming the target.
Options (comma-separated) are read once, into ``PatternOptions``, when the lexicon loads; a
misspelt option, a code CAMEO does not have or a role the codebook does not know is an error
that names the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum

from pipelines.codebook import codebook, is_hostile
from pipelines.coding.dictionary_files import DictionaryError, DictionarySet, split_list

PARTICLES = frozenset(
    {"over", "up", "down", "off", "out", "back", "away", "in", "on", "into", "through", "apart"}
)


class FrameKind(StrEnum):
    """What a frame verb does to the act it embeds (frames.tsv's ``frame`` column)."""

    APPEAL = "appeal"
    INTENT = "intent"
    THREAT = "threat"
    DEMAND = "demand"
    REFUSE = "refuse"
    ACCUSE = "accuse"
    CONSIDER = "consider"
    COMMENT = "comment"
    REPORT = "report"
    LIGHT = "light"
    BLOCK = "block"


FRAME_KINDS = frozenset(FrameKind)
IMPLIED = frozenset({"GOV", "COUNTRY", "PLACE"})
# the word lists of wordlists.tsv the grammar consults: each must be there
WORD_LISTS = frozenset(
    {
        "group_nouns",
        "quantity_nouns",
        "settlement_nouns",
        "country_nouns",
        "military_sites",
        "border_nouns",
        "gloomy_determiners",
        "implicative_verbs",
        "fatal_verbs",
        "content_nouns",
        "naming_verbs",
        "causative_verbs",
        "witness_verbs",
        "pejoratives",
        "praises",
    }
)


class LexiconError(DictionaryError):
    """A lexicon entry that cannot be used: names the file and line."""


@dataclass(frozen=True)
class PatternOptions:
    """What a pattern's options say, typed. Flags: ``reciprocal`` (a compound subject with no
    target acts within itself), ``mutual`` (reciprocal, and with a target both sides act on each
    other: "X met Y"), ``transitive`` (needs a direct object), ``dative`` (the indirect object
    is a target too), ``framed`` (counts only inside a frame: "declined to comment"),
    ``appraisal`` (a judgement: 012 or 013 by the object's determiner), ``hostile`` /
    ``cooperative`` (how "will" and frames read it; by default from the root), ``forces_only``
    (coded only when troops or police do it: "Israeli troops left Gaza", not "the president
    left Bouake"; an organisation left stays ``igo=``'s), ``agent`` (a noun that names the
    doer of the act: "the kidnappers of two French reporters" 181). Values:
    ``converse=CODE`` (the act seen from the target's side: a visit is hosted, 043),
    ``implied=GOV|COUNTRY|PLACE`` (with no target named: the doer's government or country, or
    the place), ``state=ROLE`` (an agentless passive takes the state of the place as doer),
    ``thing=CODE|-`` (the code when the object is a thing, not an actor; ``-`` for no act),
    ``as=ROLE`` (a country doing it acts as that role), ``forces=CODE`` (the code when troops or
    police are the doers), ``igo=CODE`` (the code when the target is an IGO), ``alone=CODE``
    (the code when one doer acts with no partner: exercises held alone show force, 150)."""

    reciprocal: bool = False
    mutual: bool = False
    transitive: bool = False
    dative: bool = False
    framed: bool = False
    appraisal: bool = False
    hostile: bool = False
    cooperative: bool = False
    forces_only: bool = False
    agent: bool = False
    converse: str = ""
    implied: str = ""
    state: str = ""
    thing: str = ""
    as_role: str = ""
    forces: str = ""
    igo: str = ""
    alone: str = ""

    @property
    def both_ways(self) -> bool:
        return self.reciprocal or self.mutual


_FLAGS = {f.name for f in fields(PatternOptions) if f.type in (bool, "bool")}
_VALUES = {"as": "as_role"} | {
    f.name: f.name for f in fields(PatternOptions) if f.type in (str, "str")
}
_CODE_VALUES = frozenset({"converse", "forces", "igo", "alone"})
_ROLE_VALUES = frozenset({"state", "as_role"})


def parse_options(text: str, where: str = "") -> PatternOptions:
    """The options cell of a pattern, checked: every name known, every code CAMEO's, every role
    the codebook's."""
    values: dict[str, object] = {}
    book = codebook()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, has_value, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not has_value:
            if name not in _FLAGS:
                raise LexiconError(f"{where}: unknown option {name!r}; known: {_known()}")
            values[name] = True
            continue
        field_name = _VALUES.get(name)
        if field_name is None:
            raise LexiconError(f"{where}: unknown option {name!r}; known: {_known()}")
        if field_name in _CODE_VALUES and value not in book:
            raise LexiconError(f"{where}: {name}={value}: not a CAMEO event code")
        if field_name == "thing" and value != "-" and value not in book:
            raise LexiconError(f"{where}: thing={value}: not a CAMEO event code or '-'")
        if field_name in _ROLE_VALUES and value not in book.roles:
            raise LexiconError(f"{where}: {name}={value}: not a role of the codebook")
        if field_name == "implied" and value not in IMPLIED:
            raise LexiconError(f"{where}: implied={value}: expected one of {sorted(IMPLIED)}")
        values[field_name] = value
    return PatternOptions(**values)


def _known() -> str:
    return ", ".join(sorted(_FLAGS | set(_VALUES)))


@dataclass(frozen=True)
class Pattern:
    head: str
    code: str
    source: str  # the pattern as written: the rule that fired
    particles: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()
    target_preps: frozenset[str] = frozenset()
    required_preps: frozenset[str] = frozenset()
    options: PatternOptions = field(default_factory=PatternOptions)

    @property
    def specificity(self) -> int:
        # a required preposition ("drill =around") is the sharpest cue, then an object
        return 5 * bool(self.required_preps) + 4 * bool(self.objects) + 2 * len(self.particles)

    @property
    def hostile(self) -> bool:
        if self.options.hostile or self.options.cooperative:
            return self.options.hostile
        return is_hostile(self.code)


@dataclass(frozen=True)
class Frame:
    lemma: str
    kind: FrameKind
    light: bool = False  # also lends its subject to an event-noun object ("announced sanctions")
    particles: tuple[str, ...] = ()
    preps: frozenset[str] = frozenset()  # the frame's addressee preposition ("call on")
    code: str = ""  # the code of the frame alone, when it takes no embedded event
    clause_code: str = ""  # the code when it takes a that-clause with no act in it ("agreed that")
    source: str = ""


def parse_pattern(text: str, code: str, options: str = "", where: str = "") -> Pattern:
    words = text.split()
    if not words:
        raise LexiconError(f"{where}: empty pattern")
    if code not in codebook():
        raise LexiconError(f"{where}: {text!r}: {code!r} is not a CAMEO event code")
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
        options=parse_options(options, where),
    )


class Lexicon:
    """Patterns indexed by head lemma, most specific first; frames by lemma."""

    def __init__(self, dictionaries: DictionarySet) -> None:
        self.verbs = self._index(dictionaries, "verbs.tsv")
        self.nouns = self._index(dictionaries, "nouns.tsv")
        self.frames: dict[str, list[Frame]] = {}
        book = codebook()
        for key, row in dictionaries.table("frames.tsv").items():
            where = dictionaries.where("frames.tsv", key)
            words = row["lemma"].split()
            lemma = words[0].casefold()
            particles = tuple(w for w in words[1:] if not w.startswith("@"))
            preps = frozenset(p for w in words[1:] if w.startswith("@") for p in split_list(w[1:]))
            kinds = split_list(row["frame"])
            unknown = [k for k in kinds if k not in FRAME_KINDS]
            if not kinds or unknown:
                raise LexiconError(
                    f"{where}: frame kind {unknown or kinds}; known: {sorted(FRAME_KINDS)}"
                )
            options: dict[str, str] = {}
            for part in (p.strip() for p in row.get("options", "").split(",")):
                if not part:
                    continue
                name, _, value = part.partition("=")
                if name not in ("code", "that"):
                    raise LexiconError(f"{where}: unknown frame option {name!r}; known: code, that")
                if value not in book:
                    raise LexiconError(f"{where}: {name}={value}: not a CAMEO event code")
                options[name] = value
            self.frames.setdefault(lemma, []).append(
                Frame(
                    lemma=lemma,
                    kind=FrameKind(kinds[0]),
                    light=FrameKind.LIGHT in kinds,
                    particles=particles,
                    preps=preps,
                    code=options.get("code", ""),
                    clause_code=options.get("that", ""),
                    source=row["lemma"],
                )
            )
        for frames in self.frames.values():
            frames.sort(key=lambda f: -len(f.particles))
        self.agent_nouns = frozenset(
            head for head, patterns in self.nouns.items() if any(p.options.agent for p in patterns)
        )
        self.words: dict[str, frozenset[str]] = {
            row["list"].casefold(): frozenset(w.casefold() for w in split_list(row["words"]))
            for row in dictionaries.table("wordlists.tsv").values()
        }
        missing = sorted(WORD_LISTS - set(self.words))
        if missing:
            raise LexiconError(f"wordlists.tsv: no list named {', '.join(missing)}")
        self.frame_codes: dict[FrameKind, dict[str, str]] = {}
        for key, row in dictionaries.table("frame_codes.tsv").items():
            where = dictionaries.where("frame_codes.tsv", key)
            kind, _, embedded = row["key"].partition(":")
            if kind not in FRAME_KINDS:
                raise LexiconError(f"{where}: frame kind {kind!r}; known: {sorted(FRAME_KINDS)}")
            if row["code"] not in book:
                raise LexiconError(f"{where}: {row['code']!r} is not a CAMEO event code")
            self.frame_codes.setdefault(FrameKind(kind), {})[embedded] = row["code"]

    @staticmethod
    def _index(dictionaries: DictionarySet, name: str) -> dict[str, list[Pattern]]:
        index: dict[str, list[Pattern]] = {}
        for key, row in dictionaries.table(name).items():
            pattern = parse_pattern(
                row["pattern"], row["code"], row.get("options", ""), dictionaries.where(name, key)
            )
            index.setdefault(pattern.head, []).append(pattern)
        for patterns in index.values():
            patterns.sort(key=lambda p: -p.specificity)
        return index

    def framed_code(self, kind: FrameKind, embedded: str | None) -> str | None:
        """The code of a frame over an embedded event: the longest prefix of the embedded
        code listed for the frame, else the frame's default (key ``kind:``)."""
        table = self.frame_codes.get(kind, {})
        if embedded:
            for size in range(len(embedded), 1, -1):
                if embedded[:size] in table:
                    return table[embedded[:size]]
        return table.get("")
