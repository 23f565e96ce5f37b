"""The deduplication rule, and the SQL that turns event mentions into events.

An event is every dyadic mention of one act. The rule's key says which columns an act is defined
by; the default is (event_date, source_actor, target_actor, event_code): the same act reported by
ten outlets, or in ten sentences, is one event. Actors and dates are matched as ``acts.py`` says
(a bare ``NER`` and ``NERGOV`` are one actor; a follow-up dated by its publication joins the act
of the day before), so the key's values are those of the act, not of each mention. Other keys trade precision for fewer duplicates: ``event_base_code``
or ``event_root_code`` instead of ``event_code`` merges "criticise" and "accuse" of the same day;
adding ``location_country`` keeps apart the same act in two countries. Set the rule with
``DYADFLOW_EVENT_KEY`` (comma-separated columns) or pass a ``DedupRule`` to the ``Warehouse``;
changing it rebuilds every event at the next publication.

Copies of a story (``articles.duplicate_of``) are not coded: each copy counts as carrying its
original's mentions, so it adds to num_articles, num_sources and num_mentions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.datamodel.records import DatePrecision
from pipelines.settings import SettingError
from pipelines.warehouse import acts, geo
from pipelines.warehouse.sql import ON_AFFECTED_DATES, run_with

DEDUP_KEY_ENV = "DYADFLOW_EVENT_KEY"
DEFAULT_KEY = ("event_date", "source_actor", "target_actor", "event_code")
_REQUIRED = ("event_date", "source_actor", "target_actor")
_CODE_LEVELS = ("event_code", "event_base_code", "event_root_code")
_OPTIONAL = ("location_country",)


# The mention columns an event is built from. Only these are held (in memory) while events
# are rebuilt: the sentence and the spans stay in event_mentions.
_KEYED = (
    "mention_id", "article_id", "sentence_index", "event_code", "event_base_code", "event_root_code", "quad_class",
    "goldstein", "plover_type", "confidence", "coder_version", "source_text", "target_text",
    "location_country", "location_place", "date_precision", "date_text",
)  # fmt: skip
# the act's own columns, as acts.assign gives them (a mention's may be coarser or a day later)
_OF_THE_ACT = ("event_date", "source_actor", "target_actor")
# how precisely a date is known, best first
_PRECISION_RANK = f"list_position({[p.value for p in DatePrecision]}, date_precision)"

# The rebuilt events replace those in {scope} (the touched events, or every event of the
# affected dates), but only the rows that differ are written: rewriting unchanged events cost
# most of a publication's commit. ``events_written`` keeps the ids written, for the checks on
# the candidate.
_WRITE_CHANGED = """
CREATE OR REPLACE TEMP TABLE events_kept AS
SELECT event_id FROM (
    FROM events WHERE {scope}
    INTERSECT
    FROM rebuilt
);

DELETE FROM events
WHERE {scope} AND event_id NOT IN (SELECT event_id FROM events_kept);

CREATE OR REPLACE TEMP TABLE events_written AS
SELECT event_id FROM rebuilt WHERE event_id NOT IN (SELECT event_id FROM events_kept);

