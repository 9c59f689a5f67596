"""Split one line of markdown into the inline pieces rewriters care about.

A citation or a sibling-repo path can sit in a link's URL, in a code span, inside a
raw HTML tag or in plain text; each needs a different rewrite, so lines are cut into
those pieces first and a rewriter only ever sees one kind at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# [text](url "title") and ![alt](src): one level of nested brackets in the text.
_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
    r"\(\s*(?P<lt><?)(?P<url>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?"
    r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_CODE = re.compile(r"(?<!`)(`+)(?!`)(?P<code>.+?)(?<!`)\1(?!`)")
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"
)


@dataclass
class Piece:
    kind: str  # text | link | image | code | tag
    raw: str
    text: str = ""  # link text / code inner
    url: str = ""
    title: str = ""


def split(line: str) -> list[Piece]:
    """The line as a sequence of pieces whose ``raw`` concatenate back to it."""
    found: list[tuple[int, int, Piece]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    codes = [(m.start(), m.end(), m) for m in _CODE.finditer(line)]
    for m in _LINK.finditer(line):
        a, b = m.start(), m.end()
        # a link starting inside a code span is code; a code span may sit inside a link
        if any(s <= a < e or (a < s < b < e) for s, e, _ in codes):
            continue
        kind = "image" if m.group("bang") else "link"
        piece = Piece(kind, m.group(0), m.group("text"), m.group("url"), m.group("title") or "")
        found.append((a, b, piece))
        taken.append((a, b))
    for s, e, m in codes:
        if free(s, e):
            found.append((s, e, Piece("code", m.group(0), text=m.group("code"))))
            taken.append((s, e))
    for m in _TAG.finditer(line):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), Piece("tag", m.group(0))))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda x: x[0])
    out: list[Piece] = []
    pos = 0
    for start, end, piece in found:
        if start > pos:
            out.append(Piece("text", line[pos:start]))
        out.append(piece)
        pos = end
    if pos < len(line):
        out.append(Piece("text", line[pos:]))
    return out


def rewrite(line: str, fn: Callable[[Piece], str | None]) -> str:
    """The line with each piece replaced by ``fn(piece)`` (None keeps it as it was)."""
    return "".join((new if (new := fn(p)) is not None else p.raw) for p in split(line))
