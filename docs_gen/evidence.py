"""Evidence: every citation of `sources/<id>/full.md#<anchor>` becomes a link or a flag.

A citation is found by `extract.cards.CITATION` (whatever relative prefix it has, in a
link, a code span or bare text) and judged by `extract.citations.Resolver.problem`, the
rule `refs check` uses, so the site and the checker agree on every citation. The index
built here also lets each source heading list the claims that cite it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field

from extract import fsio
from extract.anchors import headings
from extract.cards import CITATION, Citation, find_citations, parse_card
from extract.citations import Resolver
from extract.errors import RefsError
from extract.full_md import full_md_rel
from extract.library import CARDS_DIR, Library
from extract.markdown import Piece, escape, prose_lines, rewrite_inline, strip_trailing

from .links import Links, md_path

_HREF = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.I)


@dataclass(frozen=True)
class Backlink:
    """A place on a citing page that a source heading links back to."""

    src: str  # the citing page (card or topic doc)
    label: str  # "gpipe claim 2"
    anchor: str  # claim-2 / cite-3 on the citing page


@dataclass
class Broken:
    src: str
    claim: int | None
    citation: Citation
    problem: str

    def message(self) -> str:
        where = f"claim {self.claim}" if self.claim is not None else f"line {self.citation.line}"
        return (
            f"{self.src}: {where}: broken citation {self.citation.target} "
            f"(anchor `{self.citation.anchor}`): {self.problem}"
        )


def _key(c: Citation) -> tuple[str, str, int]:
    return (c.rid, c.anchor, c.line)


def _claim_of(markdown: str, src: str, is_card: bool) -> dict[tuple[str, str, int], int]:
    if not is_card:
        return {}
    card = parse_card(src, markdown)  # path only names the card; text is what we parsed
    return {_key(c): claim.number for claim in card.claims for c in claim.citations}


def citation_ids(markdown: str) -> dict[tuple[str, str, int], str]:
    """The element id each citation gets on its page: `cite-1`, `cite-2`... in order."""
    return {_key(c): f"cite-{n}" for n, c in enumerate(find_citations(markdown), start=1)}


@dataclass
class Evidence:
    """One build's view of every citation: resolution (cached) and the cited-by index."""

    lib: Library
    links: Links
    resolver: Resolver = field(init=False)
    cited_by: dict[tuple[str, str], list[Backlink]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _titles: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.lib)

    def index(self, src: str, markdown: str, label: str, is_card: bool) -> None:
        """Record every resolving citation of a citing page for the source headings."""
        claims = _claim_of(markdown, src, is_card)
        ids = citation_ids(markdown)
        seen: set[tuple[str, str, str]] = set()
        for c in find_citations(markdown):
            if self.resolver.problem(c) is not None:
                continue
            claim = claims.get(_key(c))
            anchor = f"claim-{claim}" if claim is not None else ids[_key(c)]
            text = f"{label} claim {claim}" if claim is not None else label
            if (c.rid, c.anchor, anchor) in seen:
                continue
            seen.add((c.rid, c.anchor, anchor))
            self.cited_by[(c.rid, c.anchor)].append(Backlink(src, text, anchor))

    # ---------- what a citation link says ----------
    def heading_text(self, rid: str, anchor: str) -> str | None:
        """The visible text of the heading an anchor names (None for an `<a id>`)."""
        if rid not in self._titles:
            try:
                text = fsio.read_text(self.lib.full_md_path(rid))
                self._titles[rid] = {h.anchor: h.text for h in headings(text)}
            except (OSError, RefsError):
                self._titles[rid] = {}
        return self._titles[rid].get(anchor)

    def link_text(self, src: str, c: Citation) -> str:
        """Markdown link text for a citation written as a bare path: the heading's own
        words ("§2 Handcrafted Pipeline Schedules"), after the resource's title when
        the citing page is not that resource's card."""
        heading = self.heading_text(c.rid, c.anchor)
        if heading:
            shown = "§" + ("" if heading[:1].isdigit() else " ") + heading
        else:
            shown = "§ " + c.anchor  # an `<a id>` marker has no words of its own
        if src != f"{CARDS_DIR}/{c.rid}.md" and self.lib.has(c.rid):
            shown = f"{self.lib.resource(c.rid).title} {shown}"
        # Link text shows as written: brackets too, which `escape` leaves alone unless
        # they would open a link.
        parts = re.split(r"([\[\]])", shown)
        return "".join("\\" + x if x in ("[", "]") else escape(x, html=True) for x in parts)

    def rewrite(self, src: str, markdown: str, is_card: bool) -> tuple[str, list[Broken]]:
        """Citations as links (or broken markers) and claims with `claim-N` ids."""
        claims = _claim_of(markdown, src, is_card)
        ids = citation_ids(markdown)
        broken: list[Broken] = []
        used_ids: set[str] = set()
        lines = markdown.split("\n")
        claim_lines = {}
        if is_card:
            claim_lines = {c.line - 1: c.number for c in parse_card(src, markdown).claims}

        for i in prose_lines(lines):
            line = lines[i]
            if "full.md#" in line:
                lines[i] = self._rewrite_line(src, line, i + 1, claims, ids, used_ids, broken)
            if i in claim_lines:
                lines[i] = re.sub(
                    r"^(\s*\d+\.\s+)",
                    lambda m, n=claim_lines[i]: f'{m.group(1)}<a id="claim-{n}"></a>',
                    lines[i],
                    count=1,
                )
        return "\n".join(lines), broken

    # ---------- one line ----------
    def _rewrite_line(self, src, line, lineno, claims, ids, used_ids, broken) -> str:
        def judge(match: re.Match[str]) -> tuple[Citation, str | None]:
            anchor, _ = strip_trailing(match.group("anchor"))
            c = Citation(match.group("rid"), anchor, lineno, match.group(0))
            problem = self.resolver.problem(c)
            if problem is not None:
                b = Broken(src, claims.get(_key(c)), c, problem)
                if all(
                    (x.citation.rid, x.citation.anchor, x.citation.line) != _key(c) for x in broken
                ):
                    broken.append(b)
            return c, problem

        def attrs(c: Citation) -> str:
            ident = ids.get(_key(c))
            if ident and ident not in used_ids:
                used_ids.add(ident)
                return f"{{: #{ident} .refs-evidence }}"
            return "{: .refs-evidence }"

        def target(c: Citation) -> str:
            return md_path(src, full_md_rel(c.rid), c.anchor)

        def titled(c: Citation) -> str:
            return f' "{c.target}"'  # the path, on hover, where the text is the heading

        def piece(p: Piece) -> str | None:
            if p.kind == "link":
                m = CITATION.fullmatch(p.url.strip())
                if m and not strip_trailing(m.group("anchor"))[1]:
                    c, problem = judge(m)
                    if problem:
                        return marker(p.text, c, problem)
                    if _is_bare(p.text):  # the path as its own text: say what it points at
                        return f"[{self.link_text(src, c)}]({target(c)}{titled(c)}){attrs(c)}"
                    return f"[{p.text}]({target(c)}{p.title}){attrs(c)}"
                # a citation written as link text pointing elsewhere still gets judged
                flags = []
                for m in CITATION.finditer(p.text):
                    c, problem = judge(m)
                    if problem:
                        flags.append(marker("", c, problem))
                return p.raw + "".join(flags) if flags else None
            if p.kind == "code":
                m = CITATION.search(p.text)
                if not m:
                    return None
                c, problem = judge(m)
                if problem:
                    return marker(p.raw, c, problem, code=True)
                if not _is_bare(p.text):
                    return f"[{p.raw}]({target(c)}){attrs(c)}"
                return f"[{self.link_text(src, c)}]({target(c)}{titled(c)}){attrs(c)}"
            if p.kind == "tag":
                return _HREF.sub(
                    lambda h: h.group(1) + h.group(2) + tag_url(h.group(3)) + h.group(2), p.raw
                )
            if p.kind == "text":
                return CITATION.sub(bare, p.raw)
            return None

        def tag_url(url: str) -> str:
            m = CITATION.fullmatch(url.strip())
            if not m:
                return url
            c, problem = judge(m)
            if problem:
                return "#broken-citation"
            return self.links.href(src, full_md_rel(c.rid), c.anchor)

        def bare(m: re.Match[str]) -> str:
            text = m.group(0)
            _, tail = strip_trailing(m.group("anchor"))
            if tail:
                text = text[: -len(tail)]
            c, problem = judge(m)
            if problem:
                return marker(text, c, problem) + tail
            return f"[{self.link_text(src, c)}]({target(c)}{titled(c)}){attrs(c)}{tail}"

        return rewrite_inline(line, piece)


def _is_bare(text: str) -> bool:
    """Whether link or code text is just a citation path (no words of the author's)."""
    m = CITATION.fullmatch(text.strip())
    return bool(m) and not strip_trailing(m.group("anchor"))[1]


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
