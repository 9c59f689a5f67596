"""`refs sync`: derive the manifest from the curriculum.

Entries are matched to manifest ids by normalised URL, then by title. Sync updates
what the curriculum owns (title, urls, topics, type, priority, reading order), adds
new entries with a slug id, and never touches status, local_paths or notes, never
deletes, never downgrades. Orphans (manifest ids the curriculum no longer lists)
are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import fsio
from . import manifest as manifest_file
from .curriculum import Entry, normalise_title, normalise_url
from .errors import RefsError
from .library import Library
from .manifest import Manifest, Resource, Step, new_yaml
from .scaffold import topic_doc

OWNED_FIELDS = ("title", "urls", "type", "topics", "priority")

MANIFEST_HEADER = """\
# The single source of truth for every resource of the library and its pipeline status.
# Derived from distributed_video_dit_inference.md by `refs sync`; edit by hand freely:
# comments, key order and quoting are kept. status: pending -> fetched -> converted ->
# condensed (only via `refs review`), or link_only. Check with `refs check`.
"""


@dataclass
class Change:
    rid: str
    kind: str  # added | updated | orphan | reading_order | topic_doc
    detail: str = ""


@dataclass
class SyncReport:
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.kind != "orphan" for c in self.changes)

    def lines(self) -> list[str]:
        return [
            f"{c.kind:13} {c.rid}" + (f": {c.detail}" if c.detail else "") for c in self.changes
        ]


def match_entries(
    entries: list[Entry], resources: list[Resource]
) -> list[tuple[Entry, str | None]]:
    """Pair each curriculum entry with a manifest id (URL first, then title)."""
    url_owners: dict[str, list[str]] = {}
    for r in resources:
        for u in r.urls:
            url_owners.setdefault(normalise_url(u), []).append(r.id)
    by_title: dict[str, list[str]] = {}
    for r in resources:
        by_title.setdefault(normalise_title(r.title), []).append(r.id)
    taken: set[str] = set()
    pairs: list[tuple[Entry, str | None]] = []
    for e in entries:
        rid = None
        candidates: list[str] = []
        for u in e.urls:
            owners = [o for o in url_owners.get(normalise_url(u), []) if o not in taken]
            if len(owners) == 1:  # a URL shared by several entries identifies none of them
                candidates.append(owners[0])
        if candidates and all(c == candidates[0] for c in candidates):
            rid = candidates[0]
        if rid is None:
            titled = [t for t in by_title.get(normalise_title(e.title), []) if t not in taken]
            if len(titled) == 1:
                rid = titled[0]
        if rid is not None:
            taken.add(rid)
        pairs.append((e, rid))
    return pairs


def slug_id(title: str, existing: set[str]) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()
    base = "-".join(words[:6]) or "resource"
    rid, n = base, 2
    while rid in existing:
        rid, n = f"{base}-{n}", n + 1
    return rid


def entry_fields(e: Entry) -> dict:
    return {
        "title": e.title,
        "urls": list(e.urls),
        "type": e.type,
        "topics": list(e.topics),
        "priority": e.priority,
    }


def _new_manifest(path: Path) -> None:
    doc = CommentedMap()
    doc["reading_order"] = CommentedSeq()
    doc["resources"] = CommentedSeq()
    import io

    buf = io.StringIO()
    new_yaml().dump(doc, buf)
    manifest_file.create(path, MANIFEST_HEADER + buf.getvalue())  # under the writers' lock


def sync(lib: Library, *, dry_run: bool = False) -> SyncReport:
    cur = lib.curriculum  # parse errors surface before anything is written
    created = False
    if not lib.manifest_path.exists():
        if dry_run:
            raise RefsError(
                "no manifest yet; run `refs sync` without --dry-run to create it", lib.manifest_path
            )
        _new_manifest(lib.manifest_path)
        created = True
    manifest: Manifest = lib.manifest
    report = SyncReport()
    pairs = match_entries(cur.entries, list(manifest.resources.values()))
    matched = {rid for _, rid in pairs if rid}
    existing = set(manifest.resources)
    last_topic: object = None
    for e, rid in pairs:
        wanted = entry_fields(e)
        if rid is None:
            rid = slug_id(e.title, existing)
            existing.add(rid)
            status = "link_only" if e.link_only else "pending"
            res = Resource(id=rid, status=status, local_paths=[], notes="", **wanted)
            comment = None
            if created and e.topics[0] != last_topic:
                t = cur.topic(e.topics[0])
                comment = f"--- {t.label}: {t.title} ---" if t else None
            last_topic = e.topics[0]
            manifest.append_resource(res, comment)
            report.changes.append(Change(rid, "added", f"{e.type}, topics {wanted['topics']}"))
            continue
        res = manifest.resources[rid]
        diffs = {k: v for k, v in wanted.items() if getattr(res, k) != v}
        if diffs:
            manifest.set_fields(rid, **diffs)
            report.changes.append(Change(rid, "updated", ", ".join(sorted(diffs))))
    for rid in manifest.resources:
        if rid not in matched and not any(
            c.rid == rid and c.kind == "added" for c in report.changes
        ):
            report.changes.append(
                Change(rid, "orphan", "not in the curriculum; kept (delete by hand if intended)")
            )
    _sync_reading_order(manifest, cur, report)
    manifest_changed = any(c.kind not in ("orphan", "topic_doc") for c in report.changes)
    missing_docs = [t for t in cur.topics if not lib.topic_doc_path(t).exists()]
    for t in missing_docs:
        report.changes.append(
            Change(
                lib.rel(lib.topic_doc_path(t).parent) + "/" + t.doc_name, "topic_doc", "scaffolded"
            )
        )
    if dry_run:
        return report
    if manifest_changed:
        manifest.save()
    for t in missing_docs:  # never overwrite: a topic doc is people's writing
        fsio.write_text(lib.topic_doc_path(t), topic_doc(t))
    lib.reload()
    return report


def _sync_reading_order(manifest: Manifest, cur, report: SyncReport) -> None:
    wanted = [(s.step, s.title, s.ids) for s in cur.reading_order]
    have = [(s.step, s.title, s.ids) for s in manifest.reading_order]
    if wanted == have:
        return
    seq = manifest.document.get("reading_order")
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        manifest.document["reading_order"] = seq
    del seq[len(wanted) :]
    for i, (num, title, ids) in enumerate(wanted):
        node = seq[i] if i < len(seq) else CommentedMap()
        flow = CommentedSeq(ids)
        flow.fa.set_flow_style()
        if node.get("step") != num:
            node["step"] = num
        if node.get("title") != title:
            node["title"] = title
        if list(node.get("ids", [])) != ids:
            node["ids"] = flow
        if i >= len(seq):
            seq.append(node)
    manifest.reading_order = [Step(n, t, list(ids)) for n, t, ids in wanted]
    report.changes.append(Change("reading_order", "reading_order", f"{len(wanted)} steps"))
