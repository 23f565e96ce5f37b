"""The field dictionary: every column name of the warehouse, described once, with its type and
what every value obeys.

A table lists the fields it holds (``tables.py``); where one table's use of a field has a
nuance of its own, the table adds a short note to the description here, or changes a
constraint (a column null in one table only). DuckDB DDL and comments, the Parquet exports'
schemas, ``docs/schema.md`` and the structural expectations of the validation suites
(``pipelines/validation/structural.py``) all derive from this module and ``tables.py``.
"""

from __future__ import annotations

from pipelines.datamodel.columns import CodeList, Column
from pipelines.datamodel.records import DatePrecision

# A CAMEO actor code is a country, IGO or region code followed by role codes: blocks of three
# capital letters ("NER", "NGACOP", "IGOUNO", "IGOEUREEC").
ACTOR_CODE = r"^(?:[A-Z]{3})+$"
# A country code: three letters, six for dependencies (USAPRI).
COUNTRY_CODE = r"^[A-Z]{3}(?:[A-Z]{3})?$"
CONTENT_HASH = r"^[0-9a-f]{16,128}$"
EVENT_ID = r"^[0-9a-f]{16,64}$"

EVENT_CODES = CodeList("event_codes", "the CAMEO codebook's event codes")
BASE_CODES = CodeList("base_codes", "the CAMEO codebook's 3-digit base codes (and 2-digit roots)")
ROOT_CODES = CodeList("root_codes", "the CAMEO codebook's 2-digit root codes")
# how precisely the text dates an act (pipelines/coding/event_dates.py)
DATE_PRECISIONS = tuple(precision.value for precision in DatePrecision)
QUAD_CLASSES = (1, 2, 3, 4)

# Row counts recorded with every release: the tables a user would cite.
COUNTED_TABLES = (
    "articles",
    "event_mentions",
    "events",
    "dyad_day",
    "dyad_month",
    "country_month",
    "quarantine",
)

FIELDS: dict[str, Column] = {}


def _field(name: str, type_: str, description: str, nullable: bool = True, **constraints) -> None:
    assert name not in FIELDS, f"field {name} declared twice"
    FIELDS[name] = Column(name, type_, description, nullable, **constraints)


# --- what was read: articles and quarantine ---------------------------------------------------

_field(
    "article_id",
    "VARCHAR",
    "Article identifier (articles.article_id), unique among articles.",
    False,
)
_field(
    "published_date",
    "DATE",
    "Publication date (UTC) of the article.",
    False,
)
_field("published_at", "TIMESTAMP", "Publication timestamp, UTC.", False)
_field("title", "VARCHAR", "Headline as published.")
_field("url", "VARCHAR", "Where the article was published.")
_field("outlet", "VARCHAR", "Publishing outlet; null when the source names none.")
_field("language", "VARCHAR", "ISO 639-1 language code.")
_field(
    "content_hash",
    "VARCHAR",
    "Hash of the case-folded, whitespace-normalised text: equal for exact duplicates.",
    False,
    pattern=CONTENT_HASH,
)
_field(
    "duplicate_of",
    "VARCHAR",
    "For a copy of a story already in the warehouse (exact or near duplicate, such as a "
    "syndicated wire copy): the article_id of the original, which alone is coded. Null "
    "for originals.",
)
_field("source_file", "VARCHAR", "The input file the record was read from.")
_field("source_line", "INTEGER", "Line (or record number) in source_file.")
_field(
    "text",
    "VARCHAR",
    "Full article text after Unicode NFC and whitespace normalisation.",
    False,
)
_field("location", "VARCHAR", "Where in the file: 'line 12', 'byte 4096', 'entry 3'.", False)
_field("reason", "VARCHAR", "Why the record was set aside.", False)
_field("snippet", "VARCHAR", "The first characters of the raw record.")
_field("record_id", "VARCHAR", "The record's id, when one could be read.")

# --- what was coded: event mentions ------------------------------------------------------------

