"""Render a paper's pages to PNG for a vision pass, and the checklist that pass follows.

Text extraction cannot recover figures, tables or equations faithfully; a reader
(human or model) looking at the rendered pages can. `refs convert --render-pages`
writes the PNGs to a folder and prints `VISION_CHECKLIST`.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from .. import fsio
from ..errors import RefsError
from .pdf.text import pdfium

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


def png(width: int, height: int, stride: int, rgb: bytes, channels: int = 3) -> bytes:
    """An 8-bit RGB PNG of rows of ``stride`` bytes (what PDFium renders), written
    here so that page images need no imaging library. A fourth channel is dropped."""
    rows = []
    for y in range(height):
        row = rgb[y * stride : y * stride + width * channels]
        if channels == 4:
            row = b"".join(row[i : i + 3] for i in range(0, len(row), 4))
        rows.append(b"\x00" + row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + chunk(b"IEND", b"")
    )


def render_pages(pdf_path: Path, out_dir: Path, dpi: int = DEFAULT_DPI) -> list[Path]:
    """Write each page of ``pdf_path`` to ``out_dir/page-NNN.png``; return the paths."""
    pdf_path, out_dir = Path(pdf_path), Path(out_dir)
    lib, _ = pdfium()
    if not pdf_path.is_file():
        raise RefsError("cannot open the PDF (no such file); re-fetch it", pdf_path)
    try:
        doc = lib.PdfDocument(str(pdf_path))
    except Exception as exc:  # PdfiumError: not a PDF, or a broken one
        raise RefsError(f"cannot open the PDF ({exc}); re-fetch it", pdf_path) from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        width = max(3, len(str(len(doc))))
        for number in range(len(doc)):
            page = doc[number]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            data = png(
                bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), bitmap.n_channels
            )
            target = out_dir / f"page-{number + 1:0{width}d}.png"
            fsio.write_bytes(target, data)
            written.append(target)
            bitmap.close()
            page.close()
    finally:
        doc.close()
    return written
