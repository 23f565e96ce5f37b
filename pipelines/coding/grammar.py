"""Reading clauses off a spaCy dependency parse: who does what to whom, and whether it is said
to happen at all (negation, modality, conditions). Pure functions over Tokens."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
PASSIVE_MARKS = PASSIVE_SUBJECT_DEPS | {"auxpass"}
OBJECT_DEPS = frozenset({"dobj", "obj"})
DATIVE_DEPS = frozenset({"dative", "iobj"})
# auxiliaries that make an act hypothetical: "could attack" is no attack
HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "would", "should", "can", "must", "ought"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
CONDITION_MARKS = frozenset({"if", "unless", "whether", "lest"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
CLAUSE_LINKS = frozenset({"conj", "xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp"})


def conjuncts(token: Token) -> list[Token]:
    """The token and every token coordinated with it ("Mali, Burkina Faso and Niger")."""
    found = [token]
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ == "conj" and child.pos_ in ("PROPN", "NOUN", "PRON", "ADJ"):
                found.append(child)
                stack.append(child)
    return found


def is_passive(verb: Token) -> bool:
    """A passive clause, or a reduced passive relative ("people killed in the crackdown")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    # passive subjects and auxiliaries stand before the verb in English
    return any(child.dep_ in PASSIVE_MARKS for child in verb.lefts)


def children(token: Token, deps: frozenset[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def agents(verb: Token) -> list[Token]:
    """Objects of the passive "by" phrase."""
    found = []
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found.extend(conjuncts(pobj))
    return found


def inherited_subjects(verb: Token) -> list[Token]:
    """The subject a verb without its own takes from the clause it hangs on: the first verb of a
    coordination ("seized and burned"), the controller of an infinitive ("agreed to send"), or
    the noun a relative or participial clause modifies ("the troops who attacked")."""
    if scheduled(verb):
        return scheduled_subjects(verb)
    current = verb
    for _ in range(6):
        if current.dep_ == "conj" or current.dep_ == "xcomp" or current.dep_ == "advcl":
            head = current.head
            if head.i == current.i:
                return []
            subjects = children(head, SUBJECT_DEPS)
            if subjects and not is_passive(head):
                # "a group that claimed to have kidnapped": "that" is the group
                return _through_relative([c for s in subjects for c in conjuncts(s)], head)
            if is_passive(head) and current.dep_ == "conj":
                found = agents(head)
                if found:
                    return found
            current = head
            continue
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return conjuncts(current.head)
        return []
    return []


def misparsed_subject(verb: Token) -> list[Token]:
    """ "Israeli soldiers on Saturday shot and killed a militant", parsed with "soldiers" as
    the root and "killed" coordinated with it: a verb coordinated with a noun has that noun
    for its subject."""
    head = verb.head
    if verb.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN") and head.dep_ == "ROOT":
        return conjuncts(head)[:1]
    return []


def subjects(verb: Token) -> tuple[list[Token], bool]:
    """The doers of an active verb, or the "by" agents of a passive one, and whether they were
    inherited from another clause. A relative pronoun stands for the noun it modifies."""
    if is_passive(verb):
        found = agents(verb)
        return found, False
    found = [c for child in children(verb, SUBJECT_DEPS) for c in conjuncts(child)]
    if found:
        return _through_relative(found, verb), False
    return inherited_subjects(verb) or misparsed_subject(verb), True


def _through_relative(tokens: list[Token], verb: Token) -> list[Token]:
    """A relative pronoun stands for the noun its clause modifies ("the troops who ...")."""
    resolved = []
    for token in tokens:
        if token.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            resolved.extend(conjuncts(verb.head))
        else:
            resolved.append(token)
    return resolved


def objects(verb: Token) -> list[Token]:
    """What an active verb acts on (its direct object), or a passive verb's subject; a relative
    clause whose object is the relative pronoun acts on the noun it modifies."""
    if is_passive(verb):
        found = [c for child in children(verb, PASSIVE_SUBJECT_DEPS) for c in conjuncts(child)]
        if not found and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
            found = conjuncts(verb.head)
        if not found:
            found = _stranded_subject(verb)
        return _through_relative(found, verb)
    found = [c for child in children(verb, OBJECT_DEPS) for c in conjuncts(child)]
    if not found and verb.dep_ == "relcl":
        # "the village that rebels attacked": the relative pronoun is the object
        subjects_ = children(verb, SUBJECT_DEPS)
        if subjects_ and all(s.lower_ not in RELATIVE_PRONOUNS for s in subjects_):
            found = conjuncts(verb.head)
    return found


def _stranded_subject(verb: Token) -> list[Token]:
    """ "Three British nationals, believed to be civilians, were snatched": the parser gave the
    passive's subject to the inserted clause before it; it is the passive's."""
    for child in verb.lefts:
        if child.dep_ in ("advcl", "ccomp") and child.i < verb.i:
            subjects_ = children(child, SUBJECT_DEPS)
            if subjects_ and subjects_[0].i < child.i:
                return conjuncts(subjects_[0])
    return []


def datives(verb: Token) -> list[Token]:
    return [c for child in children(verb, DATIVE_DEPS) for c in conjuncts(child)]


def prep_objects(token: Token, preps: frozenset[str]) -> list[Token]:
    """Objects of the given prepositions hanging on a token ("ties with Ukraine"), with
    coordinated prepositions ("on Iran's minister and on two refineries")."""
    found = []
    heads = [c for c in token.children if c.dep_ in ("prep", "dative", "agent")]
    heads += [g for c in heads for g in c.children if g.dep_ == "conj" and g.pos_ == "ADP"]
    for child in heads:
        if child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found.extend(conjuncts(pobj))
                elif pobj.dep_ == "pcomp" and pobj.tag_ == "VBG":
                    # "met with visiting Iraqi Prime Minister Allawi": a participle read as a verb
                    found.extend(c for o in children(pobj, OBJECT_DEPS) for c in conjuncts(o))
                elif pobj.dep_ == "prep" and pobj.lower_ == "of":
                    # "ahead of", "out of": the object hangs one level down
                    found.extend(prep_objects(child, frozenset({"of"})))
        elif child.lower_ in MEANS_PREPS:
            # "spoke by telephone with Erdogan": the parser hangs the addressee on the means
            for means in child.children:
                if means.dep_ == "pobj" and means.lemma_.lower() in MEANS_NOUNS:
                    found.extend(prep_objects(means, preps))
    return found


MEANS_PREPS = frozenset({"by", "over", "via", "on"})
MEANS_NOUNS = frozenset({"telephone", "phone", "video", "videolink", "link", "call", "line"})


def has_particle(verb: Token, particle: str) -> bool:
    return any(
        child.lower_ == particle and child.dep_ in ("prt", "advmod", "prep", "compound:prt")
        for child in verb.children
    )


def aux_lemmas(verb: Token) -> set[str]:
    """Auxiliaries of a verb, with those of the verbs it is coordinated with ("could seize and
    hold")."""
    found = {child.lower_ for child in verb.lefts if child.dep_ in ("aux", "auxpass")}
    current = verb
    while current.dep_ == "conj" and current.head.i != current.i:
        current = current.head
        found |= {child.lower_ for child in current.lefts if child.dep_ in ("aux", "auxpass")}
    return found


def is_negated(token: Token) -> bool:
    current = token
    for _ in range(3):
        for child in current.lefts:  # "did not", "never", "no talks": all before the head
            if child.dep_ == "neg" or (child.dep_ in ("advmod", "det") and child.lower_ == "never"):
                return True
            if token.pos_ in ("NOUN", "PROPN") and child.dep_ == "det" and child.lower_ == "no":
                return True
        # a coordinated verb shares its first verb's negation only if it has no subject
        if current.dep_ == "conj" and not children(current, SUBJECT_DEPS):
            current = current.head
            continue
        break
    return False


def is_hypothetical(verb: Token) -> bool:
    """Modal auxiliaries, or a clause under "if"/"unless"/"whether". A "would" reported from
    a statement ("said it would lift the sanctions") is a future, not a hypothesis."""
    modals = aux_lemmas(verb) & HYPOTHETICAL_AUX
    if modals == {"would"} and reported_future(verb):
        modals = set()
    if modals:
        return True
    return in_condition(verb)


REPORTING_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "state",
        "confirm",
        "declare",
        "add",
        "insist",
        "warn",
        "pledge",
        "promise",
        "vow",
        "write",
        "indicate",
        "signal",
        "stress",
        "report",
    }
)


