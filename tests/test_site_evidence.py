"""Heading ids, citation links, cited-by, sibling-repo paths: the text rewriters."""

from __future__ import annotations

import re

import pytest

from docs_gen.evidence import Backlink, Evidence
from docs_gen.headings import toc_slugify, with_heading_ids
from docs_gen.links import Links
from docs_gen.pages.sources import add_cited_by, cited_by_line
from docs_gen.repo_links import RepoLinks
from extract.anchors import headings
from extract.cards import find_citations
from extract.citations import Resolver
from extract.library import Library


@pytest.fixture
def lib(make_library, tmp_path):
    return Library(make_library("site", root=tmp_path / "lib"))


def test_heading_ids_are_the_library_anchors_with_duplicates():
    md = "# T\n\n## Results\n\n## Results ##\n\n```\n## not a heading\n```\n\n## Ünï `co_de()` & more?\n"
    out, found = with_heading_ids(md)
    ids = re.findall(r"\{ #([^ ]+) \}", out)
    assert ids == [h.anchor for h in headings(md)] == [
        "t", "results", "results-1", "ünï-co_de--more"
    ]  # fmt: skip
    assert "## Results { #results-1 }" in out  # closing hashes dropped
    assert "## not a heading\n" in out  # fenced text untouched


def test_an_attr_list_written_in_a_heading_is_text_as_on_github():
    out, found = with_heading_ids("## Custom { #mine }\n")
    assert [h.anchor for h in found] == ["custom--mine-"]
    assert out == "## Custom { #mine } { #custom--mine- }\n"  # attr_list takes only the last


def test_setext_headings_become_tagged_atx_lines_and_lookalikes_stay_text():
    md = "Backends\n--------\n\nTwo\nlines\n===\n\n#tag\n\n```\ncode\n```\n---\n"
    out, _ = with_heading_ids(md)
    assert out.split("\n") == [
        "## Backends { #backends }",
        "",
        "",
        "# Two lines { #twolines }",
        "",
        "",
        "",
        "\\#tag",  # CommonMark: text; Python-Markdown would make it a heading
        "",
        "```",
        "code",
        "```",
        "***",  # a break right under a line: Python-Markdown would read an underline
        "",
    ]


def test_toc_slugify_is_the_github_rule():
    assert toc_slugify("What is PP? (a primer)") == "what-is-pp-a-primer"


def card_text(lib, rid):
    return lib.card_path(rid).read_text(encoding="utf-8")


def test_every_citation_form_becomes_a_link_to_its_heading(lib):
    ev = Evidence(lib, Links())
    src = "refs/resources/alpha-paper.md"
    out, broken = ev.rewrite(src, card_text(lib, "alpha-paper"), is_card=True)
    assert broken == []
    targets = re.findall(
        r'\]\((\.\./\.\./sources/alpha-paper/full\.md#[^) ]+)(?: "[^"]*")?\)\{: #cite-\d+', out
    )
    expected = [f"../../{c.target}" for c in find_citations(card_text(lib, "alpha-paper"))]
    assert targets == expected and len(targets) == 7
    # a bare path (code span, bare text, or a link showing its own path) says the heading
    assert (
        '[§ What is PP? (a primer)](../../sources/alpha-paper/full.md#what-is-pp-a-primer "'
        'sources/alpha-paper/full.md#what-is-pp-a-primer"){: #cite-4 .refs-evidence }' in out
    )
    assert (
        '[§ Über Größe &amp; Straße](../../sources/alpha-paper/full.md#über-größe--straße "'
        'sources/alpha-paper/full.md#über-größe--straße"){: #cite-3 .refs-evidence }, cited as bare'
        in out
    )
    assert "[§ Introduction](../../sources/alpha-paper/full.md#introduction " in out
    assert "[the second results](../../sources/alpha-paper/full.md#results-1){: #cite-2" in out
    assert '[§ fig-3](../../sources/alpha-paper/full.md#fig-3 "' not in out  # own words kept
    assert "[figure 3](../../sources/alpha-paper/full.md#fig-3){: #cite-6" in out
    for n in range(1, 7):
        assert f'<a id="claim-{n}"></a>**Claim**' in out


def test_rewrite_keeps_line_count_and_fenced_code(lib):
    ev = Evidence(lib, Links())
    md = "Intro sources/alpha-paper/full.md#introduction\n```\nsources/alpha-paper/full.md#results\n```\n"
    out, _ = ev.rewrite("refs/topics/01-pipelines.md", md, is_card=False)
    assert out.count("\n") == md.count("\n")
    assert "```\nsources/alpha-paper/full.md#results\n```" in out
    assert (
        "[Alpha Paper on Pipelines § Introduction](../../sources/alpha-paper/full.md#introduction"
        ' "sources/alpha-paper/full.md#introduction")' in out
    )  # another page than the resource's card: the resource's title first


def test_broken_citation_names_card_claim_and_anchor_and_agrees_with_resolver(lib):
    ev = Evidence(lib, Links())
    text = card_text(lib, "beta-blog")
    out, broken = ev.rewrite("refs/resources/beta-blog.md", text, is_card=True)
    assert len(broken) == 1
    msg = broken[0].message()
    assert "refs/resources/beta-blog.md" in msg and "claim 3" in msg and "no-such-heading" in msg
    assert 'class="refs-broken-citation"' in out and "⚠ broken citation" in out
    resolver = Resolver(lib)
    judged = {c.anchor: resolver.problem(c) is None for c in find_citations(text)}
    assert judged == {"why-queues-fill-up": True, "results": True, "no-such-heading": False}


