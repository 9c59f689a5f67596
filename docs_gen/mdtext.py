"""Small, shared facts about markdown text: which lines are prose, which spans are code.

Rewriters (heading ids, citations, sibling paths) must never touch fenced code or code
spans that are not theirs, so they all walk the text through these helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def prose_line_numbers(lines: list[str]) -> Iterator[int]:
    """Indexes of the lines that are outside fenced code blocks (CommonMark fence rule)."""
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                if not line.strip()[len(m.group(1)) :].strip():
                    fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        yield i


def code_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each inline code span in ``line``."""
    return [(m.start(), m.end(), m.group(2)) for m in _CODE_SPAN.finditer(line)]


def escape_md(text: str) -> str:
    """Text that shows as itself inside markdown (link text, table cells)."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)
