"""`refs/manifest.yaml`: the one reader and writer.

People edit this file too, so it is read and written round-trip (ruamel.yaml):
comments, key order, quoting and layout survive every write. A reader that never
saves (a site build) may read it for reading only: the same records and the same
error messages, parsed by libyaml where that reads the same (`Manifest._read_fast`).

Every write is a compare-and-swap under one lock (`refs/.manifest.lock`, an
`flock` that every refs command takes to save). The new text is dumped, and
checked to read back as exactly the document and to be valid, before the lock
is taken; under it the file is read and swapped in at once. When the file
changed since this command read it (another refs command, or a person's editor), this command's own changes (the fields it set,
the entries it added, the reading order) are re-applied to the fresh file, so
an edit of other entries or other fields is kept; an edit of the same field, a
removed entry or a file that no longer parses stops the command with a clear
message and nothing written. Where the file system can exchange two names
atomically (Linux), the swap reports exactly the file it replaced, so even an
editor's save that lands in the last microsecond is detected and merged.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import io
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as rt_events
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.representer import RoundTripRepresenter

from . import fsio, manifest_readback, yaml_limits
from .errors import CannotWrite, RefsError, cannot_write

TYPES = ("paper", "docs", "blog", "code", "video", "essay", "podcast", "lecture")
PRIORITIES = ("high", "medium", "low")
STATUSES = ("pending", "fetched", "converted", "condensed", "link_only")
# Pipeline order; link_only sits outside it.
PIPELINE = ("pending", "fetched", "converted", "condensed")
UNFETCHABLE_TYPES = ("video", "podcast", "lecture")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_ID_CHARS = 100  # ids name files (`<id>.md`, `sources/<id>/`): far below 255 bytes
REQUIRED = ("id", "title", "urls", "type", "topics", "priority", "status", "local_paths")
# `guessed`: fields `refs sync --add-missing` guessed from the URL, for a person to check
# (then delete the line); `refs check` warns while it is there.
GUESSABLE = ("type", "priority")
KNOWN_KEYS = (*REQUIRED, "notes", "guessed")
LOCK_WAIT = 60.0  # seconds to wait for another writer; a save holds the lock well under 1 s
SAVE_ROUNDS = 20  # merges in a row before giving up on a file that keeps changing


class _Representer(RoundTripRepresenter):
    """ruamel.yaml's round-trip representer, with one repair: it writes NEL (U+0085)
    raw inside single quotes, where reading folds it into a space; such a string is
    written double-quoted, where NEL is the escape `\\N` and reads back as itself."""

    def represent_data(self, data: Any) -> Any:
        if isinstance(data, str) and "\x85" in data:
            return self.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')
        return super().represent_data(data)


def new_yaml() -> YAML:
    yaml = YAML()
    yaml.Representer = _Representer
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

    _doc: CommentedMap | None  # None: read for reading only (no comments to keep)
    resources: dict[str, Resource]
    reading_order: list[Step]
    _base: Any  # what the file held when read, as plain data (None: read only)

    def __init__(self, path: Path, *, read_only: bool = False):
        """The manifest at ``path``. ``read_only``: for a reader that never saves it (a
        site build): read fast where that reads the same (`_read_fast`), never written."""
        self.path = Path(path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError as exc:
            raise self._error(
                "not found; run `refs sync` to create it from the curriculum"
            ) from exc
        self._read(raw, read_only)

    @classmethod
    def from_bytes(cls, path: Path, raw: bytes, *, read_only: bool = False) -> Manifest:
        """The manifest ``raw`` would be at ``path`` (validated the same way)."""
        m = cls.__new__(cls)
        m.path = Path(path)
        m._read(raw, read_only)
        return m

    # ---------- reading ----------
    def _error(self, message: str, line: int | None = None) -> RefsError:
        return RefsError(message, self.path, line)

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise self._error(
                f"is not UTF-8 text: byte 0x{raw[exc.start]:02x} at byte offset {exc.start} "
                "cannot be decoded; re-save the file as UTF-8 (or restore it from git)",
                line,
            ) from None

    def _parse(self, text: str) -> CommentedMap:
        try:
            doc = yaml_limits.load_round_trip(new_yaml(), text)
        except yaml_limits.LimitExceeded as exc:
            raise self._error(exc.problem, exc.line) from None
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            raise self._error(
                f"does not parse as YAML: {problem}; fix the file by hand", line
            ) from exc
        except ReaderError as exc:  # a control character YAML does not allow
            pos = exc.position if isinstance(exc.position, int) else 0
            line = text.count("\n", 0, pos) + 1
            raise self._error(
                f"does not parse as YAML: character #x{exc.character:04x} (character "
                f"offset {pos}) is not allowed in YAML; delete it",
                line,
            ) from None
        except YAMLError as exc:
            raise self._error(f"does not parse as YAML: {exc}; fix the file by hand") from exc
        except TypeError:  # ruamel.yaml hashes a mapping key: one holding a list cannot be
            raise self._error(
                "a mapping key is a list or mapping that holds a list (`? [a, [b]]`); "
                "a manifest's keys are plain words: fix the file by hand",
                _nested_key_line(text),
            ) from None
        if not isinstance(doc, CommentedMap):
            raise self._error("must be a mapping with `resources:` and `reading_order:`", 1)
        return doc

    def _read(self, raw: bytes, read_only: bool = False) -> None:
        self._digest = _sha(raw)
        text = self._decode(raw)
        if read_only and self._read_fast(text):
            return
        self._index(self._parse(text))

    def _read_fast(self, text: str) -> bool:
        """The records of ``text`` read with libyaml's parser under the round-trip
        composer and constructor (`manifest_readback.load_fast`: the same data, and the
        same lines), without the comments a save keeps: a third of the round-trip read's
        time, for a reader that never saves. False where that reading does not judge
        the text or the text breaks a rule: the round-trip read then says what is
        wrong, at its own line numbers (so every message is the same either way)."""
        doc = manifest_readback.load_fast(text, new_yaml())
        if not isinstance(doc, CommentedMap):
            return False
        try:
            resources, reading_order = self._validated(doc)
        except RefsError:
            return False
        self._doc = None  # no comments were read: this document is never written
        self.resources = resources
        self.reading_order = reading_order
        self._base = None
        return True

    def _index(self, doc: CommentedMap) -> None:
        """Validate ``doc`` and make it this manifest's document and records."""
        resources, reading_order = self._validated(doc)
        self._doc = doc
        self.resources = resources
        self.reading_order = reading_order
        # What the file held when read: the base our own changes are measured from.
        self._base = plain(doc)

    def _validated(self, doc: CommentedMap) -> tuple[dict[str, Resource], list[Step]]:
        """The records of ``doc``; a RefsError naming the line where it breaks a rule."""
        resources: dict[str, Resource] = {}
        reading_order: list[Step] = []
        entries = doc.get("resources")
        if not isinstance(entries, CommentedSeq):
            raise self._error("`resources` must be a list of entries", _line(doc, "resources") or 1)
        for i, entry in enumerate(entries):
            res = self._validate_entry(entry, _seq_line(entries, i))
            if res.id in resources:
                first = resources[res.id].line
                raise self._error(
                    f"duplicate id `{res.id}` (first at line {first}); give one of them a new id",
                    res.line,
                )
            resources[res.id] = res
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
            reading_order.append(Step(num, title, [str(x) for x in ids], line))
        return resources, reading_order

    def _validate_entry(self, entry: Any, line: int) -> Resource:
        if not isinstance(entry, dict):
            raise self._error("each resource must be a mapping of fields", line)

        def fail(key: str, message: str) -> RefsError:
            shown = str(entry.get("id", "?"))
            shown = shown if len(shown) <= MAX_ID_CHARS else shown[:MAX_ID_CHARS] + "..."
            return self._error(
                f"resource `{shown}` field `{key}`: {message}",
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
        if len(rid) > MAX_ID_CHARS:
            raise fail("id", f"is {len(rid):,} characters, more than {MAX_ID_CHARS}: shorten it")
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
        for p in paths:  # the path rule: a library names only its own files
            if p.startswith(("/", "\\", "~")) or ".." in re.split(r"[\\/]", p):
                raise fail("local_paths", f"`{p}` leaves the library; list paths inside it")
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
        if self._doc is None:  # a bug in refs, not the file's fault
            raise RuntimeError(f"{self.path} was read for reading only; it cannot be changed")
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
        """Write the document back: merged with any edit saved since it was read.

        Raises a RefsError, with nothing written, when a concurrent edit broke
        the file or touched what this command changes too.
        """
        text = self.dumps()
        data = text.encode("utf-8")
        mine = _changes(self._base, self.document)  # what this save is to store
        # Check what we are about to write, so a bug can never store a broken manifest.
        # Dumping, checking and merging take a while, so they happen before the lock is
        # taken; under it, only a save that landed in the meantime needs merging again.
        self._check_reads_back(text, data)
        current = self._current()
        if _sha(current) != self._digest:
            try:
                data = self._merge_onto(current)
            except RefsError:
                # Read outside the lock, the file may be half-written by a writer that
                # holds it. `_commit` reads it again under the lock and merges there;
                # an error then is the file's own.
                pass
        with writer_lock(self.path):
            self._commit(data, mine)

    def _check_reads_back(self, text: str, data: bytes) -> None:
        """A RefsError, with nothing written, unless ``text`` (the dump of the document)
        reads back as a valid manifest holding exactly the document.

        The rules are checked on the document in memory; that the text reads back as it
        is checked with libyaml's parser (`manifest_readback`), and where that check does
        not judge the text or says no, by reading it as `Manifest` reads a file.
        """
        try:
            self._validated(self.document)
            read = manifest_readback.load_fast(text, new_yaml())
        except RefsError:
            read = None
        if read is not None and manifest_readback.same(read, self.document):
            return
        read = Manifest.from_bytes(self.path, data).document  # says what breaks, and where
        if not manifest_readback.same(read, self.document):
            raise self._error(
                "would not read back as what refs meant to save (a bug in refs: please "
                "report it with the command you ran); nothing written"
            )

    def _commit(self, data: bytes, mine: _Changes) -> None:
        """The compare-and-swap, under the writers' lock; merges until it sticks."""
        expect = self._current()  # what the swap is to replace
        basis = expect  # what our changes are applied to
        unmerged: bytes | None = None  # an edit our swap displaced and has not merged yet
        try:
            for _ in range(SAVE_ROUNDS):
                if _sha(basis) != self._digest:
                    data = self._merge_onto(basis)
                try:
                    swapped, displaced = fsio.swap_in(self.path, data, expect)
                except FileNotFoundError:
                    raise self._removed() from None
                if displaced == expect:
                    self._base = plain(self.document)
                    self._digest = _sha(data)
                    return
                # Someone saved after our read. If the swap replaced their file, ours
                # (without their edit) is in place now: merge their edit and swap again.
                unmerged = displaced if swapped else None
                expect, basis = (data, displaced) if swapped else (displaced, displaced)
            raise self._error(
                f"kept changing while this command saved it ({SAVE_ROUNDS} merges); "
                "nothing written: run the command again"
            )
        except BaseException as exc:
            aside = self._put_back(unmerged, data) if unmerged is not None else None
            if not isinstance(exc, RefsError):
                raise
            kept = self._kept_by_another(mine)
            if aside is not None:
                said = exc.message
                if kept:
                    said = (
                        "kept changing while this command saved it; this command's changes "
                        "are in the file (another writer saved them with its own)"
                    )
                raise self._error(
                    f"{said}; an edit saved meanwhile is kept in {aside.name}: merge it by hand"
                ) from None
            if kept:
                return  # a writer that read our save kept every change: it is saved
            raise

    def _kept_by_another(self, mine: _Changes) -> bool:
        """Whether the file now holds every change of ours (an editor that read our save
        redid its edit on it); then the save stands, and "nothing written" would be false.
        Part of them held is said as such: the message must agree with the file."""
        try:
            raw = self.path.read_bytes()
            now = plain(Manifest.from_bytes(self.path, raw).document)
        except (OSError, RefsError):
            return False
        held = _held(mine, now)
        if held and all(held):
            self._base = now
            self._digest = _sha(raw)
            return True
        if any(held):
            raise self._error(
                "kept changing while this command saved it, and another writer saved part "
                "of this command's changes with its own: check the file (e.g. `git diff`), "
                "then run the command again"
            )
        return False

    def _current(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise self._removed() from None

    def _removed(self) -> RefsError:
        return self._error(
            "was removed while this command ran; nothing written: restore it "
            "(e.g. `git checkout refs/manifest.yaml`) and run the command again"
        )

    def _merge_onto(self, raw: bytes) -> bytes:
        """Our changes (base -> document) applied to ``raw``, a newer file on disk."""
        try:
            theirs = Manifest.from_bytes(self.path, raw)
        except RefsError as exc:
            raise RefsError(
                f"changed on disk while this command ran and no longer reads: {exc.message}; "
                "nothing written: fix the file, then run the command again",
                self.path,
                exc.line,
            ) from None
        changes = _changes(self._base, self.document)
        doc = theirs.document
        problem = _apply(changes, theirs._base, self._base, doc)
        if problem:
            raise self._error(
                f"changed on disk while this command ran, and the edit touches {problem}, "
                "which this command changes too; nothing written: run the command again"
            )
        buf = io.StringIO()
        new_yaml().dump(doc, buf)
        merged = buf.getvalue().encode("utf-8")
        fresh = Manifest.from_bytes(self.path, merged)  # validated, with its own line numbers
        self._index(fresh.document)
        self._base = theirs._base  # our changes are now measured from their file
        self._digest = _sha(raw)
        return merged

    def _put_back(self, theirs: bytes, ours: bytes) -> Path | None:
        """Undo a swap that replaced an edit we could not merge: their file goes back.

        Returns the file an edit was kept in when yet another save got in between.
        """
        try:
            swapped, displaced = fsio.swap_in(self.path, theirs, ours)
        except OSError:
            swapped, displaced = False, b""
        if swapped and displaced == ours:
            return None
        # Yet another save got in between: keep the edit we hold beside the manifest.
        keep = displaced if swapped else theirs
        aside = self.path.with_name(f"{self.path.name}.unsaved-{time.strftime('%Y%m%d-%H%M%S')}")
        fsio.write_bytes(aside, keep)
        return aside

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


# ---------- the writers' lock ----------
def lock_path(path: Path) -> Path:
    """The lock file beside the manifest (`refs/.manifest.lock`; gitignored)."""
    path = Path(path)
    return path.with_name(f".{path.stem}.lock")


@contextlib.contextmanager
def writer_lock(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the one lock every writer of the manifest takes to save it."""
    lock = lock_path(path)
    wait = LOCK_WAIT if wait is None else wait
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if cannot_write(exc):  # a read-only or full disk: the manifest cannot be saved
            raise CannotWrite(exc, path) from None
        raise RefsError(
            f"cannot open the writers' lock {lock.name}: {exc.strerror}; nothing written", path
        ) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RefsError(
                        f"another refs command has held {lock.name} for {wait:.0f}s; "
                        "nothing written: run this command again when it is done",
                        path,
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def create(path: Path, text: str) -> None:
    """Write a new manifest, under the lock; never replaces one that appeared meanwhile."""
    Manifest.from_bytes(path, text.encode("utf-8"))  # never create a broken one
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(path):
        try:
            fsio.create_new(path, text.encode("utf-8"))
        except FileExistsError:
            raise RefsError(
                "was created by another command meanwhile; nothing written: run this one again",
                path,
            ) from None


# ---------- three-way merge of our changes into a newer file ----------
_MISSING = object()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plain(node: Any) -> Any:
    """A round-trip node as plain dicts, lists and scalars (what a change compares)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def _by_id(entries: Any) -> dict[str, Any]:
    if not isinstance(entries, list):
        return {}
    return {e["id"]: e for e in entries if isinstance(e, dict) and "id" in e}


@dataclass
class _Changes:
    fields: list[tuple[str, str, Any]]  # (id, key, new node or _MISSING)
    added: list[tuple[str | None, Any, Any]]  # (id or None, entry node, comment before it or None)
    top: list[tuple[str, Any]]  # (top-level key other than resources, new node or _MISSING)


def _changes(base: dict, doc: CommentedMap) -> _Changes:
    """What this command changed: the document compared with the file it read."""
    base_entries = _by_id(base.get("resources"))
    seq = doc.get("resources")
    fields: list[tuple[str, str, Any]] = []
    added: list[tuple[str | None, Any, Any]] = []
    for i, entry in enumerate(seq if isinstance(seq, list) else []):
        rid = entry.get("id") if isinstance(entry, dict) else None
        if rid not in base_entries:
            comment = seq.ca.items.get(i) if isinstance(seq, CommentedSeq) else None
            added.append((rid, entry, copy.deepcopy(comment)))
            continue
        old = base_entries[rid]
        for key in dict.fromkeys([*old, *entry]):
            new = entry.get(key, _MISSING)
            if plain(new) != old.get(key, _MISSING):
                fields.append((rid, key, new))
    top = [
        (key, doc.get(key, _MISSING))
        for key in dict.fromkeys([*base, *doc])
        if key != "resources" and plain(doc.get(key, _MISSING)) != base.get(key, _MISSING)
    ]
    return _Changes(fields, added, top)


def _apply(changes: _Changes, theirs: dict, base: dict, doc: CommentedMap) -> str | None:
    """Apply ``changes`` to ``doc`` (their file, plain form ``theirs``); None or the clash.

    A change applies where their file still holds what ours was made from; a
    field they changed to something else, or an entry they removed, is a clash.
    """
    base_entries, their_entries = _by_id(base.get("resources")), _by_id(theirs.get("resources"))
    gone = [rid for rid in base_entries if rid not in their_entries]
    if gone:
        return f"the entries {', '.join(f'`{g}`' for g in gone)} (removed or renamed)"
    nodes = _by_id(doc["resources"])
    for rid, key, new in changes.fields:
        have = their_entries[rid].get(key, _MISSING)
        if have == plain(new):
            continue
        if have != base_entries[rid].get(key, _MISSING):
            return f"`{rid}` field `{key}`"
        if new is _MISSING:
            del nodes[rid][key]
        else:
            nodes[rid][key] = new
    seq = doc["resources"]
    for new_id, node, comment in changes.added:
        if new_id in their_entries:
            if their_entries[new_id] == plain(node):
                continue
            return f"the new entry `{new_id}` (the file has one with that id now)"
        seq.append(node)
        if comment is not None:
            seq.ca.items[len(seq) - 1] = comment
    for key, new in changes.top:
        have = theirs.get(key, _MISSING)
        if have == plain(new):
            continue
        if have != base.get(key, _MISSING):
            return f"`{key}`"
        if new is _MISSING:
            del doc[key]
        else:
            doc[key] = new
    return None


def _held(changes: _Changes, now: dict) -> list[bool]:
    """For each of ``changes``, whether the file read as ``now`` holds it already."""
    entries = _by_id(now.get("resources"))
    held = [
        rid in entries and entries[rid].get(key, _MISSING) == plain(new)
        for rid, key, new in changes.fields
    ]
    held += [
        rid is not None and entries.get(rid, _MISSING) == plain(node)
        for rid, node, _ in changes.added
    ]
    held += [now.get(key, _MISSING) == plain(new) for key, new in changes.top]
    return held


def _nested_key_line(text: str) -> int | None:
    """The line of the first mapping key that is a collection holding a collection."""
    frames: list[list] = []  # [is a mapping, the node just read is a key, complex key line]
    try:
        for event in new_yaml().parse(text):
            if isinstance(event, (rt_events.MappingEndEvent, rt_events.SequenceEndEvent)):
                frames.pop()
            is_node = isinstance(
                event,
                (rt_events.ScalarEvent, rt_events.AliasEvent, rt_events.CollectionStartEvent),
            )
            if is_node and frames and frames[-1][0]:  # a key or a value of the mapping
                frames[-1][1] = not frames[-1][1]
            if isinstance(event, rt_events.CollectionStartEvent):
                inside = next((f[2] for f in reversed(frames) if f[2] is not None), None)
                if inside is not None:
                    return inside
                key = bool(frames and frames[-1][0] and frames[-1][1])
                line = event.start_mark.line + 1 if key and event.start_mark else None
                frames.append([isinstance(event, rt_events.MappingStartEvent), False, line])
    except YAMLError:
        return None
    return None


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
