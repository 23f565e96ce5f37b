"""Actor recognition on a parsed Doc: dictionary matches, then noun-phrase composition.

The dictionaries become two spaCy PhraseMatchers (case-insensitive for names, case-sensitive
for all-capital abbreviations such as "US" or "UN", which would otherwise match "us" or "un").
Matches are run once per Doc in ``ActorTagger.tag`` and stored per token; ``resolve`` then reads
a noun phrase from the parse and composes a CAMEO code from its parts: a country (from a name,
adjective, demonym, capital, person, organisation or place) and a role ("Mali's military
chiefs" -> MLI + MIL).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from pipelines.coding.dictionary_files import DictionarySet, split_list

# kinds of dictionary entry, and what they give a noun phrase
COUNTRY = "country"  # a country's name: the country itself
ADJECTIVE = "adjective"  # "Nigerien", "Malians": the country (a modifier, or its people)
CAPITAL = "capital"  # "Kyiv", "the Kremlin": the government when it acts, else the country
ORGANISATION = "organisation"  # a full code: IGOs, named institutions
GROUP = "group"  # non-state armed groups: a full code
PERSON = "person"  # a dated code for the article's date
ROLE = "role"  # agent nouns: a role code
AGENT = "agent"  # person nouns without a role of their own (spokesman)
ROAMING = "roaming"  # a group fighting in several countries: coded to the one it acts in
WEAPON = "weapon"  # a weapon as the subject of violence ("a car bomb killed"): no actor of its own
PLACE = "place"  # gazetteer: a city or region, placing events and giving roles a country

# the kinds that give a full code alone
FULL_CODE_KINDS = (ORGANISATION, GROUP, ROAMING, PERSON)
# modifiers of a noun phrase that may carry its country or role
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod", "nn"})
# a modifier coordinated under one of these also modifies the head ("of Japan, China and Korea")
CONJ_HOSTS = MODIFIER_DEPS | {"pobj", "appos", "conj"}
# heads whose own role gives way to a more telling modifier ("intelligence officer" SPY)
GENERIC_AGENTS = frozenset({"officer", "official", "officials", "agent", "member", "personnel"})
ARMED_MODIFIERS = frozenset({"armed", "masked", "hooded", "heavily-armed"})
# heads that stand for the people their modifiers name ("a militant group", "rebel movement")
COLLECTIVES = frozenset(
    {"group", "organisation", "organization", "movement", "faction", "cell", "network", "wing"}
)
ROLE_PRIORITY = ("GOV", "MIL", "COP", "SPY", "REB", "SEP", "OPP", "JUD", "LEG")


@dataclass(frozen=True)
class Term:
    code: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Entry:
    kind: str
    code: str  # country code, role code, or full actor code
    name: str
    terms: tuple[Term, ...] = ()  # people only
    place_kind: str = ""
    weapon: str = ""  # the event code the means implies ("warplanes struck": 195)

    def code_on(self, day: date) -> str | None:
        """A person's code on a day: the term that covers it, else the country's elite."""
        if not self.terms:
            return self.code
        for term in self.terms:
            # the last day counts: a president who resigns that day resigns as president
            if (term.start is None or term.start <= day) and (term.end is None or day <= term.end):
                return term.code
        return f"{self.code}ELI" if self.code and not self.code.startswith("IGO") else None


@dataclass
class Match:
    """A dictionary match in a Doc: tokens [start, end), with its syntactic root."""

    start: int
    end: int
    root: int
    entries: tuple[Entry, ...]

    def first(self, *kinds: str) -> Entry | None:
        for entry in self.entries:
            if entry.kind in kinds:
                return entry
        return None

    def full_code_entry(self, day: date) -> Entry | None:
        """The entry that gives a full code: an organisation or group, else of the people a
        name may be ("Bush" in 2004 and in 1990), the one in office on the day."""
        entries = [e for e in self.entries if e.kind in FULL_CODE_KINDS]
        people = [e for e in entries if e.kind == PERSON]
        for entry in people:
            code = entry.code_on(day)
            if code and not code.endswith("ELI"):
                return entry
        return entries[0] if entries else None


@dataclass(frozen=True)
class Actor:
    code: str
    start: int  # token offsets in the Doc, [start, end)
    end: int
    head: int
    how: str  # "name", "role+country", "pronoun", ... (feeds the confidence and the rule)
    country: str = ""
    role: str = ""
    weapon: str = ""  # an event code the actor's means imply ("drones" 1952)


@dataclass
class DocActors:
    """Per-Doc results: matches by token, and the article's main country."""

    by_token: dict[int, Match] = field(default_factory=dict)  # every covered token -> match
    main_country: str = ""
    dateline_country: str = ""  # where the story is filed from, when its dateline says
    discards: set[int] = field(default_factory=set)  # tokens of out-of-scope phrases
    role_codes: frozenset[str] = frozenset()  # codes that are roles, never countries


