"""Event dates resolved against the publication date, and where events happened."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.coding.event_dates import find_dates

PUBLISHED = date(2024, 8, 7)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "when", "words"),
    [
        ("Niger cut ties with Ukraine on Tuesday.", date(2024, 8, 6), "Tuesday"),
        ("Niger cut ties with Ukraine on Wednesday.", date(2024, 8, 7), "Wednesday"),
        ("Niger said on Tuesday evening it cut ties with Ukraine.", date(2024, 8, 6), None),
        ("Niger cut ties with Ukraine on August 4.", date(2024, 8, 4), "August 4"),
        ("Mali cut its ties with Ukraine on 4 August.", date(2024, 8, 4), "4 August"),
        ("Mali cut ties with France on 17 December 2022.", date(2022, 12, 17), "17 December 2022"),
        ("Niger cut ties with Ukraine yesterday.", date(2024, 8, 6), "yesterday"),
        ("Niger cut ties with Ukraine last night.", date(2024, 8, 6), "last night"),
        # a date later in the year than publication is last year's
        ("Niger cut ties with Ukraine on December 2.", date(2023, 12, 2), "December 2"),
    ],
)
def test_a_day_in_the_text_dates_the_act(coder, text, when, words):
    (mention,) = coder.code_text(text, PUBLISHED)
    assert mention.event_date == when
    assert mention.date_precision == "day"
    assert mention.date_text == (words or "Tuesday evening")


@pytest.mark.parametrize(
    ("text", "words", "precision"),
    [
        ("Niger cut ties with Ukraine last week.", "last week", "week"),
        ("Niger cut ties with Ukraine earlier this week.", "earlier this week", "week"),
        ("Niger cut ties with Ukraine last month.", "last month", "month"),
        ("Niger cut ties with Ukraine in March.", "March", "month"),
        ("Niger cut ties with Ukraine in late July.", "late July", "month"),
        ("Niger has sanctioned Ukraine since October.", "since October", "month"),
        ("Niger cut ties with Ukraine last year.", "last year", "year"),
        ("Niger cut ties with Ukraine in 2004.", "2004", "year"),
    ],
)
def test_a_vaguer_expression_is_kept_and_the_act_takes_its_publication_date(
    coder, text, words, precision
):
    (mention,) = coder.code_text(text, PUBLISHED)
    assert mention.event_date == PUBLISHED
    assert (mention.date_text, mention.date_precision) == (words, precision)


def test_without_a_date_the_publication_date(coder):
    (mention,) = coder.code_text("Niger cut ties with Ukraine.", PUBLISHED)
    assert mention.event_date == PUBLISHED
    assert mention.date_text is None
    assert mention.date_precision == "unstated"


def test_a_date_of_another_clause_does_not_date_the_event(coder):
    text = (
        "Mali has broken off diplomatic relations with Ukraine, its junta said, after a "
        "Ukrainian intelligence official appeared to acknowledge a role in a deadly rebel "
        "attack in the north of the country last month."
    )
    (mention,) = [m for m in coder.code_text(text, PUBLISHED) if m.event_code == "161"]
    assert mention.event_date == PUBLISHED  # last month is the attack's, not the break's
    assert mention.date_text is None


def test_a_date_on_the_clause_that_reports_the_event_dates_it(coder):
    (mention,) = coder.code_text(
        "Niger's junta said on Tuesday that it had cut diplomatic ties with Ukraine.", PUBLISHED
    )
    assert mention.event_date == date(2024, 8, 6)


def test_may_the_verb_is_no_month(coder):
    doc = next(coder.parse(["Russia may attack in May 2025."]))
    (expression,) = find_dates(next(doc.sents), PUBLISHED)
    assert expression.text == "May 2025" and expression.value == date(2025, 5, 1)


@pytest.mark.parametrize(
    ("text", "country", "place"),
    [
        ("Gunmen attacked a village in northern Nigeria.", "NGA", None),
        ("Police arrested twenty protesters in Maiduguri.", "NGA", "Maiduguri"),
        ("Russian forces shelled the town of Vovchansk.", "UKR", "Vovchansk"),
        ("Israel struck targets in Beirut.", "LBN", "Beirut"),
    ],
)
def test_places(coder, text, country, place):
    mentions = coder.code_text(text, PUBLISHED)
    assert mentions
    assert {(m.location_country, m.location_place) for m in mentions} == {(country, place)}


def test_a_role_takes_the_country_of_the_place(code):
    assert code("Police in Nairobi arrested twenty protesters.") == {("KENCOP", "KENOPP", "173")}
    assert code("Gunmen killed twelve villagers in Burkina Faso.") == {("BFAREB", "BFACVL", "190")}
