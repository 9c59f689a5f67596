"""Memos of pure functions of a text, sized by what the current build asks about.

A site build asks about each text several times (a card's citations for its backlinks,
its dependencies and its rewrite; a full.md's headings for anchors, links and notes), so
those answers are kept. A fixed-size LRU cache stops hitting once a library holds more
texts than its size: a build walks the texts in the same order each time, which evicts
every entry before its next use (a 1,500-source library got no hit from a 256-entry
cache and parsed every card's claims twice). A `Memo` keeps every answer of the current
generation instead, and the answers of the previous one that are asked again.
`next_generation()` (the site plugin calls it when a build starts) drops what the last
build did not ask about, so a long `mkdocs serve` keeps about one build's answers, not
every edited version of a text. A process that never calls it (a one-shot `refs`
command, the MCP server) is bounded by `LIMIT` entries per memo: past it, a generation
begins on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
LIMIT = 1 << 16  # entries per memo and generation; a library's texts are far fewer
_MISSING = object()
_MEMOS: list[Memo] = []


class Memo(Generic[P, R]):
    """A pure function with its answers kept for this generation and the last one."""

    def __init__(self, fn: Callable[P, R]):
        self.fn = fn
        self.now: dict[Hashable, R] = {}
        self.before: dict[Hashable, R] = {}
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            return self.now[key]
        except KeyError:
            pass
        value = self.before.pop(key, _MISSING)
        if value is _MISSING:
            value = self.fn(*args, **kwargs)
        if len(self.now) >= LIMIT:
            self.advance()
        self.now[key] = value  # type: ignore[assignment]
        return value  # type: ignore[return-value]

    def advance(self) -> None:
        self.before, self.now = self.now, {}

    def cache_clear(self) -> None:
        self.before, self.now = {}, {}


def memo(fn: Callable[P, R]) -> Memo[P, R]:
    """Keep ``fn``'s answers (its arguments must be hashable; it must be pure)."""
    kept = Memo(fn)
    _MEMOS.append(kept)
    return kept


def next_generation() -> None:
    """A new build begins: answers the last one did not ask for go at the next call."""
    for kept in _MEMOS:
        kept.advance()
