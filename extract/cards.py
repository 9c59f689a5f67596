"""Tier 3 resource cards (`refs/resources/<id>.md`): parsing and the citation rule.

A card is markdown a person writes, so the parser is forgiving about layout and
strict only about what the library relies on: the field table, the section names,
numbered claims each with `**Claim**:` and `**Evidence**:`, and citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import fsio
from .full_md import FULL_MD, SOURCES_DIR
from .manifest import Resource
from .markdown import inline_references, lines_of, split_inline, strip_trailing, walk
from .memo import memo

# A citation is identified by its `sources/<id>/<file>.md#<anchor>` part, whatever
# relative prefix a link puts before it (cards in the wild use ../, ../../ or none).
# The prefix must start the link or stand after a space or bracket: a `sources/...`
# inside someone's URL (`https://host/p?sources/x/full.md#a`) is not one.
CITATION = re.compile(
    r"(?<![\w/.\-?=&#%~+:@])(?P<prefix>(?:\.{1,2}/)*)sources/"
    r"(?P<rid>[^\s/#?()\[\]<>\"'`|&;]+)"
    r"(?:/(?P<path>[^\s#?()\[\]<>\"'`|]*))?"
    r"(?:#(?P<anchor>[^\s)\]\"'<>`|]*))?"
)
# Off-site in an Evidence line: an absolute URL (`https:`, `javascript:`), a
# protocol-relative `//host/...` or a root path `/...`: never evidence.
_NOT_RELATIVE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|[/\\]{2}|/)")
_BARE_URL = re.compile(r"(?<![\w/])(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^\s<>()\[\]`\"']+")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*)>")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?:<(?P<angled>[^>]*)>|(?P<url>\S+))")
_HREF = re.compile(r"""\s(?:href|src)\s*=\s*(["'])(.*?)\1""", re.I)
PLACEHOLDER = "TODO(card)"  # a part of a card stub a person must still write
TOPIC_PLACEHOLDER = "TODO(topic)"  # the same in a topic doc scaffold

COMMON_SECTIONS = ("Why it matters", "Core claims", "Actionables / gotchas", "Related resources")
OPTIONAL_SECTIONS = {
    "paper": ("Key technical details",),
    "docs": ("Key sections", "API surface"),
    "blog": ("Key insights",),
    "issue": ("Problem statement", "Design decisions", "Key APIs"),
    "repo": (
        "Architecture overview",
        "Key modules",
        "Design patterns",
        "Configuration / entry points",
    ),
}

_CLAIM_START = re.compile(r"^(\d+)\.\s+\*\*Claim\*\*:?\s*(.*)$")
_EVIDENCE = re.compile(r"^\s*\*\*Evidence\*\*:?\s*(.*)$")
_NUMBERED = re.compile(r"^(\d+)\.\s+")
_RELATED_LINK = re.compile(r"\]\((?:\.\./resources/|\./)?([a-z0-9][a-z0-9-]*)\.md(?:#[^)]*)?\)")
_RELATED_CODE = re.compile(r"`([a-z0-9][a-z0-9-]*)`")


@dataclass(frozen=True)
class Citation:
    rid: str
    anchor: str  # "" for a link to a whole file
    line: int
    text: str  # the matched text, prefix included
    path: str = FULL_MD  # the file within `sources/<id>/` (a card may cite another .md)

    @property
    def file(self) -> str:
        """The cited file's repo path."""
        return f"{SOURCES_DIR}/{self.rid}/{self.path}"

    @property
    def target(self) -> str:
        return self.file + (f"#{self.anchor}" if self.anchor else "")


def citation_of(m: re.Match[str], line: int) -> Citation:
    """The citation a `CITATION` match names."""
    return Citation(
        m.group("rid"), m.group("anchor") or "", line, m.group(0), m.group("path") or ""
    )


def link_citation(url: str, line: int) -> Citation | None:
    """The citation a link's URL makes: every relative link into `sources/` is one
    (with or without an anchor), judged by the resolver; None for any other link."""
    m = CITATION.fullmatch(url.strip())
    return citation_of(m, line) if m else None


def text_citations(text: str, line: int) -> list[Citation]:
    """Citations written as text (bare or in code): only `...#anchor` ones count, and
    sentence punctuation after the anchor is not part of it."""
    out = []
    for m in CITATION.finditer(text):
        anchor, tail = strip_trailing(m.group("anchor") or "")
        if anchor:
            written = m.group(0)[: len(m.group(0)) - len(tail)]
            out.append(Citation(m.group("rid"), anchor, line, written, m.group("path") or ""))
    return out


def line_citations(row: str, line: int) -> list[Citation]:
    """Every citation on one line of prose: link targets (also raw HTML `href`s and
    reference definitions), then citations written as text or code."""
    ref = _REF_DEF.match(row)
    if ref:
        c = link_citation(ref.group("angled") or ref.group("url") or "", line)
        return [c] if c else []
    out: list[Citation] = []
    for p in split_inline(row):
        if p.kind in ("link", "image"):
            c = link_citation(p.url, line)
            out += [c] if c else []
            out += text_citations(p.text, line)  # `[sources/x/full.md#a](elsewhere)`
        elif p.kind == "tag":
            out += [c for _, url in _HREF.findall(p.raw) if (c := link_citation(url, line))]
        elif p.kind == "code":
            out += text_citations(p.text, line)[:1]
        else:
            out += text_citations(p.raw, line)
    return out


def offsite_urls(row: str) -> list[str]:
    """Links on a line that leave this library (absolute, protocol- or root-relative),
    in order: in an Evidence line these are errors, never evidence."""
    found: list[str] = []
    for p in split_inline(row):
        if p.kind in ("link", "image") and _NOT_RELATIVE.match(p.url):
            found.append(p.url)
        elif p.kind == "tag":
            found += [u for _, u in _HREF.findall(p.raw) if _NOT_RELATIVE.match(u)]
        elif p.kind == "text":
            found += _AUTOLINK.findall(p.raw)
            bare = _AUTOLINK.sub(" ", p.raw)
            found += [strip_trailing(u)[0] for u in _BARE_URL.findall(bare)]
    return found


@dataclass
class Claim:
    number: int
    text: str
    evidence: str
    citations: list[Citation]
    line: int
    evidence_line: int = 0
    marked: bool = True  # the item says **Claim**:
    offsite: list[tuple[str, int]] = field(default_factory=list)  # (URL, line) in Evidence

    @property
    def placeholder(self) -> bool:
        return PLACEHOLDER in self.text or PLACEHOLDER in self.evidence


@dataclass
class Section:
    name: str
    line: int
    rows: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)

    @property
    def body(self) -> str:
        return "\n".join(text for _, text in self.rows).strip()


