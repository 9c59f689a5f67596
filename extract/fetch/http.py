"""One HTTP client for Tier 1: polite, bounded, and never leaves a partial file.

A single `requests.Session` shared by every worker thread; at most
``per_host`` requests in flight per host (our own semaphores, on top of the thread
pool that bounds the total). Transient failures (connection errors, timeouts, bodies
cut short, 5xx) are retried with exponential backoff; `Retry-After` and GitHub's
rate-limit headers are honoured up to a cap, past which the fetch fails clearly.
Bodies are streamed with a size cap into `fsio.atomic_open`, so an artifact either
arrives whole or does not exist.

The read timeout restarts with every byte, so it alone cannot stop a server that
trickles: a watchdog thread gives every artifact a total deadline and every
transfer a minimum rate (bytes in the last `rate_window` seconds), and cuts the
connection of one that misses either; that artifact fails at once, with no retry.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import io
import math
import os
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .. import fsio
from ..errors import RefsError

PROJECT = "dit-refs"
# A placeholder until the project has a public home; servers see it in the User-Agent.
CONTACT_URL = "https://github.com/dit-refs/dit-refs"
HEAD_BYTES = 4096  # what content checks look at
CHUNK = 64 * 1024


def _version() -> str:
    try:
        from importlib.metadata import version

        return version(PROJECT)
    except Exception:  # not installed (e.g. run from a bare checkout)
        return "0"


USER_AGENT = f"{PROJECT}/{_version()} (+{CONTACT_URL}; reference-library fetcher)"


class FetchError(RefsError):
    """One artifact could not be fetched; the message is safe to show (no secrets)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status when the server answered with an error


class _Discarded(Exception):
    """Internal: the body's kind says it is not to be stored."""


class _Transient(Exception):
    """A failure worth retrying after a wait."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.message = message
        self.wait = wait  # seconds the server asked for, if it said


@dataclass(frozen=True)
class HttpConfig:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 4  # attempts after the first
    backoff: float = 1.0  # first backoff wait; doubles each retry
    max_wait: float = 120.0  # longest Retry-After / rate-limit wait we accept
    max_bytes: int = 200 * 1024 * 1024  # per artifact
    # A 50 MB PDF within the deadline needs 14 KB/s on average (a 0.12 Mbit/s line);
    # the minimum rate only cuts a transfer that all but stopped. 0 turns either off.
    deadline: float = 3600.0  # seconds per artifact, its retries and their waits included
    min_rate: float = 1024.0  # bytes per second, averaged over rate_window
    rate_window: float = 60.0  # seconds; also the grace before the rate is judged
    per_host: int = 2
    pool_size: int = 16
    github_api: str = "https://api.github.com"
    github_token: str | None = field(default=None, repr=False)  # never in repr or logs

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> HttpConfig:
        """Defaults, then REFS_FETCH_* / GITHUB_TOKEN from the environment, then overrides."""
        env = os.environ if environ is None else environ
        knobs = {
            "REFS_FETCH_CONNECT_TIMEOUT": ("connect_timeout", float),
            "REFS_FETCH_READ_TIMEOUT": ("read_timeout", float),
            "REFS_FETCH_RETRIES": ("retries", int),
            "REFS_FETCH_BACKOFF": ("backoff", float),
            "REFS_FETCH_MAX_WAIT": ("max_wait", float),
            "REFS_FETCH_MAX_BYTES": ("max_bytes", int),
            "REFS_FETCH_DEADLINE": ("deadline", float),
            "REFS_FETCH_MIN_RATE": ("min_rate", float),
            "REFS_FETCH_RATE_WINDOW": ("rate_window", float),
        }
        values: dict = {}
        for var, (name, kind) in knobs.items():
            text = env.get(var)
            if text is None or text == "":
                continue
            try:
                value = kind(text)
            except ValueError:
                raise RefsError(f"{var}={text!r} is not a valid {kind.__name__}") from None
            if not math.isfinite(value) or value < 0:
                raise RefsError(f"{var} must be a number >= 0 (got {text})")
            values[name] = value
        values["github_api"] = env.get("REFS_GITHUB_API_URL") or cls.github_api
        values["github_token"] = env.get("GITHUB_TOKEN") or None
        config = replace(cls(**values), **overrides)
        if config.min_rate and config.rate_window <= 0:
            raise RefsError(
                "REFS_FETCH_RATE_WINDOW must be more than 0 while a minimum rate is set"
            )
        return config


@dataclass
class Fetched:
    """What one GET produced: the provenance facts, and the body when kept in memory."""

    url: str
    final_url: str
    status: int
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    sha256: str = ""
    bytes: int = 0
    fetched_at: str = ""
    kind: str = ""
    stored: bool = False
    body: builtins.bytes | None = None  # `bytes` in this class is the size field
    next_url: str | None = None  # rel="next" of a Link header

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def provenance(self) -> dict:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "content_type": self.content_type,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "fetched_at": self.fetched_at,
            "kind": self.kind,
        }


# check(head, content_type) -> kind, or raise FetchError; head is the body's first bytes.
Check = Callable[[bytes, str], str]


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def rate_limit_wait(headers, now: float | None = None) -> float | None:
    """Seconds until GitHub's rate limit resets, when the response says it is exhausted."""
    if headers.get("X-RateLimit-Remaining") != "0":
        return None
    reset = headers.get("X-RateLimit-Reset", "")
    if not reset.strip().isdigit():
        return None
    return max(0.0, int(reset) - (time.time() if now is None else now)) + 1.0


