"""The persistent index behind `refs search` (sqlite FTS5 in `.refs-cache/`).

Every card, topic doc, top-level refs doc, the curriculum and every full.md is
split at its headings (`passages.chunks`): each heading's own text is one
*section*, so a hit names the narrowest heading that holds the words. A long
section is cut further into overlapping *units* of about `UNIT_TOKENS` words
(one FTS row each, all pointing at the section's anchor), so a few matching
sentences inside a 5,000-word chapter weigh what they would in a short one.

Rows hold analyzed terms (`search_terms`), not raw text: identifiers whole and
by parts, light stems, no stopwords. Beside each unit the index keeps the
section's heading and its context (the document title and the headings above
it) as their own columns, and a prose score that is low for a table of
contents, a link list or a reference list.

The index remembers each file's (mtime, size); on open it re-reads only the
files that changed, appeared or vanished, so a query on a large, unchanged
library costs a few stat calls and one FTS lookup. The cache is disposable: a
corrupt or outdated file is deleted and rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import fsio, full_md
from .cards import CITATION, find_citations, parse_card
from .curriculum import normalise_url
from .errors import RefsError
from .library import CARDS_DIR, SOURCES_DIR, TOPICS_DIR, Library
from .markdown import walk
from .passages import chunks
from .search_terms import analyze, analyze_token, normalize, raw_tokens

CACHE_DIR = ".refs-cache"
INDEX_NAME = "search.sqlite"
SCHEMA_VERSION = "4"  # bump when the rows or their meaning change: the cache rebuilds
UNIT_TOKENS = 200  # words per unit of a long section
UNIT_STRIDE = 150  # consecutive units overlap by a quarter, so no sentence is cut off

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL);
CREATE TABLE sections(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, kind TEXT NOT NULL, rid TEXT,
    anchor TEXT NOT NULL, line INTEGER NOT NULL, level INTEGER NOT NULL,
    heading TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX sections_path ON sections(path);
CREATE TABLE units(
    id INTEGER PRIMARY KEY, section INTEGER NOT NULL, start INTEGER NOT NULL,
    stop INTEGER NOT NULL, prose REAL NOT NULL
);
CREATE INDEX units_section ON units(section);
CREATE VIRTUAL TABLE fts USING fts5(
    heading, context, body, tokenize = "unicode61 remove_diacritics 0 tokenchars '_.-/:'"
);
CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
CREATE TABLE links(
    path TEXT NOT NULL, line INTEGER NOT NULL, via TEXT NOT NULL, target TEXT NOT NULL
);
CREATE INDEX links_path ON links(path);
CREATE INDEX links_target ON links(target);
CREATE TABLE problems(path TEXT PRIMARY KEY, message TEXT NOT NULL);
"""
# `[text](target)` is indexed as its text: link targets repeat words (a citation's
# anchor, a URL's path) that would count twice and rank link-heavy chunks too high.
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_ANCHOR_TAG = re.compile(r"""<a\s+(?:id|name)=["'][^"']*["']\s*>\s*</a>""")


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


def doc_title(kind: str, text: str, rid: str | None) -> str:
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


# ---------- sections and units (pure: text in, rows out) ----------


@dataclass(frozen=True)
class Unit:
    start: int  # character offsets into the section text
    stop: int
    terms: str  # analyzed, space-separated
    prose: float  # 1.0 prose .. low for a contents, link or reference list


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    level: int
    line: int
    text: str  # the section's own text, links reduced to their words
    context: str  # the document title and the headings above this one
    units: tuple[Unit, ...]


# Headings of sections that are lists of other works or of the document itself.
_LIST_HEADING = re.compile(
    r"^\W*(?:[\dA-Z]{1,3}[.)]?\s+)?(references|bibliography|works cited|citations|"
    r"(?:table of )?contents|further (?:links|reading)|see also|footnotes|notes and references)\W*$",
    re.I,
)
_REF_ENTRY = re.compile(
    r"(?:^|\s)\[\d{1,3}\]\s+[A-Z]|^\s*\d{1,3}\.\s+[A-Z][^\n]{0,80}\b(?:19|20)\d\d\b", re.M
)
_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")
_LIST_LINK = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+\S*\[[^\]]+\]\([^)]*\)\S*\s*(?:[-–—:]\s*.{0,60})?$"
)
_DOT_LEADER = re.compile(r"\w.*(?:\.\s?){4,}\s*\d{1,4}\s*$")  # "Method ........ 12"


