"""Links inside one full.md: every target resolved, none left dangling.

A full.md joins the pages of a resource (a page and its subpages, a paper's
abstract and text...). Its links were written against the pages they came
from; once joined they must work in the one document, on GitHub and in the site:

- a link to a page joined into this document goes to where that page now
  starts (its heading), or to the place a `#fragment` names in it, when that
  fragment exists here (an id the page gave, kept as `<a id>`, or a heading);
- a fragment that does not exist here, and a link to any other page, goes to
  the original site (an absolute URL, fragment kept);
- a relative link with no page URL to resolve it against keeps its text only
  (a scheme-less domain, `example.org/x`, becomes `https://example.org/x`).

Ids are the document's: heading anchors come from `extract.anchors` (the one
anchor rule); a page's own ids (`<a id>` markers) that collide with an anchor
or with another page's id are renamed (`id-1`) or, on a heading, dropped for
the heading's anchor, and links follow them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from ..anchors import Heading, headings, slugify
from ..markdown import CODE_SPAN, Piece, rewrite_inline, walk

MARKER = re.compile(r'<a id="([^"<>\s]+)"></a>')
_MARKER_LINE = re.compile(r'^<a id="[^"<>\s]+"></a>$')
_INDEX_PAGE = re.compile(r"/index\.(?:html?|php)$", re.I)
_WEB = ("http", "https")


def page_key(url: str) -> str:
    """What identifies a page across the ways a URL may name it: scheme, case of
    the host, a trailing `index.html` or `/`, and the fragment do not matter."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = _INDEX_PAGE.sub("/", parts.path or "/")
    path = path.rstrip("/") or "/"
    return host + path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Part:
    """One joined page's lines in the document, and the URLs that name it."""

    start: int  # first line (0-based) of the part in the joined body
    end: int  # one past its last line
    urls: list[str] = field(default_factory=list)
    base: str = ""  # what its relative links are relative to ("" for a paper, an issue)


@dataclass
class _Place:
    """Where a part's fragments land: source id or heading slug -> document anchor."""

    ids: dict[str, str] = field(default_factory=dict)
    start: str = ""  # anchor of the part's first heading


def resolve(markdown: str, parts: list[Part]) -> tuple[str, Counter]:
    """The markdown with unique anchors and every link resolved; counts of what
    was done (`local`, `site`, `text`, `renamed`, `figures`)."""
    lines = markdown.split("\n")
    counts: Counter = Counter()
    parts = parts or [Part(0, len(lines))]

    def part_of(i: int) -> int:
        return next((n for n, p in enumerate(parts) if p.start <= i < p.end), len(parts) - 1)

    found = headings(markdown)
    heading_at = {h.line - 1: h for h in found}
    places = [_Place() for _ in parts]
    taken = {h.anchor for h in found}
    code = {i for i, _, in_code in walk(lines) if in_code}
    dropped: set[int] = set()

    # The page ids: unique ones stay, the others make way for the document's anchors.
    for i, line in enumerate(lines):
        if i in code or "<a id=" not in line:
            continue
        place = places[part_of(i)]
        heading = _heading_below(lines, i, heading_at) if _MARKER_LINE.match(line) else None
        spans = _code_spans(line)

        def keep(m: re.Match[str], place=place, heading=heading, spans=spans) -> str:
            if any(a <= m.start() < b for a, b in spans):
                return m.group(0)  # a marker shown as code is text
            ident = m.group(1)
            if ident in place.ids:  # the page named this place already
                return ""
            if ident not in taken:
                taken.add(ident)
                place.ids.setdefault(ident, ident)
                return m.group(0)
            if heading is not None:  # the heading's anchor names the same place
                place.ids.setdefault(ident, heading.anchor)
                return ""
            fresh = _unused(ident, taken)
            taken.add(fresh)
            place.ids.setdefault(ident, fresh)
            counts["renamed"] += 1
            return f'<a id="{fresh}"></a>'

        lines[i] = MARKER.sub(keep, line)
        if not lines[i] and _MARKER_LINE.match(line):
            dropped.add(i)
        elif line.startswith("<a id=") and not lines[i].startswith("<a id="):
            lines[i] = lines[i].lstrip()  # a paragraph that began with the dropped marker
    for h in found:
        place = places[part_of(h.line - 1)]
        place.start = place.start or h.anchor
        place.ids.setdefault(h.anchor, h.anchor)
        place.ids.setdefault(slugify(h.text), h.anchor)

    by_key: dict[str, int] = {}
    for n, p in enumerate(parts):
        for u in p.urls:
            if urlsplit(u).scheme in _WEB:
                by_key.setdefault(page_key(u), n)

    for i, line in enumerate(lines):
        if i in code or i in dropped or "](" not in line:
            continue
        n = part_of(i)

        def fix(piece: Piece, n=n) -> str | None:
            if piece.kind == "image":
                return _figure(piece, parts[n], counts)
            if piece.kind != "link":
                return None
            target = _target(piece.url, n, parts, places, by_key, counts)
            if target is None:
                return piece.text
            return None if target == piece.url else f"[{piece.text}]({target}{piece.title})"

        lines[i] = rewrite_inline(line, fix)
    return "\n".join(ln for i, ln in enumerate(lines) if i not in dropped), counts