_field(
    "mention_id",
    "VARCHAR",
    "Stable identifier of the mention (hash of article, sentence, spans, actors and code).",
    False,
)
_field("sentence_index", "INTEGER", "0-based index of the sentence in the article text.", False)
_field("sentence_start", "INTEGER", "Character offset of the sentence in the article text.", False)
_field("sentence", "VARCHAR", "The sentence the event was coded from.", False)
_field("source_text", "VARCHAR", "Source actor as written.")
_field("source_start", "INTEGER", "Start of the source span, character offset in sentence.")
_field("source_end", "INTEGER", "End (exclusive) of the source span in sentence.")
_field("target_text", "VARCHAR", "Target actor as written.")
_field("target_start", "INTEGER", "Start of the target span in sentence.")
_field("target_end", "INTEGER", "End (exclusive) of the target span in sentence.")
_field(
    "trigger_text",
    "VARCHAR",
    "The words that express the event (verb, phrase or event noun).",
    False,
)
_field("trigger_start", "INTEGER", "Start of the trigger span in sentence.", False)
_field("trigger_end", "INTEGER", "End (exclusive) of the trigger span in sentence.", False)
_field(
    "is_dyadic",
    "BOOLEAN",
    "True when the mention names both a source and a target; only dyadic mentions become events.",
    False,
)
_field("rule", "VARCHAR", "The coder rule or lexicon entry that fired.", False)

# --- the act: shared by mentions and events ----------------------------------------------------

for _side, _role in (("source", "source (who acts)"), ("target", "target (who is acted on)")):
    _field(
        f"{_side}_actor",
        "VARCHAR",
        f"CAMEO actor code of the {_role}: a country or IGO code, then roles (NER, NERMIL, "
        "IGOUNO).",
        False,
        pattern=ACTOR_CODE,
    )
_field(
    "event_code",
    "VARCHAR",
    "CAMEO event code (2, 3 or 4 digits).",
    False,
    values=EVENT_CODES,
)
_field(
    "event_base_code",
    "VARCHAR",
    "The 3-digit CAMEO base code (equals the root for 2-digit codes).",
    False,
    values=BASE_CODES,
)
_field(
    "event_root_code",
    "VARCHAR",
    "The 2-digit CAMEO root code (01-20).",
    False,
    values=ROOT_CODES,
)
_field(
    "quad_class",
    "SMALLINT",
    "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
    False,
    values=QUAD_CLASSES,
)
_field(
    "goldstein",
    "DOUBLE",
    "Goldstein scale weight of the event code, -10 (most conflictual) to +10.",
    False,
    minimum=-10,
    maximum=10,
)
_field(
    "plover_type",
    "VARCHAR",
    "PLOVER event type of the CAMEO code (AGREE, CONSULT, ASSAULT, ...): that of its longest "
    "prefix listed in cameo_plover; null for CAMEO 01 and 02, which PLOVER drops.",
)
_field(
    "event_date",
    "DATE",
    "When the act happened: the day the text names for it, else the publication date "
    "(date_precision says which).",
    False,
)
_field(
    "date_precision",
    "VARCHAR",
    "How precisely the text dates the act: 'day' (it names the day, which is event_date), "
    "'week', 'month' or 'year' (it names only that, kept in date_text, and event_date is the "
    "publication date), or 'unstated' (no date in the text; event_date is the publication "
    "date, as GDELT and ICEWS date such acts).",
    False,
    values=DATE_PRECISIONS,
)
_field(
    "date_text",
    "VARCHAR",
    "The date expression the text gives for the act, whatever its precision "
    "('on Tuesday', 'last month'); null when it gives none.",
)
_field(
    "location_country",
    "VARCHAR",
    "CAMEO country code of where the event happened, when the text says.",
    pattern=COUNTRY_CODE,
)
_field("location_place", "VARCHAR", "Place name where the event happened, when the text says.")
_field("confidence", "DOUBLE", "Coder confidence in [0, 1].", False, minimum=0, maximum=1)
_field(
    "coder_version",
    "VARCHAR",
    "Version of the coder and fingerprint of its dictionaries.",
    False,
)

# --- events ------------------------------------------------------------------------------------

