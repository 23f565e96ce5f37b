"""Dictionary matching on a parsed Doc: the dictionaries become two spaCy PhraseMatchers
(case-insensitive for names, case-sensitive for all-capital abbreviations such as "US" or "UN",
which would otherwise match "us" or "un"), run once per Doc in ``ActorTagger.tag`` with every
match stored under the tokens it covers. ``plural`` and ``is_abbreviation`` are the rules by which
a dictionary phrase is matched; the base-layer build tool applies the same ones."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipelines.coding.actor_entries import (
    ADJECTIVE,
    AGENT,
    CAPITAL,
    COUNTRY,
    GROUP,
    ORGANISATION,
    PERSON,
    PLACE,
    ROAMING,
    ROLE,
    WEAPON,
    DocActors,
    Entry,
    Match,
    Term,
)
from pipelines.coding.dictionary_files import DictionarySet, split_list

_PLAIN = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)*$")  # words the tokenizer splits on spaces only


def plural(word: str) -> str:
    """A phrase's regular English plural, made on its last word ("prime minister" -> "prime
    ministers"): the plural a role phrase gets when its file lists none."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def _parse_terms(cell: str) -> tuple[Term, ...]:
    terms = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        code, _, span = part.partition(" ")
        start_text, _, end_text = span.strip().partition("/")
        terms.append(
            Term(
                code=code,
                start=date.fromisoformat(start_text) if start_text else None,
                end=date.fromisoformat(end_text) if end_text else None,
            )
        )
    return tuple(terms)


def is_abbreviation(phrase: str) -> bool:
    """An all-capital phrase of up to five letters ("US", "ETA"): matched only as written."""
    # cheap tests first: this runs for every phrase of every dictionary
    if len(phrase) > 12 or not phrase.isupper():
        return False
    return sum(ch.isalpha() for ch in phrase) <= 5


