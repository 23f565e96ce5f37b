"""``gdelt_events``: the events table under the GDELT 2.0 event table's column names and order, so
that GDELT users' queries run with little change.

Every GDELT column is present. Those dyadflow has no data for (tone, ethnicity, religion, actor
geography, second-level divisions) are typed NULLs, so a query naming them still runs. Where dyadflow's
meaning differs from GDELT's, the column description says so.
"""

from __future__ import annotations

from pipelines.warehouse.dictionary import Column, View


def _col(name: str, type_: str, expr: str, description: str) -> Column:
    return Column(name, type_, description, expr=expr)


_TONE = "dyadflow scores no tone"
_ATTRIBUTES = "the actor dictionaries carry no ethnic or religious codes"
_ACTOR_PLACE = "dyadflow places the act (ActionGeo), not each actor"
_ADM2 = "the gazetteer holds first-level divisions only"


def _null(name: str, type_: str, why: str) -> Column:
    return _col(name, type_, f"NULL::{type_}", f"Always null: {why}.")


def _actor(n: int, side: str) -> tuple[Column, ...]:
    a = f"Actor{n}"
    return (
        _col(
            f"{a}Code",
            "VARCHAR",
            f"e.{side}_actor",
            f"Full CAMEO actor code (events.{side}_actor).",
        ),
        _col(
            f"{a}Name",
            "VARCHAR",
            f"e.{side}_name",
            f"The actor as written in the text (events.{side}_name); GDELT gives a normalised, "
            "upper-case name instead.",
        ),
        _col(
            f"{a}CountryCode",
            "VARCHAR",
            f"e.{side}_country",
            f"CAMEO country code of the actor (events.{side}_country).",
        ),
        _col(
            f"{a}KnownGroupCode",
            "VARCHAR",
            f"e.{side}_group",
            f"Known group (IGO, NGO, ...) code of the actor (events.{side}_group).",
        ),
        _null(f"{a}EthnicCode", "VARCHAR", _ATTRIBUTES),
        _null(f"{a}Religion1Code", "VARCHAR", _ATTRIBUTES),
        _null(f"{a}Religion2Code", "VARCHAR", _ATTRIBUTES),
        *(
            _col(
                f"{a}Type{i}Code",
                "VARCHAR",
                f"e.{side}_roles[{i}]",
                f"Role code number {i} of the actor (events.{side}_roles[{i}]).",
            )
            for i in (1, 2, 3)
        ),
    )


def _geo_nulls(prefix: str) -> tuple[Column, ...]:
    fields = (
        ("Type", "INTEGER"), ("FullName", "VARCHAR"), ("CountryCode", "VARCHAR"),
        ("ADM1Code", "VARCHAR"), ("ADM2Code", "VARCHAR"), ("Lat", "DOUBLE"), ("Long", "DOUBLE"),
        ("FeatureID", "VARCHAR"),
    )  # fmt: skip
    return tuple(_null(f"{prefix}_{name}", type_, _ACTOR_PLACE) for name, type_ in fields)


