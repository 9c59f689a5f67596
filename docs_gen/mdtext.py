"""Small, shared facts about markdown text: which lines are prose, which spans are code.

Rewriters (heading ids, citations, sibling paths) must never touch fenced code or code
spans that are not theirs, so they all walk the text through these helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.mdlines import walk

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def prose_line_numbers(lines: list[str]) -> Iterator[int]:
    """Indexes of the lines outside fenced code (the library's one fence walker)."""
    return (i for i, _, in_code in walk(lines) if not in_code)


def code_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each inline code span in ``line``."""
    return [(m.start(), m.end(), m.group(2)) for m in _CODE_SPAN.finditer(line)]


def escape_md(text: str) -> str:
    """Text that shows as itself inside markdown (link text, table cells)."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)