@pytest.mark.parametrize(
    ("citation", "reason"),
    [
        ("sources/nope/full.md#x", "not a resource"),
        ("sources/epsilon-book/full.md#x", "does not exist yet"),
        ("sources/alpha-paper/full.md#results-2", "is not a heading"),
    ],
)
def test_each_kind_of_broken_citation_is_flagged(lib, citation, reason):
    ev = Evidence(lib, Links())
    out, broken = ev.rewrite("refs/resources/x.md", f"See [it](../../{citation}).\n", is_card=False)
    assert len(broken) == 1 and reason in broken[0].problem
    assert "refs-broken-citation" in out and "](../../sources" not in out


def test_raw_html_href_citation_gets_a_site_url(lib):
    ev = Evidence(lib, Links())
    md = '<a href="../sources/alpha-paper/full.md#results">r</a>\n'
    out, broken = ev.rewrite("refs/resources/a.md", md, is_card=False)
    assert not broken and 'href="../../../sources/alpha-paper/full/#results"' in out


def test_cited_by_index_and_insertion(lib):
    ev = Evidence(lib, Links())
    for rid in ("alpha-paper", "beta-blog"):
        ev.index(f"refs/resources/{rid}.md", card_text(lib, rid), rid, is_card=True)
    labels = [(b.label, b.claim) for b in ev.cited_by[("sources/alpha-paper/full.md", "results")]]
    assert labels == [("alpha-paper", None), ("beta-blog", 2)]
    assert ("sources/beta-blog/full.md", "no-such-heading") not in ev.cited_by
    md = lib.full_md_path("alpha-paper").read_text(encoding="utf-8").split("---\n", 2)[2]
    found = headings(md)
    here = "sources/alpha-paper/full.md"
    out = add_cited_by(here, md, {h.line - 1: h.anchor for h in found}, ev.cited_in(here))
    assert (
        "## Results\n\nCited by: [alpha-paper](../../refs/resources/alpha-paper.md#cite-7); "
        "[beta-blog, claim 2](../../refs/resources/beta-blog.md#claim-2)\n"
        "{: .refs-cited-by data-search-exclude }" in out
    )
    assert '<a id="fig-3"></a>\n\nCited by: [alpha-paper, claim 6]' in out


def test_cited_by_names_each_citing_page_once_by_its_title():
    card = "refs/resources/gpipe.md"
    links = [
        Backlink(card, "GPipe: Giant Models", "claim-2", 2),
        Backlink(card, "GPipe: Giant Models", "claim-3", 3),
        Backlink(card, "GPipe: Giant Models", "cite-9"),
        Backlink("refs/topics/13-pp.md", "Topic 13: Pipelines", "cite-1"),
    ]
    line = cited_by_line("sources/gpipe/full.md", links)[1]
    assert line == (
        "Cited by: [GPipe: Giant Models](../../refs/resources/gpipe.md) "
        "([claim 2](../../refs/resources/gpipe.md#claim-2), "
        "[claim 3](../../refs/resources/gpipe.md#claim-3), "
        "[mention 1](../../refs/resources/gpipe.md#cite-9)); "
        "[Topic 13: Pipelines](../../refs/topics/13-pp.md#cite-1)"
    )


def _repo_links(lib, url=""):
    return RepoLinks(
        lib.root, lambda src: not src.startswith("sources/") or src.endswith("full.md"), url
    )


def test_sibling_paths_without_base_url_stay_paths(lib):
    rl = _repo_links(lib)
    md = "See `scope-drd/notes/a.md` and [the note](../../scope-drd/notes/b.md).\n"
    out = rl.rewrite("refs/implementation-context.md", md)
    assert out == "See `scope-drd/notes/a.md` and the note (`scope-drd/notes/b.md`).\n"


def test_sibling_paths_with_base_url_become_links(lib):
    rl = _repo_links(lib, "https://git.example/scope-drd/blob/main/")
    md = "See `scope-drd/notes/a.md`, scope-drd/notes/c.md. and [n](scope-drd/notes/b.md)\n"
    out = rl.rewrite("refs/x.md", md)
    assert "[`scope-drd/notes/a.md`](https://git.example/scope-drd/blob/main/notes/a.md)" in out
    assert "[scope-drd/notes/c.md](https://git.example/scope-drd/blob/main/notes/c.md)." in out
    assert "[n](https://git.example/scope-drd/blob/main/notes/b.md)" in out


def test_links_to_unpublished_repo_files(lib):
    raw = lib.root / "sources/alpha-paper/raw"
    raw.mkdir()
    (raw / "paper.pdf").write_bytes(b"%PDF")
    md = "[pdf](../../sources/alpha-paper/raw/paper.pdf) [gone](../../nope.md)\n"
    out = _repo_links(lib).rewrite("refs/resources/alpha-paper.md", md)
    assert out.startswith("pdf (`sources/alpha-paper/raw/paper.pdf`)")
    assert "[gone](../../nope.md)" in out  # a dead link is MkDocs' to report
    blob = RepoLinks(lib.root, lambda s: False, "", "https://github.com/o/r/blob/main")
    out = blob.rewrite("refs/resources/alpha-paper.md", md)
    assert "[pdf](https://github.com/o/r/blob/main/sources/alpha-paper/raw/paper.pdf)" in out
