"""Who a phrase that names no actor of its own refers to: a pronoun or "the country" (its
antecedent), a counted noun ("the two leaders", "the foreign ministers of the three countries":
each of the countries named before), and names the parser folded into one phrase ("US President
Donald Trump and Russian President Vladimir Putin")."""

from __future__ import annotations

from spacy.tokens import Token

from pipelines.coding import grammar
from pipelines.coding.actor_entries import Actor, EntryKind
from pipelines.coding.candidate import Candidate
from pipelines.coding.context import SentenceContext
from pipelines.coding.phrases import through_quantity
from pipelines.coding.places import noun_place_country, place_country

PRONOUNS = frozenset(
    {"it", "they", "he", "she", "we", "its", "their", "his", "her", "him", "them", "us"}
)
OBJECT_PRONOUNS = frozenset({"him", "them", "her", "us"})


def listed_before(ctx: SentenceContext, token: Token) -> list[Token]:
    """Names listed before a phrase's head that the parser folded into the phrase instead of
    coordinating them ("US President Donald Trump and Russian President Vladimir Putin" parsed
    as one noun phrase headed by Putin): the head token of each named actor before an "and"."""
    if any(c.dep_ == "conj" for c in token.children):
        return []
    tagged = ctx.tagged.by_token
    found = []
    i = token.i - 1
    while i >= token.left_edge.i:
        if ctx.doc[i].lower_ in ("and", ","):
            match = tagged.get(i - 1)
            if (
                match is None
                or match.first(
                    EntryKind.PERSON, EntryKind.COUNTRY, EntryKind.ORGANISATION, EntryKind.GROUP
                )
                is None
            ):
                return found
            head = ctx.doc[match.root]
            modifier = head.dep_ in ("amod", "compound", "nmod", "poss")  # "US and Iraqi forces"
            if head.i != token.i and head.i >= token.left_edge.i and not modifier:
                found.append(head)
            i = match.start - 1
            continue
        i -= 1
    return found


def counted_actors(ctx: SentenceContext, token: Token) -> list[Actor]:
    """ "the two countries", "both sides", "the two leaders", "the foreign ministers of the
    two countries": one actor for each of the countries last named before."""
    role = ""
    counting = token
    if _count(token) < 2 and not any(c.lower_ == "of" for c in token.children):
        return []  # nothing counted: the common case, settled without resolving the phrase
    if token.lemma_.lower() not in ctx.lexicon.words["country_nouns"]:
        readings = ctx.resolver.resolve(token)
        if len(readings) != 1 or readings[0].code != readings[0].role:
            return []  # only a role with no country of its own is completed so
        role = readings[0].role
        if _count(token) < 2:
            # "the foreign ministers of the two countries": the count is on the countries
            counting = next(
                (
                    o
                    for o in grammar.prep_objects(token, frozenset({"of"}))
                    if o.lemma_.lower() in ctx.lexicon.words["country_nouns"]
                ),
                token,
            )
    countries = last_countries(ctx, token, _count(counting))
    return [
        Actor(country + role, token.i, token.i + 1, token.i, "counted", country=country, role=role)
        for country in countries
    ]


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "both": 2}


def _count(token: Token) -> int:
    return next(
        (
            COUNT_WORDS[c.lower_]
            for c in token.children
            if c.dep_ in ("nummod", "det", "predet") and c.lower_ in COUNT_WORDS
        ),
        0,
    )


def last_countries(ctx: SentenceContext, token: Token, count: int) -> list[str]:
    """The ``count`` countries meant by a counted noun before ``token``: a coordination of
    exactly that many ("Mali, Burkina Faso and Niger ... the three countries"), else the last
    ones named (by name, adjective, capital or a person in office); none unless there are
    that many."""
    if count < 2:
        return []
    found: list[str] = []
    i = token.i - 1
    while i >= 0:
        match = ctx.tagged.by_token.get(i)
        if match is None:
            i -= 1
            continue
        i = match.start - 1
        code = _match_country(ctx, match)
        if not code:
            continue
        group = _listed_countries(ctx, match)
        if len(group) == count:
            return group
        if code not in found and len(found) < count:
            found.append(code)
    return found[::-1] if len(found) == count else []


