"""The smaller things a learner met on the owner's site, each fixed, on built pages of
both builds (the plugin; `refs site --out` built by plain MkDocs): the draft marker,
"Cited by" by title, the topic page's reading list on top, the Cards tab, the
dashboard's colour key, and the catalog's links written as `.md` links (which both
MkDocs and Zensical resolve: the export is built with Zensical too). All text made up (tests/fixtures/published)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import build_both

from docs_gen.link_check import check_site

TOPIC_DOC = "refs/topics/02-pipeline-schedules.md"


@pytest.fixture(scope="module")
def sites(make_library, tmp_path_factory):
    base = tmp_path_factory.mktemp("small")
    root = make_library("published", root=base / "lib")
    doc = root / TOPIC_DOC
    doc.write_text("---\nstatus: draft\n---\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")
    build_both(root, base)
    return base


def soup(site, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "lxml")


BOTH = pytest.mark.parametrize("which", ["plugin", "plain"])


@BOTH
def test_a_draft_topic_says_so_in_words_not_as_a_nav_icon(sites, which):
    page = soup(sites / which, "refs/topics/02-pipeline-schedules")
    assert not page.select(".md-nav .md-status")  # Material's unexplained page-status icon
    status = page.select_one("article .refs-page-status")
    assert status is not None and "Status: draft" in status.get_text()


@BOTH
def test_cited_by_names_citing_pages_by_title_each_once(sites, which):
    page = soup(sites / which, "sources/split-backward/full")
    lines = [p.get_text(" ", strip=True) for p in page.select("article p.refs-cited-by")]
    assert lines
    for line in lines:
        named = re.findall(r"(?:Cited by:|;)\s*([^;(]+?)(?:\s*\(|,\s*claim|\s*$|;)", line)
        assert len(named) == len(set(named)), line  # each citing page once
        assert "split-backward" not in line  # a title, never the bare id
    assert any("Split Backward for Fewer Bubbles" in line for line in lines)


@BOTH
def test_the_topic_pages_linked_reading_list_comes_first(sites, which):
    article = soup(sites / which, "refs/topics/02-pipeline-schedules").select_one("article")
    box = article.select_one(".admonition.abstract")
    assert box is not None and "Resources in reading order" in box.get_text()
    first_h2 = article.find("h2")
    order = article.find_all(True)
    assert order.index(box) < order.index(first_h2)  # above the doc's own first section
    cards = [a["href"] for a in box.select("li a")]
    assert cards and all(h.startswith("../../resources/") for h in cards), cards
    below = box.select("p a")[-1]["href"]
    assert below.startswith("#resources-in-reading-order")
    assert article.select_one(f"[id='{below[1:]}']") is not None


@BOTH
def test_the_cards_tab_lists_cards_only_and_points_to_the_catalog(sites, which):
    page = soup(sites / which, "refs/resources")
    nav = page.select_one("nav.md-nav--primary")
    listed = {a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")}
    assert "Split Backward for Fewer Bubbles" in listed  # a card
    assert "Framework Device Notes" not in listed  # no card: not in the tab
    text = page.select_one("article").get_text(" ", strip=True)
    assert "2 of the 4 resources have a card" in text and "catalog" in text
    # ... but its page is still there, linked from the catalog
    assert (sites / which / "refs/resources/device-notes/index.html").is_file()


@BOTH
def test_the_dashboard_explains_its_colours(sites, which):
    page = soup(sites / which, ".")
    keys = page.select(".refs-status-key")
    assert len(keys) == 2  # above the overall bars and above the topic rows
    text = keys[0].get_text(" ", strip=True)
    for word in ("condensed", "converted", "fetched", "pending", "read"):
        assert word in text
    assert len(keys[0].select(".refs-swatch")) == 6


def test_the_catalog_links_are_md_links_in_the_export(sites):
    md = (sites / "export/docs/catalog.md").read_text(encoding="utf-8")
    assert "](refs/resources/split-backward.md)" in md
    assert 'href="refs/resources/' not in md and 'href="../refs/' not in md


@BOTH
def test_the_catalog_links_land_on_the_pages(sites, which):
    page = soup(sites / which, "catalog")
    hrefs = [a["href"] for a in page.select("table.refs-catalog tbody a")]
    assert "../refs/resources/split-backward/" in hrefs
    assert "../sources/split-backward/full/" in hrefs
    assert "../refs/topics/02-pipeline-schedules/" in hrefs
    report = check_site(sites / which)
    assert not report.bad, report.bad[:5]


def test_the_export_config_keeps_no_card_pages_out_of_the_nav(sites):
    config = json.loads((sites / "export/mkdocs.yml").read_text().split("\n", 2)[2])
    assert "/refs/resources/device-notes.md" in config["not_in_nav"].split("\n")


ZENSICAL = Path(sys.executable).with_name("zensical")  # a test dependency (pyproject.toml)


@pytest.fixture(scope="module")
def zensical_site(sites):
    """What `refs site --out` wrote, built by Zensical (Material's successor), as the
    owner builds it."""
    export = sites / "export"
    r = subprocess.run(
        [str(ZENSICAL), "build", "-f", str(export / "mkdocs.yml")],
        capture_output=True, text=True, cwd=export, timeout=600, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    return export / "site"


def test_zensical_builds_the_export_and_every_link_lands(zensical_site):
    hrefs = [a["href"] for a in soup(zensical_site, "catalog").select("table.refs-catalog a")]
    assert "../refs/resources/split-backward/" in hrefs  # not rewritten a second time
    assert "../sources/split-backward/full/" in hrefs
    report = check_site(zensical_site)
    assert report.pages > 10 and not report.bad, report.bad[:5]


def test_zensical_lists_every_h1_of_a_joined_doc_in_its_toc(zensical_site):
    toc = soup(zensical_site, "sources/collective-guide/full").select_one("nav.md-nav--secondary")
    hrefs = [a["href"] for a in toc.select("a")]
    assert "#point-to-point-communication" in hrefs and "#environment-variables" in hrefs
    assert "#sendrecv" in hrefs  # and their children
