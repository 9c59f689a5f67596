"""Converted text is untrusted: nothing in it may become live in the site.

`neutralise` escapes raw HTML tags outside code (except the inert forms the
converters write: bare `<a id="...">` anchors, which carry a source page's own
ids, `<br>` line breaks, the comment naming a figure's origin and the empty comment between two lists) and defuses `javascript:`-style link targets, so a
full.md is inert on GitHub, in MkDocs and in any other renderer.
"""

from __future__ import annotations

import re

from ..figures import ORIGIN_COMMENT
from ..markdown import CODE_SPAN, walk

_SAFE_ANCHOR = re.compile(r"""^<a id="[A-Za-z0-9_:.\-]+"></a>$""")
_LIST_BREAK = "<!-- -->"  # ends a list before another one (see `html_markdown`)
# ... and the comment naming a figure's origin (`extract.figures`).
_INERT = re.compile(r"""<a id="[A-Za-z0-9_:.\-]+"></a>|<br>|""" + ORIGIN_COMMENT)
_TAG = re.compile(r"<(/?[A-Za-z!?][^<>]*)>")
_BAD_SCHEME = re.compile(r"(\]\(\s*<?\s*)(?:javascript|vbscript|data)\s*:", re.I)
_AUTOLINK = re.compile(r"^<(?:https?|mailto|ftp):[^<>\s\"']+>$", re.I)
_BAD_AUTOLINK = re.compile(r"<\s*(?:javascript|vbscript|data)\s*:[^>]*>", re.I)


def _escape_tags(text: str) -> str:
    if _SAFE_ANCHOR.match(text.strip()) or text.strip() == _LIST_BREAK:
        return text
    out, last = [], 0
    for m in CODE_SPAN.finditer(text):
        out.append(_escape_plain(text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    out, last = [], 0
    for m in _INERT.finditer(text):
        out.append(_escape_tags_in(text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_escape_tags_in(text[last:]))
    return "".join(out)


def _escape_tags_in(text: str) -> str:
    text = _BAD_AUTOLINK.sub(lambda m: m.group(0).replace("<", "&lt;").replace(">", "&gt;"), text)
    text = _BAD_SCHEME.sub(r"\1#blocked-unsafe-link:", text)
    return _TAG.sub(_escape_tag, text)


def _escape_tag(m: re.Match[str]) -> str:
    if _AUTOLINK.match(m.group(0)):
        return m.group(0)  # `<https://...>` is a markdown autolink, not HTML
    return "&lt;" + m.group(1) + "&gt;"


def neutralise(markdown: str) -> str:
    lines = markdown.split("\n")
    for i, line, in_code in walk(lines):
        if in_code:
            continue
        if line.startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            continue  # indented code block
        lines[i] = _escape_tags(line)
    return "\n".join(lines)
