"""The navigation, derived from the planned pages (never a hand-kept list): each page's
kind names its `Section`, and the section arranges its pages.

Every page carries the part of the nav Material shows beside it (`navigation.prune`):
the sections of its tab, each with its entries, and the groups along its own path. A
list that grows with the library (the cards of a type, the sources) would put every
card on every card's page, so the site would grow as the square of the library. A tab
of more than `LIMIT` pages shows each section's entries in consecutive groups of at
most `PAGES_PER_GROUP`, named by their first and last entries, a level down, where
Material shows a group closed unless the page is in it; more than `GROUPS_PER_LEVEL`
groups go in ranges of groups the same way, level by level. A page's nav then holds
its own group, the few groups or ranges along its path and the few at the top of each
section: about the same size however large the library (Material prints and renders
every entry of it on every page, so this is most of what a page costs past the limit).
"""

from __future__ import annotations

import re

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
_PARTIAL_ENTITY = re.compile(r"&[#\w]*$")  # `&am` of a cut `&amp;`
LIMIT = 100  # pages of a tab whose lists stay flat (a library of 100 sources keeps them)
PAGES_PER_GROUP = 20  # past LIMIT: the pages of one group
GROUPS_PER_LEVEL = 5  # past LIMIT: the groups (or ranges of them) side by side in a list


def entry(p: SitePage) -> dict | str:
    return {p.title: p.src} if p.title else p.src


def in_order(pages: list[SitePage], types: dict[str, str]) -> list:
    """The pages as planned."""
    return [entry(p) for p in pages]


def in_order_or_by_type(pages: list[SitePage], types: dict[str, str]) -> list:
    """The pages as planned; more than `LIMIT` of them: by resource type (each type's
    entries a section of its own, grouped in turn), as a flat list cannot be shortened
    at a level Material always shows open."""
    if len(pages) <= LIMIT:
        return in_order(pages, types)
    return by_resource_type(pages, types)


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
        nav.append({section.title: _bounded_tab(items)})
    return nav


def _bounded_tab(items: list) -> list:
    """A tab's entries as Material shows them on each of its pages: the tab's sections
    are always open, so past `LIMIT` pages in the tab each section's entries go in
    closed groups (one even when few), in closed ranges of groups past
    `GROUPS_PER_LEVEL` of them, and only the groups holding the page open."""
    if _pages(items) <= LIMIT:
        return items
    out: list = []
    for item in items:
        children = next(iter(item.values())) if isinstance(item, dict) else None
        if not isinstance(children, list):
            out.append(item)
            continue
        grouped = _grouped(children, PAGES_PER_GROUP)
        while len(grouped) > GROUPS_PER_LEVEL:
            grouped = _grouped(grouped, GROUPS_PER_LEVEL)
        out.append({next(iter(item)): grouped})
    return out


def _pages(items: list) -> int:
    return sum(
        _pages(v)
        if isinstance(v := next(iter(x.values())) if isinstance(x, dict) else x, list)
        else 1
        for x in items
    )


def _grouped(items: list, most: int) -> list:
    """Consecutive groups of at most ``most`` entries, as even as they go."""
    n = -(-len(items) // most)  # groups
    size = -(-len(items) // n)
    return [{_span(items[i : i + size]): items[i : i + size]} for i in range(0, len(items), size)]


def _span(items: list) -> str:
    """A group's name: its first and last entries' titles (escaped already), shortened."""
    return f"{_short(_first_title(items[0]))} – {_short(_last_title(items[-1]))}"


def _first_title(item: dict | str) -> str:
    if isinstance(item, str):
        return item
    ((title, children),) = item.items()
    return _first_title(children[0]) if isinstance(children, list) else title


def _last_title(item: dict | str) -> str:
    if isinstance(item, str):
        return item
    ((title, children),) = item.items()
    return _last_title(children[-1]) if isinstance(children, list) else title


def _short(title: str, width: int = 28) -> str:
    """At most ``width`` characters, cut between words (an escaped `&amp;` stays whole)."""
    if len(title) <= width:
        return title
    cut = title[:width].rsplit(" ", 1)[0]
    return _PARTIAL_ENTITY.sub("", cut).rstrip(" ,.:") + "…"
