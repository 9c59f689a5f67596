"""`refs search`: ranked sections across cards, topic docs and full.md files.

Two stages. FTS5 first finds candidate units by BM25 over the query's analyzed
terms (any of them), the heading column weighted above the context (document
title and enclosing headings) and the body. The candidates are then re-scored
here, where the whole query is in view:

- coverage: the share of the query (each word weighted by its rarity) that the
  unit holds; an identifier counts in full when it appears whole, in part when
  only its pieces do;
- proximity: the densest short stretch of body text holding query words, as a
  share of the query;
- phrase: query words that appear next to each other, in the query's order;
- prose: a table of contents, link list or reference list ranks below prose;
- kind: a card, then a topic doc, then a source when the text matches equally
  (a card is the condensed, checked view; the source is the evidence).

Units of one section compete as that section: a section scores as its best unit,
and a hit names the section's anchor. Then sections are weighed against their
neighbours (`search_sections`): an enclosing section gains from its matching
subsections, a heading made of an API name the query names outranks prose that
mentions it, and a passage a document repeats is one hit.
"""

from __future__ import annotations

import math
import sqlite3
from bisect import bisect_right
from dataclasses import dataclass

from .errors import UsageError
from .library import Library
from .search_index import open_index, refresh
from .search_sections import rerank
from .search_terms import QueryTerm, analyze_token, parse_query, raw_tokens

KINDS = ("card", "topic", "doc", "source")
HIT_START, HIT_END = "\x02", "\x03"

_KIND_WEIGHT = {"card": 1.3, "topic": 1.15, "doc": 1.1, "source": 1.0}
_COLUMN_WEIGHTS = (3.0, 1.0, 1.0)  # heading, context, body
_CANDIDATES = 300  # units re-scored per query
_WINDOW = 24  # analyzed terms in the proximity window
_PART_CREDIT = 0.6  # an identifier's parts without the identifier itself
_CONTEXT_CREDIT = 0.5  # a word found only in the document title or an enclosing heading
_COVERAGE_FLOOR = 0.7  # the BM25 share kept however little of the query a unit holds
_PROXIMITY, _PHRASE = 0.5, 0.5
_HEADING = 0.5  # bonus for the share of the query the heading itself holds
# An abstract, introduction or conclusion restates what the body sections say; when both
# match, the body section is the specific evidence (the passage a card would cite).
_SUMMARY_WORDS = frozenset({"abstract", "introduction", "conclusion", "summary", "overview"})
_SUMMARY = 0.8
# An abstract advertises the whole paper in its own words: the claims a card draws from
# it are argued, with their numbers, in the body sections (the passage to cite).
_ABSTRACT = 0.7
_SNIPPET_WORDS = 30


@dataclass(frozen=True)
class Hit:
    kind: str
    rid: str | None
    path: str
    anchor: str
    line: int
    heading: str
    snippet: str  # with \x02 ... \x03 around matched words
    score: float
    all_terms: bool  # the section contains every query word

    @property
    def target(self) -> str:
        return f"{self.path}#{self.anchor}" if self.anchor else self.path

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(HIT_START, "").replace(HIT_END, "")

    def to_dict(self, rank: int) -> dict:
        return {
            "rank": rank,
            "kind": self.kind,
            "id": self.rid,
            "path": self.path,
            "anchor": self.anchor,
            "target": self.target,
            "line": self.line,
            "heading": self.heading,
            "snippet": self.plain_snippet,
            "score": round(self.score, 4),
            "all_terms": self.all_terms,
        }


def query_terms(query: str) -> list[QueryTerm]:
    found = parse_query(query)
    if not found:
        raise UsageError(
            "give at least one word to search for that is not a common word such as "
            "'the' or 'of', e.g. `refs search zero bubble`"
        )
    return found


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"'  # an FTS5 string: no query syntax gets through


def _fts_match(terms: list[QueryTerm]) -> str:
    """An FTS5 query matching any analyzed term of the query."""
    return " OR ".join(_quoted(w) for w in dict.fromkeys(t for q in terms for t in q.terms))


@dataclass
class _Scored:
    unit: int
    section: int
    score: float
    all_terms: bool
    missing: int  # quoted phrases the unit does not hold
    held: frozenset[int] = frozenset()  # the query words (by index) the section holds


def _positions(tokens: list[str], wanted: frozenset[str]) -> dict[str, list[int]]:
    """Where each wanted term stands in ``tokens``."""
    pos: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        if t in wanted:
            pos.setdefault(t, []).append(i)
    return pos


def _phrase_at(pos: dict[str, list[int]], seq: list[str]) -> list[int]:
    """Start positions where the terms ``seq`` occur consecutively."""
    later = [set(pos.get(t, ())) for t in seq[1:]]
    return [s for s in pos.get(seq[0], []) if all(s + k in p for k, p in enumerate(later, 1))]


