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
from .full_md import full_md_rel
from .manifest import Resource
from .markdown import strip_trailing, walk

# A citation is identified by its `sources/<id>/full.md#<anchor>` part, whatever
# relative prefix a link puts before it (cards in the wild use ../, ../../ or none).
CITATION = re.compile(
    r"(?<![\w/.-])(?:\.{1,2}/)*sources/(?P<rid>[a-z0-9][a-z0-9-]*)/full\.md#(?P<anchor>[^\s)\]\"'<>`|]+)"
)
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
    anchor: str
    line: int
    text: str  # the matched text, prefix included

    @property
    def target(self) -> str:
        return f"{full_md_rel(self.rid)}#{self.anchor}"


@dataclass
class Claim:
    number: int
    text: str
    evidence: str
    citations: list[Citation]
    line: int
    evidence_line: int = 0
    marked: bool = True  # the item says **Claim**:

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
    """Every `sources/<id>/full.md#anchor` in ``text``; one per link, in order."""
    out: list[Citation] = []
    seen: set[tuple[str, str, int]] = set()
    for offset, row in enumerate(text.splitlines() or [text]):
        for m in CITATION.finditer(row):
            anchor, _ = strip_trailing(m.group("anchor"))
            if not anchor:
                continue
            key = (m.group("rid"), anchor, line + offset)
            if key in seen:  # `[sources/x/full.md#a](../sources/x/full.md#a)` is one citation
                continue
            seen.add(key)
            out.append(Citation(m.group("rid"), anchor, line + offset, m.group(0)))
    return out


def parse_card(path: Path, text: str | None = None, rid: str | None = None) -> Card:
    path = Path(path)
    if text is None:
        text = fsio.read_text(path)
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
        for n, row in card.sections["Related resources"].rows:
            if row.lstrip().startswith(("-", "*")):
                for rid_ in _RELATED_LINK.findall(row) or _RELATED_CODE.findall(row)[:1]:
                    card.related.append((rid_, n))
    return card


def _parse_claims(sec: Section) -> list[Claim]:
    claims: list[Claim] = []
    claim: Claim | None = None
    target = "text"
    for n, row in sec.rows:
        start = _CLAIM_START.match(row)
        numbered = _NUMBERED.match(row)
        if start or numbered:
            text = start.group(2) if start else row[numbered.end() :]
            claim = Claim(
                int((start or numbered).group(1)), text.strip(), "", [], n, marked=bool(start)
            )
            claims.append(claim)
            target = "text"
            continue
        if claim is None:
            continue
        e = _EVIDENCE.match(row)
        if e:
            claim.evidence, claim.evidence_line, target = e.group(1).strip(), n, "evidence"
            claim.citations += find_citations(row, n)
            continue
        if row.strip():
            if target == "text":
                claim.text = (claim.text + " " + row.strip()).strip()
            else:
                claim.evidence = (claim.evidence + " " + row.strip()).strip()
                claim.citations += find_citations(row, n)
    return claims


def card_kind(res: Resource) -> str:
    """Which card template fits a resource: paper, docs, blog, issue (code) or repo."""
    if res.type in ("paper", "docs"):
        return res.type
    if res.type == "code":
        url = res.urls[0] if res.urls else ""
        m = re.match(r"https?://github\.com/[^/]+/[^/]+(/tree/.*)?/?$", url)
        return "repo" if m else "issue"
    return "blog"
