"""Language identification with py3langid's bundled model (no download, no network).

The coder reads English. An article is set aside only when the detector is confident it is in
another language: short or ambiguous texts stay in, since a headline-length English text is often
scored as something else. Candidates are limited to languages that carry international news, which
keeps English-lexified creoles and dialect labels (Nigerian Pidgin, Scots) from claiming plain
English wire copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Languages the detector may answer with: the major languages of the world's news outlets.
CANDIDATES = [
    "en",
    "fr",
    "de",
    "es",
    "pt",
    "it",
    "nl",
    "ru",
    "uk",
    "pl",
    "cs",
    "ro",
    "hu",
    "el",
    "tr",
    "ar",
    "fa",
    "he",
    "ur",
    "hi",
    "bn",
    "id",
    "ms",
    "vi",
    "th",
    "zh",
    "ja",
    "ko",
    "sv",
    "da",
    "no",
    "fi",
    "sw",
    "ha",
    "am",
    "so",
]
CONFIDENCE = 0.9  # probability above which a non-English verdict sets an article aside
SAMPLE_CHARS = 1000  # the first characters are plenty, and keep detection cheap
MIN_CHARS = 20  # below this nothing is judged


@dataclass(frozen=True)
class Verdict:
    language: str  # ISO 639-1 code of the language the article is taken to be in
    confidence: float
    keep: bool


@cache
def _identifier(candidates: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(candidates))
    return identifier


def _candidates(keep: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(CANDIDATES) | set(keep)))


def prepare(keep: tuple[str, ...] = ("en",)) -> None:
    """Load the detector now (before forking workers, so that they share it)."""
    _identifier(_candidates(keep))


def release() -> None:
    """Free the detector's model (about 80 MB); the next ``detect`` loads it again (0.5 s)."""
    _identifier.cache_clear()


def detect(text: str, keep: tuple[str, ...] = ("en",)) -> Verdict:
    """The article's language and whether it is one of those kept (coded)."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return Verdict(keep[0], 0.0, True)
    language, confidence = _identifier(_candidates(keep)).classify(sample)
    if language in keep:
        return Verdict(language, confidence, True)
    if confidence < CONFIDENCE:
        return Verdict(keep[0], confidence, True)
    return Verdict(language, confidence, False)


def set_aside_reason(verdict: Verdict, keep: tuple[str, ...]) -> str:
    kept = ", ".join(keep)
    return (
        f"language {verdict.language}: set aside, not coded (detected with p={verdict.confidence:.2f}; "
        f"only {kept} is coded)"
    )
