"""A served rebuild reuses a page's markdown only while what it read of OTHER files is the same.

A page's rendering reads more than its own text and what it cites: the wording of a
cited heading (a bare-path citation shows it as the link text), the anchors of a page a
written path cross-references, whether a linked repo file outside `refs/` and
`sources/` exists. Editing any of those must give, under `mkdocs serve`, the page a cold
`mkdocs build` gives, while pages whose questions still get the same answers are kept.
The first test runs a real `mkdocs serve`; the others rebuild in this process the way
it does (`test_site_serve_cache.Served`), to count what was converted again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs_site import KeptFiles, drop_broken_citation, fetch, mkdocs_serve, wait_for
from test_site_serve_cache import ALL, Served, article, cold, edit, same_as_cold

from docs_gen.site import Site

CARD = "refs/resources/beta-blog.md"
# A written path to a heading of the topic doc (the card's page links it, anchor and
# all, while the topic doc has that heading) and a link to a repo file that is not a
# site page (shown as its path while it exists, a dead link while it does not).
CARD_LINES = (
    "\n\nSee refs/topics/01-pipelines.md#open-questions for what is open."
    "\n\nThe [notes](../../NOTES.md) say more.\n"
)


def with_cross_file_lines(root: Path) -> None:
    drop_broken_citation(root)
    card = root / CARD
    card.write_text(card.read_text(encoding="utf-8") + CARD_LINES, encoding="utf-8")


def edit_other_files(root: Path) -> None:
    """The three kinds of input a page reads from other files, each changed."""
    # Same anchor (`why-queues-fill-up`), other words: the card's bare-path citation
    # shows the heading's words.
    edit(root / "sources/beta-blog/full.md", "## Why queues fill up", "## Why Queues Fill UP")
    # The heading the card's written path names is gone.
    edit(root / "refs/topics/01-pipelines.md", "## Open questions", "## Still open")
    # The linked file now exists.
    (root / "NOTES.md").write_text("# Notes\n", encoding="utf-8")


def check_card(html: str) -> None:
    """What a cold build of the edited library shows on the card (checked against one)."""
    assert "Why Queues Fill UP" in html
    assert "01-pipelines/#open-questions" not in html
    assert "<code>NOTES.md</code>" in html


# ---------- a real `mkdocs serve` ----------


def test_mkdocs_serve_shows_what_a_cold_build_shows_after_edits_to_other_files(
    make_library, tmp_path
):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    with_cross_file_lines(root)
    card_url = "refs/resources/beta-blog/"
    with mkdocs_serve(root) as url:
        before = wait_for(url + card_url, "Beta Blog")
        assert "01-pipelines/#open-questions" in before and "Why queues fill up" in before
        assert "<code>NOTES.md</code>" not in before
        edit_other_files(root)
        # A last edit elsewhere: once it is served, every edit before it was built.
        marker = "Marker paragraph, written last."
        edit(root / "sources/gamma-notes/full.md", "## Launch cost", f"{marker}\n\n## Launch cost")
        wait_for(url + "sources/gamma-notes/full/", marker)
        served = fetch(url + card_url)
        topic = fetch(url + "refs/topics/01-pipelines/")
    fresh = cold(root, tmp_path / "cold")
    theirs = (fresh / card_url / "index.html").read_text(encoding="utf-8")
    check_card(article(theirs))
    assert article(served) == article(theirs)
    theirs = (fresh / "refs/topics/01-pipelines/index.html").read_text(encoding="utf-8")
    assert article(topic) == article(theirs)


# ---------- rebuilt in this process, counted ----------


@pytest.fixture(scope="module")
def served_library(make_library, tmp_path_factory) -> KeptFiles:
    tmp = tmp_path_factory.mktemp("served")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    with_cross_file_lines(root)
    # A new server: MkDocs keeps one plugin instance per name for the whole process,
    # which would otherwise be an earlier module's (its memory of another library).
    MkDocsConfig.plugins.plugin_cache.clear()
    Served(root, tmp / "site").build()  # what a server's first build keeps on disk
    return KeptFiles(root)


@pytest.fixture
def served(served_library):
    """The library served, built and rebuilt with nothing changed: one library and one
    server for the module (`test_site_serve_cache.served`), a test's edits undone before
    the next test's rebuilds."""
    served_library.restore()
    root = served_library.root
    s = Served(root, root.parent / "site")
    s.build()
    s.build()
    assert s.reused() == len(s.plugin.site.pages)
    return s


