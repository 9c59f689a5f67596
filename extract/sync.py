"""`refs sync`: hold the manifest against the curriculum.

The manifest is the single source of truth; the curriculum is a read-only reference
that sync never rewrites. Each curriculum entry is matched to a manifest id (by
normalised URL, then by title) and sync reports:

- `missing`: an entry the manifest lacks, with the exact manifest entry to add;
  `--add-missing` appends it (`added`): type and priority from its tags, or guessed
  from its URL and flagged `guessed: [type, priority]` for a person to check.
- `differs`: a URL or topic the curriculum gives a matched resource that its manifest
  entry lacks, or a tag that disagrees with it. Reported, never written: those fields
  are people's, whoever set them.
- `orphan`: a manifest id the curriculum does not list; kept (it may well be an
  addition of the manifest's own).
- `reading_order`: the curriculum's reading order, when its steps name ids and the
  manifest has none yet (added with `--add-missing`); a different one is reported.
- `topic_doc`: a topic with no doc gets a scaffold (an existing doc is never touched).

Sync never deletes, never downgrades, never touches status, local_paths or notes of
an entry it did not add. With no manifest yet, it creates one with every entry.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import fsio
from . import manifest as manifest_file
from .curriculum import Entry, Notice, normalise_url
from .errors import RefsError
from .library import Library
from .manifest import UNFETCHABLE_TYPES, Manifest, Resource, Step, new_yaml, resource_node
from .scaffold import topic_doc
from .slugs import slug

GUESSED_PRIORITY = "medium"

MANIFEST_HEADER = """\
# The single source of truth for every resource of the library and its pipeline status.
# Created from distributed_video_dit_inference.md by `refs sync`; edit by hand freely:
# comments, key order and quoting are kept. status: pending -> fetched -> converted ->
# condensed (only via `refs review`), or link_only. Check with `refs check`.
"""


@dataclass
class Change:
    rid: str
    kind: str  # missing | added | differs | orphan | reading_order | topic_doc
    detail: str = ""
    line: int = 0  # the curriculum line it concerns (0: none)
    entry: str = ""  # for missing/added: the manifest entry, as YAML


@dataclass
class SyncReport:
    changes: list[Change] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)  # curriculum lines not read as written
    created: bool = False  # the manifest did not exist and is (or would be) created

    WRITES = ("added", "reading_order", "topic_doc")

    @property
    def changed(self) -> bool:
        """Whether the run writes (or, dry, would write) anything."""
        return self.created or any(c.kind in self.WRITES for c in self.changes)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def lines(self) -> list[str]:
        return [
            f"{c.kind:13} {c.rid}" + (f": {c.detail}" if c.detail else "") for c in self.changes
        ]


def slug_id(title: str, existing: set[str], urls: list[str] | None = None) -> str:
    """A new, unused id: the title's first words; for a title with no ASCII word
    (`日本語の論文`, `🚀`) the first URL's host and path; `resource` failing both."""
    base = slug(title, max_words=6) or next(
        (s for u in urls or [] if (s := slug(_url_words(u), max_words=6))), "resource"
    )
    rid, n = base, 2
    while rid in existing:
        rid, n = f"{base}-{n}", n + 1
    return rid


def _url_words(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.removeprefix('www.')} {parts.path} {parts.query}"


# ---------- guessing what an untagged entry is ----------
_PAPER_HOSTS: tuple[str, ...] = (
    "arxiv.org",
    "openreview.net",
    "doi.org",
    "dl.acm.org",
    "ieeexplore.ieee.org",
)
_PAPER_HOSTS += ("aclanthology.org", "proceedings.mlr.press", "papers.nips.cc", "usenix.org")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")
_PODCAST_HOSTS = ("podcasts.apple.com", "open.spotify.com", "podcasts.google.com")


