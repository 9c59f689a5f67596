"""Formulas in a heading's or a title's text wherever the site prints it outside the body.

The page body gets its formulas as MathML from the HTML pass (`mathml.render_math`), a
heading's too. Material also prints a heading's text in the table of contents (MkDocs'
`page.toc`, plain text Python-Markdown stripped of tags, where arithmatex's formula
reads `\\(\\frac{k-4}{B+k-14}\\)`), and a page's title in the nav, the header, the
footer's previous/next links, `<title>` and search results (as written: `$O(n^2)$`).
GitHub shows a formula in a heading as a formula; so does the site, per place:

- HTML places (toc, nav, header, footer): MathML, the body's conversion
  (`mathml.tex_to_mathml`). Material's own hook for a title with markup is `typeset`
  (`{"title": html}` on a toc item or a nav page, what its typeset plugin sets): its
  templates print it instead of the text title, in the toc link (so the link and its
  href stay Material's).
- Text places (`<title>`, a search result's title, an `aria-label`): the TeX without
  its delimiters, `4.1 Bound on \\frac{k-4}{B+k-14}`: HTML cannot hold MathML there, the
  TeX is what a reader of a formula reads and types, and `$`/`\\(` around it are only
  markup noise.

Only text with a formula pays: a toc is looked at when one of its titles holds
arithmatex's `\\(`, a title when it holds `$` or `\\(`; nothing else changes, byte for
byte. Formulas are found by arithmatex's own patterns (`mathml.inline_formulas`), so a
title's `$5 and $10` stays money, as it does in the body.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from extract.anchors import headings
from extract.markdown import prose_lines

from .mathml import inline_formulas, inline_mathml

# A heading as Python-Markdown writes it (`<h2 id="...">`), its inner HTML; the permalink
# the toc extension appends; the span arithmatex leaves where a formula was.
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_FORMULA = re.compile(r'<span class="arithmatex">(.*?)</span>', re.S)
_DELIMITED = re.compile(r"^\s*\\\((?P<tex>.*?)\\\)\s*$", re.S)
_TAG = re.compile(r"<[^>]*>")
TOC_MARK = "\\("  # arithmatex's inline delimiter, in a toc title's text


# ---------- titles given as text (nav, header, <title>, labels) ----------
def has_formula(text: str) -> bool:
    """Whether ``text`` (as written) holds an inline formula; cheap when it cannot."""
    if "$" not in text and "\\(" not in text:
        return False
    return any(True for _ in inline_formulas(text))


def title_html(text: str) -> str | None:
    """``text`` (plain, as written) as HTML: each inline formula as MathML, the rest
    escaped; None when it holds no formula (the caller keeps what it had)."""
    pieces, pos = [], 0
    for start, end, tex in inline_formulas(text):
        pieces += [html.escape(text[pos:start], quote=False), inline_mathml(tex)]
        pos = end
    if not pieces:
        return None
    return "".join(pieces) + html.escape(text[pos:], quote=False)


def plain_title(text: str) -> str:
    """``text`` with each inline formula's delimiters dropped: its TeX, as written."""
    pieces, pos = [], 0
    for start, end, tex in inline_formulas(text):
        pieces += [text[pos:start], tex]
        pos = end
    return "".join(pieces) + text[pos:] if pieces else text


def escaped_title(shown: str) -> tuple[str, str] | None:
    """A title as MkDocs prints it (HTML-escaped, `labels.label`), when it holds a
    formula: (HTML with MathML, its text for `<title>` escaped); None when it holds none
    (the title is left as it is)."""
    if not has_formula(text := html.unescape(shown)):
        return None
    rich = title_html(text)
    return (rich, html.escape(plain_title(text), quote=True)) if rich else None


# ---------- the footer's previous/next links (in the printed page) ----------
_FOOTER = '<footer class="md-footer">'
_FOOTER_LINK = re.compile(
    r'(<a href="[^"]*" class="md-footer__link md-footer__link--(?:prev|next)" '
    r'aria-label="[^":]*: )(?P<label>[^"]*)(">.*?<div class="md-ellipsis">\s*)'
    r"(?P<title>[^<]*?)(\s*</div>)",
    re.S,
)


def footer_titles(page_html: str, titles: dict[str, tuple[str, str]]) -> str:
    """The printed page with the footer's links to a neighbour whose title holds a
    formula showing it as MathML, their `aria-label` as text. ``titles``: the title as
    Material prints it (`page.title`) -> `escaped_title`'s (HTML, text). Material's
    footer prints the title alone, with no `typeset` hook; the page is edited rather
    than a copy of its template kept."""
    start = page_html.find(_FOOTER)
    if start < 0 or not titles:
        return page_html

    def one(m: re.Match[str]) -> str:
        shown = titles.get(m.group("title"))
        if shown is None:
            return m.group(0)
        return f"{m.group(1)}{shown[1]}{m.group(3)}{shown[0]}{m.group(5)}"

    return page_html[:start] + _FOOTER_LINK.sub(one, page_html[start:])


# ---------- the exported markdown (`refs site --out`: no plugin, no HTML pass) ----------
TITLE_TEXT = "refs_title_text"  # main.html prints it unescaped: only we may set it


