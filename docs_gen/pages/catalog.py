"""Catalog: every resource in one table, sorted and filtered in the browser (our JS)."""

from __future__ import annotations

from markupsafe import Markup

from extract.full_md import full_md_rel
from extract.library import Library
from extract.manifest import PRIORITIES, STATUSES, TYPES

from ..links import Links, md_path
from .html import render
from .paths import CATALOG, card_src, topic_src
from .snippets import FULL_TEXT, ORIGINAL, STATUS_LABELS, badge, md_link, tick
from .titles import short_topic_title, topic_label

COLUMNS = (
    ("read", "Read"),
    ("title", "Resource"),
    ("type", "Type"),
    ("topic", "Topics"),
    ("priority", "Priority"),
    ("status", "Status"),
)


def _link(text: str, to_src: str) -> Markup:
    """A markdown link to a library page's `.md` file, inside the table's raw HTML (its
    cells are `markdown="span"`): MkDocs and Zensical each make it their URL, where a
    site URL in raw HTML was rewritten once more by Zensical and broke."""
    return Markup(md_link(text, md_path(CATALOG, to_src)))


def _row(lib: Library, links: Links, r) -> dict:
    byline = lib.byline(r.id)
    extra = []
    if lib.has_full_md(r.id):
        extra.append(_link(FULL_TEXT, full_md_rel(r.id)))
    if r.urls:
        extra.append(Markup(md_link(ORIGINAL, r.urls[0].replace(" ", "%20").replace(")", "%29"))))
    first = r.topics[0] if r.topics else ""
    return {
        "id": r.id,
        "title": r.title,
        "byline": byline,
        "type": r.type,
        "priority": r.priority,
        "status": r.status,
        "topics": [str(t) for t in r.topics],
        "topic_links": [
            _link(topic_label(k), src) if (src := topic_src(lib, k)) else topic_label(k)
            for k in r.topics
        ],
        "search_text": " ".join([r.id, r.title, byline]).lower(),
        "sort_topic": f"{first:03d}" if isinstance(first, int) else "999",
        "priority_rank": PRIORITIES.index(r.priority),
        "status_rank": STATUSES.index(r.status),
        "title_link": _link(r.title, card_src(r.id)),
        "extra": extra,
        "tick": Markup(tick(r.id, r.title)),
        "badge": Markup(badge(r.status)),
    }


def build_catalog(lib: Library, links: Links) -> str:
    resources = lib.resources
    used = {r.type for r in resources}
    filters = [
        {
            "name": "topic",
            "label": "Topic",
            "options": [
                (str(t.key), f"{t.label}: {short_topic_title(t.title)}") for t in lib.topics
            ],
        },
        {"name": "type", "label": "Type", "options": [(t, t) for t in TYPES if t in used]},
        {"name": "priority", "label": "Priority", "options": [(p, p) for p in PRIORITIES]},
        {
            "name": "status",
            "label": "Status",
            "options": [(s, STATUS_LABELS[s]) for s in STATUSES],
        },
    ]
    html = render(
        "catalog.html",
        filters=filters,
        columns=COLUMNS,
        rows=[_row(lib, links, r) for r in resources],
    )
    return "\n".join(
        [
            "# Catalog",
            "",
            f"All {len(resources)} resources of the library. Filter by topic, type, priority "
            "and status, search by title, and click a column to sort.",
            "",
            html.strip(),
            "",
        ]
    )
