"""The one anchor rule: heading text -> URL fragment.

The converter, `refs check`, `refs cite` and the site all call this module, so an
anchor that one accepts is an anchor the others produce. The rule is GitHub's
(lowercase, drop punctuation and symbols, each space becomes a hyphen, repeats get
``-1``, ``-2``...), so the same anchor also works on GitHub's rendering of a file.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from .markdown import ATX, CODE_SPAN, walk

_KEEP_CATEGORIES = ("L", "N", "M")  # letters, numbers, combining marks

# Inline markdown that is not part of a heading's visible text.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
_ATTR_LIST = re.compile(r"\s*\{\s*[:#.][^}]*\}\s*$")


def plain_heading_text(markdown: str) -> str:
    """The visible text of a heading's inline markdown (what a reader sees)."""
    text = _ATTR_LIST.sub("", markdown)
    spans: list[str] = []

    def keep_code(m: re.Match[str]) -> str:
        spans.append(m.group(2).strip())
        return f"\x00{len(spans) - 1}\x00"

    text = CODE_SPAN.sub(keep_code, text)
    # Backslash escapes are literal characters: hide them from the emphasis pass.
    text = re.sub(r"\\([!-/:-@\[-`{-~])", lambda m: f"\x01{ord(m.group(1))}\x01", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"\x01(\d+)\x01", lambda m: chr(int(m.group(1))), text)
    text = html.unescape(text)  # `&lt;` shows as `<`; GitHub slugs what is shown
    text = re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)
    return text.strip()


def slugify(text: str) -> str:
    """GitHub's slug of already-plain heading text (no de-duplication)."""
    out = []
    for ch in text.strip().lower():
        if ch in " -_" or unicodedata.category(ch)[0] in _KEEP_CATEGORIES:
            out.append("-" if ch == " " else ch)
    return "".join(out)


class Anchorer:
    """Hands out unique anchors for one document, in order, as GitHub does."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, heading_markdown: str) -> str:
        base = slugify(plain_heading_text(heading_markdown))
        anchor = base
        while anchor in self._seen:
            self._seen[base] += 1
            anchor = f"{base}-{self._seen[base]}"
        self._seen[anchor] = 0
        return anchor


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # visible text
    anchor: str
    line: int  # 1-based line in the file


_EXPLICIT = re.compile(r"""<a\s+(?:id|name)=["']([^"'<>\s]+)["']\s*>\s*</a>""")


def front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a leading ``---`` YAML block (0 if none)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def headings(markdown: str) -> list[Heading]:
    """Every ATX heading outside code fences and front matter, with its anchor."""
    return list(_headings(markdown))


@functools.lru_cache(maxsize=512)
def _headings(markdown: str) -> tuple[Heading, ...]:
    # The site, its exports and `refs check` ask about the same texts within one build.
    lines = markdown.splitlines()
    start = front_matter_end(lines)
    anchorer = Anchorer()
    found: list[Heading] = []
    for i, line, in_code in walk(lines[start:]):
        h = None if in_code else ATX.match(line)
        if h:
            raw = h.group(2) or ""
            found.append(
                Heading(len(h.group(1)), plain_heading_text(raw), anchorer(raw), start + i + 1)
            )
    return tuple(found)


def explicit_anchors(markdown: str) -> set[str]:
    """Ids set by ``<a id="..."></a>`` markers (kept from a source page's own ids)."""
    return {
        a
        for _, line, in_code in walk(markdown.splitlines())
        if not in_code
        for a in _EXPLICIT.findall(line)
    }


def anchor_set(markdown: str) -> set[str]:
    """Every fragment a citation into this markdown may name."""
    return {h.anchor for h in headings(markdown)} | explicit_anchors(markdown)
