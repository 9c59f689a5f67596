"""Small pieces of markdown and HTML the page builders share: status badges, read
ticks, links and table cells escaped as markdown, and the maintainers' block."""

from __future__ import annotations

import html

from markupsafe import Markup

from extract.manifest import STATUSES
from extract.markdown import CODE_SPAN, escape

from ..heading_math import has_formula, plain_title, title_html
from .html import render

STATUS_LABELS = {
    "pending": "pending",
    "fetched": "fetched",
    "converted": "converted",
    "condensed": "condensed",
    "link_only": "link only",
}
assert set(STATUS_LABELS) == set(STATUSES)

FULL_TEXT = "full text"  # the link text of a converted source, instead of its path
ORIGINAL = "original ↗"


def badge(status: str) -> str:
    """An inline status badge (HTML, safe in markdown and in raw HTML blocks)."""
    label = STATUS_LABELS.get(status, status)
    return f'<span class="refs-badge refs-status-{html.escape(status)}">{html.escape(label)}</span>'


def tick(rid: str, title: str) -> str:
    """The learner's "read" checkbox; its state lives in the browser (our JS)."""
    return (
        f'<input type="checkbox" class="refs-tick" data-rid="{html.escape(rid)}" '
        f'aria-label="Mark {attr_text(title)} as read" title="Mark as read">'
    )


def title_in_html(title: str) -> str:
    """A title inside raw HTML (which arithmatex leaves alone): its formulas as MathML,
    as the body shows them; escaped text otherwise."""
    return title_html(title) or html.escape(title)


def attr_text(title: str) -> str:
    """A title in an attribute value. One with a formula reads as its TeX (an attribute
    holds text, not MathML), its `$` and `\\` as character references: arithmatex reads
    an inline HTML tag's attributes as text, and would put the formula's MathML inside
    the attribute, ending it."""
    if not has_formula(title):
        return html.escape(title, quote=True)
    inert = html.escape(plain_title(title), quote=True)
    return inert.replace("$", "&#36;").replace("\\", "&#92;")


def md_link(text: str, target: str) -> str:
    return f"[{escape(text, html=True, table=True)}]({target})"


def text(value: str) -> str:
    """Library-derived text (a title, a group name) as markdown that shows it as written:
    `Evil <script>` stays words, `vector<int>` reads as `vector<int>`."""
    return escape(value, html=True)


def cell(text: str) -> str:
    """Text for a markdown table cell."""
    return escape(text, html=True, table=True)


# ---------- the maintainers' block ----------
def inline_code(text: str) -> Markup:
    """Plain text whose `code spans` become <code> (for the next-step sentences)."""
    out, pos = [], 0
    for m in CODE_SPAN.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<code>{html.escape(m.group(2).strip())}</code>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return Markup("".join(out))


def maintainers(items: list[tuple[str, str]]) -> str:
    """A collapsed "For maintainers" block: (sentence, command-or-path) pairs.

    What a contributor needs (commands, repo paths, warnings) stays on the page but out
    of the learner's way, and out of search (`data-search-exclude`).
    """
    rows = [(inline_code(text), code) for text, code in items if text or code]
    if not rows:
        return ""
    return render("maintainers.html", items=rows).strip()
