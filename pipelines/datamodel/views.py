"""The warehouse's views: ``gdelt_events``, the events table under GDELT 2.0's column names."""

from __future__ import annotations

from pipelines.datamodel.columns import Column, View
from pipelines.datamodel.fields import FIELDS


def _view(name: str, expr: str, note: str | None = None) -> Column:
    # A view's columns carry no NOT NULL: the Parquet extracts of a view type every column nullable.
    return FIELDS[name].use(note, expr=expr, nullable=True)


def _null(name: str) -> Column:
    return _view(name, f"NULL::{FIELDS[name].type}")


def _gdelt_actor(n: int, side: str) -> tuple[Column, ...]:
    a = f"Actor{n}"
    return (
        _view(f"{a}Code", f"e.{side}_actor"),
        _view(f"{a}Name", f"e.{side}_name"),
        _view(f"{a}CountryCode", f"e.{side}_country"),
        _view(f"{a}KnownGroupCode", f"e.{side}_group"),
        _null(f"{a}EthnicCode"),
        _null(f"{a}Religion1Code"),
        _null(f"{a}Religion2Code"),
        *(_view(f"{a}Type{i}Code", f"e.{side}_roles[{i}]") for i in (1, 2, 3)),
    )


def _gdelt_geo_nulls(prefix: str) -> tuple[Column, ...]:
    names = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    return tuple(_null(f"{prefix}_{name}") for name in names)


# The events table under the GDELT 2.0 event table's column names and order, so that GDELT
# users' queries run with little change. Every GDELT column is present; those dyadflow has no
# data for are typed NULLs, so a query naming them still runs.
GDELT_EVENTS = View(
    "gdelt_events",
    "The events table with GDELT 2.0 event-table column names, one row per event. Columns "
    "dyadflow does not code are null; country codes are CAMEO's (mostly ISO 3166 alpha-3), not "
    "FIPS 10-4 as in GDELT's geography fields.",
    (
        _view("GLOBALEVENTID", "CAST(('0x' || left(e.event_id, 15)) AS BIGINT)"),
        _view("SQLDATE", "CAST(strftime(e.event_date, '%Y%m%d') AS INTEGER)"),
        _view("MonthYear", "CAST(year(e.event_date) * 100 + month(e.event_date) AS INTEGER)"),
        _view("Year", "CAST(year(e.event_date) AS INTEGER)"),
        _view(
            "FractionDate",
            "round(year(e.event_date) + (month(e.event_date) * 30 + day(e.event_date)) / 365, 4)",
        ),
        *_gdelt_actor(1, "source"),
        *_gdelt_actor(2, "target"),
        _view("IsRootEvent", "CAST(e.in_lead AS INTEGER)"),
        _view("EventCode", "e.event_code"),
        _view("EventBaseCode", "e.event_base_code"),
        _view("EventRootCode", "e.event_root_code"),
        _view("QuadClass", "CAST(e.quad_class AS INTEGER)"),
        _view("GoldsteinScale", "e.goldstein"),
        _view("NumMentions", "e.num_mentions"),
        _view("NumSources", "e.num_sources"),
        _view("NumArticles", "e.num_articles"),
        _null("AvgTone"),
        *_gdelt_geo_nulls("Actor1Geo"),
        *_gdelt_geo_nulls("Actor2Geo"),
        _view(
            "ActionGeo_Type",
            "CASE e.location_geo_type WHEN 'city' THEN 4 WHEN 'country' THEN 1 END",
        ),
        _view("ActionGeo_FullName", "nullif(concat_ws(', ', e.location_place, c.name), '')"),
        _view("ActionGeo_CountryCode", "e.location_country"),
        _view("ActionGeo_ADM1Code", "e.location_adm1"),
        _null("ActionGeo_ADM2Code"),
        _view("ActionGeo_Lat", "e.location_latitude"),
        _view("ActionGeo_Long", "e.location_longitude"),
        _view("ActionGeo_FeatureID", "CAST(e.location_geonameid AS VARCHAR)"),
        _view("DATEADDED", "CAST(strftime(e.first_seen, '%Y%m%d%H%M%S') AS BIGINT)"),
        _view("SOURCEURL", "e.source_url"),
        _view(
            "event_id",
            "e.event_id",
            "Not a GDELT column: the hex identifier GLOBALEVENTID is read from, to join back "
            "to dyadflow's tables.",
        ),
    ),
    "FROM events AS e\nLEFT JOIN cameo_countries AS c ON c.code = e.location_country",
    date_column="SQLDATE",
)
