"""Duplicates across everything ingested: exact and near copies point at the earliest-published
original, whatever order they arrive in, across separate ingestions."""

import json
from datetime import date

import pytest

from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.landing import Ingestor
from pipelines.ingest.landing_area import Landing

WIRE = (
    "Niger's military government severed diplomatic relations with Ukraine on Tuesday, accusing "
    "Kyiv of supporting armed groups that attacked Malian troops near the Algerian border last "
    "month. A spokesman for the ruling junta read the decision on state television in Niamey and "
    "said the measure took effect immediately. Ukraine's foreign ministry rejected the accusation "
    "as baseless and said it respected the sovereignty of the Sahel states. Mali cut its own ties "
    "with Ukraine two days earlier over the same accusation, after a Ukrainian intelligence "
    "official appeared to claim a role in the fighting. The African Union called for restraint "
    "and urged all sides to resolve the dispute through dialogue."
)
# A syndicated copy: a new dateline in front, one word changed.
SYNDICATED = "NIAMEY (Wire) - " + WIRE.replace("immediately", "at once")
OTHER_REPORT = (
    "Niamey broke off relations with Kyiv on Tuesday. The junta accused Ukraine of helping rebels "
    "who fought Malian soldiers; Ukraine denied it. Regional leaders called for calm."
)


def _line(article_id, text, when):
    return json.dumps({"id": article_id, "text": text, "published_at": when, "outlet": article_id})


def _ingest(home, *files):
    config = SourcesConfig(inbox=None, files=tuple(files), use_sample_when_empty=False)
    return Ingestor(home / "landing", config).run()


def _copies(home, *days):
    landing = Landing(home / "landing")
    pairs = {}
    for day in days:
        frame = landing.day_articles(day)
        pairs.update(
            {
                row.article_id: row.duplicate_of
                for row in frame.itertuples()
                if isinstance(row.duplicate_of, str)
            }
        )
    return pairs


DAY6, DAY7 = date(2024, 8, 6), date(2024, 8, 7)


def test_exact_and_near_copies_across_ingestions_point_at_the_original(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(
        _line("wire", WIRE, "2024-08-06T09:00:00Z")
        + "\n"
        + _line("other", OTHER_REPORT, "2024-08-06T10:00:00Z")
        + "\n"
    )
    _ingest(tmp_path, first)
    later = tmp_path / "later.jsonl"
    later.write_text(
        _line("exact", WIRE, "2024-08-06T11:00:00Z")
        + "\n"
        + _line("syndicated", SYNDICATED, "2024-08-07T08:00:00Z")
        + "\n"
    )
    report = _ingest(tmp_path, first, later)
    assert report.files_read == 1  # the first file is not read again
    assert _copies(tmp_path, DAY6, DAY7) == {"exact": "wire", "syndicated": "wire"}


def test_an_earlier_newcomer_becomes_the_original_and_the_old_days_are_rebuilt(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text(
        _line("late", WIRE, "2024-08-07T09:00:00Z")
        + "\n"
        + _line("later", SYNDICATED, "2024-08-07T12:00:00Z")
        + "\n"
    )
    _ingest(tmp_path, a)
    assert _copies(tmp_path, DAY7) == {"later": "late"}
    b = tmp_path / "b.jsonl"
    b.write_text(_line("early", SYNDICATED, "2024-08-06T07:00:00Z") + "\n")
    report = _ingest(tmp_path, a, b)
    assert report.days == {DAY6, DAY7}  # the 7th changes: its original is now a copy
    assert _copies(tmp_path, DAY6, DAY7) == {"late": "early", "later": "early"}


@pytest.mark.slow
def test_grouping_does_not_depend_on_arrival_order(tmp_path):
    texts = {
        "a": (WIRE, "2024-08-06T09:00:00Z"),
        "b": (SYNDICATED, "2024-08-06T09:00:00Z"),  # same time as a: the smaller id wins
        "c": (WIRE, "2024-08-07T09:00:00Z"),
        "d": (OTHER_REPORT, "2024-08-06T08:00:00Z"),
    }
    outcomes = []
    for order in (["a", "b", "c", "d"], ["d", "c", "b", "a"], ["c", "a", "d", "b"]):
        home = tmp_path / "".join(order)
        files = []
        for i, key in enumerate(order):
            path = home / f"{i}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_line(key, *texts[key]) + "\n")
            files.append(path)
            _ingest(home, *files)  # one ingestion per arrival
        outcomes.append(_copies(home, DAY6, DAY7))
    assert outcomes[0] == {"b": "a", "c": "a"}
    assert outcomes[1] == outcomes[0] and outcomes[2] == outcomes[0]


def test_a_changed_file_that_drops_the_original_regroups_the_rest(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text(_line("first", WIRE, "2024-08-06T09:00:00Z") + "\n")
    b = tmp_path / "b.jsonl"
    b.write_text(
        _line("second", WIRE, "2024-08-06T10:00:00Z")
        + "\n"
        + _line("third", SYNDICATED, "2024-08-07T10:00:00Z")
        + "\n"
    )
    _ingest(tmp_path, a, b)
    assert _copies(tmp_path, DAY6, DAY7) == {"second": "first", "third": "first"}
    a.write_text(_line("unrelated", OTHER_REPORT, "2024-08-06T09:00:00Z") + "\n")
    report = _ingest(tmp_path, a, b)
    assert DAY7 in report.days
    assert _copies(tmp_path, DAY6, DAY7) == {"third": "second"}


LEAD = (
    "Senegal's new government suspended fishing licences for foreign trawlers on Monday, saying "
    "an audit found that several companies had under-reported their catches for years. The "
    "fisheries minister said the suspension would last until the audit was complete."
)
# What syndicated copies of a short lead differ by: credits, bylines, datelines, notices.
COPIES = {
    "credit": LEAD + " Reuters contributed to this report.",
    "byline": "By Amina Diallo, Associated Press\n" + LEAD,
    "dateline": "DAKAR, Senegal (AP) \u2014 "
    + LEAD
    + " Associated Press writer Jo Li contributed.",
    "reporting": LEAD + "\n\nReporting by Amina Diallo; Editing by Peter Graff",
    "copyright": LEAD + " (c) 2024 Wire News. All rights reserved.",
    "edited": LEAD.replace("on Monday", "Monday").replace("The fisheries", "Fisheries"),
    "everything": "DAKAR, Aug 5 (Reuters) - "
    + LEAD
    + "\nAdditional reporting by Jo Li in Dakar. Writing by Amina Diallo; editing by Sam Holmes"
    + "\n\u00a9 Thomson Reuters 2024",
}
# The same credit under different short stories does not make them copies.
OTHERS = {
    "gambia": "Gambia reopened its border with Senegal on Monday after a week-long closure over "
    "a fuel dispute, officials said. Trucks queued for kilometres at the crossing near "
    "Karang. Reuters contributed to this report.",
    "mauritania": "Mauritania's coast guard seized two foreign trawlers on Monday for fishing "
    "without licences, the fisheries ministry said, adding that the crews would be "
    "questioned. Reuters contributed to this report.",
}


def test_syndicated_copies_of_a_short_lead_meet_the_threshold(tmp_path):
    path = tmp_path / "wire.jsonl"
    stories = {"lead": LEAD, **COPIES, **OTHERS}
    path.write_text(
        "".join(
            _line(key, text, f"2024-08-06T{9 + i:02d}:00:00Z") + "\n"
            for i, (key, text) in enumerate(stories.items())
        )
    )
    _ingest(tmp_path, path)
    assert _copies(tmp_path, DAY6) == dict.fromkeys(COPIES, "lead")
