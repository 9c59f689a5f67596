"""`refs check [<id>] [--json]`: validate the whole library (or the rules that concern
one resource); exit 1 on any error."""

from __future__ import annotations

from ..output import console, emit_json
from ..views import check_view


def register(sub) -> None:
    p = sub.add_parser("check", help="validate manifest, files on disk, cards and citations")
    p.add_argument(
        "id", nargs="?", help="only the rules that concern this resource (what `refs review` runs)"
    )
    p.add_argument("--json", action="store_true", help="findings as JSON")
    p.add_argument("--errors-only", action="store_true", help="hide warnings (unfinished stubs)")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    view = check_view(lib, args.id, errors_only=args.errors_only)
    if args.json:
        emit_json(view)
    else:
        for f in view["findings"]:
            style = "red" if f["severity"] == "error" else "yellow"
            console.print(f"[{style}]{f['severity']}[/{style}] ", end="")
            where = f["path"] + (f":{f['line']}" if f["line"] else "")
            console.print(f"{where} [{f['rule']}] {f['message']}", markup=False)
        console.print(f"{view['errors']} error(s), {view['warnings']} warning(s)")
    return 0 if view["ok"] else 1
