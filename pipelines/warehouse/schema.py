"""The data dictionary: every published table, view and column, described once.

DuckDB DDL, ``COMMENT ON`` statements, Arrow schemas for the Parquet exports, pandas frames for
staged asset outputs and ``docs/schema.md`` are all derived from ``TABLES`` and ``VIEWS``, so they
cannot drift apart. The building blocks are in ``dictionary.py``.
"""

from __future__ import annotations

from pipelines.warehouse.dictionary import C, Column, Table, View

__all__ = ["TABLES", "VIEWS", "Column", "Table", "View"]

_CAMEO_FIELDS = (
    C(
        "event_code",
        "VARCHAR",
        "CAMEO event code (2, 3 or 4 digits), as specific as the text allows.",
        False,
    ),
    C(
        "event_base_code",
        "VARCHAR",
        "The 3-digit CAMEO base code (equals the root for 2-digit codes).",
        False,
    ),
    C("event_root_code", "VARCHAR", "The 2-digit CAMEO root code (01-20).", False),
    C(
        "quad_class",
        "SMALLINT",
        "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
        False,
    ),
    C(
        "goldstein",
        "DOUBLE",
        "Goldstein scale weight of the event code, -10 (most conflictual) to +10.",
        False,
    ),
    C(
        "plover_type",
        "VARCHAR",
        "PLOVER event type of the CAMEO code (null for CAMEO 01 and 02, which PLOVER drops).",
    ),
)

_DATE_PRECISION = C(
    "date_precision",
    "VARCHAR",
    "How precisely the text dates the act: 'day' (it names the day, which is event_date), "
    "'week', 'month' or 'year' (it names only that, kept in date_text, and event_date is the "
    "publication date), or 'unstated' (no date in the text; event_date is the publication "
    "date, as GDELT and ICEWS date such acts).",
    False,
)


ARTICLES = Table(
    "articles",
    "News articles read from the configured sources, one row per article, partitioned by publication date (UTC).",
    (
        C("article_id", "VARCHAR", "Article identifier, unique across the warehouse.", False),
        C("published_date", "DATE", "Publication date (UTC); the Dagster partition key.", False),
        C("published_at", "TIMESTAMP", "Publication timestamp, UTC.", False),
        C("title", "VARCHAR", "Headline as published."),
        C("url", "VARCHAR", "Where the article was published."),
        C("outlet", "VARCHAR", "Publishing outlet."),
        C("language", "VARCHAR", "ISO 639-1 language code."),
        C(
            "content_hash",
            "VARCHAR",
            "Hash of the case-folded, whitespace-normalised text: equal for exact duplicates.",
            False,
        ),
        C(
            "duplicate_of",
            "VARCHAR",
            "For a copy of a story already in the warehouse (exact or near duplicate, such as a "
            "syndicated wire copy): the article_id of the original, which alone is coded. Null "
            "for originals.",
        ),
        C("source_file", "VARCHAR", "File the article was read from."),
        C("source_line", "INTEGER", "Line (or record number) in source_file."),
        C(
            "text",
            "VARCHAR",
            "Full article text after Unicode NFC and whitespace normalisation.",
            False,
        ),
    ),
    key=("article_id",),
    partition_column="published_date",
)

QUARANTINE = Table(
    "quarantine",
    "Input records that could not be read, with where they are and why. Nothing is dropped silently.",
    (
        C("source_file", "VARCHAR", "File holding the record.", False),
        C("location", "VARCHAR", "Where in the file: 'line 12', 'byte 4096', 'entry 3'.", False),
        C("reason", "VARCHAR", "Why the record was set aside.", False),
        C("snippet", "VARCHAR", "The first characters of the raw record."),
        C("record_id", "VARCHAR", "The record's id, when one could be read."),
        C("published_date", "DATE", "Publication date, when one could be read."),
    ),
    key=("source_file", "location"),
)

