"""Data views of a resource for agents and the site: plain dicts, JSON-ready.

`refs show --json`, `refs show --anchors --json`, `refs cite --json`, `refs search
--json`, `refs check --json`, the site's `refs.json` and the MCP server's tools
(`refs mcp`) are all built here, so they agree on field names. Citations are judged
by the one rule, `citations.Resolver.problem`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from . import fsio
from .anchors import explicit_anchors, headings
from .cards import Card, Citation, Claim, link_citation, parse_card
from .citations import Resolver
from .errors import RefsError, UsageError
from .figures import figures
from .full_md import IMAGES_DIR, full_md_rel, read_provenance
from .library import Library
from .passages import find_passage
from .progress import next_step
from .review_record import load_record, stale_claims

if TYPE_CHECKING:
    from .check import KeptFindings

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
    lib.resource(rid)  # an unknown id is one clear error, before any file is read
    card = load_card(lib, rid)
    return {**resource_facts(lib, rid), "card": card_view(lib, card) if card else None}


def _converted(lib: Library, rid: str):
    """The path of the resource's full.md, or one message saying what makes it."""
    res = lib.resource(rid)
    path = lib.full_md_path(rid)
    if not path.is_file():
        step = next_step(lib, rid)
        raise RefsError(
            f"`{rid}` has no {full_md_rel(rid)} yet (status {res.status}); "
            + (f"run `{step.command}` first" if step.command else step.what)
        )
    return path


def anchors_view(lib: Library, rid: str) -> dict:
    """What `refs show <id> --anchors --json` prints: the headings of its full.md with
    their anchors, and the explicit `<a id>` anchors no heading gives. A heading's text
    keeps its formulas as written (`$\\frac{a}{b}$`): what the file says, which the
    terminal shows and an editor finds (the site shows them as MathML)."""
    path = _converted(lib, rid)
    text = fsio.read_text(path)
    heads = [
        {"level": h.level, "text": h.text, "anchor": h.anchor, "line": h.line}
        for h in headings(text)
    ]
    named = sorted(explicit_anchors(text) - {h["anchor"] for h in heads})
    return {"id": rid, "path": lib.rel(path), "headings": heads, "explicit_anchors": named}


def figures_view(lib: Library, rid: str) -> dict:
    """What `refs show <id> --figures --json` prints: each figure marker of its full.md
    with the file its image comes from (`file`: the raw artifact, or the stored copy of
    a page's image; null when it is missing or, for a page's image, not stored)."""
    path = _converted(lib, rid)
    raw = lib.raw_dir(rid)
    stored = {}
    for rel, entry in read_provenance(raw).get("artifacts", {}).items():
        if isinstance(entry, dict) and rel.startswith(IMAGES_DIR + "/") and (raw / rel).is_file():
            stored[str(entry.get("url"))] = lib.rel(raw / rel)
    out = []
    for fig in figures(fsio.read_text(path)):
        view = fig.as_dict()
        for origin, item in zip(fig.origins, view["origins"], strict=True):
            if origin.kind == "url":
                item["file"] = stored.get(origin.path)
            else:
                file = raw / origin.path
                item["file"] = lib.rel(file) if file.is_file() else None
        out.append(view)
    return {"id": rid, "path": lib.rel(path), "figures": out}


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


def is_target(arg: str) -> bool:
    """`refs cite` reads an argument with `#` or `/` as a target, anything else as an id."""
    return "#" in arg or "/" in arg


def select_claims(lib: Library, rid: str, number: int | None) -> tuple[Card, list[Claim]]:
    """The card and the claims asked for; a clear error when either is missing."""
    lib.resource(rid)
    card = load_card(lib, rid)
    rel = f"refs/resources/{rid}.md"
    if card is None:
        raise RefsError(f"`{rid}` has no card yet; `refs show {rid}` says what to run next", rel)
    if not card.claims:
        line = card.sections["Core claims"].line if "Core claims" in card.sections else None
        raise RefsError("the card has no numbered claims under `## Core claims`", rel, line)
    if number is None:
        return card, card.claims
    chosen = [c for c in card.claims if c.number == number]
    if not chosen:
        have = ", ".join(str(c.number) for c in card.claims)
        raise RefsError(f"no claim {number} on this card; its claims are {have}", rel)
    return card, chosen


def cite_request(
    lib: Library, what: str, claim: int | None = None, subsections: bool = False
) -> dict:
    """What `refs cite <what> [N] --json` prints: for an id, its card's claims (or claim
    N) with their passages (`cite_view`); for a target, its passage (`target_view`)."""
    if is_target(what):
        if claim is not None:
            raise UsageError(
                f"`refs cite {what}` takes no claim number: a target names its passage"
            )
        return target_view(lib, what, subsections)
    card, claims = select_claims(lib, what, claim)
    return cite_view(lib, card, claims, subsections)


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


def search_hits(
    lib: Library,
    query: str,
    *,
    limit: int = 10,
    kinds: list[str] | None = None,
    rid: str | None = None,
    conn=None,
) -> list:
    """The ranked hits of `refs search` (`search.Hit`), ``rid`` checked first. ``conn``:
    an index already open (the MCP server keeps one), brought up to date first."""
    from .search import search

    if rid:
        lib.resource(rid)
    return search(lib, query, limit=limit, kinds=kinds, rid=rid, conn=conn)


def search_view(query: str, hits: list) -> dict:
    """What `refs search <query> --json` prints."""
    return {"query": query, "hits": [h.to_dict(i) for i, h in enumerate(hits, 1)]}


def check_view(
    lib: Library,
    rid: str | None = None,
    errors_only: bool = False,
    kept: KeptFindings | None = None,
) -> dict:
    """What `refs check [<id>] --json` prints: every finding of the whole library, or of
    the rules that concern one resource (what `refs review` runs), with the counts
    (``kept``: the findings `refs mcp` keeps between calls, see check_cache.py)."""
    from .check import ERROR, check_library, check_resource, has_errors

    findings = check_resource(lib, rid, kept) if rid else check_library(lib, kept)
    if errors_only:
        findings = [f for f in findings if f.severity == ERROR]
    counts = Counter(f.severity for f in findings)
    return {
        "ok": not has_errors(findings),
        "errors": counts.get("error", 0),
        "warnings": counts.get("warning", 0),
        "findings": [f.to_dict() for f in findings],
    }
