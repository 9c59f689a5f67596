"""Unit tests of the page builders: each is a function of a `Library`."""

from __future__ import annotations

import re

import pytest

from docs_gen import nav, page_kinds
from docs_gen.links import Links, md_path
from docs_gen.nav import build_nav
from docs_gen.pages import cards, catalog, dashboard, sources, topics
from extract.library import Library
from extract.progress import next_step


@pytest.fixture
def lib(make_library, tmp_path):
    return Library(make_library("site", root=tmp_path / "lib"))


def test_dashboard_lists_every_step_with_its_resources_and_badges(lib):
    md = dashboard.build_dashboard(lib, Links())
    steps = re.findall(r"^### Step (\d+): (.+)$", md, re.M)
    assert steps == [("1", "Start here"), ("2", "Then")]
    for step in lib.reading_order:
        for rid in step.ids:
            res = lib.resource(rid)
            assert f"[{res.title}](refs/resources/{rid}.md)" in md
            assert f'data-rid="{rid}"' in md
    assert 'refs-status-link_only">link only<' in md
    assert "(sources/alpha-paper/full.md)" in md  # converted: full.md linked
    assert "(sources/epsilon-book/full.md)" not in md


def test_dashboard_progress_counts_and_phase1_scope(lib):
    md = dashboard.build_dashboard(lib, Links())
    assert "All resources (5)" in md and "Phase 1: priority high (2)" in md
    phase1 = re.search(r'Phase 1.*?data-refs-progress data-ids="([^"]*)"', md, re.S).group(1)
    assert phase1.split() == ["alpha-paper", "delta-talk"]
    legend = re.search(r'All resources.*?<div class="refs-legend">(.*?)</div>', md, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", legend).split() == "3 converted 1 pending 1 link only".split()


def test_dashboard_topic_rows_have_a_full_label_and_link_per_topic(lib):
    md = dashboard.build_dashboard(lib, Links())
    rows = re.search(r'<div class="refs-topic-rows">.*?</div></div></div>', md, re.S).group(0)
    links = re.findall(r'<a class="refs-topic-label" href="([^"]+)">([^<]+)</a>', md)
    assert links == [
        ("refs/topics/01-pipelines/", "Topic 1: Pipelines"),
        ("refs/topics/02-kernels/", "Topic 2: Kernels"),
        ("refs/topics/03-serving/", "Topic 3: Serving"),
        ("refs/topics/meta-essential-resources/", "Meta: Essential meta-resources"),
    ]
    assert "<svg" not in md and "…" not in rows  # text that wraps, never cut short
    assert md.count("data-refs-progress") == 2 + 4  # the two cards, then one per topic


def test_dashboard_next_reading_shows_three_in_reading_order(lib):
    md = dashboard.build_dashboard(lib, Links())
    items = re.findall(r'<li data-rid="([^"]+)"( hidden)?>', md)
    assert [rid for rid, _ in items] == [
        "alpha-paper", "beta-blog", "gamma-notes", "delta-talk", "epsilon-book"
    ]  # fmt: skip
    assert [bool(h) for _, h in items] == [False, False, False, True, True]


def test_catalog_has_a_filterable_row_per_resource(lib):
    html = catalog.build_catalog(lib, Links())
    rows = re.findall(r'<tr data-rid="([^"]+)"[^>]*data-topic="([^"]*)"', html)
    assert [r for r, _ in rows] == lib.ids
    assert dict(rows)["alpha-paper"] == "1 3"
    for name in ("topic", "type", "priority", "status", "text"):
        assert f'data-filter="{name}"' in html
    assert '<option value="meta">Meta: Essential meta-resources</option>' in html
    # links to the `.md` files (cells are markdown="span"): MkDocs and Zensical make URLs
    assert "[Alpha Paper on Pipelines](refs/resources/alpha-paper.md)" in html
    assert "[full text](sources/alpha-paper/full.md)" in html
    assert 'href="../refs/' not in html and 'href="refs/' not in html


def test_catalog_links_are_the_same_whatever_the_url_style(lib):
    # .md links: the URL style is MkDocs' business when it renders them
    assert catalog.build_catalog(lib, Links(use_directory_urls=False)) == catalog.build_catalog(
        lib, Links()
    )


def test_catalog_cells_are_text_whatever_the_title_says(lib):
    lib.resource("alpha-paper").title = "Evil <script>alert(1)</script> & vector<int>"
    html = catalog.build_catalog(lib, Links())
    assert "<script>" not in html
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; vector&lt;int&gt;" in html
    assert 'data-sort-title="evil &lt;script&gt;' in html


def test_topic_index_groups_topics(lib):
    md = topics.build_topic_index(lib)
    assert (
        md.index("## Foundations")
        < md.index("## Serving")
        < md.index("## Essential meta-resources")
    )
    assert "[Topic 1: Pipelines](01-pipelines.md) | 2 | 0 | written |" in md
    assert "[Topic 2: Kernels](02-kernels.md) | 2 | 0 | none |" in md


def test_topic_reading_list_and_generated_page(lib):
    t1, t2 = lib.topic(1), lib.topic(2)
    listing = topics.reading_list(lib, t1)
    assert "**[Alpha Paper on Pipelines](../resources/alpha-paper.md)**" in listing
    assert "[full text](../../sources/alpha-paper/full.md)" in listing
    page = topics.build_topic_page(lib, t2)
    assert page.startswith("# Topic 2: Kernels — launch overhead")
    assert "What a launch costs." in page and "refs/topics/02-kernels.md" in page
    assert "[original ↗](https://example.org/delta)" in page  # not converted: original URL


def test_card_stub_says_what_exists_and_what_to_run(lib):
    md = cards.build_card_stub(lib, lib.resource("epsilon-book"))
    assert md.startswith(
        '# <span class="refs-kind">Resource<span class="refs-sep">: </span></span>Epsilon Book'
    )
    assert "refs fetch epsilon-book" in md and "<https://example.org/epsilon>" in md
    assert "A book everyone should own." in md  # the curriculum's description
    assert "[meta](../topics/meta-essential-resources.md)" in md


@pytest.mark.parametrize(
    ("rid", "status", "command"),
    [
        ("epsilon-book", "pending", "refs fetch epsilon-book"),
        ("epsilon-book", "fetched", "refs convert epsilon-book"),
        ("gamma-notes", "converted", "refs card gamma-notes"),  # no card yet
        ("alpha-paper", "converted", "refs review alpha-paper"),  # card written
        ("alpha-paper", "condensed", ""),
        ("delta-talk", "link_only", ""),
        ("delta-talk", "pending", ""),  # a talk is never fetched: show and the site agree
    ],
)
def test_next_step_command_follows_status(lib, rid, status, command):
    res = lib.resource(rid)
    res.status = status
    assert next_step(lib, rid).command == command


def test_cards_index_by_type(lib):
    md = cards.build_cards_index(lib)
    assert md.index("## paper") < md.index("## blog") and "## docs" not in md
    assert "| [Beta Blog](beta-blog.md) | " in md
    assert "Gamma Notes" not in md  # no card yet: the catalog lists it, not the Cards tab
    assert (
        "2 of the 5 resources have a card; the other 3 are in the [catalog](../../catalog.md)" in md
    )


def test_source_header_shows_front_matter_not_yaml(lib):
    text = lib.full_md_path("alpha-paper").read_text(encoding="utf-8")
    meta, problem = sources.front_matter_of(text)
    assert problem is None
    header = sources.source_header(lib, "alpha-paper", meta, None, Links())
    assert '<dt>Original</dt><dd><a href="https://example.org/alpha">' in header
    assert "<dt>Fetched</dt><dd>2026-01-02</dd>" in header
    assert "<dt>Author</dt><dd>J. Doe, R. Roe</dd>" in header
    assert '<a href="../../../refs/resources/alpha-paper/">read the card</a>' in header
    assert header.startswith('<dl class="refs-source-header" data-search-exclude>')
    assert "source_url:" not in header


def test_source_front_matter_problem_is_reported():
    meta, problem = sources.front_matter_of("# no front matter\n")
    assert meta == {} and "front matter" in problem


def test_sources_index_lists_converted_only(lib):
    md = sources.build_sources_index(lib)
    assert "[Alpha Paper on Pipelines](alpha-paper/full.md)" in md
    assert "epsilon" not in md.lower()


def test_plan_covers_every_resource_topic_and_repo_doc(lib):
    pages = {p.src: p for p in page_kinds.plan(lib)}
    for rid in lib.ids:
        assert f"refs/resources/{rid}.md" in pages
    assert pages["refs/resources/alpha-paper.md"].kind.name == "card"
    assert pages["refs/resources/epsilon-book.md"].kind.name == "card-stub"
    assert pages["refs/topics/01-pipelines.md"].kind.name == "topic-doc"
    assert pages["refs/topics/02-kernels.md"].kind.name == "topic"
    assert pages["sources/gamma-notes/full.md"].kind.name == "source"
    assert pages["refs/implementation-context.md"].kind.name == "doc"
    assert pages["distributed_video_dit_inference.md"].kind.name == "curriculum"
    assert not any("/raw/" in src for src in pages)


def test_plan_includes_orphan_cards_and_sources(lib):
    (lib.root / "refs/resources/zeta-orphan.md").write_text("# Zeta\n", encoding="utf-8")
    (lib.root / "sources/omega").mkdir()
    (lib.root / "sources/omega/full.md").write_text("# Omega\n", encoding="utf-8")
    pages = {p.src: p for p in page_kinds.plan(lib)}
    assert pages["refs/resources/zeta-orphan.md"].kind.name == "card"
    assert pages["sources/omega/full.md"].rid == "omega"


def test_nav_is_derived_from_the_plan(lib):
    planned = page_kinds.plan(lib)
    nav = build_nav(planned, {r.id: r.type for r in lib.resources})
    tabs = [next(iter(item)) for item in nav]
    assert tabs == ["Home", "Topics", "Catalog", "Cards", "Sources", "Curriculum", "Guides"]
    assert nav[5] == {"Curriculum": "distributed_video_dit_inference.md"}
    assert nav[6] == {"Guides": [{"Implementation context": "refs/implementation-context.md"}]}
    flat = repr(nav)
    for p in planned:
        assert (p.src in flat) == p.kind.in_nav, p.src  # resources without a card: not_in_nav
    assert "refs/resources/gamma-notes.md" not in flat
    topics_tab = nav[1]["Topics"]
    assert topics_tab[0] == "refs/topics/index.md"
    assert [next(iter(g)) for g in topics_tab[1:]] == [
        "Foundations", "Serving", "Essential meta-resources"
    ]  # fmt: skip


def _lists(items):
    """Every list of the nav (a section's entries, a group's), depth first."""
    for item in items:
        if isinstance(item, dict):
            ((_, children),) = item.items()
            if isinstance(children, list):
                yield children
                yield from _lists(children)


def _srcs(items):
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _srcs(value)
        else:
            yield value


def _type(i: int) -> str:
    return "paper" if i % 4 else "blog"


def _library_nav(n: int) -> list:
    """The nav of ``n`` cards and ``n`` sources, three papers to a blog."""
    cards = [
        page_kinds.SitePage(
            f"refs/resources/r{i:05d}.md", page_kinds.CARD, f"Card {i:05d}", f"r{i:05d}"
        )
        for i in range(n)
    ]
    srcs = [
        page_kinds.SitePage(
            f"sources/r{i:05d}/full.md", page_kinds.SOURCE, f"Source {i:05d}", f"r{i:05d}"
        )
        for i in range(n)
    ]
    return build_nav(cards + srcs, {f"r{i:05d}": _type(i) for i in range(n)})


def _shown(built: list) -> dict[str, int]:
    """{page: entries Material prints in its nav}: the tabs, its tab's sections and
    their entries (always open), and the entries of each group along its path."""

    def paths(items, trail):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from paths(value, (*trail, value))
            else:
                yield value, trail

    shown = {}
    for src, trail in paths(built, ()):
        tab = trail[0]
        sections = [next(iter(x.values())) for x in tab if isinstance(x, dict)]
        shown[src] = len(built) + len(tab) + sum(len(x) for x in sections if isinstance(x, list))
        shown[src] += sum(len(x) for x in trail[2:])
    return shown


def test_nav_lists_stay_short_however_large_the_library():
    """A page carries its tab's lists (`navigation.prune`): a list that grew with the
    library would make the site grow as its square, so past the limit no list is
    longer than a group."""
    n = nav.LIMIT * 3 + 7
    built = _library_nav(n)
    assert [next(iter(x)) for x in built] == ["Cards", "Sources"]
    assert all(len(xs) <= nav.PAGES_PER_GROUP for xs in _lists(built))
    # Every page once, in the order the section arranges them (by type, then title).
    listed = list(_srcs(built))
    assert len(listed) == 2 * n and len(set(listed)) == 2 * n
    papers = built[0]["Cards"][0]["Papers"]
    # 230 papers: 12 groups of at most 20, more than 5, so in 3 ranges of 4 groups,
    # each named by its first and last entries.
    assert [len(next(iter(r.values()))) for r in papers] == [4, 4, 4]
    assert next(iter(papers[0])) == "Card 00001 – Card 00106"
    first_group = next(iter(papers[0].values()))[0]
    assert next(iter(first_group)) == "Card 00001 – Card 00026"
    assert len(next(iter(first_group.values()))) == 20
    assert list(_srcs(papers)) == [
        f"refs/resources/r{i:05d}.md" for i in range(n) if _type(i) == "paper"
    ]
    # A tab's sections are open on each of its pages: past the limit every section's
    # entries are in closed groups, however few, so a card's page lists one group's
    # cards, not every blog's (77 blogs: 4 groups).
    blogs = built[0]["Cards"][1]["Blogs"]
    assert [len(next(iter(g.values()))) for g in blogs] == [20, 20, 20, 17]
    # Sources past the limit are arranged by type as cards are (a flat list cannot be
    # shortened: Material shows a tab's sections open).
    assert [next(iter(x)) for x in built[1]["Sources"]] == ["Papers", "Blogs"]


def test_a_page_s_nav_keeps_its_size_as_the_library_grows():
    """What Material prints beside each page: a few dozen entries whatever the size of
    the library (a group and the few groups or ranges along the page's path), one more
    level of at most `GROUPS_PER_LEVEL` entries for a library five times larger."""
    n = nav.LIMIT * 3 + 7
    small, large = _shown(_library_nav(n)), _shown(_library_nav(5 * n))
    assert len(small) == 2 * n and len(large) == 10 * n
    assert max(small.values()) <= 40
    assert max(large.values()) <= max(small.values()) + nav.GROUPS_PER_LEVEL


def test_a_library_within_the_limit_keeps_flat_lists(lib):
    planned = page_kinds.plan(lib)
    built = build_nav(planned, {r.id: r.type for r in lib.resources})
    sources_tab = next(x for x in built if "Sources" in x)["Sources"]
    assert all(isinstance(next(iter(x.values())), str) for x in sources_tab[1:])


def test_a_nav_group_name_is_cut_between_words():
    assert nav._short("Kernels &amp; streams, a long title of many words") == (
        "Kernels &amp; streams, a…"
    )
    assert nav._short("x" * 40) == "x" * 28 + "…"


def test_md_path_between_sources():
    assert md_path("refs/resources/a.md", "sources/a/full.md", "x") == "../../sources/a/full.md#x"
    assert md_path("index.md", "refs/resources/a.md") == "refs/resources/a.md"
