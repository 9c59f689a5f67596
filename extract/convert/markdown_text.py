"""Small fence-aware edits on markdown text shared by the readers and the assembly."""

from __future__ import annotations

import re

from ..mdlines import open_fence as _open_fence
from ..mdlines import walk

_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _walk(markdown: str):
    """(line, inside_fence) for each line."""
    for _, line, in_code in walk(markdown.split("\n")):
        yield line, in_code


def open_fence(markdown: str) -> str | None:
    """The fence left open at the end of ``markdown`` (None when all are closed)."""
    return _open_fence(markdown.split("\n"))


def close_fences(markdown: str) -> str:
    """Close a fence a user's text left open, so it cannot swallow what follows."""
    fence = open_fence(markdown)
    return markdown.rstrip("\n") + "\n" + fence if fence else markdown


def demote(markdown: str, by: int = 1) -> str:
    """Push every heading ``by`` levels down (at most to level 6), code untouched."""
    out = []
    for line, in_code in _walk(markdown):
        if not in_code:
            m = _ATX.match(line)
            if m:
                level = min(6, len(m.group(2)) + by)
                line = m.group(1) + "#" * level + line[m.end() :]
        out.append(line)
    return "\n".join(out)


def html_images_to_figures(markdown: str) -> str:
    """`<img alt=...>` tags in user markdown become `[Figure: alt]` (outside code)."""

    def figure(m: re.Match[str]) -> str:
        alt = _ALT.search(m.group(0))
        text = " ".join(next((g for g in alt.groups() if g), "").split()) if alt else ""
        return f"[Figure: {text}]" if text else "[Figure]"

    out = []
    for line, in_code in _walk(markdown):
        out.append(line if in_code else _HTML_IMG.sub(figure, line))
    return "\n".join(out)
