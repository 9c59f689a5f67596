"""Library-derived strings are text wherever the site prints them (issue 12, item 1).

A manifest title `Evil <script>…</script> vector<int>` and curriculum titles and
group headings with `<img src=x onerror=…>` (issue 24, item 1): in the plugin's site and in the plain build of `refs site
--out`, no page runs anything (Chromium), and the words read as written in the nav,
the `<title>`, the headings, the search index and the exports.
"""

from __future__ import annotations

import json

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

from extract.library import Library

EVIL = "Evil <script>window.__pwned = 1</script> vector<int>"
EVIL_TOPIC = "Kernels <img src=x onerror=window.__pwned=2>"
EVIL_GROUP = "Foundations <img src=x onerror=window.__pwned=4>"  # a group heading (issue 24)
EVIL_CURRICULUM = 'Fixture <img src=x onerror="window.__pwned=3"> curriculum'
# A front matter key the site sets for titles with a formula (heading_math.py), written
# by hand: it must not reach the <title> as HTML.
EVIL_META = "</title><script>window.__pwned = 5</script>"
# Front matter Material prints in <meta> tags (description, author: the converter writes
# the author a fetched page names).
EVIL_DESCRIPTION = '"><script>window.__pwned = 6</script>'
EVIL_AUTHOR = '"><script>window.__pwned = 7</script>'
PAGES = {  # each page, and what its <title> and its h1 hold as text (None: not checked)
    "": (None, EVIL_CURRICULUM),
    "catalog/": (None, None),
    "refs/topics/": (None, None),
    "refs/topics/{topic2}/": (None, EVIL_TOPIC),
    "refs/resources/": (None, None),
    "refs/resources/gamma-notes/": (EVIL, EVIL),  # "Resource: <title> - <site>"
    "sources/": (None, None),
    "sources/gamma-notes/full/": (EVIL, None),
}


@pytest.fixture(scope="module")
def sites(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("escaping")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    manifest = root / "refs/manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("title: Gamma Notes", f"title: {json.dumps(EVIL)}"), "utf-8")
    cur = root / "distributed_video_dit_inference.md"
    text = cur.read_text(encoding="utf-8")
    text = text.replace("# Fixture curriculum: a tiny library", f"# {EVIL_CURRICULUM}")
    text = text.replace("## Foundations\n", f"## {EVIL_GROUP}\n")
    text = text.replace(
        "### 2. Kernels — launch overhead", f"### 2. {EVIL_TOPIC} — launch overhead"
    )
    cur.write_text(text, encoding="utf-8")
    source = root / "sources/gamma-notes/full.md"  # the front matter title too
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace('author: ""', f"author: {json.dumps(EVIL_AUTHOR)}", 1).replace(
            'title: "Gamma Notes"',
            f"title: {json.dumps(EVIL)}\nrefs_title_text: {json.dumps(EVIL_META)}\n"
            f"description: {json.dumps(EVIL_DESCRIPTION)}",
            1,
        ),
        "utf-8",
    )
    plugin = build(root, tmp / "plugin-site")
    assert plugin.returncode == 0, plugin.stderr
    exported = refs_site(root, "--out", str(tmp / "out"))
    assert exported.returncode == 0, exported.stderr
    plain = plain_build(tmp / "out", tmp / "plain")
    assert plain.returncode == 0, plain.stderr
    topic2 = Library(root).topic(2).doc_name.removesuffix(".md")
    return {"plugin": tmp / "plugin-site", "plain": tmp / "plain", "topic2": topic2}


@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_search_index_and_exports_hold_the_words_as_text(sites, which):
    site = sites[which]
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "<script>window" not in index and "<img src=x" not in index
    assert "Evil &lt;script&gt;" in index
    raw = (site / "refs.json").read_text(encoding="utf-8")
    assert "<" not in raw  # written as \u003c: the same data, inert if inlined
    data = json.loads(raw)
    assert EVIL in [r["title"] for r in data["resources"]]
    assert data["title"] == EVIL_CURRICULUM
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    assert "<script>" not in llms and "<img" not in llms
    assert "Evil &lt;script&gt;window.\\_\\_pwned = 1&lt;/script&gt; vector&lt;int&gt;" in llms


@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_front_matter_keys_are_not_printed_as_html(sites, which):
    for page in sites[which].rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for n in (5, 6, 7):
            assert f"<script>window.__pwned = {n}" not in text, (page, n)
    if which == "plugin":  # the export's pages carry no front matter of the source's own
        head = BeautifulSoup(
            (sites[which] / "sources/gamma-notes/full/index.html").read_text(encoding="utf-8"),
            "html.parser",
        )  # the words read as written
        assert head.find("meta", attrs={"name": "author"})["content"] == EVIL_AUTHOR
        assert head.find("meta", attrs={"name": "description"})["content"] == EVIL_DESCRIPTION


@pytest.fixture(scope="module")
def site_urls(sites):
    """Both builds served for the module: they outlive the tests' pages."""
    with serve(sites["plugin"]) as plugin, serve(sites["plain"]) as plain:
        yield {"plugin": plugin, "plain": plain}


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_no_page_runs_a_title_and_every_title_reads_as_written(sites, site_urls, which, new_page):
    url = site_urls[which]
    page = new_page()  # only 127.0.0.1 is let through
    for path, (title, h1) in PAGES.items():
        path = path.format(topic2=sites["topic2"])
        page.goto(url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
        live = page.evaluate(
            """() => [...document.querySelectorAll('script, img[onerror], [onerror]')]
                    .filter(e => /pwned/.test(e.outerHTML)).length"""
        )
        assert live == 0, path
        nav = page.evaluate("document.querySelector('.md-sidebar--primary').textContent")
        assert "Evil <script>window.__pwned = 1</script> vector<int>" in nav, path
        assert "Kernels <img src=x onerror=window.__pwned=2>" in nav, path
        assert EVIL_GROUP in nav, path  # the topic group heading, as text
        if title is not None:
            assert title in page.title(), path
        if h1 is not None:
            assert h1 in page.locator("article h1").inner_text(), path
    # the fixture's onerror bait is an image that does not exist: that 404 is expected
    assert all("404" in e for e in page.console_errors), page.console_errors
    page.console_errors.clear()
