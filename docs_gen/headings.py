"""Heading ids on the site are the library's anchors, not Python-Markdown's slugs.

`extract.anchors.headings` is the one rule (GitHub's, duplicates `-1`, `-2`); each
ATX heading gets its anchor as an explicit attr_list id, which the toc extension
keeps, so a citation `refs check` accepts is a fragment the browser scrolls to.
"""

from __future__ import annotations

import re

from extract.anchors import Heading, headings, plain_heading_text, slugify
from extract.markdown import ATX_PREFIX

_CLOSING = re.compile(r"[ \t]+#+[ \t]*$")
_HAS_ID = re.compile(r"\{[^}]*#[^}]*\}\s*$")


def with_heading_ids(
    markdown: str, found: list[Heading] | None = None
) -> tuple[str, list[Heading]]:
    """The markdown with `{ #anchor }` on every ATX heading, and the headings found.

    ``found`` may be the headings of the text before a line-preserving rewrite: anchors
    are always those of the text as written (what GitHub and `refs check` see).
    """
    if found is None:
        found = headings(markdown)
    if not found:
        return markdown, found
    lines = markdown.split("\n")
    for h in found:
        i = h.line - 1
        line = lines[i]
        if not h.anchor or _HAS_ID.search(
            line
        ):  # an author's own id wins, as on GitHub's side it is text
            continue
        m = ATX_PREFIX.match(line)
        if not m:
            continue
        text = _CLOSING.sub("", line[m.end() :]).strip()
        if text.endswith("#") and text.strip("#") == "":
            text = ""
        lines[i] = f"{m.group(0)} {text} {{ #{h.anchor} }}".replace("  {", " {")
    return "\n".join(lines), found


def toc_slugify(value: str, separator: str = "-") -> str:
    """The toc extension's slugify for headings we did not tag (setext): same rule."""
    return slugify(plain_heading_text(value)) or "section"
