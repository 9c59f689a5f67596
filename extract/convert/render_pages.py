"""Render a paper's pages to PNG for a vision pass, and the checklist that pass follows.

Text extraction cannot recover figures, tables or equations faithfully; a reader
(human or model) looking at the rendered pages can. `refs convert --render-pages`
writes the PNGs to a folder and prints `VISION_CHECKLIST`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RefsError

DEFAULT_DPI = 110

VISION_CHECKLIST = """\
Vision pass over the rendered pages: compare each page with full.md and fix it.
For every page, in reading order (left column before right column):
1. Headings: each section heading is a markdown heading numbered as printed
   (`## 3 Method`, `### 3.2 Schedules`, `## A Proofs`); no heading is missing,
   invented or at the wrong level.
2. Figures: each figure becomes `[Figure N: <caption as printed>]` at the place it
   is first shown; add what the figure shows only when the caption does not say it,
   and mark such added words as a description.
3. Tables: each table becomes a markdown table with the printed header row, every
   row and column, numbers exactly as printed; its caption above it as
   `**Table N:** <caption>`.
4. Equations: each display equation becomes a `$$ ... $$` block in TeX, with its
   printed number as `\\tag{N}`; inline math stays as `$...$`.
5. Text: no running headers, footers or page numbers; no words lost at column or
   page breaks; hyphenation at line ends undone; footnotes kept.
6. References: every entry kept, one per paragraph, numbered as printed.
Keep everything else in full.md as it is; do not summarise.
"""


def render_pages(pdf_path: Path, out_dir: Path, dpi: int = DEFAULT_DPI) -> list[Path]:
    """Write each page of ``pdf_path`` to ``out_dir/page-NNN.png``; return the paths."""
    import pymupdf

    pdf_path, out_dir = Path(pdf_path), Path(out_dir)
    try:
        doc = pymupdf.open(pdf_path)
    except Exception as exc:  # pymupdf has its own exception types for broken files
        raise RefsError(f"cannot open the PDF ({exc}); re-fetch it", pdf_path) from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with doc:
        if not doc.is_pdf:
            raise RefsError("not a PDF file", pdf_path)
        width = max(3, len(str(doc.page_count)))
        for number, page in enumerate(doc, 1):
            target = out_dir / f"page-{number:0{width}d}.png"
            page.get_pixmap(dpi=dpi, alpha=False).save(target)
            written.append(target)
    return written
