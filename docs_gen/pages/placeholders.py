"""Unwritten parts of a page (`TODO(card)`, `TODO(topic)` paragraphs a scaffold wrote):
never shown as content, kept collapsed for the people who will write them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.markdown import atx_heading, walk

_ITEM = re.compile(r"^(?:\d+[.)]|[-*+])\s")  # a list item's first line (not nested)


@dataclass
class Block:
    """A run of non-blank lines (a code fence whole), or a heading line on its own."""

    start: int  # 0-based first line
    end: int  # one past the last line
    text: str
    heading: int = 0  # its level when the block is a heading


def blocks(markdown: str) -> list[Block]:
    lines = markdown.split("\n")
    out: list[Block] = []
    start = None
    for i, line, in_code in walk(lines):
        h = None if in_code else atx_heading(line)
        if h or (not line.strip() and not in_code):
            if start is not None:
                out.append(Block(start, i, "\n".join(lines[start:i])))
                start = None
            if h:
                out.append(Block(i, i + 1, line, heading=h[0]))
            continue
        if start is None:
            start = i
    if start is not None:
        out.append(Block(start, len(lines), "\n".join(lines[start:])))
    return out


def is_placeholder(block: Block, marker: str) -> bool:
    """A paragraph holding the marker, or a list whose every item holds it (a list with
    some written items stays as written)."""
    if block.heading or marker not in block.text or block.text.lstrip().startswith(("```", "~~~")):
        return False
    items: list[list[str]] = []
    for line in block.text.split("\n"):
        if _ITEM.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return all(marker in "\n".join(item) for item in items)


def placeholders(markdown: str, marker: str) -> list[Block]:
    return [b for b in blocks(markdown) if is_placeholder(b, marker)]


def collapse(markdown: str, marker: str, found: list[Block] | None = None) -> str:
    """The markdown with each run of placeholder blocks (within one section) inside a
    collapsed "Still to write" block, kept out of search. Their ids (claims, citations)
    survive, so links into them still land."""
    found = placeholders(markdown, marker) if found is None else found
    if not found:
        return markdown
    lines = markdown.split("\n")
    runs: list[list[Block]] = []
    for b in found:
        gap = lines[runs[-1][-1].end : b.start] if runs else None
        if gap is not None and all(not x.strip() for x in gap):
            runs[-1].append(b)
        else:
            runs.append([b])
    for run in reversed(runs):
        body = lines[run[0].start : run[-1].end]
        lines[run[0].start : run[-1].end] = [
            '<details class="refs-todo" data-search-exclude markdown>',
            "<summary>Still to write</summary>",
            "",
            *body,
            "",
            "</details>",
        ]
    return "\n".join(lines)