def prose_score(heading: str, raw: str) -> float:
    """1.0 for prose; lower the more the text reads as a list of works or of links.

    A reference list is dense in `[N] Author` entries and years; a table of contents
    is lines that are each a link (or a title with a page number). Such a section
    matches many words (every title it lists) but answers nothing itself.
    """
    words = max(1, len(raw.split()))
    refs = len(_REF_ENTRY.findall(raw))
    years = len(_YEAR.findall(raw))
    # Entries run 12-25 words, each with a year and usually an [N]; prose that cites a
    # few works or names a year now and then stays below the threshold.
    density = max(refs * 12, years * 8) / words
    ref_signal = min(1.0, max(0.0, density - 0.25) / 0.35) if refs >= 3 else 0.0
    lines = [ln for ln in raw.splitlines() if ln.strip()]
    link_lines = sum(1 for ln in lines if _LIST_LINK.match(ln) or _DOT_LEADER.match(ln))
    toc_signal = 0.0
    if len(lines) >= 3:
        toc_signal = min(1.0, max(0.0, link_lines / len(lines) - 0.3) / 0.4)
    signal = max(ref_signal, toc_signal)
    if _LIST_HEADING.match(heading.strip()):
        signal = max(signal, 0.8)
    return round(1.0 - 0.75 * signal, 3)


def _units(text: str, prose: float) -> tuple[Unit, ...]:
    """``text`` in windows of `UNIT_TOKENS` words; ``prose`` is the whole section's score
    (a contents list is seen in the raw lines, its links intact), lowered for a window
    that is itself a reference list."""
    toks = raw_tokens(text)
    if not toks:
        return (Unit(0, len(text), "", prose),)
    out = []
    start = 0
    while True:
        window = toks[start : start + UNIT_TOKENS]
        lo, hi = window[0].start(), window[-1].end()
        terms = " ".join(t for m in window for t in analyze_token(m.group(0)))
        out.append(Unit(lo, hi, terms, min(prose, prose_score("", text[lo:hi]))))
        if start + UNIT_TOKENS >= len(toks):
            break
        start += UNIT_STRIDE
    return tuple(out)


# "3.2 ", "A.1 ", "IV. ": numbering says where a section is, not what it is about, and
# its digits would match every query that holds a small number.
_NUMBERING = re.compile(
    r"^\s*(?:[A-Z](?=\.)|[IVX]{1,4}(?=[.)])|\d{1,2})(?:\.\d{1,2})*[.)]?\s+(?=\S)"
)


def heading_words(heading: str) -> str:
    """A heading as search weighs it: without its section number."""
    return _NUMBERING.sub("", heading, count=1)


def sections(text: str, title: str) -> list[Section]:
    """A markdown file as the sections search ranks, each with its units."""
    out: list[Section] = []
    above: list[tuple[int, str]] = []  # (level, heading) of the enclosing headings
    for ch in chunks(text):
        if not ch.heading and not ch.body:
            continue
        while above and above[-1][0] >= ch.level:
            above.pop()
        context = " ".join([title, *(heading_words(h) for _, h in above)])
        body = normalize(_ANCHOR_TAG.sub(" ", _LINK.sub(r"\1", ch.body)))
        units = _units(body, prose_score(ch.heading, ch.body))
        out.append(Section(ch.anchor, ch.heading, ch.level, ch.line, body, context, units))
        if ch.level:
            above.append((ch.level, ch.heading))
    return out


# ---------- links between files (what `refs search --related` follows) ----------

_MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>]+?\.md)(#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`|]+(?:\([^\s()]*\)[^\s<>()\[\]\"'`|]*)*")
_ARXIV = re.compile(
    r"^(?:export\.)?arxiv\.org/(?:abs|pdf|html)/([a-z-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$"
)


def url_key(url: str) -> str:
    """A URL as links are matched: `normalise_url`, and one form per arXiv paper."""
    u = normalise_url(url.rstrip(".,;:!?"))
    m = _ARXIV.match(u)
    return f"arxiv.org/abs/{m.group(1)}" if m else u


@dataclass(frozen=True)
class Link:
    line: int
    via: str  # citation | link | url
    target: str  # a repo path (with #anchor for a citation) or `url:<key>`


def file_links(rel: str, kind: str, text: str) -> list[Link]:
    """The citations, links to other library files and URLs a file holds.

    A citation is identified by its `sources/<id>/full.md#anchor` part, whatever
    prefix it has; another markdown link is resolved against the file's folder; a
    card's "Related resources" entries count as links to those cards.
    """
    found: dict[tuple[str, str], Link] = {}

    def add(line: int, via: str, target: str) -> None:
        found.setdefault((via, target), Link(line, via, target))

    folder = posixpath.dirname(rel)
    for c in find_citations(text):
        add(c.line, "citation", c.target)
    for i, line, in_code in walk(text.splitlines()):
        if in_code:
            continue
        for m in _MD_LINK.finditer(line):
            path = m.group(1)
            if "://" in path or CITATION.search(path + (m.group(2) or "")):
                continue
            resolved = posixpath.normpath(posixpath.join(folder, path))
            if not resolved.startswith("../"):
                add(i + 1, "link", resolved + (m.group(2) or ""))
        for m in _URL.finditer(line):
            add(i + 1, "url", "url:" + url_key(m.group(0)))
    if kind == "card":
        for rid, at in parse_card(Path(rel), text).related:
            add(at, "link", f"{CARDS_DIR}/{rid}.md")
    return sorted(found.values(), key=lambda k: (k.line, k.via, k.target))


# ---------- the sqlite file ----------


def _connect(path: Path | None) -> sqlite3.Connection:
    # check_same_thread off: `refs mcp` keeps one connection open across calls, which its
    # SDK runs in worker threads, one at a time (the server holds a lock around each).
    conn = sqlite3.connect(
        str(path) if path else ":memory:",
        timeout=30,
        isolation_level=None,
        check_same_thread=False,
    )
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
    conn.execute("DELETE FROM links WHERE path = ?", (rel,))
    ids = "SELECT u.id FROM units u JOIN sections s ON s.id = u.section WHERE s.path = ?"
    conn.execute(f"DELETE FROM fts WHERE rowid IN ({ids})", (rel,))
    conn.execute(
        "DELETE FROM units WHERE section IN (SELECT id FROM sections WHERE path = ?)", (rel,)
    )
    conn.execute("DELETE FROM sections WHERE path = ?", (rel,))
    conn.execute("DELETE FROM files WHERE path = ?", (rel,))
    conn.execute("DELETE FROM problems WHERE path = ?", (rel,))


def _add(conn: sqlite3.Connection, lib: Library, f: IndexedFile) -> None:
    path = lib.root / f.path
    try:
        text = fsio.read_text(path)  # the path rule, and bytes that are not UTF-8 named
    except RefsError as exc:
        # Said on every search until the file changes (`problems`); a link out of the
        # library is never read, other text is indexed with the bad bytes replaced.
        conn.execute("INSERT INTO problems VALUES (?,?)", (f.path, exc.message))
        if fsio.link_problem(path):
            conn.execute("INSERT INTO files VALUES (?,?,?)", (f.path, f.mtime_ns, f.size))
            return
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return  # vanished between scan and read: the next query re-scans
    for sec in sections(text, doc_title(f.kind, text, f.rid)):
        cur = conn.execute(
            "INSERT INTO sections(path, kind, rid, anchor, line, level, heading, text)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (f.path, f.kind, f.rid, sec.anchor, sec.line, sec.level, sec.heading, sec.text),
        )
        heading = " ".join(analyze(heading_words(sec.heading)))
        # The context is a label: each of its words once (a title often repeats as the H1).
        context = " ".join(dict.fromkeys(analyze(sec.context)))
        for u in sec.units:
            row = conn.execute(
                "INSERT INTO units(section, start, stop, prose) VALUES (?,?,?,?)",
                (cur.lastrowid, u.start, u.stop, u.prose),
            )
            conn.execute(
                "INSERT INTO fts(rowid, heading, context, body) VALUES (?,?,?,?)",
                (row.lastrowid, heading, context, u.terms),
            )
    if f.path != lib.rel(lib.curriculum_path):  # the catalog lists every URL: no evidence
        conn.executemany(
            "INSERT INTO links(path, line, via, target) VALUES (?,?,?,?)",
            [(f.path, k.line, k.via, k.target) for k in file_links(f.path, f.kind, text)],
        )
    conn.execute("INSERT INTO files VALUES (?,?,?)", (f.path, f.mtime_ns, f.size))


def problems(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(path, what is wrong) of each file search could not read as it is."""
    return list(conn.execute("SELECT path, message FROM problems ORDER BY path"))


def iter_sections(conn: sqlite3.Connection, path: str) -> Iterator[tuple]:
    """(anchor, heading, text) of every indexed section of one file, in order."""
    yield from conn.execute(
        "SELECT anchor, heading, text FROM sections WHERE path = ? ORDER BY id", (path,)
    )