def reported_future(verb: Token) -> bool:
    current = verb
    while current.dep_ == "conj" and current.head.i != current.i:
        current = current.head
    return current.dep_ == "ccomp" and current.head.lemma_.lower() in REPORTING_VERBS


def in_condition(verb: Token) -> bool:
    current = verb
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in current.children):
            return True
        if current.dep_ in ("conj",) and current.head.i != current.i:
            current = current.head
            continue
        break
    return False


def is_future(verb: Token) -> bool:
    if aux_lemmas(verb) & FUTURE_AUX:
        return True
    if "would" in aux_lemmas(verb) and reported_future(verb):
        return True
    return scheduled(verb)


SCHEDULING_WORDS = frozenset({"going", "set", "due", "poised", "scheduled", "slated"})


def scheduled(verb: Token) -> bool:
    """ "is to meet", "is scheduled to meet", "is set to visit", "is due to arrive": an act
    the schedule says will happen (a future, asserted as such)."""
    if verb.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    head = verb.head
    if head.lemma_ == "be" and head.pos_ == "AUX":
        return True  # "Sharon is to meet"
    if head.lower_ not in SCHEDULING_WORDS:
        return False
    copula = head.head if head.dep_ == "acomp" else head
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" for c in head.children) or (
        copula.lemma_ == "be"
    )


def scheduled_subjects(verb: Token) -> list[Token]:
    """The doers of a scheduled act: the subject of "is", "is scheduled", "is due"."""
    head = verb.head
    holder = head.head if head.dep_ == "acomp" else head
    subjects = SUBJECT_DEPS | {"nsubjpass"}
    return [c for child in children(holder, subjects) for c in conjuncts(child)]


def clause_head(token: Token) -> Token:
    """The verb a noun belongs to (its own clause), climbing through prepositions."""
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") or current.dep_ == "ROOT":
            return current
        current = current.head
    return current


def in_clause_line(token: Token, verb: Token) -> bool:
    """``token`` is ``verb``, a word that embeds ``verb``'s clause (an ancestor), or a word of
    ``verb``'s own clause or of one coordinated with it, but not of a clause embedded under it
    nor of a clause beside it."""
    if token.is_ancestor(verb):
        return True
    current = token
    for _ in range(32):
        if current.i == verb.i:
            return True
        if current.head.i == current.i:
            return False  # the root, without passing ``verb``: a clause beside it
        if current.dep_ in CLAUSE_LINKS and current.dep_ != "conj":
            return False  # a clause embedded under it
        current = current.head
    return False


def ancestors_through_clauses(verb: Token) -> Iterator[Token]:
    """The verbs that embed a clause, innermost first ("said" in "X said Y attacked Z")."""
    current = verb
    for _ in range(8):
        if current.dep_ not in CLAUSE_LINKS or current.head.i == current.i:
            return
        # a relative clause sits in the clause of the noun it describes
        relative = current.dep_ in ("relcl", "acl")
        current = clause_head(current.head) if relative else current.head
        yield current
