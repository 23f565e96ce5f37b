"""Who does an act and to whom: the doer and receiver tokens the parse gave, resolved to actor
codes, with what stands in when the parse names none (what a pronoun or counted noun refers to,
``references.py``; a role's country from its phrase, place or article; the doer of an act a noun
names; the state of the place for an agentless state act; a target left to context)."""

from __future__ import annotations

from spacy.tokens import Token

from pipelines.codebook import is_force, is_violent, root_of
from pipelines.coding import grammar
from pipelines.coding.actor_entries import (
    ROAMING,
    ROLE,
    WEAPON,
    Actor,
)
from pipelines.coding.candidate import Candidate, CandidateKind
from pipelines.coding.context import SentenceContext
from pipelines.coding.phrases import through_quantity
from pipelines.coding.places import (
    PLACE_PREPS,
    noun_place_country,
    place_country,
    place_of,
    place_reading,
)
from pipelines.coding.references import (
    PRONOUNS,
    antecedent,
    counted_actors,
    listed_before,
)
from pipelines.coding.triggers import names_actor, noun_doers

# the code of a doer the text does not name: the mention is one-sided, its source_actor None
UNNAMED = ""


def actors_of(
    ctx: SentenceContext, tokens: list[Token], candidate: Candidate, as_target: bool
) -> list[Actor]:
    force = as_target and is_force(candidate.code)
    actors: list[Actor] = []
    expanded: list[Token] = []
    for token in tokens:
        inner = through_quantity(token, ctx.lexicon.words)
        # "dozens of Malian soldiers and Russian mercenaries": each of the people
        group = grammar.conjuncts(inner) if inner.i != token.i else [token]
        group += listed_before(ctx, token)
        expanded.extend(t for t in group if t not in expanded)
    for token in expanded:
        counted = counted_actors(ctx, token)
        if counted:
            actors.extend(counted)
            continue
        place_like = as_target and token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPS
        found = ctx.resolver.resolve(
            token, as_target=as_target, as_target_of_force=force or place_like
        )
        if not found and as_target:
            found = indirect_target(ctx, token, candidate, force)
        if not found and token.pos_ == "PRON" and token.lower_ in PRONOUNS:
            found = antecedent(ctx, token, candidate)
        elif (
            not found
            and token.lemma_.lower() in ctx.lexicon.words["country_nouns"]
            and any(c.lower_ == "the" for c in token.children)
        ):
            found = antecedent(ctx, token, candidate, countries_only=True)
        military_site = force and token.lemma_.lower() in ctx.lexicon.words["military_sites"]
        for actor in found:
            if military_site and len(actor.code) == 3 and actor.code.isalpha():
                # "attacked a U.S. convoy": a country's convoy or base is its military
                actor = Actor(actor.code + "MIL", actor.start, actor.end, actor.head, actor.how)
            if actor.how == ROAMING:
                # "JNIM ... near Djibo": the group as the branch in the country it acts in
                country = noun_place_country(ctx, token) or place_country(ctx, candidate)
                if country and country.isalpha() and len(country) == 3:
                    actor = Actor(country + "REB", actor.start, actor.end, actor.head, "name")
            if (
                as_target
                and candidate.object_target
                and actor.role == actor.code
                and not is_force(candidate.code)
            ):
                continue  # "expelled diplomats": only a named country makes them a target
            if len(actor.code) == 3 and actor.role == actor.code:
                # a role with no country: its possessor ("its police"), the place the
                # sentence gives, else the article's main country
                owner = possessor_country(ctx, token, candidate)
                from_story = False
                if actor.weapon and actor.role == "MIL":
                    # equipment ("tanks", "fighter jets") is a military only when its own
                    # phrase says whose: the story's country is no owner of every tank in it
                    country = owner or noun_place_country(ctx, token)
                else:
                    country = (
                        owner or noun_place_country(ctx, token) or place_country(ctx, candidate)
                    )
                    from_story = not country
                    country = (
                        country
                        # a victim with no country of its own: of the country the story is
                        # filed from, else the doer's compatriot ("M23 rebels killed 140
                        # civilians"; not so U.S. forces killing militiamen in a Baghdad story)
                        or ctx.tagged.dateline_country
                        or (
                            doer_country(ctx, candidate)
                            if as_target and is_force(candidate.code)
                            else ""
                        )
                        or ctx.tagged.main_country
                    )
                if not country:
                    continue
                # "Algeria recalled its ambassador": the doer's own agent is no target
                own = as_target and owner and owner in source_countries(ctx, candidate)
                actor = Actor(
                    country + actor.role,
                    actor.start,
                    actor.end,
                    actor.head,
                    "own" if own else ("role+story" if from_story else "role+context"),
                    country=country,
                    role=actor.role,
                    weapon=actor.weapon,
                )
            actors.append(actor)
    # a role that found no country is no actor ("police" with nothing to place them)
    return [a for a in actors if a.code[:3] not in ctx.role_codes]


