"""Property-based: whatever mix of good records and garbage a file holds, the JSONL and CSV
readers yield exactly one record per non-blank line (row), in order, and the good ones intact."""

import csv
import io
import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.delimited import read_csv
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.record_rules import normalise_text

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

words = st.text(alphabet=string.ascii_letters + "éçñ -'.,", min_size=1, max_size=60).filter(
    lambda s: normalise_text(s)
)
good = st.builds(
    lambda text, title, day: {
        "text": text,
        "title": title,
        "published_at": f"2024-08-{day:02d}T10:00:00Z",
    },
    words,
    words,
    st.integers(1, 28),
)
garbage_bytes = (
    st.binary(min_size=1, max_size=80)
    .map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" "))
    .filter(lambda b: b.strip() and not b.startswith((b"\xef\xbb\xbf", b"\x1f\x8b")))
)  # a leading BOM is an encoding mark, and gzip's magic bytes mean a gzip file
line_kinds = st.lists(
    st.one_of(good.map(lambda r: ("good", r)), garbage_bytes.map(lambda b: ("bad", b))), max_size=25
)


@SETTINGS
@given(line_kinds, st.booleans())
def test_jsonl_one_record_per_non_blank_line(tmp_path_factory, lines, blank_lines):
    path = tmp_path_factory.mktemp("p") / "mixed.jsonl"
    raw, expected = [], []
    for i, (kind, value) in enumerate(lines):
        if kind == "good":
            record = {"id": f"id-{i}", **value}
            raw.append(json.dumps(record, ensure_ascii=False).encode())
            expected.append(record)
        else:
            raw.append(value)
            expected.append(None)
        if blank_lines:
            raw.append(b"   ")
    path.write_bytes(b"\n".join(raw) + b"\n")
    records = list(read_jsonl(path))
    assert len(records) == len(lines)
    step = 2 if blank_lines else 1
    for i, (record, want) in enumerate(zip(records, expected, strict=True)):
        where = record.where if isinstance(record, Article) else record.location
        assert where == f"line {i * step + 1}"
        if want is not None and isinstance(record, Article):
            assert record.id == want["id"]
            assert record.text == normalise_text(want["text"])
            assert record.title == normalise_text(want["title"])
        elif want is not None:
            # A good-looking line can only be refused for a stated reason (never silently).
            assert isinstance(record, Quarantined) and record.reason
        else:
            # Random bytes are never a JSON object with id, text and an ISO date.
            assert isinstance(record, Quarantined) and record.reason


# CSV garbage: fields of any text but no quotes or commas (an unbalanced quote legitimately
# joins lines into one record; see test_formats for how that is reported), ragged or not.
csv_field = st.text(
    alphabet=st.characters(blacklist_characters='",\n\r', blacklist_categories=("Cs",)), max_size=20
)
csv_garbage = st.lists(csv_field, min_size=1, max_size=8).filter(
    lambda row: len(row) != 4 and any(f.strip() for f in row)
)


@SETTINGS
@given(
    st.lists(
        st.one_of(good.map(lambda r: ("good", r)), csv_garbage.map(lambda g: ("bad", g))),
        max_size=25,
    )
)
def test_csv_one_record_per_row(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("p") / "mixed.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "title", "text", "published_at"])
    expected = []
    for i, (kind, value) in enumerate(rows):
        if kind == "good":
            writer.writerow([f"id-{i}", value["title"], value["text"], value["published_at"]])
            expected.append((f"id-{i}", value))
        else:
            buffer.write(",".join(value) + "\n")
            expected.append(None)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    records = list(read_csv(path))
    assert len(records) == len(rows)
    for i, (record, want) in enumerate(zip(records, expected, strict=True)):
        if want is None:
            assert isinstance(record, Quarantined)
            assert record.location == f"line {i + 2}"
            assert record.reason.startswith("row has")
        else:
            assert isinstance(record, Article), record
            assert record.id == want[0]
            assert record.text == normalise_text(want[1]["text"])
            assert record.title == normalise_text(want[1]["title"])
            assert record.location == f"line {i + 2}"
