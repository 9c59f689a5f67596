"""Where a figure is drawn on its page: the region a caption belongs to.

A PDF has no figure objects: a figure is whatever the page draws next to its
caption. Starting at the caption, the region grows away from it (upwards first,
where papers put figures; downwards when nothing is drawn above) through the
page's images, forms and paths and the short text lines among them (labels,
axes, subfigure captions), and stops at a gap wider than a few lines or at a
line of running prose. A caption with nothing drawn beside it gets no region,
and its marker stays text.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

from ...figures import Origin
from .text import Line, Page, pdfium

Box = tuple[float, float, float, float]  # x0, y0 (top), x1, y1 (bottom), points
GAP = 28.0  # the widest blank between two parts of one figure (about two lines)
PAD = 3.0  # points of margin around the region, so strokes at the edge are kept


@dataclass
class Drawn:
    """The graphics of one page: images, forms and paths, as boxes."""

    boxes: list[Box]


def drawn_objects(pdf: bytes | Path, pages: set[int]) -> dict[int, Drawn]:
    """Boxes of the images, forms and paths of the given pages (0-based)."""
    lib, raw = pdfium()
    doc = lib.PdfDocument(pdf if isinstance(pdf, bytes) else str(Path(pdf)))
    out: dict[int, Drawn] = {}
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    kinds = (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH)
    try:
        for number in sorted(pages):
            if not 0 <= number < len(doc):
                continue
            page = doc[number]
            width, height = page.get_size()
            boxes: list[Box] = []
            for i in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, i)
                if raw.FPDFPageObj_GetType(obj) not in kinds:
                    continue
                if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    continue
                box = (left.value, height - top.value, right.value, height - bottom.value)
                w, h = box[2] - box[0], box[3] - box[1]
                if w * h > width * height * 0.7 or (w < 0.5 and h < 0.5):
                    continue  # a page-sized wrapper or background, or a dot
                boxes.append(box)
            out[number] = Drawn(boxes)
            page.close()
    finally:
        doc.close()
    return out


def _overlaps(a: Box, b: Box, slack: float = 0.0) -> bool:
    return (
        a[0] - slack < b[2] and b[0] - slack < a[2] and a[1] - slack < b[3] and b[1] - slack < a[3]
    )


def _union(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _line_box(line: Line) -> Box:
    return (line.x0, line.y0, line.x1, line.y1)


def region(
    caption: list[Line], page: Page, drawn: Drawn, body: float, stops: frozenset[int] = frozenset()
) -> Box | None:
    """The box of the figure ``caption`` (its lines on ``page``) belongs to, or None.
    ``stops`` are ids of lines a figure never reaches past (other captions)."""
    cap: Box | None = None
    for line in caption:
        if line.page == page.number:
            cap = _union(cap, _line_box(line))
    if cap is None:
        return None
    caption_ids = {id(line) for line in caption}
    others = [ln for ln in page.lines if id(ln) not in caption_ids and ln.text.strip()]
    for upwards in (True, False):
        found = _grow(cap, page, drawn.boxes, others, body, upwards, stops)
        if found is not None:
            x0, y0, x1, y1 = found
            # Padded, but never into the caption's lines or a line the figure left out.
            top = max(0.0, y0 - PAD) if upwards else max(cap[3] + 0.5, y0 - PAD)
            bottom = min(cap[1] - 0.5, y1 + PAD) if upwards else min(page.height, y1 + PAD)
            for ln in page.lines:
                if ln.x1 <= x0 or ln.x0 >= x1 or not ln.text.strip():
                    continue
                if y0 - PAD - 1 < ln.y1 <= y0 + 0.5:
                    top = max(top, ln.y1 + 0.5)
                if y1 - 0.5 <= ln.y0 < y1 + PAD + 1:
                    bottom = min(bottom, ln.y0 - 0.5)
            return (max(0.0, x0 - PAD), top, min(page.width, x1 + PAD), bottom)
    return None


def _grow(
    cap: Box,
    page: Page,
    boxes: list[Box],
    lines: list[Line],
    body: float,
    upwards: bool,
    stops: frozenset[int],
) -> Box | None:
    """Grow a region from the caption's edge, nearest things first."""
    # Things on the caption's side whose horizontal extent meets the caption's.
    band = (cap[0], 0.0, cap[2], page.height)
    items: list[tuple[Box, Line | None]] = []
    for box in boxes:
        side = box[3] <= cap[1] + 2 if upwards else box[1] >= cap[3] - 2
        if side and _overlaps((box[0], 0, box[2], 1), (band[0], 0, band[2], 1)):
            items.append((box, None))
    for line in lines:
        box = _line_box(line)
        side = box[3] <= cap[1] + 1 if upwards else box[1] >= cap[3] - 1
        if side and _overlaps((box[0], 0, box[2], 1), (band[0], 0, band[2], 1)):
            items.append((box, line))
    # Nearest first: by the edge that faces the caption.
    items.sort(key=lambda it: -it[0][3] if upwards else it[0][1])
    edge = cap[1] if upwards else cap[3]
    texts: list[tuple[Box, Line]] = []
    graphics: Box | None = None
    for box, line in items:
        gap = edge - box[3] if upwards else box[1] - edge
        if gap > GAP:
            break
        if line is not None and id(line) in stops:
            break
        if line is not None:
            inside = graphics is not None and _overlaps(box, graphics, 1.0)
            drawn_over = any(_overlaps(box, b, 0.5) for b in boxes)
            if not inside and not drawn_over and _prose(line, cap, graphics, body):
                break
            texts.append((box, line))
        else:
            graphics = _union(graphics, box)
        edge = min(edge, box[1]) if upwards else max(edge, box[3])
    if graphics is None:
        # A figure of text only (a code listing, labels in a font of glyphs): its
        # monospaced or small lines, when there are a few.
        small = [b for b, ln in texts if _mono(ln) or ln.size < body - 0.5]
        if len(small) < 2:
            return None
        found = small[0]
        for box in small[1:]:
            found = _union(found, box)
        return found
    found = graphics
    for box, line in texts:
        beyond = box[3] < graphics[1] if upwards else box[1] > graphics[3]
        # Past the drawing, only small type (a legend, axis title) is the figure's;
        # the end of a paragraph is not.
        if not beyond or (line.size < body - 0.5 and len(line.text) < 60):
            found = _union(found, box)
    return found


