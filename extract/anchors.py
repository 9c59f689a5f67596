"""The one anchor rule: heading -> URL fragment, GitHub's.

The converter, `refs check`, `refs cite` and the site all call this module, so an
anchor that one accepts is an anchor the others produce, and the same anchor works
on GitHub's rendering of the file. Headings are what CommonMark reads as headings
(ATX and setext; never inside code, HTML blocks or front matter:
`extract.markdown.blocks`, or `extract.heading_scan` where it reads them alike); the slug is github-slugger's rule applied to the
heading's text content: lowercase, drop punctuation, symbols (emoji) and controls,
each space becomes a hyphen, nothing trimmed or collapsed; repeats get `-1`, `-2`...
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .heading_scan import scan
from .markdown import BlockHeading, blocks, inline_text, lines_of
from .memo import memo

# The general categories github-slugger strips (its regex is generated from them):
# other numbers, punctuation but the hyphen-minus, symbols, controls, format and
# private-use characters, unassigned code points, separators but the space.
_DROPPED = frozenset("No Pd Ps Pe Pi Pf Po Sm Sc Sk So Cc Cf Co Cn Cs Zs Zl Zp".split())
# ...except characters with the Alphabetic property. Outside letters, marks and letter
# numbers (all kept anyway) those are the circled and squared Latin letters (So).
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


@functools.lru_cache(maxsize=4096)
def _kept(ch: str) -> bool:
    if ch in " -":
        return True
    if unicodedata.category(ch) not in _DROPPED:
        return True
    cp = ord(ch)
    return any(a <= cp <= b for a, b in _ALPHABETIC_SYMBOLS)


def slugify(text: str) -> str:
    """GitHub's slug of a heading's text content (no de-duplication)."""
    return "".join("-" if ch == " " else ch for ch in text.lower() if _kept(ch))


def plain_heading_text(markdown: str) -> str:
    """The visible text of a heading's inline markdown (what GitHub slugs)."""
    return inline_text(markdown.strip())


class Anchorer:
    """Hands out unique anchors for one document, in order, as GitHub does."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        """The anchor of the next heading whose text content is ``text``."""
        base = slugify(text)
        anchor = base
        while anchor in self._seen:
            self._seen[base] += 1
            anchor = f"{base}-{self._seen[base]}"
        self._seen[anchor] = 0
        return anchor


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # visible text (its text content, whitespace runs folded)
    anchor: str
    line: int  # 1-based first line in the file
    end_line: int = 0  # 1-based last line (a setext heading's underline)
    setext: bool = False
    nested: bool = False  # in a block quote or list item


_EXPLICIT = re.compile(r"""<a\s+(?:id|name)=["']([^"'<>\s]+)["']\s*>\s*</a>""")


def front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a leading ``---`` YAML block (0 if none)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def headings(markdown: str) -> list[Heading]:
    """Every heading CommonMark reads outside front matter, with its anchor."""
    return list(_headings(markdown))


def _body(markdown: str) -> tuple[str, int]:
    """(body, index of its first line): the text after front matter and the empty
    lines that follow it, which CommonMark reads as nothing. The body is then the text
    MkDocs hands a page's passes (it strips them too), so both ask about the same
    string and the text is read once. A text without CR (the usual case) is cut where
    its body starts, not split into lines and joined again."""
    if "\r" in markdown:
        lines = lines_of(markdown)
        start = front_matter_end(lines)
        while start < len(lines) - 1 and lines[start] == "":
            start += 1
        return "\n".join(lines[start:]), start
    start = pos = 0
    end = markdown.find("\n")
    if end >= 0 and markdown[:end].strip() == "---":
        # `front_matter_end` on the lines, walked with `find`
        i, at = 1, end + 1
        while True:
            end = markdown.find("\n", at)
            if markdown[at : end if end >= 0 else len(markdown)].strip() in ("---", "..."):
                start, pos = i + 1, end + 1 if end >= 0 else len(markdown)
                break
            if end < 0:
                break
            i, at = i + 1, end + 1
    while pos < len(markdown) and markdown[pos] == "\n":
        start, pos = start + 1, pos + 1  # an empty line with another after it
    return markdown[pos:], start


@memo
def _read(body: str) -> tuple[tuple[BlockHeading, ...], frozenset[int]]:
    """(headings, code lines) of a body: by the line scan where it is sure (most
    documents: it costs a fraction of the parse), else by the block parse."""
    found = scan(body)
    if found is None:
        parsed = blocks(body)
        return parsed.headings, parsed.code
    return found


@memo
def _headings(markdown: str) -> tuple[Heading, ...]:
    # The site, its exports and `refs check` ask about the same texts within one build.
    body, start = _body(markdown)
    anchorer = Anchorer()
    return tuple(
        Heading(
            h.level,
            " ".join(h.text.split()),
            anchorer(h.text),
            start + h.line + 1,
            start + h.end,
            h.setext,
            h.nested,
        )
        for h in _read(body)[0]
    )


def anchors_in_line(line: str) -> list[str]:
    """Ids set by the ``<a id="..."></a>`` markers of one line (the caller knows it is
    not code)."""
    return _EXPLICIT.findall(line) if "<a" in line else []


def explicit_anchors(markdown: str) -> set[str]:
    """Ids set by ``<a id="..."></a>`` markers (kept from a source page's own ids),
    outside code blocks and front matter."""
    body, _ = _body(markdown)
    if "<a" not in body:
        return set()
    code = _read(body)[1]
    return {
        a
        for i, line in enumerate(body.split("\n"))
        if i not in code and "<a" in line
        for a in _EXPLICIT.findall(line)
    }


def explicit_anchor_lines(markdown: str) -> dict[str, int]:
    """Each explicit anchor with the 1-based line of its first marker."""
    body, start = _body(markdown)
    if "<a" not in body:
        return {}
    code = _read(body)[1]
    out: dict[str, int] = {}
    for i, line in enumerate(body.split("\n")):
        if i not in code and "<a" in line:
            for a in _EXPLICIT.findall(line):
                out.setdefault(a, start + i + 1)
    return out


def anchor_set(markdown: str) -> set[str]:
    """Every fragment a citation into this markdown may name."""
    return {h.anchor for h in headings(markdown)} | explicit_anchors(markdown)
