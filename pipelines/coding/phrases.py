"""Noun phrases and the verbs that carry them: looking through a number or a grouping noun to
the people or acts it counts ("tens of thousands of Georgians", "a package of sanctions"), and
finding the verb an event noun is the object of."""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Token

from pipelines.coding import grammar

Words = Mapping[str, frozenset[str]]  # the lexicon's word lists (wordlists.tsv)

CLAUSE_ROLES = frozenset({"ccomp", "xcomp", "ROOT", "advcl", "relcl", "conj"})
CARRYING_PREPS = frozenset({"in", "into", "for"})


def through_group(token: Token, words: Words) -> Token:
    """ "the final round of talks", "a package of sanctions": the noun after "of"."""
    if token.lemma_.lower() not in words["group_nouns"]:
        return token
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return token


def through_quantity(token: Token, words: Words) -> Token:
    """ "Tens of thousands of Georgians", "members of a gang": the people, not the number."""
    current = token
    for _ in range(3):
        if current.pos_ != "NUM" and current.lemma_.lower() not in words["quantity_nouns"]:
            return current
        inner = next(
            (
                g
                for c in current.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
        if inner is None:
            return current
        current = inner
    return current


def carrier(noun: Token, words: Words) -> Token | None:
    """The verb an event noun is the object of, through "of" after a grouping noun ("a package
    of sanctions") and through coordination ("talks and a meeting")."""
    current = noun
    for _ in range(4):
        if current.dep_ == "conj":
            current = current.head
            continue
        if current.dep_ in ("dobj", "nsubjpass", "attr", "obj"):
            head = current.head
            return head if head.pos_ in ("VERB", "AUX") or verb_in_disguise(head) else None
        if current.dep_ == "pobj":
            prep = current.head
            holder = prep.head
            if prep.lower_ == "of" and holder.lemma_.lower() in words["group_nouns"]:
                current = holder
                continue
            # "engaged in talks", "entered into negotiations"; not "continued during the talks"
            if holder.pos_ in ("VERB", "AUX") and prep.lower_ in CARRYING_PREPS:
                return holder
            return None
        return None
    return None


def verb_in_disguise(token: Token) -> bool:
    """A verb the tagger took for a noun or auxiliary, betrayed by its clause role and its
    subject ("demanded that Azerbaijan release the citizens": release/NOUN with a subject)."""
    if token.pos_ == "AUX":
        return token.dep_ in ("ROOT", "conj", "ccomp", "xcomp")
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in CLAUSE_ROLES:
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in token.children)


def each_other(targets: list[Token]) -> bool:
    """ "expelled each other's advisers": the doers act on one another."""
    for target in targets:
        for token in target.subtree:
            if token.lower_ == "other" and any(c.lower_ == "each" for c in token.children):
                return True
            if token.lower_ == "another" and any(c.lower_ == "one" for c in token.children):
                return True
    return False


def depth(token: Token) -> int:
    steps = 0
    while token.head.i != token.i and steps < 50:
        token = token.head
        steps += 1
    return steps


def subjects_only(verb: Token) -> list[Token]:
    return [
        c
        for child in grammar.children(verb, grammar.SUBJECT_DEPS)
        for c in grammar.conjuncts(child)
    ]
