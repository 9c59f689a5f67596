"""`refs search <words> [--json] [--limit K] [--kind K] [--id ID]`: ranked sections with snippets.

`refs search --related <id> [--json] [--limit K]`: what cites the resource, what it
cites, its topics, and the sections elsewhere nearest to its text.
"""

from __future__ import annotations

from ..errors import UsageError
from ..output import console, emit_json


def register(sub) -> None:
    p = sub.add_parser(
        "search",
        help="ranked sections of cards, topic docs and full.md files; --related <id> for links",
    )
    p.add_argument("words", nargs="*", help='words to find; "quote a phrase" to keep it together')
    p.add_argument("--json", action="store_true", help="hits as JSON")
    p.add_argument("--limit", type=int, default=10, help="how many hits (default 10)")
    p.add_argument(
        "--kind",
        action="append",
        choices=("card", "topic", "doc", "source"),
        help="only this kind of file (repeatable)",
    )
    p.add_argument("--id", dest="rid", help="only files of this resource")
    p.add_argument(
        "--related",
        metavar="ID",
        help="instead of words: the cards, topics and sources linked to this resource, "
        "and the sections nearest to its text",
    )
    p.set_defaults(func=run)


def run(lib, args) -> int:
    if args.related:
        if args.words or args.kind or args.rid:
            raise UsageError(
                "--related takes a resource id alone: give either words or --related <id>, "
                "e.g. `refs search --related zero-bubble-pp`"
            )
        return _related(lib, args)
    if not args.words:
        raise UsageError(
            "give words to search for (e.g. `refs search zero bubble`) or --related <id>"
        )
    from ..views import search_hits, search_view

    query = " ".join(args.words)
    hits = search_hits(lib, query, limit=args.limit, kinds=args.kind, rid=args.rid)
    _say_unread(lib)
    if args.json:
        emit_json(search_view(query, hits))
        return 0
    if not hits:
        console.print(f"no hits for {query!r}", markup=False)
        return 0
    _print(hits)
    return 0


def _say_unread(lib) -> None:
    """Each file search could not read as it is, named on stderr (JSON stays clean)."""
    import sys

    from ..errors import RefsError
    from ..search_index import open_index, problems

    conn = open_index(lib)
    try:
        for path, message in problems(conn):
            print(f"refs: warning: {RefsError(message, lib.root / path)}", file=sys.stderr)
    finally:
        conn.close()


def _related(lib, args) -> int:
    from ..search_related import related

    data = related(lib, args.related, limit=args.limit)
    if args.json:
        emit_json(data)
        return 0
    _print_related(data)
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


def _print_related(data: dict) -> None:
    from rich.text import Text

    def place(end: dict) -> str:
        return end["path"] + (f"#{end['anchor']}" if end.get("anchor") else "")

    console.print(Text.assemble((data["id"], "bold cyan"), f"  {data['title']}"))
    for t in data["topics"]:
        where = f"  {t['path']}" if t["path"] else "  (no topic doc yet)"
        console.print(
            Text.assemble("topic ", (str(t["key"]), "bold"), f" {t['title']}", (where, "dim"))
        )
    for name, key in (("cites", "cites"), ("cited by", "cited_by")):
        links = data[key]
        console.print(Text(f"{name}: {len(links) or 'nothing'}", style="bold"))
        for k in links:
            src = f"{k['from']['path']}:{k['from']['line']}"
            main, other = (place(k["to"]), src) if key == "cites" else (src, place(k["to"]))
            via = k["via"] + (f" {k['url']}" if k["url"] else "")
            console.print(
                Text.assemble(
                    "  ", (main, "cyan"), (f"  [{k['kind']}, {via}]", "dim"), f"  ({other})"
                )
            )
    nearest = data["nearest"]
    console.print(Text(f"nearest sections: {len(nearest) or 'none'}", style="bold"))
    if data["nearest_terms"]:
        console.print(Text("  by the words: " + " ".join(data["nearest_terms"]), style="dim"))
    for h in nearest:
        line = Text.assemble(
            f"  {h['rank']:>2}. ", (h["target"], "cyan"), (f"  [{h['kind']}]", "dim")
        )
        if h["heading"]:
            line.append(f"  {h['heading']}", style="bold")
        console.print(line)