def doer_country(ctx: SentenceContext, candidate: Candidate) -> str:
    """A victim with no country of its own, in a sentence that names no place, is most likely
    the doer's compatriot ("M23 rebels killed 140 civilians")."""
    for token in candidate.sources:
        for actor in ctx.resolver.resolve(through_quantity(token, ctx.lexicon.words)):
            if actor.code == actor.role:
                continue  # a role with no country of its own
            country = actor.code[:3]
            if country.isalpha() and not actor.code.startswith(("IGO", "NGO", "IMG")):
                return country
    return ""


def source_countries(ctx: SentenceContext, candidate: Candidate) -> set[str]:
    countries = set()
    for token in candidate.sources:
        for actor in ctx.resolver.resolve(through_quantity(token, ctx.lexicon.words)):
            countries.add(actor.code[:3])
    return countries


def possessor_country(ctx: SentenceContext, token: Token, candidate: Candidate) -> str:
    if token.dep_ == "conj" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children):
        # "Bashar al-Assad and his family": the family is Assad's
        found = ctx.resolver.resolve(token.head)
        if found and found[0].code[:3] not in ctx.role_codes:
            return found[0].code[:3]
    for child in token.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            found = antecedent(ctx, child, candidate)
            if found and found[0].code[:3] not in ctx.role_codes:
                return found[0].code[:3]
    return ""


def indirect_target(
    ctx: SentenceContext, token: Token, candidate: Candidate, force: bool
) -> list[Actor]:
    """A target named through something else: an act ("condemned the attack by X": the doer;
    "claimed the attack on X": its target), a border ("troops near its border with X"), or a
    place ("struck targets in Pakistan's Baluchistan province")."""
    lemma = token.lemma_.lower()
    patterns = ctx.lexicon.nouns.get(lemma)
    if patterns:
        doers = [
            c
            for child in token.children
            if child.dep_ in ("poss", "amod", "compound") and names_actor(ctx, child)
            for c in grammar.conjuncts(child)
        ] + grammar.prep_objects(token, frozenset({"by"}))
        targets = grammar.prep_objects(token, patterns[0].target_preps)
        for clause in token.children:
            # "an ambush that killed a dozen Burkinabe soldiers": the act's victims
            if clause.dep_ in ("relcl", "acl"):
                targets += grammar.objects(clause)
        # who did it for blame and praise, whom it hit for a claim of responsibility
        ordered = targets + doers if root_of(candidate.code) == "01" else doers + targets
        violent = is_violent(patterns[0].code)
        for inner in ordered:
            found = ctx.resolver.resolve(through_quantity(inner, ctx.lexicon.words), as_target=True)
            if found and violent and inner in doers:
                # "the Israeli strike": a state strikes with its military
                found = [
                    Actor(a.code + "MIL", a.start, a.end, a.head, a.how)
                    if len(a.code) == 3 and a.code.isalpha()
                    else a
                    for a in found
                ]
            if found:
                return found
    if lemma in ctx.lexicon.words["border_nouns"]:
        for inner in grammar.prep_objects(token, frozenset({"with", "between"})):
            found = ctx.resolver.resolve(inner, as_target=True, as_target_of_force=True)
            if found:
                return [as_country(a) for a in found]
    if force:
        held = held_by(ctx, token, candidate)
        if held:
            return held
        # "attacked a base near Gao": a military site is the military of its place
        role = "MIL" if lemma in ctx.lexicon.words["military_sites"] else ""
        for inner in grammar.prep_objects(token, PLACE_PREPS):
            place = place_reading(ctx, inner)
            if place is not None:
                return [Actor(place[0] + role, inner.i, inner.i + 1, inner.i, "place")]
    return []


def held_by(ctx: SentenceContext, token: Token, candidate: Candidate) -> list[Actor]:
    """ "the rebel stronghold of Kidal", "an insurgent hideout in Fallujah": a place named by
    who holds it is that holder, in the country of the place."""
    if ctx.resolver.match(token) is not None:
        return []  # a name, not a description
    for child in token.children:
        if child.dep_ not in ("amod", "compound", "nmod"):
            continue
        found = ctx.resolver.match(child)
        entry = found.first(ROLE) if found is not None else None
        if entry is None:
            continue
        place = None
        for inner in grammar.prep_objects(token, frozenset({"of"}) | PLACE_PREPS):
            place = place_reading(ctx, inner)
            if place is not None:
                break
        country = place[0] if place else place_country(ctx, candidate)
        if country:
            return [Actor(country + entry.code, child.i, child.i + 1, child.i, "held")]
    return []


def purpose_objects(ctx: SentenceContext, candidate: Candidate) -> list[Token]:
    """ "launched an assault to regain the rebel stronghold of Kidal": violence with no target
    of its own is aimed at what its purpose clause acts on."""
    holders = [candidate.trigger]
    if candidate.anchor is not None and candidate.anchor.i != candidate.trigger.i:
        holders.append(candidate.anchor)
    for holder in holders:
        for clause in holder.children:
            if clause.dep_ not in ("xcomp", "advcl", "acl", "relcl"):
                continue
            if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                continue
            found = grammar.objects(clause)
            if found:
                return found
    return []


