"""`refs show <id> [--json] [--anchors]`: a resource's card, or what exists and what's next."""

from __future__ import annotations

from .. import fsio
from ..output import console, emit_json, table


def register(sub) -> None:
    p = sub.add_parser("show", help="a resource's card (or its facts and next command)")
    p.add_argument("id", help="resource id (see `refs status`)")
    p.add_argument("--json", action="store_true", help="the parsed card as JSON")
    p.add_argument(
        "--anchors", action="store_true", help="the headings of its full.md and their anchors"
    )
    p.set_defaults(func=run)


def run(lib, args) -> int:
    from ..views import anchors_view, show_view

    if args.anchors:
        view = anchors_view(lib, args.id)
        if args.json:
            emit_json(view)
            return 0
        # Plain lines, never a table: the `cite as` text must not be cut to fit a terminal.
        console.print(f"Anchors of {view['path']} (cite as {view['path']}#<anchor>):", markup=False)
        for h in view["headings"]:
            indent = "  " * (h["level"] - 1)
            console.print(f"{h['line']:>6}  {indent}#{h['anchor']}  {h['text']}", markup=False)
        for a in view["explicit_anchors"]:
            console.print(f"{'':>6}  #{a}  (explicit anchor)", markup=False)
        return 0
    view = show_view(lib, args.id)
    if args.json:
        emit_json(view)
        return 0
    _print(lib, view)
    return 0


def _print(lib, view: dict) -> None:
    from rich.markdown import Markdown
    from rich.text import Text

    facts = [
        ("id", view["id"]),
        ("title", view["title"]),
        ("type", view["type"]),
        ("topics", ", ".join(str(t) for t in view["topics"])),
        ("priority", view["priority"]),
        ("status", view["status"]),
    ]
    if view["card"] is None:
        facts += [("byline", view["byline"]), ("urls", "\n".join(view["urls"]))]
        if view["notes"]:
            facts.append(("notes", view["notes"]))
        console.print(table(None, ("field", "value"), [(k, v) for k, v in facts if v]))
        if view["description"]:
            console.print()
            console.print(view["description"], markup=False)
        console.print()
        console.print(f"No card yet (refs/resources/{view['id']}.md).", markup=False)
        if view["next"]:
            console.print(f"Next: [bold]{view['next']}[/bold]")
        return
    card = view["card"]
    text = fsio.read_text(lib.card_path(view["id"]))
    if console.is_terminal:
        console.print(Markdown(text))
    else:  # piped (an agent, a file): the card's own markdown, never cropped to a width
        console.print(text.rstrip("\n"), markup=False, highlight=False)
    console.print()
    broken = [(c["number"], e) for c in card["claims"] for e in c["evidence"] if not e["resolves"]]
    for number, e in broken:
        where = f" claim {number}: {e['target']} (line {e['line']}): {e['problem']}"
        console.print(Text.assemble(("broken", "red"), where))
    for claim in card["claims"]:
        for s in claim["stale"]:
            where = (
                f" claim {claim['number']}: {s['target']} changed since review "
                f"({s['reviewed']}): before «{s['before']}» after «{s['after']}»; "
                f"re-read it (`refs cite {view['id']} {claim['number']}`), then `refs review {view['id']}`"
            )
            console.print(Text.assemble(("stale", "yellow"), where))
    if card["placeholders"]:
        lines = ", ".join(str(n) for n in card["placeholders"])
        console.print(Text.assemble(("unfinished", "yellow"), f": TODO(card) on line(s) {lines}"))
    summary = f"{view['status']}; {len(card['claims'])} claim(s)"
    if view["next"]:
        summary += f"; next: {view['next']}"
    console.print(summary, markup=False)
