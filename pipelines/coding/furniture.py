"""Wire furniture: the agency tags, datelines, bylines and markup that open a wire story
("BAGHDAD, April 9 (Xinhua) --", "AP -", "Canadian Press - OTTAWA (CP) -", "<p> By Axel
Bugge</p>"). They are not part of any sentence: parsed as words they become subjects ("BAGHDAD
- Gunmen" as one noun phrase) and places, so the coder parses the text with them blanked out.

Blanking replaces each character with a space, so every offset into the text stays true and
mentions still point at the article's own characters. The dateline's place is kept: it says
where the story is from, which gives a role with no country of its own its country ("KABUL -
Government troops ..." are Afghan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bumped whenever what is blanked changes: parses kept from an older preparation are stale.
PREPARATION = "furniture-2"

# HTML entities that lost their "&" in the feed ("Sadr #39;s militia", "quot;free quot;"):
# read as what they stand for, padded with spaces to the same length, so offsets stay true
_ENTITIES = re.compile(r" ?#39;|#8212;|#151;| ?quot;|amp;")


def _entity(found: re.Match) -> str:
    text = found.group()
    if "#39;" in text:
        return "'".rjust(len(text))  # "Sadr #39;s" -> "Sadr    's": the "'s" kept whole
    if "quot;" in text:
        return '"'.rjust(len(text))
    if text == "amp;":
        return "&".rjust(len(text))
    return "-".rjust(len(text))  # dashes


_AGENCIES = (
    r"AP|AFP|Reuters|REUTERS|Canadian Press|CP|UPI|DPA|dpa|Xinhua|XINHUA|AGI|ANSA|IRNA|KUNA"
    r"|PTI|VNA|CNA|SADA|Interfax|ITAR-TASS|Bloomberg|OfficialWire|Masnet|News Agencies"
)
_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r"|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|SEPT|OCT|NOV|DEC)[A-Z]*\.?"
)
_DATE = rf"(?:(?:{_MONTH})\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?:{_MONTH})(?:\s+\d{{4}})?)"
_TAG = rf"\((?:[^()]{{0,40}}?(?:{_AGENCIES})[^()]{{0,30}}?|[A-Z]{{2,6}})\)"
_DASH = r"(?:--|-|\u2013|\u2014|:)"
# markup and a byline before everything else ("<p></p><p> By Ignacio Badal</p><p>")
_MARKUP = re.compile(r"^(?:\s|<[^>]{0,40}>|By [A-Z][\w.'\- ]{2,40}(?=</p>))+")
# "AP -", "Reuters -", "Canadian Press -", "(AFP) -", "(2nd UPDATE)"
_AGENCY = re.compile(
    rf"^(?:(?:{_AGENCIES})\s*{_DASH}\s|\((?:{_AGENCIES})\)\s*{_DASH}?\s*|\(\d\w* UPDATE\)\s*)"
)
# a leading date alone: "17 November 2004 --", "12/16/04 --"
_DATE_ONLY = re.compile(rf"^(?:{_DATE}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\s*{_DASH}\s")
# "NAJAF, Iraq (Reuters) -", "LONDON, AUGUST 17:", "JERUSALEM Aug. 23, 2004 -", "Beijing -",
# "ISLAMABAD, Pakistan : Nov 10 (SADA) -", "DUBAI/PARIS (Reuters) -", "KATMANDU, Nepal The"
_NAME = rf"(?!(?:{_MONTH})(?:\s|$))[A-Z][A-Za-z.'\-]*"  # a capitalised word, not a month
_DATELINE = re.compile(
    rf"^(?P<place>{_NAME}(?:[ /]{_NAME}){{0,3}})"
    rf"(?:,\s*(?P<region>{_NAME}(?: {_NAME}){{0,2}}))?"
    rf"(?:\s*,?\s*:?\s*{_DATE})?"
    rf"(?P<tag>\s*{_TAG})?"
    rf"(?P<dash>\s*{_DASH}\s*)?"
)


@dataclass(frozen=True)
class Furniture:
    spans: tuple[tuple[int, int], ...]  # character ranges to blank, in order
    place: str | None = None  # the dateline's place as written ("NAJAF", "Beijing")
    region: str | None = None  # the dateline's second part ("Iraq", "Calif.")


def find_furniture(text: str, is_place=None) -> Furniture:
    """The furniture at the start of a text. ``is_place(name)`` says whether a name is a place
    the dictionaries know: a capitalised word before a dash is a dateline only if it is one
    ("Beijing - Chinese police"), never a sentence's first words ("Israel - which ...")."""
    spans: list[tuple[int, int]] = []
    place = region = None
    position = 0
    for _ in range(6):  # markup, agency, dateline, agency again ... in any order, a few deep
        rest = text[position:]
        found = _MARKUP.match(rest) or _AGENCY.match(rest) or _DATE_ONLY.match(rest)
        if found and found.end():
            spans.append((position, position + found.end()))
            position += found.end()
            continue
        if place is None:
            dateline = _dateline(rest, is_place)
            if dateline is not None:
                end, place, region = dateline
                spans.append((position, position + end))
                position += end
                continue
        break
    return Furniture(tuple(spans), place, region)


def _dateline(rest: str, is_place) -> tuple[int, str, str | None] | None:
    found = _DATELINE.match(rest)
    if found is None:
        return None
    place, region = found["place"], found["region"]
    shouting = place.replace("/", "").replace(".", "").replace(" ", "").replace("-", "").isupper()
    known = is_place is not None and (is_place(place) or is_place(place.split("/")[0]))
    closed = bool(found["dash"] or found["tag"])
    if not closed:
        # "KATMANDU, Nepal The Nepali capital": a shouted place and its country, no dash; the
        # region is the longest run of its words that names a place
        if not (shouting and region and is_place is not None):
            return None
        words = region.split(" ")
        known_region = next(
            (
                " ".join(words[:n])
                for n in range(len(words), 0, -1)
                if is_place(" ".join(words[:n]))
            ),
            None,
        )
        if known_region is None:
            return None
        region = known_region
        end = found.start("region") + len(known_region)
    else:
        end = found.end()
    if not (shouting or known):
        return None  # "Israel announced ...", "Four US soldiers -": not a dateline
    if shouting and len(place) < 3:
        return None
    region_known = bool(region and is_place is not None and is_place(region))
    if not (known or region_known or found["tag"]):
        return None  # a shouted word that is no place ("SEC. RUMSFELD:")
    return end, place.split("/")[0], region


def blank(text: str, furniture: Furniture) -> str:
    """The text with the furniture replaced by spaces and broken entities mended, every offset
    unchanged."""
    if "#" in text or ";" in text:
        text = _ENTITIES.sub(_entity, text)
    if not furniture.spans:
        return text
    chars = list(text)
    for start, end in furniture.spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = " "
    return "".join(chars)