INSERT INTO events
FROM rebuilt WHERE event_id IN (SELECT event_id FROM events_written)
ORDER BY event_date, event_id;
"""


# An actor "as written" is more useful as a name than as the pronoun the coder resolved.
_PRONOUNS = ("it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "we", "us")


def _prefer(column: str) -> str:
    if column not in ("source_text", "target_text"):
        return ""
    listed = ", ".join(f"'{p}'" for p in _PRONOUNS)
    return f"pronoun := lower({column}) IN ({listed}), "


class InvalidRule(ValueError):
    pass


@dataclass(frozen=True)
class DedupRule:
    key: tuple[str, ...] = DEFAULT_KEY

    def __post_init__(self) -> None:
        key = self.key
        missing = [c for c in _REQUIRED if c not in key]
        codes = [c for c in key if c in _CODE_LEVELS]
        unknown = [c for c in key if c not in (*_REQUIRED, *_CODE_LEVELS, *_OPTIONAL)]
        if missing or len(codes) != 1 or unknown or len(set(key)) != len(key):
            raise InvalidRule(
                f"deduplication key {','.join(key)!r}: it needs {', '.join(_REQUIRED)}, exactly "
                f"one of {', '.join(_CODE_LEVELS)}, and optionally {', '.join(_OPTIONAL)}"
            )

    @classmethod
    def parse(cls, text: str) -> DedupRule:
        return cls(tuple(part.strip() for part in text.split(",") if part.strip()))

    @classmethod
    def from_env(cls) -> DedupRule:
        text = os.environ.get(DEDUP_KEY_ENV, "").strip()
        try:
            return cls.parse(text) if text else cls()
        except InvalidRule as error:
            raise SettingError(f"{DEDUP_KEY_ENV}={text!r}: {error}") from None

    def __str__(self) -> str:
        return ",".join(self.key)

    def event_id_sql(self, alias: str = "m") -> str:
        # Every part is cast to text (a date as YYYY-MM-DD) and nulls become '', so the id depends
        # only on the key's values, never on the run that computed it.
        parts = ", ".join(f"coalesce(CAST({alias}.{c} AS VARCHAR), '')" for c in self.key)
        return f"substr(sha256(concat_ws('|', {parts})), 1, 20)"

    @property
    def block(self) -> tuple[str, ...]:
        """The key's columns other than the act's date and actors: the code level and extras."""
        return tuple(c for c in self.key if c not in _OF_THE_ACT)

    def rebuild(self, con: duckdb.DuckDBPyConnection, every_event: bool = False) -> None:
        """Rebuild every event of the dates in temp table ``affected_dates(event_date)``.

        Needs temp table ``actor_parts(actor, country, grp, roles)`` for every actor involved;
        leaves temp table ``events_written(event_id)``: the events it added or changed.
        """
        within = "" if every_event else "AND event_date IN (SELECT event_date FROM read_dates)"
        if not every_event:
            dates = [d[0] for d in con.execute("SELECT event_date FROM affected_dates").fetchall()]
            run_with(
                con,
                "read_incoming",
                pd.DataFrame({"event_date": sorted(acts.neighbours(dates))}),
                "CREATE OR REPLACE TEMP TABLE read_dates AS "
                "SELECT CAST(event_date AS DATE) AS event_date FROM read_incoming",
            )
        columns = dict.fromkeys((*acts.NEEDED, *self.block))
        mentions = con.execute(
            f"SELECT {', '.join(columns)} FROM event_mentions WHERE is_dyadic {within}"
        ).df()
        for column in ("event_date", "published_date"):
            mentions[column] = pd.to_datetime(mentions[column]).dt.date
        run_with(
            con,
            "assigned_incoming",
            acts.assign(mentions, self.block),
            "CREATE OR REPLACE TEMP TABLE assigned AS "
            "SELECT * REPLACE (CAST(event_date AS DATE) AS event_date) FROM assigned_incoming",
        )
        pairs = con.execute(
            "SELECT DISTINCT location_country, location_place FROM event_mentions "
            f"WHERE is_dyadic AND location_country IS NOT NULL {within}"
        ).df()
        # every country also on its own: the fallback when the place is not a known city
        countries = pairs[["location_country"]].drop_duplicates().assign(location_place=None)
        run_with(
            con,
            "located_incoming",
            geo.located(pd.concat([pairs, countries]).drop_duplicates()),
            "CREATE OR REPLACE TEMP TABLE located AS FROM located_incoming",
        )
        con.execute(self.rebuild_sql())

    def rebuild_sql(self) -> str:
        """SQL that rebuilds the events of the dates in temp table ``affected_dates`` from
        temp table ``assigned`` (each dyadic mention with its act's key columns)."""
        code_level = next(c for c in self.key if c in _CODE_LEVELS)
        # Columns outside the key take the value most of the mentions give (ties: the smallest).
        chosen = ["source_text", "target_text", "location_country", "location_place"]
        if code_level != "event_code":
            chosen.append("event_code")
        modes = "\n".join(
            f""",
mode_{c} AS (
    SELECT event_id, min(struct_pack({_prefer(c)}n := -n, v := {c})).v AS {c}
    FROM (SELECT event_id, {c}, count(*) AS n FROM keyed WHERE {c} IS NOT NULL GROUP BY ALL)
    GROUP BY event_id
)"""
            for c in chosen
        )
        code_expr = (
            "core.event_code" if code_level == "event_code" else "mode_event_code.event_code"
        )
        joins = "\n".join(f"LEFT JOIN mode_{c} USING (event_id)" for c in chosen)
        return f"""
CREATE OR REPLACE TEMP TABLE keyed AS
SELECT {self.event_id_sql("a")} AS event_id, a.event_date, a.source_actor, a.target_actor,
       {", ".join(f"m.{c}" for c in _KEYED)}
FROM assigned AS a JOIN event_mentions AS m USING (mention_id)
WHERE a.{ON_AFFECTED_DATES};

-- Every article carrying a coded story: the original and each of its copies.
CREATE OR REPLACE TEMP TABLE carriers AS
SELECT coalesce(a.duplicate_of, a.article_id) AS story_id, a.article_id,
       coalesce(nullif(a.outlet, ''), a.article_id) AS source, nullif(a.url, '') AS url,
       a.published_at
FROM articles AS a
WHERE coalesce(a.duplicate_of, a.article_id) IN (SELECT article_id FROM keyed);

CREATE OR REPLACE TEMP TABLE rebuilt AS FROM events LIMIT 0;

INSERT INTO rebuilt BY NAME
WITH facts AS (
    SELECT
        event_id,
        any_value(event_date) AS event_date,
        any_value(source_actor) AS source_actor,
        any_value(target_actor) AS target_actor,
        any_value(event_code) AS event_code,
        max(confidence) AS confidence,
        ['day', 'week', 'month', 'year', 'unstated'][min({_PRECISION_RANK})] AS date_precision,
        (min(struct_pack(r := {_PRECISION_RANK}, t := date_text))
            FILTER (WHERE date_text IS NOT NULL)).t AS date_text,
        list_sort(list(mention_id)) AS mention_ids,
        bool_or(sentence_index = 0) AS in_lead,
        array_to_string(list_sort(list_distinct(list(coder_version))), ',') AS coder_version
    FROM keyed
    GROUP BY event_id
),
-- Plain groupings instead of count(DISTINCT ...): DuckDB keeps a hash set per group for
-- those, which took most of a publication's memory.
per_story AS (
    SELECT event_id, article_id AS story_id, count(*) AS mentions FROM keyed GROUP BY ALL
),
-- One row per event and article carrying it (an article carries one story).
carried AS (
    SELECT p.event_id, p.mentions, c.article_id, c.source, c.url, c.published_at
    FROM per_story AS p JOIN carriers AS c ON c.story_id = p.story_id
),
reach AS (
    SELECT
        event_id,
        sum(mentions) AS num_mentions,
        count(*) AS num_articles,
        min(published_at) AS first_seen,
        max(published_at) AS last_seen,
        (min(struct_pack(at := published_at, url := url))
            FILTER (WHERE url IS NOT NULL)).url AS source_url,
        coalesce(list_sort(list_distinct(list(url))), []) AS source_urls
    FROM carried
    GROUP BY event_id
),
sources AS (
    SELECT event_id, count(*) AS num_sources
    FROM (SELECT event_id, source FROM carried GROUP BY ALL)
    GROUP BY event_id
),
core AS (
    SELECT facts.*, reach.* EXCLUDE (event_id), sources.num_sources
    FROM facts JOIN reach USING (event_id) JOIN sources USING (event_id)
),
codes AS (
    SELECT event_code, min(event_base_code) AS event_base_code,
           min(event_root_code) AS event_root_code, min(quad_class) AS quad_class,
           min(goldstein) AS goldstein, min(plover_type) AS plover_type
    FROM keyed GROUP BY event_code
){modes}
SELECT
    core.event_id, core.event_date, core.date_precision, core.date_text,
    core.source_actor, sp.country AS source_country, sp.grp AS source_group,
    sp.roles AS source_roles, mode_source_text.source_text AS source_name,
    core.target_actor, tp.country AS target_country, tp.grp AS target_group,
    tp.roles AS target_roles, mode_target_text.target_text AS target_name,
    codes.event_code, codes.event_base_code, codes.event_root_code, codes.quad_class,
    codes.goldstein, codes.plover_type,
    core.num_mentions, core.num_articles, core.num_sources, core.confidence,
    mode_location_country.location_country, mode_location_place.location_place,
    {", ".join(f"coalesce(city.{c}, land.{c}) AS location_{c}" for c in geo.GEO_COLUMNS)},
    core.in_lead,
    core.first_seen, core.last_seen, core.source_url, core.source_urls, core.mention_ids, core.coder_version
FROM core
{joins}
JOIN codes ON codes.event_code = {code_expr}
LEFT JOIN located AS city
  ON city.location_country = mode_location_country.location_country
 AND city.location_place = mode_location_place.location_place AND city.geo_type = 'city'
LEFT JOIN located AS land
  ON land.location_country = mode_location_country.location_country
 AND land.location_place IS NULL
JOIN actor_parts AS sp ON sp.actor = core.source_actor
JOIN actor_parts AS tp ON tp.actor = core.target_actor;

{_WRITE_CHANGED.format(scope=ON_AFFECTED_DATES)}"""