def _present(q: QueryTerm, pos: dict[str, list[int]], where: set[str]) -> tuple[float, list[int]]:
    """How fully ``q`` appears in a body (``pos``) or a short field (``where``): 1, a
    part credit or 0; and the body positions where it does."""
    if q.phrase:
        starts = _phrase_at(pos, list(q.terms_in_order))
        if starts:
            return 1.0, starts
        if all(g[0] in pos or g[0] in where for g in q.groups):
            return 0.5, []  # every word, but not together
        return 0.0, []
    g = q.groups[0]
    if g[0] in pos or g[0] in where:
        return 1.0, pos.get(g[0], [])
    if len(g) > 1 and all(p in pos or p in where for p in g[1:]):
        return _PART_CREDIT, sorted(i for p in g[1:] for i in pos.get(p, []))
    return 0.0, []


def _densest(located: list[tuple[int, int]], weights: list[float], width: int) -> float:
    """The largest total weight of distinct query words within ``width`` terms."""
    located.sort()
    best = 0.0
    for i, (start, _) in enumerate(located):
        seen: set[int] = set()
        total = 0.0
        for p, q in located[i:]:
            if p - start >= width:
                break
            if q not in seen:
                seen.add(q)
                total += weights[q]
        best = max(best, total)
    return best


def _ordered_pairs(terms: list[QueryTerm], positions: list[list[int]]) -> int:
    """Neighbouring query words that also stand next to each other, in order, in the text.

    In the indexed text an identifier's parts follow its whole, so the next word comes
    that many terms later; one more is allowed for a word in between.
    """
    n = 0
    for q, a, b in zip(terms, positions, positions[1:], strict=False):
        reach = len(q.groups[-1]) + 1
        for x in a:
            j = bisect_right(b, x)
            if j < len(b) and b[j] - x <= reach:
                n += 1
                break
    return n


def _rescore(
    terms: list[QueryTerm],
    wanted: frozenset[str],
    weights: list[float],
    bm25: float,
    heading: str,
    context: str,
    body: str,
    prose: float,
    kind: str,
) -> tuple[float, bool, int, frozenset[int]]:
    """The final score of one candidate unit, whether it holds every query word, how
    many of the quoted phrases it lacks, and which query words it holds."""
    pos = _positions(body.split(), wanted)
    head, ctx = set(heading.split()), set(context.split())
    total = sum(weights) or 1.0
    covered = 0.0
    in_heading = 0.0
    every = True
    missing = 0
    located: list[tuple[int, int]] = []
    per_term: list[list[int]] = []
    held: set[int] = set()
    for i, q in enumerate(terms):
        full, where = _present(q, pos, head)
        if full >= 1.0:
            held.add(i)
        if full < 1.0:
            every = every and _present(q, pos, head | ctx)[0] >= 1.0
            full = max(full, _present(q, {}, ctx)[0] * _CONTEXT_CREDIT)
        missing += q.phrase and full < 1.0
        covered += weights[i] * full
        in_heading += weights[i] * _present(q, {}, head)[0]
        per_term.append(sorted(where))
        located += [(p, i) for p in where]
    score = bm25 * (_COVERAGE_FLOOR + (1 - _COVERAGE_FLOOR) * covered / total)
    score *= 1 + _HEADING * in_heading / total
    if len(terms) > 1:
        proximity = _densest(located, weights, _WINDOW) / total
        pairs = _ordered_pairs(terms, per_term) / (len(terms) - 1)
        score *= 1 + _PROXIMITY * proximity + _PHRASE * pairs
    if head & _SUMMARY_WORDS and len(head) <= 4:
        score *= _ABSTRACT if "abstract" in head else _SUMMARY
    return score * prose * _KIND_WEIGHT.get(kind, 1.0), every, missing, frozenset(held)


def _weights(conn: sqlite3.Connection, terms: list[QueryTerm]) -> list[float]:
    """Each query word's rarity (BM25's idf of its rarest form; 0 when nowhere)."""
    words = sorted({t for q in terms for t in q.terms})
    n = conn.execute("SELECT count(*) FROM units").fetchone()[0] or 1
    marks = ",".join("?" * len(words))
    df = dict(conn.execute(f"SELECT term, doc FROM vocab WHERE term IN ({marks})", words))
    out = []
    for q in terms:
        idf = [math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in q.terms if df.get(t)]
        out.append(max(idf) if idf else 0.0)
    return out


_SQL = """
SELECT u.id, u.section, -bm25(fts, ?, ?, ?), fts.heading, fts.context, fts.body, u.prose, s.kind
FROM fts JOIN units u ON u.id = fts.rowid JOIN sections s ON s.id = u.section
WHERE fts MATCH ? {filters}
ORDER BY bm25(fts, ?, ?, ?) LIMIT ?
"""


