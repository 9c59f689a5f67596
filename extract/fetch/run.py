"""Fetch many resources: a thread pool of workers, the manifest updated from one thread.

Workers fetch and commit one resource each (files under its own `sources/<id>/`);
the calling thread collects their outcomes as they finish and is the only one
that writes the manifest, so manifest writes are serialised.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from .. import full_md, manifest_batch
from ..errors import RefsError
from ..full_md import read_provenance
from ..library import SOURCES_DIR, Library, merge_local_paths
from ..manifest import Resource, status_rank
from ..outcome import Outcome
from ..staging import STALE_AFTER, clear_dead_stages
from . import arxiv, github, images, pages
from .dispatch import Endpoints, Target, plan
from .http import Client, HttpConfig
from .job import ResourceJob

DONE_STATUSES = ("fetched", "converted", "condensed")


@dataclass(frozen=True)
class Options:
    force: bool = False
    dry_run: bool = False
    jobs: int = 4
    subpages: int = 0  # table-of-contents pages a docs resource may follow (0: off)


HANDLERS = {
    "arxiv": (arxiv.fetch, arxiv.describe),
    "issue": (github.fetch, github.describe),
    "repo": (github.fetch, github.describe),
    "page": (pages.fetch, pages.describe),
    "pdf": (pages.fetch, pages.describe),
}


def skip_reason(res: Resource, force: bool) -> str | None:
    if res.status == "link_only":
        return "link_only: not fetched"
    if not res.urls:
        return "no URL to fetch"
    if not res.fetchable:
        return f"a {res.type} is not fetched (kept as a link)"
    if res.status in DONE_STATUSES and not force:
        return f"already {res.status}; --force re-fetches (conditionally)"
    return None


def fetch_one(
    lib: Library,
    res: Resource,
    targets: list[Target],
    client: Client,
    endpoints: Endpoints,
    subpages: int,
) -> Outcome:
    """Fetch every target of one resource into raw/, all or nothing (runs in a worker)."""
    raw = lib.raw_dir(res.id)
    try:
        old = read_provenance(raw)
    except RefsError as exc:
        return Outcome(res.id, "failed", str(exc))
    job = ResourceJob(res.id, client, endpoints, raw, old, urls=res.urls, subpages=subpages)

    def fetch_targets() -> None:
        for i, target in enumerate(targets):
            if target.kind == "page":  # a docs site's first page may lead to its subpages
                pages.fetch(job, target, follow_toc=(i == 0 and res.type == "docs"))
            else:
                HANDLERS[target.kind][0](job, target)

    failure = job.run(fetch_targets)
    if failure is not None:
        return Outcome(res.id, "failed", failure, warnings=job.warnings)
    arts = [(a.rel, a.state) for a in job.artifacts.values()]
    paths = [lib.rel(raw / rel) for rel, _ in arts]
    refetch = bool(old.get("artifacts"))
    return Outcome(res.id, "refreshed" if refetch else "fetched", "", arts, job.warnings, paths)


def record(lib: Library, outcome: Outcome) -> bool:
    """Move the resource to `fetched` in memory (never backwards, except when the
    artifacts a full.md was made from changed: `Library.source_changed`); True if
    the manifest changed. Main thread only; `ManifestBatch` saves the file.
    """
    res = lib.resource(outcome.rid)
    moved = _full_md_outdated(lib, outcome) and lib.source_changed(res.id, save=False)
    if moved:
        outcome.warnings.append(
            "the artifacts changed since full.md was converted: back to `fetched`; "
            f"run `refs convert {res.id}`"
        )
    target = res.status if status_rank(res.status) >= status_rank("fetched") else "fetched"
    merged = merge_local_paths(res.local_paths, outcome.local_paths)  # a person's order kept
    if target == res.status and merged == res.local_paths:
        return moved
    if target == "condensed":  # only `refs review` sets it; a re-fetch only adds paths
        lib.manifest.set_fields(res.id, local_paths=merged)
    else:
        lib.advance(res.id, target, outcome.local_paths, save=False)
    return True


def _full_md_outdated(lib: Library, outcome: Outcome) -> bool:
    """Whether the resource's full.md was made from other artifacts than raw/ now
    holds: its recorded digest differs, or (a full.md that records none, e.g. made
    before digests or by hand) this fetch replaced an artifact a previous fetch had
    recorded. First descriptions (`refs fetch --record`, a new URL) change nothing."""
    path = lib.full_md_path(outcome.rid)
    if not path.is_file():
        return False
    try:
        meta, _ = full_md.read(path)
    except RefsError:
        meta = {}
    if meta.get(full_md.SOURCE_SHA256):
        return full_md.is_stale(meta, lib.raw_dir(outcome.rid))
    return any(state == "changed" for _, state in outcome.artifacts)


class ManifestBatch(manifest_batch.ManifestBatch):
    """Tier 1's: each fetched resource recorded by `record`."""

    def __init__(self, lib: Library, interval: float = 2.0):
        super().__init__(lib, lambda outcome: record(lib, outcome), "artifacts stored", interval)


