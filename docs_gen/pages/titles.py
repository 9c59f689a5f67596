"""What a page is and where it sits: the kind label of its H1 and header title, its
breadcrumb and topic links, and the notes placed under its title."""

from __future__ import annotations

import html
import re

from extract.library import Library
from extract.manifest import Resource
from extract.markdown import atx_heading, prose_lines, rewrite_inline, walk

from .paths import topic_page, topic_src
from .snippets import cell, md_link

# What a page is, said in its H1 (and, through its page kind's `label`, in its header
# title), so that a card, its source and the resource page of a card not yet written
# never share a title (in the header, the tab or search results).
DASHBOARD_LABEL = "Dashboard"
CARD_LABEL = "Card"
RESOURCE_LABEL = "Resource"
SOURCE_LABEL = "Source"


def topic_label(key: int | str) -> str:
    return "meta" if key == "meta" else str(key)


def short_topic_title(title: str) -> str:
    return title.split(" — ")[0]


def topics_text(lib: Library, res: Resource, from_src: str) -> str:
    """Markdown links to the resource's topic pages."""
    from ..links import md_path

    out = []
    for key in res.topics:
        src = topic_src(lib, key)
        label = topic_label(key)
        out.append(f"[{label}]({md_path(from_src, src)})" if src else label)
    return ", ".join(out)


# ---------- what the page is ----------
def kind_span(label: str) -> str:
    """The label an H1 starts with: shown above the title, read as "Card: " in text
    (search results, the table of contents)."""
    return f'<span class="refs-kind">{html.escape(label)}<span class="refs-sep">: </span></span>'


_LONG_TOKEN = re.compile(r"[^\s<>&]{19,}")
_TRAILING_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")


def soft_breaks(text: str) -> str:
    """Markdown/HTML text with break chances (`<wbr>`) after `.`, `_` and `/` inside long
    tokens (`torch.use_deterministic_algorithms`), so a title that cannot fit a phone's
    line breaks there, not at an arbitrary letter."""
    return _LONG_TOKEN.sub(lambda m: re.sub(r"(?<=[._/])(?=\w)", "<wbr>", m.group(0)), text)


def with_kind_label(markdown: str, label: str) -> str:
    """The page's first H1 labelled with what the page is (Card, Source, ...), its long
    tokens breakable (`soft_breaks`).

    Run after heading ids are fixed: the heading keeps the anchor of its text as
    written, so a citation of a source's title still lands.
    """
    lines = markdown.split("\n")
    for i in prose_lines(lines):
        h = atx_heading(lines[i])
        if h and h[0] == 1:
            head, _, rest = lines[i].partition("#")
            rest = rest.lstrip("#").strip()
            m = _TRAILING_ATTRS.search(rest)
            text, attrs = (rest[: m.start()], rest[m.start() :]) if m else (rest, "")
            text = rewrite_inline(text, lambda p: soft_breaks(p.raw) if p.kind == "text" else None)
            lines[i] = f"{head}# {kind_span(label)}{text}{attrs}"
            return "\n".join(lines)
    return markdown


def header_title(label: str, title: str) -> str | None:
    """The header and tab title of a page whose kind has this label ("Card: ..."),
    HTML-escaped as Material prints it; None where the page's own title is distinct
    already (no label)."""
    if not label or not title:
        return None
    return html.escape(f"{label}: {title}", quote=True)


def after_title(markdown: str, block: str) -> str:
    """Insert a block after the page's first `# ` heading (or at the top)."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if (atx_heading(line) or (0,))[0] == 1:
            return "\n".join(lines[: i + 1] + ["", block, ""] + lines[i + 1 :])
        if line.strip():
            break
    return block + "\n\n" + markdown


def breadcrumb(steps: list[list[tuple[str, str]]]) -> str:
    """Where the page sits, as a markdown paragraph (MkDocs checks its links).

    Each step is a list of (text, target) side by side (a resource in two topics); the
    last step is the page itself (target ""). Steps with no parts are left out.
    """
    shown = []
    for step in steps:
        parts = [md_link(text, target) if target else cell(text) for text, target in step]
        if parts:
            shown.append(" · ".join(parts))
    if not shown:
        return ""
    return (
        " › ".join(shown)
        + '\n{: .refs-crumbs role="navigation" aria-label="Breadcrumb" data-search-exclude }'
    )


def topic_crumbs(lib: Library, res: Resource | None, here: str) -> list[tuple[str, str]]:
    """The topics of a resource: one breadcrumb step (side by side when several)."""
    from ..links import md_path

    if res is None:
        return []
    out = []
    for key in res.topics:
        topic = lib.topic(key)
        if topic is not None:
            text = f"{topic.label}: {short_topic_title(topic.title)}"
            out.append((text, md_path(here, topic_page(lib, topic))))
    return out


def with_page_status(markdown: str, status: str) -> str:
    """The page's own `status:` front matter (`draft`) said in words under its title.

    Material would show it as an unexplained icon in the nav (its page-status feature);
    the plugin drops that meta key, so the page says it here instead, in both builds."""
    note = f"*Status: {cell(status.strip())}* (the author's own mark on this page)"
    line = f"{note}\n{{: .refs-page-status data-search-exclude }}"
    lines = markdown.split("\n")
    for i, text, in_code in walk(lines):
        if not in_code and (h := atx_heading(text)) and h[0] == 1:
            return "\n".join([*lines[: i + 1], "", line, "", *lines[i + 1 :]])
    return f"{line}\n\n{markdown}"
