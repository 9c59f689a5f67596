"""Formulas in headings read as formulas wherever the site shows a heading's or a
title's text (`docs_gen/heading_math.py`): the table of contents, the nav, the header;
as their TeX where only text can go (`<title>`, search titles, labels). The fixture
library with formulas in a full.md's headings and title, a card, a topic doc and a guide,
built strict; the table of contents checked in headless Chromium too (its entry shows
MathML, and a click on the formula lands on the heading)."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import (
    CHROMIUM,
    build,
    chromium_available,
    drop_broken_citation,
    plain_build,
    refs_site,
    serve,
)

from extract.anchors import headings

FULL_MD = """\
---
title: "Gamma Notes on $O(n^2)$ attention"
source_url: https://example.org/gamma
fetch_date: 2026-01-03
source_type: docs
author: "R. Roe"
conversion_notes: ""
---

# Gamma Notes on $O(n^2)$ attention

## 4.1 Bound on $\\frac{k-4}{B+k-14}$

The bound holds for $k > 4$.

### The $x^2 < y$ case

Text under the case.

## Cost in $5 and $10

No formula in this heading.
"""
FILLER = "".join(f"\n## Section {n}\n\n" + "A line of text.\n\n" * 30 for n in range(6))
CARD_CLAIMS = """\
1. **Claim**: The bound is given.
   **Evidence**: [bound](../../sources/gamma-notes/full.md#41-bound-on-frack-4bk-14)

2. **Claim**: The case is given.
   **Evidence**: sources/gamma-notes/full.md#the-x2--y-case
"""
CARD = f"""\
# Gamma Notes

## Why it matters

It bounds things.

## Core claims

{CARD_CLAIMS}
## Key technical details for $p \\ge 2$

Stuff.

## Related resources

- [Alpha](alpha-paper.md)
"""
BOUND = "41-bound-on-frack-4bk-14"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def built(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("heading-math")
    root = make_library(
        "site",
        root=tmp / "lib",
        mkdocs=True,
        files={
            "sources/gamma-notes/full.md": FULL_MD + FILLER,
            "refs/resources/gamma-notes.md": CARD,
            "refs/guide-math.md": "# Guide on $O(n^2)$ memory\n\n## Step $\\sqrt{2}$\n\nText.\n",
        },
    )
    drop_broken_citation(root)
    topic = root / "refs/topics/01-pipelines.md"
    topic.write_text(
        topic.read_text(encoding="utf-8")
        + "\n## Throughput $T = \\frac{m}{p}$\n\nSee sources/gamma-notes/full.md#"
        + BOUND
        + ".\n",
        encoding="utf-8",
    )
    manifest = root / "refs/manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "title: Gamma Notes\n", "title: 'Gamma Notes on $O(n^2)$ bounds'\n"
        ),
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"  # the footer's previous/next links, as the project's
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "content.code.copy]", "content.code.copy, navigation.footer]"
        ),
        encoding="utf-8",
    )
    result = build(root, tmp / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return root, tmp / "site"


def soup(site, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "lxml")


def toc_links(site, page: str) -> dict[str, object]:
    """href -> the link of each entry of the page's table of contents (the sidebar's)."""
    nav = soup(site, page).select("nav.md-nav--secondary")[-1]
    return {a["href"]: a for a in nav.select("a.md-nav__link")}


def test_toc_entries_show_their_formulas_as_mathml_under_the_same_anchors(built):
    root, site = built
    text = (root / "sources/gamma-notes/full.md").read_text(encoding="utf-8")
    anchors = {h.anchor for h in headings(text)}
    links = toc_links(site, "sources/gamma-notes/full")
    assert {href[1:] for href in links} <= anchors  # the one anchor rule's ids
    bound = links["#" + BOUND]
    assert bound.select("math mfrac") and "\\(" not in bound.get_text()
    assert bound.get_text(" ", strip=True).startswith("4.1 Bound on")
    assert links["#the-x2--y-case"].select("math msup")
    assert soup(site, "sources/gamma-notes/full").select_one(f'[id="{BOUND}"]').name == "h2"
    # A heading without a formula reads as it did: `$5 and $10` is money.
    cost = links["#cost-in-5-and-10"]
    assert not cost.select("math") and cost.get_text(strip=True) == "Cost in $5 and $10"
    nested = cost.find_previous("nav", class_="md-nav")
    assert nested["aria-label"] == "4.1 Bound on \\frac{k-4}{B+k-14}"


def test_cards_topic_docs_and_guides_have_formulas_in_their_tocs(built):
    _, site = built
    for page, anchor in [
        ("refs/resources/gamma-notes", "#key-technical-details-for-p-ge-2"),
        ("refs/topics/01-pipelines", "#throughput-t--fracmp"),
        ("refs/guide-math", "#step-sqrt2"),
    ]:
        link = toc_links(site, page)[anchor]
        assert link.select("math") and "\\(" not in link.get_text(), page


def test_titles_with_formulas_in_nav_header_and_title(built):
    _, site = built
    page = soup(site, "sources/gamma-notes/full")
    assert page.title.string == "Source: Gamma Notes on O(n^2) attention - Fixture library"
    header = page.select_one(".md-header__topic:not(:first-child) .md-ellipsis")
    assert header.select("math msup") and "$" not in header.get_text()
    nav = page.select_one("nav.md-nav--primary")
    for href in ("../../../sources/gamma-notes/full/", "../../../refs/guide-math/"):
        entry = nav.select_one(f'a[href="{href}"]') or nav.select_one("label.md-nav__link--active")
        assert entry.select("math") and "$" not in entry.get_text(), href
    card = soup(site, "refs/resources/gamma-notes")
    assert card.title.string == "Card: Gamma Notes on O(n^2) bounds - Fixture library"
    guide = soup(site, "refs/guide-math")
    assert guide.title.string == "Guide on O(n^2) memory - Fixture library"


def test_footer_links_to_a_neighbour_with_a_formula_in_its_title(built):
    _, site = built
    footers = {}
    for page in ("refs/resources/alpha-paper", "refs/resources/beta-blog"):
        footer = soup(site, page).select_one("footer.md-footer nav")
        footers[page] = footer
        link = footer.select_one('a[href="../gamma-notes/"]')
        assert link.select(".md-ellipsis math msup"), page
        assert link["aria-label"].endswith(": Gamma Notes on O(n^2) bounds"), page
    other = footers["refs/resources/beta-blog"].select_one("a.md-footer__link--next")
    assert other.get_text(" ", strip=True) == "Next Sources" and not other.select("math")


def test_labels_and_lists_of_resource_titles(built):
    _, site = built
    for page in ("catalog", "refs/topics/02-kernels", "refs/resources/gamma-notes", ""):
        tick = soup(site, page).select_one('input.refs-tick[data-rid="gamma-notes"]')
        assert tick["aria-label"] == "Mark Gamma Notes on O(n^2) bounds as read", page
    dashboard = soup(site, "")
    entry = dashboard.select_one('ol.refs-next li[data-rid="gamma-notes"] a')
    assert entry.select("math") and "$" not in entry.get_text()
    # A citation written as a bare path reads as its heading, formula included.
    topic = soup(site, "refs/topics/01-pipelines")
    cite = topic.select_one(f'a.refs-evidence[href$="#{BOUND}"]')
    assert cite.select("math mfrac") and "$" not in cite.get_text()


def test_search_titles_read_as_tex(built):
    _, site = built
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    titles = {d["location"]: d["title"] for d in docs}
    assert titles["sources/gamma-notes/full/#" + BOUND] == "4.1 Bound on \\frac{k-4}{B+k-14}"
    assert titles["sources/gamma-notes/full/"] == "Source: Gamma Notes on O(n^2) attention"
    assert titles["refs/guide-math/#step-sqrt2"] == "Step \\sqrt{2}"
    assert titles["sources/gamma-notes/full/#cost-in-5-and-10"] == "Cost in $5 and $10"
    assert not [t for t in titles.values() if "\\(" in t or "<math" in t]
    text = next(d["text"] for d in docs if d["location"].endswith("#" + BOUND))
    assert "\\(k &gt; 4\\)" in text  # the body's text keeps the TeX a reader types


def test_no_formula_leaks_into_an_attribute(built):
    # A formula's markup inside an attribute ends it (`aria-label="Mark ... <span class=`).
    _, site = built
    for path in site.rglob("*.html"):
        for value in re.findall(r'\s[\w:-]+="([^"]*)"', path.read_text(encoding="utf-8")):
            assert "<" not in value, (path, value)


def test_the_export_lists_headings_with_their_tex(built, tmp_path):
    # `refs site --out` built by Material alone: no toc can hold MathML there (the toc
    # extension keeps text only), so an entry reads as its TeX, not as MathML's letters.
    root, _ = built
    out = refs_site(root, "--out", str(tmp_path / "export"))
    assert out.returncode == 0, out.stderr
    plain = plain_build(tmp_path / "export", tmp_path / "plain")
    assert plain.returncode == 0 and "WARNING" not in plain.stderr, plain.stderr
    links = toc_links(tmp_path / "plain", "sources/gamma-notes/full")
    assert links["#" + BOUND].get_text(strip=True) == "4.1 Bound on \\frac{k-4}{B+k-14}"
    assert links["#the-x2--y-case"].get_text(strip=True) == "The x^2 < y case"
    assert links["#cost-in-5-and-10"].get_text(strip=True) == "Cost in $5 and $10"
    page = soup(tmp_path / "plain", "sources/gamma-notes/full")
    assert page.title.string == "Source: Gamma Notes on O(n^2) attention - Fixture library"
    header = page.select_one(".md-header__topic:not(:first-child) .md-ellipsis")
    assert header.select("math msup") and "$" not in header.get_text()
    assert page.select_one(f'[id="{BOUND}"]').name == "h2"


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
def test_the_toc_entry_shows_mathml_and_a_click_lands_on_the_heading(built, new_page):
    _, site = built
    page = new_page(viewport={"width": 1280, "height": 800})
    with serve(site) as url:
        page.goto(url + "sources/gamma-notes/full/")
        toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
        formula = toc.locator(f'a[href="#{BOUND}"] math')
        assert formula.count() == 1 and formula.is_visible()
        box = formula.bounding_box()
        assert box and box["height"] > 10 and box["width"] > 10  # laid out as a fraction
        assert page.evaluate("window.scrollY") == 0
        formula.click()
        page.wait_for_function(f"location.hash === '#{BOUND}'")
        page.wait_for_function(
            f"Math.abs(document.getElementById('{BOUND}').getBoundingClientRect().top) < 120"
        )
        assert page.evaluate("window.scrollY") > 0
