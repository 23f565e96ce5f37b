import gzip
import io
from datetime import datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def article_page(title: str, body: str, published: str = "2024-08-06T10:00:00Z") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta property='og:site_name' content='Harbour Times'>"
        f"<meta property='article:published_time' content='{published}'></head>"
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Harbour Times</footer></body></html>"
    ).encode()


def write_warc(path: Path, records: list[tuple]) -> Path:
    """records: (kind, url, status, content_type, body, warc_date) with kind response|request."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=path.suffix == ".gz")
    for kind, url, status, content_type, body, when in records:
        date = (when or datetime(2024, 8, 6, 12)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if kind == "response":
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
        else:
            http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")], is_http_request=True)
            record = writer.create_warc_record(
                url, "request", http_headers=http, warc_headers_dict={"WARC-Date": date}
            )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path
