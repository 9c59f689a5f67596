"""The persistent full-text index behind `refs search` (sqlite FTS5 in `.refs-cache/`).

Every card, topic doc, top-level refs doc, the curriculum and every full.md is
split at its headings (`passages.chunks`) and each chunk is one row. The index
remembers each file's (mtime, size); on open it re-reads only the files that
changed, appeared or vanished, so a query on a large, unchanged library costs a
few stat calls and one FTS lookup. The cache is
disposable: a corrupt or outdated file is deleted and rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import full_md
from .errors import RefsError
from .library import CARDS_DIR, SOURCES_DIR, TOPICS_DIR, Library
from .passages import Chunk, chunks

CACHE_DIR = ".refs-cache"
INDEX_NAME = "search.sqlite"
SCHEMA_VERSION = "2"  # bump when the rows or their meaning change: the cache rebuilds

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL);
CREATE TABLE chunks(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, kind TEXT NOT NULL, rid TEXT,
    anchor TEXT NOT NULL, line INTEGER NOT NULL, level INTEGER NOT NULL
);
CREATE INDEX chunks_path ON chunks(path);
CREATE VIRTUAL TABLE fts USING fts5(
    heading, doc, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
# `[text](target)` is indexed as its text: link targets repeat words (a citation's
# anchor, a URL's path) that would count twice and rank link-heavy chunks too high.
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True)
class IndexedFile:
    path: str  # repo-relative
    kind: str  # card | topic | doc | source
    rid: str | None
    mtime_ns: int
    size: int


def _stat(lib: Library, path: Path, kind: str, rid: str | None) -> IndexedFile | None:
    try:
        st = path.stat()
    except OSError:
        return None
    rel = path.relative_to(lib.root).as_posix()
    return IndexedFile(rel, kind, rid, st.st_mtime_ns, st.st_size)


def scan(lib: Library) -> dict[str, IndexedFile]:
    """Every file search covers, with its signature (stat only, nothing read)."""
    found: list[IndexedFile | None] = []
    cards = lib.root / CARDS_DIR
    if cards.is_dir():
        found += [_stat(lib, p, "card", p.stem) for p in cards.glob("*.md")]
    topics = lib.root / TOPICS_DIR
    if topics.is_dir():
        found += [_stat(lib, p, "topic", None) for p in topics.glob("*.md")]
    refs_dir = lib.root / "refs"
    if refs_dir.is_dir():  # top-level docs such as refs/implementation-context.md
        found += [_stat(lib, p, "doc", None) for p in refs_dir.glob("*.md")]
    # The curriculum: the only words about resources that have no card yet.
    found.append(_stat(lib, lib.curriculum_path, "doc", None))
    sources = lib.root / SOURCES_DIR
    if sources.is_dir():
        with os.scandir(sources) as entries:
            for e in entries:
                if e.is_dir():
                    found.append(_stat(lib, Path(e.path) / "full.md", "source", e.name))
    return {f.path: f for f in found if f is not None}


def _doc_title(kind: str, text: str, rid: str | None) -> str:
    """Words that name the whole document: its title and its id."""
    title = ""
    if kind == "source":
        try:
            title = str(full_md.parse(text)[0].get("title") or "")
        except RefsError:  # `refs check` reports a bad front matter; search still indexes
            title = ""
    if not title:
        m = re.search(r"^# (.+)$", text, re.M)
        title = m.group(1).strip() if m else ""
    return f"{title} {rid.replace('-', ' ')}" if rid else title


def _connect(path: Path | None) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path) if path else ":memory:", timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def _ensure_schema(conn: sqlite3.Connection) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "meta" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row and row[0] == SCHEMA_VERSION:
            return
        raise sqlite3.DatabaseError("outdated search index schema")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
            for statement in filter(str.strip, _SCHEMA.split(";")):
                conn.execute(statement)  # one by one: executescript would commit early
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def open_index(lib: Library) -> sqlite3.Connection:
    """The index, brought up to date with the files on disk.

    Falls back to an in-memory index when `.refs-cache/` cannot be written
    (a read-only checkout), which is slower but gives the same answers.
    """
    path = lib.root / CACHE_DIR / INDEX_NAME
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = _connect(path)
            _ensure_schema(conn)
            refresh(conn, lib)
            return conn
        except sqlite3.DatabaseError:  # corrupt or outdated cache: it is only a cache
            with contextlib.suppress(Exception):
                conn.close()
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(str(path) + suffix).unlink()
            if attempt:
                break
        except OSError:
            break
    conn = _connect(None)
    _ensure_schema(conn)
    refresh(conn, lib)
    return conn


def _stale(
    conn: sqlite3.Connection, current: dict[str, IndexedFile]
) -> tuple[list[str], list[str]]:
    known = {p: (m, s) for p, m, s in conn.execute("SELECT path, mtime_ns, size FROM files")}
    changed = [p for p, f in current.items() if known.get(p) != (f.mtime_ns, f.size)]
    gone = [p for p in known if p not in current]
    return changed, gone


def refresh(conn: sqlite3.Connection, lib: Library) -> int:
    """Re-index changed files; returns how many files were (re)read or dropped."""
    current = scan(lib)
    changed, gone = _stale(conn, current)
    if not changed and not gone:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        changed, gone = _stale(conn, current)  # another process may have just done it
        for p in gone + changed:
            _drop(conn, p)
        for p in changed:
            _add(conn, lib, current[p])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(changed) + len(gone)


def _drop(conn: sqlite3.Connection, rel: str) -> None:
    conn.execute("DELETE FROM fts WHERE rowid IN (SELECT id FROM chunks WHERE path = ?)", (rel,))
    conn.execute("DELETE FROM chunks WHERE path = ?", (rel,))
    conn.execute("DELETE FROM files WHERE path = ?", (rel,))


def _add(conn: sqlite3.Connection, lib: Library, f: IndexedFile) -> None:
    try:
        text = (lib.root / f.path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return  # vanished between scan and read: the next query re-scans
    doc = _doc_title(f.kind, text, f.rid)
    for ch in _rows(text):
        cur = conn.execute(
            "INSERT INTO chunks(path, kind, rid, anchor, line, level) VALUES (?,?,?,?,?,?)",
            (f.path, f.kind, f.rid, ch.anchor, ch.line, ch.level),
        )
        conn.execute(
            "INSERT INTO fts(rowid, heading, doc, body) VALUES (?,?,?,?)",
            (cur.lastrowid, ch.heading, doc, _LINK.sub(r"\1", ch.body)),
        )
    conn.execute("INSERT INTO files VALUES (?,?,?)", (f.path, f.mtime_ns, f.size))


def _rows(text: str) -> Iterator[Chunk]:
    yield from (c for c in chunks(text) if c.heading or c.body)
