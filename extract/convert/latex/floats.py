"""Floats: figures, tables and algorithms, their captions and numbers."""

from __future__ import annotations

from .scan import read_group, read_optional

FLOAT_ENVS = {
    "figure": "Figure",
    "figure*": "Figure",
    "wrapfigure": "Figure",
    "SCfigure": "Figure",
    "table": "Table",
    "table*": "Table",
    "wraptable": "Table",
    "algorithm": "Algorithm",
    "algorithm*": "Algorithm",
    "listing": "Listing",
}
SUBFLOAT_ENVS = {"subfigure", "subtable", "subfloat"}


class FloatsMixin:
    """Renderer methods for floats and captions (mixed into `Renderer`)."""

    def cmd_caption(self, s, j):
        short, j = read_optional(s, j)
        text, j = read_group(s, j)
        return self.caption(self.one_line(text or short or "")), j

    cmd_subcaption = cmd_caption

    def cmd_captionof(self, s, j):
        kind, j = read_group(s, j)
        self.float_stack.append({"figure": "Figure", "table": "Table"}.get(kind or "", "Figure"))
        try:
            return self.cmd_caption(s, j)
        finally:
            self.float_stack.pop()

    def caption(self, text: str) -> str:
        kind = self.float_stack[-1] if self.float_stack else "Figure"
        if kind.startswith("sub:"):
            self.sub_counter += 1
            letter = chr(ord("a") + (self.sub_counter - 1) % 26)
            self.current = ("figure", f"({letter})")
            return f"\n\n({letter}) {text}\n\n"
        number = self.step(kind.lower())
        self.current = (kind.lower(), number)
        if kind == "Figure":
            return self.block(f"[Figure {number}: {text}]")
        return self.block(f"**{kind} {number}:** {text}")

    def float_block(self, body: str, kind: str) -> str:
        _, k = read_optional(body, 0)
        if body[k:].lstrip().startswith("{"):  # wrapfigure{r}{0.5\textwidth}
            _, k2 = read_group(body, k)
            if body[k2:].lstrip().startswith("{"):
                _, k2 = read_group(body, k2)
            k = k2
        self.float_stack.append(kind)
        saved = self.sub_counter
        self.sub_counter = 0
        try:
            rendered = self.render(body[k:])
        finally:
            self.float_stack.pop()
            self.sub_counter = saved
        return rendered
