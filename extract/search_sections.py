"""How the sections of one document rank against each other once each has its score.

`search.search_terms_hits` scores every candidate section on its own text. Three
things a card writer's citation depends on are only visible across sections:

- a section and its subsections: a claim that sums up a section draws its words
  from the section's own text *and* its subsections, while each subsection holds
  only part of them. So an enclosing section whose own text matches gains in
  proportion to the query words its subtree holds beyond what its best single
  section holds (`SPREAD`): nothing when one subsection holds them all;
- a heading made of an API name (`2.1 torch.jit.trace`, `### ScheduleGPipe(...)`):
  it is where that API is described, so when the query names the API the
  section ranks above every section that only mentions it in prose;
- a repeat: a document can hold the same passage twice (an abstract from the
  landing page and again from the paper, `#abstract` and `#abstract-1`). The
  repeat is one hit, under the earlier heading, with the better score of the two.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .search_index import heading_words
from .search_terms import QueryTerm

SPREAD = 1.0  # gain of an enclosing section per share of the query its subtree adds
API_LIFT = 1.05  # an API's own section, over the best section that only mentions it
REPEAT = 0.9  # word-set overlap (Jaccard) from which two sections are one passage
_REPEAT_MIN_WORDS = 8
_REPEAT_SIZE = 0.85  # copies differ in a few words, not in length

# One identifier: dotted or `::` joined names (`torch.jit.trace`, `c10d::wait`).
_IDENT = re.compile(r"^[A-Za-z_][\w]*(?:(?:\.|::)[A-Za-z_][\w]*)*$")
_SIGNATURE = re.compile(r"\s*\(.*\)\s*$")  # `f(x, y=2)` -> `f`
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class _Section:
    id: int
    path: str
    line: int
    level: int
    heading: str
    size: int  # characters of its own text: repeats are of about the same size


def api_name(heading: str) -> str | None:
    """The API a heading names when it is nothing but that name (numbering, code
    marks and a call signature aside), lowercased; None for a heading of words."""
    h = heading_words(heading).strip().strip("`*_ ").strip()
    h = _SIGNATURE.sub("", h).strip("`* ")
    if not _IDENT.match(h):
        return None
    return h.lower() if is_identifier(h) else None


def is_identifier(token: str) -> bool:
    """A token that names code rather than a word: joined (`a.b`, `a_b`, `a::b`), with
    digits, or camel-cased inside (`ScheduleGPipe`, `AOTAutograd`)."""
    return bool(
        re.search(r"[._]|::|\d", token.strip("._")) or re.search(r"[a-z][A-Z]|[A-Z]{2}[a-z]", token)
    )


def _load(conn: sqlite3.Connection, ids: list[int]) -> dict[int, _Section]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT id, path, line, level, heading, length(text) FROM sections WHERE id IN ({marks})",
        ids,
    )
    return {r[0]: _Section(*r) for r in rows}


class _Texts:
    """Sections' own texts, lowercased, read when a rule needs them (most searches
    need a few: reading every candidate's text would cost more than the search)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.text: dict[int, str] = {}
        self.words: dict[int, set[str]] = {}

    def get(self, sid: int) -> str:
        if sid not in self.text:
            row = self.conn.execute("SELECT text FROM sections WHERE id = ?", (sid,)).fetchone()
            self.text[sid] = (row[0] if row else "").lower()
        return self.text[sid]

    def word_set(self, sid: int) -> set[str]:
        if sid not in self.words:
            self.words[sid] = set(_WORDS.findall(self.get(sid)))
        return self.words[sid]


def _parents(conn: sqlite3.Connection, paths: set[str]) -> dict[int, tuple[int | None, int]]:
    """Section id -> (the enclosing section's id or None, its own level), for every
    section of ``paths``."""
    out: dict[int, tuple[int | None, int]] = {}
    marks = ",".join("?" * len(paths))
    stack: list[tuple[int, int]] = []  # (level, id) of the open headings
    current = None
    for sid, path, level in conn.execute(
        f"SELECT id, path, level FROM sections WHERE path IN ({marks}) ORDER BY path, line",
        sorted(paths),
    ):
        if path != current:
            current, stack = path, []
        while stack and stack[-1][0] >= level:
            stack.pop()
        out[sid] = (stack[-1][1] if stack else None, level)
        if level:
            stack.append((level, sid))
    return out


