"""The `Library`: one object, opened on a repo root, that answers every question.

The pipeline, the checker, the agent commands and the site are all functions of a
`Library`. It is the only holder of the manifest and the curriculum.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from . import curriculum as cur_mod
from .errors import RefsError
from .full_md import FULL_MD, RAW_DIR, SOURCES_DIR
from .manifest import PIPELINE, Manifest, Resource, Step, status_rank

CURRICULUM = "distributed_video_dit_inference.md"
MANIFEST = "refs/manifest.yaml"
CARDS_DIR = "refs/resources"
TOPICS_DIR = "refs/topics"
BRIDGE_DOC = "refs/implementation-context.md"


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
    def __init__(self, root: Path):
        self.root = Path(root).resolve()

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
        return Path(path).resolve().relative_to(self.root).as_posix()

    def source_dir(self, rid: str) -> Path:
        return self.root / SOURCES_DIR / rid

    def raw_dir(self, rid: str) -> Path:
        return self.source_dir(rid) / RAW_DIR

    def full_md_path(self, rid: str) -> Path:
        return self.source_dir(rid) / FULL_MD

    def card_path(self, rid: str) -> Path:
        return self.root / CARDS_DIR / f"{rid}.md"

    def topic_doc_path(self, topic: cur_mod.Topic) -> Path:
        return self.root / TOPICS_DIR / topic.doc_name

    @property
    def bridge_doc_path(self) -> Path:
        return self.root / BRIDGE_DOC

    # ---------- parsed state ----------
    @cached_property
    def manifest(self) -> Manifest:
        return Manifest(self.manifest_path)

    @cached_property
    def curriculum(self) -> cur_mod.Curriculum:
        return cur_mod.parse(self.curriculum_path)

    def reload(self) -> None:
        self.__dict__.pop("manifest", None)
        self.__dict__.pop("curriculum", None)
        self.__dict__.pop("_entries_by_id", None)

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
        return self.manifest.reading_order

    @property
    def topics(self) -> list[cur_mod.Topic]:
        return self.curriculum.topics

    def topic(self, key: int | str) -> cur_mod.Topic | None:
        return self.curriculum.topic(key)

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
    def _entries_by_id(self) -> dict[str, cur_mod.Entry]:
        pairs = cur_mod.match_entries(self.curriculum.entries, self.resources)
        return {rid: e for e, rid in pairs if rid}

    def entry(self, rid: str) -> cur_mod.Entry | None:
        return self._entries_by_id.get(rid)

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
            merged = list(res.local_paths)
            for p in local_paths:
                if p not in merged:
                    merged.append(p)
            fields["local_paths"] = sorted(merged)
        self.manifest.set_fields(rid, **fields)
        if save:
            self.manifest.save()