def _prose(line: Line, cap: Box, graphics: Box | None, body: float) -> bool:
    """A line of running text: body size and as wide as most of the column."""
    if _mono(line):
        return False  # code
    width = max(cap[2] - cap[0], (graphics[2] - graphics[0]) if graphics else 0.0)
    return abs(line.size - body) < 0.8 and (line.x1 - line.x0) > 0.6 * width and len(line.text) > 30


def _mono(line: Line) -> bool:
    spans = [s for s in line.spans if s.text.strip()]
    return bool(spans) and all(s.mono for s in spans)


def figure_origins(
    pdf: bytes | Path,
    artifact: str,
    captions: list[list[Line]],
    pages: list[Page],
    body: float,
    stops: frozenset[int] = frozenset(),
) -> list[Origin | None]:
    """For each figure caption (its lines), the page and box it shows, or None.
    ``stops``: ids of the lines of every caption (figures and tables) of the paper."""
    if not artifact or not captions:
        return [None] * len(captions)
    wanted = {lines[0].page for lines in captions if lines}
    drawn = drawn_objects(pdf, wanted)
    by_number = {p.number: p for p in pages}
    out: list[Origin | None] = []
    for lines in captions:
        page = by_number.get(lines[0].page) if lines else None
        box = region(lines, page, drawn.get(page.number, Drawn([])), body, stops) if page else None
        out.append(
            Origin(artifact, page=page.number + 1, box=tuple(round(v, 1) for v in box))  # type: ignore[arg-type]
            if box
            else None
        )
    return out
