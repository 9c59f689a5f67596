"""Every kind of page the site has, in one table (`KINDS`), and the plan it gives.

Each `PageKind` says which pages it has (its planner), how a generated one is built,
where the nav lists it, what its header calls it and which of the site's passes its
markdown goes through (see `site_files.PageKind`). `plan` lists the whole site by
running the planners in table order, so the table's order is the nav's order. Adding a
page kind is one entry here (tests/test_architecture.py checks that every builder
module of `docs_gen/pages/` has one).
"""

from __future__ import annotations

from pathlib import Path

from extract.library import BRIDGE_DOC, CARDS_DIR, CURRICULUM, INDEX_NAMES, Library

from . import nav
from .links import Links
from .pages import cards, catalog, dashboard, sources, topics
from .pages.paths import CARDS_INDEX, CATALOG, HOME, SOURCES_INDEX, TOPICS_INDEX
from .pages.titles import CARD_LABEL, RESOURCE_LABEL, SOURCE_LABEL
from .site_files import PageKind, Section, SitePage, full_mds, other_source_mds

# ---------- the nav's sections, in the order the table lists their kinds ----------
HOME_SECTION = Section("Home")
TOPICS_SECTION = Section("Topics", nav.by_topic_group)
CATALOG_SECTION = Section("Catalog")
CARDS_SECTION = Section("Cards", nav.by_resource_type)
SOURCES_SECTION = Section("Sources", nav.in_order_or_by_type)
CURRICULUM_SECTION = Section("Curriculum")
GUIDES_SECTION = Section("Guides", nav.in_order)


# ---------- planners: (kind, library, pages planned so far) -> pages ----------
def _one(src: str, title: str):
    """A kind with one page at a fixed path."""

    def pages(kind: PageKind, lib: Library, planned: list[SitePage]) -> list[SitePage]:
        return [SitePage(src, kind, title)]

    return pages


def _topic_pages(kind: PageKind, lib: Library, planned: list[SitePage]) -> list[SitePage]:
    """A page per topic in curriculum order: its doc, else one generated from the
    curriculum (plans both `TOPIC_DOC` and `TOPIC`)."""
    out = []
    for t in lib.topics:
        doc = lib.topic_doc_path(t)
        src = lib.rel(doc)
        title = f"{t.key}. {t.title.split(' — ')[0]}" if t.key != "meta" else t.title
        if doc.is_file():
            out.append(SitePage(src, TOPIC_DOC, title, topic=t, path=doc))
        else:
            out.append(SitePage(src, TOPIC, title, topic=t))
    return out


def _card_pages(kind: PageKind, lib: Library, planned: list[SitePage]) -> list[SitePage]:
    """A page per resource in manifest order: its card, else a generated stub (plans both
    `CARD` and `CARD_STUB`); then cards whose id the manifest does not know."""
    out = []
    known = set()
    for r in lib.resources:
        known.add(r.id)
        path = lib.card_path(r.id)
        if path.is_file():
            out.append(SitePage(lib.rel(path), CARD, r.title, rid=r.id, path=path))
        else:
            out.append(SitePage(lib.rel(path), CARD_STUB, r.title, rid=r.id))
    cards_dir = lib.root / CARDS_DIR
    if cards_dir.is_dir():  # cards whose id the manifest does not know still render
        for path in sorted(cards_dir.glob("*.md")):
            if path.stem not in known and path.name not in INDEX_NAMES:
                out.append(SitePage(lib.rel(path), CARD, path.stem, rid=path.stem, path=path))
    return out


def _source_pages(kind: PageKind, lib: Library, planned: list[SitePage]) -> list[SitePage]:
    """Every converted source's full.md, then the other markdown files of its folder."""
    out = []
    for rid, path in full_mds(lib):
        title = lib.resource(rid).title if lib.has(rid) else rid
        out.append(SitePage(lib.rel(path), kind, title, rid=rid, path=path))
        for other in other_source_mds(path.parent):  # cards may cite these too
            name = other.relative_to(path.parent).as_posix()
            out.append(SitePage(lib.rel(other), kind, f"{title}: {name}", rid=rid, path=other))
    return out


def _curriculum_pages(kind: PageKind, lib: Library, planned: list[SitePage]) -> list[SitePage]:
    if not lib.curriculum_path.is_file():
        return []
    return [SitePage(CURRICULUM, kind, "Curriculum", path=lib.curriculum_path)]


def _guide_pages(kind: PageKind, lib: Library, planned: list[SitePage]) -> list[SitePage]:
    """Every other markdown file of refs/: reading guides, study agendas, crosswalks,
    the bridge doc (a path another kind planned is not planned again)."""
    taken = {p.src for p in planned}
    out = []
    for path in lib.guides():
        src = lib.rel(path)
        if src not in taken:
            title = lib.doc_title(path) or (
                "Implementation context" if src == BRIDGE_DOC else _title_of_name(path)
            )
            out.append(SitePage(src, kind, title, path=path))
    return out


