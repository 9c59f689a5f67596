"""`refs card <id>`: write a card stub from the resource type's template."""

from __future__ import annotations

from .. import fsio
from ..errors import RefsError
from ..output import console
from ..scaffold import card_stub


def register(sub) -> None:
    p = sub.add_parser("card", help="write the Tier 3 card stub for a resource")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument(
        "--force", action="store_true", help="allow a card for a resource outside Phase 1"
    )
    p.add_argument("--stdout", action="store_true", help="print the stub instead of writing it")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    resources = [lib.resource(rid) for rid in args.ids]  # unknown ids fail before any write
    failed = 0
    for res in resources:
        path = lib.card_path(res.id)
        if args.stdout:
            console.print(card_stub(lib, res), markup=False, end="")
            continue
        try:
            if path.exists():
                raise RefsError(
                    "card already exists; it is people's writing and is never overwritten",
                    lib.rel(path),
                )
            if res.priority != "high" and not args.force:
                raise RefsError(
                    f"`{res.id}` is priority {res.priority}: cards are written for Phase 1 (priority high) "
                    f"first; pass --force to write this one anyway"
                )
            fsio.write_text(path, card_stub(lib, res))
            console.print(f"wrote {lib.rel(path)}", markup=False)
        except RefsError as exc:
            console.print(f"refs: {exc}", markup=False, style="red")
            failed += 1
    return 1 if failed else 0
