"""A generated news corpus for the benchmarks: political-event prose with varied names, places,
numbers and dates, so that the parser's vocabulary keeps growing as a real feed's does.

    python -m bench.corpus ARTICLES OUT.jsonl [--days 10] [--seed 7]

Every article is a JSON line (``id``, ``url``, ``outlet``, ``title``, ``text``,
``published_at``) spread evenly over ``days`` publication days. Each story mixes sentences the
coder has something to say about (a named country, leader, role or organisation doing something
to another) with the background that fills real reporting (figures, quotes, places, history).
Person names, town names, figures and sums are drawn afresh, so that most articles bring words no
earlier article had. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from bench import summary

COUNTRIES = [
    ("Niger", "Nigerien"),
    ("Mali", "Malian"),
    ("Ukraine", "Ukrainian"),
    ("Kenya", "Kenyan"),
    ("Brazil", "Brazilian"),
    ("Chile", "Chilean"),
    ("Peru", "Peruvian"),
    ("Ghana", "Ghanaian"),
    ("Egypt", "Egyptian"),
    ("Jordan", "Jordanian"),
    ("Sudan", "Sudanese"),
    ("Ethiopia", "Ethiopian"),
    ("Somalia", "Somali"),
    ("Nigeria", "Nigerian"),
    ("Algeria", "Algerian"),
    ("Morocco", "Moroccan"),
    ("Senegal", "Senegalese"),
    ("Colombia", "Colombian"),
    ("Mexico", "Mexican"),
    ("Canada", "Canadian"),
    ("India", "Indian"),
    ("Pakistan", "Pakistani"),
    ("China", "Chinese"),
    ("Japan", "Japanese"),
    ("Vietnam", "Vietnamese"),
    ("Indonesia", "Indonesian"),
    ("Turkey", "Turkish"),
    ("Iran", "Iranian"),
    ("Iraq", "Iraqi"),
    ("Syria", "Syrian"),
    ("Israel", "Israeli"),
    ("Russia", "Russian"),
    ("Germany", "German"),
    ("France", "French"),
    ("Poland", "Polish"),
    ("Serbia", "Serbian"),
    ("Venezuela", "Venezuelan"),
    ("Bolivia", "Bolivian"),
    ("Bangladesh", "Bangladeshi"),
    ("Myanmar", "Myanmar"),
]
ROLES = [
    "police",
    "soldiers",
    "troops",
    "protesters",
    "rebels",
    "lawmakers",
    "the opposition",
    "the government",
    "the army",
    "militants",
    "students",
    "farmers",
    "judges",
    "the foreign ministry",
    "border guards",
]
TITLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "opposition leader",
    "army chief",
    "Interior Minister",
    "Finance Minister",
    "rebel commander",
    "police spokesman",
]
ORGANISATIONS = [
    "the United Nations",
    "the African Union",
    "the European Union",
    "NATO",
    "the World Bank",
    "the IMF",
    "the Red Cross",
    "ECOWAS",
]
# source acts target: each with the slots {s} (actor), {t} (actor)
ACTS = [
    "{s} met {t} in {city} on {day} to discuss {topic}",
    "{s} accused {t} of {wrong}",
    "{s} signed an agreement with {t} on {topic}",
    "{s} imposed sanctions on {t} over {wrong}",
    "{s} expelled {n} diplomats from {t}",
    "{s} pledged {money} in aid to {t}",
    "{s} condemned {t} for {wrong}",
    "{s} praised {t} for its role in {topic}",
    "{s} threatened to cut ties with {t}",
    "{s} rejected a proposal from {t} on {topic}",
    "{s} arrested {n} {role} in {city} on {day}",
    "{s} urged {t} to release {n} detained {role}",
    "{s} hosted talks with {t} in {city}",
    "{s} fired on {role} near {city}, killing {n}",
    "{s} called on {t} to end {wrong}",
    "{s} denied accusations by {t} of {wrong}",
    "{s} demanded that {t} withdraw its {role} from {city}",
    "{s} agreed to resume talks with {t} next {month}",
]
TOPICS = [
    "border security",
    "trade tariffs",
    "the grain corridor",
    "refugee returns",
    "a ceasefire",
    "debt relief",
    "oil exports",
    "water rights on the river",
    "the election timetable",
    "a prisoner exchange",
]
WRONGS = [
    "human rights abuses",
    "meddling in its elections",
    "shelling civilian areas",
    "arming the rebels",
    "violating the truce",
    "smuggling weapons across the border",
    "detaining journalists",
]
BACKGROUND = [
    "The ministry said {n} people had been displaced since {month}, according to figures "
    "released on {day}.",
    "Trade between the two countries reached {money} last year, up {pct} percent on {year}.",
    '"We will not accept {topic} on these terms," {name} told reporters in {city}.',
    "About {n} people gathered outside the parliament in {city}, where the vote on the "
    "{year} budget of {money} was delayed.",
    "The talks in {city} were the first since {year}, when {n} soldiers were killed near the "
    "border town of {town}.",
    "Analysts at the {town} Institute said the deal could lift growth by {pct} percent.",
    "Inflation stood at {pct} percent in {month}, and the currency has lost a third of its "
    "value since {year}.",
    "The {town} district, home to some {n} people, has been under curfew since {day}.",
    "{name}, who has led the committee since {year}, is expected to travel to {city} on {day}.",
    "Officials in {town} said {n} homes were damaged and {n2} people were treated for injuries.",
    "Aid agencies have asked for {money} to feed {n} families through {month}.",
    "The agreement runs for {small} years and covers {n} kilometres of the border.",
]
SYLLABLES = [
    "ka",
    "mo",
    "ri",
    "an",
    "tu",
    "sel",
    "vo",
    "de",
    "lin",
    "ba",
    "oru",
    "zan",
    "pe",
    "kwa",
    "mi",
    "dor",
    "ela",
    "gha",
    "sun",
    "te",
    "ib",
    "rah",
    "no",
    "vik",
    "ya",
    "lu",
    "sha",
    "ber",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class _Story:
    """One article's cast: a pair of countries, their leaders and a few towns."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        (self.a, self.a_adj), (self.b, self.b_adj) = rng.sample(COUNTRIES, 2)
        self.people = [self._person() for _ in range(3)]
        self.towns = [self._name(2, 3) for _ in range(3)]

    def _name(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        return "".join(self.rng.choice(SYLLABLES) for _ in range(count)).capitalize()

    def _person(self) -> str:
        return f"{self._name(2, 3)} {self._name(2, 4)}"

    def actor(self, side: int) -> str:
        country, adjective = (self.a, self.a_adj) if side == 0 else (self.b, self.b_adj)
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            return country
        if kind < 0.6:
            return f"{adjective} {rng.choice(TITLES)} {rng.choice(self.people)}"
        if kind < 0.85:
            return f"{adjective} {rng.choice(ROLES).removeprefix('the ')}"
        return rng.choice(ORGANISATIONS)

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            s=self.actor(0),
            t=self.actor(1),
            city=rng.choice(self.towns),
            town=rng.choice(self.towns),
            day=rng.choice(DAYS),
            month=rng.choice(MONTHS),
            topic=rng.choice(TOPICS),
            wrong=rng.choice(WRONGS),
            role=rng.choice(ROLES).removeprefix("the "),
            n=f"{rng.randint(2, 90_000):,}",
            n2=rng.randint(2, 900),
            small=rng.randint(2, 30),
            money=f"${rng.randint(2, 990)}.{rng.randint(0, 9)} {rng.choice(['million', 'billion'])}",
            pct=f"{rng.randint(0, 40)}.{rng.randint(0, 9)}",
            year=rng.randint(1990, 2023),
            name=rng.choice(self.people),
        )


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", '"')) else text + "."