def export_meta(meta: dict) -> dict:
    """A page's front matter for the export: a `title` with a formula as the plugin's
    header has it (MathML) and its text as `refs_title_text` (main.html's `<title>`)."""
    if TITLE_TEXT in meta:  # never the page's own
        meta = {k: v for k, v in meta.items() if k != TITLE_TEXT}
    title = meta.get("title")
    if not isinstance(title, str) or (shown := escaped_title(title)) is None:
        return meta
    return {**meta, "title": shown[0], TITLE_TEXT: shown[1]}


_TAGGED = re.compile(r"^(?P<head>#{1,6} )(?P<text>.*?) \{ #(?P<anchor>[^\s{}]+) \}[ \t]*$")
_LABEL_SPECIAL = re.compile(r"[^\w ]")


def toc_labels(markdown: str) -> str:
    """Each heading with a formula labelled for the table of contents with its text, the
    formula as TeX (`data-toc-label`). A plain build lists a heading by its text content
    (a formula's MathML reads `k−4B+k−14` there) and a toc label holds text only.
    Headings are the lines `headings.with_heading_ids` wrote (`## text { #anchor }`),
    their text (formulas as TeX) as `extract.anchors` reads it; every character but
    letters, digits and spaces is a character reference, which neither attr_list (a `}`
    ends it) nor Markdown (`*`, `_`) takes for syntax and Python-Markdown's toc keeps."""
    if "$" not in markdown and "\\(" not in markdown:
        return markdown
    lines = markdown.split("\n")
    for i in prose_lines(lines):
        m = _TAGGED.match(lines[i])
        if m is None or not has_formula(m.group("text")):  # a code span's `$x$` is code
            continue
        found = headings(m.group("head") + plain_title(m.group("text")))
        if not found:
            continue
        label = _LABEL_SPECIAL.sub(lambda c: f"&#{ord(c.group(0))};", found[0].text)
        lines[i] = (
            f"{m.group('head')}{m.group('text')} "
            f'{{ #{m.group("anchor")} data-toc-label="{label}" }}'
        )
    return "\n".join(lines)


# ---------- the table of contents (from the page's HTML) ----------
def _flatten(items: Iterable) -> Iterator:
    for item in items:
        yield item
        yield from _flatten(item.children)


def toc_formulas(toc: Iterable, page_html: str) -> list[str]:
    """Each toc entry whose heading holds a formula gets `typeset` (its text with the
    formula as MathML, for Material's toc) and a title without the delimiters (the
    nested list's `aria-label`). ``page_html`` is the sanitised body, before the MathML
    pass: its headings are read, not the toc's text, so a code span that shows `\\(x\\)`
    is not taken for a formula. Returns the formulas as the body's text shows them
    (`\\(tex\\)`, HTML-escaped), for `search_titles`."""
    items = [t for t in _flatten(toc) if TOC_MARK in t.title]
    if not items:
        return []
    wanted = {html.escape(t.id): t for t in items}
    shown: list[str] = []
    for m in _HEADING.finditer(page_html):
        item = wanted.get(m.group(2))
        if item is None or 'class="arithmatex"' not in m.group(3):
            continue
        inner = _PERMALINK.sub("", m.group(3))
        rich, text, mine, pos = [], [], [], 0
        for f in _FORMULA.finditer(inner):
            words = _TAG.sub("", inner[pos : f.start()])  # as Material's toc: text only
            d = _DELIMITED.match(html.unescape(f.group(1)))
            tex = d.group("tex").strip() if d else html.unescape(f.group(1)).strip()
            rich += [words, inline_mathml(tex)]
            text += [words, html.escape(tex, quote=False)]
            mine.append(f.group(1))
            pos = f.end()
        words = _TAG.sub("", inner[pos:])
        item.typeset = {"title": ("".join(rich) + words).strip()}
        item.title = ("".join(text) + words).strip()
        item.refs_formulas = mine  # kept with the toc (a served rebuild restores it)
        shown += mine
    return shown


def page_formulas(toc: Iterable) -> list[str]:
    """The formulas `toc_formulas` found in a page's headings."""
    return [f for t in _flatten(toc) for f in getattr(t, "refs_formulas", ())]


def search_titles(
    entries: list[dict], shown: Iterable[str], titled: tuple[object, object] = (None, None)
) -> None:
    """Search results' titles with each of the page's heading formulas as its TeX: the
    search plugin reads the body before the MathML pass (its text keeps the formula's
    TeX, what a reader types), and prints a title as text. ``titled`` is the page's
    (`meta.title`, `meta.refs_title_text`): the search plugin names a section that has
    no heading after the page's title, which for a title with a formula is MathML."""
    found = sorted(set(shown), key=len, reverse=True)
    for entry in entries:
        title = entry.get("title")
        if titled[1] and title == titled[0]:
            entry["title"] = titled[1]
            continue
        if not isinstance(title, str) or TOC_MARK not in title:
            continue
        for delimited in found:
            if delimited in title:
                d = _DELIMITED.match(delimited)
                title = title.replace(delimited, d.group("tex").strip() if d else delimited)
        entry["title"] = title


__all__ = [
    "TITLE_TEXT",
    "escaped_title",
    "export_meta",
    "footer_titles",
    "has_formula",
    "page_formulas",
    "plain_title",
    "search_titles",
    "title_html",
    "toc_formulas",
    "toc_labels",
]
