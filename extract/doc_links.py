"""Where a link inside a full.md goes: the one rule, for the converter and the site.

A full.md was written against the pages it came from (a Sphinx guide's `overview.html`,
`../cuda.html#module-torch.cuda`, `#c.ncclSend`). Whoever wrote it, its links resolve
the same way:

- a link into the library (a relative path to a file that exists in it, or to a
  markdown file) stays as it is;
- a link to a page joined into the document goes to where that page now starts, or to
  the place its `#fragment` names there, when the document has that place;
- a fragment the document lacks, and a link to any other page, goes to the original
  site: the link made absolute against the URL of the page it was written on (the
  source's URL, or a joined page's own URL where the document records it);
- a relative link with no page URL to resolve it against keeps its text only.

`link_target` is the rule; `extract.convert.links` applies it while it joins pages
(and writes the result into full.md), `resolve_links` applies it to a finished
full.md as it is (the site, at build time, and `refs check`'s count), never rewriting
the file.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from .anchors import anchors_in_line, headings, slugify
from .markdown import Piece, code_lines, rewrite_inline

_INDEX_PAGE = re.compile(r"/index\.(?:html?|php)$", re.I)
WEB = ("http", "https")
# The line a joined part carries under its heading (`extract.convert.run.join` writes
# it; a hand-made file may too): the URL of the page the part came from.
SOURCE_LINE = re.compile(r"^Source:\s+<?(https?://[^\s<>]+?)>?\s*$")


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
class Place:
    """Where a part's fragments land: source id or heading slug -> document anchor."""

    ids: dict[str, str] = field(default_factory=dict)
    start: str = ""  # anchor of the part's first heading


@dataclass
class Document:
    """What `link_target` resolves against: the parts, their places, and which part
    each page URL names."""

    parts: list[Part]
    places: list[Place]
    by_key: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n, p in enumerate(self.parts):
            for u in p.urls:
                if urlsplit(u).scheme in WEB:
                    self.by_key.setdefault(page_key(u), n)

    def part_of(self, i: int) -> int:
        """The part line ``i`` (0-based) belongs to."""
        return next(
            (n for n, p in enumerate(self.parts) if p.start <= i < p.end), len(self.parts) - 1
        )


def link_target(url: str, n: int, doc: Document, counts: Counter) -> str | None:
    """Where a link written in part ``n`` to ``url`` goes (None: nowhere, keep its
    text). ``counts``: `local` (made a link within the document), `site` (a fragment the
    document lacks, sent to the original page), `original` (a relative link to another
    page, sent to the original site), `text` (kept as text)."""
    url = url.strip()
    base = doc.parts[n].base
    scheme = urlsplit(url).scheme.lower()
    relative = not scheme and not url.startswith("//")
    if scheme and scheme not in WEB:
        return url  # mailto:, ftp:...: nothing to resolve (unsafe ones are neutralised)
    if not scheme:
        if base:
            url = urljoin(base, url)
        elif url.startswith("#"):  # an in-page fragment of a page with no URL
            local = doc.places[n].ids.get(url[1:]) if len(url) > 1 else None
            counts["local" if local else "text"] += 1
            return "#" + local if local else None
        elif url.startswith("//"):
            url = "https:" + url
        elif _is_domain(url):
            url = "https://" + url
            relative = False
        else:
            counts["text"] += 1
            return None
    page, frag = urldefrag(url)
    target = doc.by_key.get(page_key(page))
    if target is None:
        if relative:
            counts["original"] += 1
        return url
    place = doc.places[target]
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


# ---------- a finished full.md, as it is ----------
def parts_of(lines: list[str], source_url: str, code: set[int] | None = None) -> list[Part]:
    """The pages a finished document joins: the first part is relative to the source's
    URL; each heading followed by a `Source: <url>` line starts a part of that page."""
    code = code or set()
    starts: list[tuple[int, str]] = []
    for h in headings("\n".join(lines)):
        j = h.end_line  # 0-based index of the line after the heading
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and j not in code and (m := SOURCE_LINE.match(lines[j])):
            starts.append((h.line - 1, m.group(1)))
    first = [source_url] if source_url else []
    parts = [Part(0, len(lines), first, source_url)]
    for line, url in starts:
        parts[-1].end = line
        parts.append(Part(line, len(lines), [url], url))
    return [p for p in parts if p.end > p.start or p is parts[0]]


def places_of(lines: list[str], parts: list[Part], code: set[int]) -> list[Place]:
    """Each part's ids as the document has them: headings (and their text's slug, the
    id a site generator gave it) and `<a id>` markers."""
    doc = Document(parts, [Place() for _ in parts])
    for h in headings("\n".join(lines)):
        place = doc.places[doc.part_of(h.line - 1)]
        place.start = place.start or h.anchor
        place.ids.setdefault(h.anchor, h.anchor)
        place.ids.setdefault(slugify(h.text), h.anchor)
    for i, line in enumerate(lines):
        if i not in code:
            for ident in anchors_in_line(line):
                doc.places[doc.part_of(i)].ids.setdefault(ident, ident)
    return doc.places


def resolve_links(
    markdown: str,
    source_url: str,
    here: str,
    in_library: Callable[[str], bool],
) -> tuple[str, Counter]:
    """A finished full.md's body with every link resolved by the rule, and counts of
    what was done (`link_target`'s, and `library`: links into the library kept).

    ``here`` is the file's path in the library (`sources/<id>/full.md`);
    ``in_library(path)`` says whether a library path is a file of the library.
    Lines are kept one for one; only link targets change.
    """
    lines = markdown.split("\n")
    code = code_lines(lines)
    parts = parts_of(lines, source_url, code)
    doc = Document(parts, places_of(lines, parts, code))
    anywhere = {k: v for place in doc.places for k, v in place.ids.items()}
    counts: Counter = Counter()
    folder = posixpath.dirname(here)
    for i, line in enumerate(lines):
        if i in code or "](" not in line:
            continue
        n = doc.part_of(i)

        def fix(piece: Piece, n=n) -> str | None:
            if piece.kind != "link":
                return None
            url = piece.url.strip()
            if url.startswith("#") and url[1:] in anywhere:
                counts["local"] += 1  # a place of this document, wherever it is
                local = "#" + anywhere[url[1:]]
                return None if local == url else f"[{piece.text}]({local}{piece.title})"
            if _into_library(url, folder, in_library):
                counts["library"] += 1
                return None
            target = link_target(url, n, doc, counts)
            if target is None:
                return piece.text
            return None if target == url else f"[{piece.text}]({target}{piece.title})"

        lines[i] = rewrite_inline(line, fix)
    return "\n".join(lines), counts


def _into_library(url: str, folder: str, in_library: Callable[[str], bool]) -> bool:
    """Whether a relative link names a file of the library (from ``folder``)."""
    if not url or url.startswith(("#", "/")) or (":" in url and urlsplit(url).scheme):
        return False  # (a scheme ends at a colon)
    path = urldefrag(url).url.split("?", 1)[0]
    if not path or path.endswith("/"):
        return False
    target = posixpath.normpath(posixpath.join(folder, path))
    if target.startswith("../") or target == "..":
        return False
    # A markdown file is the library's (a web page is never one): a missing one is a
    # broken library link the build reports, not a page of the original site.
    return in_library(target) or target.endswith(".md")


def sent_to_original(counts: Counter) -> int:
    """How many links `resolve_links` sent to the original site."""
    return counts["site"] + counts["original"]
