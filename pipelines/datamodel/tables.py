"""The tables of the warehouse (and its views, from ``views.py``): what a row is, the fields it holds (by name, from
``fields.py``), its key and its partition column.

Where a table's use of a field has a nuance of its own, the table adds a short note to the
field's description (``_use``); the description itself lives once, in ``fields.py``.
"""

from __future__ import annotations

from pipelines.datamodel.columns import Column, Table, TableKind, View
from pipelines.datamodel.fields import ACTOR_CODE, COUNTED_TABLES, FIELDS
from pipelines.datamodel.views import GDELT_EVENTS

__all__ = ["COUNTED_TABLES", "TABLES", "VIEWS", "Column", "Table", "View"]


def _use(name: str, note: str | None = None, **changes) -> Column:
    return FIELDS[name].use(note, **changes)


def _columns(*fields: str | Column) -> tuple[Column, ...]:
    return tuple(FIELDS[f] if isinstance(f, str) else f for f in fields)


_CAMEO_FIELDS = (
    _use("event_code", "As specific as the text allows."),
    "event_base_code",
    "event_root_code",
    "quad_class",
    "goldstein",
    "plover_type",
)

ARTICLES = Table(
    "articles",
    "News articles read from the configured sources, one row per article, partitioned by "
    "publication date (UTC).",
    _columns(
        "article_id",
        "published_date",
        "published_at",
        "title",
        "url",
        "outlet",
        "language",
        "content_hash",
        "duplicate_of",
        "source_file",
        "source_line",
        "text",
    ),
    key=("article_id",),
    partition_column="published_date",
)

QUARANTINE = Table(
    "quarantine",
    "Input records that could not be read, with where they are and why. Nothing is dropped "
    "silently.",
    _columns(
        _use("source_file", nullable=False),
        "location",
        "reason",
        "snippet",
        "record_id",
        _use("published_date", "Null when the record's date could not be read.", nullable=True),
    ),
    key=("source_file", "location"),
)

EVENT_MENTIONS = Table(
    "event_mentions",
    "One row per event coded in a sentence: the evidence behind every event, with character spans.",
    _columns(
        "mention_id",
        _use("article_id", "The article the sentence comes from."),
        "published_date",
        "sentence_index",
        "sentence_start",
        "sentence",
        _use(
            "source_actor",
            "Null for a one-sided mention whose doer the text does not name (a car bomb, an "
            "abduction by unknown men).",
            nullable=True,
        ),
        "source_text",
        "source_start",
        "source_end",
        _use("target_actor", "Null for non-dyadic mentions.", nullable=True),
        "target_text",
        "target_start",
        "target_end",
        "trigger_text",
        "trigger_start",
        "trigger_end",
        *_CAMEO_FIELDS,
        "event_date",
        "date_precision",
        "date_text",
        "location_country",
        "location_place",
        "is_dyadic",
        "confidence",
        "rule",
        "coder_version",
    ),
    key=("mention_id",),
    partition_column="published_date",
)


def _actor(side: str) -> tuple[str | Column, ...]:
    return (
        f"{side}_actor",
        _use(
            f"{side}_country",
            f"The country part of {side}_actor; null for actors with no country (IGOs, NGOs).",
        ),
        f"{side}_group",
        f"{side}_roles",
        f"{side}_name",
    )


_MOST_FREQUENT = "The most frequent among the mentions."

