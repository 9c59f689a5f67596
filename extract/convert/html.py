"""HTML reader: a fetched page -> one `Document` article.

`html_content` finds the article and strips the chrome, `html_markdown` renders
it; this module ties them together and handles the page's own heading ids.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from ..anchors import headings
from ..errors import RefsError
from ..markdown import PERMALINK_GLYPHS, walk
from .document import Document
from .html_content import (
    canonical_url,
    clean,
    main_content,
    page_author,
    page_date,
    page_title,
)
from .html_markdown import HEADINGS, Renderer

_MARKER = re.compile(r"""^<a id="([^"]+)"></a>$""")
_H1 = re.compile(r"^# \S")


def parse(data: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(data, "lxml")


def convert_html(data: bytes | str, url: str = "") -> Document:
    """Convert one page; ``url`` is its final URL (links are made absolute on it).

    Raises ValueError when the page holds no article text.
    """
    soup = parse(data)
    base = url or canonical_url(soup)
    author, date = page_author(soup), page_date(soup)
    clean(soup)
    article = main_content(soup)
    title = page_title(soup, article)
    _drop_permalinks(article)
    body = "\n\n".join(Renderer(base).blocks(article)).strip()
    if not _has_text(body):
        raise ValueError("no article text found in the page (empty or all site chrome)")
    if not _has_h1(body):
        body = f"# {title or 'Untitled page'}\n\n{body}"
    return Document(
        title=title or "Untitled page",
        body=body,
        author=author,
        source_url=base,
        date=date,
    )


def read_html(path: Path, url: str = "") -> Document:
    """Convert the page stored at ``path``; a page with no article is a RefsError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RefsError(f"cannot read the page: {exc.strerror}", path) from exc
    try:
        return convert_html(data, url)
    except ValueError as exc:
        raise RefsError(str(exc), path) from exc


def prune_anchors(markdown: str) -> str:
    """Drop `<a id>` markers equal to the anchor their heading gets anyway, and
    repeated markers, so only ids that add a citable fragment remain."""
    lines = markdown.split("\n")
    anchor_at = {h.line - 1: h.anchor for h in headings(markdown)}
    own = set(anchor_at.values())
    seen: set[str] = set()
    keep: list[str] = []
    for i, line in enumerate(lines):
        m = _MARKER.match(line)
        if m:
            ident = m.group(1)
            if anchor_at.get(i + 1) == ident or ident in seen or ident in own:
                continue
            seen.add(ident)
        keep.append(line)
    return "\n".join(keep)


def _drop_permalinks(article) -> None:
    """Headerlink glyphs (¶, #) next to headings and API signatures are chrome."""
    for a in article.find_all("a"):
        if a.decomposed:
            continue
        classes = " ".join(a.get("class") or []).lower()
        glyph = a.get_text(strip=True) in PERMALINK_GLYPHS
        owner = a.find_parent([*HEADINGS, "dt"])
        if "headerlink" in classes or (
            glyph
            and owner is not None
            and (a.get("href") or "").startswith("#")
            and not a.find(["img", "tex-math"])
        ):
            # An id carried only by the permalink still names the heading.
            ident = a.get("id") or a.get("name")
            if owner is not None and ident and not owner.get("id"):
                owner["id"] = ident
            a.decompose()


def _has_h1(markdown: str) -> bool:
    return any(not code and _H1.match(line) for _, line, code in walk(markdown.split("\n")))


def _has_text(body: str) -> bool:
    return bool(re.search(r"\w", re.sub(r"<a id=\"[^\"]*\"></a>|^#+ ", "", body, flags=re.M)))