_field(
    "event_id",
    "VARCHAR",
    "Stable identifier: the first 20 hex digits of the SHA-256 of the act's key values "
    "joined by '|' (by default event_date|source_actor|target_actor|event_code). The same "
    "mentions give the same id in every run.",
    False,
    pattern=EVENT_ID,
)
for _side in ("source", "target"):
    _field(
        f"{_side}_country",
        "VARCHAR",
        f"Country of the {_side} actor: a CAMEO country or region code (mostly ISO 3166 "
        "alpha-3; 6 letters for dependencies such as USAPRI).",
        pattern=COUNTRY_CODE,
    )
    _field(
        f"{_side}_group",
        "VARCHAR",
        f"Known group part of {_side}_actor: for international actors the organisation after "
        "the IGO/NGO/IMG/MNC prefix (UNO, EUREEC, WSTNAT); otherwise codes that are neither "
        "country nor role (ethnic, religious). Null when there is none.",
    )
    _field(
        f"{_side}_roles",
        "VARCHAR[]",
        f"Role codes in {_side}_actor, in order (GOV, MIL, COP, REB, OPP, IGO, ...): see "
        "cameo_roles. Empty for a bare country.",
        False,
    )
    _field(
        f"{_side}_name",
        "VARCHAR",
        f"The {_side} actor as written in the text (the most frequent wording among the "
        "mentions, a name preferred to a pronoun); null when no mention has one.",
    )
_field(
    "num_mentions",
    "INTEGER",
    "Number of mentions: sentences coding the event, each counted once per article that "
    "carries it (an original and each of its copies).",
    False,
    minimum=1,
)
_field(
    "num_articles",
    "INTEGER",
    "Number of distinct articles reporting the event: the coded originals and all their "
    "copies (articles.duplicate_of).",
    False,
    minimum=1,
)
_field(
    "num_sources",
    "INTEGER",
    "Number of distinct outlets among those articles (an article without an outlet counts "
    "as its own source).",
    False,
    minimum=1,
)
_field(
    "location_latitude",
    "DOUBLE",
    "Latitude (WGS84) of where the event happened: the GeoNames city when location_place "
    "is one, else the country's point (location_geo_type says which); null when the text "
    "gives no place.",
    minimum=-90,
    maximum=90,
)
_field(
    "location_longitude",
    "DOUBLE",
    "Longitude (WGS84), as location_latitude.",
    minimum=-180,
    maximum=180,
)
_field(
    "location_geo_type",
    "VARCHAR",
    "'city': the coordinates are location_place's (a GeoNames city); 'country': only the "
    "country is located, and the coordinates are its population-weighted centre "
    "(docs/publication.md, 'Dates and coordinates').",
    values=("city", "country"),
)
_field(
    "location_adm1",
    "VARCHAR",
    "GeoNames first-level administrative division of the city (ISO 3166 alpha-2 country "
    "and admin1 code, as NG.05); null for country points.",
)
_field("location_geonameid", "BIGINT", "GeoNames id of the city; null for country points.")
_field(
    "first_seen",
    "TIMESTAMP",
    "Publication time (UTC) of the earliest article reporting the event.",
    False,
)
_field(
    "last_seen",
    "TIMESTAMP",
    "Publication time (UTC) of the latest article reporting the event.",
    False,
)
_field(
    "source_url",
    "VARCHAR",
    "URL of the earliest article reporting the event (GDELT's SOURCEURL).",
)
_field("source_urls", "VARCHAR[]", "URLs of every article reporting the event, sorted.", False)
_field(
    "in_lead",
    "BOOLEAN",
    "True when a mention is in the first sentence of its article (GDELT's IsRootEvent).",
    False,
)
_field(
    "mention_ids",
    "VARCHAR[]",
    "The event_mentions (mention_id) grouped into this act, sorted: the sentences behind "
    "the event.",
    False,
)

# --- aggregates --------------------------------------------------------------------------------

