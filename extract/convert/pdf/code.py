"""Code listings: lines set in a monospaced font, fenced with their indentation."""

from __future__ import annotations

import re

from ...markdown import fenced
from .text import Line


def is_code(line: Line) -> bool:
    """Every letter of the line is set in a monospaced font: a code listing line."""
    solid = [s for s in line.spans if any(ch.isalnum() for ch in s.text)]
    if len(solid) > 1 and re.fullmatch(r"\s*\d{1,4}\s*", solid[0].text) and not solid[0].mono:
        solid = solid[1:]  # a listing's line number
    return bool(solid) and all(s.mono for s in solid)


def code_block(lines: list[Line]) -> str:
    """A fenced block; indentation comes back from how far right each line starts."""
    left = min(ln.x0 for ln in lines)
    out = []
    for ln in lines:
        width = max(ln.size * 0.6, 1.0)  # monospaced letters are about 0.6 em wide
        out.append(" " * round((ln.x0 - left) / width) + ln.text)
    return fenced("\n".join(out))