EVENT_MENTIONS = Table(
    "event_mentions",
    "One row per event coded in a sentence: the evidence behind every event, with character spans.",
    (
        C(
            "mention_id",
            "VARCHAR",
            "Stable identifier of the mention (hash of article, sentence, spans, actors and code).",
            False,
        ),
        C("article_id", "VARCHAR", "Article the sentence comes from (articles.article_id).", False),
        C("published_date", "DATE", "Publication date of the article; the partition key.", False),
        C("sentence_index", "INTEGER", "0-based index of the sentence in the article text.", False),
        C(
            "sentence_start",
            "INTEGER",
            "Character offset of the sentence in the article text.",
            False,
        ),
        C("sentence", "VARCHAR", "The sentence the event was coded from.", False),
        C(
            "source_actor",
            "VARCHAR",
            "CAMEO actor code of the source (who acts): country or IGO code, then roles; null "
            "for a one-sided mention whose doer the text does not name (a car bomb, an abduction "
            "by unknown men).",
        ),
        C("source_text", "VARCHAR", "Source actor as written."),
        C("source_start", "INTEGER", "Start of the source span, character offset in sentence."),
        C("source_end", "INTEGER", "End (exclusive) of the source span in sentence."),
        C(
            "target_actor",
            "VARCHAR",
            "CAMEO actor code of the target (who is acted on); null for non-dyadic mentions.",
        ),
        C("target_text", "VARCHAR", "Target actor as written."),
        C("target_start", "INTEGER", "Start of the target span in sentence."),
        C("target_end", "INTEGER", "End (exclusive) of the target span in sentence."),
        C(
            "trigger_text",
            "VARCHAR",
            "The words that express the event (verb, phrase or event noun).",
            False,
        ),
        C("trigger_start", "INTEGER", "Start of the trigger span in sentence.", False),
        C("trigger_end", "INTEGER", "End (exclusive) of the trigger span in sentence.", False),
        *_CAMEO_FIELDS,
        C(
            "event_date",
            "DATE",
            "When the event happened: the day the sentence names, else the publication date "
            "(date_precision says which).",
            False,
        ),
        _DATE_PRECISION,
        C(
            "date_text",
            "VARCHAR",
            "The date expression the sentence gives for the act, whatever its precision "
            "('on Tuesday', 'last month'); null when it gives none.",
        ),
        C(
            "location_country",
            "VARCHAR",
            "CAMEO country code of where the event happened, when the text says.",
        ),
        C("location_place", "VARCHAR", "Place name where the event happened, when the text says."),
        C(
            "is_dyadic",
            "BOOLEAN",
            "True when the mention names both a source and a target; only dyadic mentions "
            "become events.",
            False,
        ),
        C("confidence", "DOUBLE", "Coder confidence in [0, 1].", False),
        C("rule", "VARCHAR", "The coder rule or lexicon entry that fired.", False),
        C(
            "coder_version",
            "VARCHAR",
            "Version of the coder and fingerprint of its dictionaries.",
            False,
        ),
    ),
    key=("mention_id",),
    partition_column="published_date",
)


def _actor_columns(side: str, role: str) -> tuple[Column, ...]:
    return (
        C(
            f"{side}_actor",
            "VARCHAR",
            f"CAMEO actor code of the {role}: a country or IGO code, then roles (NER, NERMIL, IGOUNO).",
            False,
        ),
        C(
            f"{side}_country",
            "VARCHAR",
            f"Country part of {side}_actor (CAMEO country or region code, mostly ISO 3166 alpha-3; "
            "6 letters for dependencies such as USAPRI). Null for actors with no country (IGOs, NGOs).",
        ),
        C(
            f"{side}_group",
            "VARCHAR",
            f"Known group part of {side}_actor: for international actors the organisation after "
            "the IGO/NGO/IMG/MNC prefix (UNO, EUREEC, WSTNAT); otherwise codes that are neither "
            "country nor role (ethnic, religious). Null when there is none.",
        ),
        C(
            f"{side}_roles",
            "VARCHAR[]",
            f"Role codes in {side}_actor, in order (GOV, MIL, COP, REB, OPP, IGO, ...): see "
            "cameo_roles. Empty for a bare country.",
            False,
        ),
        C(
            f"{side}_name",
            "VARCHAR",
            f"The {role} as written in the text (the most frequent wording among the mentions, "
            "a name preferred to a pronoun); null when no mention has one.",
        ),
    )


