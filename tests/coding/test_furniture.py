"""Wire furniture: agency tags and datelines are blanked before parsing, offsets kept, and the
dateline's place gives the story its main country."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.coding.furniture import blank, find_furniture

KNOWN = {"BAGHDAD", "Baghdad", "KABUL", "Iraq", "Afghanistan", "Beijing", "Calif.", "NAJAF"}


def is_place(name: str) -> bool:
    return name in KNOWN or name.title() in KNOWN


@pytest.mark.parametrize(
    ("text", "furniture", "place"),
    [
        ("BAGHDAD (Reuters) - U.S. forces attacked.", "BAGHDAD (Reuters) - ", "BAGHDAD"),
        ("AP - Saboteurs blew up a pipeline.", "AP - ", None),
        ("Canadian Press - KABUL (CP) - Troops left.", "Canadian Press - KABUL (CP) - ", "KABUL"),
        ("NAJAF, Iraq (Reuters) - Fighters stayed.", "NAJAF, Iraq (Reuters) - ", "NAJAF"),
        (
            "KABUL, Afghanistan Aug. 23, 2004 - A lawyer said.",
            "KABUL, Afghanistan Aug. 23, 2004 - ",
            "KABUL",
        ),
        ("Beijing - Chinese police detained a man.", "Beijing - ", "Beijing"),
        (
            "<p></p><p> By Axel Bugge</p><p> KABUL (Reuters) - Rain.",
            "<p></p><p> By Axel Bugge</p><p> KABUL (Reuters) - ",
            "KABUL",
        ),
        ("KATMANDU, Afghanistan The capital was cut off.", "KATMANDU, Afghanistan ", "KATMANDU"),
    ],
)
def test_furniture_is_found(text, furniture, place):
    found = find_furniture(text, is_place)
    end = found.spans[-1][1]
    assert text[:end] == furniture
    assert found.place == place


@pytest.mark.parametrize(
    "text",
    [
        "Israel announced plans for 1,000 houses.",
        "BRITAIN has warned Sudan that it has work to do.",
        "Four US soldiers - all reservists - were charged.",
        "SEC. RUMSFELD: As you know, we are going to El Salvador.",
    ],
)
def test_sentences_are_not_furniture(text):
    assert find_furniture(text, is_place).spans == ()


def test_blanking_keeps_every_offset():
    text = "BAGHDAD (Reuters) - Gunmen killed a policeman."
    blanked = blank(text, find_furniture(text, is_place))
    assert len(blanked) == len(text)
    assert blanked.index("Gunmen") == text.index("Gunmen")
    assert not blanked[:19].strip()


def test_the_dateline_is_no_actor_and_gives_roles_their_country(coder):
    text = "KABUL (Reuters) - Government troops attacked a rebel base on Sunday."
    mentions = coder.code_text(text, date(2004, 9, 1))
    assert {(m.source_actor, m.event_code[:2]) for m in mentions} == {("AFGMIL", "19")}
    (mention,) = mentions
    assert text[mention.sentence_start :].startswith(mention.sentence)
    assert "KABUL" not in (mention.source.text + (mention.target.text if mention.target else ""))
