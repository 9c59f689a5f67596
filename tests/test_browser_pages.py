"""The pages `new_page` keeps across tests (`browser_pages.KeptPages`) come back as a fresh
context's page starts, with the viewport and colour scheme the test asks for; a page
whose test did what a reset cannot undo is not handed on; and a module's cached pages
are not what a later server on the same port answers."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from browser_pages import KeptPages
from mkdocs_site import CHROMIUM, chromium_available, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed"),
]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Kept</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>#spot { width: 200px; height: 200px; } #spot:hover { outline: 1px solid red; }</style>
</head><body><div id="spot">spot</div><a id="next" href="next.html">next</a></body></html>"""

STATE = """() => [localStorage.getItem("l"), sessionStorage.getItem("s"), document.cookie,
  history.length, document.querySelectorAll(":hover").length]"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("kept")
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "next.html").write_text(PAGE, encoding="utf-8")
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(browser):
    """One set of kept pages for the module, as `new_page`'s serves the session: a test
    may get a page an earlier one gave back (its checks hold either way)."""
    kept = KeptPages(browser)
    yield kept
    kept.close()


LOOK = """() => [innerWidth, innerHeight, screen.width, screen.height, devicePixelRatio,
  matchMedia("(prefers-color-scheme: dark)").matches, matchMedia("(pointer: coarse)").matches]"""


def _fresh_state(browser, url: str, options: dict) -> list:
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(STATE)
    finally:
        context.close()


def test_a_kept_page_comes_back_as_a_fresh_one(pages, browser, site_url):
    options = {"viewport": {"width": 800, "height": 600}}
    page = pages.take(options)
    page.goto(site_url)
    page.evaluate("""() => { localStorage.setItem("l", "1"); sessionStorage.setItem("s", "2");
                             document.cookie = "c=3; path=/"; }""")
    page.locator("#next").click()
    page.wait_for_url("**/next.html")
    page.locator("#spot").hover()
    assert page.evaluate(STATE) == ["1", "2", "c=3", 3, 3]  # 3 hovered: html, body, #spot
    page.console_errors.append("an error of this test")
    pages.give_back(page)

    again = pages.take(options)
    assert again is page  # the same page, not a new context
    assert again.url == "about:blank" and again.console_errors == [] and again.hosts == set()
    again.goto(site_url)
    assert again.evaluate(STATE) == _fresh_state(browser, site_url, options)
    assert again.evaluate(STATE)[:3] == [None, None, ""]
    assert again.hosts == {"127.0.0.1"}


def test_a_kept_page_takes_the_viewport_and_colour_scheme_each_test_asks_for(pages, site_url):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    desk = {"viewport": {"width": 1000, "height": 600}, "color_scheme": "dark"}
    asked = [  # options, and what a page of a context made with them shows (LOOK: Playwright
        # makes the screen the viewport's size; a touch screen's pointer is coarse)
        (desk, [1000, 600, 1000, 600, 1, True, False]),
        ({}, [1280, 720, 1280, 720, 1, False, False]),  # Playwright's defaults, light
        ({**phone, "color_scheme": "dark"}, [390, 844, 390, 844, 1, True, True]),
        (phone, [390, 844, 390, 844, 1, False, True]),
    ]
    seen = []
    for options, looks in asked:
        page = pages.take(options)
        seen.append(page)
        page.goto(site_url)
        assert page.evaluate(LOOK) == looks, options
        pages.give_back(page)
    assert seen[0] is seen[1] and seen[2] is seen[3]  # one context each for desk and phone
    assert seen[0] is not seen[2]


class _CachedForAnHour(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:  # any cache may keep every answer
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def _site(folder, words: str):
    folder.mkdir()
    (folder / "index.html").write_text(
        f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{words}</title>
<link rel="stylesheet" href="look.css"><script src="run.js"></script></head>
<body><p id="words">{words}</p></body></html>""",
        encoding="utf-8",
    )
    (folder / "look.css").write_text(f'body {{ --words: "{words}"; }}', encoding="utf-8")
    (folder / "run.js").write_text(f'window.words = "{words}";', encoding="utf-8")
    return folder


def _served(folder, port: int = 0) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_CachedForAnHour, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


SITE_READ = """() => [document.getElementById("words").textContent,
  getComputedStyle(document.body).getPropertyValue("--words").trim(), window.words]"""


def test_a_later_server_on_an_earlier_port_is_not_answered_from_the_cache(pages, tmp_path):
    first = _served(_site(tmp_path / "first", "first site"))
    url = f"http://127.0.0.1:{first.server_address[1]}/"
    page = pages.take({})
    page.goto(url)
    assert page.evaluate(SITE_READ) == ["first site", '"first site"', "first site"]
    pages.give_back(page)
    first.shutdown()
    first.server_close()
    second = _served(_site(tmp_path / "second", "second site"), first.server_address[1])
    try:
        # within a module the cache answers (what the module end must undo)...
        page = pages.take({})
        page.goto(url)
        assert page.evaluate(SITE_READ) == ["first site", '"first site"', "first site"]
        pages.give_back(page)
        # ...and once the module's servers have ended, the new server answers, for the
        # page and for what it loads
        pages.end_of_servers()
        again = pages.take({})
        assert again is page
        again.goto(url)
        assert again.evaluate(SITE_READ) == ["second site", '"second site"', "second site"]
        pages.give_back(again)
    finally:
        second.shutdown()
        second.server_close()


@pytest.mark.parametrize(
    "use_up",
    [
        lambda page: page.clock.install(),  # what a test of the site does
        lambda page: page.emulate_media(color_scheme="dark"),  # any call outside _KEEPS
        lambda page: page.close(),
        lambda page: page.context.new_page(),
    ],
    ids=["clock", "emulation", "closed", "second page"],
)
def test_a_page_used_up_is_closed_not_handed_on(pages, use_up):
    page = pages.take({})
    use_up(page)
    context = page.context
    pages.give_back(page)
    assert page.is_closed() and context.pages == []
    assert not [kept for idle in pages.idle.values() for kept in idle if kept.context is context]


def test_each_set_of_options_has_its_own_pages(pages):
    phone = pages.take({"viewport": {"width": 390, "height": 844}, "is_mobile": True})
    desk = pages.take({"viewport": {"width": 1280, "height": 800}})
    also_desk = pages.take({"viewport": {"width": 1280, "height": 800}})  # both in use
    assert len({id(phone.context), id(desk.context), id(also_desk.context)}) == 3
    for page in (phone, desk, also_desk):
        pages.give_back(page)
    # the same options in another order are the same set
    assert pages.take({"is_mobile": True, "viewport": {"height": 844, "width": 390}}) is phone
    assert {pages.take({"viewport": {"width": 1280, "height": 800}}) for _ in "12"} == {
        desk,
        also_desk,
    }


def test_only_127_0_0_1_is_reached_and_every_host_asked_for_is_recorded(pages, site_url):
    page = pages.take({})
    page.goto(site_url)
    fetch = "url => fetch(url, {mode: 'no-cors'}).then(() => 'reached', () => 'failed')"
    assert page.evaluate(fetch, site_url + "next.html") == "reached"
    other = site_url.replace("127.0.0.1", "localhost")  # the same server by another name
    assert page.evaluate(fetch, other + "next.html") == "failed"
    assert page.hosts == {"127.0.0.1", "localhost"}
