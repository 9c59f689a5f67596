"""A scriptable HTTP server on 127.0.0.1 and a tiny library for the fetch tests.

Routes map a path (with its query) to a list of `Reply`s; successive requests to
the route take successive replies, the last one repeating. The server records
every request (path and headers) and the most requests it ever had in flight.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from extract.library import Library


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None  # answers 304 to a matching If-None-Match
    delay: float = 0.0  # before answering
    stall: bool = False  # send headers, then never the body
    cut: int | None = None  # send only this many body bytes, then close
    length: int | None = None  # a Content-Length that lies
    no_length: bool = False  # no Content-Length: the body ends when the connection closes
    gate: threading.Barrier | None = None  # wait here before answering (lines requests up)
    after: Callable[[], None] | None = None  # called once the reply is sent
    trickle: float | None = None  # seconds between single body bytes (a very slow server)
    trickle_headers: float | None = None  # seconds between single bytes of the status+headers


class Gauge:
    """Requests in flight, and the most ever; may be shared by several servers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.max = 0

    def up(self) -> None:
        with self.lock:
            self.now += 1
            self.max = max(self.max, self.now)

    def down(self) -> None:
        with self.lock:
            self.now -= 1


_CA = None


def tls_ca():
    """One certificate authority for the tests' https servers (trustme, in memory)."""
    global _CA
    if _CA is None:
        import trustme

        _CA = trustme.CA()
    return _CA


def trust_test_ca(monkeypatch, folder: Path) -> None:
    """Make requests trust the test CA (and only it), as a system CA bundle would."""
    pem = folder / "test-ca.pem"
    tls_ca().cert_pem.write_to_path(str(pem))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pem))


class Server:
    def __init__(
        self,
        host: str = "127.0.0.1",
        delay: float = 0.0,
        overall: Gauge | None = None,
        tls: bool = False,
    ):
        self.routes: dict[str, list[Reply]] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict]] = []
        self.gauge = Gauge()  # this server's requests in flight
        self.overall = overall  # and, optionally, those of a group of servers
        self.delay = delay  # added to every request
        self.release = threading.Event()  # ends stalls at shutdown
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                server._enter(self.path, dict(self.headers.items()))
                try:
                    server._answer(self)
                finally:
                    server._leave()

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"{'https' if tls else 'http'}://{host}:{self.port}"
        if tls:
            import ssl

            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls_ca().issue_cert(host).configure_cert(ctx)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def hits_of(self, path: str) -> int:
        return self.hits.get(path, 0)

    def headers_of(self, path: str) -> list[dict]:
        return [h for p, h in self.requests if p == path]

    # ---------- server side ----------
    def _enter(self, path: str, headers: dict) -> None:
        with self._lock:
            self.requests.append((path, headers))
        for gauge in (self.gauge, self.overall):
            if gauge:
                gauge.up()

    def _leave(self) -> None:
        for gauge in (self.gauge, self.overall):
            if gauge:
                gauge.down()

    @property
    def max_in_flight(self) -> int:
        return self.gauge.max

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            replies = self.routes.get(h.path)
            n = self.hits.get(h.path, 0)
            self.hits[h.path] = n + 1
        if self.delay:
            time.sleep(self.delay)
        if not replies:
            return _send(h, Reply(404, b"not here", content_type="text/plain"))
        reply = replies[min(n, len(replies) - 1)]
        if reply.delay:
            time.sleep(reply.delay)
        if reply.gate is not None:
            reply.gate.wait(10)
        if reply.etag and h.headers.get("If-None-Match") == reply.etag:
            return _send(h, Reply(304, b"", headers={"ETag": reply.etag}))
        if reply.stall:
            h.send_response(reply.status)
            h.send_header("Content-Type", reply.content_type)
            h.send_header("Content-Length", str(len(reply.body)))
            h.end_headers()
            h.wfile.flush()
            self.release.wait(10)
            h.close_connection = True
            return None
        if reply.trickle is not None or reply.trickle_headers is not None:
            return self._trickle(h, reply)
        _send(h, reply)
        if reply.after is not None:
            reply.after()
        return None

    def _trickle(self, h: BaseHTTPRequestHandler, reply: Reply) -> None:
        """Send the reply a byte at a time until it is done or the client gives up."""
        head = (
            f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {reply.content_type}\r\n"
            f"Content-Length: {len(reply.body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        h.close_connection = True
        try:
            for data, pause in ((head, reply.trickle_headers), (reply.body, reply.trickle)):
                if not pause:
                    h.wfile.write(data)
                    h.wfile.flush()
                    continue
                for i in range(len(data)):
                    if self.release.wait(pause):
                        return
                    h.wfile.write(data[i : i + 1])
                    h.wfile.flush()
        except OSError:  # the client hung up: what the tests want it to do
            return


def _send(h: BaseHTTPRequestHandler, reply: Reply) -> None:
    h.send_response(reply.status)
    if reply.status != 304:
        h.send_header("Content-Type", reply.content_type)
    length = reply.length if reply.length is not None else len(reply.body)
    if not reply.no_length:
        h.send_header("Content-Length", str(0 if reply.status == 304 else length))
    if reply.etag:
        h.send_header("ETag", reply.etag)
    for k, v in reply.headers.items():
        h.send_header(k, v)
    if reply.cut is not None or reply.no_length:
        h.send_header("Connection", "close")
    h.end_headers()
    if reply.status == 304:
        return
    body = reply.body if reply.cut is None else reply.body[: reply.cut]
    try:
        h.wfile.write(body)
        h.wfile.flush()
    except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: tests do
        h.close_connection = True
        return
    if reply.cut is not None or reply.length is not None or reply.no_length:
        h.close_connection = True


def http_date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------- fixture content (written for these tests) ----------
def html_page(title: str, body: str = "") -> bytes:
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{body or 'A page written for the fetch tests.'}</p></body></html>\n"
    ).encode()


def pdf_bytes(label: str) -> bytes:
    # Not a renderable PDF, but it has the magic and some bulk, which is all fetch checks.
    return b"%PDF-1.4\n% fetch test " + label.encode() + b"\n" + b"0" * 5000 + b"\n%%EOF\n"


def tar_gz(files: dict[str, bytes]) -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def gz(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


# ---------- a tiny library ----------
MANIFEST_HEAD = """\
# Fixture manifest for the fetch tests; this comment must survive every write.
reading_order: []
resources:
"""


def entry(
    rid: str,
    urls: list[str],
    *,
    type: str = "blog",
    status: str = "pending",
    priority: str = "high",
    topics: str = "[1]",
    comment: str = "",
) -> str:
    lines = [f"  # {comment}"] if comment else []
    lines += [f"  - id: {rid}", f'    title: "Fixture {rid}"', "    urls:"]
    lines += [f"      - {u}" for u in urls]
    lines += [
        f"    type: {type}",
        f"    topics: {topics}",
        f"    priority: {priority}",
        f"    status: {status}",
        "    local_paths: []",
        "    notes: ''",
    ]
    return "\n".join(lines) + "\n"


def make_library(root: Path, entries: list[str]) -> Library:
    (root / "refs").mkdir(parents=True, exist_ok=True)
    (root / "refs" / "manifest.yaml").write_text(MANIFEST_HEAD + "".join(entries), encoding="utf-8")
    return Library(root)


def tree(root: Path) -> list[str]:
    """Every file under root, relative, sorted (what a test expects to exist)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