class ActorTagger:
    """Dictionary entries as PhraseMatchers over a shared vocab; built once per coder."""

    def __init__(self, vocab: Vocab, dictionaries: DictionarySet) -> None:
        self.vocab = vocab
        self.phrases: dict[str, list[Entry]] = {}
        self._collect(dictionaries)
        # Tens of thousands of phrases (people, places): the matchers take each phrase as the
        # hashes of its tokens, which are the same in every vocab, so no Doc and no lexeme is
        # built for it (building them would be most of the coder's load time). A phrase of plain
        # words splits on spaces as the tokenizer would split it; any other goes through the
        # tokenizer. One key a matcher; a match's tokens find its phrase again.
        from spacy.lang.en import English

        scratch = English(vocab=Vocab(lex_attr_getters={LOWER: str.lower})).tokenizer
        exceptions = set(scratch.rules or ())
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self._lower_phrases: dict[tuple[str, ...], str] = {}
        self._exact_phrases: dict[tuple[str, ...], str] = {}

        def words_of(phrase: str) -> tuple[str, ...]:
            words = phrase.split()
            if _PLAIN.match(phrase) and exceptions.isdisjoint(words):
                return tuple(words)
            return tuple(t.text for t in scratch(phrase))

        lower_keys: list[list[int]] = []
        exact_keys: list[list[int]] = []
        for key in self.phrases:
            words = words_of(key)
            if not words:
                continue
            if is_abbreviation(key) or self._case_sensitive(key):
                exact_keys.append([hash_string(w) for w in words])
                self._exact_phrases.setdefault(words, key)
            else:
                lowered = tuple(w.lower() for w in words)
                lower_keys.append([hash_string(w) for w in lowered])
                self._lower_phrases.setdefault(lowered, key)
        if lower_keys:
            self.lower.add("LOWER", lower_keys)
        if exact_keys:
            self.exact.add("EXACT", exact_keys)
        self.discards = PhraseMatcher(vocab, attr="LOWER")
        phrases = [row["phrase"] for row in dictionaries.table("discards.tsv").values()]
        if phrases:
            self.discards.add(
                "DISCARD", [[hash_string(w.lower()) for w in words_of(p)] for p in phrases]
            )

    def _case_sensitive(self, phrase: str) -> bool:
        # places are matched as written: many share a spelling with common words
        return all(entry.kind == PLACE for entry in self.phrases[phrase])

    def _add(self, phrase: str, entry: Entry) -> None:
        phrase = phrase.strip()
        if not phrase:
            return
        key = phrase if (is_abbreviation(phrase) or entry.kind == PLACE) else phrase.casefold()
        bucket = self.phrases.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def _collect(self, dictionaries: DictionarySet) -> None:
        for row in dictionaries.table("countries.tsv").values():
            code = row["code"]
            for name in [row["name"], *split_list(row.get("also", ""))]:
                self._add(name, Entry(COUNTRY, code, name))
            for adjective in split_list(row.get("adjectives", "")):
                self._add(adjective, Entry(ADJECTIVE, code, adjective))
            for capital in split_list(row.get("capitals", "")):
                self._add(capital, Entry(CAPITAL, code, capital))
        for table, kind in (("organisations.tsv", ORGANISATION), ("groups.tsv", GROUP)):
            for row in dictionaries.table(table).values():
                roams = row.get("roams", "").strip().lower() in ("yes", "true", "1")
                entry = Entry(ROAMING if roams else kind, row["code"], row["name"])
                for name in [row["name"], *split_list(row.get("also", ""))]:
                    self._add(name, entry)
        for row in dictionaries.table("people.tsv").values():
            entry = Entry(PERSON, row["country"], row["name"], terms=_parse_terms(row["terms"]))
            for name in [row["name"], *split_list(row.get("also", ""))]:
                self._add(name, entry)
        self.role_codes = frozenset(
            {row["role"][:3] for row in dictionaries.table("roles.tsv").values()}
            - {"IGO", "NGO", "IMG"}
            | {"GOV", "MIL", "COP", "REB", "OPP", "JUD", "LEG", "MED", "BUS", "REF", "CVL"}
            | {"SPY", "SEP", "CRM", "LAB", "EDU", "HLH", "AGR", "ELI", "INS", "UAF", "DEV"}
        )
        for row in dictionaries.table("roles.tsv").values():
            role = row["role"]
            phrase = row["phrase"]
            kind = {"*": AGENT, "~": WEAPON}.get(role, ROLE)
            code = role if kind == ROLE else ""
            entry = Entry(kind, code, phrase, weapon=row.get("weapon", ""))
            plurals = split_list(row.get("plural", "")) or [plural(phrase)]
            for form in [phrase, *plurals]:
                self._add(form, entry)
        named = {key.casefold() for key in self.phrases}
        for row in dictionaries.table("places.tsv").values():
            for name in [row["name"], *split_list(row.get("also", ""))]:
                bare = name.casefold().removeprefix("the ")
                if bare in named or name.casefold() in named:
                    continue  # a country or organisation by another name, not a place in it
                self._add(
                    name, Entry(PLACE, row["country"], row["name"], place_kind=row.get("kind", ""))
                )

    def tag(self, doc: Doc) -> DocActors:
        """Longest non-overlapping matches, each stored under every token it covers."""
        found = []
        for _, start, end in self.lower(doc):
            words = tuple(doc[i].lower_ for i in range(start, end))
            found.append((start, end, self._lower_phrases[words]))
        for _, start, end in self.exact(doc):
            words = tuple(doc[i].text for i in range(start, end))
            found.append((start, end, self._exact_phrases[words]))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        result = DocActors(role_codes=self.role_codes)
        countries: Counter[str] = Counter()
        for start, end, key in found:
            if not taken.isdisjoint(range(start, end)):
                continue
            entries = self.phrases.get(key) or self.phrases.get(key.casefold()) or []
            span_entries = _plausible(doc, start, end, entries)
            if not span_entries:
                continue
            taken.update(range(start, end))
            root = start if end - start == 1 else doc[start:end].root.i
            match = Match(start, end, root, tuple(span_entries))
            for i in range(start, end):
                result.by_token[i] = match
            country = match.first(COUNTRY, ADJECTIVE, CAPITAL, PLACE)
            if country is not None:
                countries[country.code[:3]] += 1
        if countries:
            result.main_country = countries.most_common(1)[0][0]
        for _key, start, _end in self.discards(doc):
            result.discards.add(start)
        return result


def _plausible(doc: Doc, start: int, end: int, entries: list[Entry]) -> list[Entry]:
    """Drop readings that the part of speech rules out (a role must be a noun)."""
    if all(entry.kind not in (ROLE, AGENT, WEAPON) for entry in entries):
        return entries
    root = doc[start] if end - start == 1 else doc[start:end].root
    kept = []
    for entry in entries:
        # "military" and "intelligence" as modifiers still give a role
        adjective_role = root.pos_ == "ADJ" and entry.code in ("MIL", "GOV", "SPY", "REB")
        if (
            entry.kind in (ROLE, AGENT)
            and root.pos_ not in ("NOUN", "PROPN")
            and not adjective_role
        ):
            continue
        kept.append(entry)
    return kept