# The measures shared by the dyad and country aggregates.
_MEASURES = (
    C("events", "BIGINT", "Number of events.", False),
    C("mentions", "BIGINT", "Sum of num_mentions over the events.", False),
    C("verbal_cooperation", "BIGINT", "Events of quad class 1 (CAMEO roots 01-05).", False),
    C("material_cooperation", "BIGINT", "Events of quad class 2 (CAMEO roots 06-09).", False),
    C("verbal_conflict", "BIGINT", "Events of quad class 3 (CAMEO roots 10-14).", False),
    C("material_conflict", "BIGINT", "Events of quad class 4 (CAMEO roots 15-20).", False),
    C("cooperation", "BIGINT", "Cooperation events: quad classes 1 and 2.", False),
    C("conflict", "BIGINT", "Conflict events: quad classes 3 and 4.", False),
    C("goldstein_sum", "DOUBLE", "Sum of the events' Goldstein scores.", False),
    C(
        "goldstein_mean",
        "DOUBLE",
        "Mean Goldstein score per event (goldstein_sum / events).",
        False,
    ),
)

_DYAD_MEMBERS = (
    C(
        "source_country",
        "VARCHAR",
        "Source side of the directed dyad: events.source_country, or the full actor code for "
        "actors with no country (IGOs, NGOs).",
        False,
    ),
    C(
        "target_country",
        "VARCHAR",
        "Target side of the directed dyad: events.target_country, or the full actor code for "
        "actors with no country.",
        False,
    ),
)

_MONTH = C("month", "DATE", "First day of the calendar month of the events' event_date.", False)

# The month's total, to turn a dyad's or a country's count into a share of the month.
_MONTH_TOTAL = (
    C(
        "month_events",
        "BIGINT",
        "All events of the month, whatever their dyad: events / month_events is the share of "
        "the month's events (in country_month the shares add up to more than 1, an event "
        "involving two countries).",
        False,
    ),
)

EVENTS = Table(
    "events",
    "Deduplicated dyadic events, a GDELT-like record: one row per act, aggregating every mention "
    "of it in every article in the warehouse, copies of a story included. By default an act is "
    "(event date, source actor, target actor, CAMEO event code), with actors named at different "
    "grain and next-day reports of a dated act matched (docs/coding.md, 'One act, one event'). "
    "The rule is configurable (docs/publication.md).",
    (
        C(
            "event_id",
            "VARCHAR",
            "Stable identifier: the first 20 hex digits of the SHA-256 of the act's key values "
            "joined by '|' (by default event_date|source_actor|target_actor|event_code). The same "
            "mentions give the same id in every run.",
            False,
        ),
        C(
            "event_date",
            "DATE",
            "When the act happened: the day a sentence names for it, else the publication date "
            "of its earliest report (date_precision says which).",
            False,
        ),
        _DATE_PRECISION,
        C(
            "date_text",
            "VARCHAR",
            "The date expression of the mentions that dated the act (the most precise one); null "
            "when no mention gives one.",
        ),
        *_actor_columns("source", "source (who acts)"),
        *_actor_columns("target", "target (who is acted on)"),
        *_CAMEO_FIELDS,
        C(
            "num_mentions",
            "INTEGER",
            "Number of mentions: sentences coding the event, each counted once per article that "
            "carries it (an original and each of its copies).",
            False,
        ),
        C(
            "num_articles",
            "INTEGER",
            "Number of distinct articles reporting the event: the coded originals and all their "
            "copies (articles.duplicate_of).",
            False,
        ),
        C(
            "num_sources",
            "INTEGER",
            "Number of distinct outlets among those articles (an article without an outlet counts "
            "as its own source).",
            False,
        ),
        C("confidence", "DOUBLE", "Highest coder confidence among the mentions, in [0, 1].", False),
        C(
            "location_country",
            "VARCHAR",
            "CAMEO country code of where the event happened, when the text says (most frequent "
            "among the mentions).",
        ),
        C(
            "location_place",
            "VARCHAR",
            "Place name where the event happened, when the text says (most frequent among the "
            "mentions).",
        ),
        C(
            "location_latitude",
            "DOUBLE",
            "Latitude (WGS84) of where the event happened: the GeoNames city when location_place "
            "is one, else the country's point (location_geo_type says which); null when the text "
            "gives no place.",
        ),
        C("location_longitude", "DOUBLE", "Longitude (WGS84), as location_latitude."),
        C(
            "location_geo_type",
            "VARCHAR",
            "'city': the coordinates are location_place's (a GeoNames city); 'country': only the "
            "country is located, and the coordinates are its population-weighted centre "
            "(docs/publication.md, 'Dates and coordinates').",
        ),
        C(
            "location_adm1",
            "VARCHAR",
            "GeoNames first-level administrative division of the city (ISO 3166 alpha-2 country "
            "and admin1 code, as NG.05); null for country points.",
        ),
        C("location_geonameid", "BIGINT", "GeoNames id of the city; null for country points."),
        C(
            "first_seen",
            "TIMESTAMP",
            "Publication time (UTC) of the earliest article reporting the event.",
            False,
        ),
        C(
            "last_seen",
            "TIMESTAMP",
            "Publication time (UTC) of the latest article reporting the event.",
            False,
        ),
        C(
            "source_url",
            "VARCHAR",
            "URL of the earliest article reporting the event (GDELT's SOURCEURL).",
        ),
        C(
            "source_urls",
            "VARCHAR[]",
            "URLs of every article reporting the event, sorted.",
            False,
        ),
        C(
            "in_lead",
            "BOOLEAN",
            "True when a mention is in the first sentence of its article (GDELT's IsRootEvent).",
            False,
        ),
        C(
            "mention_ids",
            "VARCHAR[]",
            "The event_mentions (mention_id) grouped into this act, sorted: the sentences behind "
            "the event.",
            False,
        ),
        C(
            "coder_version",
            "VARCHAR",
            "Version of the coder (and fingerprint of its dictionaries) that coded the mentions; "
            "several, comma-separated, when mentions were coded by different versions.",
            False,
        ),
    ),
    key=("event_id",),
    partition_column="event_date",
    kind="derived",
)

