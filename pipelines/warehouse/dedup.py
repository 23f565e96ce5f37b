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

DEDUP_KEY_ENV = "DYADFLOW_EVENT_KEY"
DEFAULT_KEY = ("event_date", "source_actor", "target_actor", "event_code")
_REQUIRED = ("event_date", "source_actor", "target_actor")
_CODE_LEVELS = ("event_code", "event_base_code", "event_root_code")
_OPTIONAL = ("location_country",)


# An actor "as written" is more useful as a name than as the pronoun the coder resolved.
_PRONOUNS = ("it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "we", "us")


def _prefer(column: str) -> str:
    if column not in ("source_text", "target_text"):
        return ""
    listed = ", ".join(f"'{p}'" for p in _PRONOUNS)
    return f"lower({column}) IN ({listed}), "


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
        return cls.parse(text) if text else cls()

    def __str__(self) -> str:
        return ",".join(self.key)

    def event_id_sql(self, alias: str = "m") -> str:
        # Every part is cast to text (a date as YYYY-MM-DD) and nulls become '', so the id depends
        # only on the key's values, never on the run that computed it.
        parts = ", ".join(f"coalesce(CAST({alias}.{c} AS VARCHAR), '')" for c in self.key)
        return f"substr(sha256(concat_ws('|', {parts})), 1, 20)"

    def rebuild_sql(self) -> str:
        """SQL that replaces the events of the dates in temp table ``affected_dates``.

        Needs temp table ``actor_parts(actor, country, grp, roles)`` for every actor involved.
        """
        code_level = next(c for c in self.key if c in _CODE_LEVELS)
        # Columns outside the key take the value most of the mentions give (ties: the smallest).
        chosen = ["source_text", "target_text", "location_country", "location_place"]
        if code_level != "event_code":
            chosen.append("event_code")
        modes = "\n".join(
            f""",
mode_{c} AS (
    SELECT event_id, first({c} ORDER BY {_prefer(c)}n DESC, {c}) AS {c}
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
DELETE FROM events WHERE event_date IN (SELECT event_date FROM affected_dates);

CREATE OR REPLACE TEMP TABLE keyed AS
SELECT {self.event_id_sql("m")} AS event_id, m.*
FROM event_mentions AS m
WHERE m.is_dyadic AND m.event_date IN (SELECT event_date FROM affected_dates);

-- Every article carrying a coded story: the original and each of its copies.
CREATE OR REPLACE TEMP TABLE carriers AS
SELECT coalesce(a.duplicate_of, a.article_id) AS story_id, a.article_id,
       coalesce(nullif(a.outlet, ''), a.article_id) AS source, nullif(a.url, '') AS url,
       a.published_at
FROM articles AS a
WHERE coalesce(a.duplicate_of, a.article_id) IN (SELECT article_id FROM keyed);

INSERT INTO events BY NAME
WITH core AS (
    SELECT
        k.event_id,
        any_value(k.event_date) AS event_date,
        any_value(k.source_actor) AS source_actor,
        any_value(k.target_actor) AS target_actor,
        any_value(k.event_code) AS event_code,
        count(*) AS num_mentions,
        count(DISTINCT c.article_id) AS num_articles,
        count(DISTINCT c.source) AS num_sources,
        max(k.confidence) AS confidence,
        min(c.published_at) AS first_seen,
        max(c.published_at) AS last_seen,
        first(c.url ORDER BY c.published_at, c.url) FILTER (WHERE c.url IS NOT NULL) AS source_url,
        coalesce(list(DISTINCT c.url ORDER BY c.url) FILTER (WHERE c.url IS NOT NULL), [])
            AS source_urls,
        string_agg(DISTINCT k.coder_version, ',' ORDER BY k.coder_version) AS coder_version
    FROM keyed AS k
    JOIN carriers AS c ON c.story_id = k.article_id
    GROUP BY k.event_id
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
JOIN actor_parts AS tp ON tp.actor = core.target_actor
ORDER BY core.event_date, core.event_id;
"""
