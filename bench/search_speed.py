"""Site search: how long until the first result, and how big the index is.

    python bench/search_speed.py [LIBRARY] [--runs 5] [--query "pipeline bubble"]
        [--throttle 4]

Builds the library (default: a generated one of 100 sources, `site_library.generate`;
or a folder holding its mkdocs.yml, e.g. the scratch library `bench/link_check.py
--corpus --keep DIR` makes) twice in the same run: with the refs-library plugin, and,
as the baseline, the same pages written by `refs site --out` and built by plain
Material. Each site is served on 127.0.0.1 and opened in headless Chromium, a fresh
browser context per run (nothing cached, as a first visit): as soon as the home page's
DOM is there the query is typed into the search box, and the time from the first key
to the first result on screen is measured in the page (Material downloads the index,
builds its Lunr index in a worker, then answers). Prints the index size, the median and
fastest first-result time of each site (on a busy machine the fastest is the least
disturbed) and their ratio; `--throttle N` slows the CPU N times
(Chromium's emulation, about a phone). Runs alternate between the two sites, so a busy
machine slows both alike.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import site_library  # noqa: E402
from publishability import _env  # noqa: E402

from extract.fetch.render import BROWSER_ARGS, DEFAULT_CHROMIUM  # noqa: E402

GOAL = 0.5  # seconds to the first result, on a desktop

_MEASURE = """
() => {
  window.__firstKey = null; window.__firstResult = null;
  document.addEventListener('keydown', () => {
    if (window.__firstKey === null) window.__firstKey = performance.now();
  }, true);
  const seen = () => {
    if (document.querySelector('.md-search-result__item')) {
      window.__firstResult = performance.now();
    } else {
      requestAnimationFrame(seen);
    }
  };
  requestAnimationFrame(seen);
}
"""


def mkdocs_build(config: Path, site: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
        capture_output=True, text=True, cwd=config.parent, env=_env(), timeout=1800,
        check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build of {config} failed:\n{proc.stderr[-3000:]}")


def export(root: Path, out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "extract.cli", "--root", str(root), "site", "--out", str(out)],
        capture_output=True, text=True, env=_env(), timeout=1800, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"refs site --out failed:\n{proc.stderr[-3000:]}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first_result(browser, url: str, query: str, throttle: float) -> float:
    """Seconds from the first key typed into search to the first result shown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        if throttle > 1:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(url, wait_until="domcontentloaded")
        page.evaluate(_MEASURE)
        page.click(".md-search__input")
        page.keyboard.type(query)
        page.wait_for_function("window.__firstResult !== null", timeout=120_000)
        return page.evaluate("window.__firstResult - window.__firstKey") / 1000
    finally:
        context.close()


def index_size(site: Path) -> tuple[int, int]:
    path = site / "search" / "search_index.json"
    return path.stat().st_size, len(json.loads(path.read_text(encoding="utf-8"))["docs"])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("library", nargs="?", help="a library folder with its mkdocs.yml")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query", default="pipeline bubble")
    ap.add_argument("--throttle", type=float, default=1.0, help="CPU slow-down (4: a phone)")
    ap.add_argument("--sources", type=int, default=100, help="size of the generated library")
    args = ap.parse_args(argv)
    if args.library and not (Path(args.library) / "mkdocs.yml").is_file():
        print(f"{args.library}: no mkdocs.yml there; give a library folder", file=sys.stderr)
        return 2
    if not Path(DEFAULT_CHROMIUM).exists():
        print(f"no Chromium at {DEFAULT_CHROMIUM}; nothing to measure (skipped)")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="refs-search-") as tmp:
        tmp = Path(tmp)
        if args.library:
            root, name = Path(args.library), args.library
        else:
            root, name = tmp / "lib", f"generated library ({args.sources} sources)"
            facts = site_library.generate(root, sources=args.sources)
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            del facts
        sites = {"plugin": tmp / "site", "plain": tmp / "plain"}
        mkdocs_build(root / "mkdocs.yml", sites["plugin"])
        export(root, tmp / "export")
        mkdocs_build(tmp / "export" / "mkdocs.yml", sites["plain"])
        servers = {k: serve(v) for k, v in sites.items()}
        times: dict[str, list[float]] = {k: [] for k in sites}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=DEFAULT_CHROMIUM, args=BROWSER_ARGS, headless=True
                )
                for _ in range(args.runs):
                    for k in sites:  # alternate: a busy machine slows both alike
                        times[k].append(
                            first_result(browser, servers[k][1], args.query, args.throttle)
                        )
                browser.close()
        finally:
            for server, _ in servers.values():
                server.shutdown()
                server.server_close()
        print(f"{name}: query {args.query!r}, {args.runs} runs, CPU throttle {args.throttle}x")
        for k, site in sites.items():
            size, docs = index_size(site)
            med, low = statistics.median(times[k]), min(times[k])
            runs = ", ".join(f"{t:.2f}" for t in times[k])
            print(
                f"  {k:6s} index {size / 1e6:6.2f} MB, {docs:5d} sections; first result "
                f"{med:.2f} s median, {low:.2f} s fastest ({runs})"
            )
        ratio = statistics.median(times["plugin"]) / statistics.median(times["plain"])
        size_ratio = index_size(sites["plugin"])[0] / index_size(sites["plain"])[0]
        print(f"  ratio plugin / plain Material: time {ratio:.2f}, index size {size_ratio:.2f}")
        # The fastest run is the one the machine's other work disturbed least.
        verdict = "under" if min(times["plugin"]) < GOAL else "over"
        print(f"  fastest first result {verdict} the {GOAL} s goal (a desktop, throttle 1x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
