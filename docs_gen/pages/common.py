"""Facts and snippets every page builder shares: paths, badges, next steps."""

from __future__ import annotations

import html

from extract.library import CARDS_DIR, TOPICS_DIR, Library
from extract.manifest import STATUSES, Resource
from extract.markdown import escape

HOME = "index.md"
CATALOG = "catalog.md"
TOPICS_INDEX = f"{TOPICS_DIR}/index.md"
CARDS_INDEX = f"{CARDS_DIR}/index.md"
SOURCES_INDEX = "sources/index.md"
CURRICULUM = "distributed_video_dit_inference.md"

STATUS_LABELS = {
    "pending": "pending",
    "fetched": "fetched",
    "converted": "converted",
    "condensed": "condensed",
    "link_only": "link only",
}
assert set(STATUS_LABELS) == set(STATUSES)


def card_src(rid: str) -> str:
    return f"{CARDS_DIR}/{rid}.md"


def topic_src(lib: Library, key: int | str) -> str | None:
    """The site path of a topic's page: its doc's repo path (found by number)."""
    topic = lib.topic(key)
    return lib.rel(lib.topic_doc_path(topic)) if topic else None


def topic_label(key: int | str) -> str:
    return "meta" if key == "meta" else str(key)


def badge(status: str) -> str:
    """An inline status badge (HTML, safe in markdown and in raw HTML blocks)."""
    label = STATUS_LABELS.get(status, status)
    return f'<span class="refs-badge refs-status-{html.escape(status)}">{html.escape(label)}</span>'


def tick(rid: str, title: str) -> str:
    """The learner's "read" checkbox; its state lives in the browser (our JS)."""
    return (
        f'<input type="checkbox" class="refs-tick" data-rid="{html.escape(rid)}" '
        f'aria-label="Mark {html.escape(title, quote=True)} as read" title="Mark as read">'
    )


def md_link(text: str, target: str) -> str:
    return f"[{escape(text, html=True, table=True)}]({target})"


def text(value: str) -> str:
    """Library-derived text (a title, a group name) as markdown that shows it as written:
    `Evil <script>` stays words, `vector<int>` reads as `vector<int>`."""
    return escape(value, html=True)


def cell(text: str) -> str:
    """Text for a markdown table cell."""
    return escape(text, html=True, table=True)


def topics_text(lib: Library, res: Resource, from_src: str) -> str:
    """Markdown links to the resource's topic pages."""
    from ..links import md_path

    out = []
    for key in res.topics:
        src = topic_src(lib, key)
        label = topic_label(key)
        out.append(f"[{label}]({md_path(from_src, src)})" if src else label)
    return ", ".join(out)
