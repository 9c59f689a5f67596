"""The `Library`: one object, opened on a repo root, that answers every question.

The pipeline, the checker, the agent commands and the site are all functions of a
`Library`. It is the only holder of the manifest and the curriculum.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path

from . import curriculum as cur_mod
from . import fsio
from .errors import RefsError
from .full_md import FULL_MD, PROVENANCE, RAW_DIR, SOURCES_DIR
from .manifest import PIPELINE, Manifest, Resource, Step, status_rank
from .markdown import atx_heading, walk

CURRICULUM = "distributed_video_dit_inference.md"
MANIFEST = "refs/manifest.yaml"
CARDS_DIR = "refs/resources"
TOPICS_DIR = "refs/topics"
BRIDGE_DOC = "refs/implementation-context.md"
GUIDES_DIR = "refs"
OTHER_TOPICS = "Other topics"  # the group of topics known only from their topic doc
# Paths the site generates in these folders; a repo file there would collide with them.
INDEX_NAMES = ("index.md", "README.md")
# A topic doc is found by its number (`13-classic-pipeline-parallelism.md` is topic 13
# whatever the slug), the meta doc by its `meta` prefix.
_TOPIC_DOC = re.compile(r"^(?:(?P<num>\d{1,3})|(?P<meta>meta))(?:[-_ .][^/]*)?\.md$", re.I)


def topic_doc_key(name: str) -> int | str | None:
    """The topic a file name under refs/topics/ belongs to (None: not a topic doc)."""
    m = _TOPIC_DOC.match(name)
    if not m:
        return None
    return "meta" if m.group("meta") else int(m.group("num"))


def merge_local_paths(listed: list[str], written: list[str]) -> list[str]:
    """``listed`` as a person wrote it (order kept), plus each written path it does not
    cover yet (in name order); a listed folder (`sources/x/raw/subpages/`) covers what is
    under it."""
    out = list(listed)
    folders = [p.rstrip("/") + "/" for p in listed if p.endswith("/")]
    for p in sorted(written):
        if p in out or p.rstrip("/") in out or any(p.startswith(f) for f in folders):
            continue
        out.append(p)
    return out


def _doc_title(path: Path) -> str:
    """The first `# ` heading of a markdown file ("" when it has none or is unreadable)."""
    try:
        lines = fsio.read_text(path).splitlines()
    except (OSError, RefsError):
        return ""
    for _, line, in_code in walk(lines):
        heading = None if in_code else atx_heading(line)
        if heading and heading[0] == 1:
            return heading[1].strip()
    return ""


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds a manifest or curriculum."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).exists() or (folder / CURRICULUM).exists():
            return folder
    raise RefsError(
        f"no library here: neither {MANIFEST} nor {CURRICULUM} found at or above {here}; "
        "run from the repo or pass --root"
    )


class Library:
    def __init__(self, root: Path, *, read_only: bool = False):
        """``read_only``: a reader that never saves the manifest (the site plugin), which
        it then reads the fast way (`Manifest`'s ``read_only``)."""
        self.root = Path(root).resolve()
        self.read_only = read_only
        fsio.confine(self.root)  # the path rule: reads under root stay under root
        self._titles: dict[Path, tuple[tuple, str]] = {}

    @classmethod
    def open(cls, root: Path | str | None = None) -> Library:
        return cls(Path(root) if root else find_root())

    # ---------- files ----------
    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    @property
    def curriculum_path(self) -> Path:
        return self.root / CURRICULUM

    def rel(self, path: Path) -> str:
        """A repo-relative POSIX path (what the manifest and messages show)."""
        try:  # as written: a symbolic link is named by its own place in the repo
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            raise RefsError("is outside the library; use a path inside it", path) from None

    def source_dir(self, rid: str) -> Path:
        return self.root / SOURCES_DIR / rid

    def raw_dir(self, rid: str) -> Path:
        return self.source_dir(rid) / RAW_DIR

    def full_md_path(self, rid: str) -> Path:
        return self.source_dir(rid) / FULL_MD

    def card_path(self, rid: str) -> Path:
        return self.root / CARDS_DIR / f"{rid}.md"

    def topic_doc_path(self, topic: cur_mod.Topic) -> Path:
        """The topic's synthesis doc: the one with its number, whatever the slug (the
        curriculum's slug wins a tie); where there is none, the name `refs sync` gives it."""
        found = self.topic_docs.get(topic.key, [])
        named = [p for p in found if p.name == topic.doc_name]
        return (named or found or [self.root / TOPICS_DIR / topic.doc_name])[0]

    @cached_property
    def topic_docs(self) -> dict[int | str, list[Path]]:
        """Every file under refs/topics/ named like a topic doc, by topic (sorted)."""
        out: dict[int | str, list[Path]] = {}
        folder = self.root / TOPICS_DIR
        if folder.is_dir():
            for path in sorted(folder.glob("*.md")):
                key = topic_doc_key(path.name)
                if key is not None and path.is_file():
                    out.setdefault(key, []).append(path)
        return out

    def guides(self) -> list[Path]:
        """Every other markdown file under refs/ (reading guides, study agendas,
        crosswalks, the bridge doc): not a card, not a topic's doc."""
        folder = self.root / GUIDES_DIR
        if not folder.is_dir():
            return []
        cards = self.root / CARDS_DIR
        topics_dir = self.root / TOPICS_DIR
        docs = {self.topic_doc_path(t) for t in self.topics}
        out = []
        for path in sorted(folder.rglob("*.md")):
            if (
                not path.is_file()
                or path in docs
                or any(part.startswith(".") for part in path.relative_to(self.root).parts)
            ):
                continue
            if path.parent == cards and path.name not in INDEX_NAMES:
                continue  # a card (of a known id or not)
            if path.parent in (cards, topics_dir) and path.name in INDEX_NAMES:
                continue  # the site's own index pages live there
            out.append(path)
        return out

    def doc_title(self, path: Path) -> str:
        """A guide's title, read again only when the file's stat changed (the site plugin
        keeps its `Library` across served rebuilds while the manifest is the same)."""
        try:
            st = os.stat(path)
            key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            return _doc_title(path)
        kept = self._titles.get(path)
        if kept is None or kept[0] != key:
            kept = self._titles[path] = (key, _doc_title(path))
        return kept[1]

    @property
    def bridge_doc_path(self) -> Path:
        return self.root / BRIDGE_DOC

    # ---------- parsed state ----------
    @cached_property
    def manifest(self) -> Manifest:
        return Manifest(self.manifest_path, read_only=self.read_only)

    @cached_property
    def curriculum(self) -> cur_mod.Curriculum:
        return cur_mod.parse(self.curriculum_path)

    def reload(self) -> None:
        for name in (
            "manifest",
            "curriculum",
            "_matched",
            "_curriculum_order",
            "topic_docs",
            "topics",
        ):
            self.__dict__.pop(name, None)

    @property
    def resources(self) -> list[Resource]:
        return list(self.manifest.resources.values())

    @property
    def ids(self) -> list[str]:
        return list(self.manifest.resources)

    def resource(self, rid: str) -> Resource:
        try:
            return self.manifest.resources[rid]
        except KeyError:
            raise RefsError(
                f"unknown resource id `{rid}`; `refs status` lists them", self.manifest_path
            ) from None

    def has(self, rid: str) -> bool:
        return rid in self.manifest.resources

    @property
    def reading_order(self) -> list[Step]:
        """The manifest's reading order; where it has none, the curriculum's, its
        titles matched as `refs sync` matches them (`curriculum.resolve_order`)."""
        return self.manifest.reading_order or self._curriculum_order[0]

    @cached_property
    def _curriculum_order(self) -> tuple[list[Step], list[cur_mod.Notice]]:
        bylines = {rid: e.byline for e, rid in self.matched_entries if rid and e.byline}
        matcher = cur_mod.TitleMatcher(self.resources, bylines)
        return cur_mod.resolve_order(self.curriculum.reading_order, matcher, self.ids)

    @cached_property
    def topics(self) -> list[cur_mod.Topic]:
        """The curriculum's topics, plus any numbered topic that has a topic doc but no
        curriculum section (the owner's own additions), before the meta topic."""
        topics = list(self.curriculum.topics)
        known = {t.key for t in topics}
        extra = []
        for key, paths in self.topic_docs.items():
            if key in known or key == "meta":
                continue
            title = re.sub(
                rf"^(?:topic\s+)?0*{key}\s*[.:)—–-]*\s*", "", _doc_title(paths[0]), flags=re.I
            )
            title = title or paths[0].stem.partition("-")[2].replace("-", " ").capitalize()
            extra.append(
                cur_mod.Topic(key, title or f"Topic {key}", OTHER_TOPICS, in_curriculum=False)
            )
        extra.sort(key=lambda t: int(t.key))
        at = next((i for i, t in enumerate(topics) if t.key == "meta"), len(topics))
        return topics[:at] + extra + topics[at:]

    def topic(self, key: int | str) -> cur_mod.Topic | None:
        return next((t for t in self.topics if t.key == key), None)

    def topic_resources(self, key: int | str) -> list[Resource]:
        return [r for r in self.resources if key in r.topics]

    def select(
        self,
        ids: list[str] | None = None,
        *,
        priority: str | None = None,
        topic: int | str | None = None,
        status: str | None = None,
        everything: bool = False,
    ) -> list[Resource]:
        """Resources named by ids or picked by a filter (the CLI's selection flags)."""
        if ids:
            return [self.resource(i) for i in ids]
        if not (everything or priority or topic is not None or status):
            return []
        return [
            r
            for r in self.resources
            if (priority is None or r.priority == priority)
            and (topic is None or topic in r.topics)
            and (status is None or r.status == status)
        ]

    # ---------- the curriculum side of a resource ----------
    @cached_property
    def _matched(self) -> tuple[list[tuple[cur_mod.Entry, str | None]], list[cur_mod.Notice]]:
        notices: list[cur_mod.Notice] = []
        pairs = cur_mod.match_entries(self.curriculum.appearances, self.resources, notices)
        return pairs, notices

    @property
    def matched_entries(self) -> list[tuple[cur_mod.Entry, str | None]]:
        """Each curriculum resource with its manifest id (None: the manifest lacks it)."""
        return self._matched[0]

    @property
    def curriculum_warnings(self) -> list[cur_mod.Notice]:
        """Lines of the curriculum that do not read as written, in line order (the
        reading order's unmatched items while the manifest has no reading order)."""
        order = [] if self.manifest.reading_order else self._curriculum_order[1]
        return sorted(self.curriculum.warnings + self._matched[1] + order, key=lambda n: n.line)

    def entry(self, rid: str) -> cur_mod.Entry | None:
        return self._entries.get(rid)

    @cached_property
    def _entries(self) -> dict[str, cur_mod.Entry]:
        """id -> its first curriculum entry (a page per resource asks: no scan each)."""
        out: dict[str, cur_mod.Entry] = {}
        for e, r in self.matched_entries:
            if r is not None:
                out.setdefault(r, e)
        return out

    def byline(self, rid: str) -> str:
        e = self.entry(rid)
        return e.byline if e else ""

    def description(self, rid: str) -> str:
        e = self.entry(rid)
        return e.description if e else ""

    # ---------- pipeline state ----------
    def has_card(self, rid: str) -> bool:
        return self.card_path(rid).is_file()

    def has_full_md(self, rid: str) -> bool:
        return self.full_md_path(rid).is_file()

    def raw_artifacts(self, rid: str) -> list[Path]:
        """The files under sources/<id>/raw/ (provenance.json and hidden files aside)."""
        raw = self.raw_dir(rid)
        if not raw.is_dir():
            return []
        return sorted(
            p
            for p in raw.rglob("*")
            if p.is_file()
            and p.name != PROVENANCE
            and not any(part.startswith(".") for part in p.relative_to(raw).parts)
        )

    def hand_fetched(self, rid: str) -> bool:
        """Raw artifacts without provenance.json: fetched by hand (curl, `gh api`), so
        fetched in substance; `refs fetch --record` writes their provenance."""
        return not (self.raw_dir(rid) / PROVENANCE).is_file() and bool(self.raw_artifacts(rid))

    def advance(
        self, rid: str, status: str, local_paths: list[str] | None = None, *, save: bool = True
    ) -> None:
        """Move a resource forward through the pipeline and save the manifest.

        Status never moves backwards, and `condensed` is only set by `refs review`
        (through `set_condensed`). ``save=False``
        lets a batch (e.g. `refs fetch` of many resources) save once with
        ``lib.manifest.save()`` instead of rewriting the file per resource.
        """
        if status == "condensed":
            raise RefsError("only `refs review` may mark a resource condensed")
        self._advance(rid, status, local_paths, save=save)

    def source_changed(self, rid: str, *, save: bool = True) -> bool:
        """The one deliberate exception to "status only moves forward": when a
        re-fetch changed the raw artifacts a converted (or condensed) resource's
        full.md was made from, the resource goes back to `fetched`, so that
        `refs convert` redoes the full.md and the card is reviewed again against
        the new text. Only the fetch run calls this. True when the status moved.
        """
        res = self.resource(rid)
        if res.status not in ("converted", "condensed"):
            return False
        self.manifest.set_fields(rid, status="fetched")
        if save:
            self.manifest.save()
        return True

    def set_condensed(self, rid: str, notes: str) -> None:
        self._advance(rid, "condensed", None, notes=notes)

    def _advance(
        self, rid: str, status: str, local_paths: list[str] | None, *, save: bool = True, **extra
    ) -> None:
        res = self.resource(rid)
        if status not in PIPELINE:
            raise RefsError(f"`{status}` is not a pipeline status")
        if res.status == "link_only":
            raise RefsError(
                f"`{rid}` is link_only: it is not fetched or converted",
                self.manifest_path,
                res.line,
            )
        if status_rank(status) < status_rank(res.status):
            raise RefsError(
                f"`{rid}` is already {res.status}; status only moves forward",
                self.manifest_path,
                res.line,
            )
        fields: dict = {"status": status, **extra}
        if local_paths is not None:
            merged = merge_local_paths(res.local_paths, local_paths)
            if merged != res.local_paths:
                fields["local_paths"] = merged
        self.manifest.set_fields(rid, **fields)
        if save:
            self.manifest.save()
