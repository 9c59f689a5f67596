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
import re
from dataclasses import dataclass
from typing import Any

from ...figures import Origin
from .furniture import MARGIN
from .text import Line, Page, pdfium

Box = tuple[float, float, float, float]  # x0, y0 (top), x1, y1 (bottom), points
GAP = 28.0  # the widest blank between two parts of one figure (about two lines)
PAD = 3.0  # points of margin around the region, so strokes at the edge are kept


@dataclass
class Drawn:
    """The graphics of one page: images, forms and paths, as boxes."""

    boxes: list[Box]


MAX_OBJECTS = 20000  # per page: past this, a form counts as its whole box (a dense plot)


class _Visitor:
    """The page-space boxes of what a page draws, looking inside form XObjects: a
    form's own box is its BBox, often far larger than its drawing (a figure PDF that
    was never cropped reaches into the next column), so its contents are measured."""

    def __init__(self, raw, height: float):
        self.raw = raw
        self.height = height
        self.seen = 0
        self.left, self.bottom, self.right, self.top = (ctypes.c_float() for _ in range(4))
        self.matrix = raw.FS_MATRIX()
        self.mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.px, self.py = ctypes.c_float(), ctypes.c_float()

    def bounds(self, obj, matrices: list[tuple[float, ...]]) -> Box | None:
        """The object's box on the page, top-left coordinates."""
        if not self.raw.FPDFPageObj_GetBounds(obj, self.left, self.bottom, self.right, self.top):
            return None
        x0, y0, x1, y1 = self.left.value, self.bottom.value, self.right.value, self.top.value
        clip = self.clip_box(obj)
        if clip is not None:  # a plot's bars and lines run on under its axes' clip
            x0, y0, x1, y1 = max(x0, clip[0]), max(y0, clip[1]), min(x1, clip[2]), min(y1, clip[3])
            if x1 < x0 or y1 < y0:
                return None
        corners = [(x, y) for x in (x0, x1) for y in (y0, y1)]
        for a, b, c, d, e, f in matrices:  # innermost form first, out to the page
            corners = [(a * x + c * y + e, b * x + d * y + f) for x, y in corners]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        return (min(xs), self.height - max(ys), max(xs), self.height - min(ys))

    def clip_box(self, obj) -> Box | None:
        """The box of the object's clip path, in its own space (bottom-left origin);
        a clip of several paths is their intersection."""
        raw = self.raw
        clip = raw.FPDFPageObj_GetClipPath(obj)
        if not clip:
            return None
        out: Box | None = None
        for i in range(raw.FPDFClipPath_CountPaths(clip)):
            xs, ys = [], []
            for j in range(raw.FPDFClipPath_CountPathSegments(clip, i)):
                seg = raw.FPDFClipPath_GetPathSegment(clip, i, j)
                if seg and raw.FPDFPathSegment_GetPoint(seg, self.px, self.py):
                    xs.append(self.px.value)
                    ys.append(self.py.value)
            if xs:
                box = (min(xs), min(ys), max(xs), max(ys))
                out = (
                    box
                    if out is None
                    else (
                        max(out[0], box[0]),
                        max(out[1], box[1]),
                        min(out[2], box[2]),
                        min(out[3], box[3]),
                    )
                )
        return out

    def visible(self, obj) -> bool:
        """A path that paints something: not a clip helper, not a white background."""
        raw = self.raw
        if not raw.FPDFPath_GetDrawMode(obj, self.mode, self.stroke):
            return True
        if self.stroke.value:
            return True
        if self.mode.value == 0:
            return False  # neither filled nor stroked
        if not raw.FPDFPageObj_GetFillColor(obj, *self.rgba):
            return True
        r, g, b, a = (v.value for v in self.rgba)
        return a > 0 and min(r, g, b) < 250

    def visit(self, obj, matrices: list, clip: Box | None, out: list[Box]) -> None:
        raw = self.raw
        self.seen += 1
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT and not matrices:
            return  # the page's text is read as lines; a figure's (turned axis titles) is drawn
        box = self.bounds(obj, matrices)
        if box is None:
            return
        if clip is not None:
            box = (
                max(box[0], clip[0]),
                max(box[1], clip[1]),
                min(box[2], clip[2]),
                min(box[3], clip[3]),
            )
            if box[2] < box[0] or box[3] < box[1]:
                return
        if kind == raw.FPDF_PAGEOBJ_FORM:
            count = raw.FPDFFormObj_CountObjects(obj)
            if self.seen + count > MAX_OBJECTS or len(matrices) > 8 or count < 0:
                out.append(box)
                return
            raw.FPDFPageObj_GetMatrix(obj, self.matrix)
            m = self.matrix
            inner = [(m.a, m.b, m.c, m.d, m.e, m.f), *matrices]
            for k in range(count):
                self.visit(raw.FPDFFormObj_GetObject(obj, k), inner, box, out)
            return
        if kind == raw.FPDF_PAGEOBJ_PATH and not self.visible(obj):
            return
        out.append(box)