GDELT_EVENTS = View(
    "gdelt_events",
    "The events table with GDELT 2.0 event-table column names, one row per event. Columns "
    "dyadflow does not code are null; country codes are CAMEO's (mostly ISO 3166 alpha-3), not "
    "FIPS 10-4 as in GDELT's geography fields.",
    (
        _col(
            "GLOBALEVENTID",
            "BIGINT",
            "CAST(('0x' || left(e.event_id, 15)) AS BIGINT)",
            "A stable integer, as GDELT's: the first 15 hex digits of events.event_id read as a "
            "number (60 bits; the same event has the same number in every run).",
        ),
        _col(
            "SQLDATE",
            "INTEGER",
            "CAST(strftime(e.event_date, '%Y%m%d') AS INTEGER)",
            "Event date as YYYYMMDD.",
        ),
        _col(
            "MonthYear",
            "INTEGER",
            "CAST(year(e.event_date) * 100 + month(e.event_date) AS INTEGER)",
            "Event month as YYYYMM.",
        ),
        _col("Year", "INTEGER", "CAST(year(e.event_date) AS INTEGER)", "Event year."),
        _col(
            "FractionDate",
            "DOUBLE",
            "round(year(e.event_date) + (month(e.event_date) * 30 + day(e.event_date)) / 365, 4)",
            "Event date as YYYY.FFFF with GDELT's approximation (month * 30 + day) / 365.",
        ),
        *_actor(1, "source"),
        *_actor(2, "target"),
        _col(
            "IsRootEvent",
            "INTEGER",
            "CAST(e.in_lead AS INTEGER)",
            "1 when the event is coded in the first sentence of an article reporting it "
            "(events.in_lead), else 0.",
        ),
        _col("EventCode", "VARCHAR", "e.event_code", "CAMEO event code."),
        _col("EventBaseCode", "VARCHAR", "e.event_base_code", "3-digit CAMEO base code."),
        _col("EventRootCode", "VARCHAR", "e.event_root_code", "2-digit CAMEO root code."),
        _col(
            "QuadClass",
            "INTEGER",
            "CAST(e.quad_class AS INTEGER)",
            "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
        ),
        _col("GoldsteinScale", "DOUBLE", "e.goldstein", "Goldstein score of the event code."),
        _col(
            "NumMentions",
            "INTEGER",
            "e.num_mentions",
            "events.num_mentions: over every article in the warehouse, not only those of the "
            "first 15 minutes as in GDELT.",
        ),
        _col("NumSources", "INTEGER", "e.num_sources", "events.num_sources, over every article."),
        _col(
            "NumArticles", "INTEGER", "e.num_articles", "events.num_articles, over every article."
        ),
        _null("AvgTone", "DOUBLE", _TONE),
        *_geo_nulls("Actor1Geo"),
        *_geo_nulls("Actor2Geo"),
        _col(
            "ActionGeo_Type",
            "INTEGER",
            "CASE e.location_geo_type WHEN 'city' THEN 4 WHEN 'country' THEN 1 END",
            "4 (world city) when the coordinates are a city's, 1 (country) when they are the "
            "country's point; null when the text gives no place.",
        ),
        _col(
            "ActionGeo_FullName",
            "VARCHAR",
            "nullif(concat_ws(', ', e.location_place, c.name), '')",
            "Place name and country name of where the event happened.",
        ),
        _col(
            "ActionGeo_CountryCode",
            "VARCHAR",
            "e.location_country",
            "CAMEO country code of where the event happened (GDELT uses FIPS 10-4 here).",
        ),
        _col(
            "ActionGeo_ADM1Code",
            "VARCHAR",
            "e.location_adm1",
            "GeoNames admin1 code of the city (ISO alpha-2 country, dot, code; GDELT writes FIPS "
            "country and code without the dot).",
        ),
        _null("ActionGeo_ADM2Code", "VARCHAR", _ADM2),
        _col(
            "ActionGeo_Lat", "DOUBLE", "e.location_latitude", "Latitude (events.location_latitude)."
        ),
        _col(
            "ActionGeo_Long",
            "DOUBLE",
            "e.location_longitude",
            "Longitude (events.location_longitude).",
        ),
        _col(
            "ActionGeo_FeatureID",
            "VARCHAR",
            "CAST(e.location_geonameid AS VARCHAR)",
            "GeoNames id of the city (GDELT's feature id is also a GeoNames or GNS id).",
        ),
        _col(
            "DATEADDED",
            "BIGINT",
            "CAST(strftime(e.first_seen, '%Y%m%d%H%M%S') AS BIGINT)",
            "When the event was first reported (events.first_seen) as YYYYMMDDHHMMSS, UTC.",
        ),
        _col("SOURCEURL", "VARCHAR", "e.source_url", "URL of the earliest report of the event."),
        _col(
            "event_id",
            "VARCHAR",
            "e.event_id",
            "Not a GDELT column: events.event_id, the hex identifier GLOBALEVENTID is read from, "
            "to join back to dyadflow's tables.",
        ),
    ),
    "FROM events AS e\nLEFT JOIN cameo_countries AS c ON c.code = e.location_country",
    date_column="SQLDATE",
)
