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

from extract.cards import CITATION, Citation, find_citations, parse_card
from extract.citations import Resolver
from extract.full_md import full_md_rel
from extract.library import Library
from extract.markdown import Piece, prose_lines, rewrite_inline, strip_trailing

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
    resolver: Resolver | None = None  # default: a fresh one for this build
    cited_by: dict[tuple[str, str], list[Backlink]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def __post_init__(self) -> None:
        if self.resolver is None:
            self.resolver = Resolver(self.lib)

    def index(self, src: str, markdown: str, label: str, is_card: bool) -> None:
        """Record every resolving citation of a citing page for the source headings."""
        self.add_backlinks(self.backlinks(src, markdown, label, is_card))

    def backlinks(
        self, src: str, markdown: str, label: str, is_card: bool
    ) -> list[tuple[Citation, Backlink]]:
        """Every citation of a citing page with the backlink it would give: a function
        of the text alone, so a served site keeps it while the page is unchanged."""
        claims = _claim_of(markdown, src, is_card)
        ids = citation_ids(markdown)
        seen: set[tuple[str, str, str]] = set()
        out = []
        for c in find_citations(markdown):
            claim = claims.get(_key(c))
            anchor = f"claim-{claim}" if claim is not None else ids[_key(c)]
            text = f"{label} claim {claim}" if claim is not None else label
            if (c.rid, c.anchor, anchor) in seen:
                continue
            seen.add((c.rid, c.anchor, anchor))
            out.append((c, Backlink(src, text, anchor)))
        return out

    def add_backlinks(self, found: list[tuple[Citation, Backlink]]) -> None:
        """Index the backlinks whose citation resolves (judged now, by this build)."""
        for c, link in found:
            if self.resolver.problem(c) is None:
                self.cited_by[(c.rid, c.anchor)].append(link)

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

        def piece(p: Piece) -> str | None:
            if p.kind == "link":
                m = CITATION.fullmatch(p.url.strip())
                if m and not strip_trailing(m.group("anchor"))[1]:
                    c, problem = judge(m)
                    if problem:
                        return marker(p.text, c, problem)
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
                return f"[{p.raw}]({target(c)}){attrs(c)}"
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
            return f"[{text}]({target(c)}){attrs(c)}{tail}"

        return rewrite_inline(line, piece)


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
