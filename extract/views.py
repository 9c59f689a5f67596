"""Data views of a resource for agents and the site: plain dicts, JSON-ready.

`refs show --json`, `refs cite --json` and the site's `refs.json` are all built
here, so the three agree on field names. Citations are judged by the one rule,
`citations.Resolver.problem`.
"""

from __future__ import annotations

import re

from . import fsio
from .cards import Card, Citation, Claim, link_citation, parse_card
from .citations import Resolver
from .errors import RefsError, UsageError
from .library import Library
from .passages import find_passage
from .progress import next_step
from .review_record import load_record, stale_claims

_SHORT_TARGET = re.compile(r"[a-z0-9][a-z0-9-]*#\S+")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_SEQUENCE = re.compile(r"^\s{0,3}\d+[.)]\s+(.*)$")


def resource_facts(lib: Library, rid: str) -> dict:
    """Manifest facts plus the curriculum's byline and description."""
    res = lib.resource(rid)
    return {
        "id": res.id,
        "title": res.title,
        "type": res.type,
        "topics": list(res.topics),
        "priority": res.priority,
        "status": res.status,
        "urls": list(res.urls),
        "byline": lib.byline(rid),
        "description": lib.description(rid),
        "notes": res.notes,
        "card_path": lib.rel(lib.card_path(rid)) if lib.has_card(rid) else None,
        "full_md_path": lib.rel(lib.full_md_path(rid)) if lib.has_full_md(rid) else None,
        "next": next_step(lib, rid).command or None,
    }


def list_items(body: str) -> list[str]:
    """Top-level list items of a section body, continuation lines joined."""
    items: list[str] = []
    for row in body.splitlines():
        m = _BULLET.match(row) or _SEQUENCE.match(row)
        if m and not row.startswith("    "):
            items.append(m.group(1).strip())
        elif row.strip() and items:
            items[-1] = f"{items[-1]} {row.strip()}"
        elif row.strip():
            items.append(row.strip())
    return items


def evidence_view(resolver: Resolver, c: Citation) -> dict:
    problem = resolver.problem(c)
    return {
        "path": c.file,
        "anchor": c.anchor,
        "target": c.target,
        "line": c.line,
        "resolves": problem is None,
        "problem": problem,
    }


def claim_view(resolver: Resolver, claim: Claim, stale: list[dict] | None = None) -> dict:
    return {
        "number": claim.number,
        "text": claim.text,
        "line": claim.line,
        "evidence_text": claim.evidence,
        "placeholder": claim.placeholder,
        "evidence": [evidence_view(resolver, c) for c in claim.citations],
        "offsite": [{"url": url, "line": line} for url, line in claim.offsite],
        "stale": stale or [],
    }


def staleness(lib: Library, card: Card) -> tuple[str | None, dict[int, list[dict]]]:
    """When the card was reviewed (None: no record) and, per claim number, the cited
    passages that changed since (a damaged record counts as none: `refs check` says so)."""
    try:
        record = load_record(lib, card.rid)
    except RefsError:
        record = None
    if record is None:
        return None, {}
    out: dict[int, list[dict]] = {}
    for s in stale_claims(lib, card, record):
        out.setdefault(s.claim, []).append(s.to_dict())
    return record["reviewed"], out


MAIN_SECTIONS = ("Why it matters", "Core claims", "Actionables / gotchas", "Related resources")


def card_view(lib: Library, card: Card, resolver: Resolver | None = None) -> dict:
    resolver = resolver or Resolver(lib)
    reviewed, stale = staleness(lib, card)
    return {
        "path": lib.rel(card.path),
        "title": card.title,
        "fields": dict(card.fields),
        "why_it_matters": card.section("Why it matters"),
        "reviewed": reviewed,
        "claims": [claim_view(resolver, c, stale.get(c.number)) for c in card.claims],
        "actionables": list_items(card.section("Actionables / gotchas")),
        "related": [
            {"id": rid, "exists": lib.has(rid), "has_card": lib.has_card(rid), "line": line}
            for rid, line in card.related
        ],
        "sections": {
            name: sec.body for name, sec in card.sections.items() if name not in MAIN_SECTIONS
        },
        "missing_sections": [name for name in MAIN_SECTIONS if name not in card.sections],
        "placeholders": list(card.placeholders),
    }


