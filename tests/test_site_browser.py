"""The built fixture site in headless Chromium: evidence links, ticks, catalog filters.

Served from 127.0.0.1 only; a route handler records every host the page asks for.
"""

from __future__ import annotations

import pytest
from mkdocs_site import (
    CHROMIUM,
    build,
    chromium_available,
    drop_broken_citation,
    serve,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture(scope="module")
def site_url(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    result = build(root, tmp / "site")
    assert result.returncode == 0, result.stderr
    with serve(tmp / "site") as url:
        yield url


@pytest.fixture
def page(new_page):
    return new_page()


def test_evidence_link_opens_the_cited_heading(page, site_url):
    page.goto(site_url + "refs/resources/alpha-paper/")
    link = page.locator("a.refs-evidence#cite-3")
    link.hover()
    page.wait_for_selector(".refs-preview h2", timeout=5000)  # the passage preview
    assert "Über Größe" in page.locator(".refs-preview h2").inner_text()
    link.click()
    page.wait_for_url("**/sources/alpha-paper/full/#*")
    assert page.url.startswith(site_url + "sources/alpha-paper/full/")
    hash_ = page.evaluate("decodeURIComponent(location.hash)")
    assert hash_ == "#über-größe--straße"
    heading = page.locator("h2", has_text="Über Größe & Straße")
    assert heading.get_attribute("id") == "über-größe--straße"
    page.wait_for_function(
        """() => { const r = document.getElementById('über-größe--straße').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=5000,
    )


def test_duplicate_heading_link_lands_on_the_second(page, site_url):
    page.goto(site_url + "refs/resources/alpha-paper/")
    page.locator("a.refs-evidence#cite-2").click()
    page.wait_for_url("**/#results-1")
    top = page.evaluate("document.getElementById('results-1').getBoundingClientRect().top")
    first = page.evaluate("document.getElementById('results').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] and first < 0


def test_ticks_persist_and_drive_progress(page, site_url):
    page.goto(site_url)
    assert page.locator("[data-refs-count]").first.inner_text() == "0"
    page.locator('input.refs-tick[data-rid="alpha-paper"]').first.check()
    page.reload()
    assert page.locator('input.refs-tick[data-rid="alpha-paper"]').first.is_checked()
    counts = page.locator(".refs-progress-card [data-refs-count]").all_inner_texts()
    assert counts == ["1", "1"]  # all resources, Phase 1
    width = (
        page.locator(".refs-progress-card .refs-meter-fill").nth(1).evaluate("e => e.style.width")
    )
    assert width == "50%"  # 1 of 2 Phase 1 resources
    visible_next = page.locator("ol.refs-next li:not([hidden])").evaluate_all(
        "els => els.map(e => e.dataset.rid)"
    )
    assert visible_next == ["beta-blog", "gamma-notes", "delta-talk"]
    bar = page.locator(".refs-topic-row .refs-meter-fill").first.evaluate("e => e.style.width")
    assert bar == "50%"  # topic 1: alpha-paper of alpha-paper and beta-blog
    # the same tick shows on the catalog and the card
    page.goto(site_url + "catalog/")
    assert page.locator('tr[data-rid="alpha-paper"] input.refs-tick').is_checked()


def test_catalog_filters_and_sorts(page, site_url):
    page.goto(site_url + "catalog/")
    rows = page.locator("table.refs-catalog tbody tr:not([hidden])")
    assert rows.count() == 5
    page.select_option('select[data-filter="topic"]', "2")
    assert rows.evaluate_all("els => els.map(e => e.dataset.rid)") == ["gamma-notes", "delta-talk"]
    page.select_option('select[data-filter="status"]', "link_only")
    assert rows.evaluate_all("els => els.map(e => e.dataset.rid)") == ["delta-talk"]
    assert page.locator("[data-refs-shown]").inner_text() == "1"
    page.select_option('select[data-filter="topic"]', "")
    page.select_option('select[data-filter="status"]', "")
    page.fill('input[data-filter="text"]', "beta")
    assert rows.evaluate_all("els => els.map(e => e.dataset.rid)") == ["beta-blog"]
    page.fill('input[data-filter="text"]', "")
    page.locator('th[data-sort="title"] button').click()
    titles = rows.evaluate_all("els => els.map(e => e.dataset.sortTitle)")
    assert titles == sorted(titles)
    page.locator('th[data-sort="title"] button').click()
    assert rows.evaluate_all("els => els.map(e => e.dataset.sortTitle)") == sorted(
        titles, reverse=True
    )


def test_untrusted_page_runs_nothing(page, site_url):
    page.goto(site_url + "sources/gamma-notes/full/")
    page.locator("text=Click this paragraph.").click()
    page.locator("text=harmless looking link").click()
    assert "pwned" not in page.title()
    # the fixture's onerror bait is an image that does not exist: that 404 is expected
    assert all("404" in e for e in page.console_errors)
    page.console_errors.clear()
