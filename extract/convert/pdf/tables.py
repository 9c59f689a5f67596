"""Tables: lines of two or more cells next to a `Table N` caption or between rules."""

from __future__ import annotations

from .captions import CAPTION, is_table_caption
from .text import Line


def table_at(
    lines: list[Line], k: int, rules_by_page: dict[int, list[tuple[float, float, float, float]]]
) -> tuple[list[list[str]], int] | None:
    """(rows, end) of a table starting at line ``k``: at least two lines of two or more
    cells, one under the other, next to a `Table N` caption or between rules."""
    line = lines[k]
    if len(line.cells) < 2:
        return None
    end = k
    while end < len(lines):
        cur = lines[end]
        if cur.page != line.page or CAPTION.match(cur.text):
            break
        if end > k:
            gap = cur.y0 - lines[end - 1].y1
            if gap > max(cur.size, 6) * 1.6 or gap < -cur.size * 3:
                break
        if len(cur.cells) < 2 and not (
            end + 1 < len(lines) and len(lines[end + 1].cells) >= 2 and len(cur.text) < 40
        ):
            break
        end += 1
    if end - k < 2:
        return None
    near_caption = any(
        is_table_caption(lines[j].text)
        for j in range(max(0, k - 12), min(len(lines), end + 4))
        if lines[j].page == line.page
    )
    rules = rules_by_page.get(line.page, [])
    top, bottom = line.y0, lines[end - 1].y1
    ruled = any(top - 25 < y0 <= top + 2 for _, y0, _, _ in rules) and any(
        bottom - 2 <= y0 < bottom + 25 for _, y0, _, _ in rules
    )
    if not (near_caption or ruled):
        return None
    return grid(lines[k:end]), end


def grid(lines: list[Line]) -> list[list[str]]:
    """Rows of cells in columns. The rows with the most cells define the columns
    (each column spans its cells' extents, whatever their alignment); every other
    cell goes to the column it overlaps most (a header cell over several columns
    lands on one of them)."""
    rows_cells: list[list[tuple[float, float, str]]] = []
    for ln in lines:
        cells: list[list] = []
        for span in ln.spans:
            if span.cell or not cells:
                cells.append([span.x0, span.x1, span.text])
            else:
                cells[-1][1] = max(cells[-1][1], span.x1)
                cells[-1][2] += span.text
        rows_cells.append([(a, b, " ".join(t.split())) for a, b, t in cells if t.strip()])
    width = max(len(r) for r in rows_cells)
    full = [r for r in rows_cells if len(r) == width]
    columns = [(min(r[i][0] for r in full), max(r[i][1] for r in full)) for i in range(width)]
    rows = []
    for placed in rows_cells:
        row = [""] * width
        for x0, x1, text in placed:
            best = max(
                range(width),
                key=lambda i: (
                    min(x1, columns[i][1]) - max(x0, columns[i][0]),
                    -abs((x0 + x1) / 2 - sum(columns[i]) / 2),
                ),
            )
            row[best] = (row[best] + " " + text).strip()
        rows.append(row)
    return rows
