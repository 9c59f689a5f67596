"""Benchmark the fetch deadline and minimum rate on the real corpus artifacts.

Every raw artifact of the corpus (../shared/corpus, or the folder given) is
served from 127.0.0.1 and fetched through the real HTTP client three ways:

1. at full speed (each artifact ten times), with the default limits and with
   the limits off: both must store every artifact byte for byte; the ratio of
   their times is the watchdog's cost;
2. over a throttled "slow line" (--line-rate bytes/s per connection, default
   256 KiB/s), with the default limits: none may be cut;
3. trickling below a configured minimum rate (--min-rate over a 2 s window):
   every one too big to arrive within the window must be cut with the
   minimum-rate message and leave no file; the small ones arrive whole.

Run: `.venv/bin/python bench/fetch_limits.py [CORPUS] [--line-rate B]`.
Skips cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from extract.fetch.http import Client, FetchError, HttpConfig

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PIECE = 4096


class FileServer:
    """Serves one file at a given rate (None: as fast as it can)."""

    def __init__(self, data: bytes, rate: float | None):
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    if rate is None:
                        self.wfile.write(data)
                        return
                    start = time.monotonic()
                    for i in range(0, len(data), PIECE):
                        self.wfile.write(data[i : i + PIECE])
                        self.wfile.flush()
                        ahead = start + (i + PIECE) / rate - time.monotonic()
                        if ahead > 0 and server.stop.wait(ahead):
                            return
                except OSError:  # the client cut us off
                    return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/artifact"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def artifacts(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.parent.name == "raw")


def fetch_all(
    files: list[Path], config: HttpConfig, rate: float | None, repeat: int = 1
) -> tuple[float, list]:
    """(seconds, [(file, ok, message)]) for fetching every file ``repeat`` times
    through one Client."""
    results = []
    with tempfile.TemporaryDirectory(prefix="refs-bench-") as tmp, ExitStack() as stack:
        servers = [stack.enter_context(FileServer(f.read_bytes(), rate)) for f in files]
        with Client(config) as client:

            def one(i: int):
                dest = Path(tmp) / f"{i}.bin"
                try:
                    facts = client.get(servers[i].url, dest=dest)
                except FetchError as exc:
                    return files[i], not dest.exists(), exc.message
                same = facts.sha256 == hashlib.sha256(files[i].read_bytes()).hexdigest()
                return files[i], same and dest.read_bytes() == files[i].read_bytes(), ""

            start = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                for _ in range(repeat):
                    results = list(pool.map(one, range(len(files))))
            return time.perf_counter() - start, results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--line-rate", type=float, default=256 * 1024)
    ap.add_argument("--min-rate", type=float, default=4096)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; skipped")
        return 0
    files = artifacts(args.corpus)
    total = sum(f.stat().st_size for f in files)
    print(f"{len(files)} raw artifacts, {total / 1e6:.1f} MB, from {args.corpus}")
    defaults = HttpConfig(retries=0)
    off = replace(defaults, deadline=0, min_rate=0)
    timings = {"limits off": [], "default limits": []}
    for _ in range(args.rounds):
        for name, config in (("limits off", off), ("default limits", defaults)):
            seconds, results = fetch_all(files, config, None, repeat=10)
            bad = [f for f, ok, _ in results if not ok]
            assert not bad, f"{name}: not stored byte for byte: {bad}"
            timings[name].append(seconds)
    best = {k: min(v) for k, v in timings.items()}
    print(
        f"1. full speed: limits off {best['limits off']:.2f} s, default limits "
        f"{best['default limits']:.2f} s (ratio {best['default limits'] / best['limits off']:.2f}); "
        "all byte-identical"
    )
    seconds, results = fetch_all(files, defaults, args.line_rate)
    cut = [(f, m) for f, ok, m in results if m]
    print(
        f"2. slow line at {args.line_rate / 1024:.0f} KiB/s per connection, default limits: "
        f"{len(files) - len(cut)}/{len(files)} stored in {seconds:.1f} s, {len(cut)} cut"
    )
    for f, m in cut:
        print(f"   cut: {f}: {m}")
    trickle = replace(defaults, min_rate=args.min_rate, rate_window=2.0)
    slow = args.min_rate / 4
    seconds, results = fetch_all(files, trickle, slow)
    # A file small enough to arrive within the window is stored; every other one is cut.
    must_cut = {f for f in files if f.stat().st_size > slow * trickle.rate_window}
    cut_ok = {f for f, clean, m in results if clean and "too slow" in m}
    stored = {f for f, ok, m in results if ok and not m}
    print(
        f"3. trickling at {slow:.0f} B/s against a {args.min_rate:.0f} B/s minimum "
        f"(2 s window): {len(cut_ok)}/{len(must_cut)} that could not arrive in time cut "
        f"cleanly (message given, no file left), {len(stored)} small ones stored, "
        f"in {seconds:.1f} s"
    )
    return 0 if not cut and cut_ok == must_cut and stored == set(files) - must_cut else 1


if __name__ == "__main__":
    sys.exit(main())