def guess_type(urls: list[str]) -> str:
    """The resource type a URL suggests (`blog` when nothing does); a person checks it."""
    for url in urls:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        path = parts.path.lower()

        def on(hosts: tuple[str, ...], host: str = host) -> bool:
            return any(host == h or host.endswith("." + h) for h in hosts)

        if on(_PAPER_HOSTS) or path.endswith(".pdf") or "/doi/" in path:
            return "paper"
        if on(("github.com", "gitlab.com")):
            return "code"
        if on(_VIDEO_HOSTS):
            return "video"
        if on(_PODCAST_HOSTS) or "podcast" in host:
            return "podcast"
        if (
            host.startswith(("docs.", "developer.", "pytorch.org"))
            and "/blog/" not in path
            or host.endswith("readthedocs.io")
            or re.search(r"/(docs|documentation|reference|api|tutorials?|guide|manual)/", path)
        ):
            return "docs"
        if "blog" in host or "/blog" in path or on(("medium.com", "substack.com")):
            return "blog"
    return "blog"


def new_resource(e: Entry, rid: str) -> Resource:
    """The manifest entry for a curriculum entry the manifest lacks."""
    guessed = []
    kind = e.type
    if kind is None:
        kind = guess_type(e.urls)
        guessed.append("type")
    priority = e.priority
    if priority is None:
        priority = GUESSED_PRIORITY
        guessed.append("priority")
    untagged_unfetchable = e.type is None and kind in UNFETCHABLE_TYPES
    link_only = e.link_only or not e.urls or untagged_unfetchable
    return Resource(
        id=rid,
        title=e.title,
        urls=list(e.urls),
        type=kind,
        topics=list(e.topics),
        priority=priority,
        status="link_only" if link_only else "pending",
        local_paths=[],
        notes="",
        guessed=guessed,
    )


def _styled(node: CommentedMap, quoted: bool) -> CommentedMap:
    """Titles and notes double-quoted when the manifest writes them so."""
    if quoted:
        for key in ("title", "notes"):
            if isinstance(node.get(key), str):
                node[key] = DoubleQuotedScalarString(node[key])
    return node


def entry_yaml(node: CommentedMap) -> str:
    """One manifest entry as it sits under `resources:` (two-space indent)."""
    buf = io.StringIO()
    new_yaml().dump({"resources": [node]}, buf)
    return buf.getvalue().partition("\n")[2]


def _quotes_titles(manifest: Manifest) -> bool:
    seq = manifest.document.get("resources")
    first = seq[0] if isinstance(seq, list) and seq else None
    return isinstance(first, dict) and isinstance(first.get("title"), DoubleQuotedScalarString)


# ---------- the run ----------
def _new_manifest(path: Path) -> None:
    doc = CommentedMap()
    doc["reading_order"] = CommentedSeq()
    doc["resources"] = CommentedSeq()

    buf = io.StringIO()
    new_yaml().dump(doc, buf)
    manifest_file.create(path, MANIFEST_HEADER + buf.getvalue())  # under the writers' lock


