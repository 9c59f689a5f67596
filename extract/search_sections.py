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
    text: str


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
        f"SELECT id, path, line, level, heading, text FROM sections WHERE id IN ({marks})", ids
    )
    return {r[0]: _Section(*r) for r in rows}


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
) -> tuple[dict[int, float], set[int]]:
    """The candidates' scores after weighing sections against their neighbours, and
    the ids of repeats to leave out. ``held`` is each candidate's set of query words
    (by index into ``terms`` and ``weights``)."""
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
    _lift_api_sections(secs, new, terms)
    return new, _repeats(secs, new)


def _lift_api_sections(
    secs: dict[int, _Section], new: dict[int, float], terms: list[QueryTerm]
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
            if o != sid and other.path == sec.path and hit in other.text.lower()
        ]
        if mentions and max(mentions) >= new[sid]:
            new[sid] = max(mentions) * API_LIFT


def _repeats(secs: dict[int, _Section], new: dict[int, float]) -> set[int]:
    by_path: dict[str, list[_Section]] = {}
    for s in secs.values():
        by_path.setdefault(s.path, []).append(s)
    dropped: set[int] = set()
    for group in by_path.values():
        group.sort(key=lambda s: s.line)
        words = {s.id: set(_WORDS.findall(s.text.lower())) for s in group}
        for i, a in enumerate(group):
            if a.id in dropped or len(words[a.id]) < _REPEAT_MIN_WORDS:
                continue
            for b in group[i + 1 :]:
                if b.id in dropped:
                    continue
                wa, wb = words[a.id], words[b.id]
                if len(wa & wb) >= REPEAT * len(wa | wb):
                    new[a.id] = max(new[a.id], new[b.id])
                    dropped.add(b.id)
    return dropped
