"""Build tool: the PETRARCH-2 / Phoenix dictionaries converted into dyadflow's dictionary files,
the base layer that loads underneath the curated files (``pipelines/data/dictionaries/base``).

    python -m pipelines.coding.petrarch REFERENCE_DIR [--out FOLDER] [--curated FOLDER]

REFERENCE_DIR holds ``CAMEO.2.0.txt``, ``Phoenix.Countries.actors.txt``,
``Phoenix.International.actors.txt``, ``Phoenix.MilNonState.actors.txt`` and
``Phoenix.agents.txt`` (MIT licence, Open Event Data Alliance / Parus Analytics). The output is
deterministic: the same sources (and the same curated folder) give the same bytes.

The coder never imports this module: it only reads the files it writes. What is converted, what
is skipped and why is counted in the README.md written beside the files and described in
docs/dictionaries.md ("Base layer").

Names and verbs the curated dictionaries (``--curated``, by default the package's folder) already
use are left out of the base layer: the loader lets a curated entry replace a base entry with the
same key, but a base entry under another key that shares a name (an ``also``) would be matched
first, and a base pattern on a verb the curated lexicon covers would outrank its curated patterns.
Regenerate after changing the curated files.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pipelines.codebook import codebook
from pipelines.coding.actor_tagger import is_abbreviation, plural
from pipelines.coding.dictionary_files import SCHEMAS, base_folder, package_folder, split_list
from pipelines.coding.lexicon import PARTICLES

VERBS_FILE = "CAMEO.2.0.txt"
COUNTRIES_FILE = "Phoenix.Countries.actors.txt"
INTERNATIONAL_FILE = "Phoenix.International.actors.txt"
NONSTATE_FILE = "Phoenix.MilNonState.actors.txt"
AGENTS_FILE = "Phoenix.agents.txt"
LICENCE_FILE = "LICENSE.petrarch2"
SOURCES = (VERBS_FILE, COUNTRIES_FILE, INTERNATIONAL_FILE, NONSTATE_FILE, AGENTS_FILE)

COMMAND = "python -m pipelines.coding.petrarch ../shared/reference/petrarch-dictionaries"
LICENCE_LINE = (
    "MIT licence, Copyright (c) 2014-2015 Open Event Data Alliance; dictionaries of the "
    "Computational Event Data System Project, Parus Analytics"
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# two-digit years: yy <= 25 is 20yy, else 19yy
CENTURY_PIVOT = 25
# words that stay lower-case inside a name ("Osama bin Laden", "Army of God")
SMALL_WORDS = _word_set(
    "a an and as ad al ar ash at az bin bint by da das de del della den der des di do dos du "
    "e el for ibn in la le of on the to van von y"
)
# prepositions a multi-word verb may end with ("ask for", "scoff at"): they become "=prep"
PREPOSITIONS = _word_set(
    "about above across after against along amid among around as at before behind below "
    "beneath beside between beyond by despite during for from in inside into near of off on "
    "onto out outside over past per since through throughout to toward towards under until "
    "upon versus via with within without"
)
# a phrase ending in one of these is a fragment waiting for a name ("ambassador to")
FUNCTION_WORDS = PREPOSITIONS | _word_set("a an and the or")
MARKERS = ("$", "+", "%", "^")  # PETRARCH's source, target, compound and skip markers
CODE_RE = re.compile(r"\[([^\[\]]*)\]")


# ---- counts --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one output file got: entries written and entries skipped, by reason."""

    written: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    adjusted: Counter[str] = field(default_factory=Counter)  # kept, with a change
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] += n

    def adjust(self, reason: str, n: int = 1) -> None:
        self.adjusted[reason] += n


@dataclass
class Prefixed:
    """A tally whose reasons name what was counted ("pattern line: ...")."""

    tally: Tally
    prefix: str

    def skip(self, reason: str, n: int = 1) -> None:
        self.tally.skip(f"{self.prefix}: {reason}", n)

    def adjust(self, reason: str, n: int = 1) -> None:
        self.tally.adjust(f"{self.prefix}: {reason}", n)


