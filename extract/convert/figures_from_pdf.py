"""Figures the LaTeX source cannot show, found in the paper's own PDF.

A figure drawn in TikZ or pgfplots, or one whose file the e-print lacks, names no
e-print member, so its marker would stay text. An arXiv paper is fetched with its
PDF too (`paper.pdf`), where every figure is drawn: such a marker names the PDF
region of the caption with the same number (`extract.convert.pdf.figures`), when
the two captions' words agree, so a numbering that differs between the source and
the PDF never shows the wrong picture. The PDF is read only when a figure needs it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import RefsError
from ..figures import Figure, figures, origin_comment
from .pdf.convert import pdf_to_markdown

AGREE = 0.6  # share of the shorter caption's opening words the other must hold
WORDS = 12  # opening words compared (the PDF caption may be cut at a page break)


def _words(caption: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}|\d+", caption.lower())[:WORDS])


def same_caption(a: str, b: str) -> bool:
    """Whether two renderings of a caption (LaTeX's, the PDF's) are the same caption."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return not wa and not wb
    return len(wa & wb) >= AGREE * min(len(wa), len(wb))


def _needing(found: list[Figure]) -> list[Figure]:
    """Numbered figures with no origin, leaving out those shown through subfigures."""
    via_subfigures = {f.number[:-1] for f in found if f.origins and f.number[-1:].isalpha()}
    return [f for f in found if not f.origins and f.number and f.number not in via_subfigures]


def fill_from_pdf(body: str, pdf: Path, artifact: str) -> tuple[str, int]:
    """``body`` with the PDF regions of the figures its source could not show, and
    how many it names. A PDF that cannot be read changes nothing."""
    missing = _needing(figures(body))
    if not missing:
        return body, 0
    try:
        drawn = figures(pdf_to_markdown(pdf, artifact).body)
    except RefsError:
        return body, 0
    in_pdf = {f.number: f for f in drawn if f.origins and f.number}
    lines = body.splitlines(keepends=True)
    named = 0
    for fig in sorted(missing, key=lambda f: (f.line, f.end), reverse=True):
        match = in_pdf.get(fig.number)
        if match is None or not same_caption(fig.caption, match.caption):
            continue
        line = lines[fig.line - 1]
        lines[fig.line - 1] = line[: fig.end] + origin_comment(match.origins) + line[fig.end :]
        named += 1
    return "".join(lines), named
