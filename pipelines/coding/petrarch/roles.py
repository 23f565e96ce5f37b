"""Agent nouns from ``Phoenix.agents.txt`` (``PHRASE {PLURALS} [~ROLE]``) made into roles.tsv
entries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.codebook import codebook
from pipelines.coding.actor_tagger import plural
from pipelines.coding.petrarch.names import plain_words
from pipelines.coding.petrarch.tallies import Tally
from pipelines.coding.petrarch.words import FUNCTION_WORDS


@dataclass
class Role:
    phrase: str
    role: str
    plural: list[str]


def read_agents(text: str, tally: Tally) -> list[Role]:
    """Agent nouns: ``PHRASE {PLURALS} [~ROLE]``; ``!SET!`` names a substitution set
    (``!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON``)."""
    sets: dict[str, list[str]] = {}
    roles: list[Role] = []
    known = set(codebook().roles)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        definition = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if definition:
            sets[definition.group(1)] = [m.strip() for m in definition.group(2).split(",")]
            continue
        code = re.search(r"\[(~?)([A-Z]*)(~?)[\]}]", line)
        if code is None:
            tally.skip("no role code")
            continue
        if code.group(3) or not code.group(1):
            tally.skip("prefix agent code such as [IGO~] (no role of its own)")
            continue
        role = code.group(2)[:3]
        if role not in known:
            tally.skip("role not in actor_roles.tsv (religions, PPL)")
            continue
        head = line[: code.start()]
        plural_text = re.search(r"\{([^}]*)\}", head)
        phrase_text = re.sub(r"\{[^}]*\}", " ", head)
        for singular, plural_phrase in _expand(phrase_text, sets):
            phrase = " ".join(plain_words(singular)).lower()
            if not phrase:
                continue
            if phrase.split()[-1] in FUNCTION_WORDS:
                tally.skip("phrase ends in a function word ('ambassador to')")
                continue
            if plural_text is not None:
                listed = [" ".join(plain_words(p)).lower() for p in plural_text.group(1).split()]
                # "{}": no plural ("police"); the phrase itself stops the coder making one
                plurals = [p for p in listed if p] or [phrase]
            else:
                plurals = [" ".join(plain_words(plural_phrase)).lower()] if plural_phrase else []
            roles.append(Role(phrase, role, plurals))
    return roles


def _expand(text: str, sets: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """A phrase with ``!SET!`` references as (singular, plural) phrases: members that are the
    regular plural of another member ("MEN" of "MAN") give the plural, not a phrase of their
    own. The plural is "" when the coder's regular plural will do."""
    found = re.search(r"![A-Z]+!", text)
    if found is None:
        yield text, ""
        return
    members = sets.get(found.group(0), [])
    lowered = [m.lower() for m in members]
    plurals = {plural(m) for m in lowered} & set(lowered)
    for member in lowered:
        if member in plurals:
            continue
        plural_member = plural(member) if plural(member) in lowered else ""
        before, after = text[: found.start()], text[found.end() :]
        for singular, rest_plural in _expand(after, sets):
            phrase = before + member + singular
            if plural_member and found.end() < len(text.rstrip()):
                yield phrase, before + plural_member + singular
            elif rest_plural:
                yield phrase, before + member + rest_plural
            else:
                yield phrase, ""


def settle_roles(roles: list[Role], tally: Tally, curated: set[str]) -> list[Role]:
    by_phrase: dict[str, Role] = {}
    generated = {plural(r.phrase): r.role for r in roles}
    for role in roles:
        forms = [role.phrase, *(role.plural or [plural(role.phrase)])]
        if any(form.casefold() in curated for form in forms):
            tally.skip("phrase already in the curated dictionaries")
            continue
        if generated.get(role.phrase) == role.role and role.phrase != plural(role.phrase):
            tally.skip("regular plural of another phrase with the same role")
            continue
        if role.phrase in by_phrase:
            tally.skip("repeated phrase (first kept)")
            continue
        by_phrase[role.phrase] = role
    return list(by_phrase.values())
