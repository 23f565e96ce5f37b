"""Ingest throughput per source format, beside the coder's, on the same generated articles.

    python -m bench.bench_ingest [--articles 2000] [--words 300] [--coder-articles 200]

For each format the same articles are written to a temporary folder, then (a) read by the
format's reader alone and (b) landed in full (reader, language screen, MinHash duplicates against
the index, per-day Parquet). Prints articles/s for both, and the coder's articles/s on a sample
of the same articles (one process), so the ratio shows whether ingest can keep the coder fed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench import summary
from pipelines.datamodel.records import Article
from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.landing import Ingestor
from pipelines.ingest.sources import ReadOptions, expand, read_file

COUNTRIES = [
    "Niger",
    "Mali",
    "Ukraine",
    "Kenya",
    "Brazil",
    "Chile",
    "Peru",
    "Ghana",
    "Togo",
    "Egypt",
    "Jordan",
    "Chad",
    "Sudan",
    "Ethiopia",
    "Somalia",
    "Nigeria",
    "Algeria",
    "Morocco",
    "Tunisia",
    "Senegal",
    "Haiti",
    "Colombia",
    "Mexico",
    "Canada",
    "India",
    "Pakistan",
    "China",
    "Japan",
    "Vietnam",
    "Indonesia",
    "Australia",
    "Fiji",
    "Turkey",
    "Iran",
    "Iraq",
    "Syria",
    "Lebanon",
    "Israel",
    "Qatar",
]
VERBS = [
    "met with",
    "criticised",
    "signed an agreement with",
    "accused",
    "imposed sanctions on",
    "hosted talks with",
    "expelled diplomats from",
    "pledged aid to",
    "condemned",
    "praised",
    "threatened",
    "rejected a proposal from",
]
FILLER = [
    "officials said on {day} that the decision followed weeks of negotiations",
    "the ministry of foreign affairs released a statement late in the evening",
    "analysts expect the move to affect trade worth {n} million dollars a year",
    "protesters gathered outside the parliament building in the capital",
    "the talks will resume next month according to a senior diplomat",
    "the army said {n} soldiers had been deployed to the border region",
    "observers from the regional bloc called for restraint on all sides",
    "the president is expected to address the nation on {day}",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def generate(count: int, words: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    start = datetime(2024, 8, 1, 6)
    articles = []
    for i in range(count):
        sentences = []
        while sum(len(s.split()) for s in sentences) < words:
            a, b = rng.sample(COUNTRIES, 2)
            sentences.append(f"{a} {rng.choice(VERBS)} {b} on {rng.choice(DAYS)}.")
            filler = rng.choice(FILLER).format(day=rng.choice(DAYS), n=rng.randint(2, 9000))
            sentences.append(filler[0].upper() + filler[1:] + ".")
        text = " ".join(sentences)
        title = sentences[0].rstrip(".")
        when = start + timedelta(minutes=rng.randint(0, 14 * 24 * 60))
        articles.append(
            {
                "id": f"bench-{i:06d}",
                "url": f"https://bench{i % 17}.example/{when:%Y/%m/%d}/story-{i}",
                "outlet": f"Bench Outlet {i % 17}",
                "title": title,
                "text": text,
                "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )
    return articles


def _page(a: dict) -> bytes:
    nav = "".join(f'<li><a href="/section/{k}">Section {k}</a></li>' for k in range(60))
    script = "<script>" + "window.dataLayer.push({event: 'view'});" * 150 + "</script>"
    body = "".join(f"<p>{p}.</p>" for p in a["text"].split(". ") if p)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{a["title"]}</title>'
        f'<meta property="og:site_name" content="{a["outlet"]}">'
        f'<meta property="article:published_time" content="{a["published_at"]}">'
        f'<link rel="canonical" href="{a["url"]}">{script}</head><body><header><nav><ul>{nav}'
        f"</ul></nav></header><main><article><h1>{a['title']}</h1>{body}</article></main>"
        f"<aside><ul>{nav}</ul></aside><footer>Copyright {a['outlet']}</footer>{script}</body></html>"
    ).encode()


def write_formats(articles: list[dict], root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    lines = "".join(json.dumps(a) + "\n" for a in articles).encode()
    (root / "jsonl").mkdir()
    (root / "jsonl" / "a.jsonl").write_bytes(lines)
    out["jsonl"] = root / "jsonl"
    (root / "jsonl.gz").mkdir()
    (root / "jsonl.gz" / "a.jsonl.gz").write_bytes(gzip.compress(lines, 6))
    out["jsonl.gz"] = root / "jsonl.gz"

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(articles[0]))
    writer.writeheader()
    writer.writerows(articles)
    (root / "csv").mkdir()
    (root / "csv" / "a.csv").write_text(buffer.getvalue())
    out["csv"] = root / "csv"

    (root / "txt").mkdir()
    for a in articles:
        (root / "txt" / f"{a['id']}.txt").write_text(
            f"Title: {a['title']}\nDate: {a['published_at']}\nURL: {a['url']}\n"
            f"Outlet: {a['outlet']}\n\n{a['text']}\n"
        )
    out["txt (file each)"] = root / "txt"

    (root / "html").mkdir()
    for a in articles:
        (root / "html" / f"{a['id']}.html").write_bytes(_page(a))
    out["html (file each)"] = root / "html"

    items = "".join(
        f"<item><title>{a['title']}</title><link>{a['url']}</link><guid>{a['url']}</guid>"
        f"<pubDate>{datetime.fromisoformat(a['published_at']):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description><![CDATA[<p>{a['text']}</p>]]></description></item>"
        for a in articles
    )
    (root / "rss").mkdir()
    (root / "rss" / "feed.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{items}</channel></rss>'
    )
    out["rss"] = root / "rss"

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    (root / "warc").mkdir()
    with (root / "warc" / "crawl.warc.gz").open("wb") as handle:
        warc = WARCWriter(handle, gzip=True)
        for a in articles:
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = warc.create_warc_record(
                a["url"],
                "response",
                payload=io.BytesIO(_page(a)),
                http_headers=http,
                warc_headers_dict={"WARC-Date": a["published_at"]},
            )
            warc.write_record(record)
    out["warc.gz"] = root / "warc"
    return out


def _read_only(folder: Path) -> tuple[int, float]:
    started = time.perf_counter()
    count = 0
    options = ReadOptions()
    for path in expand([folder]):
        count += sum(isinstance(r, Article) for r in read_file(path, options))
    return count, time.perf_counter() - started


def _land(folder: Path, home: Path) -> tuple[int, float]:
    config = SourcesConfig(inbox=folder, use_sample_when_empty=False)
    started = time.perf_counter()
    report = Ingestor(home / "landing", config).run(poll_feeds=False)
    return report.articles, time.perf_counter() - started


def _coder_rate(articles: list[dict]) -> float | None:
    try:
        from pipelines.coding.coder import EventCoder
    except ImportError:
        return None
    records = [
        Article(id=a["id"], text=a["text"], published_at=datetime.fromisoformat(a["published_at"]))
        for a in articles
    ]
    coder = EventCoder()
    list(coder.code_articles(records[:5]))  # load spaCy and the dictionaries first
    started = time.perf_counter()
    for _ in coder.code_articles(records):
        pass
    return len(records) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=summary(__doc__))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--coder-articles", type=int, default=200)
    args = parser.parse_args(argv)

    articles = generate(args.articles, args.words)
    print(f"bench_ingest: {len(articles)} generated articles of ~{args.words} words, one process")
    coder = _coder_rate(articles[: args.coder_articles]) if args.coder_articles else None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        formats = write_formats(articles, root)
        print(f"\n{'format':<18}{'read only':>14}{'landed':>14}{'landed / coder':>17}")
        for name, folder in formats.items():
            n_read, t_read = _read_only(folder)
            n_land, t_land = _land(folder, root / f"home-{name.split()[0]}")
            landed = n_land / t_land
            ratio = f"{landed / coder:>16.1f}x" if coder else f"{'n/a':>17}"
            print(f"{name:<18}{n_read / t_read:>10.0f} a/s{landed:>10.0f} a/s{ratio}")
            if n_read != len(articles) or n_land != len(articles):
                print(f"  !! {name}: read {n_read}, landed {n_land} of {len(articles)}")
    if coder:
        print(f"\ncoder: {coder:.1f} articles/s on {args.coder_articles} of the same articles")
    else:
        print("\ncoder: not available (pipelines.coding.coder missing)")


if __name__ == "__main__":
    main()
