"""Actor recognition: names, adjectives, capitals, organisations, people by date, roles."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.coding.actor_resolver import ActorResolver


def actors(coder, text: str, day: date = date(2026, 3, 2)) -> list[str]:
    """The codes the sentence's subject names."""
    doc = next(coder.parse([text]))
    resolver = ActorResolver(doc, coder.tagger.tag(doc), day)
    heads = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass")]
    return [a.code for t in heads for a in resolver.resolve(t)]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Niger spoke.", ["NER"]),
        ("The Nigerien government spoke.", ["NERGOV"]),
        ("Mali's military chiefs spoke.", ["MLIMIL"]),
        ("Nigerian police spoke.", ["NGACOP"]),
        ("Kyiv spoke.", ["UKRGOV"]),
        ("The Kremlin spoke.", ["RUSGOV"]),
        ("Washington spoke.", ["USAGOV"]),
        ("Ukraine's intelligence spokesman spoke.", ["UKRSPY"]),
        ("The government of Mali spoke.", ["MLIGOV"]),
        ("The United Nations spoke.", ["IGOUNO"]),
        ("ECOWAS spoke.", ["IGOWAFWAS"]),
        ("Wagner fighters spoke.", ["RUSMIL"]),
        ("Al-Shabaab spoke.", ["SOMREB"]),
        ("President Erdogan spoke.", ["TURGOV"]),
        ("Former prime minister Najib Razak spoke.", ["MYSELI"]),
        ("The Malians spoke.", ["MLI"]),
    ],
)
def test_noun_phrases(coder, text, codes):
    assert actors(coder, text) == codes


def test_people_are_coded_for_the_date(coder):
    assert actors(coder, "Bazoum spoke.", date(2022, 1, 1)) == ["NERGOV"]
    assert actors(coder, "Bazoum spoke.", date(2024, 1, 1)) == ["NERELI"]


def test_abbreviations_match_only_as_written(coder):
    assert actors(coder, "The US spoke.") == ["USA"]
    doc = next(coder.parse(["They told us that the UN would help."]))
    tagged = coder.tagger.tag(doc)
    matched = {doc[i].text for i in tagged.by_token}
    assert "UN" in matched and "us" not in matched


def test_a_thing_names_no_actor_but_a_target_may_be_its_owner(coder):
    doc = next(coder.parse(["Nigerian oil rose."]))
    resolver = ActorResolver(doc, coder.tagger.tag(doc), date(2026, 1, 1))
    oil = doc[1]
    assert resolver.resolve(oil) == []
    assert [a.code for a in resolver.resolve(oil, as_target=True)] == ["NGA"]


def test_coordinated_modifiers_give_one_actor_each(coder):
    assert actors(coder, "French and Egyptian warships sailed.") == ["FRAMIL", "EGYMIL"]