def sync(lib: Library, *, dry_run: bool = False, add_missing: bool = False) -> SyncReport:
    cur = lib.curriculum  # an unreadable curriculum fails here, before anything is written
    report = SyncReport()
    if not lib.manifest_path.exists():
        if dry_run:
            raise RefsError(
                "no manifest yet; run `refs sync` without --dry-run to create it", lib.manifest_path
            )
        _new_manifest(lib.manifest_path)
        lib.reload()
        report.created = add_missing = True  # a new manifest starts with every entry
    manifest: Manifest = lib.manifest
    report.warnings = lib.curriculum_warnings
    quoted = _quotes_titles(manifest)
    existing = set(manifest.resources)
    last_topic: object = None
    for e, rid in lib.matched_entries:
        if rid is not None:
            _differences(e, manifest.resources[rid], report)
            continue
        rid = slug_id(e.title, existing, e.urls)
        existing.add(rid)
        res = new_resource(e, rid)
        node = _styled(resource_node(res), quoted)
        detail = f"{res.type}, {res.priority}, topics {res.topics}" + (
            f"; guessed {' and '.join(res.guessed)} from the URL: check them" if res.guessed else ""
        )
        change = Change(
            rid, "added" if add_missing else "missing", detail, e.line, entry_yaml(node)
        )
        report.changes.append(change)
        if add_missing:
            comment = None
            if e.topics[0] != last_topic:
                t = lib.topic(e.topics[0])
                label = f"{t.label}: {t.title}" if t else str(e.topics[0])
                comment = (
                    f"--- {label} ---"
                    if report.created
                    else (f"--- {label} (added by `refs sync --add-missing`) ---")
                )
            last_topic = e.topics[0]
            manifest.append_resource(res, comment)
            manifest.entry(rid).update(node)  # the quoting the file uses
    matched = {rid for _, rid in lib.matched_entries if rid}
    for rid in manifest.resources:
        if rid not in matched and not any(c.rid == rid for c in report.of("added")):
            report.changes.append(Change(rid, "orphan", "listed in the manifest only; kept"))
    _reading_order(manifest, cur, report, add_missing)
    missing_docs = [t for t in lib.topics if t.in_curriculum and not lib.topic_doc_path(t).exists()]
    for t in missing_docs:
        report.changes.append(Change(lib.rel(lib.topic_doc_path(t)), "topic_doc", "scaffolded"))
    if dry_run:
        return report
    if any(c.kind in ("added", "reading_order") for c in report.changes):
        manifest.save()
    for t in missing_docs:  # never overwrite: a topic doc is people's writing
        path = lib.topic_doc_path(t)
        if not path.exists():
            fsio.write_text(path, topic_doc(t))
    lib.reload()
    return report


def _differences(e: Entry, res: Resource, report: SyncReport) -> None:
    """What the curriculum says of a matched resource that its manifest entry lacks."""
    have = {normalise_url(u) for u in res.urls}
    said = []
    urls = [u for u in e.urls if normalise_url(u) not in have]
    if urls:
        said.append(
            "URL " + ", ".join(urls) + " (the manifest has " + (", ".join(res.urls) or "none") + ")"
        )
    topics = [t for t in e.topics if t not in res.topics]
    if topics:
        said.append(f"topic {', '.join(map(str, topics))} (the manifest has {res.topics})")
    for name in ("type", "priority"):
        tag = getattr(e, name)
        if tag is not None and tag != getattr(res, name):
            said.append(f"{name} `{tag}` (the manifest has `{getattr(res, name)}`)")
    if e.link_only and res.status != "link_only":
        said.append(f"link only (the manifest has status `{res.status}`)")
    if said:
        report.changes.append(
            Change(
                res.id,
                "differs",
                "the curriculum lists " + "; ".join(said) + "; kept the manifest's: edit "
                "refs/manifest.yaml if the curriculum is right",
                e.line,
            )
        )


def _reading_order(manifest: Manifest, cur, report: SyncReport, add_missing: bool) -> None:
    """The curriculum's reading order, when its steps name ids, for a manifest without one."""
    wanted = [(s.step, s.title, s.ids) for s in cur.reading_order]
    if not any(ids for _, _, ids in wanted):
        return  # prose steps (or none): nothing the manifest could hold
    have = [(s.step, s.title, s.ids) for s in manifest.reading_order]
    if wanted == have:
        return
    if have:
        report.changes.append(
            Change(
                "reading_order",
                "differs",
                f"the curriculum's reading order ({len(wanted)} steps) is not the manifest's "
                f"({len(have)} steps); kept the manifest's",
                cur.reading_order[0].line,
            )
        )
        return
    if not add_missing:
        report.changes.append(
            Change("reading_order", "missing", f"{len(wanted)} step(s)", cur.reading_order[0].line)
        )
        return
    seq = manifest.document.get("reading_order")
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        manifest.document["reading_order"] = seq
    for num, title, ids in wanted:
        node = CommentedMap()
        flow = CommentedSeq(ids)
        flow.fa.set_flow_style()
        node["step"], node["title"], node["ids"] = num, title, flow
        seq.append(node)
    manifest.reading_order = [Step(n, t, list(ids)) for n, t, ids in wanted]
    report.changes.append(Change("reading_order", "reading_order", f"{len(wanted)} step(s)"))
