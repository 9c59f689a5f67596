"""`refs convert <id>... | --all | --status fetched [--force] [--jobs N]`:
Tier 2, `sources/<id>/raw/` -> `sources/<id>/full.md`.

The selection, the progress bar and the report; the batch itself (worker processes,
the main thread alone writing files and the manifest) is Tier 2's
(`convert.batch.convert_resources`), as fetching many is Tier 1's.
"""

from __future__ import annotations

from .. import fsio
from ..convert.batch import MAX_JOBS, Options, convert_resources
from ..errors import RefsError, UsageError
from ..outcome import Outcome
from ..output import console, emit_json, err_console, progress


def register(sub) -> None:
    p = sub.add_parser("convert", help="convert fetched raw artifacts to sources/<id>/full.md")
    p.add_argument("ids", nargs="*", metavar="ID", help="resources to convert")
    p.add_argument("--all", action="store_true", help="every fetched resource")
    p.add_argument("--status", help="resources with this status (e.g. fetched)")
    p.add_argument("--force", action="store_true", help="convert again even if converted")
    p.add_argument(
        "--jobs", type=int, default=0, help=f"worker processes (default: CPU count, max {MAX_JOBS})"
    )
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.add_argument(
        "--render-pages",
        action="store_true",
        help="render a paper's PDF pages to PNG in a temporary folder and print the vision checklist",
    )
    p.set_defaults(func=run)


def render_pages_for(lib, rid: str) -> int:
    """Pages of a resource's PDF as PNGs, for a vision pass over figures and tables."""
    import tempfile
    from pathlib import Path

    from ..convert.eprint import find_eprint, read_eprint
    from ..convert.render_pages import VISION_CHECKLIST, render_pages

    lib.resource(rid)
    raw = lib.raw_dir(rid)
    pdf = raw / "paper.pdf"
    out = Path(tempfile.mkdtemp(prefix=f"refs-pages-{rid}-"))
    if not pdf.is_file():
        eprint = find_eprint(raw)
        book = read_eprint(eprint) if eprint else None
        if book is None or not getattr(book, "pdf", None):
            raise RefsError(
                f"no PDF for `{rid}` under {lib.rel(raw)}; run `refs fetch {rid}` first"
            )
        pdf = out / "eprint.pdf"
        fsio.write_bytes(pdf, book.pdf)
    pages = render_pages(pdf, out)
    console.print(
        f"rendered {len(pages)} page(s) of {lib.rel(pdf) if pdf.is_relative_to(lib.root) else pdf} into {out}",
        markup=False,
    )
    for page in pages:
        console.print(f"  {page}", markup=False)
    console.print(VISION_CHECKLIST, markup=False)
    return 0


def run(lib, args) -> int:
    if args.render_pages:
        if len(args.ids) != 1 or args.all or args.status:
            raise UsageError("--render-pages takes exactly one resource id")
        return render_pages_for(lib, args.ids[0])
    if args.ids and (args.all or args.status):
        raise UsageError("name resources or use --all / --status, not both")
    if not (args.ids or args.all or args.status):
        raise UsageError("say what to convert: resource ids, --all or --status fetched")
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (automatic) or more")
    resources = lib.select(args.ids, status=args.status, everything=args.all)
    with progress("converting", len({r.id for r in resources})) as bar:
        outcomes = convert_resources(
            lib,
            resources,
            Options(force=args.force, jobs=args.jobs),
            on_done=lambda o: bar.advance(o.rid),
        )
    return _report(outcomes, args, explicit=bool(args.ids))


def _report(outcomes: list[Outcome], args, explicit: bool) -> int:
    failed = [o for o in outcomes if not o.ok]
    unfetched = [o for o in outcomes if o.result == "skipped" and "not fetched" in o.message]
    code = 1 if failed or (explicit and unfetched) else 0
    if args.json:
        emit_json(
            {
                "results": [o.to_dict() for o in outcomes],
                "exit_code": code,
            }
        )
        return code
    for o in outcomes:
        target = err_console if not o.ok else console
        target.print(f"{o.result:9} {o.rid}: {o.message}", markup=False)
    counts = {
        s: sum(1 for o in outcomes if o.result == s) for s in ("converted", "skipped", "failed")
    }
    console.print(
        f"{counts['converted']} converted, {counts['skipped']} skipped, {counts['failed']} failed",
        markup=False,
    )
    return code
