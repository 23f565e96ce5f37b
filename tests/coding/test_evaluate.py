from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from pipelines.coding.evaluate import run_evaluation
from pipelines.coding.gold_scoring import Prediction, score_item
from pipelines.coding.gold_sets import GoldError, GoldEvent, GoldItem
from pipelines.coding.plover_scoring import plover_type
from pipelines.datamodel.records import EventMention, Span


def _mention(source: str, target: str | None, code: str) -> EventMention:
    from datetime import date

    span = Span("x", 0, 1)
    return EventMention(
        article_id="a",
        sentence_index=0,
        sentence="x",
        sentence_start=0,
        source_actor=source,
        source=span,
        target_actor=target,
        target=span if target else None,
        trigger=span,
        event_code=code,
        event_date=date(2026, 1, 1),
        confidence=0.9,
        rule="test",
    )


def _item(events, optional=()):
    from datetime import date

    return GoldItem("i", "text", date(2026, 1, 1), tuple(events), tuple(optional))


def test_prefixes_alternatives_and_wildcards_match():
    event = GoldEvent("NER|MLI", "*", "19")
    assert event.matches("NERMIL", "UKR", "193", "full")
    assert event.matches("MLIGOV", "UKRGOV", "190", "full")
    assert not event.matches("BFA", "UKR", "190", "full")
    assert not event.matches("NER", "UKR", "180", "root")
    assert GoldEvent("NER", "UKR", "161").matches("NER", "UKR", "160", "root")
    assert not GoldEvent("NER", "UKR", "161").matches("NER", "UKR", "160", "full")


def test_each_prediction_fills_one_gold_event_and_optional_ones_are_neutral():
    item = _item(
        [GoldEvent("NER", "UKR", "161"), GoldEvent("MLI", "UKR", "161")],
        optional=[GoldEvent("*", "*", "01")],
    )
    mentions = [
        _mention("NERGOV", "UKR", "161"),
        _mention("NERGOV", "UKR", "161"),  # a duplicate prediction counts once
        _mention("NER", "UKRGOV", "161"),  # a second, distinct claim on one gold event: extra
        _mention("NER", "UKR", "010"),  # optional: neither right nor wrong
        _mention("NER", None, "190"),  # non-dyadic: never scored
    ]
    result, scores, per_root = score_item(item, mentions)
    assert (scores["root"].tp, scores["root"].fp, scores["root"].fn) == (1, 1, 1)
    assert [str(e) for e in result.misses["root"]] == ["MLI -> UKR 161"]
    assert per_root["root"]["16"].fp == 1


def test_a_gold_event_without_target_accepts_a_non_dyadic_mention():
    item = _item([GoldEvent("USA", "", "04")])
    _, scores, _ = score_item(item, [_mention("USA", None, "040")])
    assert scores["full"].tp == 1


def test_plover_types_follow_the_gold_sets_ontology():
    assert plover_type("193") == "FIGHT"
    assert plover_type("0871") == "RETREAT"
    assert plover_type("111") == "DISAPPROVE"
    assert plover_type("010") is None


