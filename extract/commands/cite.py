"""`refs cite <id> [N] [--json]`: a card's claims, each with the passage it cites.

Exit 1 when a shown claim has a citation that does not resolve, or none at all.
"""

from __future__ import annotations

from ..errors import RefsError
from ..output import console, emit_json


def register(sub) -> None:
    p = sub.add_parser("cite", help="claim N of a card (or all) with the cited passages")
    p.add_argument("id", help="resource id")
    p.add_argument("claim", nargs="?", type=int, help="claim number (default: every claim)")
    p.add_argument("--json", action="store_true", help="claims and passages as JSON")
    p.set_defaults(func=run)


def select_claims(lib, rid: str, number: int | None):
    """The card and the claims asked for; a clear error when either is missing."""
    from ..views import load_card

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


def run(lib, args) -> int:
    from ..views import cite_view

    card, claims = select_claims(lib, args.id, args.claim)
    view = cite_view(lib, card, claims)
    if args.json:
        emit_json(view)
        return 0 if view["ok"] else 1
    _print(view)
    return 0 if view["ok"] else 1


def _print(view: dict) -> None:
    from rich.rule import Rule
    from rich.text import Text

    for i, claim in enumerate(view["claims"]):
        if i:
            console.print()
        console.print(Text.assemble((f"Claim {claim['number']}", "bold"), f": {claim['text']}"))
        console.print(f"  {view['card_path']}:{claim['line']}", markup=False, style="dim")
        if claim["placeholder"] and not claim["citations"]:
            console.print(
                Text.assemble(
                    ("unfinished", "yellow"),
                    f": claim {claim['number']} is still a TODO(card) placeholder; "
                    f"write the claim and cite a heading (`refs show {view['id']} --anchors`)",
                )
            )
        elif not claim["citations"]:
            console.print(
                Text.assemble(
                    ("broken", "red"),
                    f": claim {claim['number']} cites no `sources/<id>/full.md#<anchor>` "
                    f"(evidence: {claim['evidence_text'] or 'none'})",
                )
            )
        for c in claim["citations"]:
            p = c["passage"]
            where = f"{c['target']}" + (f" (lines {p['line']}-{p['end_line']})" if p else "")
            console.print(Rule(Text(where, style="cyan"), align="left"))
            if not c["resolves"]:
                console.print(Text.assemble(("broken", "red"), f": {c['problem']}"))
                continue
            console.print(p["text"], markup=False, highlight=False)