_field("month", "DATE", "First day of the calendar month of the events' event_date.", False)
_field(
    "country",
    "VARCHAR",
    "Country code (or the full actor code for actors with no country), as in dyad_month.",
    False,
    pattern=ACTOR_CODE,
)
_field("as_source", "BIGINT", "Events with the country as source.", False, minimum=0)
_field("as_target", "BIGINT", "Events with the country as target.", False, minimum=0)
_field(
    "domestic",
    "BIGINT",
    "Events with the country on both sides (e.g. KENCOP -> KENOPP).",
    False,
    minimum=0,
)
# The measures shared by the dyad and country aggregates. A row exists only for an event.
_field("events", "BIGINT", "Number of events.", False, minimum=1)
_field("mentions", "BIGINT", "Number of event mentions.", False)
for _name, _quad, _roots in (
    ("verbal_cooperation", 1, "01-05"),
    ("material_cooperation", 2, "06-09"),
    ("verbal_conflict", 3, "10-14"),
    ("material_conflict", 4, "15-20"),
):
    _field(_name, "BIGINT", f"Events of quad class {_quad} (CAMEO roots {_roots}).", False)
_field("cooperation", "BIGINT", "Cooperation events: quad classes 1 and 2.", False)
_field("conflict", "BIGINT", "Conflict events: quad classes 3 and 4.", False)
_field("goldstein_sum", "DOUBLE", "Sum of the events' Goldstein scores.", False)
_field(
    "goldstein_mean",
    "DOUBLE",
    "Mean Goldstein score per event (goldstein_sum / events).",
    False,
    minimum=-10,
    maximum=10,
)
# The month's total, to turn a dyad's or a country's count into a share of the month.
_field(
    "month_events",
    "BIGINT",
    "All events of the month, whatever their dyad: events / month_events is the share of "
    "the month's events (in country_month the shares add up to more than 1, an event "
    "involving two countries).",
    False,
)
_field("articles", "BIGINT", "Articles read: the originals and the copies.", False)
_field(
    "copies",
    "BIGINT",
    "Articles that copy a story already in the warehouse (articles.duplicate_of): "
    "counted in the events of the original, not coded again.",
    False,
)
_field("coded", "BIGINT", "Articles given to the coder: articles - copies.", False)
_field(
    "dyadic_mentions",
    "BIGINT",
    "Of those, mentions with both a source and a target: the ones that become events.",
    False,
)
_field(
    "quarantined",
    "BIGINT",
    "Input records of the day that could not be read (quarantine rows with this "
    "published_date; outlet null).",
    False,
)

# --- codebook and dictionaries -----------------------------------------------------------------

_field("name", "VARCHAR", "Name of the code:", False)
_field(
    "level",
    "SMALLINT",
    "1 root (2 digits), 2 base (3 digits), 3 detailed (4 digits).",
    False,
    values=(1, 2, 3),
)
_field("root_code", "VARCHAR", "2-digit root of the code.", False)
_field("base_code", "VARCHAR", "3-digit base of the code.", False)
_field("code", "VARCHAR", "CAMEO code:", False)
_field("iso3", "VARCHAR", "ISO 3166-1 alpha-3 code, when there is one.")
_field("kind", "VARCHAR", "What the row is:", False)
_field(
    "tier",
    "VARCHAR",
    "The CAMEO manual's grouping of the role (primary domestic role, ...).",
    False,
)
_field("cameo_code", "VARCHAR", "CAMEO event code (2, 3 or 4 digits).", False)
_field("plover_mode", "VARCHAR", "PLOVER mode, when the mapping sets one.")
_field("plover_context", "VARCHAR", "PLOVER context, when the mapping sets one.")
_field(
    "phrase",
    "VARCHAR",
    "The words matched in the text (a name, another name, an "
    "adjective or demonym, a capital, a role noun or its plural).",
    False,
)
_field("entry", "VARCHAR", "The dictionary entry the phrase belongs to (its main name).", False)
_field("valid_from", "DATE", "People: first day of the term the code applies to (null: open).")
_field(
    "valid_to",
    "DATE",
    "People: day after the term ends (null: still in office). Outside every term a "
    "person is coded as the country's elite (ELI).",
)
_field("dictionary", "VARCHAR", "The dictionary file of the entry.", False)

# --- releases and validation history -----------------------------------------------------------

