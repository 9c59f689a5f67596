"""`refs sync [--dry-run] [--add-missing] [--json]`: hold the manifest against the curriculum.

The manifest is the source of truth and the curriculum is never rewritten: sync reports
what the manifest lacks (with the exact entry to add), adds it only with --add-missing,
and never overwrites a field a person set.
"""

from __future__ import annotations

from ..output import console, emit_json, err_console
from ..sync import sync


def register(sub) -> None:
    p = sub.add_parser(
        "sync", help="compare refs/manifest.yaml with the curriculum", description=__doc__
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument(
        "--add-missing",
        action="store_true",
        help="append the curriculum entries the manifest lacks (untagged ones with type and "
        "priority guessed from the URL, flagged `guessed:` for review)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    report = sync(lib, dry_run=args.dry_run, add_missing=args.add_missing)
    curriculum = lib.rel(lib.curriculum_path)
    if args.json:
        emit_json(
            {
                "dry_run": args.dry_run,
                "changed": report.changed,
                "changes": [
                    {
                        "id": c.rid,
                        "kind": c.kind,
                        "detail": c.detail,
                        "line": c.line,
                        "entry": c.entry or None,
                    }
                    for c in report.changes
                ],
                "warnings": [
                    {"path": curriculum, "line": w.line, "message": w.message}
                    for w in report.warnings
                ],
            }
        )
        return 0
    for w in report.warnings:
        err_console.print(
            f"{curriculum}:{w.line}: warning: {w.message}", markup=False, soft_wrap=True
        )
    for c in report.changes:
        where = f" ({curriculum}:{c.line})" if c.line and c.kind in ("missing", "added") else ""
        console.print(
            f"{c.kind:13} {c.rid}{where}" + (f": {c.detail}" if c.detail else ""), markup=False
        )
        if c.kind == "missing" and c.entry:
            console.print("  add to refs/manifest.yaml under `resources:`:", markup=False)
            console.print(
                "\n".join("  " + row for row in c.entry.rstrip().splitlines()), markup=False
            )
    missing = report.of("missing")
    if missing:
        console.print(
            f"{len(missing)} curriculum entr{'y' if len(missing) == 1 else 'ies'} the manifest "
            "lacks; `refs sync --add-missing` appends " + ("it" if len(missing) == 1 else "them"),
            markup=False,
        )
    if not report.changed:
        console.print(
            "nothing to write: the manifest already holds every curriculum entry"
            if not missing
            else "nothing written"
        )
    else:
        n = sum(1 for c in report.changes if c.kind in report.WRITES)
        verb = "would be written" if args.dry_run else "written"
        console.print(f"{n} change(s) {verb}", markup=False)
    return 0