def converted_again(s: Served) -> int:
    return len(s.plugin.site.pages) - s.reused()


def same_page_as_cold(s: Served, tmp_path: Path, url: str) -> str:
    fresh = cold(s.root, tmp_path / f"cold-{len(list(tmp_path.glob('cold-*')))}")
    mine = article(s.page(url))
    assert mine == article((fresh / url / "index.html").read_text(encoding="utf-8")), url
    return mine


def test_a_cited_heading_reworded_under_the_same_anchor_reaches_the_card(served, tmp_path):
    edit(
        served.root / "sources/beta-blog/full.md", "## Why queues fill up", "## Why Queues Fill UP"
    )
    served.build()
    card = same_page_as_cold(served, tmp_path, "refs/resources/beta-blog")
    assert "Why Queues Fill UP" in card
    assert converted_again(served) == 2  # the full.md and the card citing its heading


def test_a_heading_a_written_path_names_gone_reaches_the_page_that_wrote_it(served, tmp_path):
    edit(served.root / "refs/topics/01-pipelines.md", "## Open questions", "## Still open")
    served.build()
    card = same_page_as_cold(served, tmp_path, "refs/resources/beta-blog")
    assert "01-pipelines/#open-questions" not in card and "01-pipelines/" in card
    assert converted_again(served) == 2  # the topic doc and the card naming its heading


def test_a_linked_file_made_reaches_the_page_linking_it(served, tmp_path):
    (served.root / "NOTES.md").write_text("# Notes\n", encoding="utf-8")
    served.build()
    card = same_page_as_cold(served, tmp_path, "refs/resources/beta-blog")
    assert "<code>NOTES.md</code>" in card
    assert converted_again(served) == 1  # the card only
    (served.root / "NOTES.md").unlink()
    served.build()
    card = same_page_as_cold(served, tmp_path, "refs/resources/beta-blog")
    assert "<code>NOTES.md</code>" not in card
    assert converted_again(served) == 1


def test_all_three_at_once_and_then_nothing_more_is_converted(served, tmp_path):
    edit_other_files(served.root)
    served.build()
    check_card(article(served.page("refs/resources/beta-blog")))
    same_as_cold(served, tmp_path, ALL)  # pages, nav, refs.json, llms.txt, search index
    served.build()  # the questions get the answers they got: everything is kept
    assert served.reused() == len(served.plugin.site.pages)


def test_a_page_taken_from_the_disk_cache_keeps_its_questions_in_memory(served, tmp_path):
    """A server started over a library built before takes its pages from
    `.refs-cache/` (`pass_memo`), with the questions they asked: an edit to another
    file then reaches them as it reaches pages rendered in this process."""
    assert any((served.root / ".refs-cache/site").glob("*.json"))
    MkDocsConfig.plugins.plugin_cache.clear()  # a restarted server: a new plugin
    again = Served(served.root, tmp_path / "again")
    taken = []
    real = Site._kept_page

    def kept_page(site, data):
        found = real(site, data)
        taken.append(found is not None)
        return found

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Site, "_kept_page", kept_page)
        again.build()
    assert again.plugin is not served.plugin and taken and all(taken)  # all from disk
    memory = again.plugin.memory.pages
    assert memory["refs/resources/beta-blog.md"][2]  # its questions, read from disk
    edit_other_files(again.root)
    again.build()
    check_card(same_page_as_cold(again, tmp_path, "refs/resources/beta-blog"))
