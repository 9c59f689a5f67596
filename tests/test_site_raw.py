"""`publish_raw: true` publishes raw artifacts so that none can run (issue 12, item 3).

A fetched page is someone else's HTML with its scripts: on the site's origin it is
published as text (`page.html.txt`, served `text/plain`), byte for byte; types that
cannot carry script (PDF, images, archives) keep their names.
"""

from __future__ import annotations

import pytest
from mkdocs_site import (
    CHROMIUM,
    build,
    chromium_available,
    drop_broken_citation,
    plain_build,
    refs_site,
    serve,
)

from docs_gen.raw_publish import published_name

PAGE = b"<html><body><script>window.__pwned = 1; document.title = 'pwned'</script>\n<p>raw page</p></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned = 2</script></svg>'
PDF = b"%PDF-1.4\n% made-up bytes\n"


@pytest.mark.parametrize(
    ("rel", "published"),
    [
        ("sources/a/raw/page.html", "sources/a/raw/page.html.txt"),
        ("sources/a/raw/subpages/p1.HTM", "sources/a/raw/subpages/p1.HTM.txt"),
        ("sources/a/raw/figure.svg", "sources/a/raw/figure.svg.txt"),
        ("sources/a/raw/feed.xml", "sources/a/raw/feed.xml.txt"),
        ("sources/a/raw/app.js", "sources/a/raw/app.js.txt"),
        ("sources/a/raw/paper.pdf", "sources/a/raw/paper.pdf"),
        ("sources/a/raw/arxiv-eprint.tar.gz", "sources/a/raw/arxiv-eprint.tar.gz"),
        ("sources/a/raw/issue.json", "sources/a/raw/issue.json"),
    ],
)
def test_published_names(rel, published):
    assert published_name(rel) == published


@pytest.fixture(scope="module")
def raw_sites(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("raw")
    root = make_library("site", root=tmp / "lib", mkdocs={"publish_raw": True})
    drop_broken_citation(root)
    raw = root / "sources/alpha-paper/raw"
    raw.mkdir()
    (raw / "page.html").write_bytes(PAGE)
    (raw / "figure.svg").write_bytes(SVG)
    (raw / "paper.pdf").write_bytes(PDF)
    result = build(root, tmp / "site")
    assert result.returncode == 0, result.stderr
    export = refs_site(root, "--out", str(tmp / "out"), "--publish-raw")
    assert export.returncode == 0, export.stderr
    plain = plain_build(tmp / "out", tmp / "plain")
    assert plain.returncode == 0, plain.stderr
    return {"plugin": tmp / "site", "plain": tmp / "plain"}


@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_raw_artifacts_are_published_as_text_byte_for_byte(raw_sites, which):
    raw = raw_sites[which] / "sources/alpha-paper/raw"
    assert sorted(p.name for p in raw.iterdir()) == ["figure.svg.txt", "page.html.txt", "paper.pdf"]
    assert (raw / "page.html.txt").read_bytes() == PAGE
    assert (raw / "figure.svg.txt").read_bytes() == SVG
    assert (raw / "paper.pdf").read_bytes() == PDF


@pytest.fixture(scope="module")
def raw_urls(raw_sites):
    """Both builds served for the module: they outlive the tests' pages."""
    with serve(raw_sites["plugin"]) as plugin, serve(raw_sites["plain"]) as plain:
        yield {"plugin": plugin, "plain": plain}


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_a_published_raw_page_shows_its_source_and_runs_nothing(raw_urls, which, new_page):
    url = raw_urls[which]
    page = new_page()
    for name in ("page.html.txt", "figure.svg.txt"):
        response = page.goto(url + f"sources/alpha-paper/raw/{name}")
        assert response.headers["content-type"].startswith("text/plain")
        assert page.evaluate("window.__pwned") is None
        assert "pwned" not in page.title()
        assert "<script>window.__pwned" in page.inner_text("body")
