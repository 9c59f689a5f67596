"""HTML reader: a fetched page -> one `Document` article.

`html_content` finds the article and strips the chrome, `html_ids` keeps the
page's own ids, `html_markdown` renders it; this module ties them together:
`load` reads a page down to its article, `render` writes it as markdown (given
the ids other pages' links point at), `convert_html` does both for one page.

A page whose article is empty while its scripts carry the content (a
JavaScript-rendered page: Next.js, Nuxt, DeepWiki...) is a failure that says to
run `refs fetch --render`, never a silent "Loading..." conversion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup, Tag

from ..anchors import headings
from ..doc_links import page_key
from ..errors import RefsError
from ..markdown import ATX, PERMALINK_GLYPHS, demote, walk
from . import html_ids
from .document import Document
from .html_attrs import attr
from .html_content import (
    canonical_url,
    clean,
    main_content,
    page_author,
    page_date,
    page_index,
    page_title,
)
from .html_markdown import HEADINGS, Renderer
from .html_parse import parse
from .html_tree import PageIndex, first_named, gone, parent_named, tags_named

_MARKER = re.compile(r"""^<a id="([^"]+)"></a>$""")
_ANY_MARKER = re.compile(r"""<a id="[^"]*"></a>""")
_WORD = re.compile(r"[^\W_]+")
# Inline scripts that hold a JavaScript app's content (hydration payloads).
_PAYLOAD = re.compile(
    r"__next_f|__NEXT_DATA__|__NUXT__|__INITIAL_STATE__|__APOLLO_STATE__|__remixContext"
    r"|__staticRouterHydrationData|__sveltekit|window\.__data",
)
MIN_ARTICLE_WORDS = 40  # below this, with a large payload, the page was not rendered


class JsRenderedPage(ValueError):
    """The page's content is only in its scripts: it needs a browser to render."""


@dataclass
class Page:
    """One page read down to its article (not yet rendered)."""

    soup: BeautifulSoup
    article: Tag
    base: str  # the URL links are resolved against
    urls: list[str]  # every URL naming this page (given, canonical, <base>)
    title: str
    author: str
    date: str
    payload: int  # characters of content-carrying inline scripts


def load(data: bytes | str, url: str = "") -> Page:
    """Parse a page and find its article; ``url`` is its final URL."""
    soup = parse(data)
    index = page_index(soup)
    canonical = canonical_url(soup, index)
    base = url or canonical
    base_tag = index.first("base", "href")
    if base_tag is not None and base:
        base = urljoin(base, attr(base_tag, "href").strip())  # `<base href>` moves relative links
    author, date = page_author(soup, index), page_date(soup, index)
    payload = _script_payload(index)
    clean(soup, index)
    article = main_content(soup)
    title = page_title(soup, article, index)
    _drop_permalinks(article)
    html_ids.collect(article)
    urls = [u for u in dict.fromkeys([url, canonical, base]) if u]
    return Page(soup, article, base, urls, title, author, date, payload)


def link_targets(page: Page) -> dict[str, set[str]]:
    """The fragments the page's links point at, by the page they point into."""
    out: dict[str, set[str]] = {}
    own = page_key(page.base) if page.base else ""
    for a in tags_named(page.article, ("a",)):
        if a.get("href") is None:
            continue
        href = attr(a, "href").strip()
        if href.startswith("#"):
            key, frag = own, href[1:]
        elif page.base:
            target, frag = urldefrag(urljoin(page.base, href))
            key = page_key(target)
        else:
            continue
        if frag:
            out.setdefault(key, set()).add(frag)
    return out


def render(
    page: Page, targets: set[str] | frozenset[str] = frozenset(), rendered: bool = False
) -> Document:
    """The page's article as a `Document` whose body starts with its one `# title`.

    ``targets``: ids that links (this page's or other pages') point at; elements
    carrying them keep their id as an anchor. Raises `JsRenderedPage` for a page
    rendered by JavaScript (unless it is one a browser ``rendered`` already: its
    scripts are still there, but so is what they wrote) and ValueError for a page
    with no article text.
    """
    body = "\n\n".join(Renderer(page.base, targets).blocks(page.article)).strip()
    words = _article_words(body)
    if not rendered and words < MIN_ARTICLE_WORDS and page.payload >= 2000:
        shown = " ".join(_prose(body).split())[:60]
        raise JsRenderedPage(
            f"the page is rendered by JavaScript: its HTML has {words} word(s) of article "
            f"text ({shown!r}) while its scripts carry {page.payload // 1000} KB of content"
        )
    if not _has_text(body):
        raise ValueError("no article text found in the page (empty or all site chrome)")
    title = page.title or "Untitled page"
    body, note = one_title(body, title)
    doc = Document(title=title, body=body, author=page.author, source_url=page.base, date=page.date)
    doc.urls, doc.link_base = page.urls, page.base
    if note:
        doc.notes.append(note)
    return doc


def convert_html(data: bytes | str, url: str = "", targets: set[str] | None = None) -> Document:
    """Convert one page; ``url`` is its final URL (links are made absolute on it).

    Ids its own links point at are kept, and those in ``targets``. Raises
    ValueError (`JsRenderedPage` included) when the page holds no article text.
    """
    page = load(data, url)
    return render(page, set(targets or ()) | own_targets(page))


def own_targets(page: Page) -> set[str]:
    """The fragments of the page's links into the page itself."""
    return link_targets(page).get(page_key(page.base) if page.base else "", set())


