"""Catalog: every resource in one table, sorted and filtered in the browser (our JS)."""

from __future__ import annotations

import html

from extract.full_md import full_md_rel
from extract.library import Library
from extract.manifest import PRIORITIES, STATUSES, TYPES

from ..links import Links
from .common import (
    CATALOG,
    STATUS_LABELS,
    badge,
    card_src,
    tick,
    topic_label,
    topic_src,
)


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(
        f'<option value="{html.escape(v, quote=True)}">{html.escape(t)}</option>'
        for v, t in options
    )
    return (
        f'<label class="refs-filter">{html.escape(label)} '
        f'<select data-filter="{name}"><option value="">all</option>{opts}</select></label>'
    )


def build_catalog(lib: Library, links: Links) -> str:
    resources = lib.resources
    topics = [(str(t.key), f"{t.label}: {t.title.split(' — ')[0]}") for t in lib.topics]
    used = {r.type for r in resources}
    controls = (
        '<div class="refs-catalog-controls">'
        '<label class="refs-filter">Search <input type="search" data-filter="text" '
        'placeholder="title, id, byline"></label>'
        + _select("topic", "Topic", topics)
        + _select("type", "Type", [(t, t) for t in TYPES if t in used])
        + _select("priority", "Priority", [(p, p) for p in PRIORITIES])
        + _select("status", "Status", [(s, STATUS_LABELS[s]) for s in STATUSES])
        + f'<span class="refs-catalog-count" data-refs-shown>{len(resources)}</span>'
        f" of {len(resources)} shown</div>"
    )
    head = "".join(
        f'<th data-sort="{k}" aria-sort="none"><button type="button">{t}</button></th>'
        for k, t in (
            ("read", "Read"),
            ("title", "Resource"),
            ("type", "Type"),
            ("topic", "Topics"),
            ("priority", "Priority"),
            ("status", "Status"),
        )
    )
    rows = []
    for order, r in enumerate(resources):
        byline = lib.byline(r.id)
        topic_links = ", ".join(
            f'<a href="{html.escape(links.href(CATALOG, src))}">{topic_label(k)}</a>'
            if (src := topic_src(lib, k))
            else topic_label(k)
            for k in r.topics
        )
        extra = ""
        if lib.has_full_md(r.id):
            extra += (
                f' · <a href="{html.escape(links.href(CATALOG, full_md_rel(r.id)))}">full.md</a>'
            )
        if r.urls:
            extra += f' · <a href="{html.escape(r.urls[0], quote=True)}">source ↗</a>'
        first_topic = r.topics[0] if r.topics else ""
        sort_topic = f"{first_topic:03d}" if isinstance(first_topic, int) else "999"
        rows.append(
            f'<tr data-rid="{html.escape(r.id)}" data-order="{order}" '
            f'data-topic="{html.escape(" ".join(str(t) for t in r.topics))}" '
            f'data-type="{html.escape(r.type)}" data-priority="{html.escape(r.priority)}" '
            f'data-status="{html.escape(r.status)}" '
            f'data-text="{html.escape(" ".join([r.id, r.title, byline]).lower(), quote=True)}" '
            f'data-sort-title="{html.escape(r.title.lower(), quote=True)}" '
            f'data-sort-topic="{sort_topic}" data-sort-type="{html.escape(r.type)}" '
            f'data-sort-priority="{PRIORITIES.index(r.priority)}" '
            f'data-sort-status="{STATUSES.index(r.status)}">'
            f"<td>{tick(r.id, r.title)}</td>"
            f'<td><a href="{html.escape(links.href(CATALOG, card_src(r.id)))}">{html.escape(r.title)}</a>'
            + (f"<br><small>{html.escape(byline)}</small>" if byline else "")
            + (f"<br><small>{extra.removeprefix(' · ')}</small>" if extra else "")
            + "</td>"
            f"<td>{html.escape(r.type)}</td><td>{topic_links}</td>"
            f"<td>{html.escape(r.priority)}</td><td>{badge(r.status)}</td></tr>"
        )
    table = (
        '<table class="refs-catalog"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    return "\n".join(
        [
            "# Catalog",
            "",
            f"All {len(resources)} resources of the library. Filter by topic, type, priority "
            "and status, search by title, and click a column to sort.",
            "",
            controls,
            "",
            table,
            "",
        ]
    )