DYAD_DAY = Table(
    "dyad_day",
    "Directed country dyads per day: event counts by quad class, cooperation and conflict, "
    "Goldstein sum and mean. Only dyad-days with at least one event have a row.",
    (
        C(
            "event_date",
            "DATE",
            "Day of the events: events.event_date, the day the text names for the act, else its "
            "publication day (events.date_precision tells them apart).",
            False,
        ),
        *_DYAD_MEMBERS,
        *_MEASURES,
    ),
    key=("event_date", "source_country", "target_country"),
    partition_column="event_date",
    kind="derived",
)

DYAD_MONTH = Table(
    "dyad_month",
    "Directed country dyads per calendar month: the dyad-month panel (rows only for dyad-months "
    "with at least one event; a missing row means zero events).",
    (_MONTH, *_DYAD_MEMBERS, *_MEASURES, *_MONTH_TOTAL),
    key=("month", "source_country", "target_country"),
    partition_column="month",
    kind="derived",
)

COUNTRY_MONTH = Table(
    "country_month",
    "Countries per calendar month: the events a country took part in, as source or target (an "
    "event counts once per country, a domestic event once).",
    (
        _MONTH,
        C(
            "country",
            "VARCHAR",
            "Country code (or the full actor code for actors with no country), as in dyad_month.",
            False,
        ),
        C("as_source", "BIGINT", "Events with the country as source.", False),
        C("as_target", "BIGINT", "Events with the country as target.", False),
        C(
            "domestic",
            "BIGINT",
            "Events with the country on both sides (e.g. KENCOP -> KENOPP).",
            False,
        ),
        *_MEASURES,
        *_MONTH_TOTAL,
    ),
    key=("month", "country"),
    partition_column="month",
    kind="derived",
)

COVERAGE_DAY = Table(
    "coverage_day",
    "What was read, coded and set aside per publication day and outlet: the input behind the "
    "counts, to normalise them (events per article read) and to tell a day with no events from "
    "a day with no input. A day published with nothing to read has one row of zeros; a day "
    "never published has no row. Quarantined records whose date could not be read are in "
    "quarantine only.",
    (
        C("published_date", "DATE", "Publication date (UTC) of the articles.", False),
        C(
            "outlet",
            "VARCHAR",
            "Publishing outlet; null for articles without one and for quarantined records "
            "(whose outlet is not known).",
        ),
        C("articles", "BIGINT", "Articles read: the originals and the copies.", False),
        C(
            "copies",
            "BIGINT",
            "Articles that copy a story already in the warehouse (articles.duplicate_of): "
            "counted in the events of the original, not coded again.",
            False,
        ),
        C("coded", "BIGINT", "Articles given to the coder: articles - copies.", False),
        C("mentions", "BIGINT", "Event mentions coded from them (event_mentions rows).", False),
        C(
            "dyadic_mentions",
            "BIGINT",
            "Of those, mentions with both a source and a target: the ones that become events.",
            False,
        ),
        C(
            "quarantined",
            "BIGINT",
            "Input records of the day that could not be read (quarantine rows with this "
            "published_date; outlet null).",
            False,
        ),
    ),
    kind="derived",
)