def articles(
    count: int, days: int = 10, seed: int = 7, start: datetime = datetime(2024, 8, 1)
) -> Iterator[dict]:
    """``count`` articles of 150 to 650 words, spread evenly over ``days`` days."""
    rng = random.Random(seed)
    for i in range(count):
        story = _Story(rng)
        target_words = rng.randint(150, 650)
        sentences: list[str] = []
        words = 0
        while words < target_words:
            template = rng.choice(ACTS) if rng.random() < 0.4 else rng.choice(BACKGROUND)
            sentence = _sentence(story.fill(template))
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        paragraphs = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
        when = start + timedelta(days=i % days, minutes=rng.randint(0, 24 * 60 - 1))
        outlet = i % 23
        yield {
            "id": f"gen-{i:07d}",
            "url": f"https://outlet{outlet}.example/{when:%Y/%m/%d}/story-{i}",
            "outlet": f"Generated Outlet {outlet}",
            "title": sentences[0].rstrip("."),
            "text": "\n\n".join(paragraphs),
            "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }


def write(count: int, path: Path, days: int = 10, seed: int = 7) -> tuple[int, int]:
    """Write the corpus as JSONL; return (articles, words)."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for article in articles(count, days, seed):
            words += len(article["text"].split())
            handle.write(json.dumps(article) + "\n")
    return count, words


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("articles", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    count, words = write(args.articles, args.out, args.days, args.seed)
    print(f"{count} articles, {words} words -> {args.out}")


if __name__ == "__main__":
    main()
