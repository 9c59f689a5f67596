"""Generated tables that reflow on phones instead of scrolling sideways."""

from __future__ import annotations


def reflowing(table: str, kind: str = "") -> str:
    """A markdown table inside a block whose CSS turns each row into a short paragraph
    below 45em (first cells on a line of their own, the rest run together), so a
    390 px screen needs no sideways scroll. ``kind`` adds a class for page styles."""
    extra = f" refs-rtable-{kind}" if kind else ""
    return f'<div class="refs-rtable{extra}" markdown>\n\n{table.strip()}\n\n</div>'
