"""`refs fetch --record`: provenance for raw artifacts fetched by hand, downloading nothing.

A resource whose `sources/<id>/raw/` was filled by hand (curl, `gh api`) has no
`provenance.json`, though it is fetched in substance. Recording describes each file
as it is on disk: sha256, byte size, kind (from its name and first bytes) and the
manifest URL it belongs to (the one whose fetch would write that name), marked
"recorded, not fetched". Nothing claims an HTTP status, a final URL or a fetch time
that was never observed. An entry that already describes its file is kept as it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import RefsError
from ..full_md import EPRINT_FILES, SUBPAGES_DIR, raw_files, read_provenance
from ..library import Library, merge_local_paths
from ..manifest import Resource, status_rank
from ..outcome import Outcome
from . import provenance
from .dispatch import ARTIFACTS, Endpoints, plan
from .run import ManifestBatch

RECORDED = "recorded, not fetched"


def kind_of(path: Path) -> str:
    """The provenance kind of a file: by its e-print name, else its first bytes and suffix."""
    for kind, name in EPRINT_FILES.items():
        if path.name == name:
            return kind
    with open(path, "rb") as fh:
        head = fh.read(1024).lstrip()
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if suffix in (".html", ".htm") or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix == ".json":
        return "json"
    return "file"


def url_of(rel: str, urls: list[str]) -> str:
    """The manifest URL whose fetch writes ``rel`` (a path under raw/); else the first URL."""
    targets = plan(urls, Endpoints())
    top = rel.split("/", 1)[0]
    for t in targets:
        if t.kind in ARTIFACTS and top in {t.name + n for n in ARTIFACTS[t.kind]}:
            return t.url
        if t.kind in ("page", "pdf", "repo") and top == t.name:
            return t.url
    name = rel.rsplit("/", 1)[-1]
    for u in urls:  # a subpage saved under the name of a manifest URL (`.../env.html`)
        if urlsplit(u).path.rstrip("/").rsplit("/", 1)[-1] == name:
            return u
    if top == SUBPAGES_DIR:  # pages of a docs guide, under its first page
        first = next((t.url for t in targets if t.kind == "page"), "")
        if first:
            return first
    word = Path(top).stem.lower().split("-")[0]
    for u in urls:  # a name like `github-page.html` beside a github.com URL
        if word and word in (urlsplit(u).hostname or ""):
            return u
    return urls[0] if urls else ""


def _stamp(seconds: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC) if seconds else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def describe(raw: Path, rel: str, urls: list[str]) -> dict:
    """The provenance entry of one hand-fetched file."""
    path = raw / rel
    stat = path.stat()
    return {
        "url": url_of(rel, urls),
        "sha256": provenance.file_sha256(path),
        "bytes": stat.st_size,
        "kind": kind_of(path),
        "recorded": RECORDED,
        "recorded_at": _stamp(),
        "modified_at": _stamp(stat.st_mtime),
    }


def local_paths(lib: Library, rid: str, files: list[Path]) -> list[str]:
    """What the manifest lists for them: top-level files, and folders as `folder/`."""
    raw = lib.raw_dir(rid)
    out: list[str] = []
    for p in files:
        top = p.relative_to(raw).parts[0]
        item = lib.rel(raw / top) + ("/" if (raw / top).is_dir() else "")
        if item not in out:
            out.append(item)
    return out


def record_one(lib: Library, res: Resource, dry_run: bool = False) -> Outcome:
    """Write provenance for a resource's raw files as they are (files only, no manifest)."""
    if res.status == "link_only":
        return Outcome(res.id, "skipped", "link_only: nothing is fetched for it")
    files = lib.raw_artifacts(res.id)
    raw = lib.raw_dir(res.id)
    try:  # the path rule and the size bound, before any file is hashed
        raw_files(raw)
    except RefsError as exc:
        return Outcome(res.id, "failed", str(exc))
    if not files:
        return Outcome(res.id, "skipped", f"nothing to record: {lib.rel(raw)}/ holds no file")
    try:
        old = read_provenance(raw)
    except RefsError as exc:
        return Outcome(res.id, "failed", str(exc))
    known = old.get("artifacts", {})
    fresh: dict[str, dict] = {}
    arts: list[tuple[str, str]] = []
    for p in files:
        rel = p.relative_to(raw).as_posix()
        if provenance.entry_is_current(raw, rel, known.get(rel)):
            arts.append((rel, "kept"))
        else:
            fresh[rel] = describe(raw, rel, res.urls)
            arts.append((rel, "recorded"))
    paths = local_paths(lib, res.id, files)
    if dry_run:
        planned = [(r, "planned") for r, s in arts if s == "recorded"]
        kept = len(arts) - len(planned)
        note = f"{len(planned)} to record" + (f", {kept} already described" if kept else "")
        return Outcome(res.id, "planned", note, planned)
    if fresh:
        try:
            record = provenance.merge(res.id, res.urls, old, fresh, old.get("not_stored", {}), raw)
            provenance.save(raw, record)
        except OSError as exc:
            return Outcome(res.id, "failed", f"cannot write provenance: {exc}")
    described = "provenance already describes every file"
    if not fresh and status_rank(res.status) >= status_rank("fetched"):
        if merge_local_paths(res.local_paths, paths) == res.local_paths:
            return Outcome(res.id, "skipped", described, arts)
    note = f"{len(fresh)} recorded, not fetched" if fresh else described
    return Outcome(res.id, "recorded", note, arts, local_paths=paths)


def record_resources(
    lib: Library, resources: list[Resource], dry_run: bool = False
) -> list[Outcome]:
    """Record each resource, then move it to `fetched` (never backwards) and list its
    files in `local_paths`; the manifest is saved once."""
    outcomes = [record_one(lib, r, dry_run) for r in resources]
    if not dry_run:
        batch = ManifestBatch(lib, interval=float("inf"))
        for o in outcomes:
            if o.result == "recorded":
                batch.add(o)
        batch.flush()
    return outcomes
