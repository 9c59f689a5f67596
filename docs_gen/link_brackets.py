"""Python-Markdown's link patterns in linear time on a paragraph of many links.

Python-Markdown finds where a link's `[text]` closes from a table of bracket ends
for the whole paragraph, cached by the paragraph's identity. Each link it turns into
a placeholder makes a new string, so the table is rebuilt (in pure Python) once per
link: quadratic. A card claim with 2,000 evidence links took minutes to build.

A bracket's end depends only on the text after it, and the text after a match is
the old text's tail, so one table serves every later link: the table is kept with
the text it was made from and reused whenever the current text from the bracket on
is a tail of that text (a C-speed comparison). Results are the library's own, exactly.

Used by the plugin's build (`REQUIRED_EXTENSIONS` in plugin.py) as the extension
`docs_gen.link_brackets`, registered last so it covers every link-like pattern.
`refs site --out` is built by a plain MkDocs without it, so the export writes the
links of a paragraph that holds very many (`dense_links_as_html`) as `<a>` tags with
their final URLs, which Python-Markdown passes through in linear time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor

from extract.markdown import Piece, split_inline, walk

_KEPT = 4  # tables kept: the paragraph's, plus a few for link texts holding brackets


class _TailBrackets:
    """Mixed in before a `LinkInlineProcessor` class: its `getText` with reused tables."""

    _tails: list[tuple[str, dict[int, int | None]]]

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802 - library API
        end = self._bracket_end(data, index)
        if end is None:
            return data[index:], len(data), False
        return data[index : end - 1], end, True

    def _bracket_end(self, data: str, index: int) -> int | None:
        if index == 0 or data[index - 1] != "[":
            # Python-Markdown's patterns ask just after a `[`; anything else gets its
            # own table builder's answer (private, so not in its stubs).
            return LinkInlineProcessor._findBracketEnds(data)[index]  # type: ignore[attr-defined]
        tails = self.__dict__.setdefault("_tails", [])
        tail = data[index - 1 :]  # from the `[` on: its place in a kept text is one too
        for text, ends in tails:
            k = len(text) - len(tail) + 1
            if k >= 1 and text.endswith(tail):
                end = ends[k]
                return None if end is None else end - k + index
        ends = bracket_ends(data)
        tails.insert(0, (data, ends))
        del tails[_KEPT:]
        return ends[index]


_BRACKET = re.compile(r"[\[\]]")


def bracket_ends(data: str) -> dict[int, int | None]:
    """{index just after each `[` of ``data``: the index just past the `]` that closes
    it, or None}: Python-Markdown's bracket-ends table at the places its patterns ask,
    made from the brackets alone (its own walks every character in Python: ~0.1 s on a
    long formula-dense page). A `]` with nothing open closes nothing, as in its table."""
    ends: dict[int, int | None] = {}
    open_: list[int] = []
    for m in _BRACKET.finditer(data):
        if m.group() == "[":
            open_.append(m.end())
            ends[m.end()] = None
        elif open_:
            ends[open_.pop()] = m.end()
    return ends


_CLASSES: dict[type, type] = {}


def _faster(cls: type) -> type:
    if cls not in _CLASSES:
        _CLASSES[cls] = type(cls.__name__, (_TailBrackets, cls), {"__module__": __name__})
    return _CLASSES[cls]


class LinkBracketsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - library API
        for processor in md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor) and not isinstance(
                processor, _TailBrackets
            ):
                processor.__class__ = _faster(type(processor))


def makeExtension(**kwargs: object) -> LinkBracketsExtension:  # noqa: N802 - library API
    return LinkBracketsExtension(**kwargs)


DENSE = 100  # links in one paragraph from which the export writes them as tags


def dense_links_as_html(markdown: str, href: Callable[[str], str | None]) -> str:
    """``markdown`` with the links of each paragraph holding `DENSE` or more written as
    `<a>` tags (title kept, text left to markdown); ``href`` gives a link's final URL
    (None: the link stays markdown, for MkDocs). Other lines stay byte for byte."""
    lines = markdown.split("\n")
    block: list[int] = []
    for i, line, in_code in [*walk(lines), (len(lines), "", False)]:
        if line.strip() and not in_code:
            block.append(i)
            continue
        pieces = {j: split_inline(lines[j]) for j in block if "](" in lines[j]}
        if sum(p.kind == "link" for ps in pieces.values() for p in ps) >= DENSE:
            for j, ps in pieces.items():
                lines[j] = "".join(_anchor(p, href) for p in ps)
        block = []
    return "\n".join(lines)


def _anchor(p: Piece, href: Callable[[str], str | None]) -> str:
    url = href(p.url) if p.kind == "link" else None
    if url is None:
        return p.raw
    title = p.title.strip()[1:-1]
    attr = f' title="{html.escape(title)}"' if title else ""
    return f'<a href="{html.escape(url)}"{attr}>{p.text}</a>'
