"""Convert many resources: worker processes convert, the calling thread writes.

Conversion is a pure function of a raw folder (`run.convert_one`), so it runs in
worker processes; the calling thread alone writes each full.md and the manifest, in
the selection's order, so a failed conversion leaves the previous full.md as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from .. import fsio, full_md, workers
from ..errors import RefsError
from ..library import Library
from ..manifest import Resource
from ..outcome import Outcome
from .run import convert_one

MAX_JOBS = 8


@dataclass(frozen=True)
class Options:
    force: bool = False  # convert again what is converted and not stale
    jobs: int = 0  # worker processes; 0: the CPU count, at most MAX_JOBS


def skip_reason(lib: Library, res: Resource, force: bool) -> str | None:
    if res.status == "link_only":
        return "link_only: not fetched or converted"
    if res.status == "pending":
        return f"not fetched yet; run `refs fetch {res.id}` first"
    if res.status in ("converted", "condensed") and not force and not is_stale(lib, res.id):
        return f"already {res.status} (--force redoes it)"
    return None


def is_stale(lib: Library, rid: str) -> bool:
    """A full.md converted from other raw artifacts than raw/ holds now: redone."""
    path = lib.full_md_path(rid)
    if not path.is_file():
        return True
    try:
        meta, _ = full_md.read(path)
    except RefsError:
        return True  # a damaged full.md is redone too
    return full_md.is_stale(meta, lib.raw_dir(rid))


def meta_of(res: Resource) -> dict:
    """What the manifest knows for the front matter (`run.convert_one`'s ``meta``)."""
    return {
        "title": res.title,
        "source_url": res.urls[0] if res.urls else "",
        "source_type": res.type,
        "urls": list(res.urls),
    }


def work(raw_dir: str, meta: dict) -> tuple[str, str]:
    """('ok', text) or ('error', message): errors travel back from a worker as text."""
    try:
        return "ok", convert_one(raw_dir, meta)
    except RefsError as exc:
        return "error", str(exc)
    except Exception as exc:  # a converter bug on one page must not sink the batch
        return "error", f"{raw_dir}: conversion failed: {type(exc).__name__}: {exc}"


def store(lib: Library, res: Resource, kind: str, payload: str) -> Outcome:
    """Write one worker's result (main thread): the full.md when it changed, the status."""
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


def convert_resources(
    lib: Library,
    resources: list[Resource],
    options: Options,
    *,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Convert the selection; outcomes come back in the selection's order, ``on_done``
    is told of each as it is known (skipped ones first)."""
    outcomes: dict[str, Outcome] = {}
    todo: list[Resource] = []
    unique = list({r.id: r for r in resources}.values())  # a resource named twice: once
    for res in unique:
        if (reason := skip_reason(lib, res, options.force)) is not None:
            outcomes[res.id] = Outcome(res.id, "skipped", reason)
            if on_done:
                on_done(outcomes[res.id])
        else:
            todo.append(res)
    jobs = options.jobs or min(MAX_JOBS, os.cpu_count() or 1)
    if jobs == 1 or len(todo) <= 1:
        results = (work(str(lib.raw_dir(r.id)), meta_of(r)) for r in todo)
        _collect(lib, todo, results, outcomes, on_done)
    else:
        with workers.pool(min(jobs, len(todo))) as pool:
            futures = [pool.submit(work, str(lib.raw_dir(r.id)), meta_of(r)) for r in todo]
            _collect(lib, todo, (f.result() for f in futures), outcomes, on_done)
    return [outcomes[r.id] for r in unique]


def _collect(lib, todo, results, outcomes: dict[str, Outcome], on_done) -> None:
    for res, (kind, payload) in zip(todo, results, strict=True):
        outcomes[res.id] = store(lib, res, kind, payload)
        if on_done:
            on_done(outcomes[res.id])
