"""The Markdown people read in the UI: tables that parse, a chart that draws every day."""

import base64
import re
from datetime import date

import duckdb
import pandas as pd

from assets.metadata import (
    day_events,
    mentions_preview,
    quad_class_chart,
    quad_class_counts,
    recent_quad_classes,
    root_code_table,
)
from pipelines.markdown_tables import table
from pipelines.validation.failure_tables import failures_table, sample_rows_table
from pipelines.validation.findings import Failure
from tests.factories import mention_row, mentions_frame

DAY = date(2024, 8, 6)


def _rows(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    header, rule, *body = lines
    assert set(rule.replace("|", "")) == {"-"}
    width = header.count("|")
    # An escaped pipe inside a cell does not split it.
    assert all(len(re.findall(r"(?<!\\)\|", line)) == width for line in body)
    return [re.split(r"(?<!\\)\|", line)[1:-1] for line in body]


def test_cells_stay_on_one_line_and_keep_their_pipes_escaped():
    markdown = table(("a", "b"), [("x | y", "two\nlines"), (None, "z" * 500)])
    rows = _rows(markdown)
    assert rows[0] == [" x \\| y ", " two lines "]
    assert rows[1][0] == "  " and rows[1][1].strip().endswith("…")


def test_preview_shows_sentence_actors_and_named_code():
    frame = mentions_frame(
        mention_row("a1", DAY),
        mention_row("a2", DAY, target_actor=None, target=None),  # not dyadic: not shown
    )
    rows = _rows(mentions_preview(frame))
    assert len(rows) == 1
    sentence, source, target, code, when = (c.strip() for c in rows[0])
    assert sentence == "Niger severed diplomatic ties with Ukraine."
    assert source == "Niger (NER)" and target == "Ukraine (UKR)"
    assert code == "161 reduce or break diplomatic relations"
    assert when == "2024-08-06"
    assert mentions_preview(frame.iloc[0:0]) == "No dyadic events coded on this day."


def test_root_codes_are_named_and_counted():
    rows = _rows(root_code_table(pd.Series(["16", "19", "19", None])))
    assert [[c.strip() for c in r[:3]] for r in rows] == [
        ["16", "reduce relations", "1"],
        ["19", "fight", "2"],
    ]


def test_the_chart_draws_every_day_of_the_span_and_the_figures_under_it():
    per_day = pd.DataFrame(
        {
            "day": pd.to_datetime(["2024-08-01", "2024-08-01", "2024-08-04"]),
            "quad_class": [1, 4, 4],
            "events": [2, 3, 1],
        }
    )
    markdown = quad_class_chart(per_day, "Events per day by quad class")
    image = re.match(
        r"!\[Events per day by quad class\]\(data:image/svg\+xml;base64,(\S+)\)", markdown
    )
    assert image
    svg = base64.b64decode(image.group(1)).decode()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 1 + 3 + 4  # background, three bars, four legend keys
    rows = _rows(markdown)
    assert [r[0].strip() for r in rows] == ["2024-08-01", "2024-08-02", "2024-08-03", "2024-08-04"]
    assert [c.strip() for c in rows[0][1:]] == ["2", "0", "0", "3", "5"]
    assert quad_class_chart(per_day.iloc[0:0], "x") == "No events."


def test_failures_and_their_rows():
    failure = Failure(
        "expect_column_values_to_match_regex",
        "source_actor",
        1,
        50.0,
        ["NIGRMIL"],
        rows=[{"source_actor": "NIGRMIL", "mention_id": "m2"}],
    )
    volume = Failure(
        "row count within the recent range", None, 0, 0.0, [], "WARN", [], "0", "3..25"
    )
    rows = _rows(failures_table([failure, volume]))
    assert [c.strip() for c in rows[0]] == [
        "ERROR",
        "expect_column_values_to_match_regex",
        "source_actor",
        "1 rows (50.0%), e.g. NIGRMIL",
    ]
    assert [c.strip() for c in rows[1]][2:] == ["(table)", "observed 0, expected 3..25"]
    frame = pd.DataFrame({"mention_id": ["m1", "m2"], "sentence": ["one", "Niger did it."]})
    sample = _rows(sample_rows_table([failure], frame, "mention_id", ("sentence", "absent")))
    assert [c.strip() for c in sample[0]] == [
        "expect_column_values_to_match_regex",
        "m2",
        "source_actor=NIGRMIL",
        "Niger did it.",
    ]
    assert failures_table([]) == "All expectations met."


def test_the_days_events_and_their_quad_classes():
    frame = mentions_frame(
        mention_row("a1", DAY),
        mention_row("a2", DAY),  # the same event again, from another article
        mention_row("a3", DAY, event_code="190"),
        mention_row("a4", DAY, target_actor=None, target=None),
    )
    events = day_events(frame)
    assert sorted(events["event_code"]) == ["161", "190"]
    assert quad_class_counts(events) == {
        "verbal_cooperation": 0,
        "material_cooperation": 0,
        "verbal_conflict": 0,
        "material_conflict": 2,
    }


def test_recent_quad_classes_reads_the_thirty_days_up_to_the_day():
    con = duckdb.connect()
    con.execute("CREATE TABLE events (event_date DATE, quad_class SMALLINT)")
    con.execute(
        "INSERT INTO events VALUES ('2024-07-07', 1), ('2024-07-08', 4), ('2024-08-06', 4), "
        "('2024-08-06', 4), ('2024-08-07', 2)"
    )
    per_day = recent_quad_classes(con, DAY)
    assert [(str(d.date()), q, n) for d, q, n in per_day.itertuples(index=False)] == [
        ("2024-07-08", 4, 1),
        ("2024-08-06", 4, 2),
    ]
