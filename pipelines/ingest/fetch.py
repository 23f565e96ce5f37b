"""A polite HTTP client for feeds and the pages they link: http and https only (redirects too),
a timeout on every request and on the whole transfer, a size cap, and a minimum interval between
requests to the same host.

It reaches the public internet only. Every connection, redirects included, resolves the host
itself, refuses it when any of its addresses is loopback, private, link-local (the cloud
metadata services), unspecified, multicast or reserved, and connects to the addresses it checked
(so a name that resolves again differently cannot slip through). ``allow_private_addresses``
lets loopback and private networks through, for a feed server of one's own; link-local and the
rest stay refused. Through a proxy (``http_proxy``/``https_proxy``), the host is checked by
name and the proxy makes the connection.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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
    allow_private_addresses: bool = False  # loopback and private networks: a local feed server


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


class FetchError(Exception):
    """Why a URL could not be fetched; the message goes to the quarantine."""


def _scheme_refused(url: str) -> str | None:
    scheme = urlsplit(url).scheme.lower()
    if scheme in ALLOWED_SCHEMES:
        return None
    return f"{url[:200]}: scheme not allowed ({scheme or 'none'}; http and https only)"


def address_refused(address: str, allow_private: bool = False) -> str | None:
    """Why an IP address may not be connected to ("169.254.169.254 is link-local"), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):  # an IPv4 address inside an IPv6 one
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    kind = next(
        (
            name
            for name, test in (
                ("link-local", ip.is_link_local),  # where cloud metadata services answer
                ("unspecified", ip.is_unspecified),
                ("multicast", ip.is_multicast),
                ("reserved", ip.is_reserved),
            )
            if test
        ),
        None,
    )
    if kind is None:
        if ip.is_loopback:
            kind = "loopback"
        elif not ip.is_global:  # RFC 1918, unique local, shared address space, documentation ...
            kind = "private"
        else:
            return None
        if allow_private:
            return None
    return f"{ip} is {kind}"


def _resolved(host: str, port: int, allow_private: bool) -> list[tuple]:
    """The host's addresses (getaddrinfo), all of them checked; FetchError if one is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"could not connect: cannot resolve {host!r}: {err}") from None
    for info in infos:
        refused = address_refused(info[4][0], allow_private)
        if refused:
            named = "" if info[4][0] == host.strip("[]") else f" (the address of {host})"
            hint = (
                "; fetch: allow_private_addresses: true lets a local feed server through"
                if refused.endswith(("loopback", "private"))
                else ""
            )
            raise FetchError(f"{refused}: not fetched{named}{hint}")
    return infos


def _guarded_connection(allow_private: bool):
    """socket.create_connection, to checked addresses only."""

    def connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        host, port = address
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in _resolved(host, port, allow_private):
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as err:
                sock.close()
                error = err
        raise error or OSError(f"no address for {host}")

    return connect


class _Guarded:
    """Connections of the opener's handlers: to checked addresses, unless through a proxy."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connection(self, base: type, req):
        allow_private = self.allow_private
        if req.has_proxy() or getattr(req, "_tunnel_host", None):
            # The proxy connects; the host the request is for is checked by name.
            target = urlsplit(req.full_url)
            _resolved(target.hostname or "", target.port or 80, allow_private)
            return base

        class Connection(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._create_connection = _guarded_connection(allow_private)

        return Connection


class _GuardedHTTP(urllib.request.HTTPHandler):
    def __init__(self, guard: _Guarded):
        super().__init__()
        self.guard = guard

    def http_open(self, req):
        return self.do_open(self.guard.connection(http.client.HTTPConnection, req), req)


class _GuardedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, guard: _Guarded):
        super().__init__()
        self.guard = guard

    def https_open(self, req):
        return self.do_open(
            self.guard.connection(http.client.HTTPSConnection, req), req, context=self._context
        )


class _SameSchemesRedirect(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        # Before urllib's own check, which refuses other schemes with an HTTPError of its own.
        location = headers.get("location") or headers.get("uri")
        if location:
            refused = _scheme_refused(urljoin(req.full_url, location))
            if refused:
                raise FetchError(f"redirect to {refused}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


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
        guard = _Guarded(self.policy.allow_private_addresses)
        self._opener = urllib.request.build_opener(
            _SameSchemesRedirect(), _GuardedHTTP(guard), _GuardedHTTPS(guard)
        )
        self.requests = 0

    def get(self, url: str) -> Fetched:
        parts = urlsplit(url)
        refused = _scheme_refused(url)
        if refused:
            raise FetchError(refused)
        if not parts.hostname:
            raise FetchError(f"{url[:200]}: no host in the URL")
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
