"""Where an act happened: the nearest place phrase to its trigger ("in northern Nigeria", "in
Maiduguri", "the town of Vovchansk" as the target of shelling), read from the gazetteer, the
capitals and the country names."""

from __future__ import annotations

from spacy.tokens import Token

from pipelines.codebook import is_force
from pipelines.coding import grammar
from pipelines.coding.actor_entries import ADJECTIVE, CAPITAL, COUNTRY, PLACE
from pipelines.coding.candidate import Candidate
from pipelines.coding.context import SentenceContext

PLACE_PREPS = frozenset({"in", "near", "at", "outside", "across", "throughout", "around", "inside"})
Place = tuple[str, str | None]  # (country code, place name or None for the country itself)


def place_of(ctx: SentenceContext, candidate: Candidate) -> Place | None:
    """Where the act happened: "in northern Nigeria", "in Maiduguri", near the trigger."""
    anchor = candidate.anchor.i if candidate.anchor is not None else -1
    key = (candidate.trigger.i, anchor, is_force(candidate.code))
    if key not in ctx.places:
        ctx.places[key] = _place_of(ctx, candidate)
    return ctx.places[key]


def _place_of(ctx: SentenceContext, candidate: Candidate) -> Place | None:
    roots = [candidate.trigger]
    if candidate.anchor is not None and candidate.anchor.i != candidate.trigger.i:
        roots.append(candidate.anchor)
    for root in roots:
        for child in root.children:
            # "shelled the town of Vovchansk": the object is the place itself
            if child.dep_ == "dobj" and is_force(candidate.code):
                place = place_reading(ctx, child)
                if place is not None and place[1] is not None:
                    return place
    for root in roots:
        for token in [
            root,
            *[c for c in root.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")],
        ]:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
                    for pobj in child.children:
                        if pobj.dep_ != "pobj":
                            continue
                        place = place_reading(ctx, pobj) or _deeper_place(ctx, pobj)
                        if place is not None:
                            return place
    return None


def _deeper_place(ctx: SentenceContext, token: Token) -> Place | None:
    """ "at the national cemetery in Seoul": the place named on the place."""
    for inner in grammar.prep_objects(token, PLACE_PREPS):
        place = place_reading(ctx, inner)
        if place is not None:
            return place
    return None


def place_reading(ctx: SentenceContext, token: Token) -> Place | None:
    """The place a noun names, if it names one."""
    match = ctx.resolver.match(token)
    if match is None and token.lemma_.lower() in ctx.lexicon.words["settlement_nouns"]:
        # "the Tigrayan city of Axum", "the town of Vovchansk"
        for inner in grammar.prep_objects(token, frozenset({"of"})):
            found = place_reading(ctx, inner)
            if found:
                return found
    if match is None:
        # "the Kursk region": a compound name before a generic head
        for child in token.children:
            if child.dep_ == "compound":
                found = place_reading(ctx, child)
                if found:
                    return found
        return None
    entry = match.first(PLACE, CAPITAL, COUNTRY)
    if entry is None:
        # "Syrian" modifying a place gives its country; "two Americans" are people, no place
        entry = match.first(ADJECTIVE)
        if entry is None or token.dep_ not in ("amod", "compound", "nmod"):
            return None
        return entry.code[:3], None
    if entry.kind == COUNTRY:
        return entry.code[:3], None
    span = ctx.doc[match.start : match.end]
    return entry.code[:3], span.text


def place_country(ctx: SentenceContext, candidate: Candidate) -> str:
    """The country of the act's place, else of the first place the sentence names."""
    place = place_of(ctx, candidate)
    if place:
        return place[0]
    if ctx.sentence_place is None:
        ctx.sentence_place = ""
        for token in ctx.sentence:
            if token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPS:
                found = place_reading(ctx, token)
                if found:
                    ctx.sentence_place = found[0]
                    break
    return ctx.sentence_place


def noun_place_country(ctx: SentenceContext, token: Token) -> str:
    """ "police in Nairobi", "a rebel attack in northern Mali": the place on the noun phrase
    itself (or on the noun a role word modifies)."""
    holders = [token]
    if token.dep_ in ("compound", "amod", "nmod") and token.head.i != token.i:
        holders.append(token.head)
    for holder in holders:
        for inner in grammar.prep_objects(holder, PLACE_PREPS):
            place = place_reading(ctx, inner)
            if place is not None:
                return place[0]
    return ""
