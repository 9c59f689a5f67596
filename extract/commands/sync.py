"""`refs sync [--dry-run] [--json]`: derive the manifest from the curriculum."""

from __future__ import annotations

from ..output import console, emit_json
from ..sync import sync


def register(sub) -> None:
    p = sub.add_parser("sync", help="update refs/manifest.yaml from the curriculum")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    report = sync(lib, dry_run=args.dry_run)
    if args.json:
        emit_json(
            {
                "dry_run": args.dry_run,
                "changed": report.changed,
                "changes": [
                    {"id": c.rid, "kind": c.kind, "detail": c.detail} for c in report.changes
                ],
            }
        )
        return 0
    verb = "would change" if args.dry_run else "changed"
    for line in report.lines():
        console.print(line, markup=False)
    if not report.changed:
        console.print("manifest is in sync with the curriculum; nothing to change")
    else:
        n = sum(1 for c in report.changes if c.kind != "orphan")
        console.print(
            f"{n} change(s) {verb}" + ("" if args.dry_run else f" in {lib.rel(lib.manifest_path)}")
        )
    return 0