def _figure(piece: Piece, part: Part, counts: Counter) -> str:
    """A markdown image as the library writes figures: `[Figure: alt]`, linked to
    the image's absolute URL (the site loads nothing from other hosts)."""
    alt = " ".join(piece.text.replace("[", "(").replace("]", ")").split())
    text = f"[Figure: {alt}]" if alt else "[Figure]"
    url = piece.url.strip()
    if not urlsplit(url).scheme and part.base:
        url = urljoin(part.base, url)
    counts["figures"] += 1
    return f"[{text}]({url})" if urlsplit(url).scheme in _WEB else text


def _target(
    url: str, n: int, parts: list[Part], places: list[_Place], by_key: dict, counts: Counter
) -> str | None:
    """Where a link from part ``n`` to ``url`` goes in the joined document (None:
    nowhere, keep its text)."""
    url = url.strip()
    base = parts[n].base
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in _WEB:
        return url  # mailto:, ftp:...: nothing to resolve (unsafe ones are neutralised)
    if not scheme:
        if base:
            url = urljoin(base, url)
        elif url.startswith("#"):  # an in-page fragment of a page with no URL
            local = places[n].ids.get(url[1:]) if len(url) > 1 else None
            counts["local" if local else "text"] += 1
            return "#" + local if local else None
        elif url.startswith("//"):
            url = "https:" + url
        elif _is_domain(url):
            url = "https://" + url
        else:
            counts["text"] += 1
            return None
    page, frag = urldefrag(url)
    target = by_key.get(page_key(page))
    if target is None:
        return url
    place = places[target]
    local = place.ids.get(frag) if frag else place.start
    if local:
        counts["local"] += 1
        return "#" + local
    counts["site"] += 1
    return url


# Top-level domains a scheme-less link may end its host with (`example.org/x`);
# file names (`types.html`, `notes.md`) never look like hosts.
_TLDS = frozenset(
    """com org net edu gov mil int io ai dev app info biz me co us uk ca au de fr it es nl be ch
    at se no fi dk pl cz ru jp cn kr tw in br eu xyz tech site page cc tv ly sh gg""".split()
)


def _is_domain(url: str) -> bool:
    host = re.split(r"[/?#:]", url, maxsplit=1)[0].lower()
    labels = host.split(".")
    return (
        len(labels) >= 2
        and labels[-1] in _TLDS
        and all(re.fullmatch(r"[a-z0-9-]+", lab) for lab in labels)
    )


def _heading_below(lines: list[str], i: int, heading_at: dict[int, Heading]) -> Heading | None:
    """The heading a run of marker lines starting at ``i`` stands on, if any."""
    j = i
    while j < len(lines) and _MARKER_LINE.match(lines[j]):
        j += 1
    return heading_at.get(j)


def _code_spans(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in CODE_SPAN.finditer(line)]


def _unused(ident: str, taken: set[str]) -> str:
    n = 1
    while f"{ident}-{n}" in taken:
        n += 1
    return f"{ident}-{n}"


def notes(counts: Counter) -> list[str]:
    """Conversion notes saying what `resolve` did."""
    out = []
    if counts["local"]:
        out.append(f"{counts['local']} link(s) to pages and ids of this document made local")
    if counts["site"]:
        out.append(
            f"{counts['site']} link(s) to ids this document lacks point at the original page"
        )
    if counts["text"]:
        out.append(f"{counts['text']} link(s) with no resolvable target kept as text")
    if counts["figures"]:
        out.append(f"{counts['figures']} markdown image(s) written as linked [Figure] text")
    if counts["renamed"]:
        out.append(f"{counts['renamed']} page id(s) renamed to stay unique")
    return out
