"""Passages of a full.md: the text a citation points at, and the sections search indexes.

A cited passage is the anchored heading's own text, down to the next heading of any
level: sized for an agent, since a level-2 heading of a long guide may head a
thousand-line subtree. ``subsections=True`` gives the whole subtree instead (down to
the next heading of the same or a higher level). Either is bounded so that one section
cannot flood a terminal or an agent's context. Headings come from `anchors.headings`,
the one rule, so a passage is found exactly where `refs check` and the site say the
anchor is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .anchors import Heading, explicit_anchor_lines, front_matter_end, headings
from .markdown import lines_of, open_fence

MAX_LINES = 60
MAX_CHARS = 4000
TRUNCATED = "… (truncated)"


@dataclass(frozen=True)
class Passage:
    anchor: str
    heading: str  # visible heading text ("" for an explicit `<a id>` marker)
    level: int
    line: int  # 1-based first line (the heading)
    end_line: int  # 1-based last line of the whole section (before bounding)
    text: str  # bounded text, heading line included
    truncated: bool

    def to_dict(self) -> dict:
        return asdict(self)


def _section_end(lines: list[str], heads: list[Heading], start: int, level: int) -> int:
    """1-based last line of a section whose heading starts at line ``start``: the line
    before the next heading of ``level`` or higher (level 6: any heading), trailing
    blank lines dropped."""
    end = len(lines)
    for h in heads:
        if h.line > start and h.level <= level:
            end = h.line - 1
            break
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def bound(text_lines: list[str], max_lines: int, max_chars: int) -> tuple[str, bool]:
    """At most ``max_lines`` lines and ``max_chars`` characters, cut at a line end.

    A cut inside a code fence closes the fence, so the passage still renders.
    """
    kept: list[str] = []
    size = 0
    truncated = False
    for i, line in enumerate(text_lines):
        if i >= max_lines or size + len(line) + 1 > max_chars:
            truncated = True
            break
        kept.append(line)
        size += len(line) + 1
    if not kept and text_lines:  # a single enormous line: cut it rather than show nothing
        kept, truncated = [text_lines[0][:max_chars]], True
    if truncated:
        fence = open_fence(kept)
        if fence:
            kept.append(fence)
        kept.append(TRUNCATED)
    return "\n".join(kept), truncated


def find_passage(
    markdown: str,
    anchor: str,
    *,
    subsections: bool = False,
    max_lines: int = MAX_LINES,
    max_chars: int = MAX_CHARS,
) -> Passage | None:
    """The bounded passage under ``anchor``; None when no heading or marker has it.

    Its own text by default (to the next heading of any level); the whole subtree with
    ``subsections``.
    """
    lines = lines_of(markdown)
    heads = headings(markdown)

    def section(h: Heading) -> int:
        return _section_end(lines, heads, h.line, h.level if subsections else 6)

    for h in heads:
        if h.anchor == anchor:
            end = section(h)
            text, cut = bound(lines[h.line - 1 : end], max_lines, max_chars)
            return Passage(anchor, h.text, h.level, h.line, end, text, cut)
    # An explicit `<a id="...">` marker: its passage runs to the next heading, or, when
    # a heading directly follows the marker, is that heading's passage.
    n = explicit_anchor_lines(markdown).get(anchor)
    if n is None:
        return None
    following = next((h for h in heads if h.end_line >= n), None)
    between = lines[n : following.line - 1] if following and following.line > n else []
    if following and not any(row.strip() for row in between):
        end = section(following)
        heading, level = following.text, following.level
    else:
        end = following.line - 1 if following else len(lines)
        while end > n and not lines[end - 1].strip():
            end -= 1
        heading, level = "", 7
    text, cut = bound(lines[n - 1 : end], max_lines, max_chars)
    return Passage(anchor, heading, level, n, end, text, cut)


@dataclass(frozen=True)
class Chunk:
    """A non-overlapping piece of a markdown file: one heading and its own text."""

    anchor: str  # "" for text before the first heading
    heading: str
    level: int
    line: int
    body: str


def chunks(markdown: str) -> list[Chunk]:
    """The file split at every heading (what search indexes, one row per chunk)."""
    lines = lines_of(markdown)
    heads = headings(markdown)
    out: list[Chunk] = []
    first = front_matter_end(lines)
    stop = heads[0].line - 1 if heads else len(lines)
    pre = "\n".join(lines[first:stop]).strip()
    if pre:
        out.append(Chunk("", "", 0, first + 1, pre))
    for i, h in enumerate(heads):
        end = heads[i + 1].line - 1 if i + 1 < len(heads) else len(lines)
        body = "\n".join(lines[h.end_line : end]).strip()
        out.append(Chunk(h.anchor, h.text, h.level, h.line, body))
    return out
