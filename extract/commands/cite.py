"""`refs cite <id> [N] | <target>  [--subsections] [--json]`: cited passages.

`refs cite <id> [N]`: a card's claims (or claim N), each with the passage it cites.
`refs cite sources/<id>/full.md#<anchor>` (any relative prefix, another `.md` of the
source, or the short `<id>#<anchor>`): the passage one target points at, and which
cards cite it. A passage is the section's own text up to the next heading;
`--subsections` gives the whole subtree.

Exit 1 when a shown claim has a citation that does not resolve, or none at all, or
when the target does not resolve; 2 for a malformed request.
"""

from __future__ import annotations

from ..output import console, emit_json


def register(sub) -> None:
    p = sub.add_parser(
        "cite",
        help="claim N of a card (or all) with the cited passages, or the passage of a target",
    )
    p.add_argument(
        "id", help="resource id, or a target: sources/<id>/full.md#<anchor> or <id>#<anchor>"
    )
    p.add_argument("claim", nargs="?", type=int, help="claim number (default: every claim)")
    p.add_argument(
        "--subsections",
        action="store_true",
        help="the whole subtree under the heading, not only its own text",
    )
    p.add_argument("--json", action="store_true", help="claims and passages as JSON")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    from ..views import cite_request

    view = cite_request(lib, args.id, args.claim, args.subsections)
    if "claims" not in view:  # a target: its one passage
        if args.json:
            emit_json(view)
        else:
            _print_target(view)
        return 0 if view["resolves"] and view["passage"] else 1
    if args.json:
        emit_json(view)
    else:
        _print(view)
    return 0 if view["ok"] else 1


def _print_target(view: dict) -> None:
    from rich.rule import Rule
    from rich.text import Text

    p = view["passage"]
    where = view["target"] + (f" (lines {p['line']}-{p['end_line']})" if p else "")
    console.print(Rule(Text(where, style="cyan"), align="left"))
    if not view["resolves"]:
        console.print(Text.assemble(("broken", "red"), f": {view['problem']}"))
        return
    console.print(p["text"], markup=False, highlight=False)
    for c in view["cited_by"]:
        what = f"claim {c['claim']}" if c["claim"] is not None else f"line {c['line']}"
        console.print(
            f"  cited by {c['card_path']}:{c['line']} ({what})", markup=False, style="dim"
        )


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
        for o in claim["offsite"]:
            console.print(
                Text.assemble(
                    ("off-site", "red"),
                    f": line {o['line']} links to {o['url']}, which is not evidence; "
                    "cite `sources/<id>/full.md#<anchor>`",
                )
            )
        for c in claim["citations"]:
            p = c["passage"]
            where = f"{c['target']}" + (f" (lines {p['line']}-{p['end_line']})" if p else "")
            console.print(Rule(Text(where, style="cyan"), align="left"))
            if not c["resolves"]:
                console.print(Text.assemble(("broken", "red"), f": {c['problem']}"))
                continue
            if p is None:
                console.print("(a link to the whole file: no passage)", style="dim")
                continue
            console.print(p["text"], markup=False, highlight=False)
