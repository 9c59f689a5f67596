"""Choosing a page's article measures its text once: `strip_chrome` keeps the text
weights true of what it leaves (`extract.convert.html_content`), instead of the tree
being walked again after it. Checked against a fresh measurement on every project
page and on chrome nested, inside links, and in emptied parents."""

from __future__ import annotations

import multipage_guide as guide
import pytest
import sample_pages as pages
from bs4 import Tag

from extract.convert.html_content import clean, main_content, strip_chrome, text_weights
from extract.convert.html_parse import parse

NESTED_CHROME = """<html><body>
<nav class="sidebar">Site map <a href="/a">one</a> <div class="toc">Contents here</div></nav>
<div class="wrapper"><header><span>Brand</span></header>
<main><article><h1>Title</h1>
<p>The article text is the longest text on this page, by a wide margin, so it is kept.</p>
<p>More of it: <a href="#x">a link</a> and plain words after the link, counted.</p>
<div class="share-buttons">Share this <a href="/s">share</a></div>
<p><span><a href="/edit">Edit this page</a></span></p>
<aside class="related">Related posts and <b>bold</b> text</aside>
<footer>Footer words <div class="social">follow</div></footer>
</article></main></div>
<div class="cookie-banner">We use cookies</div>
</body></html>"""

PAGES = {
    name: getattr(pages, name)
    for name in dir(pages)
    if name.endswith(("_PAGE", "_BLOG")) and isinstance(getattr(pages, name), str)
}
PAGES.update({f"guide {n}": guide.page(n) for n, _, _ in guide.PAGES.values()})
PAGES["nested chrome"] = NESTED_CHROME


@pytest.mark.parametrize("name", sorted(PAGES))
def test_weights_kept_by_strip_chrome_are_what_measuring_again_gives(name):
    soup = parse(PAGES[name])
    clean(soup)
    body = soup.body or soup
    weights = text_weights(body)
    tags, total = len([t for t in body.descendants if isinstance(t, Tag)]), weights[id(body)]
    strip_chrome(body, total, weights)
    fresh = text_weights(body)
    assert {k: weights[k] for k in fresh} == fresh
    if name == "nested chrome":  # chrome was removed, and text with it
        assert len([t for t in body.descendants if isinstance(t, Tag)]) < tags
        assert fresh[id(body)] < total


def test_the_article_chosen_is_the_one_a_second_measurement_chooses():
    soup = parse(NESTED_CHROME)
    clean(soup)
    article = main_content(soup)
    assert article.name == "article"
    text = article.get_text(" ", strip=True)
    assert "Edit this page" not in text and "Share this" not in text
    assert "plain words after the link" in text
