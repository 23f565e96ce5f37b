"""Codes and actors sharpened by what is known once both sides are: who acts and how (violence
by protesters is a violent protest, a weapon names the kind of violence, killing a named leader
is an assassination), and how sure the coder is of the result."""

from __future__ import annotations

from pipelines.codebook import is_force, root_of
from pipelines.coding.actor_entries import Actor
from pipelines.coding.candidate import Candidate, CandidateKind
from pipelines.coding.context import SentenceContext

CIVIL_ROLES = frozenset({"OPP", "CVL", "LAB", "EDU", "AGR"})
GENERIC_VIOLENCE = frozenset({"18", "180", "182", "1823", "19", "190", "193", "1712"})


def refined_code(
    ctx: SentenceContext, code: str, source: Actor, target: Actor | None, candidate: Candidate
) -> str:
    """Sharpen a code by who acts and how: violence by protesters, civilians or workers is a
    violent protest (145); a weapon names the kind of violence ("jets struck" 195); killing a
    named leader is an assassination (186), shooting one an attempt (185); troops arriving are
    a deployment (074); leaving an organisation reduces relations."""
    civil_violence = source.role in CIVIL_ROLES and is_force(code) and root_of(code) != "20"
    if civil_violence and code not in ("181", "185", "186"):
        return "145"
    if target is not None and target.how == "person" and code in GENERIC_VIOLENCE:
        fatal = candidate.trigger.lemma_.lower() in ctx.lexicon.words["fatal_verbs"]
        return "186" if fatal else "185"
    if source.weapon and code in GENERIC_VIOLENCE:
        return source.weapon
    means = means_weapon(ctx, candidate) if code in GENERIC_VIOLENCE else ""
    if means:
        return means
    forces = candidate.options.forces
    if forces and source.role in ("MIL", "COP"):
        return forces
    if root_of(code) == "15" and target is not None and _deployed_into(ctx, source, target):
        return "074"  # "deployed 400 police officers to Haiti": sent abroad, not mobilised
    if target is not None and target.code.startswith("IGO") and candidate.options.igo:
        return candidate.options.igo
    return code


MEANS_PREPS = frozenset({"in", "by", "with", "during", "using"})


def means_weapon(ctx: SentenceContext, candidate: Candidate) -> str:
    """The kind of violence its means name: "killed in a suicide car bombing" (1831),
    "wounded two soldiers in a bomb attack" (183), "a bomb attack" itself."""
    trigger = candidate.trigger
    holders = [c for c in trigger.children if c.dep_ in ("compound", "amod")]
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in MEANS_PREPS:
            holders += [t for pobj in prep.children if pobj.dep_ == "pobj" for t in pobj.subtree]
    for token in holders:
        match = ctx.tagged.by_token.get(token.i)
        if match is not None:
            weapon = next((e.weapon for e in match.entries if e.weapon), "")
            if weapon:
                return weapon
    return ""


def _deployed_into(ctx: SentenceContext, source: Actor, target: Actor) -> bool:
    token = ctx.doc[target.head]
    into = token.dep_ == "pobj" and token.head.lower_ in ("to", "into", "in")
    foreign = target.code[:3] != source.code[:3] and len(target.code) == 3
    return into and foreign and target.how in ("country", "name", "capital")


def refined_target(source: Actor, target: Actor | None, code: str) -> Actor | None:
    """Coercion or violence aimed at the doer's own country is aimed at its people ("imposed
    a curfew on the town of Leh" INDCVL)."""
    if (
        target is not None
        and is_force(code)
        and len(target.code) == 3
        and target.code == source.code[:3]
        and len(source.code) > 3
    ):
        return Actor(target.code + "CVL", target.start, target.end, target.head, target.how)
    if target is not None and is_force(code) and target.how == "people" and len(target.code) == 3:
        # "killed two Iraqis": violence against a people hits its civilians
        return Actor(target.code + "CVL", target.start, target.end, target.head, target.how)
    return target


def refined_source(source: Actor, code: str, candidate: Candidate) -> Actor:
    """A country that moves troops acts as its military ("Venezuela moved troops": VENMIL); a
    people that demonstrates are its civilians ("Georgians rallied")."""
    role = candidate.options.as_role
    if role and len(source.code) == 3 and source.how in ("country", "name"):
        return Actor(source.code + role, source.start, source.end, source.head, source.how)
    if code[:2] == "14" and len(source.code) == 3 and source.how == "people":
        return Actor(source.code + "CVL", source.start, source.end, source.head, source.how)
    return source


def confidence(candidate: Candidate, source: Actor, target: Actor | None) -> float:
    score = 0.95
    if candidate.kind == CandidateKind.NOUN:
        score -= 0.1
    if candidate.kind == CandidateKind.FRAME:
        score -= 0.05
    if candidate.inherited_source:
        score -= 0.05
    for actor in (source, target):
        if actor is None:
            continue
        if actor.how in ("pronoun", "role+context", "role+story"):
            score -= 0.1
        elif not actor.code:
            score -= 0.2  # a doer the text does not name
        elif actor.how == "state":
            score -= 0.15
    if target is None:
        score -= 0.2
    return round(max(0.05, min(1.0, score)), 2)
