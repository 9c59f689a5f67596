"""Rebuilds under `mkdocs serve` reuse what an edit did not touch, and stay right.

Builds run in this process the way `mkdocs serve` runs them (a fresh config per
rebuild, the same plugin instance), so the cache is exercised for real; every test
asserts that the rebuilt site equals what a cold build of the edited library gives.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page
from mkdocs_site import KeptFiles, build_in_a_new_process, drop_broken_citation

from docs_gen.serve_cache import CACHED_TEMPLATE
from extract import fsio
from extract.cards import parse_card
from extract.library import Library
from extract.review_record import make_record, save_record

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class Served:
    """A library rebuilt in one process, as `mkdocs serve` does."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site = root, site
        self.log: list[str] = []
        self.plugin = None

    def build(self) -> list[str]:
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.plugins.on_startup(command="serve", dirty=False)
        plugin = config.plugins["refs-library"]
        assert self.plugin is None or plugin is self.plugin  # MkDocs kept the instance
        self.plugin = plugin
        records: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda r: records.append(r.getMessage())
        logging.getLogger("mkdocs").addHandler(handler)
        try:
            build(config, serve_url=None)
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
        self.log = records
        return records

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def reused(self) -> int:
        """Pages whose stored output this build printed instead of rendering them."""
        return self.plugin.cache.outputs_reused


def cold(root: Path, site: Path) -> Path:
    """The same library built by `mkdocs build` in a new process (no memory)."""
    result = build_in_a_new_process(root, site, strict=False)
    assert result.returncode == 0, result.stderr
    return site


def article(html: str) -> str:
    body = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    return body.split("</article>", 1)[0]


def cited_by(html: str) -> str:
    """The "Cited by" lines of a source page."""
    return " ".join(re.findall(r'<p class="refs-cited-by".*?</p>', html, re.S))


def nav(html: str) -> str:
    return html.split("md-nav--primary", 1)[1].split("</nav>", 1)[0]


@pytest.fixture(scope="module")
def served_library(make_library, tmp_path_factory) -> KeptFiles:
    tmp = tmp_path_factory.mktemp("served")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    # A new server: MkDocs keeps one plugin instance per name for the whole process,
    # which would otherwise be an earlier module's (its memory of another library).
    MkDocsConfig.plugins.plugin_cache.clear()
    Served(root, tmp / "site").build()  # what a server's first build keeps on disk
    return KeptFiles(root)


@pytest.fixture
def served(served_library):
    """The fixture library served: built, then rebuilt with nothing changed (everything
    reused). One library and one server for the module, as a person editing under
    `mkdocs serve` has: a test's edits are undone before the next test's rebuilds (a
    test that restarts the server leaves the next one that server)."""
    served_library.restore()
    root = served_library.root
    s = Served(root, root.parent / "site")
    s.build()
    s.build()  # nothing changed: everything is reused
    assert s.reused() == len(s.plugin.site.pages)
    return s


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def same_as_cold(s: Served, tmp_path: Path, urls: list[str]) -> None:
    fresh = cold(s.root, tmp_path / "cold")
    for url in urls:
        mine = (s.site / url / "index.html").read_text(encoding="utf-8")
        theirs = (fresh / url / "index.html").read_text(encoding="utf-8")
        assert article(mine) == article(theirs), url
        assert nav(mine) == nav(theirs), url
    for name in ("refs.json", "llms.txt", "search/search_index.json"):
        assert (s.site / name).read_text(encoding="utf-8") == (fresh / name).read_text(
            encoding="utf-8"
        ), name


ALL = [
    "",
    "catalog",
    "refs/resources/alpha-paper",
    "refs/resources/beta-blog",
    "refs/topics/01-pipelines",
    "sources/alpha-paper/full",
    "sources/beta-blog/full",
]


def test_an_edited_card_is_the_only_page_converted_again(served, tmp_path):
    untouched = served.page("sources/gamma-notes/full")
    edit(
        served.root / "refs/resources/alpha-paper.md",
        "## Why it matters",
        "## Why it matters\n\nEdited now.",
    )
    served.build()
    assert "Edited now." in served.page("refs/resources/alpha-paper")
    assert served.reused() == len(served.plugin.site.pages) - 1
    assert served.page("sources/gamma-notes/full") == untouched
    same_as_cold(served, tmp_path, ALL)


def library_reads(monkeypatch) -> list[str]:
    """The library files read from now on (names relative to no root: their repo path's
    last two parts are enough to tell them apart here)."""
    read: list[str] = []
    real = fsio.read_text

    def counting(path):
        read.append("/".join(Path(path).parts[-3:]))
        return real(path)

    monkeypatch.setattr(fsio, "read_text", counting)
    return read


