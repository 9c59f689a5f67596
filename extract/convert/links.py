"""Links inside one full.md: every target resolved, none left dangling.

A full.md joins the pages of a resource (a page and its subpages, a paper's
abstract and text...). Its links were written against the pages they came
from; once joined they must work in the one document, on GitHub and in the site,
by the rule in `extract.doc_links` (the site applies the same rule to any full.md):

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
from urllib.parse import urljoin, urlsplit

from ..anchors import Heading, headings, slugify
from ..doc_links import WEB, Document, Part, Place, link_target
from ..markdown import CODE_SPAN, Piece, rewrite_inline, walk

MARKER = re.compile(r'<a id="([^"<>\s]+)"></a>')
_MARKER_LINE = re.compile(r'^<a id="[^"<>\s]+"></a>$')


def resolve(markdown: str, parts: list[Part]) -> tuple[str, Counter]:
    """The markdown with unique anchors and every link resolved; counts of what
    was done (`local`, `site`, `text`, `renamed`, `figures`)."""
    lines = markdown.split("\n")
    counts: Counter = Counter()
    parts = parts or [Part(0, len(lines))]
    places = [Place() for _ in parts]
    doc = Document(parts, places)
    part_of = doc.part_of

    found = headings(markdown)
    heading_at = {h.line - 1: h for h in found}
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

    for i, line in enumerate(lines):
        if i in code or i in dropped or "](" not in line:
            continue
        n = part_of(i)

        def fix(piece: Piece, n=n) -> str | None:
            if piece.kind == "image":
                return _figure(piece, parts[n], counts)
            if piece.kind != "link":
                return None
            target = link_target(piece.url, n, doc, counts)
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
    return f"[{text}]({url})" if urlsplit(url).scheme in WEB else text


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
