"""A deterministic synthetic news stream for warehouse tests: articles, copies of stories and
coded mentions, shaped by the data dictionary through the real codebook and mention contract.

It stands in for the coder (no spaCy) where a test exercises publication itself: many days,
directed dyads in both directions, all four quad classes, IGO and role actors, events reported
on later days, copies of a story in other outlets, non-dyadic mentions and places.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from pipelines.datamodel.record_frames import articles_frame, quarantine_frame
from pipelines.datamodel.records import Article, EventMention, Span
from pipelines.datamodel.tables import EVENT_MENTIONS

START = date(2024, 7, 29)  # the stream crosses a month boundary
OUTLETS = ("Wire", "Herald", "Courier", "Gazette", "Tribune")

# (actor code, as written)
ACTORS = {
    "USA": [("USA", "the United States"), ("USAGOV", "Washington"), ("USAMIL", "US troops")],
    "CHN": [("CHN", "China"), ("CHNGOV", "Beijing"), ("CHNMIL", "the Chinese navy")],
    "RUS": [("RUS", "Russia"), ("RUSGOV", "the Kremlin")],
    "UKR": [("UKR", "Ukraine"), ("UKRMIL", "Ukrainian forces")],
    "NER": [("NER", "Niger"), ("NERMIL", "Niger's junta")],
    "MLI": [("MLI", "Mali")],
    "IGOUNO": [("IGOUNO", "the United Nations")],
    "KEN": [("KENCOP", "Kenyan police"), ("KENOPP", "protesters in Nairobi")],
}
DYADS = (
    ("USA", "CHN"),
    ("CHN", "USA"),
    ("RUS", "UKR"),
    ("UKR", "RUS"),
    ("NER", "UKR"),
    ("MLI", "UKR"),
    ("IGOUNO", "RUS"),
    ("KEN", "KEN"),
)
# One code per quad class and a few more: 1 verbal coop, 2 material coop, 3 verbal conflict,
# 4 material conflict.
CODES = ("036", "042", "0311", "057", "070", "112", "111", "130", "161", "173", "190", "193")
PLACES = (("UKR", "Kharkiv"), ("USA", None), ("KEN", "Nairobi"), (None, None))


@dataclass(frozen=True)
class Day:
    day: date
    articles: pd.DataFrame
    quarantine: pd.DataFrame
    mentions: pd.DataFrame


def stream(days: int = 6, per_day: int = 8, seed: int = 7, start: date = START) -> list[Day]:
    rng = random.Random(seed)
    out = []
    originals: list[tuple[str, date]] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        articles: list[Article] = []
        rows: list[dict] = []
        for n in range(per_day):
            article_id = f"{day:%m%d}-{n}"
            outlet = rng.choice(OUTLETS)
            published = datetime(day.year, day.month, day.day, (6 + n) % 24, rng.randrange(60))
            if originals and rng.random() < 0.2:
                # A copy of an earlier story (a syndicated wire copy): not coded, but counted.
                original, _ = rng.choice(originals[-per_day * 2 :])
                articles.append(_article(article_id, published, outlet, duplicate_of=original))
                continue
            articles.append(_article(article_id, published, outlet))
            originals.append((article_id, day))
            for index in range(rng.randint(0, 3)):
                rows.append(_mention(rng, article_id, index, day))
        quarantine = quarantine_frame([]) if offset % 3 else _bad_record(day)
        out.append(Day(day, articles_frame(articles), quarantine, EVENT_MENTIONS.frame(rows)))
    return out


def _article(article_id: str, published: datetime, outlet: str, duplicate_of=None) -> Article:
    return Article(
        id=article_id,
        text=f"Story {duplicate_of or article_id}.",
        published_at=published,
        outlet=outlet,
        url=f"https://{outlet.lower()}.example/{article_id}",
        duplicate_of=duplicate_of,
    )


def _mention(rng: random.Random, article_id: str, index: int, day: date) -> dict:
    source_key, target_key = rng.choice(DYADS)
    source_code, source_text = rng.choice(ACTORS[source_key])
    target_code, target_text = rng.choice(
        [a for a in ACTORS[target_key] if a[0] != source_code] or ACTORS[target_key]
    )
    dyadic = rng.random() > 0.1
    code = rng.choice(CODES)
    country, place = rng.choice(PLACES)
    sentence = f"{source_text} acted on {target_text}."
    mention = EventMention(
        article_id=article_id,
        sentence_index=index,
        sentence=sentence,
        sentence_start=index * 40,
        source_actor=source_code,
        source=Span(source_text, 0, len(source_text)),
        target_actor=target_code if dyadic else None,
        target=Span(target_text, len(source_text) + 10, len(sentence) - 1) if dyadic else None,
        trigger=Span("acted", len(source_text) + 1, len(source_text) + 6),
        event_code=code,
        event_date=day - timedelta(days=rng.choice((0, 0, 0, 1, 2))),
        confidence=round(rng.uniform(0.5, 1.0), 2),
        rule="synthetic",
        location_country=country,
        location_place=place,
    )
    row = mention.as_row()
    row.update(published_date=day, coder_version="synthetic-1")
    return row


def _bad_record(day: date) -> pd.DataFrame:
    from pipelines.datamodel.records import Quarantined

    return quarantine_frame(
        [Quarantined("feed.jsonl", f"line {day.toordinal()}", "invalid JSON", published_date=day)]
    )


def publish_all(warehouse, days: list[Day], **kwargs) -> None:
    for item in days:
        warehouse.publish_partition(
            item.day, item.articles, item.quarantine, item.mentions, **kwargs
        )
