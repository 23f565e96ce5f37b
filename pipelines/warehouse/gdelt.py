"""``gdelt_events``: the events table under the GDELT 2.0 event table's column names and order, so
that GDELT users' queries run with little change.

Every GDELT column is present. Those dyadflow has no data for (tone, ethnicity, religion, actor
geography, coordinates) are typed NULLs, so a query naming them still runs. Where dyadflow's
meaning differs from GDELT's, the column description says so.
"""

from __future__ import annotations

from pipelines.warehouse.dictionary import Column, View


def _col(name: str, type_: str, expr: str, description: str) -> Column:
    return Column(name, type_, description, expr=expr)


def _null(name: str, type_: str) -> Column:
    return _col(name, type_, f"NULL::{type_}", "Not coded by dyadflow: always null.")


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
        _null(f"{a}EthnicCode", "VARCHAR"),
        _null(f"{a}Religion1Code", "VARCHAR"),
        _null(f"{a}Religion2Code", "VARCHAR"),
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
    return (
        _null(f"{prefix}_Type", "INTEGER"),
        _null(f"{prefix}_FullName", "VARCHAR"),
        _null(f"{prefix}_CountryCode", "VARCHAR"),
        _null(f"{prefix}_ADM1Code", "VARCHAR"),
        _null(f"{prefix}_ADM2Code", "VARCHAR"),
        _null(f"{prefix}_Lat", "DOUBLE"),
        _null(f"{prefix}_Long", "DOUBLE"),
        _null(f"{prefix}_FeatureID", "VARCHAR"),
    )


GDELT_EVENTS = View(
    "gdelt_events",
    "The events table with GDELT 2.0 event-table column names, one row per event. Columns "
    "dyadflow does not code are null; country codes are CAMEO's (mostly ISO 3166 alpha-3), not "
    "FIPS 10-4 as in GDELT's geography fields.",
    (
        _col(
            "GLOBALEVENTID",
            "VARCHAR",
            "e.event_id",
            "events.event_id: a stable 20-hex-digit hash (a string, where GDELT has an integer).",
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
        _null("IsRootEvent", "INTEGER"),
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
        _null("AvgTone", "DOUBLE"),
        *_geo_nulls("Actor1Geo"),
        *_geo_nulls("Actor2Geo"),
        _col(
            "ActionGeo_Type",
            "INTEGER",
            "CASE WHEN e.location_place IS NOT NULL THEN 4 WHEN e.location_country IS NOT NULL THEN 1 END",
            "1 when only the country of the event is known, 4 when a place name is given (dyadflow "
            "does not tell cities from regions); null when the text gives no place.",
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
        _null("ActionGeo_ADM1Code", "VARCHAR"),
        _null("ActionGeo_ADM2Code", "VARCHAR"),
        _null("ActionGeo_Lat", "DOUBLE"),
        _null("ActionGeo_Long", "DOUBLE"),
        _null("ActionGeo_FeatureID", "VARCHAR"),
        _col(
            "DATEADDED",
            "BIGINT",
            "CAST(strftime(e.first_seen, '%Y%m%d%H%M%S') AS BIGINT)",
            "When the event was first reported (events.first_seen) as YYYYMMDDHHMMSS, UTC.",
        ),
        _col("SOURCEURL", "VARCHAR", "e.source_url", "URL of the earliest report of the event."),
    ),
    "FROM events AS e\nLEFT JOIN cameo_countries AS c ON c.code = e.location_country",
    date_column="SQLDATE",
)