def act_doers(ctx: SentenceContext, candidate: Candidate) -> list[Actor]:
    """ "The attack killed dozens of soldiers": the doer is the attack's, named on the noun
    ("a rebel attack", "Russia's strike") or on the same act in an earlier sentence."""
    found: list[Actor] = []
    tokens = candidate.sources
    if (
        not tokens
        and candidate.kind == CandidateKind.VERB
        and grammar.is_passive(candidate.trigger)
    ):
        # "nine peacekeepers were killed during an air raid by Ivorian bombers"
        tokens = grammar.prep_objects(candidate.trigger, frozenset({"in", "during", "after"}))
    for token in tokens:
        lemma = token.lemma_.lower()
        if lemma not in ctx.lexicon.nouns:
            continue
        doers = noun_doers(ctx, token)
        if not doers and any(c.lower_ == "the" for c in token.children):
            earlier = ctx.doc[: ctx.sentence.start]
            for previous in reversed(list(earlier)):
                if previous.lemma_.lower() == lemma:
                    doers = noun_doers(ctx, previous)
                    if doers:
                        break
        for doer in doers:
            found.extend(actors_of(ctx, [doer], candidate, as_target=False))
    return found


def weapon_sources(ctx: SentenceContext, candidate: Candidate) -> list[Actor]:
    """ "A car bomb killed eight soldiers in Mogadishu": violence by an unnamed hand. The doer
    stays unnamed (``UNNAMED``); the weapon still says what kind of violence it was."""
    found = []
    for token in candidate.sources:
        match = ctx.resolver.match(token)
        entry = match.first(WEAPON) if match is not None else None
        if entry is not None:
            found.append(
                Actor(UNNAMED, token.i, token.i + 1, token.i, "weapon", weapon=entry.weapon)
            )
    return found


def unnamed_doer(candidate: Candidate) -> list[Actor]:
    """Coercion or violence with no doer the text names ("two journalists were abducted in
    Syria", "three people were killed"): kept as a one-sided act, its doer blank, as GDELT
    keeps such acts, never guessed."""
    if not is_force(candidate.code) or _setting(candidate.trigger):
        return []
    t = candidate.trigger
    return [Actor(UNNAMED, t.i, t.i, t.i, "unnamed")]


BACKGROUND_PREPS = frozenset({"after", "since", "following", "before", "amid"})


def _setting(trigger: Token) -> bool:
    """Violence that only sets the scene of another act: told in a relative clause ("in
    Montenegro, where 28 people have been killed in riots") or named after a preposition of
    time ("after last month's invasion")."""
    if trigger.pos_ in ("NOUN", "PROPN"):
        return trigger.dep_ == "pobj" and trigger.head.lower_ in BACKGROUND_PREPS
    current = trigger
    for _ in range(8):
        if current.dep_ == "relcl":
            return True
        if current.dep_ not in grammar.CLAUSE_LINKS or current.head.i == current.i:
            return False
        current = current.head
    return False


def place_target(ctx: SentenceContext, candidate: Candidate, sources: list[Actor]) -> list[Actor]:
    """Violence with no named victim is aimed at the country where it happens ("resumed air
    strikes across Gaza"), unless that is the doer's own country."""
    if not is_violent(candidate.code):
        return []
    place = place_of(ctx, candidate)
    if place is None:
        return []
    t = candidate.trigger
    if any(s.code[:3] == place[0] for s in sources if s.code != UNNAMED):
        # at home, the unnamed victims are the country's civilians
        return [Actor(place[0] + "CVL", t.i, t.i, t.i, "place")]
    return [Actor(place[0], t.i, t.i, t.i, "place")]


def implied_targets(
    ctx: SentenceContext, candidate: Candidate, sources: list[Actor]
) -> list[Actor]:
    """Acts aimed by their nature at the doer's own state or country: protests, strikes and
    rallies at its government ("implied=GOV"), weapons burnt at the country itself
    ("implied=COUNTRY"), when the sentence names no target."""
    implied = candidate.options.implied
    if not implied:
        return []
    if implied == "PLACE":
        place = place_of(ctx, candidate)
        t = candidate.trigger
        return [Actor(place[0], t.i, t.i, t.i, "implied")] if place else []
    found = []
    if implied == "GOV":
        # "staged a protest in Beijing": aimed at the government of the place, when named
        place = place_of(ctx, candidate)
        if place and place[0].isalpha() and len(place[0]) == 3:
            t = candidate.trigger
            return [Actor(place[0] + "GOV", t.i, t.i, t.i, "implied")]
    for source in sources:
        country = source.code[:3]
        if not country.isalpha() or country in ("IGO", "NGO", "IMG"):
            continue
        code = country if implied == "COUNTRY" else country + implied
        if code != source.code:
            t = candidate.trigger
            found.append(Actor(code, t.i, t.i, t.i, "implied"))
    return found


def as_country(actor: Actor) -> Actor:
    """The country of an actor: the host of a visit is the place, not its people."""
    country = actor.code[:3]
    if actor.code.startswith(("IGO", "NGO", "IMG")) or not country.isalpha():
        return actor
    return Actor(country, actor.start, actor.end, actor.head, actor.how, country=country)