def _listed_countries(ctx: SentenceContext, match) -> list[str]:
    """The countries of a list a match is in ("Mali, Burkina Faso and Niger"), read off the
    surface: the parser often takes such a list for appositions."""
    tagged, doc = ctx.tagged.by_token, ctx.doc
    first, last = match, match
    while first.start >= 2 and doc[first.start - 1].lower_ in LIST_GLUE:
        before = tagged.get(first.start - 2)
        if before is None or not _match_country(ctx, before):
            break
        first = before
    while last.end + 1 < len(doc) and doc[last.end].lower_ in LIST_GLUE:
        after = tagged.get(last.end + 1)
        if after is None or not _match_country(ctx, after):
            break
        last = after
    found: list[str] = []
    i = first.start
    while i < last.end:
        member = tagged.get(i)
        if member is None:
            i += 1
            continue
        country = _match_country(ctx, member)
        if country and country not in found:
            found.append(country)
        i = member.end
    return found


LIST_GLUE = frozenset({",", "and", "or"})


def _match_country(ctx: SentenceContext, match) -> str:
    entry = match.first(EntryKind.COUNTRY, EntryKind.ADJECTIVE, EntryKind.CAPITAL)
    code = entry.code[:3] if entry is not None else ""
    if not code and (person := match.first(EntryKind.PERSON)) is not None:
        code = (person.code_on(ctx.resolver.day) or "")[:3]
    if code in ctx.role_codes or code.startswith("IGO"):
        return ""
    return code


def antecedent(
    ctx: SentenceContext, token: Token, candidate: Candidate, countries_only: bool = False
) -> list[Actor]:
    """A pronoun (or "the country") is the subject of the clause that embeds it ("Niger said
    it would..."), else the nearest subject before it, else the previous sentence's subject.
    A possessive first looks at its own clause's subject ("Russian forces completed their
    withdrawal"), an object pronoun at the nearest object before it ("expelled three
    diplomats, accusing them")."""
    doc = ctx.doc
    before = list(doc[ctx.sentence.start : token.i])
    pools: list[list[Token]] = []
    if token.dep_ == "poss":
        own, _ = grammar.subjects(grammar.clause_head(token))
        pools.append(own)
    if token.lower_ in OBJECT_PRONOUNS:
        pools.append([t for t in reversed(before) if t.dep_ in ("dobj", "pobj", "dative")])
    for ancestor in grammar.ancestors_through_clauses(grammar.clause_head(token)):
        pools.append(grammar.subjects(ancestor)[0])
    pools.append([t for t in reversed(before) if t.dep_ in ("nsubj", "nsubjpass")])
    for pool in pools:
        for found_token in pool:
            if (
                found_token.pos_ == "PRON"
                or found_token.left_edge.i <= token.i <= found_token.right_edge.i
            ):
                continue  # "his forces" is not its own antecedent
            resolved = ctx.resolver.resolve(through_quantity(found_token, ctx.lexicon.words))
            if not resolved:
                # "Kyiv's remarks showed that it was backing ...": a subject that is no
                # actor stands for its possessor
                owners = [c for c in found_token.children if c.dep_ == "poss" and c.pos_ != "PRON"]
                resolved = [a for owner in owners for a in ctx.resolver.resolve(owner)]
            found = [_completed(ctx, actor, found_token, candidate) for actor in resolved]
            found = [a for a in found if a is not None]
            if countries_only:
                found = [a for a in found if a.code[:3] not in ctx.role_codes]
            if found:
                return [_as_pronoun(a, token, countries_only) for a in found]
    previous = ctx.previous()
    if previous:
        return [_as_pronoun(previous[0], token, countries_only)]
    return []


def _as_pronoun(actor: Actor, token: Token, countries_only: bool) -> Actor:
    code = actor.code[:3] if countries_only else actor.code
    return Actor(code, token.i, token.i + 1, token.i, "pronoun", country=code[:3], role=actor.role)


def _completed(
    ctx: SentenceContext, actor: Actor, token: Token, candidate: Candidate
) -> Actor | None:
    """A role standing alone gets its country from the phrase's place, the sentence's place,
    or the article ("an armed group in Myanmar", "police" in a Kenyan story)."""
    if actor.code != actor.role:
        return actor
    country = (
        noun_place_country(ctx, token) or place_country(ctx, candidate) or ctx.tagged.main_country
    )
    if not country:
        return None
    return Actor(
        country + actor.role,
        actor.start,
        actor.end,
        actor.head,
        "role+context",
        country=country,
        role=actor.role,
        weapon=actor.weapon,
    )
