"""A polite HTTP client for feeds and the pages they link: http and https only (redirects too),
a timeout on every request and on the whole transfer, a size cap, and a minimum interval between
requests to the same host."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipelines import __version__

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    timeout_seconds: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    min_interval_seconds: float = 1.0  # between two requests to the same host
    user_agent: str = f"dyadflow/{__version__} (research event coding; polite crawler)"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


class FetchError(Exception):
    """Why a URL could not be fetched; the message goes to the quarantine."""


class _SameSchemesRedirect(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ALLOWED_SCHEMES:
            raise FetchError(f"redirect to a non-http(s) URL refused: {newurl[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    def __init__(
        self,
        policy: FetchPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.policy = policy or FetchPolicy()
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_SameSchemesRedirect())
        self.requests = 0

    def get(self, url: str) -> Fetched:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
            raise FetchError(f"only http and https URLs are fetched, not {url[:200]!r}")
        self._wait_turn(parts.hostname.lower())
        request = urllib.request.Request(
            url, headers={"User-Agent": self.policy.user_agent, "Accept": "*/*"}
        )
        deadline = self._clock() + self.policy.timeout_seconds
        try:
            with self._opener.open(request, timeout=self.policy.timeout_seconds) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
                    raise FetchError(
                        f"response of {declared} bytes is over the {self.policy.max_bytes} byte cap"
                    )
                body = self._read_capped(response, deadline)
                return Fetched(
                    response.geturl(), body, response.headers.get("Content-Type", "") or ""
                )
        except FetchError:
            raise
        except urllib.error.HTTPError as err:
            raise FetchError(f"HTTP {err.code} {err.reason}") from None
        except urllib.error.URLError as err:
            raise FetchError(f"could not connect: {err.reason}") from None
        except TimeoutError:
            raise FetchError(f"timed out after {self.policy.timeout_seconds} s") from None
        except (OSError, ValueError) as err:
            raise FetchError(f"fetch failed: {err}") from None

    def _read_capped(self, response, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise FetchError(f"response is over the {self.policy.max_bytes} byte cap")
            if self._clock() > deadline:
                raise FetchError(f"transfer took longer than {self.policy.timeout_seconds} s")
            chunks.append(chunk)

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = self._clock()
            ready = self._last.get(host, float("-inf")) + self.policy.min_interval_seconds
            if ready > now:
                self._sleep(ready - now)
                now = ready
            self._last[host] = now
            self.requests += 1
