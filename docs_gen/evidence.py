"""Evidence: every link into `sources/` on a citing page becomes a link or a flag.

A citation is found by the one rule of `extract.cards` (a link's URL, a raw HTML
`href`, a reference definition, a code span or bare text, whatever relative prefix it
has) and judged by `extract.citations.Resolver.problem`, the rule `refs check` uses, so
the site and the checker agree on every citation and MkDocs' own link checker never
sees one: a citation that resolves is rewritten to its page and heading, one that does
not becomes a visible marker, and an off-site link in a claim's Evidence line is never
rendered as a link. The index built here also lets each source heading list the claims
that cite it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract import fsio
from extract.anchors import headings
from extract.cards import (
    CITATION,
    Citation,
    Claim,
    find_citations,
    link_citation,
    offsite_urls,
    parse_card,
    text_citations,
)
from extract.citations import Resolver, is_page
from extract.errors import RefsError
from extract.library import CARDS_DIR, Library
from extract.markdown import (
    Piece,
    code_lines,
    code_span,
    escape,
    inline_references,
    rewrite_inline,
    strip_trailing,
)
from extract.memo import memo

from .links import Links, md_path

_HREF = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.I)
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)(.*)$")


@dataclass(frozen=True)
class Backlink:
    """A place on a citing page that a source heading links back to."""

    src: str  # the citing page (card or topic doc)
    label: str  # the citing page's title ("GPipe: Efficient Training...", "Topic 13: ...")
    anchor: str  # claim-2 / cite-3 on the citing page
    claim: int | None = None  # the card's claim it stands in (None: elsewhere on the page)


@dataclass
class Broken:
    src: str
    claim: int | None
    citation: Citation | None  # None for an off-site link
    problem: str
    url: str = ""  # the off-site URL

    def message(self) -> str:
        line = self.citation.line if self.citation else 0
        where = f"claim {self.claim}" if self.claim is not None else f"line {line}"
        if self.citation is None:
            return f"{self.src}: {where}: off-site evidence `{self.url}`: {self.problem}"
        return (
            f"{self.src}: {where}: broken citation {self.citation.target} "
            f"(anchor `{self.citation.anchor}`): {self.problem}"
        )


OFFSITE = (
    "only relative links into this library's `sources/` are evidence; "
    "cite `sources/<id>/full.md#<anchor>`"
)

Key = tuple[str, str, str, int]


def heading_titles(text: str) -> dict[str, str]:
    """{anchor: heading text} of a markdown text (what a bare-path citation shows)."""
    return {h.anchor: h.text for h in headings(text)}


def _key(c: Citation) -> Key:
    return (c.rid, c.path, c.anchor, c.line)


@memo
def _claims(markdown: str, src: str, is_card: bool) -> tuple[Claim, ...]:
    # A build asks twice about each card's text: its backlinks, then its rewrite.
    return tuple(parse_card(Path(src), markdown).claims) if is_card else ()


def citation_ids(markdown: str) -> dict[Key, str]:
    """The element id each citation gets on its page: `cite-1`, `cite-2`... in order."""
    return {_key(c): f"cite-{n}" for n, c in enumerate(find_citations(markdown), start=1)}


class Evidence:
    """One build's view of every citation: resolution (cached) and the cited-by index."""

    def __init__(
        self,
        lib: Library,
        links: Links,
        resolver: Resolver | None = None,
        read: Callable[[Path], str] = fsio.read_text,
    ) -> None:
        self.lib = lib
        self.read = read  # a cited file's text (a served site's reads what changed only)
        self.links = links
        # The build's resolver (its cache is shared with the pages), else a fresh one.
        self.resolver = resolver if resolver is not None else Resolver(lib)
        # (cited file's repo path, anchor) -> the places citing it
        self.cited_by: dict[tuple[str, str], list[Backlink]] = defaultdict(list)
        # The same lists by cited file: a source page asks for its own without reading
        # the whole index (which grows with the library).
        self._by_file: dict[str, dict[str, list[Backlink]]] = {}
        self._titles: dict[str, dict[str, str]] = {}
        self.on_titles: Callable[[str], None] | None = None  # told each file whose titles are read

    def index(self, src: str, markdown: str, label: str, is_card: bool) -> None:
        """Record every resolving citation of a citing page for the source headings."""
        self.add_backlinks(self.backlinks(src, markdown, label, is_card))

    def backlinks(
        self, src: str, markdown: str, label: str, is_card: bool
    ) -> list[tuple[Citation, Backlink]]:
        """Every citation of a citing page with the backlink it would give: a function
        of the text alone, so a served site keeps it while the page is unchanged."""
        claims = {
            _key(c): cl.number for cl in _claims(markdown, src, is_card) for c in cl.citations
        }
        ids = citation_ids(markdown)
        out = []
        for c in find_citations(markdown):
            claim = claims.get(_key(c))
            here = f"claim-{claim}" if claim is not None else ids[_key(c)]
            out.append((c, Backlink(src, label, here, claim)))
        return out

    def add_backlinks(self, found: list[tuple[Citation, Backlink]]) -> None:
        """Index one page's backlinks whose citation resolves (judged now, by this build)."""
        seen: set[tuple[str, str, str]] = set()
        for c, link in found:
            anchor = self.resolver.anchor_of(c)
            if not anchor or (c.file, anchor, link.anchor) in seen:
                continue
            seen.add((c.file, anchor, link.anchor))
            links = self.cited_by[(c.file, anchor)]
            links.append(link)
            self._by_file.setdefault(c.file, {})[anchor] = links

    def cited_in(self, file: str) -> dict[str, list[Backlink]]:
        """anchor -> the places citing it, of one cited file (its repo path)."""
        return self._by_file.get(file, {})

    # ---------- what a citation link says ----------
    def heading_text(self, c: Citation) -> str | None:
        """The visible text of the heading a resolving citation names (None for an
        `<a id>` marker or a whole file)."""
        anchor = self.resolver.anchor_of(c)
        if not anchor:
            return None
        if self.on_titles is not None:
            self.on_titles(c.file)
        return self.titles(c.file).get(anchor)

    def titles(self, file: str) -> dict[str, str]:
        """{anchor: heading text} of a cited file ({} when it does not read)."""
        if file not in self._titles:
            try:
                self._titles[file] = heading_titles(self.read(self.lib.root / file))
            except (OSError, RefsError):
                self._titles[file] = {}
        return self._titles[file]

    def link_text(self, src: str, c: Citation) -> str:
        """Markdown link text for a citation written as a bare path: the heading's own
        words ("§2 Handcrafted Pipeline Schedules"), after the resource's title when
        the citing page is not that resource's card."""
        heading = self.heading_text(c)
        if heading:
            shown = "§" + ("" if heading[:1].isdigit() else " ") + heading
        else:  # an `<a id>` marker has no words of its own
            shown = "§ " + (self.resolver.anchor_of(c) or c.anchor)
        if src != f"{CARDS_DIR}/{c.rid}.md" and self.lib.has(c.rid):
            shown = f"{self.lib.resource(c.rid).title} {shown}"
        # Link text shows as written: brackets too, which `escape` leaves alone unless
        # they would open a link.
        parts = re.split(r"([\[\]])", shown)
        return "".join("\\" + x if x in ("[", "]") else escape(x, html=True) for x in parts)

    def rewrite(self, src: str, markdown: str, is_card: bool) -> tuple[str, list[Broken]]:
        """Citations as links (or broken markers) and claims with `claim-N` ids."""
        if is_card:  # reference-style evidence is judged (and linked) as inline evidence
            markdown = inline_references(markdown)
        claims = _claims(markdown, src, is_card)
        page = _Page(self, src, citation_ids(markdown))
        page.claim_of = {_key(c): cl.number for cl in claims for c in cl.citations}
        page.offsite = {(line, url): cl.number for cl in claims for url, line in cl.offsite}
        page.offsite_lines = {line for line, _ in page.offsite}
        lines = markdown.split("\n")
        claim_lines = {c.line - 1: c.number for c in claims}
        code = code_lines(lines)
        for i in range(len(lines)):
            if i in code:
                continue
            lines[i] = page.line(lines[i], i + 1)
            if i in claim_lines:
                anchor = f'<a id="claim-{claim_lines[i]}"></a>'
                lines[i] = re.sub(r"^(\s*\d+\.\s+)", rf"\g<1>{anchor}", lines[i], count=1)
        return "\n".join(lines), page.broken