def _title_of_name(path: Path) -> str:
    """`v1.1-generator-only-workers-crosswalk.md` -> "V1.1 generator only workers crosswalk"."""
    words = path.stem.replace("_", "-").split("-")
    return " ".join(w for w in words if w).capitalize() or path.name


# ---------- builders of generated pages and hooks of repo pages ----------
def _card(lib: Library, p: SitePage, markdown: str) -> str:
    if p.rid and lib.has(p.rid):
        return cards.card_page(lib, p.rid, markdown)
    return markdown


def _topic_doc(lib: Library, p: SitePage, markdown: str) -> str:
    return topics.topic_doc_page(lib, p.the_topic(), markdown)


def _dashboard(lib: Library, links: Links, p: SitePage) -> str:
    return dashboard.build_dashboard(lib, links)


def _catalog(lib: Library, links: Links, p: SitePage) -> str:
    return catalog.build_catalog(lib, links)


def _topics_index(lib: Library, links: Links, p: SitePage) -> str:
    return topics.build_topic_index(lib)


def _topic(lib: Library, links: Links, p: SitePage) -> str:
    return topics.build_topic_page(lib, p.the_topic())


def _cards_index(lib: Library, links: Links, p: SitePage) -> str:
    return cards.build_cards_index(lib)


def _card_stub(lib: Library, links: Links, p: SitePage) -> str:
    return cards.build_card_stub(lib, lib.resource(p.resource_id()))


def _sources_index(lib: Library, links: Links, p: SitePage) -> str:
    return sources.build_sources_index(lib)


# ---------- the table ----------
HOME_PAGE = PageKind(
    "home", HOME_SECTION, _one(HOME, "Home"), build=_dashboard, index=True, searched=False
)
TOPICS_INDEX_PAGE = PageKind(
    "topics-index", TOPICS_SECTION, _one(TOPICS_INDEX, "Topics"),
    build=_topics_index, index=True, searched=False,
)  # fmt: skip
TOPIC_DOC = PageKind(
    "topic-doc", TOPICS_SECTION, _topic_pages, judged=True, citing=True, prepare=_topic_doc
)
TOPIC = PageKind("topic", TOPICS_SECTION, _topic_pages, build=_topic)
CATALOG_PAGE = PageKind(
    "catalog", CATALOG_SECTION, _one(CATALOG, "Catalog"), build=_catalog, index=True
)
CARDS_INDEX_PAGE = PageKind(
    "cards-index", CARDS_SECTION, _one(CARDS_INDEX, "Cards"),
    build=_cards_index, index=True, searched=False,
)  # fmt: skip
CARD = PageKind(
    "card", CARDS_SECTION, _card_pages, label=CARD_LABEL,
    judged=True, claims=True, citing=True, decorate=_card,
)  # fmt: skip
# A resource with no card yet: its page stays (the catalog and dashboard link it), but
# the Cards tab lists cards only, not every resource of the manifest.
CARD_STUB = PageKind(
    "card-stub", CARDS_SECTION, _card_pages, build=_card_stub, label=RESOURCE_LABEL,
    in_nav=False,
)  # fmt: skip
SOURCES_INDEX_PAGE = PageKind(
    "sources-index", SOURCES_SECTION, _one(SOURCES_INDEX, "Sources"),
    build=_sources_index, index=True, searched=False,
)  # fmt: skip
SOURCE = PageKind("source", SOURCES_SECTION, _source_pages, label=SOURCE_LABEL, source=True)
CURRICULUM_PAGE = PageKind(
    "curriculum", CURRICULUM_SECTION, _curriculum_pages, judged=True, index=True
)
GUIDE = PageKind("doc", GUIDES_SECTION, _guide_pages, judged=True)

KINDS: tuple[PageKind, ...] = (
    HOME_PAGE, TOPICS_INDEX_PAGE, TOPIC_DOC, TOPIC, CATALOG_PAGE, CARDS_INDEX_PAGE, CARD,
    CARD_STUB, SOURCES_INDEX_PAGE, SOURCE, CURRICULUM_PAGE, GUIDE,
)  # fmt: skip
"""In nav order; kinds sharing a planner are planned where the first of them stands."""


def plan(lib: Library) -> list[SitePage]:
    """Every page of the site, in nav order within each section."""
    pages: list[SitePage] = []
    done = []
    for kind in KINDS:
        if kind.pages in done:
            continue  # planned with an earlier kind that shares its planner
        done.append(kind.pages)
        pages += kind.pages(kind, lib, pages)
    return pages
