"""`refs fetch --render <id>`: a JavaScript-rendered page, captured as a browser shows it.

Some pages ship an empty article and the content in a script payload (Next.js,
DeepWiki...); Tier 2 refuses them and says to run this. Each page URL of the
resource is loaded in headless Chromium (Debian's `/usr/bin/chromium`, or
`REFS_CHROMIUM`, driven by Playwright: nothing is downloaded) and the rendered
DOM is stored as the page's artifact, through the same staging and provenance
as any fetch. Its provenance entry says so: `rendered: true` and the browser's
version. Playwright is the optional `render` extra: `pip install 'dit-refs[render]'`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import RefsError
from ..full_md import read_provenance
from ..library import Library
from ..manifest import Resource
from ..outcome import Outcome
from .dispatch import Endpoints, plan
from .http import utc_now
from .job import ResourceJob
from .run import ManifestBatch

DEFAULT_CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEEDS_PLAYWRIGHT = (
    "`refs fetch --render` needs Playwright, which is not installed: "
    "pip install 'dit-refs[render]' (it drives the system's Chromium; no browser is downloaded)"
)


def chromium_path() -> str:
    return os.environ.get("REFS_CHROMIUM") or DEFAULT_CHROMIUM


MAX_TIMEOUT = 3600.0  # an hour per page; `nan`, `inf` and `1e308` are not timeouts


def timeout_seconds() -> float:
    """REFS_RENDER_TIMEOUT: how long the browser may take to start, and each page to load."""
    raw = os.environ.get("REFS_RENDER_TIMEOUT", "60")
    try:
        value = float(raw)
    except ValueError:
        raise RefsError(f"REFS_RENDER_TIMEOUT must be a number of seconds, not `{raw}`") from None
    if not 0 < value <= MAX_TIMEOUT:  # False for nan too
        raise RefsError(
            f"REFS_RENDER_TIMEOUT must be more than 0 and at most {MAX_TIMEOUT:.0f} seconds "
            f"(got `{raw}`)"
        )
    return value


def check_ready() -> None:
    """Fail early, with what to install, when Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise RefsError(NEEDS_PLAYWRIGHT) from None
    path = chromium_path()
    if not Path(path).is_file():
        raise RefsError(
            f"{path} not found: install Chromium (Debian: apt-get install chromium) "
            "or set REFS_CHROMIUM to a Chromium binary"
        )


class Browser:
    """One headless Chromium for a run (pages are rendered one at a time); ``timeout``
    seconds to start (Playwright's own default is 180)."""

    def __init__(self, timeout: float):
        self.timeout = timeout

    def __enter__(self) -> Browser:
        check_ready()
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=chromium_path(),
                args=BROWSER_ARGS,
                headless=True,
                timeout=self.timeout * 1000,
            )
        except Exception as exc:
            self._pw.stop()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RefsError(  # Playwright's call log (every flag) is for its own debugging
                f"cannot start {chromium_path()}: {first} (REFS_RENDER_TIMEOUT is "
                f"{self.timeout:g} s; REFS_CHROMIUM names the browser)"
            ) from None
        self.version = f"Chromium {self._browser.version}"
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._pw.stop()

    def render(self, url: str, timeout: float) -> dict:
        """The page at ``url`` after its scripts ran: {html, final_url, status, content_type}."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        context = self._browser.new_context(service_workers="block")
        try:
            page = context.new_page()
            try:
                response = page.goto(url, wait_until="load", timeout=timeout * 1000)
            except PlaywrightError as exc:
                raise RefsError(
                    f"{url}: the browser could not load the page: {exc.message}"
                ) from None
            if response is None:
                raise RefsError(f"{url}: the browser got no response")
            if response.status >= 400:
                raise RefsError(f"{url}: HTTP {response.status} in the browser")
            try:  # scripts fetch the content after `load`: wait until the network is quiet
                page.wait_for_load_state("networkidle", timeout=min(timeout, 15) * 1000)
            except PlaywrightTimeout:
                pass  # a page that polls forever: take the DOM as it is now
            return {
                "html": utf8_declared(page.content()),
                "final_url": page.url,
                "status": response.status,
                "content_type": response.headers.get("content-type", ""),
            }
        finally:
            context.close()


_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def utf8_declared(html: str) -> str:
    """The serialised DOM declares the encoding it is stored in (UTF-8) before any
    charset the page declared, so a reader decodes it as written."""
    meta = '<meta charset="utf-8">'
    m = _HEAD.search(html)
    return html[: m.end()] + meta + html[m.end() :] if m else meta + html


def render_resources(
    lib: Library, resources: list[Resource], on_done: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Render the resources' pages; the manifest is updated as for a fetch."""
    timeout = timeout_seconds()
    check_ready()
    outcomes = []
    with Browser(timeout) as browser:
        batch = ManifestBatch(lib)
        try:
            for res in {r.id: r for r in resources}.values():
                outcome = render_resource(lib, res, browser, timeout)
                if outcome.ok and outcome.result != "skipped":
                    batch.add(outcome)
                outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
        finally:
            batch.flush()
    return outcomes


def render_resource(lib: Library, res: Resource, browser: Browser, timeout: float) -> Outcome:
    """Render every page URL of one resource into raw/, all or nothing."""
    if res.status == "link_only":
        return Outcome(res.id, "skipped", "link_only: not fetched")
    pages = [t for t in plan(res.urls, Endpoints.from_env()) if t.kind == "page"]
    if not pages:
        return Outcome(res.id, "failed", "has no web page URL to render (arXiv, GitHub, PDF)")
    raw = lib.raw_dir(res.id)
    try:
        old = read_provenance(raw)
    except RefsError as exc:
        return Outcome(res.id, "failed", exc.message)
    job = ResourceJob(res.id, None, Endpoints.from_env(), raw, old, urls=res.urls)  # type: ignore[arg-type]

    def render_pages() -> None:
        for target in pages:
            shot = browser.render(target.url, timeout)
            data = shot["html"].encode("utf-8")
            entry = {
                "url": target.url,
                "final_url": shot["final_url"],
                "status": shot["status"],
                "content_type": shot["content_type"],
                "fetched_at": utc_now(),
                "kind": "html",
                "rendered": True,
                "browser": browser.version,
            }
            job.write(target.name, data, entry)

    failure = job.run(render_pages)
    if failure is not None:
        return Outcome(res.id, "failed", failure)
    arts = [(a.rel, a.state) for a in job.artifacts.values()]
    paths = [lib.rel(raw / rel) for rel, _ in arts]
    return Outcome(res.id, "fetched", f"rendered in {browser.version}", arts, [], paths)