@dataclass
class _Page:
    """Rewriting one citing page, line by line (line count kept)."""

    ev: Evidence
    src: str
    ids: dict[Key, str]
    claim_of: dict[Key, int] = field(default_factory=dict)
    offsite: dict[tuple[int, str], int] = field(default_factory=dict)
    offsite_lines: set[int] = field(default_factory=set)  # the lines `offsite` names
    broken: list[Broken] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)

    def line(self, line: str, n: int) -> str:
        if "sources/" not in line and n not in self.offsite_lines:
            return line
        ref = _REF_DEF.match(line)
        if ref:
            c = link_citation(ref.group(2).strip("<>"), n)
            if c is None:
                return line
            target = self.target(c)
            return line if target is None else ref.group(1) + target + ref.group(3)
        self.n = n
        return rewrite_inline(line, self.piece)

    # ---------- judging ----------
    def judge(self, c: Citation) -> str | None:
        problem = self.ev.resolver.problem(c)
        if problem is not None and all(
            x.citation is None or _key(x.citation) != _key(c) for x in self.broken
        ):
            self.broken.append(Broken(self.src, self.claim_of.get(_key(c)), c, problem))
        return problem

    def target(self, c: Citation) -> str | None:
        """The site URL of a citation for a markdown link; `#broken-citation` when it does
        not resolve; None for a file the site does not publish (the repo-link rewriter's)."""
        if self.judge(c) is not None:
            return "#broken-citation"
        if not is_page(c):
            return None
        return md_path(self.src, c.file, self.ev.resolver.anchor_of(c) or "")

    def shown(self, written: str, c: Citation, title: str = "") -> tuple[str, str]:
        """(link text, link title): a bare path reads as its heading, the path kept as
        the title; anything the author wrote stays."""
        if c.anchor and _is_bare(written):
            return self.ev.link_text(self.src, c), f' "{c.target}"'
        return written, title

    def attrs(self, c: Citation) -> str:
        ident = self.ids.get(_key(c))
        if ident and ident not in self.used_ids:
            self.used_ids.add(ident)
            return f"{{: #{ident} .refs-evidence }}"
        return "{: .refs-evidence }"

    def off_site(self, url: str) -> str | None:
        """A marker for an off-site link in an Evidence line (None elsewhere)."""
        claim = self.offsite.get((self.n, url))
        if claim is None:
            return None
        if all(x.url != url or x.claim != claim for x in self.broken):
            self.broken.append(Broken(self.src, claim, None, OFFSITE, url))
        return offsite_marker(url)

    # ---------- pieces ----------
    def piece(self, p: Piece) -> str | None:
        n = self.n
        if p.kind in ("link", "image"):
            c = link_citation(p.url, n)
            if c is not None:
                problem = self.judge(c)
                if problem:
                    return marker(p.text, c, problem)
                if not is_page(c):
                    return None
                text, title = self.shown(p.text, c, p.title)
                return f"[{text}]({self.target(c)}{title}){self.attrs(c)}"
            flagged = self.off_site(p.url)
            if flagged is not None:
                return flagged
            # a citation written as link text pointing elsewhere still gets judged
            flags = [marker("", c, pr) for c in text_citations(p.text, n) if (pr := self.judge(c))]
            return p.raw + "".join(flags) if flags else None
        if p.kind == "code":
            found = text_citations(p.text, n)[:1]
            if not found:
                return None
            c = found[0]
            problem = self.judge(c)
            if problem:
                return marker(p.raw, c, problem, code=True)
            text, title = self.shown(p.text, c) if _is_bare(p.text) else (p.raw, "")
            return f"[{text}]({self.target(c)}{title}){self.attrs(c)}"
        if p.kind == "tag":
            return _HREF.sub(
                lambda h: h.group(1) + h.group(2) + self.href(h.group(3)) + h.group(2), p.raw
            )
        if p.kind == "text":
            text = CITATION.sub(self.bare, p.raw)  # (never inside someone's URL)
            if n not in self.offsite_lines:
                return text  # no off-site link of a claim's Evidence on this line
            for url in offsite_urls(p.raw):  # autolinks and bare URLs, as `refs check` sees
                flagged = self.off_site(url)
                if flagged is not None:
                    shown = f"<{url}>" if f"<{url}>" in text else url
                    text = text.replace(shown, flagged, 1)
            return text
        return None

    def href(self, url: str) -> str:
        c = link_citation(url, self.n)
        if c is None:
            return "#offsite-evidence" if self.off_site(url) is not None else url
        if self.judge(c) is not None:
            return "#broken-citation"
        if not is_page(c):
            return url
        return self.ev.links.href(self.src, c.file, self.ev.resolver.anchor_of(c) or "")

    def bare(self, m: re.Match[str]) -> str:
        found = text_citations(m.group(0), self.n)
        if not found:
            return m.group(0)
        c = found[0]
        tail = m.group(0)[len(c.text) :]
        problem = self.judge(c)
        if problem:
            return marker(c.text, c, problem) + tail
        text, title = self.shown(c.text, c)
        return f"[{text}]({self.target(c)}{title}){self.attrs(c)}{tail}"


def _is_bare(text: str) -> bool:
    """Whether link or code text is just a citation path to a heading (no words of the
    author's own)."""
    m = CITATION.fullmatch(text.strip())
    return m is not None and bool(m.group("anchor")) and not strip_trailing(m.group("anchor"))[1]


def marker(text: str, c: Citation, problem: str, code: bool = False) -> str:
    """A visibly broken citation: the text, struck, with the reason on hover."""
    shown = text if code else html.escape(text)
    label = f"<code>{html.escape(c.target)}</code>"
    return (
        f'<span class="refs-broken-citation" title="{html.escape(problem, quote=True)}">'
        f"⚠ broken citation {label}"
        + (f" <span class='refs-broken-text'>{shown}</span>" if text and text != c.target else "")
        + "</span>"
    )


def offsite_marker(url: str) -> str:
    """An off-site link in an Evidence line: shown as text, never as a link (a code
    span, which no bare-URL linker enters, where `<code>` text would be linked)."""
    return (
        f'<span class="refs-broken-citation" title="{html.escape(OFFSITE, quote=True)}">'
        f"⚠ off-site evidence {code_span(url)}</span>"
    )
