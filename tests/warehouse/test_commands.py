"""`dyadflow export` and `dyadflow plot`, run in-process against a published warehouse."""

import shutil
from csv import reader
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from assets.cli import main
from pipelines.datamodel.tables import TABLES
from pipelines.plot import Bins, choose_bins, parse_dyad
from pipelines.settings import HOME_ENV

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def home(synthetic_home):
    return synthetic_home


@pytest.fixture(autouse=True)
def _restore_home(monkeypatch, home):
    monkeypatch.setenv(HOME_ENV, str(home))  # main() sets it; monkeypatch puts it back


def _count(home, sql):
    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()[0][0]


def test_export_a_date_range_as_parquet(home, tmp_path, capsys):
    out = tmp_path / "events.parquet"
    code = main(
        [
            "export",
            "--table",
            "events",
            "--since",
            "2024-07-30",
            "--until",
            "2024-08-02",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    expected = _count(
        home, "SELECT count(*) FROM events WHERE event_date BETWEEN '2024-07-30' AND '2024-08-02'"
    )
    table = pq.read_table(out)
    assert 0 < table.num_rows == expected
    assert table.schema.equals(TABLES["events"].arrow_schema(), check_metadata=True)
    days = set(table.column("event_date").to_pylist())
    assert min(days) >= date(2024, 7, 30) and max(days) <= date(2024, 8, 2)
    assert f"{expected} rows of events" in capsys.readouterr().out


def test_export_csv_and_the_gdelt_view(home, tmp_path):
    csv = tmp_path / "dyad_month.csv"
    assert main(["export", "--table", "dyad_month", "--format", "csv", "-o", str(csv)]) == 0
    with csv.open(newline="") as handle:
        rows = list(reader(handle))
    assert rows[0] == TABLES["dyad_month"].column_names
    assert len(rows) - 1 == _count(home, "SELECT count(*) FROM dyad_month")
    gdelt = tmp_path / "gdelt.parquet"
    assert (
        main(["export", "--table", "gdelt_events", "--since", "2024-08-01", "-o", str(gdelt)]) == 0
    )
    sqldates = pq.read_table(gdelt).column("SQLDATE").to_pylist()
    assert sqldates and min(sqldates) >= 20240801
    assert len(sqldates) == _count(
        home, "SELECT count(*) FROM events WHERE event_date >= '2024-08-01'"
    )


def test_export_refuses_what_it_cannot_do(tmp_path, capsys):
    assert main(["export", "--table", "nope", "-o", str(tmp_path / "x.csv")]) == 2
    assert "one of: articles" in capsys.readouterr().err
    assert (
        main(
            [
                "export",
                "--table",
                "cameo_roles",
                "--since",
                "2024-08-01",
                "-o",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert "no date column" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_plot_writes_a_png_with_bins_the_span_allows(home, tmp_path, capsys):
    out = tmp_path / "usa-chn.png"
    assert main(["plot", "--dyad", "USA-CHN", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(PNG) and out.stat().st_size > 20_000
    said = capsys.readouterr().out
    assert "events of USA-CHN per day" in said  # eight days of data: daily bins
    assert main(["plot", "--dyad", "USA-CHN", "--directed"]) == 0
    assert (home / "plots" / "dyad-USA-CHN.png").read_bytes().startswith(PNG)


def test_plot_of_a_dyad_without_events_names_the_busy_ones(capsys):
    assert main(["plot", "--dyad", "FRA-DEU"]) == 1
    err = capsys.readouterr().err
    assert "no events between FRA and DEU" in err and "the busiest dyads:" in err
    assert main(["plot", "--dyad", "USA"]) == 2


def test_bins_follow_the_span_covered():
    assert choose_bins(date(2024, 8, 1), date(2024, 8, 21)) is Bins.WEEK
    assert choose_bins(date(2024, 8, 1), date(2024, 8, 14)) is Bins.DAY
    assert choose_bins(date(2024, 1, 1), date(2024, 8, 21)) is Bins.MONTH
    assert f"per {Bins.WEEK}" == "per week"
    assert parse_dyad("usa-chn") == ("USA", "CHN")


def test_rebuild_applies_a_new_deduplication_rule_to_what_is_published(
    home, tmp_path, capsys, monkeypatch
):
    copy = tmp_path / "data"
    shutil.copytree(home, copy, symlinks=True)  # the release link and its files, as cp -a does
    before = _count(copy, "SELECT count(*) FROM events")
    key = "event_date,source_actor,target_actor,event_code,location_country"
    split = _count(
        copy,
        f"SELECT count(DISTINCT ({key})) FROM event_mentions WHERE target_actor IS NOT NULL",
    )
    assert split > before  # the stream has the same act on one dyad and day in two countries

    monkeypatch.setenv("DYADFLOW_EVENT_KEY", key)
    assert main(["rebuild", "--home", str(copy)]) == 0
    assert f"rebuilt under the key {key} and published as" in capsys.readouterr().out
    assert _count(copy, "SELECT count(*) FROM events") == split
    assert _count(copy, "SELECT dedup_key FROM releases ORDER BY release_id DESC LIMIT 1") == key
    assert _count(home, "SELECT count(*) FROM events") == before  # the original is untouched

    assert main(["rebuild", "--home", str(tmp_path / "nowhere")]) == 1
    assert "no warehouse at" in capsys.readouterr().err
