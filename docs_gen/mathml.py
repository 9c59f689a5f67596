"""Formulas as MathML, made at build time: no script, no font, no network.

`pymdownx.arithmatex` (generic mode) finds `$...$`, `$$...$$`, `\\(...\\)` and
`\\[...\\]` in the markdown and leaves them as `<span|div class="arithmatex">`; this
module turns those into MathML with latex2mathml. A formula it cannot convert stays
visible as its TeX source.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert
from pymdownx import arithmatex

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S)
_DELIMS = re.compile(r"^\s*(?:\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*$", re.S)


@lru_cache(maxsize=8192)
def tex_to_mathml(tex: str, block: bool) -> str:
    try:
        return convert(tex, display="block" if block else "inline")
    except Exception:  # noqa: BLE001 - any unsupported TeX falls back to showing its source
        cls = "refs-math-fallback" + (" refs-math-block" if block else "")
        return f'<code class="{cls}" title="formula not converted">{html.escape(tex)}</code>'


def render_math(page_html: str) -> str:
    if "arithmatex" not in page_html:
        return page_html

    def one(m: re.Match[str]) -> str:
        body = html.unescape(m.group("body"))
        d = _DELIMS.match(body)
        tex = d.group("tex") if d else body
        block = m.group("tag") == "div"
        out = tex_to_mathml(tex.strip(), block)
        return f'<div class="refs-math">{out}</div>' if block else out

    return _MATH.sub(one, page_html)


# ---------- formulas in markdown (for `refs site --out`: no plugin runs there) ----------
# pymdownx.arithmatex's own patterns (its defaults: smart dollars, `\(...\)`; blocks of
# `$$...$$`, `\[...\]`, `\begin{env}...\end{env}`), so the export finds what the plugin's
# build finds.
_INLINE = re.compile(f"(?:{arithmatex.RE_SMART_DOLLAR_INLINE}|{arithmatex.RE_BRACKET_INLINE})")
_BLOCKS = (arithmatex.RE_DOLLAR_BLOCK, arithmatex.RE_TEX_BLOCK, arithmatex.RE_BRACKET_BLOCK)
_BLOCK = re.compile(r"(?s)^(?:" + "|".join(_BLOCKS) + r")[ ]*$")
_TEXT_NODE = re.compile(r">([^<]+)<")
_MARKDOWN_SPECIAL = re.compile(r"(&#?\w+;)|[\\`*_\[\]{}$!#|~^+\-.:()]")


def _inert(mathml: str) -> str:
    """MathML whose text Markdown leaves alone: its punctuation as character references."""
    return _TEXT_NODE.sub(
        lambda m: (
            ">"
            + _MARKDOWN_SPECIAL.sub(lambda c: c.group(1) or f"&#{ord(c.group(0))};", m.group(1))
            + "<"
        ),
        mathml,
    )


def _block_html(tex: str) -> str:
    return f'<div class="refs-math">{_inert(tex_to_mathml(tex.strip(), True))}</div>'


def markdown_math(markdown: str) -> str:
    """The markdown with each formula as MathML (what the plugin's HTML pass makes)."""
    from extract.markdown import rewrite_inline, walk

    if (
        "$" not in markdown
        and "\\(" not in markdown
        and "\\[" not in markdown
        and ("\\begin" not in markdown)
    ):
        return markdown
    lines = markdown.split("\n")
    code = {i for i, _line, in_code in walk(lines) if in_code}
    out: list[str] = []
    block: list[int] = []

    def flush() -> None:
        text = "\n".join(lines[i] for i in block)
        m = _BLOCK.match(text.strip()) if block else None
        if m:
            tex = m.group("math") or m.group("math2") or m.group("math3")
            out.append(_block_html(tex))
        else:
            out.extend(_inline_line(lines[i]) for i in block)
        block.clear()

    def _inline_line(line: str) -> str:
        if "$" not in line and "\\(" not in line:
            return line

        def one(m: re.Match[str]) -> str:
            g = m.groups()
            if g[0] or g[3]:  # escaped backslashes before a delimiter: left as written
                return m.group(0)
            tex = g[2] if g[2] else g[5]
            return _inert(tex_to_mathml(tex.strip(), False))

        return rewrite_inline(line, lambda p: _INLINE.sub(one, p.raw) if p.kind == "text" else None)

    for i, line in enumerate(lines):
        if i in code:
            flush()
            out.append(line)
        elif not line.strip():
            flush()
            out.append(line)
        else:
            block.append(i)
    flush()
    return "\n".join(out)