def read_page(path: Path, url: str = "") -> Page:
    """`load` of the page stored at ``path``; an unreadable file is a RefsError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RefsError(f"cannot read the page: {exc.strerror}", path) from exc
    return load(data, url)


def render_file(
    page: Page,
    path: Path,
    targets: set[str] | frozenset[str] = frozenset(),
    rendered: bool = False,
) -> Document:
    """`render`, with a failure as a RefsError naming the file and what to run."""
    try:
        return render(page, targets, rendered)
    except JsRenderedPage as exc:
        rid = resource_of(path)
        raise RefsError(
            f"{exc}; run `refs fetch --render {rid}` to capture the page as a browser "
            f"shows it, then `refs convert {rid}`",
            path,
        ) from exc
    except ValueError as exc:
        raise RefsError(str(exc), path) from exc


def read_html(path: Path, url: str = "") -> Document:
    """Convert the page stored at ``path``; a page with no article is a RefsError."""
    page = read_page(path, url)
    return render_file(page, path, own_targets(page))


def resource_of(path: Path) -> str:
    """The resource id of an artifact under `sources/<id>/raw/` (else `<id>`)."""
    parts = Path(path).parts
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "raw":
            return parts[i - 1]
    return "<id>"


def one_title(body: str, title: str) -> tuple[str, str]:
    """The body with exactly one level-1 heading, first (before it: only anchors).

    A page without one gets ``# title``; a page with several (site title plus
    article title, or sections written as `<h1>`) keeps the first as its title
    and pushes every later heading one level down. Returns (body, note).
    """
    lines = body.split("\n")
    h1s = [i for i, line, code in walk(lines) if not code and _is_h1(line)]
    if not h1s:
        return f"# {title}\n\n{body}", ""
    first = h1s[0]
    lead = [ln for ln in lines[:first] if ln.strip()]
    note = ""
    if lead and not all(_MARKER.match(ln) for ln in lead):
        # Text before the page's title heading (a dateline, a banner): keep it after.
        markers = [ln for ln in lines[:first] if _MARKER.match(ln)]
        others = [ln for ln in lines[:first] if not _MARKER.match(ln)]
        lines = markers + [lines[first], ""] + others + lines[first + 1 :]
        first = len(markers)
    if len(h1s) > 1:
        rest = demote("\n".join(lines[first + 1 :]))
        lines = lines[: first + 1] + rest.split("\n")
        note = f"{len(h1s) - 1} further level-1 heading(s) of the page pushed one level down"
    return "\n".join(lines).strip("\n"), note


def _is_h1(line: str) -> bool:
    m = ATX.match(line)
    return m is not None and len(m.group(1)) == 1


def prune_anchors(markdown: str) -> str:
    """Drop `<a id>` markers equal to the anchor their heading gets anyway, and
    repeated markers, so only ids that add a citable fragment remain."""
    if '<a id="' not in markdown:  # no marker line: nothing to drop, no headings to read
        return markdown
    lines = markdown.split("\n")
    anchor_at = {h.line - 1: h.anchor for h in headings(markdown)}
    own = set(anchor_at.values())
    seen: set[str] = set()
    keep: list[str] = []
    for i, line in enumerate(lines):
        m = _MARKER.match(line)
        if m:
            ident = m.group(1)
            if ident in own or ident in seen or _heading_after(lines, i, anchor_at) == ident:
                continue
            seen.add(ident)
        keep.append(line)
    return "\n".join(keep)


def _heading_after(lines: list[str], i: int, anchor_at: dict[int, str]) -> str | None:
    """The anchor of the heading a run of marker lines starting at ``i`` sits on."""
    j = i + 1
    while j < len(lines) and _MARKER.match(lines[j]):
        j += 1
    return anchor_at.get(j)


_OWNERS = frozenset([*HEADINGS, "dt"])


def _drop_permalinks(article) -> None:
    """Headerlink glyphs (¶, #) next to headings and API signatures are chrome."""
    for a in tags_named(article, ("a",)):
        if gone(a):
            continue
        classes = " ".join(a.get("class") or []).lower()
        glyph = a.get_text(strip=True) in PERMALINK_GLYPHS
        owner = parent_named(a, _OWNERS)
        if "headerlink" in classes or (
            glyph
            and owner is not None
            and attr(a, "href").startswith("#")
            and not first_named(a, ("img", "tex-math"))
        ):
            # An id carried only by the permalink still names the heading.
            ident = a.get("id") or a.get("name")
            if owner is not None and ident and not owner.get("id"):
                owner["id"] = ident
            a.decompose()


def _script_payload(index: PageIndex) -> int:
    """Characters of inline scripts that carry a JavaScript app's content."""
    total = 0
    for script in index.named("script"):
        if script.get("src"):
            continue
        kind = attr(script, "type").lower()
        text = script.string or script.get_text() or ""
        if kind == "application/json" or _PAYLOAD.search(text):
            total += len(text)
    return total


def _prose(body: str) -> str:
    """The body's text without headings, code and anchor markers."""
    lines = body.split("\n")
    text = "\n".join(line for _, line, code in walk(lines) if not code and not ATX.match(line))
    return _ANY_MARKER.sub(" ", text)


def _article_words(body: str) -> int:
    return len(_WORD.findall(_prose(body)))


def _has_text(body: str) -> bool:
    return bool(re.search(r"\w", re.sub(r"^#+ ", "", _ANY_MARKER.sub("", body), flags=re.M)))
