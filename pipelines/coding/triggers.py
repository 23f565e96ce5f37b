"""Triggers: the words that can start an act, and the candidate act each one makes.

A fast check on the Doc's lemma array finds the words whose lemma is in the verb or noun
lexicon or opens a frame (most words are never looked at); each verb or event noun found is
matched against its patterns, most specific first, into a ``Candidate`` with its doers and
receivers as the parse gives them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from spacy.attrs import LEMMA, TAG
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from pipelines.coding import grammar
from pipelines.coding.actor_entries import EntryKind
from pipelines.coding.candidate import Candidate, CandidateKind
from pipelines.coding.context import SentenceContext
from pipelines.coding.lexicon import Lexicon
from pipelines.coding.phrases import (
    carrier,
    each_other,
    subjects_only,
    through_group,
    through_quantity,
)

DOER_KINDS = (
    EntryKind.COUNTRY,
    EntryKind.ADJECTIVE,
    EntryKind.CAPITAL,
    EntryKind.ORGANISATION,
    EntryKind.GROUP,
    EntryKind.PERSON,
)
SOURCE_PREPS = frozenset({"by", "from"})  # "an attack by rebels", "a demand from Kinshasa"


class TriggerIndex:
    """The lemma hashes of every word that can start an act, to find them in a Doc's arrays
    without building a Token for each word (the coder must stay cheap beside the parser)."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon) -> None:
        strings = vocab.strings
        words = lexicon.words
        keys = {*lexicon.verbs, *lexicon.nouns, *lexicon.frames, *words["naming_verbs"]}
        keys |= words["pejoratives"] | words["praises"]
        self._hashes = np.array(
            sorted({strings.add(form) for key in keys for form in (key, key.capitalize())}),
            dtype=np.uint64,
        )
        # past forms the lemmatizer may get wrong ("raped" -> "rap") are looked at too
        self._past_tags = np.array(
            sorted({strings.add("VBD"), strings.add("VBN")}), dtype=np.uint64
        )  # sorted: ``among`` bisects

    def positions(self, doc: Doc, columns: np.ndarray | None = None) -> list[int]:
        """Doc indices of the words that may start an act, ascending."""
        if columns is None:
            columns = doc.to_array([LEMMA, TAG])
        return np.flatnonzero(
            among(columns[:, 0], self._hashes) | among(columns[:, 1], self._past_tags)
        ).tolist()


NESTING_PREPS = frozenset({"in", "of"})  # "dollars in support", "a package of aid"


def among(values: np.ndarray, ascending: np.ndarray) -> np.ndarray:
    """Which ``values`` are in the sorted ``ascending`` (``np.isin`` would sort it each time)."""
    if not len(ascending):
        return np.zeros(len(values), dtype=bool)
    found = np.searchsorted(ascending, values).clip(max=len(ascending) - 1)
    return ascending[found] == values