def search(
    lib: Library,
    query: str,
    *,
    limit: int = 10,
    kinds: list[str] | None = None,
    rid: str | None = None,
    conn: sqlite3.Connection | None = None,
) -> list[Hit]:
    """Ranked hits; ``conn``: an index the caller keeps open (brought up to date here),
    else one opened and closed for this query."""
    terms = query_terms(query)
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    if conn is not None:
        refresh(conn, lib)
        return search_terms_hits(conn, terms, limit, kinds=kinds, rid=rid)
    conn = open_index(lib)
    try:
        return search_terms_hits(conn, terms, limit, kinds=kinds, rid=rid)
    finally:
        conn.close()


def search_terms_hits(
    conn: sqlite3.Connection,
    terms: list[QueryTerm],
    limit: int,
    *,
    kinds: list[str] | None = None,
    rid: str | None = None,
    exclude_paths: tuple[str, ...] = (),
) -> list[Hit]:
    """The ranked hits for analyzed query terms on an open, current index."""
    filters, params = "", []
    if kinds:
        filters += f" AND s.kind IN ({','.join('?' * len(kinds))})"
        params += kinds
    if rid:
        filters += " AND s.rid = ?"
        params.append(rid)
    if exclude_paths:
        filters += f" AND s.path NOT IN ({','.join('?' * len(exclude_paths))})"
        params += list(exclude_paths)
    weights = _weights(conn, terms)
    if not any(weights):
        return []
    sql = _SQL.format(filters=filters)
    matches = [_fts_match(terms)]
    phrases = [q for q in terms if q.phrase]
    if phrases:  # the units holding every phrase, however low BM25 puts them
        matches.insert(0, " AND ".join(_quoted(" ".join(q.terms_in_order)) for q in phrases))
    rows: dict[int, tuple] = {}
    for match in matches:
        for row in conn.execute(
            sql, (*_COLUMN_WEIGHTS, match, *params, *_COLUMN_WEIGHTS, _CANDIDATES)
        ):
            rows.setdefault(row[0], row)
    wanted = frozenset(t for q in terms for t in q.terms)
    best: dict[int, _Scored] = {}
    for unit, section, bm25, heading, context, body, prose, kind in rows.values():
        score, every, missing, held_words = _rescore(
            terms, wanted, weights, bm25, heading, context, body, prose, kind
        )
        held = best.get(section)
        if held is None:
            best[section] = _Scored(unit, section, score, every, missing, held_words)
        else:  # a section scores as its best unit, and holds every word if any unit does
            if (missing, -score) < (held.missing, -held.score):
                held.unit, held.score, held.missing = unit, score, missing
            held.all_terms = held.all_terms or every
            held.held = held.held | held_words
    scores, repeats = rerank(
        conn,
        {k: v.score for k, v in best.items()},
        {k: v.held for k, v in best.items()},
        weights,
        terms,
        limit,
    )
    for k, v in best.items():
        v.score = scores[k]
    # A "quoted phrase" is what the asker insists on: sections holding it come first.
    kept = [v for k, v in best.items() if k not in repeats]
    ranked = sorted(kept, key=lambda s: (s.missing, -s.score))[:limit]
    return [_hit(conn, s, terms) for s in ranked]


def _hit(conn: sqlite3.Connection, s: _Scored, terms: list[QueryTerm]) -> Hit:
    kind, rid, path, anchor, line, heading, text, start, stop = conn.execute(
        "SELECT s.kind, s.rid, s.path, s.anchor, s.line, s.heading, s.text, u.start, u.stop"
        " FROM units u JOIN sections s ON s.id = u.section WHERE u.id = ?",
        (s.unit,),
    ).fetchone()
    snip = snippet(text[start:stop], {t for q in terms for t in q.terms})
    return Hit(kind, rid, path, anchor, line, heading, snip, s.score, s.all_terms)


def snippet(text: str, wanted: set[str], words: int = _SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` around its densest run of query words, marked."""
    toks = raw_tokens(text)
    if not toks:
        return " ".join(text.split()[:words])
    hit = [bool(wanted.intersection(analyze_token(m.group(0)))) for m in toks]
    best, best_at = -1, 0
    for i in range(len(toks)):
        if not hit[i]:
            continue
        n = sum(hit[i : i + words])
        if n > best:
            best, best_at = n, i
    lo = max(0, best_at - 4) if best > 0 else 0
    hi = min(len(toks), lo + words)
    lo = max(0, hi - words)
    out = []
    cursor = toks[lo].start()
    for i in range(lo, hi):
        m = toks[i]
        out.append(text[cursor : m.start()])
        out.append(f"{HIT_START}{m.group(0)}{HIT_END}" if hit[i] else m.group(0))
        cursor = m.end()
    tail = text[cursor : cursor + 1] if hi < len(toks) else text[cursor:]
    body = " ".join(("".join(out) + tail).split())
    return ("… " if lo > 0 else "") + body + (" …" if hi < len(toks) else "")