@dataclass
class Conversion:
    """Rows per output file (cells in the file's column order) and the tallies."""

    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())


# ---- words ---------------------------------------------------------------------------------


class Words:
    """English word lists and lemmas from the spaCy model's lemmatizer tables (WordNet's index):
    the same lemmatizer the coder reads lemmas with, so an object lemma written here is the lemma
    the parse gives."""

    def __init__(self) -> None:
        import spacy
        from spacy.tokens import Doc

        from pipelines.coding.version import DEFAULT_MODEL

        nlp = spacy.load(
            DEFAULT_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"]
        )
        self._doc = Doc
        self._vocab = nlp.vocab
        self._lemmatizer = nlp.get_pipe("lemmatizer")
        index = self._lemmatizer.lookups.get_table("lemma_index")
        self.by_pos = {pos: frozenset(index[pos]) for pos in ("noun", "verb", "adj", "adv")}
        self.any = frozenset().union(*self.by_pos.values())
        # words with a sense other than a (possibly proper) noun: "rice", "bush", "concern"
        self.common = self.by_pos["verb"] | self.by_pos["adj"] | self.by_pos["adv"]

    def lemma(self, word: str, pos: str) -> str:
        """The base form of a word as a NOUN or VERB: kept when the word list has it as it is
        ("lay", "arms"), else the lemmatizer's first answer ("rallies" -> "rally")."""
        word = word.lower()
        if word in self.by_pos[pos.lower()]:
            return word
        return self.rule_lemma(word, pos)

    def rule_lemma(self, word: str, pos: str) -> str:
        """The lemmatizer's first answer for a word as a NOUN or VERB ("tigers" -> "tiger")."""
        doc = self._doc(self._vocab, words=[word.lower()], pos=[pos])
        lemmas = self._lemmatizer.rule_lemmatize(doc[0])
        return (lemmas[0] if lemmas else word).lower()


@cache
def english() -> Words:
    return Words()


def plain_words(raw: str) -> list[str]:
    """A PETRARCH name as words: ``_`` and spaces separate, a trailing ``_`` (stop here) goes."""
    cleaned = re.sub(r"[\[\]{}|\t]", " ", raw.replace("_", " "))
    return cleaned.split()


def drop_parenthetical(raw: str) -> str:
    """``ADEN_ISLAMIC_ARMY_(AAIA)_`` -> ``ADEN_ISLAMIC_ARMY_``: a bracketed note or acronym is
    no part of the name as news write it (acronyms news use are listed as synonyms anyway)."""
    return re.sub(r"\([^()]*\)", " ", raw)


def _title_part(part: str, first: bool) -> str:
    lower = part.lower()
    if not first and lower in SMALL_WORDS:
        return lower
    if re.fullmatch(r"[IVX]{2,4}", part):
        return part  # "II", "III"
    if len(part) > 2 and part[1] == "'":
        return part[0].upper() + "'" + part[2:].capitalize()  # O'Neill
    if lower.startswith("mc") and len(part) > 3:
        return "Mc" + part[2:].capitalize()
    return part[:1].upper() + part[1:].lower()


def _title_word(word: str, first: bool) -> str:
    """A word title-cased piece by piece across ``-`` and ``/`` ("Ki-Moon", "EC/Unfpa")."""
    pieces = re.split(r"([-/])", word)
    return "".join(
        piece if piece in ("-", "/", "") else _title_part(piece, first and j == 0)
        for j, piece in enumerate(pieces)
    )


def person_name(raw: str) -> str:
    """``GEORGE_W._BUSH_`` -> "George W. Bush", ``OSAMA_BIN_LADEN`` -> "Osama bin Laden"."""
    out = []
    for i, word in enumerate(plain_words(raw)):
        if re.fullmatch(r"(?:[A-Z]\.)+", word):
            out.append(word)  # initials
            continue
        out.append(_title_word(word, i == 0))
    return " ".join(out)


