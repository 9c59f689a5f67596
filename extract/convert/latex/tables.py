"""Tables: `tabular` and friends become markdown pipe tables."""

from __future__ import annotations

import re

from ...markdown import pipe_table
from .scan import read_group, read_optional, split_top
from .state import RenderState

TABULAR_SKIP = {
    "tabular": 1,
    "tabular*": 2,
    "tabularx": 2,
    "tabulary": 2,
    "longtable": 1,
    "longtable*": 1,
    "tabu": 1,
    "supertabular": 1,
    "array": 1,
    "NiceTabular": 1,
}


_DISPLAY = re.compile(r"\$\$\s*(.*?)\s*(?:\\tag\{([^}]*)\})?\s*\$\$", re.S)


def _inline_display(text: str) -> str:
    """A display formula inside a table cell, as inline math (a pipe table row is one
    line), its number after it."""
    return _DISPLAY.sub(
        lambda m: f"${m.group(1)}$" + (f" ({m.group(2)})" if m.group(2) else ""), text
    )


class TablesMixin(RenderState):
    """Renderer methods for tables (mixed into `Renderer`)."""

    def table_block(self, body: str, skip: int) -> str:
        _, k = read_optional(body, 0)
        for _ in range(skip):
            _, k = read_group(body, k)
        body = re.sub(r"\\(tabularnewline|cr)(?![A-Za-z])", r"\\\\", body[k:])
        rows: list[list[str]] = []
        rule = re.compile(
            r"\\(hline|toprule|midrule|bottomrule|endhead|endfirsthead|endfoot|endlastfoot"
            r"|morecmidrules|hdashline|cdashline|cline|cmidrule|specialrule|addlinespace"
            r"|rowcolor|hhline)(?![A-Za-z])\*?"
        )
        for row in split_top(body, "\\\\"):
            row = row.lstrip()
            if row.startswith("["):  # \\[2pt]
                _, k = read_optional(row, 0)
                row = row[k:]
            row = self.strip_rules(row, rule)
            if not row.strip():
                continue
            cells: list[str] = []
            for cell in split_top(row, "&"):
                cells.extend(self.table_cell(cell))
            rows.append(cells)
        if not rows or not any(cell.strip() for row in rows for cell in row):
            return ""  # a layout grid of images, or an empty table: nothing to read
        return self.block(pipe_table(rows))

    def strip_rules(self, row: str, rule: re.Pattern[str]) -> str:
        out, i = [], 0
        for m in rule.finditer(row):
            if m.start() < i:
                continue
            out.append(row[i : m.start()])
            count = {
                "cline": 1,
                "cmidrule": 1,
                "cdashline": 1,
                "hhline": 1,
                "rowcolor": 1,
                "specialrule": 3,
            }.get(m.group(1), 0)
            i = self.skip_args(row, m.end(), count) if count else m.end()
            if m.group(1) == "addlinespace":
                _, i = read_optional(row, i)
        out.append(row[i:])
        return "".join(out)

    def table_cell(self, cell: str) -> list[str]:
        span = 1
        m = re.match(r"\s*\\multicolumn\s*", cell)
        if m:
            count, k = read_group(cell, m.end())
            _, k = read_group(cell, k)
            inner, k = read_group(cell, k)
            span = int(count) if count and count.strip().isdigit() else 1
            cell = (inner or "") + cell[k:]
        text = _inline_display(self.one_line(cell)).replace("|", "\\|")
        text = re.sub(r"(?<!\\)\\\|", r"\\|", text)
        return [text] + [""] * (span - 1)
