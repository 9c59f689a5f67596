"""`refs status [--json]`: counts, per-topic and Phase 1 progress, the reading order."""

from __future__ import annotations

from ..output import clip, console, emit_json, err_console, table
from ..progress import status_report


def register(sub) -> None:
    p = sub.add_parser("status", help="where the library stands")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=run)


def _bar(fraction: float, width: int = 20) -> str:
    filled = round(fraction * width)
    return "█" * filled + "·" * (width - filled) + f" {fraction:4.0%}"


def run(lib, args) -> int:
    rep = status_report(lib)
    curriculum = lib.rel(lib.curriculum_path)
    warnings = [
        {"path": curriculum, "line": w.line, "message": w.message} for w in lib.curriculum_warnings
    ]
    if args.json:
        emit_json({**rep, "warnings": warnings})
        return 0
    for w in warnings:  # the report stands; these lines were skipped
        err_console.print(
            f"{w['path']}:{w['line']}: warning: {w['message']}", markup=False, soft_wrap=True
        )
    console.print(
        f"{rep['resources']} resources in {rep['topics']} topics; "
        f"Phase 1 (priority high): {rep['phase1']['resources']} resources, {_bar(rep['phase1']['fraction'])}; "
        f"overall {_bar(rep['overall']['fraction'])}",
        markup=False,
    )
    if rep["hand_fetched"]:
        console.print(
            f"{len(rep['hand_fetched'])} resource(s) hold raw files fetched by hand, with no "
            "provenance; `refs fetch --record --all` records it (downloads nothing)",
            markup=False,
        )
    for key in ("by_status", "by_priority", "by_type"):
        counts: dict[str, int] = rep[key]
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        console.print(table(key.replace("_", " "), ["value", "count"], ranked))
    rows = [
        (str(t["key"]), clip(t["title"], 60), t["resources"], _bar(t["fraction"], 12))
        for t in rep["per_topic"]
    ]
    console.print(table("progress per topic", ["topic", "title", "resources", "progress"], rows))
    rows = [
        (s["step"], s["title"], r["id"], r["status"])
        for s in rep["reading_order"]
        for r in s["resources"]
    ]
    console.print(table("reading order", ["step", "title", "resource", "status"], rows))
    return 0
