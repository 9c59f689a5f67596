"""`refs check [--json]`: validate the whole library; exit 1 on any error."""

from __future__ import annotations

from collections import Counter

from ..check import ERROR, check_library, has_errors
from ..output import console, emit_json


def register(sub) -> None:
    p = sub.add_parser("check", help="validate manifest, files on disk, cards and citations")
    p.add_argument("--json", action="store_true", help="findings as JSON")
    p.add_argument("--errors-only", action="store_true", help="hide warnings (unfinished stubs)")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    findings = check_library(lib)
    if args.errors_only:
        findings = [f for f in findings if f.severity == ERROR]
    counts = Counter(f.severity for f in findings)
    if args.json:
        emit_json(
            {
                "ok": not has_errors(findings),
                "errors": counts.get("error", 0),
                "warnings": counts.get("warning", 0),
                "findings": [f.to_dict() for f in findings],
            }
        )
    else:
        for f in findings:
            style = "red" if f.severity == ERROR else "yellow"
            console.print(f"[{style}]{f.severity}[/{style}] ", end="")
            console.print(
                f"{f.path}{':' + str(f.line) if f.line else ''} [{f.rule}] {f.message}",
                markup=False,
            )
        console.print(f"{counts.get('error', 0)} error(s), {counts.get('warning', 0)} warning(s)")
    return 1 if has_errors(findings) else 0
