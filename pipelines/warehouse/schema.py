"""The data dictionary: every published table and column, described once.

DuckDB DDL, ``COMMENT ON`` statements, Arrow schemas for the Parquet exports and pandas frames
for staged asset outputs are all derived from ``TABLES``, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
}

# Nullable pandas dtypes, so integer columns with gaps stay integers in staged frames.
_PANDAS_TYPES: dict[pa.DataType, object] = {
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    nullable: bool = True

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    partition_column: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self, *, without: Iterable[str] = ()) -> pa.Schema:
        skip = set(without)
        return pa.schema(
            [pa.field(c.name, c.arrow_type, c.nullable) for c in self.columns if c.name not in skip]
        )

    def create_sql(self) -> str:
        cols = ",\n  ".join(
            f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        )
        key = f",\n  PRIMARY KEY ({', '.join(self.key)})" if self.key else ""
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}{key}\n)"

    def comment_sql(self) -> list[str]:
        statements = [f"COMMENT ON TABLE {self.name} IS {_quote(self.description)}"]
        statements += [
            f"COMMENT ON COLUMN {self.name}.{c.name} IS {_quote(c.description)}"
            for c in self.columns
        ]
        return statements

    def frame(self, rows: Iterable[Mapping[str, object]] = ()) -> pd.DataFrame:
        """Rows as a DataFrame with exactly this table's columns and types, even when empty."""
        return self.to_pandas(pa.Table.from_pylist(list(rows), schema=self.arrow_schema()))

    def to_pandas(self, arrow: pa.Table) -> pd.DataFrame:
        """An Arrow table as a DataFrame in this table's column order and dtypes."""
        arrow = arrow.select(self.column_names).cast(self.arrow_schema())
        return arrow.to_pandas(types_mapper=_PANDAS_TYPES.get)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def C(name: str, type_: str, description: str, nullable: bool = True) -> Column:
    return Column(name, type_, description, nullable)


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
            "CAMEO actor code of the source (who acts): country or IGO code, then roles.",
            False,
        ),
        C("source_text", "VARCHAR", "Source actor as written.", False),
        C(
            "source_start",
            "INTEGER",
            "Start of the source span, character offset in sentence.",
            False,
        ),
        C("source_end", "INTEGER", "End (exclusive) of the source span in sentence.", False),
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
            "When the event happened: the date the sentence gives, else the publication date.",
            False,
        ),
        C(
            "date_text",
            "VARCHAR",
            "The words that set event_date, when it is not the publication date.",
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
            "True when the mention has a target; only dyadic mentions become events.",
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

EVENTS = Table(
    "events",
    "Deduplicated dyadic events: one row per (event date, source actor, target actor, event code), "
    "aggregating every mention of it across all articles in the warehouse.",
    (
        C(
            "event_id",
            "VARCHAR",
            "Stable identifier: a hash of event_date, source_actor, target_actor and event_code.",
            False,
        ),
        C("event_date", "DATE", "When the event happened.", False),
        C("source_actor", "VARCHAR", "CAMEO actor code of the source.", False),
        C("target_actor", "VARCHAR", "CAMEO actor code of the target.", False),
        *_CAMEO_FIELDS,
        C("num_mentions", "INTEGER", "Number of sentences coding this event.", False),
        C("num_articles", "INTEGER", "Number of distinct articles mentioning it.", False),
        C("num_sources", "INTEGER", "Number of distinct outlets mentioning it.", False),
        C("confidence", "DOUBLE", "Highest confidence among its mentions.", False),
        C(
            "first_published",
            "DATE",
            "Earliest publication date of an article mentioning it.",
            False,
        ),
        C("last_published", "DATE", "Latest publication date of an article mentioning it.", False),
    ),
    key=("event_id",),
    partition_column="event_date",
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
        C("plover_type", "VARCHAR", "PLOVER event type."),
    ),
    key=("event_code",),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (ARTICLES, QUARANTINE, EVENT_MENTIONS, EVENTS, CAMEO_EVENT_CODES)
}
