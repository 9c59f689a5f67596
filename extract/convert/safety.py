"""Converted text is untrusted: nothing in it may become live in the site.

`neutralise` escapes raw HTML tags outside code (except the inert forms the
converters write: bare `<a id="...">` anchors, which carry a source page's own
ids, `<br>` line breaks, the comment naming a figure's origin and the empty comment
between two lists) and blocks every
URL a link, image, autolink or reference definition could follow that the one URL
rule (`extract.url_safety`, an allowlist of schemes) calls unsafe, so a full.md is
inert on GitHub, in MkDocs and in any other renderer.
"""

from __future__ import annotations

import re

from ..figures import ORIGIN_COMMENT
from ..markdown import CODE_SPAN, walk
from ..url_safety import BLOCKED, unsafe_url

_SAFE_ANCHOR = re.compile(r"""^<a id="[A-Za-z0-9_:.\-]+"></a>$""")
_LIST_BREAK = "<!-- -->"  # ends a list before another one (see `html_markdown`)
# ... and the comment naming a figure's origin (`extract.figures`).
_INERT = re.compile(r"""<a id="[A-Za-z0-9_:.\-]+"></a>|<br>|""" + ORIGIN_COMMENT)
_TAG = re.compile(r"<(/?[A-Za-z!?][^<>]*)>")
# A link's or image's destination: `](<any text>)` or `](text up to a space or paren)`;
# a scheme holds neither, so what is matched holds the whole scheme.
_DESTINATION = re.compile(r"(\]\(\s*)(?:<([^<>\n]*)>|([^\s()<>]+))")
_AUTOLINK = re.compile(r"^<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s\"']+>$")
_REF_DEF = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:[ \t]*)(?P<url><[^<>\n]*>|\S+)")


def _blocked(url: str) -> str:
    """``url`` with its scheme replaced by the blocked fragment (the rest kept, inert)."""
    return BLOCKED + ":" + url.partition(":")[2] if ":" in url else BLOCKED


def _destination(m: re.Match[str]) -> str:
    pointed, bare = m.group(2), m.group(3)
    url = pointed if pointed is not None else bare
    if not unsafe_url(url):
        return m.group(0)
    return m.group(1) + (f"<{_blocked(url)}>" if pointed is not None else _blocked(url))


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
    text = _DESTINATION.sub(_destination, text)
    return _TAG.sub(_escape_tag, text)


def _escape_tag(m: re.Match[str]) -> str:
    if _AUTOLINK.match(m.group(0)) and not unsafe_url(m.group(1)):
        return m.group(0)  # `<https://...>` is a markdown autolink, not HTML
    return "&lt;" + m.group(1) + "&gt;"


def _reference(line: str) -> str:
    """A reference definition (`[x]: url`) to an unsafe URL points at the blocked fragment."""
    m = _REF_DEF.match(line)
    if m and unsafe_url(m.group("url").strip("<>")):
        return m.group("lead") + _blocked(m.group("url").strip("<>")) + line[m.end() :]
    return line


def neutralise(markdown: str) -> str:
    lines = markdown.split("\n")
    for i, line, in_code in walk(lines):
        if in_code:
            continue
        if line.startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            continue  # indented code block
        lines[i] = _escape_tags(_reference(line))
    return "\n".join(lines)
