"""Page furniture: running headers, footers, page numbers and line numbers, and text
inside figures."""

from __future__ import annotations

import re
from collections import Counter

from .text import Line, Page

MARGIN = 0.075  # top and bottom share of the page where running heads live


def running_heads(pages: list[Page]) -> set[int]:
    """ids of header/footer/page-number lines: text (digits ignored) that repeats in
    the top or bottom margin of many pages, or a lone number there."""
    marked: set[int] = set()
    seen: Counter[str] = Counter()
    margin_lines: list[tuple[str, Line]] = []
    for page in pages:
        keys = set()
        for line in page.lines:
            lone_number = bool(re.fullmatch(r"[\divxlc]{1,4}", line.text.strip()))
            wide = 0.12 if lone_number else MARGIN  # page numbers sit a little lower or higher
            if line.y1 < page.height * wide or line.y0 > page.height * (1 - wide):
                key = re.sub(r"\d+", "#", line.text.lower()).strip()
                margin_lines.append((key, line))
                keys.add(key)
        seen.update(keys)
    threshold = max(2, int(len(pages) * 0.3))
    for key, line in margin_lines:
        if seen[key] >= threshold or re.fullmatch(r"[#ivxlc\s.\-–]*", key):
            marked.add(id(line))
    return marked | _heads_by_place(pages, marked) | line_numbers(pages)


def line_numbers(pages: list[Page]) -> set[int]:
    """ids of the line numbers a review copy prints beside the text (ICML's, `lineno`):
    on one page, ten or more lone numbers outside the text's left or right edge that
    count up as they go down the page. A table's numbered column sits inside the text."""
    found: set[int] = set()
    for page in pages:
        text = [ln for ln in page.lines if len(ln.text) >= 20]
        if not text:
            continue
        left, right = min(ln.x0 for ln in text), max(ln.x1 for ln in text)
        sides: dict[str, list[Line]] = {"left": [], "right": []}
        for ln in page.lines:
            if re.fullmatch(r"\d{1,4}", ln.text.strip()):
                if ln.x1 <= left + 1:
                    sides["left"].append(ln)
                elif ln.x0 >= right - 1:
                    sides["right"].append(ln)
        for numbers in sides.values():
            numbers.sort(key=lambda ln: ln.y0)
            values = [int(ln.text) for ln in numbers]
            rising = sum(1 for a, b in zip(values, values[1:], strict=False) if b > a)
            if len(numbers) >= 10 and rising >= 0.9 * (len(numbers) - 1):
                found.update(id(ln) for ln in numbers)
    return found


def _heads_by_place(pages: list[Page], marked: set[int]) -> set[int]:
    """Running heads whose text changes with the chapter or section ("1.1. SPECTRA
    CHAPTER 1. ..."), set just inside the margin band: the top line of many pages, at
    one height, with more than a line's space between it and the text below."""
    tops: list[tuple[float, Line]] = []
    for page in pages:
        lines = [ln for ln in page.lines if id(ln) not in marked]
        if len(lines) < 2:
            continue
        top = min(lines, key=lambda ln: ln.y0)
        below = [ln for ln in lines if ln.y0 >= top.y1 - 1 and ln is not top]
        if top.y1 > page.height * 0.15 or not below:
            continue
        gap = min(ln.y0 for ln in below) - top.y1
        if gap >= top.size * 1.2:
            tops.append((top.y0, top))
    found: set[int] = set()
    threshold = max(3, int(len(pages) * 0.3))
    for y, line in tops:
        if sum(1 for other, _ in tops if abs(other - y) < 1.5) >= threshold:
            found.add(id(line))
    return found


_PAGE_REF = re.compile(r"\S.*?(?:\s|\.)\s*(?:\d{1,4}|[ivxlc]{1,6})$")
_LEADERS = re.compile(r"(?:\.\s?){4,}")


def contents_lines(pages: list[Page]) -> set[int]:
    """ids of the entries of a table of contents (or a list of figures): lines with
    dot leaders, and on a page where most lines end in a page number, those lines.
    They repeat the headings with their page numbers and are never headings themselves."""
    marked: set[int] = set()
    for page in pages:
        ending = [ln for ln in page.lines if _PAGE_REF.fullmatch(ln.text.strip())]
        if len(ending) >= 5 and len(ending) >= 0.5 * len(page.lines):
            marked.update(id(ln) for ln in ending)
        marked.update(id(ln) for ln in page.lines if _LEADERS.search(ln.text))
    return marked


def in_figure(line: Line, page: Page) -> bool:
    """The line's centre is inside a figure's box (labels and text of a drawing)."""
    cx, cy = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
    return any(x0 - 2 <= cx <= x1 + 2 and y0 - 2 <= cy <= y1 + 2 for x0, y0, x1, y1 in page.figures)
