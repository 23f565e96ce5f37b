"""One act, one event: how often the published events split one act or merge two.

    python -m bench.same_acts [--home DIR]

A small corpus of acts, each told by several outlets in different words, at different grain
("Niger", "Niger's military government", "the junta") and on the day of the act or the day
after; beside them, pairs of different acts that look alike (two sides' attacks on consecutive
days, a government and its opposition doing the same thing, two statements a day apart). Each
telling's lead is coded by the real coder and published day by day into a real warehouse; the
events are then read back and traced to their tellings through ``events.mention_ids``.

Printed:
- duplicate rate: the share of events that are an extra event for an act already counted
  (one act split over two events gives one duplicate);
- wrong merges: events holding tellings of two different acts, and among them those CAMEO's
  daily key (date, source, target, code) makes one anyway (two attacks by the same sides on
  the same day).
Only acts the coder coded at all count: the coder's misses are measured by the gold sets.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from pipelines.coding.coder import EventCoder
from pipelines.datamodel.record_frames import articles_frame, quarantine_frame
from pipelines.datamodel.records import Article
from pipelines.datamodel.tables import EVENT_MENTIONS
from pipelines.warehouse.store import Warehouse

FIRST_DAY = date(2024, 8, 6)  # a Tuesday

# act -> tellings: (days after the act, outlet, lead). An act's root code is ROOTS[act]: other
# acts a lead reports ("accusing Kyiv of backing rebels") are left out of the measure.
ACTS: dict[str, list[tuple[int, str, str]]] = {
    "niger cuts ties with ukraine": [
        (
            0,
            "Wire",
            "Niger's military government said on Tuesday it was severing diplomatic ties with Ukraine.",
        ),
        (
            0,
            "Herald",
            "Niger cut diplomatic ties with Ukraine on Tuesday, accusing Kyiv of backing rebels.",
        ),
        (
            1,
            "Post",
            "Niger has severed diplomatic relations with Ukraine, its military rulers announced.",
        ),
        (
            1,
            "Times",
            "The government of Niger said on Tuesday evening that it was breaking off relations with Ukraine.",
        ),
    ],
    "us hands base to niger": [
        (
            0,
            "Wire",
            "The United States military on Tuesday handed over its last air base in Niger to Niger.",
        ),
        (
            0,
            "Herald",
            "American forces handed over Air Base 201 to Niger's armed forces on Tuesday, the Pentagon said.",
        ),
        (
            1,
            "Post",
            "The United States handed over its last military base in Niger to the country's authorities on Tuesday.",
        ),
    ],
    "ecowas sanctions niger": [
        (0, "Wire", "ECOWAS imposed sanctions on Niger on Tuesday."),
        (
            0,
            "Herald",
            "The Economic Community of West African States imposed sanctions on Niger's junta on Tuesday.",
        ),
        (1, "Post", "ECOWAS has imposed sanctions on Niger, the bloc said."),
    ],
    "russia expels german diplomats": [
        (0, "Wire", "Russia expelled two German diplomats on Tuesday."),
        (0, "Herald", "Moscow expelled two German diplomats on Tuesday in a row over espionage."),
        (
            1,
            "Post",
            "Russia has expelled two German diplomats, the foreign ministry in Berlin said.",
        ),
    ],
    "china protests to the philippines": [
        (0, "Wire", "China lodged a protest with the Philippines on Tuesday over the collision."),
        (0, "Herald", "Beijing protested to Manila on Tuesday over the collision near the shoal."),
        (1, "Post", "China has protested to the Philippines over a collision at sea."),
    ],
    "turkey visits egypt": [
        (0, "Wire", "Turkey's foreign minister visited Egypt on Tuesday."),
        (0, "Herald", "Turkish Foreign Minister Hakan Fidan arrived in Cairo on Tuesday."),
        (1, "Post", "Turkey's top diplomat has visited Egypt for the first time in a decade."),
    ],
    # look-alikes: different acts
    "israel shells khan younis, tuesday": [
        (0, "Wire", "Israeli forces shelled Khan Younis on Tuesday."),
    ],
    "israel shells khan younis, wednesday": [
        (1, "Herald", "Israeli forces shelled Khan Younis, residents said."),
    ],
    "niger's government criticises france": [
        (0, "Wire", "Niger's government criticised France on Tuesday."),
    ],
    "niger's opposition criticises france": [
        (0, "Herald", "Niger's opposition criticised France on Tuesday."),
    ],
    "iran condemns israel, tuesday": [
        (0, "Wire", "Iran condemned Israel on Tuesday for the killing of a Hamas leader."),
    ],
    "iran condemns israel, wednesday": [
        (1, "Herald", "Iran condemned Israel on Wednesday for new strikes in Lebanon."),
    ],
    "ukraine drones hit a refinery": [
        (0, "Wire", "Ukrainian drones attacked a Russian oil refinery in Volgograd on Tuesday."),
    ],
    "ukraine drones hit an airfield": [
        (0, "Herald", "Ukrainian drones attacked a Russian airfield in Kursk on Tuesday."),
    ],
    "russia strikes kharkiv": [
        (0, "Wire", "Russian missiles struck Kharkiv on Tuesday."),
    ],
    "russia strikes odesa": [
        (0, "Herald", "Russian missiles struck Odesa on Tuesday."),
    ],
}


ROOTS = {
    "niger cuts ties with ukraine": "16",
    "us hands base to niger": "08",
    "ecowas sanctions niger": "16",
    "russia expels german diplomats": "16",
    "china protests to the philippines": "11",
    "turkey visits egypt": "04",
    "israel shells khan younis, tuesday": "19",
    "israel shells khan younis, wednesday": "19",
    "niger's government criticises france": "11",
    "niger's opposition criticises france": "11",
    "iran condemns israel, tuesday": "11",
    "iran condemns israel, wednesday": "11",
    "ukraine drones hit a refinery": "19",
    "ukraine drones hit an airfield": "19",
    "russia strikes kharkiv": "19",
    "russia strikes odesa": "19",
}


def articles() -> list[tuple[str, Article]]:
    out = []
    for act, tellings in ACTS.items():
        for n, (after, outlet, lead) in enumerate(tellings):
            day = FIRST_DAY + timedelta(days=after)
            slug = "".join(c if c.isalnum() else "-" for c in act)
            article_id = f"{slug}-{n}"
            out.append(
                (
                    act,
                    Article(
                        id=article_id,
                        text=lead,
                        published_at=datetime(day.year, day.month, day.day, 9 + n),
                        outlet=outlet,
                        url=f"https://{outlet.lower()}.example/{article_id}",
                    ),
                )
            )
    return out


def measure(home: Path) -> dict[str, float]:
    coder = EventCoder()
    told = articles()
    act_of = {article.id: act for act, article in told}
    by_day: dict[date, list[Article]] = defaultdict(list)
    for _, article in told:
        by_day[article.published_at.date()].append(article)
    warehouse = Warehouse(home / "dyadflow.duckdb", home / "exports")
    for day, day_articles in sorted(by_day.items()):
        rows = []
        for mention in coder.code_articles(day_articles):
            row = mention.as_row()
            row.update(published_date=day, coder_version="bench")
            rows.append(row)
        warehouse.publish_partition(
            day, articles_frame(day_articles), quarantine_frame([]), EVENT_MENTIONS.frame(rows)
        )
    with warehouse.connect() as con:
        columns = {
            c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE events)").fetchall()
        }
        # a warehouse of dyadflow before mention_ids (to measure "before") joins on the daily key
        joined = (
            "FROM events AS e, unnest(e.mention_ids) AS u(mention_id) "
            "JOIN event_mentions AS m USING (mention_id)"
            if "mention_ids" in columns
            else "FROM events AS e JOIN event_mentions AS m ON m.is_dyadic "
            "AND (m.event_date, m.source_actor, m.target_actor, m.event_code) = "
            "(e.event_date, e.source_actor, e.target_actor, e.event_code)"
        )
        events = con.execute(
            "SELECT e.event_id, list(DISTINCT m.article_id), "
            "count(DISTINCT (m.event_date, m.source_actor, m.target_actor, m.event_code)), "
            "any_value(e.event_date), "
            "any_value(e.source_actor), any_value(e.target_actor), any_value(e.event_code) "
            f"{joined} GROUP BY e.event_id"
        ).fetchall()
    events = [e for e in events if any(ROOTS[act_of[a]] == e[6][:2] for a in e[1])]
    # an act is counted per event code: a visit is two events by convention (042 and 043)
    events_of_act: dict[tuple[str, str], int] = defaultdict(int)
    merged = by_daily_key = 0
    for _, article_ids, daily_keys, *key in events:
        acts = {act_of[a] for a in article_ids}
        merged += len(acts) > 1
        by_daily_key += len(acts) > 1 and daily_keys == 1  # CAMEO's key alone makes them one
        for act in acts:
            events_of_act[(act, key[3])] += 1
    split = sum(n - 1 for n in events_of_act.values())
    for _event_id, article_ids, _, *key in sorted(events, key=lambda e: str(e[2:])):
        acts = sorted({act_of[a] for a in article_ids})
        print(
            f"  {key[0]} {key[1]:>9} -> {key[2]:<9} {key[3]:<4} {len(article_ids)} tellings  {'; '.join(acts)}"
        )
    return {
        "acts coded": len({act for act, _ in events_of_act}),
        "acts told": len(ACTS),
        "events": len(events),
        "duplicate events": split,
        "duplicate rate": split / len(events) if events else 0.0,
        "events merging two acts": merged,
        "  of which the daily key": by_daily_key,
        "wrong-merge rate": merged / len(events) if events else 0.0,
        "  beyond the daily key": (merged - by_daily_key) / len(events) if events else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--home", type=Path, help="where to build the warehouse (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        figures = measure(args.home or Path(temp))
    for name, value in figures.items():
        print(f"{name:<24} {value:.3f}" if isinstance(value, float) else f"{name:<24} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
