"""English words: the small word lists the conversion reads names and patterns with, and the word
lists and lemmas of the spaCy model the coder parses with."""

from __future__ import annotations

from functools import cache


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# words that stay lower-case inside a name ("Osama bin Laden", "Army of God")
SMALL_WORDS = _word_set(
    "a an and as ad al ar ash at az bin bint by da das de del della den der des di do dos du "
    "e el for ibn in la le of on the to van von y"
)
# prepositions a multi-word verb may end with ("ask for", "scoff at"): they become "=prep"
PREPOSITIONS = _word_set(
    "about above across after against along amid among around as at before behind below "
    "beneath beside between beyond by despite during for from in inside into near of off on "
    "onto out outside over past per since through throughout to toward towards under until "
    "upon versus via with within without"
)
# a phrase ending in one of these is a fragment waiting for a name ("ambassador to")
FUNCTION_WORDS = PREPOSITIONS | _word_set("a an and the or")


class Words:
    """English word lists and lemmas from the spaCy model's lemmatizer tables (WordNet's index):
    the same lemmatizer the coder reads lemmas with, so an object lemma written here is the lemma
    the parse gives."""

    def __init__(self) -> None:
        import spacy
        from spacy.tokens import Doc

        from pipelines.coding.version import DEFAULT_MODEL

        nlp = spacy.load(
            DEFAULT_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"]
        )
        self._doc = Doc
        self._vocab = nlp.vocab
        self._lemmatizer = nlp.get_pipe("lemmatizer")
        index = self._lemmatizer.lookups.get_table("lemma_index")
        self.by_pos = {pos: frozenset(index[pos]) for pos in ("noun", "verb", "adj", "adv")}
        self.any = frozenset().union(*self.by_pos.values())
        # words with a sense other than a (possibly proper) noun: "rice", "bush", "concern"
        self.common = self.by_pos["verb"] | self.by_pos["adj"] | self.by_pos["adv"]

    def lemma(self, word: str, pos: str) -> str:
        """The base form of a word as a NOUN or VERB: kept when the word list has it as it is
        ("lay", "arms"), else the lemmatizer's first answer ("rallies" -> "rally")."""
        word = word.lower()
        if word in self.by_pos[pos.lower()]:
            return word
        return self.rule_lemma(word, pos)

    def rule_lemma(self, word: str, pos: str) -> str:
        """The lemmatizer's first answer for a word as a NOUN or VERB ("tigers" -> "tiger")."""
        doc = self._doc(self._vocab, words=[word.lower()], pos=[pos])
        lemmas = self._lemmatizer.rule_lemmatize(doc[0])
        return (lemmas[0] if lemmas else word).lower()


@cache
def english() -> Words:
    return Words()
