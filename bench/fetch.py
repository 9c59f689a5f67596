"""Benchmark `refs fetch` parallelism: 60 resources, --jobs 1 against --jobs 8.

Eight local servers (distinct ports, so the two-per-host limit does not cap the
parallelism) each add 100 ms to every request. Both runs fetch the same 60 pages
into fresh temporary libraries; the ratio of their times is the speed-up (target
>= 4x). Run: `.venv/bin/python bench/fetch.py [--resources N] [--delay S]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from http_server import Reply, Server, html_page  # noqa: E402
from sample_library import MANIFEST_HEAD, entry  # noqa: E402

from extract.fetch import Options, fetch_resources  # noqa: E402
from extract.fetch.dispatch import Endpoints  # noqa: E402
from extract.fetch.http import HttpConfig  # noqa: E402
from extract.library import Library  # noqa: E402


def timed_fetch(servers: list[Server], n: int, jobs: int) -> float:
    with tempfile.TemporaryDirectory(prefix="refs-bench-") as tmp:
        entries = [
            entry(f"r{i:03d}", [servers[i % len(servers)].url(f"/r{i}.html")]) for i in range(n)
        ]
        manifest = Path(tmp) / "refs" / "manifest.yaml"
        manifest.parent.mkdir()
        manifest.write_text(MANIFEST_HEAD + "".join(entries), encoding="utf-8")
        lib = Library(Path(tmp))
        config = HttpConfig(connect_timeout=5, read_timeout=10, retries=0)
        start = time.perf_counter()
        outcomes = fetch_resources(
            lib,
            lib.select(everything=True),
            Options(jobs=jobs),
            config=config,
            endpoints=Endpoints(),
        )
        elapsed = time.perf_counter() - start
        failed = [o for o in outcomes if not o.ok]
        if failed:
            raise SystemExit(f"bench: {len(failed)} fetches failed, e.g. {failed[0].message}")
        lib.reload()
        assert all(r.status == "fetched" for r in lib.resources)
        return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=60)
    ap.add_argument("--servers", type=int, default=8)
    ap.add_argument("--delay", type=float, default=0.1, help="seconds each server adds per request")
    args = ap.parse_args()
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(delay=args.delay)) for _ in range(args.servers)]
        for i in range(args.resources):
            servers[i % len(servers)].route(f"/r{i}.html", Reply(body=html_page(f"Resource {i}")))
        serial = timed_fetch(servers, args.resources, jobs=1)
        parallel = timed_fetch(servers, args.resources, jobs=8)
        peak = max(s.max_in_flight for s in servers)
    ratio = serial / parallel
    print(
        f"{args.resources} resources, {args.servers} hosts, +{args.delay * 1000:.0f} ms per request"
    )
    print(f"--jobs 1: {serial:.2f} s")
    print(f"--jobs 8: {parallel:.2f} s")
    print(f"speed-up: {ratio:.1f}x (target >= 4x); most requests in flight on one host: {peak}")
    return 0 if ratio >= 4 else 1


if __name__ == "__main__":
    sys.exit(main())