def test_an_edited_card_is_the_only_file_read_and_no_generated_page_is_made(
    served, tmp_path, monkeypatch
):
    """Work in proportion to the edit: the other cards, topic docs and full.md files are
    not read again, and the generated pages (dashboard, catalog, indexes) are kept."""
    generated = dict(served.plugin.memory.generated)
    assert generated  # the fixture has generated pages
    read = library_reads(monkeypatch)
    edit(
        served.root / "refs/resources/beta-blog.md", "## Why it matters", "## Why it matters\n\nX."
    )
    served.build()
    assert "refs/resources/beta-blog.md" in read
    assert not [f for f in read if f.endswith(".md") and "beta-blog" not in f], read
    assert all(served.plugin.memory.generated[src] is kept for src, kept in generated.items())
    monkeypatch.undo()
    same_as_cold(served, tmp_path, ALL)


def test_a_topic_doc_edit_makes_the_topics_index_again_only_when_its_state_changes(
    served, tmp_path
):
    doc = served.root / "refs/topics/01-pipelines.md"
    index = served.page("refs/topics")
    assert "written" in index
    generated = dict(served.plugin.memory.generated)
    edit(doc, "## Open questions", "More words.\n\n## Open questions")
    served.build()
    assert "More words." in served.page("refs/topics/01-pipelines")
    assert all(served.plugin.memory.generated[src] is kept for src, kept in generated.items())
    assert served.page("refs/topics") == index
    same_as_cold(served, tmp_path, ALL + ["refs/topics"])
    # Only its title left: a scaffold now, which the topics index says.
    doc.write_text(doc.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    served.build()
    assert served.page("refs/topics") != index
    same_as_cold(served, tmp_path, ALL + ["refs/topics"])


def test_a_new_card_file_reaches_the_generated_pages(served, tmp_path):
    """Generated pages are kept while the library's files are the same: a card written
    for a resource that had none changes them (the cards index lists it, the catalog
    no longer says "no card yet")."""
    assert "Gamma Notes" not in article(served.page("refs/resources"))
    card = (served.root / "refs/resources/beta-blog.md").read_text(encoding="utf-8")
    (served.root / "refs/resources/gamma-notes.md").write_text(
        card.replace("Beta Blog", "Gamma Notes"), encoding="utf-8"
    )
    served.build()
    assert "Gamma Notes" in article(served.page("refs/resources"))
    same_as_cold(served, tmp_path, ALL + ["refs/resources", "refs/resources/gamma-notes"])


def test_an_edited_full_md_converts_that_page_only(served, tmp_path, monkeypatch):
    generated = dict(served.plugin.memory.generated)
    read = library_reads(monkeypatch)
    edit(
        served.root / "sources/gamma-notes/full.md",
        "## Launch cost",
        "Gamma edit.\n\n## Launch cost",
    )
    served.build()
    assert "Gamma edit." in served.page("sources/gamma-notes/full")
    assert served.reused() == len(served.plugin.site.pages) - 1
    assert set(read) <= {"sources/gamma-notes/full.md"}, read
    assert all(served.plugin.memory.generated[src] is kept for src, kept in generated.items())
    monkeypatch.undo()
    same_as_cold(served, tmp_path, ALL + ["sources/gamma-notes/full"])


def test_a_new_citation_reaches_the_cited_source_page(served, tmp_path):
    before = cited_by(served.page("sources/beta-blog/full"))
    assert "Beta Blog, claim 3" in before and "Topic 1: Pipelines" not in before
    edit(
        served.root / "refs/topics/01-pipelines.md",
        "\n",
        "\n\nSee [results](../../sources/beta-blog/full.md#results) again.\n",
    )
    served.build()
    after = cited_by(served.page("sources/beta-blog/full"))
    assert "Topic 1: Pipelines" in after  # "Cited by" under the heading the topic doc cites
    same_as_cold(served, tmp_path, ALL)


def test_a_renamed_heading_breaks_the_card_that_cites_it(served, tmp_path):
    card = served.page("refs/resources/beta-blog")
    assert "refs-broken-citation" not in card
    edit(served.root / "sources/beta-blog/full.md", "## Results", "## Findings")
    served.build()
    assert "refs-broken-citation" in served.page("refs/resources/beta-blog")
    assert any("broken citation" in m for m in served.log)
    served.build()  # unchanged now, and still said, once: as a count, not reprinted
    assert not any("broken citation" in m for m in served.log)
    assert any(m.startswith("1 warning(s) printed by the last build") for m in served.log)
    same_as_cold(served, tmp_path, ALL)


def test_a_manifest_title_reaches_every_page(served, tmp_path):
    # A carded resource: its title is in the Cards tab of every page's nav (a resource
    # without a card is not in the nav, so only the catalog and dashboard name it).
    edit(served.root / "refs/manifest.yaml", "title: Beta Blog", "title: Beta Weblog")
    served.build()
    for url in ALL:
        assert "Beta Weblog" in served.page(url), url
    same_as_cold(served, tmp_path, ALL)


def test_the_search_index_follows_an_edited_source(served, tmp_path):
    edit(
        served.root / "sources/gamma-notes/full.md",
        "## Launch cost",
        "## Launch cost\n\n## Zanzibar heading",
    )
    served.build()
    index = json.loads((served.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any("Zanzibar heading" in d["title"] for d in index["docs"])
    same_as_cold(served, tmp_path, ALL + ["sources/gamma-notes/full"])


def test_a_heading_with_a_formula_keeps_its_toc_mathml_on_a_reused_page(served, tmp_path):
    # The toc entry's MathML (heading_math.py) is set on the page's toc in the build that
    # renders it; a rebuild that reuses the page restores that toc and its search entries.
    full = served.root / "sources/gamma-notes/full.md"
    full.write_text(
        full.read_text(encoding="utf-8") + "\n## Bound on $\\frac{p-1}{m}$\n\nText.\n",
        encoding="utf-8",
    )
    served.build()
    edit(served.root / "refs/resources/beta-blog.md", "Why it matters", "Why it matters here")
    served.build()  # the gamma source page is reused
    assert "sources/gamma-notes/full.md" in served.plugin.cache.hits
    page = served.page("sources/gamma-notes/full")
    toc = page.split('data-md-type="toc"', 1)[1].split("</nav>", 1)[0]
    link = toc.split('href="#bound-on-fracp-1m"', 1)[1].split("</a>", 1)[0]
    assert "<mfrac>" in link and "\\(" not in link
    fresh = cold(served.root, tmp_path / "cold")
    theirs = (fresh / "sources/gamma-notes/full/index.html").read_text(encoding="utf-8")
    assert page == theirs
    same_as_cold(served, tmp_path, ALL + ["sources/gamma-notes/full"])
    index = json.loads((served.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert "Bound on \\frac{p-1}{m}" in [d["title"] for d in index["docs"]]


def test_refs_json_follows_a_review_record_and_the_passages_it_recorded(served, tmp_path):
    """refs.json says when a card was reviewed and which claims' passages changed since:
    a served rebuild must not keep the card's view from before either."""
    lib = Library(served.root)
    card = parse_card(lib.card_path("alpha-paper"), rid="alpha-paper")
    save_record(lib, make_record(lib, card, "2026-01-02"))
    served.build()
    view = card_json(served.site, "alpha-paper")
    assert view["reviewed"] == "2026-01-02" and not any(c["stale"] for c in view["claims"])
    same_as_cold(served, tmp_path, [])
    edit(
        served.root / "sources/alpha-paper/full.md",
        "## Introduction\n",
        "## Introduction\n\nNew.\n",
    )
    served.build()
    assert any(c["stale"] for c in card_json(served.site, "alpha-paper")["claims"])
    same_as_cold(served, tmp_path, ["refs/resources/alpha-paper"])


def card_json(site: Path, rid: str) -> dict:
    data = json.loads((site / "refs.json").read_text(encoding="utf-8"))
    return next(r for r in data["resources"] if r["id"] == rid)["card"]


class Probe(BasePlugin):
    """Sees what MkDocs hands the other plugins, after all of them ran."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.env = None
        self.indexes: list = []

    @event_priority(-100)
    def on_env(self, env, config, files):
        self.env = env
        return env

    @event_priority(-100)
    def on_post_page(self, output, page, config):
        self.pages.append(page)
        return output

    @event_priority(-100)
    def on_post_build(self, config):
        self.indexes = [
            p.search_index for p in config.plugins.values() if hasattr(p, "search_index")
        ]


def test_a_plain_build_leaves_mkdocs_objects_as_mkdocs_made_them(make_library, tmp_path):
    """`mkdocs build` makes no serve cache: no page's `render` replaced, no template
    swapped, the search plugin's indexer its own, no Jinja bytecode cache, nothing added
    to MkDocs' logger; a second build in the same process reuses nothing."""
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    page_class = dict(vars(Page))
    mkdocs_log = logging.getLogger("mkdocs")
    handlers = [(h, list(h.filters)) for h in mkdocs_log.handlers]
    plugin = None
    for _ in range(2):
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "s"))
        config.plugins.on_startup(command="build", dirty=False)
        assert plugin is None or config.plugins["refs-library"] is plugin  # kept, as serve
        plugin = config.plugins["refs-library"]
        probe = config.plugins["probe"] = Probe()
        records: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda r, records=records: records.append(r.getMessage())
        mkdocs_log.addHandler(handler)
        try:
            build(config, serve_url=None)
        finally:
            mkdocs_log.removeHandler(handler)
        assert plugin.cache is None
        assert len(probe.pages) == len(plugin.site.pages)
        for page in probe.pages:
            assert "render" not in vars(page), page.file.src_uri
            assert page.meta.get("template") != CACHED_TEMPLATE, page.file.src_uri
        assert probe.env is not None and probe.env.bytecode_cache is None
        assert probe.indexes and all(
            "add_entry_from_context" not in vars(index) for index in probe.indexes
        )
        assert not any("unchanged since the last build" in m for m in records)
    assert dict(vars(Page)) == page_class
    assert [(h, list(h.filters)) for h in mkdocs_log.handlers] == handlers
