"""`refs search <words> [--json] [--limit K] [--kind K] [--id ID]`: ranked hits with snippets."""

from __future__ import annotations

from ..output import console, emit_json


def register(sub) -> None:
    p = sub.add_parser("search", help="full-text search over cards, topic docs and full.md files")
    p.add_argument("words", nargs="+", help='words to find; "quote a phrase" to keep it together')
    p.add_argument("--json", action="store_true", help="hits as JSON")
    p.add_argument("--limit", type=int, default=10, help="how many hits (default 10)")
    p.add_argument(
        "--kind",
        action="append",
        choices=("card", "topic", "doc", "source"),
        help="only this kind of file (repeatable)",
    )
    p.add_argument("--id", dest="rid", help="only files of this resource")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    from ..search import search

    query = " ".join(args.words)
    if args.rid:
        lib.resource(args.rid)
    hits = search(lib, query, limit=args.limit, kinds=args.kind, rid=args.rid)
    if args.json:
        emit_json({"query": query, "hits": [h.to_dict(i) for i, h in enumerate(hits, 1)]})
        return 0
    if not hits:
        console.print(f"no hits for {query!r}", markup=False)
        return 0
    _print(hits)
    return 0


def _print(hits) -> None:
    from rich.text import Text

    from ..search import HIT_END, HIT_START

    for i, h in enumerate(hits, 1):
        head = Text.assemble(
            (f"{i:>2}. ", "bold"),
            (h.target, "cyan"),
            (f":{h.line}", "dim"),
            (f"  [{h.kind}]", "dim"),
        )
        if h.heading:
            head.append(f"  {h.heading}", style="bold")
        console.print(head)
        snippet = Text("    ")
        for j, part in enumerate(h.snippet.split(HIT_START)):
            matched, _, rest = part.partition(HIT_END) if j else ("", "", part)
            snippet.append(matched, style="bold yellow")
            snippet.append(rest)
        console.print(snippet)
