"""`refs show <id> [--json] [--anchors | --figures]`: a resource's card, or what exists and
what's next; the headings of its full.md, or its figures and where each image comes from."""

from __future__ import annotations

from .. import fsio
from ..errors import UsageError
from ..output import console, emit_json, table


def register(sub) -> None:
    p = sub.add_parser("show", help="a resource's card (or its facts and next command)")
    p.add_argument("id", help="resource id (see `refs status`)")
    p.add_argument("--json", action="store_true", help="the parsed card as JSON")
    p.add_argument(
        "--anchors", action="store_true", help="the headings of its full.md and their anchors"
    )
    p.add_argument(
        "--figures",
        action="store_true",
        help="the figures of its full.md: number, caption, and the artifact and place of each image",
    )
    p.set_defaults(func=run)


def _where(item: dict) -> str:
    kind = item["kind"]
    if kind == "eprint":
        text = f"{item['path']} member {item['member']}"
    elif kind == "pdf-region":
        box = ", ".join(f"{v:g}" for v in item["box"])
        text = f"{item['path']} page {item['page']}, box ({box}) pt"
    elif kind == "pdf-page":
        text = f"{item['path']} page {item['page']}"
    else:
        text = item["path"]
    if kind == "url":
        text += (
            f" (stored as {item['file']})" if item["file"] else " (not stored: refs fetch --images)"
        )
    elif item["file"] is None:
        text += " (missing: refs fetch)"
    return text


def _figures(lib, args) -> int:
    from ..views import figures_view

    view = figures_view(lib, args.id)
    if args.json:
        emit_json(view)
        return 0
    console.print(f"Figures of {view['path']} ({len(view['figures'])}):", markup=False)
    for fig in view["figures"]:
        name = f"Figure {fig['number']}" if fig["number"] else "Figure"
        console.print(f"{fig['line']:>6}  {name}: {fig['caption']}", markup=False)
        for item in fig["origins"]:
            console.print(f"{'':>8}from {_where(item)}", markup=False)
        if not fig["origins"]:
            console.print(f"{'':>8}(no image named: the figure stays text)", markup=False)
    return 0


def run(lib, args) -> int:
    from ..views import anchors_view, show_view

    if args.anchors and args.figures:
        raise UsageError("refs show: --anchors or --figures, not both")
    if args.figures:
        return _figures(lib, args)
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
