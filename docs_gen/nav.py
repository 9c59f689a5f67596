"""The navigation, derived from the planned pages (never a hand-kept list): each page's
kind names its `Section`, and the section arranges its pages."""

from __future__ import annotations

from extract.manifest import TYPES

from .labels import label
from .site_files import Section, SitePage

_TYPE_TITLES = {
    "paper": "Papers",
    "docs": "Docs",
    "blog": "Blogs",
    "code": "Code",
    "video": "Videos",
    "essay": "Essays",
    "podcast": "Podcasts",
    "lecture": "Lectures",
}
_NOT_IN_MANIFEST = "Not in the manifest"


def entry(p: SitePage) -> dict | str:
    return {p.title: p.src} if p.title else p.src


def in_order(pages: list[SitePage], types: dict[str, str]) -> list:
    """The pages as planned."""
    return [entry(p) for p in pages]


def by_topic_group(pages: list[SitePage], types: dict[str, str]) -> list:
    """One entry per curriculum group, its topics in curriculum order."""
    groups: dict[str, list] = {}
    for p in pages:
        group = label(p.topic.group) if p.topic else "Other"  # a curriculum heading
        groups.setdefault(group, []).append(entry(p))
    return [{g: items} for g, items in groups.items()]


def by_resource_type(pages: list[SitePage], types: dict[str, str]) -> list:
    """One entry per resource type (papers, docs, ...), each sorted by title; pages
    whose id the manifest does not know last."""
    out = []
    for t in (*TYPES, None):
        items = [
            entry(p)
            for p in sorted(pages, key=lambda p: p.title.lower())
            if types.get(p.rid or "") == t
        ]
        if items:
            out.append({_TYPE_TITLES.get(t, _NOT_IN_MANIFEST) if t else _NOT_IN_MANIFEST: items})
    return out


def build_nav(pages: list[SitePage], types: dict[str, str]) -> list:
    """MkDocs `nav` config: the sections in the order their first page is planned (Home,
    Topics, Catalog, Cards, Sources, Curriculum, Guides); a section with no page is left
    out. ``types`` maps resource id -> type."""
    sections: dict[Section, list[SitePage]] = {}
    for p in pages:
        if p.kind.in_nav:
            sections.setdefault(p.kind.section, []).append(p)
    nav: list = []
    for section, members in sections.items():
        if section.arrange is None:
            nav += [{section.title: p.src} for p in members]
            continue
        items: list = [p.src for p in members if p.kind.index]
        items += section.arrange([p for p in members if not p.kind.index], types)
        nav.append({section.title: items})
    return nav
