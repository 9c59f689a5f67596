"""The pages `new_page` keeps across a module's tests (`browser_pages.KeptPages`) come back
as a fresh context's page starts, and a page whose test did what a reset cannot undo is
not handed on."""

from __future__ import annotations

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


@pytest.fixture
def pages(browser):
    kept = KeptPages(browser)
    yield kept
    kept.close()


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
    assert pages.idle == {}


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
