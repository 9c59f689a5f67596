"""Data views of a resource for agents and the site: plain dicts, JSON-ready.

`refs show --json`, `refs cite --json` and the site's `refs.json` are all built
here, so the three agree on field names. Citations are judged by the one rule,
`citations.Resolver.problem`.
"""

from __future__ import annotations

import re

from . import fsio
from .cards import Card, Citation, Claim, parse_card
from .citations import Resolver
from .full_md import full_md_rel
from .library import Library
from .passages import find_passage
from .progress import next_step

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
        "path": full_md_rel(c.rid),
        "anchor": c.anchor,
        "target": c.target,
        "line": c.line,
        "resolves": problem is None,
        "problem": problem,
    }


def claim_view(resolver: Resolver, claim: Claim) -> dict:
    return {
        "number": claim.number,
        "text": claim.text,
        "line": claim.line,
        "evidence_text": claim.evidence,
        "placeholder": claim.placeholder,
        "evidence": [evidence_view(resolver, c) for c in claim.citations],
    }


MAIN_SECTIONS = ("Why it matters", "Core claims", "Actionables / gotchas", "Related resources")


def card_view(lib: Library, card: Card, resolver: Resolver | None = None) -> dict:
    resolver = resolver or Resolver(lib)
    return {
        "path": lib.rel(card.path),
        "title": card.title,
        "fields": dict(card.fields),
        "why_it_matters": card.section("Why it matters"),
        "claims": [claim_view(resolver, c) for c in card.claims],
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


def cited_passage(lib: Library, resolver: Resolver, c: Citation) -> dict:
    """One citation with the passage it points at (null when it does not resolve)."""
    view = evidence_view(resolver, c)
    passage = None
    if view["resolves"]:
        found = find_passage(fsio.read_text(lib.full_md_path(c.rid)), c.anchor)
        passage = found.to_dict() if found else None
    return {**view, "passage": passage}


def cite_view(lib: Library, card: Card, claims: list[Claim]) -> dict:
    """What `refs cite --json` prints: each claim with its cited passages."""
    resolver = Resolver(lib)
    out = []
    for claim in claims:
        out.append(
            {
                **{k: v for k, v in claim_view(resolver, claim).items() if k != "evidence"},
                "citations": [cited_passage(lib, resolver, c) for c in claim.citations],
            }
        )
    ok = all(c["citations"] and all(x["resolves"] for x in c["citations"]) for c in out)
    return {"id": card.rid, "card_path": lib.rel(card.path), "ok": ok, "claims": out}