_field("release_id", "INTEGER", "Sequential number of the publication, from 1.", False, minimum=1)
_field(
    "dataset_version",
    "VARCHAR",
    "Version of the dataset after this publication: <dyadflow version>+r<release_id>.",
    False,
)
_field("built_at", "TIMESTAMP", "When the publication was built (UTC).", False)
_field(
    "action",
    "VARCHAR",
    "'publish day', 'codebook', 'rebuild', or 'validations' (only validation records "
    "added: those of a day a failed check blocked).",
    False,
    values=("publish day", "codebook", "rebuild", "validations"),
)
_field("day", "DATE", "The publication day (partition) published; null for other actions.")
_field(
    "event_dates",
    "DATE[]",
    "Event dates whose events and aggregates this publication rebuilt.",
    False,
)
_field("dyadflow_version", "VARCHAR", "Version of the dyadflow package.", False)
_field(
    "coder_versions",
    "VARCHAR",
    "Coder versions (with dictionary fingerprints) found in event_mentions, comma-separated.",
)
_field(
    "codebook_version",
    "VARCHAR",
    "Fingerprint (SHA-256 prefix) of the codebook files the codebook tables were loaded from.",
    False,
)
_field(
    "dictionary_version",
    "VARCHAR",
    "Fingerprint of the coder's dictionaries loaded into actor_dictionary (the coder's "
    "version carries the fingerprint of those it coded with). A release that publishes "
    "no day coded with the dictionaries in force keeps the published ones.",
)
_field(
    "dedup_key",
    "VARCHAR",
    "The deduplication rule: the columns, comma-separated, that define one event.",
    False,
)
_field(
    "inputs",
    "VARCHAR",
    "For a day's publication: fingerprint of what it was made of (the day's articles and "
    "quarantine records, the coder, dyadflow's code, the libraries and the settings that "
    "change results). `dyadflow run` leaves alone a day whose last publication has the "
    "fingerprint the day has now; null for other actions and older releases.",
)
for _table in COUNTED_TABLES:
    _field(f"rows_{_table}", "BIGINT", f"Rows in {_table} after this publication.", False)

_field("record", "VARCHAR", "Name of the record file: unique per validation.", False)
_field("validated_at", "TIMESTAMP", "When the validation ran.", False)
_field(
    "suite",
    "VARCHAR",
    "The suite (or check family) validated: articles, event_mentions, ...",
    False,
)
_field("batch", "VARCHAR", "What was validated, usually the partition's day.")
_field("check_name", "VARCHAR", "The Dagster asset check that ran it.", False)
_field(
    "status",
    "VARCHAR",
    "passed, warned (only warning-level expectations failed) or failed.",
    False,
    values=("passed", "warned", "failed"),
)
_field("expectations", "INTEGER", "Expectations evaluated.")
_field("failed", "INTEGER", "Expectations that failed.")
_field("errors", "INTEGER", "Failed expectations of ERROR severity (they block publication).")
_field("warnings", "INTEGER", "Failed expectations of WARN severity.")
_field("rows", "BIGINT", "Rows validated.")
_field("failures", "VARCHAR[]", "What failed, one line per expectation, with its severity.")
_field("docs_page", "VARCHAR", "The Great Expectations Data Docs page of the validation.")
_field("dagster_run_id", "VARCHAR", "The Dagster run that validated.")

# --- gdelt_events: GDELT 2.0 event-table names -------------------------------------------------
# Where a GDELT column is an events column, its description is that column's, with what differs
# from GDELT's meaning added.


def _as_events(name: str, type_: str, events_column: str, remark: str = "") -> None:
    described = f"events.{events_column}: {FIELDS[events_column].description}"
    _field(name, type_, f"{described} {remark}".strip())


def _always_null(name: str, type_: str, why: str) -> None:
    _field(name, type_, f"Always null: {why}.")


_TONE = "dyadflow scores no tone"
_ATTRIBUTES = "the actor dictionaries carry no ethnic or religious codes"
_ACTOR_PLACE = "dyadflow places the act (ActionGeo), not each actor"
_ADM2 = "the gazetteer holds first-level divisions only"