EVENTS = Table(
    "events",
    "Deduplicated dyadic events, a GDELT-like record: one row per act, aggregating every mention "
    "of it in every article in the warehouse, copies of a story included. By default an act is "
    "(event date, source actor, target actor, CAMEO event code), with actors named at different "
    "grain and next-day reports of a dated act matched (docs/coding.md, 'One act, one event'). "
    "The rule is configurable (docs/publication.md).",
    _columns(
        "event_id",
        _use("event_date", "An undated act takes the publication date of its earliest report."),
        "date_precision",
        _use("date_text", "That of the mentions that dated the act (the most precise one)."),
        *_actor("source"),
        *_actor("target"),
        *_CAMEO_FIELDS,
        "num_mentions",
        "num_articles",
        "num_sources",
        _use("confidence", "The highest among the mentions."),
        _use("location_country", _MOST_FREQUENT),
        _use("location_place", _MOST_FREQUENT),
        "location_latitude",
        "location_longitude",
        "location_geo_type",
        "location_adm1",
        "location_geonameid",
        "first_seen",
        "last_seen",
        "source_url",
        "source_urls",
        "in_lead",
        "mention_ids",
        _use(
            "coder_version",
            "That of the mentions; several, comma-separated, when they were coded by "
            "different versions.",
        ),
    ),
    key=("event_id",),
    partition_column="event_date",
    kind=TableKind.DERIVED,
)

# A dyad side in the aggregates: a country, or the full code of an actor with no country.
_DYAD_MEMBERS = tuple(
    _use(
        f"{side}_country",
        f"Here the {side} side of the directed dyad: events.{side}_country, or the full actor "
        "code for actors with no country (IGOs, NGOs).",
        nullable=False,
        pattern=ACTOR_CODE,
    )
    for side in ("source", "target")
)

_MEASURES = (
    "events",
    _use(
        "mentions",
        "Sum of num_mentions over the events (a sentence counts once per article carrying it).",
    ),
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
    "cooperation",
    "conflict",
    "goldstein_sum",
    "goldstein_mean",
)

DYAD_DAY = Table(
    "dyad_day",
    "Directed country dyads per day: event counts by quad class, cooperation and conflict, "
    "Goldstein sum and mean. Only dyad-days with at least one event have a row.",
    _columns(
        _use("event_date", "Here the day of the events: events.event_date."),
        *_DYAD_MEMBERS,
        *_MEASURES,
    ),
    key=("event_date", "source_country", "target_country"),
    partition_column="event_date",
    kind=TableKind.DERIVED,
)

DYAD_MONTH = Table(
    "dyad_month",
    "Directed country dyads per calendar month: the dyad-month panel (rows only for dyad-months "
    "with at least one event; a missing row means zero events).",
    _columns("month", *_DYAD_MEMBERS, *_MEASURES, "month_events"),
    key=("month", "source_country", "target_country"),
    partition_column="month",
    kind=TableKind.DERIVED,
)

COUNTRY_MONTH = Table(
    "country_month",
    "Countries per calendar month: the events a country took part in, as source or target (an "
    "event counts once per country, a domestic event once).",
    _columns(
        "month",
        "country",
        "as_source",
        "as_target",
        "domestic",
        *_MEASURES,
        "month_events",
    ),
    key=("month", "country"),
    partition_column="month",
    kind=TableKind.DERIVED,
)

COVERAGE_DAY = Table(
    "coverage_day",
    "What was read, coded and set aside per publication day and outlet: the input behind the "
    "counts, to normalise them (events per article read) and to tell a day with no events from "
    "a day with no input. A day published with nothing to read has one row of zeros; a day "
    "never published has no row. Quarantined records whose date could not be read are in "
    "quarantine only.",
    _columns(
        "published_date",
        _use("outlet", "Null also for quarantined records, whose outlet is not known."),
        "articles",
        "copies",
        "coded",
        _use(
            "mentions",
            "Here those coded from the day's articles (event_mentions rows; copies are not coded).",
        ),
        "dyadic_mentions",
        "quarantined",
    ),
    kind=TableKind.DERIVED,
)

CAMEO_EVENT_CODES = Table(
    "cameo_event_codes",
    "The CAMEO event codebook (CAMEO manual 1.1b3) with Goldstein weights, quad classes and "
    "PLOVER types.",
    _columns(
        "event_code",
        _use("name", "the CAMEO manual's."),
        "level",
        "root_code",
        "base_code",
        "goldstein",
        "quad_class",
        "plover_type",
    ),
    key=("event_code",),
    kind=TableKind.CODEBOOK,
)