def rerank(
    conn: sqlite3.Connection,
    scores: dict[int, float],
    held: dict[int, frozenset[int]],
    weights: list[float],
    terms: list[QueryTerm],
    limit: int,
) -> tuple[dict[int, float], set[int]]:
    """The candidates' scores after weighing sections against their neighbours, and
    the ids of repeats to leave out among the best (``limit`` is how many hits the
    caller shows). ``held`` is each candidate's set of query words (by index into
    ``terms`` and ``weights``)."""
    if not scores:
        return scores, set()
    secs = _load(conn, list(scores))
    family = _parents(conn, {s.path for s in secs.values()})
    new = dict(scores)
    total = sum(weights) or 1.0
    subtree: dict[int, list[int]] = {}
    for sid in scores:
        parent = family.get(sid, (None, 0))[0]
        while parent is not None:
            subtree.setdefault(parent, []).append(sid)
            parent = family.get(parent, (None, 0))[0]
    for parent, below in subtree.items():
        if parent not in scores or family[parent][1] < 2 or not held.get(parent):
            continue  # never the document title; the section's own text must match
        union = set(held[parent]).union(*(held[s] for s in below))
        best = max(sum(weights[i] for i in held[s]) for s in [parent, *below])
        gain = (sum(weights[i] for i in union) - best) / total
        new[parent] = scores[parent] * (1 + SPREAD * gain)
    texts = _Texts(conn)
    _lift_api_sections(secs, texts, new, terms)
    return new, _repeats(secs, texts, new, 2 * limit + 10)


def _lift_api_sections(
    secs: dict[int, _Section], texts: _Texts, new: dict[int, float], terms: list[QueryTerm]
) -> None:
    named = {q.groups[0][0] for q in terms if not q.phrase and q.groups and is_identifier(q.text)}
    if not named:
        return
    for sid, sec in secs.items():
        api = api_name(sec.heading)
        if api is None:
            continue
        short = api.rsplit(".", 1)[-1].rsplit("::", 1)[-1]
        hit = next((n for n in named if n in (api, short)), None)
        if hit is None:
            continue
        mentions = [
            new[o]
            for o, other in secs.items()
            if o != sid and other.path == sec.path and hit in texts.get(o)
        ]
        if mentions and max(mentions) >= new[sid]:
            new[sid] = max(mentions) * API_LIFT


def _repeats(
    secs: dict[int, _Section], texts: _Texts, new: dict[int, float], scope: int
) -> set[int]:
    """The later copies among the ``scope`` best sections: each is one passage with an
    earlier section of its file among the ``2 * scope`` best that is about as long and
    shares nearly all its words; the earlier one keeps the better score."""
    ranked = sorted(secs, key=lambda i: -new[i])
    by_path: dict[str, list[_Section]] = {}
    # a copy holds the query words its original holds, so it scores about as well
    for s in sorted((secs[i] for i in ranked[: 2 * scope]), key=lambda s: s.line):
        by_path.setdefault(s.path, []).append(s)
    dropped: set[int] = set()
    for b in sorted((secs[i] for i in ranked[:scope]), key=lambda s: (s.path, s.line)):
        for a in by_path[b.path]:
            if a.line >= b.line:
                break
            if a.id in dropped or min(a.size, b.size) < _REPEAT_SIZE * max(a.size, b.size):
                continue
            wa, wb = texts.word_set(a.id), texts.word_set(b.id)
            if len(wa) >= _REPEAT_MIN_WORDS and len(wa & wb) >= REPEAT * len(wa | wb):
                new[a.id] = max(new[a.id], new[b.id])
                dropped.add(b.id)
                break
    return dropped
