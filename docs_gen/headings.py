"""Heading ids on the site are the library's anchors, and its headings are CommonMark's.

`extract.anchors.headings` is the one rule (GitHub's: CommonMark headings, ATX and
setext, github-slugger's slugs, duplicates `-1`, `-2`). Python-Markdown reads a few
things differently, so before it sees a page, every heading is written the way both
read alike — an ATX line carrying its anchor as an explicit attr_list id, which the toc
extension keeps — and the few lines Python-Markdown alone would take for a heading are
written so that it does not. Line count is kept (a setext heading's other lines become
blank), so line numbers found earlier still hold.
"""

from __future__ import annotations

import re

from extract.anchors import Heading, front_matter_end, headings, slugify
from extract.markdown import ATX_PREFIX, blocks, lines_of

_CLOSING = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_HASH_START = re.compile(r"^#")  # Python-Markdown: `#x` at a line start is a heading
_SETEXT_LIKE = re.compile(r"^ {0,3}-+[ \t]*$")  # what Python-Markdown takes for an underline
# Every line `_neutralise` may change: a `#` line that is not an ATX heading (a column-0
# ATX heading line is never paragraph text: it interrupts one; in code it is left
# alone), and an underline-like line right under a line with something on it. Each
# pattern opens with a literal newline, which the regex engine finds at memchr speed
# (an alternation or a lookbehind first would be tried at every character of the page).
_HASH_LINE = re.compile(r"\n#(?!#{0,5}(?:[ \t]|$))", re.M)
_HASH_FIRST = re.compile(r"#(?!#{0,5}(?:[ \t]|$))", re.M)
_UNDERLINE_LINE = re.compile(r"\n {0,3}-+[ \t]*$", re.M)


def with_heading_ids(
    markdown: str, found: list[Heading] | None = None
) -> tuple[str, list[Heading]]:
    """The markdown with every heading as `## text { #anchor }`, and the headings found.

    ``found`` may be the headings of the text before a line-preserving rewrite: anchors
    are always those of the text as written (what GitHub and `refs check` see).
    """
    if found is None:
        found = headings(markdown)
    lines = lines_of(markdown)
    _neutralise(lines)
    for h in found:
        if not h.anchor:
            continue  # an empty heading: nothing to cite, nothing to tag
        first, last = h.line - 1, (h.end_line or h.line) - 1
        if h.setext:
            text_lines = lines[first:last]  # the underline is `last`
        else:
            text_lines = [_atx_text(lines[first])]
        if h.nested:
            # Inside a quote or list item: keep the container's markers, tag the text.
            at = last - 1 if h.setext else first
            line = lines[at] if h.setext else _CLOSING.sub("", lines[at])
            lines[at] = f"{line.rstrip()} {{ #{h.anchor} }}"
            continue
        text = " ".join(t.strip() for t in text_lines).strip()
        lines[first] = f"{'#' * h.level} {text} {{ #{h.anchor} }}"
        for i in range(first + 1, last + 1):
            lines[i] = ""
    return "\n".join(lines), found


def _atx_text(line: str) -> str:
    m = ATX_PREFIX.match(line)
    rest = line[m.end() :] if m else line
    if rest.strip().strip("#") == "":
        return ""
    return _CLOSING.sub("", rest).strip()


def _neutralise(lines: list[str]) -> None:
    """Lines CommonMark reads as text or a thematic break but Python-Markdown would
    take for a heading: `#tag` at the start of a paragraph line, and a `---` break
    right under a line of text (Python-Markdown's setext underline)."""
    skip = front_matter_end(lines)
    if not _may_neutralise("\n".join(lines[max(skip - 1, 0) :])):
        return  # no line it could change: the text need not be parsed
    parsed = blocks("\n".join(lines[skip:]))
    for start, end in parsed.paragraphs:
        for i in range(skip + start, min(skip + end, len(lines))):
            if _HASH_START.match(lines[i]):
                lines[i] = "\\" + lines[i]
    for i in (skip + b for b in parsed.breaks):
        if i and lines[i - 1].strip() and _SETEXT_LIKE.match(lines[i]):
            lines[i] = lines[i].replace("-", "*")


def _may_neutralise(text: str) -> bool:
    """Whether ``text`` has a line `_neutralise` could change (see `_HASH_LINE`)."""
    if _HASH_FIRST.match(text) or _HASH_LINE.search(text):
        return True
    # An underline-like line counts under a line with something on it (not at the start,
    # not after an empty line).
    return any(m.start() and text[m.start() - 1] != "\n" for m in _UNDERLINE_LINE.finditer(text))


def toc_slugify(value: str, separator: str = "-") -> str:
    """The toc extension's slugify (``value`` is the heading's text): the same rule, for
    any heading that was not tagged."""
    return slugify(value)