# ---------- the watchdog: a deadline per artifact, a minimum rate per transfer ----------
_current = threading.local()  # the transfer the calling thread is doing, if any


class _Transfer:
    """One attempt at one URL, as the watchdog sees it."""

    def __init__(self, url: str, deadline_at: float | None):
        self.url = url
        self.deadline_at = deadline_at
        self.started = time.monotonic()
        self.bytes = 0  # body bytes so far (written by the fetching thread only)
        self.samples: deque[tuple[float, int]] = deque([(self.started, 0)])
        self.reason: str | None = None  # why the watchdog cut it
        self._conn = None  # the urllib3 connection it is using now
        self._body = None  # the urllib3 response whose body it is reading
        self._lock = threading.Lock()
        self._active = True

    def attach(self, conn) -> None:
        with self._lock:
            if self._active:
                self._conn = conn

    def reading(self, raw) -> None:
        """The body is being read from ``raw`` (which may hold the socket alone by now)."""
        with self._lock:
            if self._active:
                self._body = raw

    def detach(self, conn) -> None:
        with self._lock:
            if self._conn is conn:
                self._conn = None

    def finish(self) -> None:
        """Stop watching; from here the connection may go back to the pool."""
        with self._lock:
            self._active = False
            self._conn = self._body = None

    def verdict(self, now: float, cfg: HttpConfig) -> str | None:
        if self.deadline_at is not None and now >= self.deadline_at:
            return (
                f"download of {self.url} not finished within the {cfg.deadline:g}s deadline "
                f"({self.bytes} bytes arrived); cut off (--deadline / REFS_FETCH_DEADLINE)"
            )
        if not cfg.min_rate:
            return None
        self.samples.append((now, self.bytes))
        if now - self.started < cfg.rate_window:
            return None
        while len(self.samples) > 1 and self.samples[1][0] <= now - cfg.rate_window:
            self.samples.popleft()
        since, then = self.samples[0]
        if self.bytes - then < cfg.min_rate * cfg.rate_window:
            return (
                f"{self.url} is too slow: {self.bytes - then} bytes in the last "
                f"{now - since:.0f}s, under the minimum of {cfg.min_rate:g} bytes/s; "
                "cut off (--min-rate / REFS_FETCH_MIN_RATE)"
            )
        return None

    def cut(self, reason: str) -> None:
        """Record why, and shut the socket down: a read blocked on it returns at once."""
        with self._lock:
            if not self._active or self.reason:
                return
            self.reason = reason
            if self._body is not None:
                # A response that will close owns the socket alone (its connection let go).
                with contextlib.suppress(OSError, ValueError, RuntimeError):
                    self._body.shutdown()
            sock = getattr(self._conn, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    if isinstance(sock, socket.socket):
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # below TLS, if any
                    else:
                        sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One thread per client that checks every running transfer a few times a second."""

    def __init__(self, config: HttpConfig):
        self.config = config
        window = config.rate_window if config.min_rate else 1.0
        self.tick = max(0.02, min(0.5, window / 5, (config.deadline or 1.0) / 5))
        self._transfers: set[_Transfer] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def needed(self) -> bool:
        return bool(self.config.deadline or self.config.min_rate)

    def watch(self, transfer: _Transfer) -> None:
        with self._lock:
            self._transfers.add(transfer)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fetch-watchdog")
                self._thread.daemon = True
                self._thread.start()

    def unwatch(self, transfer: _Transfer) -> None:
        with self._lock:
            self._transfers.discard(transfer)

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            now = time.monotonic()
            with self._lock:
                transfers = list(self._transfers)
            for t in transfers:
                if t.reason is None and (reason := t.verdict(now, self.config)):
                    t.cut(reason)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _TrackedPool(HTTPConnectionPool):
    """Tells the calling thread's transfer which connection it is using."""

    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        if (t := getattr(_current, "transfer", None)) is not None:
            t.attach(conn)
        return conn

    def _put_conn(self, conn) -> None:
        if (t := getattr(_current, "transfer", None)) is not None:
            t.detach(conn)
        super()._put_conn(conn)


class _TrackedHTTPSPool(_TrackedPool, HTTPSConnectionPool):
    pass


_POOLS = {"http": _TrackedPool, "https": _TrackedHTTPSPool}


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy, **kwargs):
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