def drawn_objects(doc: Any, pages: set[int]) -> dict[int, Drawn]:
    """Boxes of the images, paths and shadings of the given pages (0-based) of ``doc``
    (a PDF `text.opened`), those inside forms included."""
    _, raw = pdfium()
    out: dict[int, Drawn] = {}
    for number in sorted(pages):
        if not 0 <= number < len(doc):
            continue
        page = doc[number]
        width, height = page.get_size()
        visitor = _Visitor(raw, height)
        found: list[Box] = []
        for i in range(raw.FPDFPage_CountObjects(page.raw)):
            visitor.visit(raw.FPDFPage_GetObject(page.raw, i), [], None, found)
        boxes = []
        for box in found:
            w, h = box[2] - box[0], box[3] - box[1]
            if w * h > width * height * 0.7 or (w < 0.5 and h < 0.5):
                continue  # a page-sized wrapper or background, or a dot
            boxes.append(box)
        out[number] = Drawn(boxes)
        page.close()
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


def content_band(page: Page, boxes: list[Box], furniture: frozenset[int]) -> tuple[float, float]:
    """The top and bottom of the page's content: below the running head and the rule
    under it, above the footer and the rule over it."""
    top, bottom = 0.0, page.height
    for ln in page.lines:
        # Line numbers in the margin (review copies) are furniture but bound nothing,
        # nor does a lone number a little lower (often a figure's top tick label).
        if id(ln) not in furniture or ln.x1 < page.width * 0.15 or ln.x0 > page.width * 0.85:
            continue
        lone_number = re.fullmatch(r"[\divxlc]{1,4}", ln.text.strip())
        if lone_number and MARGIN * page.height < ln.y1 and ln.y0 < (1 - MARGIN) * page.height:
            continue
        if ln.y1 < page.height / 2:
            top = max(top, ln.y1)
        else:
            bottom = min(bottom, ln.y0)
    for b in boxes:
        if b[3] - b[1] > 2 or b[2] - b[0] < page.width * 0.3:
            continue  # not a rule across the text
        if top and top - 4 <= b[1] <= top + 10:
            top = max(top, b[3])
        if bottom < page.height and bottom - 10 <= b[3] <= bottom + 4:
            bottom = min(bottom, b[1])
    return top, bottom


