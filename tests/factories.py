"""Rows shaped by the data dictionary, built through the real codebook and mention contract."""

from datetime import date, datetime

from pipelines.datamodel.record_frames import articles_frame
from pipelines.datamodel.records import Article, EventMention, Span
from pipelines.datamodel.tables import EVENT_MENTIONS

SENTENCE = "Niger severed diplomatic ties with Ukraine."


def article(article_id: str, day: date, outlet: str = "Wire", text: str = SENTENCE) -> Article:
    return Article(
        id=article_id,
        text=text,
        published_at=datetime(day.year, day.month, day.day, 12),
        outlet=outlet,
        url=f"https://news.example/{article_id}",
    )


def mention_row(article_id: str, published: date, **overrides) -> dict:
    fields = dict(
        article_id=article_id,
        sentence_index=0,
        sentence=SENTENCE,
        sentence_start=0,
        source_actor="NER",
        source=Span("Niger", 0, 5),
        target_actor="UKR",
        target=Span("Ukraine", 35, 42),
        trigger=Span("severed", 6, 13),
        event_code="161",
        event_date=published,
        confidence=0.9,
        rule="test",
    )
    row_overrides = {k: overrides.pop(k) for k in list(overrides) if k not in fields}
    fields.update(overrides)
    row = EventMention(**fields).as_row()
    row.update(published_date=published, coder_version="test", **row_overrides)
    return row


def mentions_frame(*rows: dict):
    return EVENT_MENTIONS.frame(rows)


def articles_of(*items: Article):
    return articles_frame(items)