class Client:
    """The shared session, the per-host limits and the retry loop."""

    def __init__(
        self, config: HttpConfig | None = None, sleep: Callable[[float], None] | None = None
    ):
        self.config = config or HttpConfig()
        self.sleep = sleep or time.sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = _Adapter(
            pool_connections=self.config.pool_size,
            pool_maxsize=self.config.pool_size,
            max_retries=0,
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        api = urlsplit(self.config.github_api)
        self._api_host = api.netloc
        self._api_origin = ("https", api.hostname, api.port or 443)  # the token goes only here
        self._watchdog = _Watchdog(self.config)

    def close(self) -> None:
        self._watchdog.close()
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _slot(self, url: str) -> threading.BoundedSemaphore:
        key = host_key(url)
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = threading.BoundedSemaphore(self.config.per_host)
            return self._hosts[key]

    def is_github_api(self, url: str) -> bool:
        return urlsplit(url).netloc == self._api_host

    def sends_token(self, url: str) -> bool:
        """The token travels only over https, only to the API host (and its port)."""
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return (parts.scheme, parts.hostname, port) == self._api_origin

    def _headers(self, url: str, conditional: dict | None, extra: dict | None) -> dict:
        headers = dict(extra or {})
        if self.is_github_api(url):
            headers.setdefault("Accept", "application/vnd.github+json")
            headers.setdefault("X-GitHub-Api-Version", "2022-11-28")
            # The token goes to the API host over https only; requests drops it on a
            # redirect to another host, port or scheme.
            if self.config.github_token and self.sends_token(url):
                headers["Authorization"] = f"Bearer {self.config.github_token}"
        if conditional:
            if conditional.get("etag"):
                headers["If-None-Match"] = conditional["etag"]
            if conditional.get("last_modified"):
                headers["If-Modified-Since"] = conditional["last_modified"]
        return headers

    def get(
        self,
        url: str,
        *,
        dest: Path | None = None,
        check: Check | None = None,
        discard: tuple[str, ...] = (),
        conditional: dict | None = None,
        headers: dict | None = None,
        decode: bool = True,
    ) -> Fetched:
        """GET ``url`` into ``dest`` (atomically) or into memory (``dest=None``).

        ``check`` classifies the body from its first bytes (and may reject it); a
        body whose kind is in ``discard`` is not stored. ``conditional`` holds the
        previous etag / last_modified: a 304 comes back as ``status == 304``.
        ``decode=False`` keeps a Content-Encoding as sent (arXiv marks gzipped
        e-prints `x-gzip`; the archive is the artifact, not its contents).
        """
        cfg = self.config
        attempt = 0
        with self._slot(url):
            # The clock starts once a slot is free: waiting behind this host's other
            # downloads is not this artifact's slowness.
            deadline_at = time.monotonic() + cfg.deadline if cfg.deadline else None
            while True:
                try:
                    return self._attempt(
                        url, dest, check, discard, conditional, headers, decode, deadline_at
                    )
                except _Transient as exc:
                    if attempt >= cfg.retries:
                        raise FetchError(
                            f"{exc.message} (gave up after {attempt + 1} "
                            f"attempt{'s' if attempt else ''})"
                        ) from None
                    if exc.wait is None:  # our own backoff, capped
                        wait = min(cfg.backoff * (2**attempt), cfg.max_wait)
                    else:
                        wait = exc.wait
                    if wait > cfg.max_wait:
                        raise FetchError(
                            f"{exc.message}; the server asks to wait {wait:.0f}s, "
                            f"more than the {cfg.max_wait:.0f}s cap: try again later"
                        ) from None
                    if deadline_at is not None and time.monotonic() + wait >= deadline_at:
                        raise FetchError(
                            f"{exc.message}; no time left for another attempt within the "
                            f"{cfg.deadline:g}s deadline (--deadline / REFS_FETCH_DEADLINE)"
                        ) from None
                    attempt += 1
                    self.sleep(wait)

    def _attempt(
        self, url, dest, check, discard, conditional, headers, decode, deadline_at
    ) -> Fetched:
        transfer = _Transfer(url, deadline_at)
        _current.transfer = transfer
        if self._watchdog.needed:
            self._watchdog.watch(transfer)
        try:
            return self._request(url, dest, check, discard, conditional, headers, decode, transfer)
        finally:
            transfer.finish()
            self._watchdog.unwatch(transfer)
            _current.transfer = None

    def _request(
        self, url, dest, check, discard, conditional, headers, decode, transfer
    ) -> Fetched:
        cfg = self.config
        try:
            resp = self.session.get(
                url,
                headers=self._headers(url, conditional, headers),
                timeout=(cfg.connect_timeout, cfg.read_timeout),
                stream=True,
                allow_redirects=True,
            )
        except requests.RequestException as exc:
            if transfer.reason:  # the watchdog cut the connection
                raise FetchError(transfer.reason) from None
            if isinstance(exc, requests.Timeout):
                raise _Transient(f"timed out fetching {url}") from None
            if isinstance(exc, requests.ConnectionError):
                raise _Transient(f"could not connect for {url}: {_reason(exc)}") from None
            if isinstance(exc, requests.TooManyRedirects):
                raise FetchError(f"too many redirects from {url} (a redirect loop?)") from None
            raise FetchError(f"bad request for {url}: {_reason(exc)}") from None
        with resp:
            try:
                return self._handle(url, resp, dest, check, discard, decode, transfer)
            finally:
                transfer.finish()  # before the connection can go back to the pool

    def _handle(self, url, resp, dest, check, discard, decode, transfer) -> Fetched:
        status = resp.status_code
        where = url if resp.url == url else f"{url} (redirected to {resp.url})"
        if status == 304:
            return self._facts(url, resp)
        if status in (403, 429) and (wait := rate_limit_wait(resp.headers)) is not None:
            hint = "" if self.config.github_token else " (GITHUB_TOKEN raises GitHub's limit)"
            raise _Transient(f"rate limit exhausted at {urlsplit(resp.url).netloc}{hint}", wait)
        if status in (429, 503):
            raise _Transient(
                f"HTTP {status} {resp.reason} from {where}",
                retry_after_seconds(resp.headers.get("Retry-After")),
            )
        if status >= 500:
            raise _Transient(f"HTTP {status} {resp.reason} from {where}")
        if status >= 400 or status < 200:
            hint = (
                " (set GITHUB_TOKEN for the GitHub API)"
                if status == 403 and self.is_github_api(resp.url)
                else ""
            )
            raise FetchError(f"HTTP {status} {resp.reason} for {where}{hint}", status)
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.config.max_bytes:
            raise FetchError(
                f"{where} is {int(length)} bytes, over the {self.config.max_bytes}-byte cap"
            )
        facts = self._facts(url, resp)
        transfer.reading(resp.raw)
        if dest is None:
            buf = io.BytesIO()
            self._stream(resp, buf, facts, check, discard, where, decode, transfer)
            facts.body = buf.getvalue()
            return facts
        try:
            with fsio.atomic_open(dest, "wb") as fh:
                self._stream(resp, fh, facts, check, discard, where, decode, transfer)
                if not facts.stored:
                    raise _Discarded  # leaving by an exception makes atomic_open drop the temp
        except _Discarded:
            pass
        return facts

    def _facts(self, url: str, resp) -> Fetched:
        link_next = resp.links.get("next", {}).get("url") if resp.headers.get("Link") else None
        return Fetched(
            url=url,
            final_url=resp.url,
            status=resp.status_code,
            content_type=resp.headers.get("Content-Type", ""),
            etag=resp.headers.get("ETag", ""),
            last_modified=resp.headers.get("Last-Modified", ""),
            fetched_at=utc_now(),
            next_url=link_next,
        )

    def _stream(
        self, resp, fh, facts: Fetched, check, discard, where: str, decode: bool, transfer
    ) -> None:
        cap = self.config.max_bytes
        digest = hashlib.sha256()
        size = 0
        head = b""
        checked = check is None
        try:
            for chunk in _chunks(resp.raw, decode):
                size += len(chunk)
                transfer.bytes = size
                if size > cap:
                    raise FetchError(f"{where} exceeds the {cap}-byte cap; download aborted")
                if not checked:
                    head += chunk
                    if len(head) < HEAD_BYTES:
                        continue
                    facts.kind = check(head, facts.content_type)
                    checked = True
                    if facts.kind in discard:
                        return
                    chunk, head = head, b""
                digest.update(chunk)
                fh.write(chunk)
            if not checked:
                facts.kind = check(head, facts.content_type)
                if facts.kind in discard:
                    return
                digest.update(head)
                fh.write(head)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            if transfer.reason:
                raise FetchError(transfer.reason) from None
            # A body cut short (Content-Length not met) or a stall mid-body.
            raise _Transient(f"transfer of {where} broke off ({_reason(exc)})") from None
        if transfer.reason:  # cut while the body had no length: its end proves nothing
            raise FetchError(transfer.reason)
        facts.sha256 = digest.hexdigest()
        facts.bytes = size
        facts.stored = True


def _chunks(raw, decode: bool):
    """The body as it arrives: each read returns what one receive brought (`read1`),
    so the watchdog sees progress byte by byte rather than per 64 KiB block."""
    while True:
        chunk = raw.read1(CHUNK, decode_content=decode)
        if not chunk:
            return
        yield chunk


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests error, short (the URL is already in our message)."""
    for _ in range(6):
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException) and exc.args:
            inner = exc.args[0]
        if not isinstance(inner, BaseException):
            break
        exc = inner
    text = str(exc)
    # urllib3 prefixes its messages with the pool or connection object: noise to a reader.
    text = re.sub(r"<[^>]* object at 0x[0-9a-f]+>:?\s*", "", text)
    text = re.sub(r"^\w*(Connection|Pool)\w*\(host='[^']*', port=\d+\):\s*", "", text)
    text = text or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "..."
