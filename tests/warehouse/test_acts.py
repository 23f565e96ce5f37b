"""When two mentions are the same act (pipelines/warehouse/acts.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipelines.warehouse.acts import assign, neighbours, refines

BLOCK = ("event_code",)
TUE, WED = date(2024, 8, 6), date(2024, 8, 7)


def mention(mention_id, source, target, code="161", when=TUE, published=None, precision="day"):
    return {
        "mention_id": mention_id,
        "event_date": when,
        "published_date": published or when,
        "date_precision": precision,
        "event_root_code": code[:2],
        "source_actor": source,
        "target_actor": target,
        "event_code": code,
    }


def acts_of(*mentions) -> dict[str, tuple]:
    frame = assign(pd.DataFrame(list(mentions)), BLOCK)
    return {
        row.mention_id: (row.event_date, row.source_actor, row.target_actor)
        for row in frame.itertuples()
    }


def test_refinement_adds_roles_to_the_same_actor():
    assert refines("NERGOV", "NER")
    assert not refines("NER", "NERGOV")
    assert not refines("NERGOV", "NERMIL")
    assert not refines("NGAREB", "NG")  # codes are made of three-letter parts


def test_niger_named_at_three_grains_over_two_days_is_one_act():
    got = acts_of(
        mention("a", "NERGOV", "UKR", when=TUE),  # "said on Tuesday" in Tuesday's paper
        mention("b", "NER", "UKR", when=WED, precision="unstated"),  # Wednesday's follow-up
        mention("c", "NERGOV", "UKR", when=TUE, published=WED),  # "said on Tuesday evening"
    )
    assert set(got.values()) == {(TUE, "NERGOV", "UKR")}


def test_the_most_specific_codes_lead_on_each_side():
    got = acts_of(mention("a", "NERGOV", "UKR"), mention("b", "NER", "UKRGOV"))
    assert set(got.values()) == {(TUE, "NERGOV", "UKRGOV")}


def test_the_state_is_one_actor_whichever_organ_the_report_names():
    # the sample's US base: "to Niger", "to Niger's armed forces", "to the country's authorities"
    got = acts_of(
        mention("a", "USAMIL", "NER", code="087"),
        mention("b", "USAMIL", "NERMIL", code="087"),
        mention("c", "USA", "NERGOV", code="087"),
    )
    assert set(got.values()) == {(TUE, "USAMIL", "NERGOV")}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("NERGOV", "UKR"), ("NEROPP", "UKR")),  # two actors of one country
        (("NERMIL", "UKR"), ("NERREB", "UKR")),
        (("NERMIL", "UKR"), ("NERCOP", "UKR")),
        (("NERGOV", "UKR"), ("NERGOV", "RUS")),  # two targets
        (("NER", "UKR"), ("UKR", "NER")),  # the other direction
    ],
)
def test_different_actors_stay_apart(first, second):
    got = acts_of(mention("a", *first), mention("b", *second))
    assert len(set(got.values())) == 2


def test_a_bare_country_that_fits_two_groups_stays_apart():
    got = acts_of(
        mention("gov", "NERGOV", "UKR"),
        mention("opp", "NEROPP", "UKR"),
        mention("ner", "NER", "UKR"),
    )
    assert len(set(got.values())) == 3
    assert got["ner"] == (TUE, "NER", "UKR")


def test_different_codes_stay_apart():
    frame = assign(
        pd.DataFrame(
            [mention("a", "NER", "UKRGOV", code="161"), mention("b", "NER", "UKR", code="112")]
        ),
        BLOCK,
    )
    assert frame["target_actor"].tolist() == ["UKRGOV", "UKR"]  # no grain merged across codes


def test_a_follow_up_joins_only_an_act_whose_day_the_text_named():
    # Two undated reports on consecutive days: the texts do not say they are one act.
    got = acts_of(
        mention("a", "NER", "UKR", when=TUE, precision="unstated"),
        mention("b", "NER", "UKR", when=WED, precision="unstated"),
    )
    assert got["a"][0] == TUE and got["b"][0] == WED


def test_a_mention_dated_by_the_text_never_moves():
    got = acts_of(
        mention("a", "NER", "UKR", when=TUE),
        mention("b", "NER", "UKR", when=WED),  # "on Wednesday": another day, another act
    )
    assert got["b"][0] == WED


def test_violence_is_not_carried_across_days():
    got = acts_of(
        mention("a", "ISRMIL", "PSE", code="190", when=TUE),
        mention("b", "ISRMIL", "PSE", code="190", when=WED, precision="unstated"),
    )
    assert got["b"][0] == WED


def test_two_attacks_by_the_same_sides_on_one_day_are_one_event_as_in_cameo():
    got = acts_of(
        mention("a", "ISRMIL", "PSE", code="190"), mention("b", "ISRMIL", "PSE", code="190")
    )
    assert got["a"] == got["b"]


def test_a_change_reaches_one_day_either_side():
    assert neighbours({WED}) == {TUE, WED, date(2024, 8, 8)}


def test_between_the_states_organs_the_event_takes_the_one_more_reports_name():
    got = acts_of(
        mention("a", "ISRMIL", "PSE", code="190"),
        mention("b", "ISRMIL", "PSE", code="190"),
        mention("c", "ISRGOV", "PSE", code="190"),
    )
    assert set(got.values()) == {(TUE, "ISRMIL", "PSE")}