def sweep_staging(lib: Library, selected: set[str]) -> None:
    """Clear staging folders of killed runs: the selected resources' whatever their
    age, the others' once they are old (a run still going holds its folder's lock)."""
    sources = lib.root / SOURCES_DIR
    if not sources.is_dir():
        return
    for rid in sorted(selected):
        clear_dead_stages(lib.source_dir(rid))
    for folder in sorted(p for p in sources.iterdir() if p.is_dir() and p.name not in selected):
        clear_dead_stages(folder, older_than=STALE_AFTER)


def fetch_resources(
    lib: Library,
    resources: list[Resource],
    options: Options,
    *,
    config: HttpConfig | None = None,
    endpoints: Endpoints | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Fetch the selection; outcomes come back in the selection's order."""
    endpoints = endpoints or Endpoints.from_env()
    config = config or HttpConfig.from_env()
    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[Resource, list[Target]]] = []
    unique = list({r.id: r for r in resources}.values())  # a resource named twice: once
    if not options.dry_run:
        sweep_staging(lib, {r.id for r in unique})
    for res in unique:
        if (reason := skip_reason(res, options.force)) is not None:
            outcomes[res.id] = Outcome(res.id, "skipped", reason)
        elif options.dry_run:
            targets = plan(res.urls, endpoints)
            names = [n for t in targets for n in HANDLERS[t.kind][1](t)]
            outcomes[res.id] = Outcome(res.id, "planned", "", [(n, "planned") for n in names])
        else:
            todo.append((res, plan(res.urls, endpoints)))
        if res.id in outcomes and on_done:
            on_done(outcomes[res.id])
    if todo:
        with Client(config) as client, ThreadPoolExecutor(max(1, options.jobs)) as pool:
            pending: set[Future] = {
                pool.submit(fetch_one, lib, res, targets, client, endpoints, options.subpages)
                for res, targets in todo
            }
            batch = ManifestBatch(lib)
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        outcome = fut.result()
                        if outcome.ok:
                            batch.add(outcome)
                        outcomes[outcome.rid] = outcome
                        if on_done:
                            on_done(outcome)
            except BaseException:
                for fut in pending:
                    fut.cancel()
                raise
            finally:
                batch.flush()  # even when interrupted: what arrived is recorded
    return [outcomes[r.id] for r in unique]


def fetch_page_images(
    lib: Library,
    resources: list[Resource],
    *,
    config: HttpConfig | None = None,
    endpoints: Endpoints | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """`refs fetch --images`: the content images of HTML pages fetched before (the
    pages themselves are not fetched again; the status does not move)."""
    endpoints = endpoints or Endpoints.from_env()
    config = config or HttpConfig.from_env()
    unique = list({r.id: r for r in resources}.values())
    sweep_staging(lib, {r.id for r in unique})
    outcomes = []
    with Client(config) as client:
        for res in unique:
            outcome = _page_images(lib, res, client, endpoints)
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    return outcomes


def _page_images(lib: Library, res: Resource, client: Client, endpoints: Endpoints) -> Outcome:
    raw = lib.raw_dir(res.id)
    try:
        old = read_provenance(raw)
    except RefsError as exc:
        return Outcome(res.id, "failed", str(exc))
    pages = images.recorded_pages(raw, old)
    if not pages:
        return Outcome(res.id, "skipped", f"no HTML page in raw/; run `refs fetch {res.id}` first")
    job = ResourceJob(res.id, client, endpoints, raw, old, urls=res.urls)
    stored = 0

    def fetch_page_images() -> None:
        nonlocal stored
        stored = images.fetch_images(job, pages)

    failure = job.run(fetch_page_images)
    if failure is not None:
        return Outcome(res.id, "failed", failure)
    arts = [(a.rel, a.state) for a in job.artifacts.values()]
    message = "" if stored or arts else "no content image found on the page(s)"
    return Outcome(res.id, "refreshed", message, arts, job.warnings)
