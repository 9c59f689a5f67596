"""`refs/manifest.yaml`: the one reader and writer.

People edit this file too, so it is read and written round-trip (ruamel.yaml):
comments, key order, quoting and layout survive every write. Writes are atomic and
refuse to replace a file that no longer parses or that changed since it was read.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import fsio
from .errors import RefsError

TYPES = ("paper", "docs", "blog", "code", "video", "essay", "podcast", "lecture")
PRIORITIES = ("high", "medium", "low")
STATUSES = ("pending", "fetched", "converted", "condensed", "link_only")
# Pipeline order; link_only sits outside it.
PIPELINE = ("pending", "fetched", "converted", "condensed")
UNFETCHABLE_TYPES = ("video", "podcast", "lecture")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REQUIRED = ("id", "title", "urls", "type", "topics", "priority", "status", "local_paths")
# `guessed`: fields `refs sync --add-missing` guessed from the URL, for a person to check
# (then delete the line); `refs check` warns while it is there.
GUESSABLE = ("type", "priority")
KNOWN_KEYS = (*REQUIRED, "notes", "guessed")


def new_yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class Resource:
    id: str
    title: str
    urls: list[str]
    type: str
    topics: list[int | str]
    priority: str
    status: str
    local_paths: list[str] = field(default_factory=list)
    notes: str = ""
    guessed: list[str] = field(default_factory=list)
    line: int = 0  # where the entry starts in the manifest (1-based)

    @property
    def phase1(self) -> bool:
        return self.priority == "high"

    @property
    def fetchable(self) -> bool:
        return self.status != "link_only" and self.type not in UNFETCHABLE_TYPES and bool(self.urls)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "title": self.title,
            "urls": list(self.urls),
            "type": self.type,
            "topics": list(self.topics),
            "priority": self.priority,
            "status": self.status,
            "local_paths": list(self.local_paths),
            "notes": self.notes,
        }
        if self.guessed:
            out["guessed"] = list(self.guessed)
        return out


@dataclass
class Step:
    step: int
    title: str
    ids: list[str]
    line: int = 0


def status_rank(status: str) -> int:
    return PIPELINE.index(status) if status in PIPELINE else -1


def _line(node: Any, key: Any = None) -> int:
    try:
        if key is not None:
            return node.lc.key(key)[0] + 1
        return node.lc.line + 1
    except (AttributeError, KeyError, TypeError):
        return 0


class Manifest:
    """The parsed manifest, its round-trip document, and validated records."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.resources: dict[str, Resource] = {}
        self.reading_order: list[Step] = []
        self._doc: CommentedMap | None = None
        self._digest: str = ""
        self._load()

    # ---------- reading ----------
    def _error(self, message: str, line: int | None = None) -> RefsError:
        return RefsError(message, self.path, line)

    def _parse(self, text: str) -> CommentedMap:
        try:
            doc = new_yaml().load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            raise self._error(
                f"does not parse as YAML: {problem}; fix the file by hand", line
            ) from exc
        except YAMLError as exc:
            raise self._error(f"does not parse as YAML: {exc}; fix the file by hand") from exc
        if not isinstance(doc, CommentedMap):
            raise self._error("must be a mapping with `resources:` and `reading_order:`", 1)
        return doc

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError as exc:
            raise self._error(
                "not found; run `refs sync` to create it from the curriculum"
            ) from exc
        self._digest = hashlib.sha256(raw).hexdigest()
        doc = self._parse(raw.decode("utf-8"))
        self._doc = doc
        entries = doc.get("resources")
        if not isinstance(entries, CommentedSeq):
            raise self._error("`resources` must be a list of entries", _line(doc, "resources") or 1)
        for i, entry in enumerate(entries):
            res = self._validate_entry(entry, _seq_line(entries, i))
            if res.id in self.resources:
                first = self.resources[res.id].line
                raise self._error(
                    f"duplicate id `{res.id}` (first at line {first}); give one of them a new id",
                    res.line,
                )
            self.resources[res.id] = res
        order = doc.get("reading_order", [])
        if not isinstance(order, list):
            raise self._error(
                "`reading_order` must be a list of steps", _line(doc, "reading_order")
            )
        for i, step in enumerate(order):
            line = _seq_line(order, i)
            if not isinstance(step, dict):
                raise self._error("reading_order step must be a mapping {step, title, ids}", line)
            num, title, ids = step.get("step"), step.get("title"), step.get("ids")
            if not isinstance(num, int) or not isinstance(title, str) or not isinstance(ids, list):
                raise self._error(
                    "reading_order step needs `step` (number), `title` (text) and `ids` (list)",
                    line,
                )
            self.reading_order.append(Step(num, title, [str(x) for x in ids], line))

    def _validate_entry(self, entry: Any, line: int) -> Resource:
        if not isinstance(entry, dict):
            raise self._error("each resource must be a mapping of fields", line)

        def fail(key: str, message: str) -> RefsError:
            return self._error(
                f"resource `{entry.get('id', '?')}` field `{key}`: {message}",
                _line(entry, key) or line,
            )

        for key in REQUIRED:
            if key not in entry:
                raise self._error(
                    f"resource `{entry.get('id', '?')}` is missing required field `{key}`", line
                )
        for key in entry:
            if key not in KNOWN_KEYS:
                raise fail(key, f"unknown field; allowed: {', '.join(KNOWN_KEYS)}")
        rid = entry["id"]
        if not isinstance(rid, str) or not SLUG.match(rid):
            raise fail("id", "must be a slug of a-z, 0-9 and '-' (e.g. zero-bubble-pp)")
        if not isinstance(entry["title"], str) or not entry["title"].strip():
            raise fail("title", "must be non-empty text")
        urls = entry["urls"]
        if not isinstance(urls, list) or not all(
            isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls
        ):
            raise fail("urls", "must be a list of http(s) URLs")
        if entry["type"] not in TYPES:
            raise fail("type", f"`{entry['type']}` is not one of {', '.join(TYPES)}")
        topics = entry["topics"]
        if (
            not isinstance(topics, list)
            or not topics
            or not all(
                (isinstance(t, int) and not isinstance(t, bool) and t > 0) or t == "meta"
                for t in topics
            )
        ):
            raise fail("topics", "must be a non-empty list of topic numbers or `meta`")
        if entry["priority"] not in PRIORITIES:
            raise fail("priority", f"`{entry['priority']}` is not one of {', '.join(PRIORITIES)}")
        if entry["status"] not in STATUSES:
            raise fail("status", f"`{entry['status']}` is not one of {', '.join(STATUSES)}")
        paths = entry["local_paths"]
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise fail("local_paths", "must be a list of repo-relative paths")
        notes = entry.get("notes", "")
        if notes is None:
            notes = ""
        if not isinstance(notes, str):
            raise fail("notes", "must be text")
        guessed = entry.get("guessed") or []
        if not isinstance(guessed, list) or not all(g in GUESSABLE for g in guessed):
            raise fail("guessed", f"must be a list of {' / '.join(GUESSABLE)}")
        return Resource(
            id=rid,
            title=str(entry["title"]),
            urls=[str(u) for u in urls],
            type=str(entry["type"]),
            topics=[t if isinstance(t, int) else str(t) for t in topics],
            priority=str(entry["priority"]),
            status=str(entry["status"]),
            local_paths=[str(p) for p in paths],
            notes=str(notes),
            guessed=[str(g) for g in guessed],
            line=line,
        )

    # ---------- writing ----------
    @property
    def document(self) -> CommentedMap:
        assert self._doc is not None
        return self._doc

    def entry(self, rid: str) -> CommentedMap:
        for entry in self.document["resources"]:
            if entry.get("id") == rid:
                return entry
        raise KeyError(rid)

    def dumps(self) -> str:
        buf = io.StringIO()
        new_yaml().dump(self.document, buf)
        return buf.getvalue()

    def save(self) -> None:
        """Write the document back, atomically, if the disk still holds what we read."""
        try:
            current = self.path.read_bytes()
        except FileNotFoundError:
            current = b""
        if current and hashlib.sha256(current).hexdigest() != self._digest:
            self._parse(current.decode("utf-8", errors="replace"))  # names the line if broken
            raise self._error(
                "changed on disk while this command ran; nothing written, run it again"
            )
        text = self.dumps()
        # Re-validate what we are about to write, so a bug can never store a broken manifest.
        check = Manifest.__new__(Manifest)
        check.path, check.resources, check.reading_order = self.path, {}, []
        check._doc = check._parse(text)
        fsio.write_text(self.path, text)
        self._digest = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def set_fields(self, rid: str, **fields: Any) -> None:
        """Change fields of one entry in the document and the record (not yet saved)."""
        entry = self.entry(rid)
        res = self.resources[rid]
        for key, value in fields.items():
            if key not in KNOWN_KEYS:
                raise KeyError(key)
            entry[key] = to_yaml_value(value, entry.get(key))
            setattr(res, key, list(value) if isinstance(value, list) else value)

    def append_resource(self, res: Resource, comment: str | None = None) -> None:
        seq = self.document["resources"]
        seq.append(resource_node(res))
        if comment:
            seq.yaml_set_comment_before_after_key(len(seq) - 1, before=comment, indent=2)
        self.resources[res.id] = res


def _seq_line(seq: Any, index: int) -> int:
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0


def to_yaml_value(value: Any, old: Any = None) -> Any:
    """A plain value as a ruamel node. A list is written in flow style (`[a, b]`) when
    it is empty, or when it was in flow style before and stays short; in block style
    otherwise, so a person's layout survives an update."""
    if isinstance(value, list):
        seq = CommentedSeq(value)
        if (
            value
            and isinstance(old, CommentedSeq)
            and old.fa.flow_style()
            and all(isinstance(v, int | str) and len(str(v)) < 40 for v in value)
            or not value
        ):
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    return value


def resource_node(res: Resource) -> CommentedMap:
    node = CommentedMap()
    for key, value in res.to_dict().items():
        if key in ("topics", "guessed"):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            node[key] = seq
        else:
            node[key] = to_yaml_value(value)
    return node
