"""`refs convert <id>... | --all | --status fetched [--force] [--jobs N]`:
Tier 2, `sources/<id>/raw/` -> `sources/<id>/full.md`.

Conversion is a pure function of the raw folder, so it runs in worker
processes; the main thread alone writes files and the manifest.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from .. import fsio, full_md
from ..convert.run import convert_one
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
        "--jobs", type=int, default=0, help="worker processes (default: CPU count, max 8)"
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


def _worker(raw_dir: str, meta: dict) -> tuple[str, str]:
    """('ok', text) or ('error', message): errors travel back as text."""
    try:
        return "ok", convert_one(raw_dir, meta)
    except RefsError as exc:
        return "error", str(exc)
    except Exception as exc:  # a converter bug on one page must not sink the batch
        return "error", f"{raw_dir}: conversion failed: {type(exc).__name__}: {exc}"


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
    explicit = bool(args.ids)
    resources = lib.select(args.ids, status=args.status, everything=args.all)
    outcomes: list[Outcome] = []
    todo = []
    for res in resources:
        if res.status in ("pending", "link_only"):
            why = (
                "link_only: not fetched or converted"
                if res.status == "link_only"
                else (f"not fetched yet; run `refs fetch {res.id}` first")
            )
            outcomes.append(Outcome(res.id, "skipped", why))
        elif (
            res.status in ("converted", "condensed") and not args.force and not _stale(lib, res.id)
        ):
            outcomes.append(Outcome(res.id, "skipped", f"already {res.status} (--force redoes it)"))
        else:
            todo.append(res)

    jobs = args.jobs or min(8, os.cpu_count() or 1)
    with progress("converting", len(todo)) as bar:
        if jobs == 1 or len(todo) <= 1:
            results = []
            for res in todo:
                results.append(_worker(str(lib.raw_dir(res.id)), _meta(res)))
                bar.advance(res.id)
        else:
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
                futures = [pool.submit(_worker, str(lib.raw_dir(r.id)), _meta(r)) for r in todo]
                results = []
                for res, fut in zip(todo, futures, strict=True):
                    results.append(fut.result())
                    bar.advance(res.id)
        for res, (kind, payload) in zip(todo, results, strict=True):
            outcomes.append(_store(lib, res, kind, payload))

    order = {r.id: i for i, r in enumerate(resources)}
    outcomes.sort(key=lambda o: order[o.rid])
    return _report(outcomes, args, explicit)


def _meta(res) -> dict:
    return {
        "title": res.title,
        "source_url": res.urls[0] if res.urls else "",
        "source_type": res.type,
        "urls": list(res.urls),
    }


def _stale(lib, rid: str) -> bool:
    """A full.md converted from other raw artifacts than raw/ holds now: redone."""
    path = lib.full_md_path(rid)
    if not path.is_file():
        return True
    try:
        meta, _ = full_md.read(path)
    except RefsError:
        return True  # a damaged full.md is redone too
    return full_md.is_stale(meta, lib.raw_dir(rid))


def _store(lib, res, kind: str, payload: str) -> Outcome:
    if kind != "ok":
        message = payload.replace(str(lib.root) + os.sep, "")  # repo-relative paths
        return Outcome(res.id, "failed", message + " (previous full.md left as it was)")
    path = lib.full_md_path(res.id)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old != payload:
        fsio.write_text(path, payload)
    rel = lib.rel(path)
    if res.status in ("fetched", "converted"):
        lib.advance(res.id, "converted", [rel])
    note = "" if old != payload else " (unchanged)"
    return Outcome(res.id, "converted", rel + note, local_paths=[rel])


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
