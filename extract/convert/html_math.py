"""Math in HTML pages -> its TeX source, so formulas survive as `$...$` / `$$...$$`.

Pages carry math in several forms: MathJax `<script type="math/tex">`, KaTeX's
`annotation encoding="application/x-tex"`, MathML (sometimes with a TeX
annotation or `alttext`, sometimes bare), and unrendered `\\(...\\)` text. Bare
MathML has no TeX behind it, so it is translated element by element.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from ..markdown import one_paragraph_math
from .html_attrs import attr

TEX_ENCODINGS = ("application/x-tex", "text/x-tex", "tex", "latex")

# Unrendered delimiters in text (MathJax/arithmatex source left in the page).
_INLINE_DELIMS = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$", re.S)


def wrap(tex: str, display: bool) -> str:
    """Inline math on one line; display math as one paragraph, whatever its lines begin
    with (a list item may hold it: any indented line may open a block there)."""
    tex = " ".join(tex.split()) if not display else tex.strip()
    if not tex:
        return ""
    return one_paragraph_math(f"$${tex}$$", nested=True) if display else f"${tex}$"


def script_tex(script: Tag) -> tuple[str, bool] | None:
    """(tex, display) of a MathJax source script, else None."""
    kind = attr(script, "type").lower()
    if not kind.startswith("math/tex"):
        return None
    return script.string or script.get_text(), "mode=display" in kind


def annotation_tex(el: Tag) -> str | None:
    for ann in el.find_all("annotation"):
        if attr(ann, "encoding").lower() in TEX_ENCODINGS:
            return ann.get_text().strip()
    return None


def math_element_tex(math: Tag) -> str:
    """TeX for a MathML `<math>`: its TeX annotation, its alttext, or a translation."""
    tex = annotation_tex(math)
    if tex:
        return tex
    alt = attr(math, "alttext").strip()
    if alt:
        return alt
    return _mathml(math).strip()


def is_display(math: Tag) -> bool:
    return attr(math, "display").lower() == "block" or (attr(math, "mode").lower() == "display")


def split_text(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, is_math) where math pieces are already `$`-wrapped."""
    if "\\" not in text and "$$" not in text:  # no delimiter: most text
        return [(text, False)] if text else []
    out: list[tuple[str, bool]] = []
    last = 0
    for m in _INLINE_DELIMS.finditer(text):
        if m.start() > last:
            out.append((text[last : m.start()], False))
        if m.group(1) is not None:
            out.append((wrap(m.group(1), False), True))
        else:
            out.append((wrap(m.group(2) if m.group(2) is not None else m.group(3), True), True))
        last = m.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


# ---------- bare MathML -> TeX ----------
_OPERATORS = {
    "×": r"\times",
    "·": r"\cdot",
    "⋅": r"\cdot",
    "≤": r"\leq",
    "≥": r"\geq",
    "≠": r"\neq",
    "≈": r"\approx",
    "∑": r"\sum",
    "∏": r"\prod",
    "∫": r"\int",
    "→": r"\rightarrow",
    "←": r"\leftarrow",
    "∞": r"\infty",
    "±": r"\pm",
    "∈": r"\in",
    "÷": r"\div",
    "−": "-",
    "∂": r"\partial",
    "√": r"\sqrt",
}
_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "π": "pi",
    "σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "ω": "omega",
    "Δ": "Delta",
    "Σ": "Sigma",
    "Ω": "Omega",
}


_TEX_SPECIAL = re.compile(r"([#$%&_{}])")


def _symbol(text: str) -> str:
    text = " ".join(text.split())
    if text in _OPERATORS:
        return _OPERATORS[text] + " "
    if text in _GREEK:
        return "\\" + _GREEK[text] + " "
    return _TEX_SPECIAL.sub(r"\\\1", text)


def _group(el: Tag | None) -> str:
    body = _mathml(el).strip() if el is not None else ""
    return "{" + body + "}"


def _mathml(el: Tag | NavigableString | None) -> str:
    if el is None:
        return ""
    if isinstance(el, NavigableString):
        return ""  # whitespace between elements; token text is read by its element
    kids = [c for c in el.children if isinstance(c, Tag)]
    name = el.name.split(":")[-1].lower()
    if name in ("mi", "mn", "mo"):
        text = el.get_text()
        if name == "mi" and len(text.strip()) > 1 and text.strip().isalpha():
            return r"\mathrm{" + _TEX_SPECIAL.sub(r"\\\1", text.strip()) + "}"
        return _symbol(text)
    if name == "mtext":
        text = _TEX_SPECIAL.sub(r"\\\1", " ".join(el.get_text().split()))
        return r"\text{" + text + "}" if text else r"\ "
    if name == "mspace":
        return r"\ "
    if name in ("msub", "msup") and len(kids) >= 2:
        op = "_" if name == "msub" else "^"
        return _group(kids[0]) + op + _group(kids[1])
    if name == "msubsup" and len(kids) >= 3:
        return _group(kids[0]) + "_" + _group(kids[1]) + "^" + _group(kids[2])
    if name == "mfrac" and len(kids) >= 2:
        return r"\frac" + _group(kids[0]) + _group(kids[1])
    if name == "msqrt":
        return r"\sqrt{" + "".join(_mathml(k) for k in kids).strip() + "}"
    if name == "mroot" and len(kids) >= 2:
        return r"\sqrt[" + _mathml(kids[1]).strip() + "]" + _group(kids[0])
    if name in ("munder", "mover", "munderover") and kids:
        out = _group(kids[0])
        if name in ("munder", "munderover") and len(kids) > 1:
            out += "_" + _group(kids[1])
        if name == "mover" and len(kids) > 1:
            out += "^" + _group(kids[1])
        if name == "munderover" and len(kids) > 2:
            out += "^" + _group(kids[2])
        return out
    if name == "mfenced":
        open_, close = attr(el, "open", "("), attr(el, "close", ")")
        return open_ + ",".join(_mathml(k).strip() for k in kids) + close
    if name == "mtable":
        rows = []
        for row in kids:
            cells = [c for c in row.children if isinstance(c, Tag)]
            rows.append(" & ".join(_mathml(c).strip() for c in cells))
        return r"\begin{matrix}" + r" \\ ".join(rows) + r"\end{matrix}"
    if name in ("semantics",):
        return _mathml(kids[0]) if kids else ""
    if name in ("annotation", "annotation-xml"):
        return ""
    # math, mrow, mstyle, mpadded, mphantom, menclose, mtd, unknown: concatenate
    return "".join(_mathml(k) for k in kids)
