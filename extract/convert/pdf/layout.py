"""Where lines sit: the columns' left edges, indents, right edges, line spacing."""

from __future__ import annotations

from collections import Counter

from .text import Line


def columns(page_lines: list[Line]) -> list[float]:
    """Left edges shared by many lines of a page (the columns' text edges)."""
    xs = Counter(round(ln.x0) for ln in page_lines)
    lefts: list[float] = []
    for x, n in xs.most_common():
        if n < 4:
            break
        # An edge a little right of a more used one is that column's indent.
        if all(abs(x - other) > 4 and not 0 < x - other < 30 for other in lefts):
            lefts.append(float(x))
    return sorted(lefts)


def indent(line: Line, lefts: list[float]) -> float:
    """How far right of its column's left edge the line starts."""
    near = [x for x in lefts if x <= line.x0 + 1.5]
    return line.x0 - max(near) if near else 0.0


def right_edge(lines: list[Line]) -> dict[int, float]:
    """Per block, the right edge its full lines reach."""
    edges: dict[int, float] = {}
    for ln in lines:
        edges[ln.block] = max(edges.get(ln.block, 0.0), ln.x1)
    return edges


def line_spacing(lines: list[Line]) -> float:
    """The usual gap between lines of one block, plus a little slack."""
    gaps: Counter[int] = Counter()
    for a, b in zip(lines, lines[1:], strict=False):
        if a.block == b.block and a.page == b.page and 0 <= b.y0 - a.y1 < 20:
            gaps[round(b.y0 - a.y1)] += 1
    return max(float(gaps.most_common(1)[0][0]) if gaps else 3.0, 1.0) + 2.0


def just_below(a: Line, b: Line, lines: float) -> bool:
    """``b`` sits below ``a`` on its page, within ``lines`` line heights."""
    return a.page == b.page and -2 < b.y0 - a.y1 < max(a.size, b.size) * lines
