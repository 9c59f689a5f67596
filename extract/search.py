"""`refs search`: ranked hits across cards, topic docs and full.md sections.

Ranking is FTS5's BM25 with the heading weighted over the document title over the
body, and cards ahead of topic docs ahead of sources when the text matches equally
well (a card is the condensed, checked view; the source is the evidence). Hits that
contain every word come first; hits with only some words fill the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UsageError
from .library import Library
from .search_index import open_index

KINDS = ("card", "topic", "doc", "source")
_KIND_WEIGHT = {"card": 1.3, "topic": 1.15, "doc": 1.1, "source": 1.0}
_COLUMN_WEIGHTS = (10.0, 1.0, 1.0)  # heading, doc title, body
HIT_START, HIT_END = "\x02", "\x03"
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+")


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
    all_terms: bool  # the chunk contains every query word

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


def terms(query: str) -> list[str]:
    """FTS5 terms of a query: words, and "quoted phrases" kept as phrases."""
    out = []
    for m in _TERM.finditer(query):
        words = _WORD.findall(m.group(1) or m.group(2))
        if words:
            out.append('"' + " ".join(words) + '"')  # quoted: no FTS syntax gets through
    return out


_SQL = """
SELECT c.kind, c.rid, c.path, c.anchor, c.line, fts.heading,
       snippet(fts, 2, ?, ?, '…', 24) AS snip,
       bm25(fts, ?, ?, ?) * (CASE c.kind {cases} ELSE 1.0 END) AS score, c.id
FROM fts JOIN chunks c ON c.id = fts.rowid
WHERE fts MATCH ? {filters}
ORDER BY score LIMIT ?
"""


def search(
    lib: Library,
    query: str,
    *,
    limit: int = 10,
    kinds: list[str] | None = None,
    rid: str | None = None,
) -> list[Hit]:
    found = terms(query)
    if not found:
        raise UsageError("give at least one word to search for, e.g. `refs search zero bubble`")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    conn = open_index(lib)
    try:
        cases = " ".join(f"WHEN '{k}' THEN {w}" for k, w in _KIND_WEIGHT.items())
        filters, params = "", []
        if kinds:
            filters += f" AND c.kind IN ({','.join('?' * len(kinds))})"
            params += kinds
        if rid:
            filters += " AND c.rid = ?"
            params.append(rid)
        sql = _SQL.format(cases=cases, filters=filters)
        hits: list[Hit] = []
        seen: set[int] = set()
        passes = [(" AND ".join(found), True)]
        if len(found) > 1:
            passes.append((" OR ".join(found), False))
        for match, every in passes:
            if len(hits) >= limit:
                break
            rows = conn.execute(
                sql, (HIT_START, HIT_END, *_COLUMN_WEIGHTS, match, *params, limit + len(seen))
            )
            for kind, rid_, path, anchor, line, heading, snip, score, row_id in rows:
                if row_id in seen or len(hits) >= limit:
                    continue
                seen.add(row_id)
                snip = " ".join(snip.split())
                hits.append(Hit(kind, rid_, path, anchor, line, heading, snip, score, every))
        return hits
    finally:
        conn.close()