def region(
    caption: list[Line],
    page: Page,
    drawn: Drawn,
    body: float,
    stops: frozenset[int] = frozenset(),
    furniture: frozenset[int] = frozenset(),
) -> Box | None:
    """The box of the figure ``caption`` (its lines on ``page``) belongs to, or None.
    ``stops`` are ids of lines a figure never reaches past (other captions);
    ``furniture`` ids of running heads and footers, which no figure includes."""
    cap: Box | None = None
    for line in caption:
        if line.page == page.number:
            cap = _union(cap, _line_box(line))
    if cap is None:
        return None
    head, foot = content_band(page, drawn.boxes, furniture)
    boxes = [
        (b[0], max(b[1], head), b[2], min(b[3], foot))
        for b in drawn.boxes
        if b[3] > head + 0.5 and b[1] < foot - 0.5
    ]
    caption_ids = {id(line) for line in caption}
    others = [
        ln
        for ln in page.lines
        if id(ln) not in caption_ids
        and id(ln) not in furniture
        and ln.text.strip()
        and head - 0.5 <= ln.y0
        and ln.y1 <= foot + 0.5
    ]
    for upwards in (True, False):
        found = _grow(cap, page, boxes, others, body, upwards, stops)
        if found is not None:
            x0, y0, x1, y1 = found
            # Padded, but never into the caption's lines or a line the figure left out.
            top = max(head, y0 - PAD) if upwards else max(cap[3] + 0.5, y0 - PAD)
            bottom = min(cap[1] - 0.5, y1 + PAD) if upwards else min(foot, y1 + PAD)
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
    for ln in lines:
        box = _line_box(ln)
        side = box[3] <= cap[1] + 1 if upwards else box[1] >= cap[3] - 1
        if side and _overlaps((box[0], 0, box[2], 1), (band[0], 0, band[2], 1)):
            items.append((box, ln))
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
    graphics = _widen(graphics, cap, page, boxes, lines, body, stops)
    found = graphics
    for box, line in texts:
        beyond = box[3] < graphics[1] if upwards else box[1] > graphics[3]
        # Past the drawing, only small type (a legend, axis title) is the figure's;
        # the end of a paragraph is not.
        if not beyond or (line.size < body - 0.5 and len(line.text) < 60):
            found = _union(found, box)
    return found


def _two_columns(page: Page) -> bool:
    """Most lines keep to one half of the page: a two-column layout."""
    mid = page.width / 2
    left = sum(1 for ln in page.lines if ln.x1 < mid - 4 and len(ln.text) > 30)
    right = sum(1 for ln in page.lines if ln.x0 > mid + 4 and len(ln.text) > 30)
    return left >= 5 and right >= 5


def _widen(
    graphics: Box,
    cap: Box,
    page: Page,
    boxes: list[Box],
    lines: list[Line],
    body: float,
    stops: frozenset[int],
) -> Box:
    """The drawing grown sideways: panels beside the caption's span (a short caption
    under a row of plots) and their labels. On a two-column page a figure of one
    column stays in it; nothing crosses a line of prose or another caption."""
    lo, hi = 0.0, page.width
    mid = page.width / 2
    if _two_columns(page):
        if cap[2] < mid + 4:
            hi = mid + 4
        elif cap[0] > mid - 4:
            lo = mid - 4
    found = graphics
    things = [(b, None) for b in boxes] + [(_line_box(ln), ln) for ln in lines]
    changed = True
    while changed:
        changed = False
        for box, line in things:
            if box[0] < lo or box[2] > hi or _overlaps(box, found, -0.01) and _inside(box, found):
                continue
            height = box[3] - box[1]
            shared = min(box[3], found[3]) - max(box[1], found[1])
            if shared < 0.6 * max(height, 1.0):
                continue  # not beside the drawing
            if box[0] - found[2] > GAP or found[0] - box[2] > GAP:
                continue
            if line is not None and (
                id(line) in stops
                or _prose(line, cap, found, body)
                or (line.size >= body - 0.5 and len(line.text) > 30)
            ):
                continue
            found = _union(found, box)
            changed = True
    return found


def _inside(a: Box, b: Box) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


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
    doc: Any,
    artifact: str,
    captions: list[list[Line]],
    pages: list[Page],
    body: float,
    stops: frozenset[int] = frozenset(),
    furniture: frozenset[int] = frozenset(),
) -> list[Origin | None]:
    """For each figure caption (its lines), the page and box it shows in ``doc`` (the
    PDF, `text.opened`), or None.
    ``stops``: ids of the lines of every caption (figures and tables) of the paper;
    ``furniture``: ids of its running heads, footers and page numbers."""
    if not artifact or not captions:
        return [None] * len(captions)
    wanted = {lines[0].page for lines in captions if lines}
    drawn = drawn_objects(doc, wanted)
    by_number = {p.number: p for p in pages}
    out: list[Origin | None] = []
    for lines in captions:
        page = by_number.get(lines[0].page) if lines else None
        box = (
            region(lines, page, drawn.get(page.number, Drawn([])), body, stops, furniture)
            if page
            else None
        )
        if page is None or box is None:
            out.append(None)
            continue
        x0, y0, x1, y1 = (round(v, 1) for v in box)
        out.append(Origin(artifact, page=page.number + 1, box=(x0, y0, x1, y1)))
    return out
