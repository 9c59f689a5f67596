"""End-to-end builds: the fixture library under `mkdocs build --strict`, and the real repo."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import REPO, build, drop_broken_citation


def page(site, src_url: str) -> BeautifulSoup:
    return BeautifulSoup((site / src_url / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def built(make_library, tmp_path_factory):
    """The fixture library built twice: as shipped (one broken citation), then fixed."""
    tmp = tmp_path_factory.mktemp("site")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    failed = build(root, tmp / "broken-site")
    drop_broken_citation(root)
    ok = build(root, tmp / "site")
    return root, tmp / "site", failed, ok


def test_strict_build_fails_on_exactly_the_broken_citation(built):
    _, _, failed, _ = built
    assert failed.returncode != 0
    warnings = [line for line in failed.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, failed.stderr
    w = warnings[0]
    assert "refs/resources/beta-blog.md" in w and "claim 3" in w and "no-such-heading" in w
    out = failed.stdout + failed.stderr
    assert "1 broken citation(s) in strict mode" in out and "Traceback" not in out


def test_strict_build_passes_without_it(built):
    _, _, _, ok = built
    assert ok.returncode == 0, ok.stderr
    assert "WARNING" not in ok.stderr


def test_every_full_md_heading_id_is_the_library_anchor(built):
    from extract.anchors import headings
    from extract.library import Library

    root, site, _, _ = built
    lib = Library(root)
    for rid in ("alpha-paper", "beta-blog", "gamma-notes"):
        text = lib.full_md_path(rid).read_text(encoding="utf-8")
        soup = page(site, f"sources/{rid}/full")
        article = soup.select_one("article")
        ids = [h["id"] for h in article.find_all(re.compile("^h[1-6]$"))]
        assert ids == [h.anchor for h in headings(text)]
    assert page(site, "sources/alpha-paper/full").find(id="fig-3") is not None


def test_card_evidence_links_point_at_existing_headings(built):
    _, site, _, _ = built
    soup = page(site, "refs/resources/alpha-paper")
    links = soup.select("a.refs-evidence")
    assert len(links) == 7
    target = page(site, "sources/alpha-paper/full")
    for a in links:
        url, _, frag = a["href"].partition("#")
        assert url == "../../../sources/alpha-paper/full/"
        assert target.find(id=frag) is not None, frag
    assert [a.get("id") for a in links] == [f"cite-{n}" for n in range(1, 8)]


def test_source_page_header_and_cited_by(built):
    _, site, _, _ = built
    soup = page(site, "sources/alpha-paper/full")
    header = soup.select_one("dl.refs-source-header")
    assert header is not None and "2026-01-02" in header.text
    assert "source_url:" not in soup.select_one("article").text
    cited = soup.find(id="results-1").find_next_sibling("p")
    assert "refs-cited-by" in cited["class"]
    assert cited.a["href"] == "../../../refs/resources/alpha-paper/#claim-2"
    card = page(site, "refs/resources/alpha-paper")
    assert card.find(id="claim-2") is not None


def test_math_is_mathml_with_no_script(built):
    _, site, _, _ = built
    html = (site / "sources/alpha-paper/full/index.html").read_text(encoding="utf-8")
    assert html.count("<math ") == 4
    assert "mathjax" not in html.lower() and "katex" not in html.lower()


def test_untrusted_full_md_has_nothing_live(built):
    _, site, _, _ = built
    soup = page(site, "sources/gamma-notes/full")
    article = soup.select_one("article")
    assert article.find("script") is None and article.find("iframe") is None
    for el in article.find_all(True):
        for name, value in el.attrs.items():
            assert not name.lower().startswith("on"), el
            if name in ("href", "src"):
                assert "javascript" not in str(value).lower()
    assert "pwned" not in str(article).split("</h2>", 1)[1].replace("Click this", "")


def test_broken_citation_is_marked_on_the_page(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    result = build(root, tmp_path / "site", strict=False)
    assert result.returncode == 0
    soup = page(tmp_path / "site", "refs/resources/beta-blog")
    marker = soup.select_one(".refs-broken-citation")
    assert marker is not None and "no-such-heading" in marker.text
    assert "is not a heading" in marker["title"]


def test_sibling_links_and_raw_publishing_options(make_library, tmp_path):
    root = make_library(
        "site",
        root=tmp_path / "lib",
        mkdocs={"scope_drd_url": "https://git.example/scope-drd/tree/main", "publish_raw": True},
    )
    drop_broken_citation(root)
    raw = root / "sources/alpha-paper/raw"
    raw.mkdir()
    (raw / "page.html").write_text("<p>raw</p>", encoding="utf-8")
    (raw / "README.md").write_text("# not a page\n", encoding="utf-8")
    result = build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    # Published as text, never as a page of the site's origin (tests/test_site_raw.py).
    assert (site / "sources/alpha-paper/raw/page.html.txt").read_text() == "<p>raw</p>"
    assert not (site / "sources/alpha-paper/raw/page.html").exists()
    assert (site / "sources/alpha-paper/raw/README.md").exists()
    bridge = page(site, "refs/implementation-context")
    hrefs = [a["href"] for a in bridge.select("article a")]
    assert "https://git.example/scope-drd/tree/main/notes/partitioning.md" in hrefs
    assert "https://git.example/scope-drd/tree/main/notes/schedule.md" in hrefs


def test_raw_artifacts_are_not_published_by_default(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    raw = root / "sources/alpha-paper/raw"
    raw.mkdir()
    (raw / "page.html").write_text("<p>raw</p>", encoding="utf-8")
    assert build(root, tmp_path / "site").returncode == 0
    assert not (tmp_path / "site/sources/alpha-paper/raw").exists()


def test_real_repo_builds_strict(tmp_path):
    result = build(REPO, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-4000:]
    site = tmp_path / "site"
    assert (site / "index.html").exists() and (site / "catalog/index.html").exists()
    from extract.library import Library

    lib = Library(REPO)
    for rid in lib.ids:
        assert (site / f"refs/resources/{rid}/index.html").exists()
    for t in lib.topics:
        assert (site / f"refs/topics/{t.doc_name[:-3]}/index.html").exists()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html
