"""The navigation, derived from the planned pages (never a hand-kept list)."""

from __future__ import annotations

from extract.manifest import TYPES

from .labels import label
from .site_files import SitePage

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


def build_nav(pages: list[SitePage], types: dict[str, str]) -> list:
    """MkDocs `nav` config: Home, Topics (by group), Catalog, Cards (by type), Sources,
    Curriculum, Guides (every other markdown file under refs/). ``types`` maps resource
    id -> type."""
    by_kind: dict[str, list[SitePage]] = {}
    for p in pages:
        by_kind.setdefault(p.kind, []).append(p)

    def entry(p: SitePage) -> dict | str:
        return {p.title: p.src} if p.title else p.src

    nav: list = [{"Home": by_kind["home"][0].src}]

    topics: list = [by_kind["topics-index"][0].src]
    groups: dict[str, list] = {}
    for p in (q for q in pages if q.kind in ("topic", "topic-doc")):
        group = label(p.topic.group) if p.topic else "Other"  # a curriculum heading
        groups.setdefault(group, []).append(entry(p))
    topics += [{g: items} for g, items in groups.items()]
    nav.append({"Topics": topics})
    nav.append({"Catalog": by_kind["catalog"][0].src})

    cards: list = [by_kind["cards-index"][0].src]
    card_pages = [p for p in pages if p.kind in ("card", "card-stub")]
    for t in (*TYPES, None):
        items = [
            entry(p)
            for p in sorted(card_pages, key=lambda p: p.title.lower())
            if types.get(p.rid or "") == t
        ]
        if items:
            cards.append(
                {_TYPE_TITLES.get(t, "Not in the manifest") if t else "Not in the manifest": items}
            )
    nav.append({"Cards": cards})

    sources: list = [by_kind["sources-index"][0].src]
    sources += [entry(p) for p in by_kind.get("source", [])]
    nav.append({"Sources": sources})

    for p in by_kind.get("curriculum", []):
        nav.append({"Curriculum": p.src})
    guides = [entry(p) for p in by_kind.get("doc", [])]
    if guides:
        nav.append({"Guides": guides})
    return nav