def test_run_evaluation_prints_figures_and_lists_misses(coder, tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    lines = [
        {
            "id": "s1",
            "text": "Niger has cut diplomatic ties with Ukraine.",
            "date": "2024-08-07",
            "events": [{"source": "NER", "target": "UKR", "code": "161"}],
        },
        {
            "id": "s2",
            "text": "Stocks rose in Tokyo on Monday.",
            "date": "2024-08-07",
            "events": [],
        },
        {
            "id": "s3",
            "text": "The weather was cold in Oslo.",
            "date": "2024-08-07",
            "events": [{"source": "NOR", "target": "SWE", "code": "04"}],
        },
    ]
    gold.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    out = io.StringIO()
    report = run_evaluation(gold, verbose=True, out=out, coder=coder)
    assert (report.root.tp, report.root.fp, report.root.fn) == (1, 0, 1)
    assert report.precision == 1.0 and report.recall == 0.5
    text = out.getvalue()
    assert "root code" in text and "full code" in text and "per root code" in text
    assert "not coded             NOR -> SWE 04" in text
    assert "errors by kind" in text and "root confusion" in text


def test_each_miss_is_put_in_one_kind_of_error():
    from pipelines.coding.diagnosis import classify_miss

    gold = GoldEvent("MLI", "UKR", "161")
    cases = {
        "wrong direction": Prediction("UKR", "MLI", "160"),
        "wrong root": Prediction("MLIGOV", "UKR", "111"),
        "wrong target or none": Prediction("MLI", None, "161"),
        "wrong source": Prediction("BFA", "UKR", "161"),
        "no actor found": Prediction("FRA", "DEU", "163"),
    }
    for kind, coded in cases.items():
        assert classify_miss(gold, [coded]) == (kind, coded), kind
    assert classify_miss(gold, [Prediction("FRA", "DEU", "04")]) == ("not coded", None)


def test_diagnosis_counts_kinds_extras_and_the_root_confusion():
    from pipelines.coding.diagnosis import confusion_table, diagnose

    item = GoldItem(
        "x",
        "t",
        date(2024, 8, 7),
        (GoldEvent("MLI", "UKR", "161"), GoldEvent("NER", "UKR", "161")),
    )
    coded = [_mention("MLI", "UKR", "111"), _mention("NER", "UKR", "161"), _mention("A", "B", "19")]
    result, _, _ = score_item(item, coded)
    found = diagnose([result])
    assert found.kinds["wrong root"] == 1 and found.kinds["extra"] == 1
    assert found.confusion[("16", "11")] == 1 and found.confusion[("16", "16")] == 1
    table = "\n".join(confusion_table(found))
    assert table.splitlines()[0].split()[-1] == "-"


def test_onesided_acts_are_found_by_mentions_missing_that_side():
    from pipelines.coding.gold_scoring import score_onesided

    item = GoldItem(
        "x",
        "t",
        date(2004, 9, 1),
        (),
        onesided=(GoldEvent("", "IRQCOP|IRQCVL", "183"), GoldEvent("USA", "", "03")),
    )
    found = score_onesided(
        item,
        [
            Prediction(None, "IRQCVL", "1832"),
            Prediction("USAGOV", None, "033"),
            Prediction(None, "GBR", "19"),
        ],
    )
    assert (found.tp, found.fn, found.fp) == (2, 0, 1)


def test_bad_gold_lines_are_named(tmp_path: Path, coder):
    gold = tmp_path / "bad.jsonl"
    gold.write_text('{"text": "x", "events": [{"source": "NER"}]}\n')
    with pytest.raises(GoldError, match="line 1"):
        run_evaluation(gold, out=io.StringIO(), coder=coder)


def test_agreement_of_two_codings_matches_roots_and_compatible_actors():
    from pipelines.coding.agreement import agreement

    day = date(2004, 9, 1)
    first = [
        GoldItem("a", "t", day, (GoldEvent("USAGOV", "PRK", "026"), GoldEvent("PRK", "USA", "12"))),
        GoldItem("b", "t", day, (GoldEvent("IRQREB", "IRQCVL", "19"),)),
    ]
    second = [
        # same root, a more specific target: agree; the refusal coded as a threat: disagree,
        # but the first coder did not list it as optional, so it is not forgiven
        GoldItem("a", "t", day, (GoldEvent("USA", "PRKGOV", "020"), GoldEvent("PRK", "USA", "13"))),
        GoldItem(
            "b",
            "t",
            day,
            (),
            optional=(GoldEvent("IRQREB|IRQ", "IRQCVL", "190"),),
        ),
    ]
    found = agreement(first, second)
    assert (found.items, found.events_a, found.events_b, found.matched) == (2, 3, 2, 1)
    assert found.strict_f1 == 2 * 1 / 5
    assert found.forgiven_a == 1  # IRQREB -> IRQCVL 19 is optional in the second coding
    assert found.lenient_f1 == 2 * 1 / 4
    assert agreement(first, first).strict_f1 == 1.0
