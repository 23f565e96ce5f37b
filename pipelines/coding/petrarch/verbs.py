"""Verb patterns from ``CAMEO.2.0.txt`` made into verbs.tsv patterns: the synonym sets, the verb
blocks, and each pattern line applied to every verb of its block."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.codebook import codebook
from pipelines.coding.lexicon import PARTICLES
from pipelines.coding.petrarch.files import CODE_RE
from pipelines.coding.petrarch.names import dedupe
from pipelines.coding.petrarch.tallies import Prefixed, Tally
from pipelines.coding.petrarch.words import FUNCTION_WORDS, PREPOSITIONS, english

MARKERS = ("$", "+", "%", "^")  # PETRARCH's source, target, compound and skip markers


@dataclass(frozen=True)
class VerbForm:
    """A verb of a block as dyadflow patterns see it: its lemma and the words after it."""

    head: str
    particles: tuple[str, ...] = ()
    objects: str = ""
    required: tuple[str, ...] = ()


@dataclass
class VerbBlock:
    line: int
    verbs: list[tuple[VerbForm, str]] = field(default_factory=list)  # (form, own code or "")
    patterns: list[tuple[int, str, str]] = field(default_factory=list)  # (line, body, code)


@dataclass(frozen=True)
class Emitted:
    pattern: str
    code: str
    options: str


def read_synonym_sets(text: str) -> dict[str, list[str]]:
    """``&SET`` names and their members (as written, ``+`` removed, trailing ``_`` dropped)."""
    sets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        if raw.startswith("####### VERB PATTERNS"):
            break
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = sets.setdefault(line.rstrip("_").strip(), [])
        elif line.startswith("+") and current is not None:
            current.append(line[1:].strip().rstrip("_"))
        elif not line:
            current = None
    return sets


def read_verb_blocks(text: str, tally: Tally) -> list[VerbBlock]:
    blocks: list[VerbBlock] = []
    current: VerbBlock | None = None
    in_verbs = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        if raw.startswith("######## TRANSFORMATIONS"):
            break
        if not in_verbs:
            continue
        line = raw.split("#", 1)[0].replace("\t", " ").strip()
        if not line:
            continue
        if line.startswith("---"):
            current = VerbBlock(line=number)
            blocks.append(current)
            header = re.match(r"---\s+\S+\s+\[([^\]]*)\]", line)
            if header and header.group(1).strip() != "---":
                tally.skip("block default code (`--- VERB [code] ---`): not made a bare pattern")
            continue
        if current is None:
            continue
        if line.startswith("-"):
            codes = CODE_RE.findall(line)
            if not codes:
                tally.skip("pattern without a code")
                continue
            body = CODE_RE.sub(" ", line[1:]).strip()
            current.patterns.append((number, body, codes[-1].strip()))
            continue
        verb = re.match(r"(\+?)([A-Za-z][A-Za-z_'.\-]*)\s*(\{[^}]*\})?\s*(?:\[([^\]]*)\])?", line)
        if verb is None:
            tally.skip("unreadable verb line")
            continue
        form = verb_form(verb.group(2), tally)
        if form is not None:
            current.verbs.append((form, (verb.group(4) or "").strip()))
    return blocks


def verb_form(raw: str, tally: Tally) -> VerbForm | None:
    """``ACCELERATE`` -> accelerate; ``+CARRY_OUT`` -> carry out; ``+ASK_FOR`` -> ask =for;
    ``+TAKE_LEAVE`` -> take leave (a word neither particle nor preposition is the object)."""
    words = [w.lower() for w in raw.strip("_").split("_") if w]
    if not words:
        return None
    if any(w in ("and", "or") for w in words[1:]):
        tally.skip("verb phrase of two coordinated verbs")
        return None
    head = english().lemma(words[0], "VERB")
    particles: list[str] = []
    required: list[str] = []
    objects = ""
    for word in words[1:]:
        if word in PARTICLES and not objects and not required:
            particles.append(word)
        elif word in PREPOSITIONS:
            required.append(word)
        elif not objects:
            objects = english().lemma(word, "NOUN")
        else:
            tally.skip("verb phrase with two object words")
            return None
    return VerbForm(head, tuple(particles), objects, tuple(required))


def read_code(text: str, tally: Tally | Prefixed) -> tuple[str, str] | None:
    """``042:043`` -> ("042", "043"); codes not in the codebook go to their 3-digit parent."""
    text = text.strip()
    if text == "---":
        tally.skip("null code [---]")
        return None
    primary, _, converse = text.partition(":")
    if not primary:
        tally.skip("target-to-source code only ([:code])")
        return None
    if not re.fullmatch(r"\d{2,4}", primary) or (converse and not re.fullmatch(r"\d+", converse)):
        tally.skip("malformed event code")
        return None
    code = in_codebook(primary, tally)
    if code is None:
        tally.skip("event code not in the codebook")
        return None
    other = in_codebook(converse, tally) if converse else ""
    if converse and other is None:
        tally.skip("converse code not in the codebook (converse dropped)")
        other = ""
    return code, other or ""


def in_codebook(code: str, tally: Tally | Prefixed) -> str | None:
    book = codebook()
    if code in book:
        return code
    if len(code) == 4 and code[:3] in book:
        tally.adjust("4-digit code not in the codebook: coded as its 3-digit parent")
        return code[:3]
    return None


@dataclass(frozen=True)
class PatternParts:
    particles: tuple[str, ...]
    objects: str
    target_preps: tuple[str, ...]


def read_pattern(
    body: str, sets: dict[str, list[str]], tally: Tally | Prefixed
) -> PatternParts | None:
    """The part of a pattern after the verb: ``* WORD``, ``* {MULTI WORD}``, ``* &SET``,
    ``* (PREP)``, ``* WORD (PREP)``, with particles before the object (``* OUT VIEWS``)."""
    tokens = re.findall(r"\{[^}]*\}|\([^)]*\)|\S+", body)
    if "*" not in tokens:
        tally.skip("malformed pattern (no free-standing *)")
        return None
    star = tokens.index("*")
    if star > 0:
        tally.skip("words before * (subject constraint)")
        return None
    rest = tokens[star + 1 :]
    particles: list[str] = []
    objects = ""
    preps: list[str] = []
    for token in rest:
        if token.startswith("("):
            inner = token[1:-1].split()
            if not inner or inner[0] in MARKERS:
                tally.skip("prepositional phrase without a preposition")
                return None
            if len(inner) == 2 and inner[1] == "+":
                inner = inner[:1]  # "(TO +)": the preposition's object is the target
            if any(m in word for word in inner for m in MARKERS):
                tally.skip("$ + % ^ marker that cannot be mapped")
                return None
            if len(inner) > 1:
                tally.skip("prepositional phrase with words ('(PREP WORD)': too loose as =prep)")
                return None
            if inner[0].lower() not in PREPOSITIONS:
                tally.skip("prepositional phrase whose word is no preposition")
                return None
            if preps:
                tally.skip("several prepositional phrases")
                return None
            preps.append(inner[0].lower())
            continue
        if any(m in token for m in MARKERS):
            tally.skip("$ + % ^ marker that cannot be mapped")
            return None
        if preps:
            tally.skip("word after the prepositional phrase")
            return None
        if token.lower() in PARTICLES and not objects:
            particles.append(token.lower())
            continue
        if objects:
            tally.skip("several object words")
            return None
        objects = object_lemmas(token, sets, tally)
        if not objects:
            return None
    return PatternParts(tuple(particles), objects, tuple(preps))


def object_lemmas(token: str, sets: dict[str, list[str]], tally: Tally | Prefixed) -> str:
    """An object as ``|``-joined lemmas: a word, the last word of ``{MULTI WORD}`` or of
    ``AIR_STRIKE``/``HUNGER-STRIKE``, or the single-word members of a synonym set."""
    if token.startswith("{"):
        words = token[1:-1].split()
        if not words:
            tally.skip("empty noun phrase")
            return ""
        token = words[-1]
    if token.startswith("&"):
        members = sets.get(token.rstrip("_"))
        if members is None:
            tally.skip("unknown synonym set")
            return ""
        singles = [m for m in members if re.fullmatch(r"[A-Za-z']+", m)]
        lemmas = dedupe(english().lemma(m, "NOUN") for m in singles)
        if not lemmas:
            tally.skip("synonym set without single-word members")
            return ""
        return "|".join(lemmas)
    last = re.split(r"[_\-]", token.strip("_"))[-1]
    if not re.fullmatch(r"[A-Za-z']+", last):
        tally.skip("object word that is no word")
        return ""
    if last.lower() in FUNCTION_WORDS:
        tally.skip("object ends in a function word")
        return ""
    return english().lemma(last, "NOUN")


def compose(form: VerbForm, parts: PatternParts | None) -> str | None:
    """The dyadflow pattern: head, particles, object lemmas, ``=prep``, ``@prep``. PETRARCH's
    ``(PREP)`` requires the preposition; dyadflow's ``@prep`` alone does not (without it the
    direct object, or nothing, is the target), so a ``(PREP)`` becomes ``=prep @prep``."""
    particles = list(form.particles)
    objects = form.objects
    target_preps: tuple[str, ...] = ()
    if parts is not None:
        particles += [p for p in parts.particles if p not in particles]
        if parts.objects and objects:
            return None
        objects = objects or parts.objects
        target_preps = parts.target_preps
    required = [*form.required, *(p for p in target_preps if p not in form.required)]
    words = [form.head, *particles]
    if objects:
        words.append(objects)
    words += [f"={p}" for p in required]
    words += [f"@{p}" for p in target_preps]
    return " ".join(words)


def convert_verbs(text: str, tally: Tally, curated: set[str]) -> list[list[str]]:
    sets = read_synonym_sets(text)
    emitted: dict[str, Emitted] = {}

    lines = Prefixed(tally, "pattern line")
    made = Prefixed(tally, "pattern (a line applied to one verb of its block)")
    own_codes = Prefixed(tally, "verb's own code")

    def emit(pattern: str | None, code: tuple[str, str]) -> None:
        if pattern is None:
            made.skip("the verb phrase and the pattern both name an object")
            return
        if pattern.split()[0] in curated:
            made.skip("verb the curated lexicon covers (its verbs.tsv or frames.tsv)")
            return
        if code[0] == "010":
            # dyadflow has no catch-all statement code: a bare "said" is no event
            made.skip("code 010 (make statement, not specified)")
            return
        options = f"converse={code[1]}" if code[1] else ""
        entry = Emitted(pattern, code[0], options)
        earlier = emitted.get(pattern.casefold())
        if earlier is None:
            emitted[pattern.casefold()] = entry
        elif earlier != entry:
            made.skip("same pattern text with another code (collision: first kept)")
        else:
            made.skip("duplicate of an earlier pattern")

    for block in read_verb_blocks(text, tally):
        for form, own in block.verbs:
            if own:
                code = read_code(own, own_codes)
                if code is not None:
                    emit(compose(form, None), code)
        for _line, body, code_text in block.patterns:
            parts = read_pattern(body, sets, lines)
            if parts is None:
                continue
            code = read_code(code_text, lines)
            if code is None:
                continue
            for form, _own in block.verbs:
                emit(compose(form, parts), code)
    return [[e.pattern, e.code, e.options] for e in emitted.values()]
