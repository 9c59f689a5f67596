"""Chromium pages for the browser tests, kept across the test session (one set per xdist
worker; `new_page` in conftest.py hands them out).

A new browser context costs more CPU than the page a test opens in it (a renderer
process, Playwright's setup, an empty HTTP cache: ~0.8 s with its first page load
against ~0.3 s for a page of the fixture site in a warm one). So a page is kept for the
next test that asks for a context like its own, once it is back where a fresh one
starts: on about:blank with no history, the storage of every origin it visited wiped
(cookies, local and session storage, IndexedDB, caches, service workers), the mouse at
(0, 0), nothing but itself in its context. The viewport and the colour scheme are set
on the page as the next test asks (what a context made with them gives), so they do not
split pages into sets. What a reset cannot undo is not reset: a test that calls
anything outside `_KEEPS` (the clock, routes, init scripts, emulation, a listener,
a pressed button, closing the page...) uses the page up, and its context is closed
after the test.

The HTTP cache is kept for a module's tests (a reader's browser keeps it too; the
module's servers outlive them) and emptied when the module ends (`end_of_servers`):
the next module's server may get a port an earlier one had, and the cache would answer
for it with the earlier site (tests/test_browser_pages.py serves two sites on one port
to show both).

Only 127.0.0.1 is reached: every other host, localhost included, goes to a proxy that
is not there. Each page records the hosts its context asked for and its console errors,
for `new_page` to check.
"""

from __future__ import annotations

import inspect
import json
from urllib.parse import urlsplit

# The pages' proxy: nothing listens on port 9, and only 127.0.0.1 goes around it
# (`<-loopback>` drops Chromium's own bypass of localhost and the other loopback names).
NO_WAY_OUT = {"server": "http://127.0.0.1:9", "bypass": "<-loopback>,127.0.0.1"}

# What a test may call and the page still be handed on: reads, waits, navigation,
# input the page sees as events. Anything else marks the page used up.
_KEEPS = {
    "page": {
        *("goto", "reload", "go_back", "go_forward", "wait_for_url", "wait_for_load_state"),
        *("wait_for_function", "wait_for_selector", "wait_for_timeout", "wait_for_event"),
        *("expect_navigation", "expect_request", "expect_response", "expect_console_message"),
        *("locator", "frame_locator", "get_by_alt_text", "get_by_label", "get_by_placeholder"),
        *("get_by_role", "get_by_test_id", "get_by_text", "get_by_title", "frame"),
        *("evaluate", "evaluate_handle", "eval_on_selector", "eval_on_selector_all"),
        *("query_selector", "query_selector_all", "title", "content", "inner_text"),
        *("inner_html", "text_content", "get_attribute", "input_value", "is_checked"),
        *("is_disabled", "is_editable", "is_enabled", "is_hidden", "is_visible", "is_closed"),
        *("click", "dblclick", "hover", "tap", "fill", "check", "uncheck", "set_checked"),
        *("select_option", "press", "type", "focus", "dispatch_event", "screenshot"),
    },
    "keyboard": {"press", "type", "insert_text"},
    "mouse": {"move", "click", "dblclick", "wheel"},
    "touchscreen": {"tap"},
    "clock": set(),
    "context": {"cookies", "storage_state", "expect_page"},
}


# Context options a kept page takes on for each test, as a context made with them
# would have them, and their values when not given (Playwright's).
_SET_PER_TEST = {"viewport": {"width": 1280, "height": 720}, "color_scheme": "light"}