_field(
    "GLOBALEVENTID",
    "BIGINT",
    "A stable integer, as GDELT's: the first 15 hex digits of events.event_id read as a "
    "number (60 bits; the same event has the same number in every run).",
)
_field("SQLDATE", "INTEGER", "Event date (events.event_date) as YYYYMMDD.")
_field("MonthYear", "INTEGER", "Event month as YYYYMM.")
_field("Year", "INTEGER", "Event year.")
_field(
    "FractionDate",
    "DOUBLE",
    "Event date as YYYY.FFFF with GDELT's approximation (month * 30 + day) / 365.",
)
for _n, _side in ((1, "source"), (2, "target")):
    _a = f"Actor{_n}"
    _as_events(f"{_a}Code", "VARCHAR", f"{_side}_actor")
    _as_events(
        f"{_a}Name", "VARCHAR", f"{_side}_name", "GDELT gives a normalised, upper-case name."
    )
    _as_events(f"{_a}CountryCode", "VARCHAR", f"{_side}_country")
    _as_events(f"{_a}KnownGroupCode", "VARCHAR", f"{_side}_group")
    for _code in ("EthnicCode", "Religion1Code", "Religion2Code"):
        _always_null(f"{_a}{_code}", "VARCHAR", _ATTRIBUTES)
    for _i in (1, 2, 3):
        _field(
            f"{_a}Type{_i}Code",
            "VARCHAR",
            f"Role code number {_i} of the actor (events.{_side}_roles[{_i}]).",
        )
_field(
    "IsRootEvent",
    "INTEGER",
    "1 when the event is coded in the first sentence of an article reporting it "
    "(events.in_lead), else 0.",
)
_as_events("EventCode", "VARCHAR", "event_code")
_as_events("EventBaseCode", "VARCHAR", "event_base_code")
_as_events("EventRootCode", "VARCHAR", "event_root_code")
_as_events("QuadClass", "INTEGER", "quad_class")
_as_events("GoldsteinScale", "DOUBLE", "goldstein")
_as_events(
    "NumMentions",
    "INTEGER",
    "num_mentions",
    "Over every article in the warehouse, not only those of the first 15 minutes as in GDELT.",
)
_as_events("NumSources", "INTEGER", "num_sources", "Over every article in the warehouse.")
_as_events("NumArticles", "INTEGER", "num_articles", "Over every article in the warehouse.")
_always_null("AvgTone", "DOUBLE", _TONE)
for _prefix in ("Actor1Geo", "Actor2Geo"):
    for _name, _type in (
        ("Type", "INTEGER"),
        ("FullName", "VARCHAR"),
        ("CountryCode", "VARCHAR"),
        ("ADM1Code", "VARCHAR"),
        ("ADM2Code", "VARCHAR"),
        ("Lat", "DOUBLE"),
        ("Long", "DOUBLE"),
        ("FeatureID", "VARCHAR"),
    ):
        _always_null(f"{_prefix}_{_name}", _type, _ACTOR_PLACE)
_field(
    "ActionGeo_Type",
    "INTEGER",
    "4 (world city) when the coordinates are a city's, 1 (country) when they are the "
    "country's point (events.location_geo_type); null when the text gives no place.",
)
_field(
    "ActionGeo_FullName",
    "VARCHAR",
    "Place name and country name of where the event happened.",
)
_as_events(
    "ActionGeo_CountryCode",
    "VARCHAR",
    "location_country",
    "GDELT uses FIPS 10-4 here.",
)
_as_events(
    "ActionGeo_ADM1Code",
    "VARCHAR",
    "location_adm1",
    "GDELT writes FIPS country and code without the dot.",
)
_always_null("ActionGeo_ADM2Code", "VARCHAR", _ADM2)
_as_events("ActionGeo_Lat", "DOUBLE", "location_latitude")
_as_events("ActionGeo_Long", "DOUBLE", "location_longitude")
_as_events(
    "ActionGeo_FeatureID",
    "VARCHAR",
    "location_geonameid",
    "As text: GDELT's feature id is also a GeoNames or GNS id.",
)
_field(
    "DATEADDED",
    "BIGINT",
    "When the event was first reported (events.first_seen) as YYYYMMDDHHMMSS, UTC.",
)
_as_events("SOURCEURL", "VARCHAR", "source_url")
