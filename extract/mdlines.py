"""Which lines of a markdown text are code: the one fence walker.

Heading anchors, neutralising, heading demotion and the site's rewriters must all
agree on where fenced code starts and ends (CommonMark: a fence closes on a line of
the same character, at least as long, with nothing after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _states(lines: Iterable[str]) -> Iterator[tuple[int, str, bool, str | None]]:
    """(index, line, in_code, fence still open after this line)."""
    fence: str | None = None
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence is not None:
            run = m.group(1) if m else ""
            if (
                run
                and run[0] == fence[0]
                and len(run) >= len(fence)
                and not line.strip()[len(run) :].strip()
            ):
                fence = None
            yield i, line, True, fence
        elif m:
            fence = m.group(1)
            yield i, line, True, fence
        else:
            yield i, line, False, None


def walk(lines: Iterable[str]) -> Iterator[tuple[int, str, bool]]:
    """(index, line, in_code) for each line; fence lines themselves count as code."""
    for i, line, in_code, _ in _states(lines):
        yield i, line, in_code


def open_fence(lines: Iterable[str]) -> str | None:
    """The fence left open after the last line (None when all are closed)."""
    last = None
    for last in _states(lines):  # noqa: B007 - only the state after the last line matters
        pass
    return last[3] if last else None
