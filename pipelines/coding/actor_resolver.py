"""Actor codes read off a noun phrase of a parsed Doc: the phrase is read from the parse and a
CAMEO code composed from its parts, a country (from a name, adjective, demonym, capital, person,
organisation or place) and a role ("Mali's military chiefs" -> MLI + MIL)."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Token

from pipelines.coding.actor_entries import (
    ADJECTIVE,
    AGENT,
    CAPITAL,
    COUNTRY,
    PERSON,
    PLACE,
    ROLE,
    WEAPON,
    Actor,
    DocActors,
    Entry,
    EntryKind,
    Match,
)

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
        head_kind: EntryKind | None = None  # the kind of entry the head word is
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
        if head_kind is None and token.pos_ == "NOUN" and not countries and as_target_of_force:
            return []  # "struck military targets": things, not actors
        if (
            head_kind is None
            and token.pos_ == "NOUN"
            and not countries
            and not as_target_of_force
            and token.lemma_.lower() not in COLLECTIVES
        ):
            # "funding for a hospital project", "a school that ...": a thing a role word
            # modifies is no actor, unless violence hits it ("attacked a police station"); a
            # collective is its members ("a militant group")
            return []
        if head_kind is None and not role and token.pos_ != "PROPN" and not as_target:
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
