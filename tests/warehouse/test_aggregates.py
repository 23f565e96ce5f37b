"""The aggregates equal a recomputation from events, written here independently in pandas, after
a sequence of publications that adds, replaces and withdraws days."""

import duckdb
import pandas as pd
import pytest

from pipelines.datamodel.record_frames import quarantine_frame
from pipelines.datamodel.tables import EVENT_MENTIONS
from pipelines.warehouse.aggregates import dyad_day_sql
from tests.warehouse.synthetic import publish_all, stream

QUADS = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}


def _measures(group: pd.DataFrame) -> pd.Series:
    quad = group["quad_class"]
    counts = {name: int((quad == q).sum()) for q, name in QUADS.items()}
    return pd.Series(
        {
            "events": len(group),
            "mentions": int(group["num_mentions"].sum()),
            **counts,
            "cooperation": int(quad.isin([1, 2]).sum()),
            "conflict": int(quad.isin([3, 4]).sum()),
            "goldstein_sum": float(group["goldstein"].sum()),
            "goldstein_mean": float(group["goldstein"].mean()),
        }
    )


def _expected(events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    e = events.assign(
        source=events["source_country"].fillna(events["source_actor"]),
        target=events["target_country"].fillna(events["target_actor"]),
        month=events["event_date"].dt.to_period("M").dt.to_timestamp(),
    )
    dyad_day = e.groupby(["event_date", "source", "target"]).apply(_measures, include_groups=False)
    dyad_month = e.groupby(["month", "source", "target"]).apply(_measures, include_groups=False)
    as_source = e.assign(country=e["source"], is_source=True, is_target=e["source"] == e["target"])
    as_target = e[e["source"] != e["target"]].assign(
        country=e["target"], is_source=False, is_target=True
    )
    involved = pd.concat([as_source, as_target])
    country_month = involved.groupby(["month", "country"]).apply(
        lambda g: pd.concat(
            [
                pd.Series(
                    {
                        "as_source": int(g["is_source"].sum()),
                        "as_target": int(g["is_target"].sum()),
                        "domestic": int((g["is_source"] & g["is_target"]).sum()),
                    }
                ),
                _measures(g),
            ]
        ),
        include_groups=False,
    )
    month_events = e.groupby("month").size()
    for frame in (dyad_month, country_month):
        frame["month_events"] = month_events.reindex(frame.index.get_level_values(0)).to_numpy()
    return {"dyad_day": dyad_day, "dyad_month": dyad_month, "country_month": country_month}


def _published(con, table: str, keys: list[str]) -> pd.DataFrame:
    frame = con.execute(f"SELECT * FROM {table}").fetchdf()
    frame = frame.rename(columns={"source_country": "source", "target_country": "target"})
    return frame.set_index(keys).sort_index()


def _compare(warehouse):
    with warehouse.connect() as con:
        events = con.execute("SELECT * FROM events").fetchdf()
        published = {
            "dyad_day": _published(con, "dyad_day", ["event_date", "source", "target"]),
            "dyad_month": _published(con, "dyad_month", ["month", "source", "target"]),
            "country_month": _published(con, "country_month", ["month", "country"]),
        }
    expected = _expected(events)
    for name, frame in published.items():
        want = expected[name].sort_index()
        assert list(frame.index) == list(want.index), name
        for column in want.columns:
            pd.testing.assert_series_equal(
                frame[column].astype("float64"),
                want[column].astype("float64"),
                check_names=False,
                check_index_type=False,
                obj=f"{name}.{column}",
            )
    return events


@pytest.mark.slow
def test_aggregates_equal_a_recomputation_from_events(warehouse):
    days = stream(days=8, per_day=10, seed=11)
    publish_all(warehouse, days)
    events = _compare(warehouse)
    assert events["quad_class"].nunique() == 4
    assert events["event_date"].dt.month.nunique() == 2  # the stream crosses a month boundary
    assert (events["source_country"].isna()).any()  # an IGO among the actors

    # Replace a day with one that has no events, and another with a later version of itself.
    empty = EVENT_MENTIONS.frame()
    warehouse.publish_partition(days[3].day, days[3].articles, quarantine_frame([]), empty)
    changed = stream(days=8, per_day=10, seed=12)[5]
    warehouse.publish_partition(days[5].day, changed.articles, changed.quarantine, changed.mentions)
    _compare(warehouse)


def test_every_event_is_counted_once_per_dyad_and_once_per_country(synthetic_warehouse):
    with synthetic_warehouse.connect() as con:
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        dyads = con.execute("SELECT sum(events) FROM dyad_month").fetchall()[0][0]
        involved = con.execute("SELECT sum(events) FROM country_month").fetchall()[0][0]
        domestic = con.execute(
            "SELECT count(*) FROM events WHERE coalesce(source_country, source_actor) = "
            "coalesce(target_country, target_actor)"
        ).fetchall()[0][0]
    assert dyads == events
    assert involved == 2 * events - domestic


def test_the_shares_of_a_month_add_up(synthetic_warehouse):
    with synthetic_warehouse.connect() as con:
        shares = con.execute(
            "SELECT month, sum(events / month_events) FROM dyad_month GROUP BY ALL"
        ).fetchall()
    assert len(shares) == 2 and all(abs(share - 1) < 1e-9 for _, share in shares)


def test_the_measures_do_not_depend_on_the_order_events_are_stored_in():
    # Goldstein sums and means exact to the last digit, however the events lie in the table
    # (publications append the events they change): a release is reproducible.
    weights = [0.1, 0.2, 0.3, -9.2, 3.4, 7.4, -0.1, 1.9] * 25
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE weights AS SELECT unnest(?) AS goldstein, generate_subscripts(?, 1) AS n",
        [weights, weights],
    )
    results = []
    for order in ("n", "n DESC", "goldstein, n", "hash(n)"):
        con.execute(
            "CREATE OR REPLACE TABLE events AS SELECT DATE '2024-08-06' AS event_date, "
            "'USA' AS source_country, 'CHN' AS target_country, NULL AS source_actor, "
            "NULL AS target_actor, 1 AS num_mentions, 1 AS quad_class, goldstein "
            f"FROM weights ORDER BY {order}"
        )
        results.append(con.execute(dyad_day_sql()).fetchall())
    assert all(r == results[0] for r in results)
    assert results[0][0][-2:] == (round(sum(weights), 1), round(sum(weights) / len(weights), 12))