def lookup(table: dict, token: Token):
    """Entries for a verb by its lemma, or by a regular base form when the lemmatizer slips
    ("raped" -> "rap", "staged" -> "stag")."""
    found = table.get(token.lemma_.lower())
    if found or token.tag_ not in ("VBD", "VBN"):
        return found
    word = token.lower_
    for suffix, replacement in (("ied", "y"), ("ed", "e"), ("ed", ""), ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            found = table.get(word[: -len(suffix)] + replacement)
            if found:
                return found
    return None


def _object_pool(
    ctx: SentenceContext, token: Token, direct: list[Token], passive: bool
) -> list[tuple[Token, str, str]]:
    """Objects a pattern's object words are compared with: the direct objects (or a
    predicate noun), and the noun behind a group or quantity ("a group of soldiers")."""
    pool = list(direct)
    if not pool and not passive:
        pool = [c for c in token.children if c.dep_ in ("attr", "oprd")]
    words = ctx.lexicon.words
    pool = pool + [g for o in pool if (g := through_group(o, words)) is not o]
    pool = pool + [q for o in pool if (q := through_quantity(o, words)) is not o]
    return [(o, o.lemma_.lower(), o.lower_) for o in pool]


def verb_candidate(ctx: SentenceContext, token: Token) -> Candidate | None:
    patterns = lookup(ctx.lexicon.verbs, token)
    if not patterns or token.dep_ in ("amod",):
        return None
    passive = grammar.is_passive(token)
    direct = grammar.objects(token)
    pool = None  # the words an object pattern may name, found once for all patterns
    for pattern in patterns:
        if not all(grammar.has_particle(token, p) for p in pattern.particles):
            continue
        if pattern.options.transitive and not direct:
            continue  # "returned to Spain" returns nothing
        if pattern.required_preps and not any(
            c.dep_ in ("prep", "dative") and c.lower_ in pattern.required_preps
            for c in token.children
        ):
            continue
        consumed: set[int] = set()
        object_token = None
        if pattern.objects:
            if pool is None:
                pool = _object_pool(ctx, token, direct, passive)
            object_token = next(
                (
                    o
                    for o, lemma, lower in pool
                    if lemma in pattern.objects or lower in pattern.objects
                ),
                None,
            )
            if object_token is None:
                continue
            consumed.add(object_token.i)
        targets: list[Token] = []
        if pattern.target_preps:
            targets = grammar.prep_objects(token, pattern.target_preps)
            if object_token is not None:
                # "a package of aid for X": the preposition may hang on the group word
                for holder in [object_token, *(d for d in direct if d.i != object_token.i)]:
                    targets += grammar.prep_objects(holder, pattern.target_preps)
                if not targets:
                    # "pledged 5.5 billion dollars in financial support for Ukraine"
                    targets = [
                        t
                        for holder in (object_token, token)
                        for inner in grammar.prep_objects(holder, NESTING_PREPS)
                        for t in grammar.prep_objects(inner, pattern.target_preps)
                    ]
            if not targets and not pattern.objects:
                targets = list(direct)
        elif not pattern.objects:
            targets = list(direct)
        object_target = False
        mutual = pattern.options.both_ways
        if not targets and object_token is not None and not mutual:
            # "expelled three French diplomats", "summoned Russia's ambassador": the object
            # is the target; "took journalists hostage": the other object is
            others = [o for o in direct if o.i != object_token.i]
            targets = others or grammar.conjuncts(object_token)
            object_target = not others
        if pattern.options.dative or not pattern.objects:
            targets += grammar.datives(token)
        mutual_objects = ctx.names_other and each_other(targets)
        if mutual_objects:
            targets = []
        code = pattern.code
        options = pattern.options
        thing = options.thing
        if thing and direct and not any(ctx.resolver.resolve(o) for o in direct):
            # "Morocco welcomed the French position": approval, not a host's welcome
            if thing == "-":
                continue  # "received a letter": no act of this kind
            code = thing
            options = replace(options, converse="")
        if pattern.options.appraisal and object_token is not None:
            # "saw little chance of a treaty with X" 012, "saw a chance of ..." 013
            gloomy = any(
                c.lower_ in ctx.lexicon.words["gloomy_determiners"] for c in object_token.children
            ) or grammar.is_negated(token)
            code = "012" if gloomy else "013"
            targets = actor_within(ctx, object_token, grammar.subjects(token)[0])
        sources, inherited = grammar.subjects(token)
        if inherited and _caused(token, ctx.lexicon.words):
            # "prompted Mali to cut ties": the object of the causing verb does the act
            sources = [c for o in grammar.objects(token.head) for c in grammar.conjuncts(o)]
        elif inherited and _witnessed(token, ctx.lexicon.words):
            sources = []  # "bloggers reported fighting": who fought is not said
        return Candidate(
            trigger=token,
            code=code,
            rule=f"verb:{pattern.source}",
            sources=sources,
            targets=targets,
            kind=CandidateKind.VERB,
            pattern=pattern,
            consumed=consumed,
            inherited_source=inherited,
            reciprocal=mutual_objects or pattern.options.both_ways,
            mutual=pattern.options.mutual,
            state_role=pattern.options.state,
            anchor=token,
            options=options,
            object_target=object_target,
        )
    return None


def noun_candidate(ctx: SentenceContext, token: Token) -> Candidate | None:
    patterns = ctx.lexicon.nouns.get(token.lemma_.lower())
    if not patterns:
        return None
    match = ctx.resolver.match(token)
    if match is not None and match.end - match.start > 1:
        return None  # part of a name: "the Rapid Support Forces"
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound", "nmod")}
    verb = carrier(token, ctx.lexicon.words)
    holders = [token] if verb is None else [token, verb]
    for pattern in patterns:
        if pattern.required_preps and not any(
            c.dep_ in ("prep", "dative") and c.lower_ in pattern.required_preps
            for holder in holders
            for c in holder.children
        ):
            continue
        if pattern.objects and not pattern.objects & modifiers:
            continue
        targets = grammar.prep_objects(token, pattern.target_preps) if pattern.target_preps else []
        sources = grammar.prep_objects(token, SOURCE_PREPS - pattern.target_preps)
        under = _undergoer(token)
        if under is not None and not targets:
            # "the Black Watch came under attack": the subject suffers the act
            targets = subjects_only(under) or [
                c
                for child in under.children
                if child.dep_ == "nsubjpass"
                for c in grammar.conjuncts(child)
            ]
            sources = sources or grammar.prep_objects(under, SOURCE_PREPS)
        own = [child for child in token.children if doer_modifier(ctx, child)]
        reciprocal = pattern.options.both_ways
        between = grammar.prep_objects(token, frozenset({"between", "among"}))
        if not between and token.dep_ in ("nsubj", "nsubjpass"):
            # "fighting broke out in Khartoum between the army and the RSF"
            between = grammar.prep_objects(token.head, frozenset({"between", "among"}))
        if not between:
            # "clashes that broke out between US troops and insurgents"
            between = [
                o
                for clause in token.children
                if clause.dep_ in ("relcl", "acl")
                for o in grammar.prep_objects(clause, frozenset({"between", "among"}))
            ]
        if pattern.options.agent:
            # "the kidnappers of two French reporters": the noun is the doer
            sources, own = [token], []
        if between and reciprocal:
            sources = between
        elif own and not sources:
            sources = [c for o in own for c in grammar.conjuncts(o)]
        return Candidate(
            trigger=token,
            code=pattern.code,
            rule=f"noun:{pattern.source}",
            sources=sources,
            targets=targets,
            kind=CandidateKind.NOUN,
            pattern=pattern,
            reciprocal=reciprocal,
            mutual=pattern.options.mutual,
            state_role=pattern.options.state,
            anchor=grammar.clause_head(token),
            options=pattern.options,
        )
    return None


UNDERGOING_VERBS = frozenset({"come", "be", "remain", "fall", "place", "put", "keep"})


def _undergoer(noun: Token) -> Token | None:
    """The verb of "came under attack", "was under fire": its subject undergoes the act."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "under":
        return None
    verb = prep.head
    # "came under attack", "was placed under house arrest"
    return verb if verb.lemma_.lower() in UNDERGOING_VERBS else None


def _caused(verb: Token, words) -> bool:
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.lemma_.lower() in words["causative_verbs"]
        and bool(grammar.objects(head))
    )


def _witnessed(verb: Token, words) -> bool:
    """A gerund a report or a sighting takes ("reported fighting", "saw shelling") names an
    act the subject watched, not one it did."""
    return (
        verb.dep_ == "xcomp"
        and verb.tag_ == "VBG"
        and verb.head.lemma_.lower() in words["witness_verbs"]
    )


def naming_candidate(ctx: SentenceContext, token: Token) -> Candidate | None:
    """ "calling him a political idiot", "described the resolution as illegal": a name given in
    blame is a criticism (111) of what is named, one given in praise an endorsement (051)."""
    words = ctx.lexicon.words
    if token.lemma_.lower() not in words["naming_verbs"]:
        return None
    given = [c for c in token.children if c.dep_ in ("oprd", "acomp")]
    named = grammar.objects(token)
    if not named and len(given) > 1:
        named, given = given[:1], given[1:]  # "called X a provocation", both read as complements
    given += [
        g for c in token.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children
    ]
    if not named or not given:
        return None
    if all(t.lower_ in ("what", "which") for t in named):
        named = given[:1]  # "what it called Ukraine's support for terrorists": whose support
    code = _blame_or_praise({t.lemma_.lower() for g in given for t in g.subtree}, words)
    if not code:
        return None
    sources, inherited = grammar.subjects(token)
    return Candidate(
        trigger=token,
        code=code,
        rule=f"naming:{token.lemma_.lower()}",
        sources=sources,
        targets=named,
        kind=CandidateKind.VERB,
        inherited_source=inherited,
        anchor=token,
        evaluative=True,
    )


def _blame_or_praise(lemmas: set[str], words) -> str:
    """Criticism (111) when the words blame, endorsement (051) when they praise."""
    if lemmas & words["pejoratives"]:
        return "111"
    return "051" if lemmas & words["praises"] else ""


def judgement_candidate(ctx: SentenceContext, token: Token) -> Candidate | None:
    """ "Chirac said the US-led war in Iraq was illegal": a reported judgement is a criticism
    (111) or an endorsement (051) of what the clause is about, by whoever reports it."""
    words = ctx.lexicon.words
    lemma = token.lemma_.lower()
    code = _blame_or_praise({lemma}, words)
    copula = token.head
    if not code or token.dep_ not in ("acomp", "attr") or copula.lemma_ != "be":
        return None
    judged = subjects_only(copula)
    speaker = copula.head
    if not judged or copula.dep_ != "ccomp" or speaker.pos_ not in ("VERB", "AUX"):
        return None
    negated = any(c.dep_ == "neg" for c in copula.children)  # "was not": after the copula
    if negated or grammar.is_negated(copula) or grammar.is_hypothetical(copula):
        return None  # "said the vote was not illegal", "would be illegal"
    sources, inherited = grammar.subjects(speaker)
    return Candidate(
        trigger=token,
        code=code,
        rule=f"judgement:{lemma}",
        sources=sources,
        targets=judged,
        kind=CandidateKind.VERB,
        inherited_source=inherited,
        anchor=speaker,
        evaluative=True,
    )


def actor_within(ctx: SentenceContext, token: Token, exclude: list[Token]) -> list[Token]:
    """The first actor named inside a phrase ("chance of a treaty with Azerbaijan")."""
    skip = {t.i for t in exclude}
    for inner in token.subtree:
        if inner.i in skip or inner.pos_ not in ("PROPN", "NOUN"):
            continue
        if ctx.resolver.resolve(inner):
            return [inner]
    return []


def doer_modifier(ctx: SentenceContext, child: Token) -> bool:
    """A modifier that names who does an act ("Russia's attack", "Israeli strikes"), not
    what kind of act it is ("military exercises", "police raid")."""
    if child.dep_ == "poss":
        return names_actor(ctx, child)
    if child.dep_ not in ("compound", "amod", "nmod"):
        return False
    match = ctx.resolver.match(child)
    if match is None or match.first(*DOER_KINDS) is None:
        return False
    # "a Baghdad rocket attack": a city before the act is where it happened
    return not (
        child.dep_ == "compound"
        and match.first(EntryKind.CAPITAL)
        and not match.first(EntryKind.COUNTRY)
    )


def names_actor(ctx: SentenceContext, token: Token) -> bool:
    match = ctx.resolver.match(token)
    return match is not None or token.pos_ == "PRON"


def noun_doers(ctx: SentenceContext, noun: Token) -> list[Token]:
    """Who does an act a noun names: a possessor, a country or name before it, a "by"
    phrase, else a role before it ("a rebel attack")."""
    doers = [c for c in noun.children if doer_modifier(ctx, c)]
    doers += grammar.prep_objects(noun, frozenset({"by"}))
    if not doers:
        doers = [
            c
            for c in noun.children
            if c.dep_ in ("compound", "amod")
            and (m := ctx.resolver.match(c)) is not None
            and m.first(EntryKind.ROLE) is not None
        ]
    return doers