def organisation_name(raw: str) -> str:
    """An organisation's name: a single short word stays as written (an acronym such as "ETA"
    or "IAEA", matched case-sensitively by the coder); longer names are title-cased, keeping
    short tokens that are no English word in capitals ("UN Department of Peacekeeping")."""
    words = plain_words(raw)
    if len(words) == 1 and len(re.sub(r"[^A-Za-z]", "", words[0])) <= 5:
        return words[0]
    common = english().common
    out = []
    for i, word in enumerate(words):
        letters = re.sub(r"[^A-Za-z]", "", word)
        short = 0 < len(letters) <= 3
        if re.fullmatch(r"(?:[A-Z]\.)+", word) or (
            short and letters.lower() not in common and letters.lower() not in SMALL_WORDS
        ):
            out.append(word)
            continue
        out.append(_title_word(word, i == 0))
    return " ".join(out)


def is_single_common_word(name: str, words: frozenset[str]) -> bool:
    """A one-word name that is also an English word the list has, or the plural of a noun
    ("Tigers"): matched case-insensitively, it would fire on the common word."""
    tokens = name.split()
    if len(tokens) != 1 or is_abbreviation(name):
        return False  # an abbreviation ("CARE", "ETA") is matched only as written
    word = tokens[0].lower().strip(".'")
    if word in words:
        return True
    singular = english().rule_lemma(word, "NOUN")
    return singular != word and singular in english().by_pos["noun"]


# ---- dates ---------------------------------------------------------------------------------


class BadDate(ValueError):
    """A date or date range that cannot be read; the message is the reason counted."""


def parse_day(text: str) -> date:
    """``010307`` -> 2001-03-07 (yy <= 25 is 20yy, else 19yy); ``19270101`` -> 1927-01-01."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise BadDate("malformed date")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= CENTURY_PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate("malformed date") from None


def parse_span(text: str) -> tuple[date | None, date | None, bool]:
    """A PETRARCH date restriction as (from, to, single): ``A-B``, ``>A`` (from), ``<B``
    (until); a lone date is read as a start (``single`` is then true, to count it)."""
    text = text.replace(" ", "")
    if text.startswith(">"):
        return parse_day(text[1:]), None, False
    if text.startswith("<"):
        return None, parse_day(text[1:]), False
    if "-" in text:
        first, _, last = text.partition("-")
        start, end = parse_day(first), parse_day(last)
        if end < start:
            raise BadDate("date range ends before it starts")
        return start, end, False
    return parse_day(text), None, True


# ---- actor files ---------------------------------------------------------------------------


@dataclass
class RawCode:
    code: str  # "ISRGOV", "---" (null), or ""
    span: str  # the date restriction as written, "" when undated


@dataclass
class Block:
    """One entry of a PETRARCH actor file: a name, its ``+`` synonyms and its codes."""

    name: str
    line: int
    inline: bool  # the code stands on the name line ("AFGHANISTAN_ [AFG]")
    synonyms: list[str] = field(default_factory=list)
    codes: list[RawCode] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        return any(c.span for c in self.codes if c.code != "---")


def _codes_on(line: str) -> list[RawCode]:
    found = []
    for content in CODE_RE.findall(line):
        content = content.strip()
        code, _, span = content.partition(" ")
        found.append(RawCode(_legislature(code.strip()), span.strip()))
    return found


def _legislature(code: str) -> str:
    """Phoenix files legislators under the government (USAGOVLEG); CAMEO's role table and the
    project's conventions give the legislature a role of its own (USALEG)."""
    if code[3:9] == "GOVLEG":
        return code[:3] + code[6:]
    return code


def _name_part(line: str) -> str:
    return re.split(r"[\[{]", line, maxsplit=1)[0].strip()


