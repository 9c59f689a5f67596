"""Which pages and files the site has: a pure function of the `Library`.

The repo's relative paths are the site's paths (a card's `../../sources/x/full.md#a`
works on GitHub and in the site alike), so every repo file is added as a virtual file
under its own repo path, and generated pages sit where the repo has no file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.curriculum import Topic
from extract.full_md import FULL_MD, RAW_DIR
from extract.library import BRIDGE_DOC, CARDS_DIR, CURRICULUM, INDEX_NAMES, SOURCES_DIR, Library

from .pages.common import CARDS_INDEX, CATALOG, HOME, SOURCES_INDEX, TOPICS_INDEX

REPO_KINDS = ("card", "topic-doc", "source", "curriculum", "doc")
"""Pages whose markdown comes from a repo file (edited by people or converted from the
web): these get edit links, anchors, evidence rewriting and sanitising."""


@dataclass
class SitePage:
    src: str  # path in the site = path in the repo
    kind: str
    title: str = ""
    rid: str | None = None
    topic: Topic | None = None
    path: Path | None = None  # the repo file behind it, if any

    @property
    def from_repo(self) -> bool:
        return self.kind in REPO_KINDS


def plan(lib: Library) -> list[SitePage]:
    """Every page of the site, in nav order within each section."""
    pages = [
        SitePage(HOME, "home", "Home"),
        SitePage(TOPICS_INDEX, "topics-index", "Topics"),
    ]
    for t in lib.topics:
        doc = lib.topic_doc_path(t)
        src = lib.rel(doc)
        title = f"{t.key}. {t.title.split(' — ')[0]}" if t.key != "meta" else t.title
        if doc.is_file():
            pages.append(SitePage(src, "topic-doc", title, topic=t, path=doc))
        else:
            pages.append(SitePage(src, "topic", title, topic=t))
    pages.append(SitePage(CATALOG, "catalog", "Catalog"))
    pages.append(SitePage(CARDS_INDEX, "cards-index", "Cards"))
    known = set()
    for r in lib.resources:
        known.add(r.id)
        path = lib.card_path(r.id)
        kind = "card" if path.is_file() else "card-stub"
        pages.append(
            SitePage(lib.rel(path), kind, r.title, rid=r.id, path=path if path.is_file() else None)
        )
    cards_dir = lib.root / CARDS_DIR
    if cards_dir.is_dir():  # cards whose id the manifest does not know still render
        for path in sorted(cards_dir.glob("*.md")):
            if path.stem not in known and path.name not in INDEX_NAMES:
                pages.append(SitePage(lib.rel(path), "card", path.stem, rid=path.stem, path=path))
    pages.append(SitePage(SOURCES_INDEX, "sources-index", "Sources"))
    for rid, path in full_mds(lib):
        title = lib.resource(rid).title if lib.has(rid) else rid
        pages.append(SitePage(lib.rel(path), "source", title, rid=rid, path=path))
        for other in other_source_mds(path.parent):  # cards may cite these too
            name = other.relative_to(path.parent).as_posix()
            pages.append(
                SitePage(lib.rel(other), "source", f"{title}: {name}", rid=rid, path=other)
            )
    if lib.curriculum_path.is_file():
        pages.append(SitePage(CURRICULUM, "curriculum", "Curriculum", path=lib.curriculum_path))
    taken = {p.src for p in pages}
    for path in lib.guides():  # reading guides, study agendas, crosswalks, the bridge doc
        src = lib.rel(path)
        if src not in taken:
            title = lib.doc_title(path) or (
                "Implementation context" if src == BRIDGE_DOC else _title_of_name(path)
            )
            pages.append(SitePage(src, "doc", title, path=path))
    return pages


def _title_of_name(path: Path) -> str:
    """`v1.1-generator-only-workers-crosswalk.md` -> "V1.1 generator only workers crosswalk"."""
    words = path.stem.replace("_", "-").split("-")
    return " ".join(w for w in words if w).capitalize() or path.name


def is_library_file(lib: Library, path: str | Path | None) -> bool:
    """A file of the library itself (under refs/ or sources/, or the curriculum): the site
    publishes those under their repo paths, so a copy MkDocs found in its `docs_dir`
    (`docs_dir: refs` in mkdocs.yml) is dropped."""
    if not path:
        return False
    p = Path(path).resolve()
    if p == lib.curriculum_path:
        return True
    return any(p.is_relative_to(lib.root / d) for d in ("refs", SOURCES_DIR))


def full_mds(lib: Library) -> list[tuple[str, Path]]:
    """(id, path) of every converted resource: manifest order, then any others."""
    seen = []
    for r in lib.resources:
        if lib.has_full_md(r.id):
            seen.append((r.id, lib.full_md_path(r.id)))
    sources = lib.root / SOURCES_DIR
    if sources.is_dir():
        ids = {rid for rid, _ in seen}
        for path in sorted(sources.glob("*/full.md")):
            if path.parent.name not in ids:
                seen.append((path.parent.name, path))
    return seen


def other_source_mds(folder: Path) -> list[Path]:
    """A source's markdown files besides full.md (never its raw artifacts)."""
    found = []
    for p in folder.rglob("*.md"):
        parts = p.relative_to(folder).parts
        if p.is_file() and parts != (FULL_MD,) and parts[0] != RAW_DIR:
            if not any(part.startswith(".") for part in parts):  # staging folders
                found.append(p)
    return sorted(found)


def raw_files(lib: Library) -> list[tuple[str, Path]]:
    """(site path, file) of every raw artifact, published only when configured."""
    sources = lib.root / SOURCES_DIR
    if not sources.is_dir():
        return []
    return [(lib.rel(p), p) for p in sorted(sources.glob("*/raw/**/*")) if p.is_file()]
