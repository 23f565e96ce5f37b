"""The deduplication rule, and the SQL that turns event mentions into events.

An event is every dyadic mention sharing the rule's key. The default key is
(event_date, source_actor, target_actor, event_code): the same act reported by ten outlets, or in
ten sentences, is one event. Other keys trade precision for fewer duplicates: ``event_base_code``
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

from pipelines.settings import SettingError

DEDUP_KEY_ENV = "DYADFLOW_EVENT_KEY"
DEFAULT_KEY = ("event_date", "source_actor", "target_actor", "event_code")
_REQUIRED = ("event_date", "source_actor", "target_actor")
_CODE_LEVELS = ("event_code", "event_base_code", "event_root_code")
_OPTIONAL = ("location_country",)


# The mention columns an event is built from. Only these are held (in memory) while events
# are rebuilt: the sentence and the spans stay in event_mentions.
_KEYED = (
    "article_id", "event_date", "source_actor", "target_actor", "event_code", "event_base_code",
    "event_root_code", "quad_class", "goldstein", "plover_type", "confidence", "coder_version",
    "source_text", "target_text", "location_country", "location_place",
)  # fmt: skip

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

_ALL_OF_DATES = "event_date IN (SELECT event_date FROM affected_dates)"
_TOUCHED = f"{_ALL_OF_DATES} AND event_id IN (SELECT event_id FROM touched_events)"

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

    def rebuild_sql(self, every_event: bool = False) -> str:
        """SQL that rebuilds the events in temp table ``touched_events(event_id)`` (with
        ``every_event``: every event of the dates in temp table ``affected_dates``).

        Needs temp tables ``affected_dates(event_date)``, the dates of those events, and
        ``actor_parts(actor, country, grp, roles)`` for every actor involved; leaves temp table
        ``events_written(event_id)``: the events it added or changed.
        """
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
SELECT * FROM (
    SELECT {self.event_id_sql("m")} AS event_id, {", ".join(f"m.{c}" for c in _KEYED)}
    FROM event_mentions AS m
    WHERE m.is_dyadic AND m.event_date IN (SELECT event_date FROM affected_dates)
)
WHERE {"TRUE" if every_event else "event_id IN (SELECT event_id FROM touched_events)"};

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
    core.event_id, core.event_date,
    core.source_actor, sp.country AS source_country, sp.grp AS source_group,
    sp.roles AS source_roles, coalesce(mode_source_text.source_text, '') AS source_name,
    core.target_actor, tp.country AS target_country, tp.grp AS target_group,
    tp.roles AS target_roles, coalesce(mode_target_text.target_text, '') AS target_name,
    codes.event_code, codes.event_base_code, codes.event_root_code, codes.quad_class,
    codes.goldstein, codes.plover_type,
    core.num_mentions, core.num_articles, core.num_sources, core.confidence,
    mode_location_country.location_country, mode_location_place.location_place,
    core.first_seen, core.last_seen, core.source_url, core.source_urls, core.coder_version
FROM core
{joins}
JOIN codes ON codes.event_code = {code_expr}
JOIN actor_parts AS sp ON sp.actor = core.source_actor
JOIN actor_parts AS tp ON tp.actor = core.target_actor;

{_WRITE_CHANGED.format(scope=_ALL_OF_DATES if every_event else _TOUCHED)}"""