CAMEO_EVENT_CODES = Table(
    "cameo_event_codes",
    "The CAMEO event codebook (CAMEO manual 1.1b3) with Goldstein weights, quad classes and PLOVER types.",
    (
        C("event_code", "VARCHAR", "CAMEO event code.", False),
        C("name", "VARCHAR", "Name of the code in the CAMEO manual.", False),
        C(
            "level",
            "SMALLINT",
            "1 root (2 digits), 2 base (3 digits), 3 detailed (4 digits).",
            False,
        ),
        C("root_code", "VARCHAR", "2-digit root of the code.", False),
        C("base_code", "VARCHAR", "3-digit base of the code.", False),
        C("goldstein", "DOUBLE", "Goldstein scale weight, -10 to +10.", False),
        C("quad_class", "SMALLINT", "Quad class, 1-4.", False),
        C("plover_type", "VARCHAR", "PLOVER event type (longest matching prefix in cameo_plover)."),
    ),
    key=("event_code",),
    kind="codebook",
)

CAMEO_COUNTRIES = Table(
    "cameo_countries",
    "CAMEO country and region codes: the first part of an actor code.",
    (
        C(
            "code",
            "VARCHAR",
            "CAMEO code: 3 letters for states and regions, 6 for dependencies (USAPRI).",
            False,
        ),
        C("name", "VARCHAR", "Name of the country or region.", False),
        C("iso3", "VARCHAR", "ISO 3166-1 alpha-3 code, when there is one."),
        C("kind", "VARCHAR", "state, dependency, historical or region.", False),
    ),
    key=("code",),
    kind="codebook",
)

CAMEO_ROLES = Table(
    "cameo_roles",
    "CAMEO actor role and sector codes (GOV, MIL, COP, REB, OPP, IGO, ...): the parts of an actor "
    "code after the country.",
    (
        C("code", "VARCHAR", "3-letter role code.", False),
        C("name", "VARCHAR", "What the role covers.", False),
        C(
            "tier",
            "VARCHAR",
            "The CAMEO manual's grouping of the role (primary domestic role, ...).",
            False,
        ),
    ),
    key=("code",),
    kind="codebook",
)

CAMEO_PLOVER = Table(
    "cameo_plover",
    "Mapping of CAMEO event codes to PLOVER event types and modes; a code without a row takes "
    "the mapping of its longest listed prefix.",
    (
        C("cameo_code", "VARCHAR", "CAMEO event code (2, 3 or 4 digits).", False),
        C("plover_type", "VARCHAR", "PLOVER event type (AGREE, CONSULT, ASSAULT, ...).", False),
        C("plover_mode", "VARCHAR", "PLOVER mode, when the mapping sets one."),
        C("plover_context", "VARCHAR", "PLOVER context, when the mapping sets one."),
    ),
    key=("cameo_code",),
    kind="codebook",
)

ACTOR_DICTIONARY = Table(
    "actor_dictionary",
    "The coder's actor dictionary (package files plus the folders in $DYADFLOW_DICTIONARIES): "
    "every phrase it recognises as an actor or a role, and the code it gives; the one the "
    "published events were coded with (releases.dictionary_version). The coder "
    'composes a country phrase and a role phrase into one code ("Mali\'s military" -> MLIMIL).',
    (
        C(
            "phrase",
            "VARCHAR",
            "The words matched in the text (a name, another name, an "
            "adjective or demonym, a capital, a role noun or its plural).",
            False,
        ),
        C(
            "kind",
            "VARCHAR",
            "country, adjective (demonyms too), capital (stands for the government when it "
            "acts), organisation, group (non-state armed groups), person or role.",
            False,
        ),
        C("entry", "VARCHAR", "The dictionary entry the phrase belongs to (its main name).", False),
        C(
            "code",
            "VARCHAR",
            "The code the phrase gives: a country code, a full actor code (organisations, "
            "groups, people in office) or a role code (roles).",
            False,
        ),
        C("valid_from", "DATE", "People: first day of the term the code applies to (null: open)."),
        C(
            "valid_to",
            "DATE",
            "People: day after the term ends (null: still in office). Outside every term a "
            "person is coded as the country's elite (ELI).",
        ),
        C("dictionary", "VARCHAR", "The dictionary file of the entry.", False),
    ),
    kind="codebook",
)

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

