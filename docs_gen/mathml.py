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

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S)
_DELIMS = re.compile(r"^\s*(?:\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*$", re.S)
# latex2mathml writes `aligned`/`gathered` rows with a literal `&` and no table;
# `split` and `matrix` are the same layouts, which it renders as tables.
_ALIGNED = re.compile(
    r"\\(?P<cmd>begin)\{(?P<env>aligned|alignedat|gathered)\}(?:\[[tcb]\])?(?:\{\d+\})?"
    r"|\\(?P<end>end)\{(?P<endenv>aligned|alignedat|gathered)\}"
)
_SAME_LAYOUT = {"aligned": "split", "alignedat": "split", "gathered": "matrix"}


def _portable(tex: str) -> str:
    def swap(m: re.Match[str]) -> str:
        cmd, env = m.group("cmd") or m.group("end"), m.group("env") or m.group("endenv")
        return f"\\{cmd}{{{_SAME_LAYOUT[env]}}}"

    return _ALIGNED.sub(swap, tex)


@lru_cache(maxsize=8192)
def tex_to_mathml(tex: str, block: bool) -> str:
    try:
        return convert(_portable(tex), display="block" if block else "inline")
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
