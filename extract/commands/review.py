"""`refs review <id> [--yes] [--json]`: the only way a resource becomes `condensed`.

It runs every check for the resource and lists what is broken (errors) or
unfinished (TODO(card) placeholders). Only a converted resource whose card is clean
may be marked, and only after a person confirms (a `y` on a terminal, or --yes).
The review date is appended to the manifest notes; the card's Status row follows.

Accepting a card also records what each claim's cited passages say now
(`refs/reviews/<id>.json`, `extract.review_record`), so that a later re-convert
that changes one of them flags exactly the claims citing it (`claim-stale`). A
condensed card with stale claims, or with no record yet, can be reviewed again:
that re-records the passages and clears the flags, leaving the status as it is.
"""

from __future__ import annotations

import datetime
import re
import sys

from .. import fsio
from ..check import check_resource
from ..errors import RefsError
from ..output import console, emit_json
from ..progress import next_step
from ..review_record import load_record, make_record, save_record, stale_claims
from ..views import load_card

_STATUS_ROW = re.compile(r"^(\|\s*Status\s*\|\s*)([^|]*?)(\s*\|.*)$")


def register(sub) -> None:
    p = sub.add_parser("review", help="check a card and, when clean, mark its resource condensed")
    p.add_argument("id", help="resource id")
    p.add_argument("--yes", action="store_true", help="confirm without a prompt (non-interactive)")
    p.add_argument("--json", action="store_true", help="the findings and the outcome as JSON")
    p.set_defaults(func=run)


def reviewed_notes(notes: str, day: datetime.date) -> str:
    stamp = f"reviewed {day.isoformat()}"
    notes = (notes or "").rstrip()
    return f"{notes.rstrip('.;')}; {stamp}" if notes else stamp


def blocking(findings) -> tuple[list, list, list]:
    """(errors, placeholders, other warnings): the first two block a review."""
    errors = [f for f in findings if f.severity == "error"]
    placeholders = [f for f in findings if f.severity != "error" and "placeholder" in f.rule]
    others = [f for f in findings if f not in errors and f not in placeholders]
    return errors, placeholders, others


def _precondition(lib, rid: str) -> None:
    res = lib.resource(rid)
    if res.status == "link_only":
        raise RefsError(
            f"`{rid}` is link_only: it has no source to condense", lib.manifest_path, res.line
        )
    step = next_step(lib, rid)
    if res.status in ("pending", "fetched"):
        raise RefsError(
            f"`{rid}` is {res.status}; only a converted resource can be reviewed: "
            + (f"run `{step.command}`, then write its card" if step.command else step.what),
            lib.manifest_path,
            res.line,
        )
    if not lib.has_card(rid):
        raise RefsError(f"`{rid}` has no card yet; run `{step.command}` and finish it")


def _confirm(rid: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        raise RefsError(
            f"not marked: confirmation needed and stdin is not a terminal; "
            f"run `refs review {rid} --yes` to confirm that you reviewed the card"
        )
    answer = input(f"Mark `{rid}` condensed (you reviewed its card)? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _update_status_row(lib, rid: str) -> bool:
    """Set the card's `| Status | ... |` row to condensed; False when it has none."""
    path = lib.card_path(rid)
    text = fsio.read_text(path)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _STATUS_ROW.match(line)
        if m:
            lines[i] = f"{m.group(1)}condensed{m.group(3)}"
            fsio.write_text(path, "\n".join(lines))
            return True
        if line.startswith("## "):
            break
    return False


def _say(args, data: dict, message: str) -> None:
    if args.json:
        emit_json(data)
    else:
        console.print(message, markup=False)


def _needs_rereview(lib, rid: str) -> str:
    """Why a condensed card is worth reviewing again ("" when it is not): stale claims,
    or no record of its cited passages yet."""
    card = load_card(lib, rid)
    if card is None:
        return ""
    record = load_record(lib, rid)
    if record is None:
        return "its cited passages were never recorded"
    stale = sorted({s.claim for s in stale_claims(lib, card, record)})
    if stale:
        return "claim(s) " + ", ".join(map(str, stale)) + " cite passages that changed since"
    return ""


def run(lib, args) -> int:
    rid = args.id
    res = lib.resource(rid)
    again = ""
    if res.status == "condensed":
        again = _needs_rereview(lib, rid)
        if not again:
            msg = f"`{rid}` is already condensed ({res.notes or 'no notes'}); nothing to do"
            _say(args, {"id": rid, "status": res.status, "reviewed": False, "message": msg}, msg)
            return 0
        if not args.json:
            console.print(f"`{rid}` is condensed; reviewing again: {again}", markup=False)
    else:
        _precondition(lib, rid)
    findings = check_resource(lib, rid)
    errors, placeholders, others = blocking(findings)
    report = {
        "id": rid,
        "status": res.status,
        "errors": len(errors),
        "placeholders": len(placeholders),
        "warnings": len(others),
        "findings": [f.to_dict() for f in findings],
        "reviewed": False,
    }
    if not args.json:
        for f in findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            label = "error" if f in errors else "unfinished" if f in placeholders else "warning"
            console.print(f"{label} {where} [{f.rule}] {f.message}", markup=False)
    if errors or placeholders:
        message = (
            f"not marked: {len(errors)} error(s), {len(placeholders)} unfinished placeholder(s); "
            f"fix them and run `refs review {rid}` again"
        )
        _say(args, {**report, "message": message}, message)
        return 1
    if not _confirm(rid, args.yes):
        message = "not marked: not confirmed; nothing changed"
        _say(args, {**report, "message": message}, message)
        return 1
    card = load_card(lib, rid)
    if card is None:  # removed while we asked: mark nothing
        raise RefsError(f"`{rid}` has no card any more; nothing changed", lib.card_path(rid))
    day = datetime.date.today()
    notes = reviewed_notes(res.notes, day)
    if again:
        notes = res.notes  # already condensed: only the record is renewed
    else:
        lib.set_condensed(rid, notes)
    row = _update_status_row(lib, rid)
    record = make_record(lib, card, day.isoformat())
    path = save_record(lib, record)
    report.update(
        status="condensed",
        reviewed=True,
        notes=notes,
        card_status_row=row,
        record=lib.rel(path),
        recorded_passages=len(record["passages"]),
    )
    if args.json:
        emit_json(report)
    else:
        what = "recorded again" if again else "is condensed"
        console.print(f"`{rid}` {what}; notes: {notes}", markup=False)
        console.print(
            f"recorded {len(record['passages'])} cited passage(s) in {lib.rel(path)}: "
            "`refs check` flags a claim whose passage changes (claim-stale)",
            markup=False,
        )
        if not row:
            console.print("the card has no `| Status |` row to update", markup=False)
    return 0
