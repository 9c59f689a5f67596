"""The built site's heading ids are the anchors `refs check` accepts, and every link into
`sources/` on a card is ours to judge: a real `mkdocs build --strict` of a library whose
source is the tricky-heading corpus, with a card citing every heading of it."""

from __future__ import annotations

import re

import pytest
from anchor_corpus import TRICKY, TRICKY_ANCHORS
from bs4 import BeautifulSoup
from site_helpers import build, drop_broken_citation, make_library

from extract.anchors import headings
from extract.check import check_library
from extract.library import Library

FRONT = (
    '---\ntitle: "Gamma Notes"\nsource_url: https://example.org/gamma\nfetch_date: 2026-01-04\n'
    'source_type: docs\nauthor: ""\nconversion_notes: "written by hand"\n---\n\n'
)
NOTES = "# Gamma notes, second file\n\nLead.\n\nPlan\n----\n\nA heading of another file.\n"
EVIL = "https://evil.example/p?sources/gamma-notes/full.md#backends"


def card(anchors: list[str], extra: str = "") -> str:
    claims = "\n".join(
        f"{n}. **Claim**: Heading {n} of the corpus.\n"
        f"   **Evidence**: [sources/gamma-notes/full.md#{a}](../../sources/gamma-notes/full.md#{a})\n"
        for n, a in enumerate(anchors, start=1)
    )
    return (
        "# Gamma Notes\n\n| Field | Value |\n|---|---|\n| Source | https://example.org/gamma |\n"
        "| Type | docs |\n\n## Why it matters\n\nIt exercises the anchor rule.\n\n"
        f"## Core claims\n\n{claims}{extra}\n## Actionables / gotchas\n\n- None.\n\n"
        "## Related resources\n\n- `alpha-paper`\n\n## Key sections\n\n"
        "- [The second file](../../sources/gamma-notes/notes.md#plan) and the "
        "[whole source](../sources/gamma-notes/full.md).\n"
    )


def page(site, src: str) -> BeautifulSoup:
    return BeautifulSoup((site / src / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("anchors")
    root = make_library(tmp)
    drop_broken_citation(root)
    (root / "sources/gamma-notes/full.md").write_text(FRONT + TRICKY, encoding="utf-8")
    (root / "sources/gamma-notes/notes.md").write_text(NOTES, encoding="utf-8")
    (root / "refs/resources/gamma-notes.md").write_text(card(TRICKY_ANCHORS), encoding="utf-8")
    ok = build(root, tmp / "site")
    return root, tmp / "site", ok


def test_strict_build_of_the_tricky_corpus_passes(built):
    root, _, ok = built
    assert ok.returncode == 0, ok.stderr
    assert "WARNING" not in ok.stderr
    assert [f for f in check_library(Library(root)) if f.rule.startswith("citation")] == []


def test_heading_ids_in_the_html_are_the_anchors(built):
    root, site, _ = built
    text = (root / "sources/gamma-notes/full.md").read_text(encoding="utf-8")
    article = page(site, "sources/gamma-notes/full").select_one("article")
    ids = [h.get("id") for h in article.find_all(re.compile("^h[1-6]$"))]
    assert ids == [h.anchor for h in headings(text)] == TRICKY_ANCHORS
    # what only looks like a heading renders as text, as on GitHub
    body = article.get_text()
    assert "#hashtag is text, not a heading" in body
    assert "####### seven is text" in body
    assert len(article.find_all("hr")) == 2


def test_every_claim_links_to_its_heading(built):
    _, site, _ = built
    soup = page(site, "refs/resources/gamma-notes")
    target = page(site, "sources/gamma-notes/full")
    links = soup.select("a.refs-evidence")
    assert len(links) == len(TRICKY_ANCHORS) + 2
    for a in links:
        url, _, frag = a["href"].partition("#")
        assert url in ("../../../sources/gamma-notes/full/", "../../../sources/gamma-notes/notes/")
        if url.endswith("/full/") and frag:
            assert target.find(id=frag) is not None, frag
    notes = page(site, "sources/gamma-notes/notes")
    assert notes.find(id="plan") is not None  # another markdown file of the source is a page


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("anchors-broken")
    root = make_library(tmp)
    drop_broken_citation(root)
    (root / "sources/gamma-notes/full.md").write_text(FRONT + TRICKY, encoding="utf-8")
    extra = (
        f"{len(TRICKY_ANCHORS[:2]) + 1}. **Claim**: Off-site.\n"
        f"   **Evidence**: [s]({EVIL}) and <//evil.example/x> and [t](//evil.example/y)\n\n"
        f"{len(TRICKY_ANCHORS[:2]) + 2}. **Claim**: Another file that does not exist.\n"
        "   **Evidence**: [n](../../sources/gamma-notes/missing.md#plan)\n"
    )
    text = card(TRICKY_ANCHORS[:2], extra).replace(
        "[The second file](../../sources/gamma-notes/notes.md#plan)", "the second file"
    )
    (root / "refs/resources/gamma-notes.md").write_text(text, encoding="utf-8")
    failed = build(root, tmp / "site")
    return root, tmp / "site", failed


def test_off_site_evidence_fails_the_build_and_is_never_a_link(broken):
    root, site, failed = broken
    assert failed.returncode != 0
    warnings = [w for w in failed.stderr.splitlines() if w.startswith("WARNING")]
    assert len(warnings) == 4, failed.stderr
    assert all("refs/resources/gamma-notes.md" in w for w in warnings)
    assert any("claim 3" in w and EVIL in w for w in warnings)
    assert any("claim 3" in w and "`//evil.example/x`" in w for w in warnings)
    assert any("claim 3" in w and "`//evil.example/y`" in w for w in warnings)
    assert any("claim 4" in w and "missing.md" in w and "`plan`" in w for w in warnings)
    assert not any("unrecognized" in w or "not found" in w for w in warnings)  # all ours
    # the same findings from `refs check`
    found = [f for f in check_library(Library(root)) if f.path == "refs/resources/gamma-notes.md"]
    offsite = [f.message for f in found if f.rule == "citation-offsite"]
    assert len(offsite) == 3 and EVIL in offsite[0] and "//evil.example/y" in offsite[2]


def test_off_site_evidence_is_not_rendered_as_a_link(tmp_path, broken):
    root, _, _ = broken
    ok = build(root, tmp_path / "site", strict=False)
    assert ok.returncode == 0, ok.stderr
    soup = page(tmp_path / "site", "refs/resources/gamma-notes")
    hrefs = [a.get("href", "") for a in soup.select("article a")]
    assert not [h for h in hrefs if "evil.example" in h]
    assert "off-site evidence" in soup.get_text()