class KeptPages:
    """Kept pages, by context options (but the viewport and the colour scheme); `take`
    hands one to a test, `give_back` checks it and keeps it for the next test,
    `end_of_servers` empties their HTTP caches, `close` ends them all."""

    def __init__(self, browser):
        self.browser = browser
        self.idle: dict[str, list] = {}

    def take(self, options: dict):
        """A page in a context made with ``options``, as a fresh one starts: its
        ``console_errors`` (console errors and uncaught exceptions) and ``hosts`` (every
        host its context asked for; only 127.0.0.1 is reached) empty."""
        fixed = {k: v for k, v in options.items() if k not in _SET_PER_TEST}
        key = json.dumps(fixed, sort_keys=True, default=repr)
        page = self.idle.get(key, []).pop() if self.idle.get(key) else self._open(fixed)
        wanted = {name: options.get(name, value) for name, value in _SET_PER_TEST.items()}
        if page.viewport_size != wanted["viewport"]:
            _original(page, "set_viewport_size")(wanted["viewport"])
        if page.refs_color_scheme != wanted["color_scheme"]:
            _original(page, "emulate_media")(color_scheme=wanted["color_scheme"])
            page.refs_color_scheme = wanted["color_scheme"]
        page.refs_key = key
        page.refs_used_up = False
        page.console_errors = []
        page.hosts = set()
        page.refs_origins = set()
        return page

    def give_back(self, page) -> None:
        """Keep ``page`` for the next test if it can be reset, else close its context."""
        context = page.context
        if page.refs_used_up or page.is_closed() or context.pages != [page]:
            context.close()
            return
        try:  # a failed reset (a crashed renderer) fails the test and loses the page
            _original(page, "goto")("about:blank")
            cdp = page.refs_cdp
            cdp.send("Page.resetNavigationHistory")
            for origin in page.refs_origins:
                cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            _original(page.mouse, "move")(0, 0)
        except Exception:
            context.close()
            raise
        self.idle.setdefault(page.refs_key, []).append(page)

    def end_of_servers(self) -> None:
        """Empty the HTTP cache of every kept page (a test module's servers end: a later
        server on one of their ports must not get their answers)."""
        for pages in self.idle.values():
            for page in pages:
                page.refs_cdp.send("Network.clearBrowserCache")

    def close(self) -> None:
        for pages in self.idle.values():
            for page in pages:
                page.context.close()
        self.idle.clear()

    def _open(self, options: dict):
        # Every host but 127.0.0.1 goes to a proxy that is not there, so no request
        # leaves the machine; each request's host is recorded from the context's events.
        # (Routing every request through Playwright turned the HTTP cache off and cost a
        # third of a page load's CPU.)
        context = self.browser.new_context(proxy=NO_WAY_OUT, **options)
        page = context.new_page()
        page.refs_cdp = context.new_cdp_session(page)
        page.refs_color_scheme = _SET_PER_TEST["color_scheme"]

        def seen(request):
            parts = urlsplit(request.url)
            page.hosts.add(parts.hostname or "")
            if parts.hostname == "127.0.0.1":
                page.refs_origins.add(f"{parts.scheme}://{parts.netloc}")

        context.on("request", seen)

        def console(message):
            # A page without an icon link (a raw text file) gets the browser's own look
            # for /favicon.ico at its root: the browser's 404, not the page's error.
            url = urlsplit(message.location.get("url", ""))
            if message.type == "error" and url.path != "/favicon.ico":
                page.console_errors.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        for part, keeps in _KEEPS.items():
            _watch(page, part, keeps)
        return page


def _watch(page, part: str, keeps: set[str]) -> None:
    """Wrap every public method of ``page`` (or of its keyboard, mouse, touchscreen,
    clock or context) outside ``keeps`` so that calling it marks the page used up."""
    target = page if part == "page" else getattr(page, part)
    originals = {}
    for name in dir(type(target)):
        if name.startswith("_") or name in keeps:
            continue
        if not inspect.isfunction(inspect.getattr_static(type(target), name)):
            continue  # a property (url, viewport_size, keyboard...)
        method = originals[name] = getattr(target, name)

        def wrapper(*args, _method=method, **kwargs):
            page.refs_used_up = True
            return _method(*args, **kwargs)

        setattr(target, name, wrapper)
    target.refs_originals = originals


def _original(target, name: str):
    """``target``'s own method ``name``, past the used-up watch."""
    return target.refs_originals.get(name) or getattr(target, name)