@dataclass
class Card:
    path: Path
    rid: str
    title: str = ""
    title_line: int = 0
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    related: list[tuple[str, int]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # every citation anywhere
    placeholders: list[int] = field(default_factory=list)  # lines holding TODO(card)

    def section(self, name: str) -> str:
        s = self.sections.get(name)
        return s.body if s else ""


def find_citations(text: str, line: int = 1) -> list[Citation]:
    """Every citation in ``text`` outside code blocks, in order; one per link
    (`[sources/x/full.md#a](../sources/x/full.md#a)` is one citation)."""
    return list(_citations(text, line))


@memo
def _citations(text: str, line: int) -> tuple[Citation, ...]:
    # A site build asks about each citing page's text several times (its backlinks,
    # its dependencies, its rewrite, its claims); citations are frozen, so shared.
    out: list[Citation] = []
    seen: set[tuple[str, str, str, int]] = set()
    for offset, row, in_code in walk(lines_of(text)):
        if in_code or "sources/" not in row:
            continue
        for c in line_citations(row, line + offset):
            key = (c.rid, c.path, c.anchor, c.line)
            if key not in seen:
                seen.add(key)
                out.append(c)
    return tuple(out)


def parse_card(path: Path, text: str | None = None, rid: str | None = None) -> Card:
    path = Path(path)
    if text is None:
        text = fsio.read_text(path)
    # `[x][ev]` + `[ev]: url` judged exactly as `[x](url)`: citation, or off-site error.
    text = inline_references(text)
    card = Card(path=path, rid=rid or path.stem)
    current: Section | None = None
    for i, line, in_code in walk(text.splitlines()):
        n = i + 1
        if PLACEHOLDER in line:
            card.placeholders.append(n)
        if not in_code and line.startswith("# ") and not card.title:
            card.title, card.title_line = line[2:].strip(), n
            continue
        if not in_code and line.startswith("## "):
            current = Section(line[3:].strip(), n)
            card.sections.setdefault(current.name, current)
            continue
        if current is not None:
            current.rows.append((n, line))
            continue
        row = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and len(row) >= 2 and not set(row[0]) <= set("-: "):
            if row[0].lower() != "field":
                card.fields[row[0]] = row[1]
                card.field_lines[row[0]] = n
    card.citations = find_citations(text)
    if "Core claims" in card.sections:
        card.claims = _parse_claims(card.sections["Core claims"])
    if "Related resources" in card.sections:
        for n, item in card.sections["Related resources"].rows:
            if item.lstrip().startswith(("-", "*")):
                for rid_ in _RELATED_LINK.findall(item) or _RELATED_CODE.findall(item)[:1]:
                    card.related.append((rid_, n))
    return card


def _parse_claims(sec: Section) -> list[Claim]:
    claims: list[Claim] = []
    claim: Claim | None = None
    target = "text"
    for n, row in sec.rows:
        start = _CLAIM_START.match(row)
        numbered = _NUMBERED.match(row)
        head = start or numbered
        if head:
            text = start.group(2) if start else row[head.end() :]
            claim = Claim(int(head.group(1)), text.strip(), "", [], n, marked=bool(start))
            claims.append(claim)
            target = "text"
            continue
        if claim is None:
            continue
        e = _EVIDENCE.match(row)
        if e:
            claim.evidence, claim.evidence_line, target = e.group(1).strip(), n, "evidence"
            _add_evidence(claim, row, n)
            continue
        if row.strip():
            if target == "text":
                claim.text = (claim.text + " " + row.strip()).strip()
            else:
                claim.evidence = (claim.evidence + " " + row.strip()).strip()
                _add_evidence(claim, row, n)
    return claims


def _add_evidence(claim: Claim, row: str, n: int) -> None:
    claim.citations += find_citations(row, n)
    claim.offsite += [(url, n) for url in offsite_urls(row)]


def card_kind(res: Resource) -> str:
    """Which card template fits a resource: paper, docs, blog, issue (code) or repo."""
    if res.type in ("paper", "docs"):
        return res.type
    if res.type == "code":
        url = res.urls[0] if res.urls else ""
        m = re.match(r"https?://github\.com/[^/]+/[^/]+(/tree/.*)?/?$", url)
        return "repo" if m else "issue"
    return "blog"