CAMEO_COUNTRIES = Table(
    "cameo_countries",
    "CAMEO country and region codes: the first part of an actor code.",
    _columns(
        _use("code", "3 letters for states and regions, 6 for dependencies (USAPRI)."),
        _use("name", "the country or region."),
        "iso3",
        _use(
            "kind",
            "state, dependency, historical or region.",
            values=("state", "dependency", "historical", "region"),
        ),
    ),
    key=("code",),
    kind=TableKind.CODEBOOK,
)

CAMEO_ROLES = Table(
    "cameo_roles",
    "CAMEO actor role and sector codes (GOV, MIL, COP, REB, OPP, IGO, ...): the parts of an actor "
    "code after the country.",
    _columns(
        _use("code", "a 3-letter role code."),
        _use("name", "what the role covers."),
        "tier",
    ),
    key=("code",),
    kind=TableKind.CODEBOOK,
)

CAMEO_PLOVER = Table(
    "cameo_plover",
    "Mapping of CAMEO event codes to PLOVER event types and modes; a code without a row takes "
    "the mapping of its longest listed prefix.",
    _columns("cameo_code", _use("plover_type", nullable=False), "plover_mode", "plover_context"),
    key=("cameo_code",),
    kind=TableKind.CODEBOOK,
)

ACTOR_DICTIONARY = Table(
    "actor_dictionary",
    "The coder's actor dictionary (package files plus the folders in $DYADFLOW_DICTIONARIES): "
    "every phrase it recognises as an actor or a role, and the code it gives; the one the "
    "published events were coded with (releases.dictionary_version). The coder "
    'composes a country phrase and a role phrase into one code ("Mali\'s military" -> MLIMIL).',
    _columns(
        "phrase",
        _use(
            "kind",
            "country, adjective (demonyms too), capital (stands for the government when it "
            "acts), organisation, group (non-state armed groups), person or role.",
            values=("country", "adjective", "capital", "organisation", "group", "person", "role"),
        ),
        "entry",
        _use(
            "code",
            "the one the phrase gives, a country code, a full actor code (organisations, "
            "groups, people in office) or a role code (roles).",
        ),
        "valid_from",
        "valid_to",
        "dictionary",
    ),
    kind=TableKind.CODEBOOK,
)

RELEASES = Table(
    "releases",
    "One row per publication: what was published, by which versions, when, and the row counts "
    "after it. The last row describes the data in this file; cite its dataset_version.",
    _columns(
        "release_id",
        "dataset_version",
        "built_at",
        "action",
        "day",
        "event_dates",
        "dyadflow_version",
        "coder_versions",
        "codebook_version",
        "dictionary_version",
        "dedup_key",
        "inputs",
        *(f"rows_{name}" for name in COUNTED_TABLES),
    ),
    key=("release_id",),
    kind=TableKind.METADATA,
)

VALIDATION_RUNS = Table(
    "validation_runs",
    "The history of validations (Great Expectations suites and volume checks run as Dagster "
    "asset checks), one row per validation, loaded at each publication from the records under "
    "<data folder>/validation/runs, and at once when a failed check blocks a day.",
    _columns(
        "record",
        "validated_at",
        "suite",
        "batch",
        "check_name",
        "status",
        "expectations",
        "failed",
        "errors",
        "warnings",
        "rows",
        "failures",
        "docs_page",
        "dagster_run_id",
    ),
    key=("record",),
    kind=TableKind.METADATA,
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        ARTICLES,
        QUARANTINE,
        EVENT_MENTIONS,
        EVENTS,
        DYAD_DAY,
        DYAD_MONTH,
        COUNTRY_MONTH,
        COVERAGE_DAY,
        CAMEO_EVENT_CODES,
        CAMEO_COUNTRIES,
        CAMEO_ROLES,
        CAMEO_PLOVER,
        ACTOR_DICTIONARY,
        RELEASES,
        VALIDATION_RUNS,
    )
}

VIEWS: dict[str, View] = {v.name: v for v in (GDELT_EVENTS,)}
