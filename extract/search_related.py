"""`refs search --related <id>`: what a resource is connected to, for an agent starting from it.

Four lists; all but the topics come from the search index, so they cost about what a
query does:
- cites: what the resource's card and full.md point at — other sources' sections
  (evidence), other cards (related resources), topic docs, and other resources'
  URLs;
- cited_by: the cards, topic docs, guides and sources that point at it — a
  citation of its full.md, a link to its card, or a link to one of its URLs;
- topics: the curriculum topics the manifest files it under, with their docs;
- nearest: the sections elsewhere whose text is closest to its own (its card, or
  the opening of its full.md, or its catalog description), by the same ranking
  as `refs search`.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass

from .cards import CITATION, parse_card
from .errors import UsageError
from .library import CARDS_DIR, SOURCES_DIR, TOPICS_DIR, Library
from .search import Hit, search_terms_hits
from .search_index import open_index, refresh, url_key
from .search_terms import QueryTerm, analyze

NEAREST_TERMS = 16  # distinctive words of the resource that make its text query
_SOURCE = re.compile(rf"^{SOURCES_DIR}/([a-z0-9][a-z0-9-]*)/full\.md(?:#(.*))?$")
_CARD = re.compile(rf"^{CARDS_DIR}/([a-z0-9][a-z0-9-]*)\.md(?:#(.*))?$")
_URL = re.compile(r"https?://\S+")
_TOPIC = re.compile(rf"^{TOPICS_DIR}/[^/]+\.md(?:#.*)?$")


@dataclass(frozen=True)
class Link:
    """One pointer between a file of the resource and a file elsewhere.

    ``kind`` and ``rid`` describe the file at the other end; ``source`` (path, line)
    is where the pointer is written and ``dest`` (path, anchor) what it points at.
    """

    kind: str  # card | topic | doc | source
    rid: str | None  # the resource of that file (None for topic docs and guides)
    via: str  # citation | link | url
    url: str | None  # the URL's key, for a link by URL
    source: tuple[str, int]
    dest: tuple[str, str | None]
    exists: bool  # the file pointed at is in the library

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.rid,
            "via": self.via,
            "url": self.url,
            "from": {"path": self.source[0], "line": self.source[1]},
            "to": {"path": self.dest[0], "anchor": self.dest[1], "exists": self.exists},
        }


def _split(target: str) -> tuple[str, str | None]:
    path, _, anchor = target.partition("#")
    return path, anchor or None


def _file_kind(path: str) -> tuple[str, str | None]:
    if m := _SOURCE.match(path):
        return "source", m.group(1)
    if m := _CARD.match(path):
        return "card", m.group(1)
    if _TOPIC.match(path):
        return "topic", None
    return "doc", None


def _own_files(lib: Library, rid: str) -> list[str]:
    return [f"{CARDS_DIR}/{rid}.md", f"{SOURCES_DIR}/{rid}/full.md"]


def _not_nearest(lib: Library, rid: str) -> tuple[str, ...]:
    """The resource's own files, and the curriculum: the catalog mentions every resource,
    so its sections would crowd out the passages that discuss the same things."""
    return (*_own_files(lib, rid), lib.rel(lib.curriculum_path))


def _url_owners(lib: Library) -> dict[str, str]:
    owners: dict[str, str] = {}
    for r in lib.resources:
        for u in r.urls:
            owners.setdefault(url_key(u), r.id)
    return owners


def _resource_file(lib: Library, rid: str) -> str:
    """The file that stands for a resource: its full.md, else its card, else the catalog."""
    if lib.has_full_md(rid):
        return f"{SOURCES_DIR}/{rid}/full.md"
    if lib.has_card(rid):
        return f"{CARDS_DIR}/{rid}.md"
    return lib.rel(lib.curriculum_path) if lib.curriculum_path.exists() else ""


def _link(lib: Library, kind, rid, via, url, source, dest) -> Link:
    return Link(kind, rid, via, url, source, dest, bool(dest[0]) and (lib.root / dest[0]).is_file())


def cites(conn: sqlite3.Connection, lib: Library, rid: str) -> list[Link]:
    own = _own_files(lib, rid)
    owners = _url_owners(lib)
    out: dict[tuple, Link] = {}
    rows = conn.execute(
        f"SELECT path, line, via, target FROM links WHERE path IN ({','.join('?' * len(own))})"
        " ORDER BY path, line",
        own,
    )
    for path, line, via, target in rows:
        if via == "url":
            other = owners.get(target[4:])
            if other is None or other == rid:
                continue
            dest: tuple[str, str | None] = (_resource_file(lib, other), None)
            kind = _file_kind(dest[0])[0]
            link = _link(lib, kind, other, via, target[4:], (path, line), dest)
        else:
            dest = _split(target)
            kind, other = _file_kind(dest[0])
            if other == rid or dest[0] in own or (other and not lib.has(other)):
                continue
            if kind in ("doc", "topic") and not (lib.root / dest[0]).is_file():
                continue  # a link to a file that is not in the library
            link = _link(lib, kind, other, via, None, (path, line), dest)
        out.setdefault((link.dest, link.via), link)
    return list(out.values())


def cited_by(conn: sqlite3.Connection, lib: Library, rid: str) -> list[Link]:
    own = _own_files(lib, rid)
    exact = [*own, *(f"url:{url_key(u)}" for u in lib.resource(rid).urls)]
    rows = conn.execute(
        "SELECT path, line, via, target FROM links WHERE target IN"
        f" ({','.join('?' * len(exact))}) OR target LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\'"
        " ORDER BY path, line",
        (*exact, *(_like(f) + "#%" for f in own)),
    )
    out: dict[tuple, Link] = {}
    for path, line, via, target in rows:
        if path in own:
            continue
        kind, other = _file_kind(path)
        dest: tuple[str, str | None]
        if via == "url":
            dest, url = (_resource_file(lib, rid), None), target[4:]
        else:
            dest, url = _split(target), None
        link = _link(lib, kind, other, via, url, (path, line), dest)
        out.setdefault((path, link.dest, via), link)
    return list(out.values())


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def topics(lib: Library, rid: str) -> list[dict]:
    out = []
    for key in lib.resource(rid).topics:
        t = lib.topic(key)
        doc = lib.topic_doc_path(t) if t else None
        out.append(
            {
                "key": key,
                "title": t.title if t else "",
                "path": lib.rel(doc) if doc and doc.is_file() else None,
            }
        )
    return out


# Card sections that say what the resource is about (not how the project uses it).
_ABOUT = ("Why it matters", "Key technical details", "Key insights", "Key sections", "API surface")


def resource_text(conn: sqlite3.Connection, lib: Library, rid: str) -> str:
    """The words that say what a resource is about: its card (title, why it matters, the
    claims, the key details), else its full.md's opening, else its title, catalog
    description and notes."""
    r = lib.resource(rid)
    card_path = lib.card_path(rid)
    if card_path.is_file():
        card = parse_card(card_path, card_path.read_text(encoding="utf-8", errors="replace"))
        parts = [card.title, *(card.section(s) for s in _ABOUT), *(c.text for c in card.claims)]
        text = " ".join(parts)
    else:
        rows = conn.execute(
            "SELECT heading, text FROM sections WHERE path = ? ORDER BY id",
            (f"{SOURCES_DIR}/{rid}/full.md",),
        ).fetchall()
        text = " ".join(" ".join(f"{h} {t}" for h, t in rows).split()[:1500])
    if not text.strip():
        text = f"{lib.description(rid)} {r.notes}"
    text = _URL.sub(" ", CITATION.sub(" ", text))  # paths and URLs are not what it is about
    return f"{r.title} {text}"


def nearest_terms(conn: sqlite3.Connection, text: str, n: int = NEAREST_TERMS) -> list[str]:
    """The ``n`` most distinctive analyzed terms of a text (term frequency times rarity),
    leaving out terms no other unit holds: they can only find the resource itself."""
    counts = Counter(analyze(text))
    if not counts:
        return []
    total = conn.execute("SELECT count(*) FROM units").fetchone()[0] or 1
    words = list(counts)
    df: dict[str, int] = {}
    for i in range(0, len(words), 500):  # sqlite's limit on bound parameters
        chunk = words[i : i + 500]
        marks = ",".join("?" * len(chunk))
        df.update(conn.execute(f"SELECT term, doc FROM vocab WHERE term IN ({marks})", chunk))

    def scored(min_tf: int) -> list[tuple[float, str]]:
        return [
            (tf * math.log(1 + total / df[w]), w)
            for w, tf in counts.items()
            if tf >= min_tf and df.get(w, 0) >= 2 and not w.isdigit()
        ]

    # A word said once may be an aside; fall back to those only for a short text.
    found = scored(2)
    if len(found) < n // 2:
        found = scored(1)
    return [w for _, w in sorted(found, key=lambda x: (-x[0], x[1]))[:n]]


def related(
    lib: Library, rid: str, *, limit: int = 10, conn: sqlite3.Connection | None = None
) -> dict:
    """What `refs search --related <id> --json` prints. ``conn``: an index the caller
    keeps open (brought up to date here), else one opened and closed for this call."""
    r = lib.resource(rid)  # an unknown id is an error naming the manifest
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    kept = conn is not None
    if conn is not None:
        refresh(conn, lib)
    else:
        conn = open_index(lib)
    try:
        words = nearest_terms(conn, resource_text(conn, lib, rid))
        terms = [QueryTerm(w, ((w,),), False) for w in words]
        hits: list[Hit] = (
            search_terms_hits(conn, terms, limit, exclude_paths=_not_nearest(lib, rid))
            if terms
            else []
        )
        return {
            "id": rid,
            "title": r.title,
            "topics": topics(lib, rid),
            "cites": [k.to_dict() for k in cites(conn, lib, rid)],
            "cited_by": [k.to_dict() for k in cited_by(conn, lib, rid)],
            "nearest_terms": words,
            "nearest": [h.to_dict(i) for i, h in enumerate(hits, 1)],
        }
    finally:
        if not kept:
            conn.close()