def load_card(lib: Library, rid: str) -> Card | None:
    return parse_card(lib.card_path(rid), rid=rid) if lib.has_card(rid) else None


def show_view(lib: Library, rid: str) -> dict:
    """What `refs show <id> --json` prints: the facts and the parsed card (or null)."""
    card = load_card(lib, rid)
    return {**resource_facts(lib, rid), "card": card_view(lib, card) if card else None}


def cited_passage(lib: Library, resolver: Resolver, c: Citation, subsections: bool = False) -> dict:
    """One citation with the passage it points at (null when it does not resolve, or
    when it links to a whole file)."""
    view = evidence_view(resolver, c)
    passage = None
    anchor = resolver.anchor_of(c)
    if anchor:
        found = find_passage(fsio.read_text(lib.root / c.file), anchor, subsections=subsections)
        passage = found.to_dict() if found else None
    return {**view, "passage": passage}


def cite_view(lib: Library, card: Card, claims: list[Claim], subsections: bool = False) -> dict:
    """What `refs cite --json` prints: each claim with its cited passages."""
    resolver = Resolver(lib)
    out = []
    for claim in claims:
        out.append(
            {
                **{k: v for k, v in claim_view(resolver, claim).items() if k != "evidence"},
                "citations": [
                    cited_passage(lib, resolver, c, subsections) for c in claim.citations
                ],
            }
        )
    ok = all(
        c["citations"] and not c["offsite"] and all(x["resolves"] for x in c["citations"])
        for c in out
    )
    return {
        "id": card.rid,
        "card_path": lib.rel(card.path),
        "subsections": subsections,
        "ok": ok,
        "claims": out,
    }


def target_view(lib: Library, target: str, subsections: bool = False) -> dict:
    """What `refs cite <target> --json` prints: the passage one target points at, and
    the places (claims or other lines of cards and topic docs) that cite it."""
    c = parse_target(target)
    resolver = Resolver(lib)
    cited = cited_passage(lib, resolver, c, subsections)
    return {
        "id": c.rid,
        **{k: v for k, v in cited.items() if k != "line"},
        "subsections": subsections,
        "cited_by": cited_by(lib, c),
    }


def parse_target(target: str) -> Citation:
    """`sources/<id>/<file>.md#anchor` (any relative prefix) or `<id>#anchor`."""
    c = link_citation(target, 0)
    if c is None and _SHORT_TARGET.fullmatch(target):
        rid, _, anchor = target.partition("#")
        c = Citation(rid, anchor, 0, target)
    if c is None or not c.anchor:
        raise UsageError(
            f"`{target}` is not a citation target; write `sources/<id>/full.md#<anchor>` "
            "or `<id>#<anchor>` (`refs show <id> --anchors` lists the anchors)"
        )
    return c


def cited_by(lib: Library, c: Citation) -> list[dict]:
    """Every card line that cites the same file and anchor (claim number or null)."""
    out = []
    for r in lib.resources:
        card = load_card(lib, r.id) if lib.has_card(r.id) else None
        if card is None:
            continue
        claims = {
            (x.line, x.rid, x.path, x.anchor): cl.number for cl in card.claims for x in cl.citations
        }
        for x in card.citations:
            if (x.rid, x.path, x.anchor) == (c.rid, c.path, c.anchor):
                out.append(
                    {
                        "card_path": lib.rel(card.path),
                        "claim": claims.get((x.line, x.rid, x.path, x.anchor)),
                        "line": x.line,
                    }
                )
    return out