RELEASES = Table(
    "releases",
    "One row per publication: what was published, by which versions, when, and the row counts "
    "after it. The last row describes the data in this file; cite its dataset_version.",
    (
        C("release_id", "INTEGER", "Sequential number of the publication, from 1.", False),
        C(
            "dataset_version",
            "VARCHAR",
            "Version of the dataset after this publication: <dyadflow version>+r<release_id>.",
            False,
        ),
        C("built_at", "TIMESTAMP", "When the publication was built (UTC).", False),
        C(
            "action",
            "VARCHAR",
            "'publish day', 'codebook', 'rebuild', or 'validations' (only validation records "
            "added: those of a day a failed check blocked).",
            False,
        ),
        C("day", "DATE", "The publication day (partition) published; null for other actions."),
        C(
            "event_dates",
            "DATE[]",
            "Event dates whose events and aggregates this publication rebuilt.",
            False,
        ),
        C("dyadflow_version", "VARCHAR", "Version of the dyadflow package.", False),
        C(
            "coder_versions",
            "VARCHAR",
            "Coder versions (with dictionary fingerprints) found in event_mentions, comma-separated.",
        ),
        C(
            "codebook_version",
            "VARCHAR",
            "Fingerprint (SHA-256 prefix) of the codebook files the codebook tables were loaded from.",
            False,
        ),
        C(
            "dictionary_version",
            "VARCHAR",
            "Fingerprint of the coder's dictionaries loaded into actor_dictionary (the coder's "
            "version carries the fingerprint of those it coded with). A release that publishes "
            "no day coded with the dictionaries in force keeps the published ones.",
        ),
        C(
            "dedup_key",
            "VARCHAR",
            "The deduplication rule: the columns, comma-separated, that define one event.",
            False,
        ),
        C(
            "inputs",
            "VARCHAR",
            "For a day's publication: fingerprint of what it was made of (the day's articles and "
            "quarantine records, the coder, dyadflow's code, the libraries and the settings that "
            "change results). `dyadflow run` leaves alone a day whose last publication has the "
            "fingerprint the day has now; null for other actions and older releases.",
        ),
        *(
            C(f"rows_{name}", "BIGINT", f"Rows in {name} after this publication.", False)
            for name in COUNTED_TABLES
        ),
    ),
    key=("release_id",),
    kind="metadata",
)

VALIDATION_RUNS = Table(
    "validation_runs",
    "The history of validations (Great Expectations suites and volume checks run as Dagster "
    "asset checks), one row per validation, loaded at each publication from the records under "
    "<data folder>/validation/runs, and at once when a failed check blocks a day.",
    (
        C("record", "VARCHAR", "Name of the record file: unique per validation.", False),
        C("validated_at", "TIMESTAMP", "When the validation ran.", False),
        C(
            "suite",
            "VARCHAR",
            "The suite (or check family) validated: articles, event_mentions, ...",
            False,
        ),
        C("batch", "VARCHAR", "What was validated, usually the partition's day."),
        C("check_name", "VARCHAR", "The Dagster asset check that ran it.", False),
        C(
            "status",
            "VARCHAR",
            "passed, warned (only warning-level expectations failed) or failed.",
            False,
        ),
        C("expectations", "INTEGER", "Expectations evaluated."),
        C("failed", "INTEGER", "Expectations that failed."),
        C("errors", "INTEGER", "Failed expectations of ERROR severity (they block publication)."),
        C("warnings", "INTEGER", "Failed expectations of WARN severity."),
        C("rows", "BIGINT", "Rows validated."),
        C("failures", "VARCHAR[]", "What failed, one line per expectation, with its severity."),
        C("docs_page", "VARCHAR", "The Great Expectations Data Docs page of the validation."),
        C("dagster_run_id", "VARCHAR", "The Dagster run that validated."),
    ),
    key=("record",),
    kind="metadata",
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

# Imported last: the view is written against the tables above.
from pipelines.warehouse.gdelt import GDELT_EVENTS  # noqa: E402

VIEWS: dict[str, View] = {v.name: v for v in (GDELT_EVENTS,)}
