"""A multi-page guide joined into one full.md: order, titles, index pages, links, ids."""

from __future__ import annotations

import re

import pytest
from joined_helpers import BASE, write_raw

from extract.anchors import anchor_set, headings
from extract.convert.run import convert_one, plan
from extract.full_md import parse
from extract.markdown import split_inline, walk


@pytest.fixture
def joined(tmp_path):
    raw = write_raw(tmp_path / "sources" / "widget-toolkit" / "raw")
    meta = {
        "title": "Widget Toolkit",
        "source_url": BASE + "index.html",
        "source_type": "docs",
        "urls": [BASE + "index.html"],
    }
    front, body = parse(convert_one(str(raw), meta))
    return front, body


def links_of(markdown: str) -> list[str]:
    lines = markdown.split("\n")
    return [
        p.url
        for _, line, code in walk(lines)
        if not code
        for p in split_inline(line)
        if p.kind in ("link", "image")
    ]


def test_subpages_follow_the_table_of_contents_without_recorded_order(tmp_path, joined):
    _, body = joined
    assert [(h.level, h.text) for h in headings(body) if h.level <= 2] == [
        (1, "Widget Toolkit"),
        (2, "Installing"),
        (2, "Using widgets"),  # the sidebar lists usage before api (names sort the other way)
        (2, "API reference"),
    ]
    raw = tmp_path / "sources" / "widget-toolkit" / "raw"
    subpages = plan(raw, BASE + "index.html")[0].subpages
    assert subpages[:2] == ["subpages/usage.html", "subpages/api.html"]


def test_recorded_order_wins_when_tier1_recorded_one_for_each(tmp_path):
    recorded = [
        "subpages/api.html",
        "subpages/search.html",
        "subpages/usage.html",
        "subpages/genindex.html",
    ]
    raw = write_raw(tmp_path / "raw", order=recorded)
    assert plan(raw, BASE + "index.html")[0].subpages == recorded
    partly = write_raw(tmp_path / "partly" / "raw", order=recorded[:1])  # one lacks: the TOC
    assert plan(partly, BASE + "index.html")[0].subpages[:2] == [
        "subpages/usage.html",
        "subpages/api.html",
    ]


def test_one_title_per_page_and_index_pages_left_out(joined):
    front, body = joined
    lines = body.split("\n")
    h1 = [ln for _, ln, code in walk(lines) if not code and re.match(r"^# ", ln)]
    assert h1 == ["# Widget Toolkit"]
    assert body.count("## Using widgets") == 1 and body.count("## API reference") == 1
    assert "Searching for multiple words" not in body and "in module wt)" not in body
    notes = front["conversion_notes"]
    assert "2 subpage(s) joined in table-of-contents order" in notes
    assert (
        "2 index/search page(s) not joined (subpages/genindex.html, subpages/search.html)" in notes
    )
    assert "link(s) to pages and ids of this document made local" in notes


def test_links_between_joined_pages_land_on_their_place(joined):
    _, body = joined
    # to a subpage: its heading; to an id on it: that id; to the landing page: its title
    assert "[Using widgets](#using-widgets)" in body
    assert "[`spin_up` reference](#wt.spin_up)" in body
    assert "[`wtResult_t`](#c.wtResult_t)" in body
    assert "[limits](#limits)" in body
    assert "[toolkit home](#widget-toolkit)" in body
    # an in-page fragment of a subpage, and one of the landing page
    assert "[the limits](#spin-limits)" in body
    assert "[installing](#installing)" in body


def test_colliding_ids_follow_the_document_anchor(joined):
    _, body = joined
    # Both pages have a section `installing`: the landing page's keeps it, the usage
    # page's heading is `installing-1` and its own label `usage-install` stays.
    anchors = [h.anchor for h in headings(body)]
    assert anchors.count("installing") == 1 and "installing-1" in anchors
    assert '<a id="usage-install"></a>\n### Installing' in body
    assert body.count('<a id="installing"></a>') == 0


def test_no_link_dangles(joined):
    _, body = joined
    ids = anchor_set(body)
    for url in links_of(body):
        if url.startswith("#"):
            assert url[1:] in ids, url
        else:
            assert re.match(r"^https?://", url), url  # absolute: never a relative path
    # a fragment the markdown lacks points at the original page, fragment kept
    assert "(https://docs.widgets.example/en/latest/index.html#gone-section)" in body
    # a page that is not part of the document: the original site
    assert "[sister project](https://docs.widgets.example/other-project/guide.html)" in body


def test_figures_name_their_image_by_absolute_url(joined):
    _, body = joined
    assert (
        "[[Figure: Speed against load.]](https://docs.widgets.example/en/latest/_images/limits.png)"
        in body
    )


def test_sphinx_ids_survive_as_anchors(joined):
    _, body = joined
    ids = anchor_set(body)
    assert {"wt.spin_up", "c.wtResult_t", "limits", "usage-install", "toolkit-home"} <= ids
    assert {"legacy-anchor", "module-wt"} <= ids
    assert '<a id="wt.spin_up"></a>**wt.spin_up(*speed*)**' in body
    assert '<a id="c.wtResult_t"></a>**type wtResult_t**' in body
    assert body.count('id="wt.spin_up"') == 1  # the permalink glyph's id is not repeated


def test_a_subpage_with_no_article_is_left_out_and_said(tmp_path):
    raw = write_raw(tmp_path / "raw")
    (raw / "subpages" / "api.html").write_text(
        "<html><body><nav><a href='index.html'>Home</a></nav></body></html>", encoding="utf-8"
    )
    front, body = parse(convert_one(str(raw), {"source_url": BASE + "index.html"}))
    assert "## Using widgets" in body and "## API reference" not in body
    assert "subpage left out, subpages/api.html: no article text" in front["conversion_notes"]
    assert "1 subpage(s) joined" in front["conversion_notes"]
    # links to the missing page now point at the original site
    assert f"({BASE}api.html#wt.spin_up)" in body
