"""Long texts cut into pieces for the parser, at paragraph or sentence breaks.

Pure text: the Dagster definitions import this (through the stream) without loading spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A text up to WHOLE_CHARS long is parsed whole (wire copy runs to a few thousand characters);
# a longer one in pieces of at most PIECE_CHARS, so that a batch of them weighs what a batch of
# articles does. Parsed whole, a long text costs memory in proportion (measured: 2.7 GB for
# one of 990,000 characters) and spaCy refuses one over 1,000,000 characters outright.
WHOLE_CHARS = 20_000
PIECE_CHARS = 2_500
# Where a piece may end, best first: a paragraph break, the end of a sentence, any space.
_BREAKS = (
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])"),
    re.compile(r"\s+"),
)


def pieces_of(text: str, limit: int = PIECE_CHARS, whole: int = WHOLE_CHARS) -> Iterator[str]:
    """``text`` itself up to ``whole`` characters, else consecutive pieces of at most ``limit``
    characters that join back into it, each ending after a paragraph break, else after the end
    of a sentence, else after a space (inside a word only where ``limit`` characters hold no
    space at all)."""
    start = 0
    while len(text) - start > (limit if start or len(text) > whole else whole):
        window = text[start : start + limit]
        cut = 0
        for pattern in _BREAKS:
            ends = [match.end() for match in pattern.finditer(window)]
            cut = ends[-1] if ends else 0
            if cut > limit // 4:  # not a sliver: a piece as long as it may be
                break
        cut = cut or limit
        yield text[start : start + cut]
        start += cut
    yield text[start:]


def pieces_with_ends(text: str) -> Iterator[tuple[str, bool]]:
    """Each piece of ``text``, and whether it is the last."""
    previous = None
    for piece in pieces_of(text):
        if previous is not None:
            yield previous, False
        previous = piece
    if previous is not None:
        yield previous, True