_PLAIN = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)*$")  # words the tokenizer splits on spaces only


def _plural(word: str) -> str:
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


def _is_abbreviation(phrase: str) -> bool:
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
        # built for it (building them was most of the coder's load time). A phrase of plain
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
            if _is_abbreviation(key) or self._case_sensitive(key):
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
        key = phrase if (_is_abbreviation(phrase) or entry.kind == PLACE) else phrase.casefold()
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
            plurals = split_list(row.get("plural", "")) or [_plural(phrase)]
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


class ActorResolver:
    """Reads actor codes off noun phrases of one Doc."""

    def __init__(
        self, doc: Doc, tagged: DocActors, day: date, agent_nouns: frozenset[str] = frozenset()
    ) -> None:
        self.doc = doc
        self.tagged = tagged
        self.day = day
        # nouns whose "of" names their victim, not their country ("the kidnappers of two
        # French reporters" are not French)
        self.agent_nouns = agent_nouns
        self.role_codes = tagged.role_codes
        # the same phrase is asked about again and again (as doer, as antecedent, for its
        # country): resolve each reading once per Doc
        self._memo: dict[tuple[int, bool, bool], list[Actor]] = {}

    def match(self, token: Token) -> Match | None:
        return self.tagged.by_token.get(token.i)

    def place_of(self, token: Token) -> Entry | None:
        """A place reading of a token (gazetteer city/region, country or capital)."""
        match = self.match(token)
        if match is None:
            return None
        return match.first(PLACE, COUNTRY, CAPITAL)

    def resolve(
        self, token: Token, as_target: bool = False, as_target_of_force: bool = False
    ) -> list[Actor]:
        """The actor(s) a noun phrase headed by ``token`` names, or [] when it names none.

        Several actors when a modifier is coordinated ("French and Egyptian warships"). As a
        target, a thing stands for its owner ("Iran's nuclear site", "Morocco's plan"); as the
        target of force, a capital is the city, not the government.
        """
        as_target = as_target or as_target_of_force
        key = (token.i, as_target, as_target_of_force)
        if key not in self._memo:
            self._memo[key] = self._resolve(token, as_target, as_target_of_force)
        return self._memo[key]

    def _resolve(self, token: Token, as_target: bool, as_target_of_force: bool) -> list[Actor]:
        head_match = self.match(token)
        if head_match is not None and head_match.root != token.i:
            # a token inside a multi-word name: the name's root speaks for it
            token = self.doc[head_match.root]
        parts = self._parts(token)
        countries: list[tuple[str, int]] = []
        role = ""
        full: str | None = None
        how = ""
        head_kind = ""
        weapon = ""
        head_phrase = ""
        lo, hi = token.i, token.i + 1
        head_match = self.match(token)
        if head_match is not None:
            lo, hi = min(lo, head_match.start), max(hi, head_match.end)
            full_entry = head_match.full_code_entry(self.day)
            if full_entry is not None:
                code = full_entry.code_on(self.day)
                if code:
                    full, how, head_kind = code, full_entry.kind, full_entry.kind
            if full is None:
                entry = head_match.first(COUNTRY, CAPITAL, ADJECTIVE, ROLE, AGENT, WEAPON, PLACE)
                if entry is not None:
                    head_kind = entry.kind
                    weapon = entry.weapon
                    if entry.kind == CAPITAL:
                        if as_target_of_force:
                            countries.append((entry.code, token.i))
                        else:
                            full, how = entry.code + "GOV", "capital"
                    elif entry.kind in (COUNTRY, ADJECTIVE, PLACE):
                        countries.append((entry.code, token.i))
                    elif entry.kind == ROLE:
                        role = entry.code
                        head_phrase = entry.name
        modifier_roles: list[str] = []
        for part in parts:
            match = self.match(part)
            if match is None or part.i == token.i:
                continue
            if head_match is not None and match is head_match:
                continue
            lo, hi = min(lo, match.start, part.i), max(hi, match.end, part.i + 1)
            entry = match.full_code_entry(self.day)
            # "Kenyan officers of a UN-backed mission" are Kenyan: a country on the phrase
            # itself outranks a name further out
            direct_country = any(
                p.dep_ in ("amod", "compound", "poss") and p.head.i == token.i
                for p in parts
                if (m := self.match(p)) is not None and m.first(COUNTRY, ADJECTIVE, CAPITAL)
            )
            if entry is not None and full is None and not (direct_country and part.dep_ == "pobj"):
                code = entry.code_on(self.day)
                # "UN investigators" are the UN; "Kremlin officials" are Russia's government
                if code and (not role or code.startswith(("IGO", "NGO", "IMG"))):
                    full, how = code, entry.kind
                elif code:
                    countries.append((code[:3], part.i))
                continue
            entry = match.first(COUNTRY, ADJECTIVE, CAPITAL, PLACE)
            if entry is not None:
                countries.append((entry.code, part.i))
                continue
            entry = match.first(ROLE, WEAPON)
            if entry is not None:
                if entry.kind == ROLE:
                    modifier_roles.append(entry.code)
                weapon = weapon or entry.weapon
        former = any(
            c.lower_ in ("former", "ex", "late", "deposed", "ousted") and c.dep_ == "amod"
            for part in [token, *parts]
            for c in part.children
        )
        if full is not None:
            if role and full[:3] != role and len(full) == 3:
                full = full + role
            if how == PERSON and full.endswith("ELI") and "GOV" in (role, *modifier_roles):
                # "new President Yudhoyono" on a date his term has not reached in the
                # dictionary: the title the text gives him wins, unless it says "former"
                full = full[:3] + ("ELI" if former else "GOV")
            return [Actor(full, lo, hi, token.i, how or "name", weapon=weapon)]
        if modifier_roles and (not role or head_phrase in GENERIC_AGENTS):
            # "an intelligence officer" is a spy, "army officials" soldiers
            role = _best_role(modifier_roles)
        if role in ("GOV", "") and former:
            role = "ELI"  # "former prime minister Najib Razak": an elite, out of office
        if role in ("", "CVL") and any(
            c.lower_ in ARMED_MODIFIERS and c.dep_ == "amod" for c in token.children
        ):
            role = "REB"  # "five armed Palestinians", "masked gunmen": fighters, not civilians
        if weapon and countries and not role:
            role = "MIL"  # "Russian missiles", "a Ukrainian drone attack": the state's military
        if not countries and not role:
            return []
        if head_kind == "" and token.pos_ == "NOUN" and not countries and as_target_of_force:
            return []  # "struck military targets": things, not actors
        if (
            head_kind == ""
            and token.pos_ == "NOUN"
            and not countries
            and not as_target_of_force
            and token.lemma_.lower() not in COLLECTIVES
        ):
            # "funding for a hospital project", "a school that ...": a thing a role word
            # modifies is no actor, unless violence hits it ("attacked a police station"); a
            # collective is its members ("a militant group")
            return []
        if head_kind == "" and not role and token.pos_ != "PROPN" and not as_target:
            # "Nigerian oil" is no actor; but "Iran's nuclear site" is what a strike hits
            return []
        if head_kind == PLACE and not role and not as_target:
            return []
        if not countries:
            return [Actor(role, lo, hi, token.i, "role", role=role, weapon=weapon)]
        codes = []
        for country, _ in countries:
            code = country + role if not (role and country.endswith(role)) else country
            if code not in codes:
                codes.append(code)
        how = "country" if not role else "role+country"
        if head_kind == ADJECTIVE and not role and token.pos_ in ("NOUN", "PROPN"):
            how = "people"  # "Georgians", "the Malians": the people, not the state
        # a coordinated modifier ("French and Egyptian warships") gives one actor each;
        # otherwise the nearest country to the head wins ("Kyiv's intelligence chief")
        if len(codes) > 1 and not _coordinated([i for _, i in countries], self.doc):
            nearest = min(countries, key=lambda c: abs(c[1] - token.i))[0]
            codes = [nearest + role if not nearest.endswith(role) or not role else nearest]
        return [
            Actor(code, lo, hi, token.i, how, country=code[:3], role=role, weapon=weapon)
            for code in codes
        ]

    def _parts(self, token: Token) -> list[Token]:
        """The head's modifiers that can carry a country or role, with coordinated modifiers,
        "of" objects ("the government of Mali") and appositions ("Abiy Ahmed, Ethiopia's
        prime minister")."""
        parts: list[Token] = []
        stack = [(token, 0)]
        while stack:
            current, depth = stack.pop()
            for child in current.children:
                if child.dep_ in MODIFIER_DEPS or (
                    child.dep_ == "conj" and current.i != token.i and current.dep_ in CONJ_HOSTS
                ):
                    parts.append(child)
                    if depth < 3:
                        stack.append((child, depth + 1))
                elif (
                    child.dep_ == "prep"
                    and child.lower_ in ("of", "from")
                    and depth == 0
                    and not (child.lower_ == "of" and token.lemma_.lower() in self.agent_nouns)
                ):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            parts.append(pobj)
                            stack.append((pobj, depth + 1))
                elif child.dep_ == "appos" and depth == 0:
                    parts.append(child)
                    stack.append((child, depth + 1))
        return parts


def _coordinated(indices: list[int], doc: Doc) -> bool:
    tokens = [doc[i] for i in indices]
    return any(t.dep_ == "conj" for t in tokens)


def _best_role(roles: list[str]) -> str:
    for role in ROLE_PRIORITY:
        if role in roles:
            return role
    return roles[0]