def read_actor_blocks(text: str) -> list[Block]:
    """The entries of an actor file: a name line (codes may follow on it), ``+`` synonym lines,
    and indented ``[CODE dates]`` lines."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            if current is not None:
                name = _name_part(stripped[1:])
                if name:
                    current.synonyms.append(name)
                current.codes.extend(_codes_on(stripped))
            continue
        if line[0] in " \t" and stripped.startswith("["):
            if current is not None:
                current.codes.extend(_codes_on(stripped))
            continue
        codes = _codes_on(stripped)
        current = Block(name=_name_part(stripped), line=number, inline=bool(codes), codes=codes)
        blocks.append(current)
    return [b for b in blocks if b.name]


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(codebook().countries)


@cache
def valid_prefixes() -> frozenset[str]:
    """The first three letters a code may start with: a state, territory or region of the
    codebook, or an international generic actor (IGO, NGO, IMG, INT, MNC, NGM, UIS)."""
    international = {
        code
        for code, row in codebook().roles.items()
        if row.get("tier", "").startswith("international")
    }
    return frozenset({c[:3] for c in _country_codes()} | international)


def code_problem(code: str) -> str:
    """Why a CAMEO actor code cannot be used, or "" when it can."""
    if not re.fullmatch(r"[A-Z]+", code) or len(code) % 3:
        return "malformed actor code"
    if code[:3] not in valid_prefixes():
        return "code does not start with a country, region or international actor"
    if code.startswith("MNC"):
        return "company (MNC): skipped, companies cost precision in news"
    return ""


# ---- people --------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    country: str
    terms: list[str]
    also: list[str]
    source: str


def person_from(
    block: Block, source: str, tally: Tally, horizon: date | None = None
) -> Person | None:
    dated_terms: list[str] = []
    open_terms: list[str] = []
    prefixes: Counter[str] = Counter()
    first_code = ""
    for raw in block.codes:
        if raw.code in ("---", ""):
            continue  # "no code outside the terms": the dated terms say it already
        if raw.code[:3] in _prefix_countries():
            prefixes[raw.code[:3]] += 1
        if not raw.span:
            if raw.code.endswith("ELI"):
                tally.skip("undated ELI code line (outside every term is COUNTRY+ELI already)")
                continue
            problem = code_problem(raw.code)
            if problem:
                tally.skip(f"term: {problem}")
                continue
            open_terms.append(f"{raw.code} /")
            first_code = first_code or raw.code
            continue
        problem = code_problem(raw.code)
        if problem:
            tally.skip(f"term: {problem}")
            continue
        try:
            start, end, single = parse_span(raw.span)
        except BadDate as error:
            tally.skip(f"term: {error}")
            continue
        if single:
            tally.adjust("term with a lone date: read as its start")
        if end is None and horizon is not None and start is not None and start <= horizon:
            end = horizon
            tally.adjust(f"open-ended term closed at the dictionaries' horizon {horizon}")
        dated_terms.append(f"{raw.code} {_iso(start)}/{_iso(end)}")
        first_code = first_code or raw.code
    terms = dated_terms + open_terms
    if not terms:
        tally.skip("person with no usable term")
        return None
    country = prefixes.most_common(1)[0][0] if prefixes else first_code
    name = person_name(drop_parenthetical(block.name))
    also = [person_name(drop_parenthetical(s)) for s in block.synonyms]
    return Person(name, country, _dedupe(terms), _dedupe(also), source)


@cache
def _prefix_countries() -> frozenset[str]:
    return frozenset(c[:3] for c in _country_codes())


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ---- named actors (organisations, groups) ----------------------------------------------------


@dataclass
class Named:
    name: str
    code: str
    also: list[str]
    source: str


def named_from(block: Block, source: str, tally: Tally) -> Named | None:
    codes = [c for c in block.codes if c.code not in ("", "---")]
    if not codes:
        tally.skip("null code [---]" if block.codes else "no code")
        return None
    code = codes[0].code
    if len({c.code for c in codes}) > 1:
        tally.adjust("several undated codes: the first kept")
    if code in _country_codes():
        tally.skip("a country's or territory's own code (countries are curated)")
        return None
    problem = code_problem(code)
    if problem:
        tally.skip(problem)
        return None
    also = [organisation_name(drop_parenthetical(s)) for s in block.synonyms]
    return Named(organisation_name(drop_parenthetical(block.name)), code, _dedupe(also), source)


# ---- collisions and the curated layer ----------------------------------------------------------


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows of one dictionary file as dicts by column (comments and blank lines skipped)."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for raw in path.read_text("utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False)))
    return rows


def _curated(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    return read_table(path) if path.is_file() else []


def curated_phrases(folder: Path | None) -> set[str]:
    """Every name the curated actor files give (casefolded): names, other names, adjectives,
    capitals, role phrases and their plurals, places."""
    if folder is None:
        return set()
    phrases: set[str] = set()
    for row in _curated(folder, "countries.tsv"):
        for column in ("name", "also", "adjectives", "capitals"):
            phrases.update(split_list(row.get(column, "")))
    for name in ("organisations.tsv", "groups.tsv", "people.tsv", "places.tsv"):
        for row in _curated(folder, name):
            phrases.add(row.get("name", ""))
            phrases.update(split_list(row.get("also", "")))
    for row in _curated(folder, "roles.tsv"):
        phrases.add(row["phrase"])
        phrases.update(split_list(row.get("plural", "")) or [plural(row["phrase"])])
    return {p.casefold() for p in phrases if p}


def curated_heads(folder: Path | None) -> set[str]:
    """The lemmas the curated lexicon covers: heads of its verb patterns and its frames."""
    if folder is None:
        return set()
    heads = {row["pattern"].split()[0].casefold() for row in _curated(folder, "verbs.tsv")}
    heads |= {row["lemma"].split()[0].casefold() for row in _curated(folder, "frames.tsv")}
    return heads


def settle_names(
    entries: list, kind: str, tally: Tally, curated: set[str], common: frozenset[str]
) -> list:
    """Make names safe to match: drop names the curated layer already has, one-word names in
    ``common`` and one-word other names that are English words at all (a group's "Organization"),
    other names shared by entries with different codes (ambiguous), names ending in a function
    word, and keep the first entry of a repeated name."""
    any_word = english().any
    owners: dict[str, set[str]] = {}
    for entry in entries:
        identity = _identity(entry)
        for name in [entry.name, *entry.also]:
            owners.setdefault(name.casefold(), set()).add(identity)
    kept = []
    keys: set[str] = set()
    for entry in entries:
        key = entry.name.casefold()
        if key in curated:
            tally.skip(f"{kind} already in the curated dictionaries")
            continue
        if is_single_common_word(entry.name, common):
            tally.skip(f"{kind} named by a single common English word")
            continue
        if key in keys:
            tally.skip(f"repeated {kind} name (first kept)")
            continue
        if not _matchable(entry.name):
            tally.skip(f"{kind} with nothing to match")
            continue
        also = []
        for name in entry.also:
            folded = name.casefold()
            if folded == key or folded in keys:
                continue
            if folded in curated:
                tally.skip("other name already in the curated dictionaries")
            elif is_single_common_word(name, any_word):
                tally.skip("other name: a single English word")
            elif len(owners[folded]) > 1:
                tally.skip("other name shared by entries with different codes (ambiguous)")
            elif not _matchable(name):
                tally.skip("other name with nothing to match")
            else:
                also.append(name)
        entry.also = also
        keys.add(key)
        keys.update(a.casefold() for a in also)
        kept.append(entry)
    return kept


def _identity(entry) -> str:
    """Two entries are the same actor when their codes (a person's: terms) are the same."""
    if isinstance(entry, Person):
        return entry.country + "|" + ";".join(entry.terms)
    return entry.code


def _matchable(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return len(letters) >= 2 and name.split()[-1].lower() not in FUNCTION_WORDS


# ---- roles (agents) ------------------------------------------------------------------------


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


# ---- verbs ---------------------------------------------------------------------------------


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
        lemmas = _dedupe(english().lemma(m, "NOUN") for m in singles)
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


# ---- the whole conversion ------------------------------------------------------------------


def horizon_of(texts: Iterable[str]) -> date | None:
    """The latest date any dated code of the actor files names: what the files knew when they
    were last updated. A term still open then ("in office since") is closed there, since the
    files cannot say who is still in office after it."""
    latest: date | None = None
    for text in texts:
        for block in read_actor_blocks(text):
            for raw in block.codes:
                for digits in re.findall(r"\d+", raw.span):
                    try:
                        day = parse_day(digits)
                    except BadDate:
                        continue
                    latest = day if latest is None or day > latest else latest
    return latest


def review_file() -> Path:
    """Entries of the base layer dropped after review on the dev sets, each with its reason."""
    return package_folder().parent / "petrarch-review.tsv"


def read_review(path: Path) -> dict[tuple[str, str], str]:
    """``file<TAB>key<TAB>reason`` lines (``#`` comments) -> {(file, casefolded key): reason}."""
    review: dict[tuple[str, str], str] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in OUTPUTS or not parts[2].strip():
            raise ValueError(f"{path}, line {number}: expected file, key and reason")
        review[(parts[0], parts[1].casefold())] = parts[2].strip()
    return review


def drop_reviewed(result: Conversion, review: dict[tuple[str, str], str]) -> None:
    for name, rows in result.rows.items():
        kept = []
        for row in rows:
            reason = review.get((name, row[0].casefold()))
            if reason is None:
                kept.append(row)
            else:
                result.tally(name).skip(f"dropped on review: {reason}")
        result.rows[name] = kept


def convert(
    reference: Path,
    curated_folder: Path | None = None,
    keep_open_terms: bool = False,
    review: Path | None = None,
) -> Conversion:
    """Read the sources in ``reference`` and build every output file's rows. ``curated_folder``:
    the curated dictionaries whose names and verbs are left out; ``keep_open_terms``: leave
    "from D" terms open instead of closing them at the files' horizon; ``review``: the entries
    dropped after review (default: the package's petrarch-review.tsv)."""
    missing = [name for name in SOURCES if not (reference / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{reference}: missing {', '.join(missing)}")
    result = Conversion()
    actor_texts = {
        name: (reference / name).read_text("utf-8", errors="replace")
        for name in (INTERNATIONAL_FILE, COUNTRIES_FILE, NONSTATE_FILE)
    }
    horizon = None if keep_open_terms else horizon_of(actor_texts.values())
    if horizon is not None:
        result.tally("people.tsv").notes.append(
            f"horizon (the latest date the actor files name): {horizon.isoformat()}"
        )
    curated = curated_phrases(curated_folder)
    heads = curated_heads(curated_folder)
    words = english()
    people: list[Person] = []
    organisations: list[Named] = []
    groups: list[Named] = []
    tally_people = result.tally("people.tsv")
    tally_orgs = result.tally("organisations.tsv")
    tally_groups = result.tally("groups.tsv")
    tally_countries = result.tally("countries.tsv")

    for source, named_list, named_tally in (
        (INTERNATIONAL_FILE, organisations, tally_orgs),
        (COUNTRIES_FILE, organisations, tally_orgs),
        (NONSTATE_FILE, groups, tally_groups),
    ):
        for block in read_actor_blocks(actor_texts[source]):
            if source == COUNTRIES_FILE and block.inline:
                tally_countries.skip("country or territory entry (countries.tsv is curated)")
                continue
            if block.dated:
                person = person_from(block, source, tally_people, horizon)
                if person is not None:
                    people.append(person)
                continue
            named = named_from(block, source, named_tally)
            if named is not None:
                named_list.append(named)

    people = settle_names(people, "person", tally_people, curated, words.any)
    organisations = settle_names(organisations, "organisation", tally_orgs, curated, words.common)
    groups = settle_names(groups, "group", tally_groups, curated, words.common)

    result.rows["people.tsv"] = _sorted(
        [[p.name, p.country, "; ".join(p.terms), "|".join(p.also)] for p in people]
    )
    result.rows["organisations.tsv"] = _sorted(
        [[o.name, o.code, "|".join(o.also)] for o in organisations]
    )
    result.rows["groups.tsv"] = _sorted([[g.name, g.code, "|".join(g.also), ""] for g in groups])

    tally_roles = result.tally("roles.tsv")
    roles = read_agents((reference / AGENTS_FILE).read_text("utf-8", errors="replace"), tally_roles)
    roles = settle_roles(roles, tally_roles, curated)
    result.rows["roles.tsv"] = _sorted([[r.phrase, r.role, "|".join(r.plural), ""] for r in roles])

    tally_verbs = result.tally("verbs.tsv")
    verbs_text = (reference / VERBS_FILE).read_text("utf-8", errors="replace")
    result.rows["verbs.tsv"] = _sorted(convert_verbs(verbs_text, tally_verbs, heads))

    drop_reviewed(result, read_review(review or review_file()))
    for name, rows in result.rows.items():
        result.tally(name).written = len(rows)
    tally_countries.notes.append(
        "not written: the curated countries.tsv covers every state, and the country entries' "
        "synonyms are largely cities"
    )
    return result


def _sorted(rows: list[list[str]]) -> list[list[str]]:
    return sorted(rows, key=lambda row: (row[0].casefold(), row[0], row[1:]))


# ---- writing -------------------------------------------------------------------------------

OUTPUTS = ("people.tsv", "organisations.tsv", "groups.tsv", "roles.tsv", "verbs.tsv")
FILE_NOTES = {
    "people.tsv": (
        f"{COUNTRIES_FILE} (and the dated entries of the other two actor files)",
        "people with dated codes",
    ),
    "organisations.tsv": (
        f"{INTERNATIONAL_FILE} and the institutions of {COUNTRIES_FILE}",
        "IGOs, NGOs and named national institutions, no companies",
    ),
    "groups.tsv": (NONSTATE_FILE, "non-state armed groups"),
    "roles.tsv": (AGENTS_FILE, "agent nouns and their role"),
    "verbs.tsv": (VERBS_FILE, "verb patterns"),
}


def header(name: str) -> list[str]:
    source, what = FILE_NOTES[name]
    text = f"GENERATED: do not edit. {what[0].upper() + what[1:]}, converted from {source}."
    return [
        *(f"# {line}" for line in textwrap.wrap(text, 96)),
        "# Source: the PETRARCH-2 / Phoenix dictionaries, MIT licence,",
        "# Copyright (c) 2014-2015 Open Event Data Alliance; dictionaries of the Computational",
        f"# Event Data System Project, Parus Analytics. See {LICENCE_FILE} and README.md here.",
        f"# Regenerate with: {COMMAND}",
    ]


def write(result: Conversion, out: Path, reference: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in result.rows.items():
        columns = list(SCHEMAS[name])
        lines = [*header(name), "\t".join(columns)]
        lines += ["\t".join(_cell(c) for c in row).rstrip("\t") for row in rows]
        (out / name).write_text("\n".join(lines) + "\n", "utf-8")
    licence = reference / LICENCE_FILE
    if licence.is_file():
        shutil.copyfile(licence, out / LICENCE_FILE)
    (out / "README.md").write_text(readme(result), "utf-8")


def _cell(text: str) -> str:
    return re.sub(r"[\t\r\n]", " ", text).strip()


def readme(result: Conversion) -> str:
    lines = [
        "# Base layer: the PETRARCH-2 / Phoenix dictionaries",
        "",
        "GENERATED: do not edit. `people.tsv`, `organisations.tsv`, `groups.tsv`, `roles.tsv` and",
        "`verbs.tsv` in this folder are converted from the PETRARCH-2 / Phoenix dictionaries",
        f"({LICENCE_LINE}; the licence is in `{LICENCE_FILE}`) by `pipelines/coding/petrarch.py`.",
        "Other generated files here (a gazetteer `places.tsv`, say) come from their own build",
        "tools and say so in their headers. Regenerate these five with:",
        "",
        "```",
        f".venv/bin/{COMMAND}    # from the repository root",
        "```",
        "",
        "The coder loads this folder first and the curated files in `pipelines/data/dictionaries/`",
        "over it: a curated entry replaces a base entry with the same key. Names and verbs the",
        "curated files already use were left out here (counted below), so that a base entry never",
        "shadows a curated one under another key; regenerate after changing the curated files.",
        'See docs/dictionaries.md, section "Base layer", for the rules.',
        "",
        "| file | from | what | entries |",
        "|---|---|---|---|",
    ]
    for name in OUTPUTS:
        source, what = FILE_NOTES[name]
        lines.append(f"| `{name}` | `{source}` | {what} | {result.tally(name).written} |")
    lines += [
        "",
        "Not converted: `countries.tsv` (the curated file covers every state; the country",
        "entries' synonyms are mostly cities), `Phoenix.discards.txt` (years and phrases such as",
        "'weeks ago' or 'champion' would put ordinary news out of scope; `discards.tsv` is the",
        "project's own), companies (`[MNC...]` codes: they cost precision in news), and the block",
        "default codes of `CAMEO.2.0.txt` (`--- EXPLAIN_VERBAL [010] ---` would code every 'said'",
        "010 and `--- DIE [190] ---` every death 190; only a verb's own code becomes a bare",
        "pattern).",
        "",
        "How entries were converted (docs/dictionaries.md has the details):",
        "",
        "- names: `_` becomes a space, title-cased (`GEORGE_W._BUSH_` -> George W. Bush); a",
        "  one-word name of up to five letters stays as written (an abbreviation, matched as",
        "  written); bracketed notes are dropped; `+` lines become `also`;",
        "- dates: `YYMMDD` with yy <= 25 read as 20yy, else 19yy; `>D` from, `<D` until;",
        "  undated `ELI` lines dropped (outside every term a person is COUNTRY+ELI); other",
        "  undated codes kept as an open term; a term still open on the files' last date",
        "  (their horizon) is closed there;",
        "- roles: `[~GOVPTY]` keeps its first role (GOV); roles outside `actor_roles.tsv`",
        "  (religions) are skipped; `!SET!` substitutions expanded, `{}` means no plural;",
        "- verbs: every pattern of a block applies to every verb of the block; `* WORD`",
        "  -> object lemma; `* {MULTI WORD}` -> its last word; `* &SET` -> the set's one-word",
        "  members joined by `|`; `* (PREP)` -> `=prep @prep` (PETRARCH requires the",
        "  preposition; `@prep` alone would not); `[042:043]` -> `042` with `converse=043`;",
        "  a 4-digit code not in the codebook -> its 3-digit parent; `+CARRY_OUT` -> particle",
        "  `carry out`, `+ASK_FOR` -> `ask =for`, `+TAKE_LEAVE` -> object `take leave`;",
        "- review: entries that cost precision on the dev gold sets are listed, each with its",
        "  reason, in `pipelines/data/petrarch-review.tsv` and left out (counted below).",
        "",
        "## Skipped and adjusted, by reason",
    ]
    for name in ("countries.tsv", *FILE_NOTES):
        tally = result.tally(name)
        if not tally.skipped and not tally.notes:
            continue
        lines += ["", f"### `{name}`", ""]
        lines += [f"- {note}" for note in tally.notes]
        for reason, count in sorted(tally.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"- {reason}: {count}")
        for reason, count in sorted(tally.adjusted.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"- kept, adjusted: {reason}: {count}")
    return "\n".join(lines) + "\n"


def summary(result: Conversion) -> str:
    parts = []
    for name in OUTPUTS:
        tally = result.tally(name)
        parts.append(f"{name}: {tally.written} written, {sum(tally.skipped.values())} skipped")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.coding.petrarch",
        description="Convert the PETRARCH-2 / Phoenix dictionaries into dyadflow's base layer.",
    )
    parser.add_argument("reference", type=Path, help="folder with CAMEO.2.0.txt and Phoenix.*")
    parser.add_argument(
        "--out", type=Path, default=None, help="default: pipelines/data/dictionaries/base"
    )
    parser.add_argument(
        "--curated",
        type=Path,
        default=None,
        help="curated folder whose names and verbs the base layer leaves out "
        "(default: the package's dictionaries folder)",
    )
    parser.add_argument(
        "--no-curated", action="store_true", help="keep names and verbs the curated files use"
    )
    parser.add_argument(
        "--keep-open-terms",
        action="store_true",
        help="leave 'from D' terms open instead of closing them at the files' last date",
    )
    args = parser.parse_args(argv)
    out = args.out or base_folder()
    curated = None if args.no_curated else (args.curated or package_folder())
    result = convert(args.reference, curated, keep_open_terms=args.keep_open_terms)
    write(result, out, args.reference)
    print(summary(result))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
