"""Every source page has a table of contents (`docs_gen/templates/partials/toc.html`),
also a joined doc with several H1s, where Material lists only the first H1's children
(the page's header title has none, so the page had no contents at all). Both builds."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import build_both


@pytest.fixture(scope="module")
def sites(make_library, tmp_path_factory):
    base = tmp_path_factory.mktemp("toc")
    root = make_library("published", root=base / "lib")
    build_both(root, base)
    return base


def toc(site, page: str) -> list[tuple[int, str]]:
    """(depth, text) of each entry of the page's table of contents."""
    soup = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "lxml")
    nav = soup.select("nav.md-nav--secondary")[-1]  # the sidebar's (the first is for phones)
    out = []
    for a in nav.select("a.md-nav__link"):
        depth = len([p for p in a.parents if p.name == "ul"])
        out.append((depth, a.get_text(" ", strip=True)))
    top = min((d for d, _ in out), default=0)
    return [(d - top, text) for d, text in out]


@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_a_joined_doc_lists_every_h1_and_its_sections(sites, which):
    entries = toc(sites / which, "sources/collective-guide/full")
    assert entries == [
        (0, "Source: Collective Library User Guide"),
        (1, "Streams"),
        (0, "Point-to-point communication"),
        (1, "Sendrecv"),
        (0, "Environment variables"),
        (1, "COL_DEBUG"),
    ]


@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_every_source_page_has_contents(sites, which):
    for page in sorted((sites / which / "sources").glob("*/full/index.html")):
        name = page.parent.relative_to(sites / which).as_posix()
        assert toc(sites / which, name), name


def test_a_page_with_one_h1_lists_its_sections_as_material_does(sites):
    entries = toc(sites / "plugin", "refs/resources/split-backward")
    assert entries and entries[0][0] == 0
    assert not [text for _, text in entries if "Split Backward" in text]  # its H1
