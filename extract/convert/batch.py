"""Convert many resources: worker processes convert, the calling thread writes.

Conversion is a pure function of a raw folder (`run.convert_one`), so it runs in
worker processes; the calling thread alone writes each full.md and the manifest, as
results arrive, so a failed conversion leaves the previous full.md as it was. The
largest raw folders go to the workers first: a 30-page guide started last would
keep one worker busy long after the other ran out of work. The manifest is saved
every few seconds and at the end (`ManifestBatch`), not once per resource. A worker
that dies (a crash in a native library, the out-of-memory killer) breaks the pool:
what had not finished is converted again, each resource alone, so only the one that
kills its process fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .. import fsio, full_md, workers
from ..errors import RefsError
from ..library import Library, merge_local_paths
from ..manifest import Resource
from ..manifest_batch import ManifestBatch
from ..outcome import Outcome
from .run import convert_one

MAX_JOBS = 8
DIED = (
    "converting it ended the worker process (a crash in a native library such as "
    "PDFium, or no memory left); the artifact may be damaged: re-fetch it"
)


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
    """Write one worker's result (main thread): the full.md when it changed. The
    status moves with `record`."""
    if kind != "ok":
        message = payload.replace(str(lib.root) + os.sep, "")  # repo-relative paths
        return Outcome(res.id, "failed", message + " (previous full.md left as it was)")
    path = lib.full_md_path(res.id)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old != payload:
        fsio.write_text(path, payload)
    rel = lib.rel(path)
    note = "" if old != payload else " (unchanged)"
    return Outcome(res.id, "converted", rel + note, local_paths=[rel])


def record(lib: Library, outcome: Outcome) -> bool:
    """Move a converted resource to `converted` in memory (a condensed one stays);
    True when the manifest changed. Main thread only; `ManifestBatch` saves the file."""
    if outcome.result != "converted":
        return False
    res = lib.resource(outcome.rid)
    if res.status not in ("fetched", "converted"):
        return False
    if res.status == "converted" and (
        merge_local_paths(res.local_paths, outcome.local_paths) == res.local_paths
    ):
        return False
    lib.advance(res.id, "converted", outcome.local_paths, save=False)
    return True


def raw_size(raw_dir: Path) -> int:
    """Bytes under a raw folder: what a conversion will have to read, roughly its cost."""
    total = 0
    for folder, _, files in os.walk(raw_dir):
        for name in files:
            try:
                total += os.stat(os.path.join(folder, name)).st_size
            except OSError:
                pass  # the worker reports it
    return total


def _in_workers(
    lib: Library, todo: list[Resource], jobs: int, done: Callable[[Resource, tuple], None]
) -> list[Resource]:
    """Convert ``todo`` in ``jobs`` worker processes, in that order, handing each
    result to ``done`` as it arrives; returns the resources a dead worker took with it."""
    lost: list[Resource] = []
    with workers.pool(min(jobs, len(todo))) as pool:
        with workers.forking():
            futures = {pool.submit(work, str(lib.raw_dir(r.id)), meta_of(r)): r for r in todo}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                lost.append(futures[future])
                continue
            done(futures[future], result)
    return sorted(lost, key=todo.index)


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
    batch = ManifestBatch(lib, lambda outcome: record(lib, outcome), "full.md written")

    def done(res: Resource, result: tuple[str, str]) -> None:
        outcome = outcomes[res.id] = store(lib, res, *result)
        batch.add(outcome)
        if on_done:
            on_done(outcome)

    try:
        if jobs == 1 or len(todo) <= 1:
            for res in todo:
                done(res, work(str(lib.raw_dir(res.id)), meta_of(res)))
        else:
            largest_first = sorted(todo, key=lambda r: -raw_size(lib.raw_dir(r.id)))
            for res in _in_workers(lib, largest_first, jobs, done):
                if _in_workers(lib, [res], 1, done):  # alone, it is the one
                    done(res, ("error", f"{lib.raw_dir(res.id)}: {DIED}"))
    finally:
        batch.flush()  # even when stopped: what arrived is recorded
    return [outcomes[r.id] for r in unique]
