"""Floats: figures, tables and algorithms, their captions and numbers, and subfigures.

A float's number is known when it opens (the next value of its counter), so the
captions of its subfigures can say "(a)" and their labels "2a" before the float's
own caption comes. Subfigures come in three spellings: subcaption's `subfigure`
environment with `\\caption`, subfig's `\\subfloat[caption]{...}` and the old
subfigure package's `\\subfigure[caption]{...}`.
"""

from __future__ import annotations

from ...figures import origin_comment
from .scan import read_group, read_optional
from .state import RenderState

FLOAT_ENVS = {
    "figure": "Figure",
    "figure*": "Figure",
    "wrapfigure": "Figure",
    "SCfigure": "Figure",
    "sidewaysfigure": "Figure",
    "table": "Table",
    "table*": "Table",
    "wraptable": "Table",
    "sidewaystable": "Table",
    "algorithm": "Algorithm",
    "algorithm*": "Algorithm",
    "listing": "Listing",
}
SUBFLOAT_ENVS = {"subfigure", "subtable", "subfloat"}


class FloatsMixin(RenderState):
    """Renderer methods for floats and captions (mixed into `Renderer`)."""

    def cmd_caption(self, s, j):
        short, j = read_optional(s, j)
        text, j = read_group(s, j)
        return self.caption(text if text is not None else short or ""), j

    cmd_subcaption = cmd_caption

    def cmd_caption_star(self, s, j):
        text, j = read_group(s, j)
        return self.block(self.one_line(text or "")), j

    def cmd_captionof(self, s, j):
        if s.startswith("*", j):
            j += 1
        kind, j = read_group(s, j)
        kind = {"figure": "Figure", "table": "Table"}.get((kind or "").strip(), "Figure")
        self.float_stack.append((kind, self.next_number(kind)))
        try:
            return self.cmd_caption(s, j)
        finally:
            self.float_stack.pop()

    def next_number(self, kind: str) -> str:
        counter = kind.lower()
        return str(self.counters.get(counter, 0) + 1)

    def caption(self, latex: str) -> str:
        kind, _ = self.float_stack[-1] if self.float_stack else ("Figure", "")
        if kind == "sub":
            # A subfigure belongs to the next caption of its float (as subfig and
            # subcaption count): "Figure 8a" before the caption of Figure 8.
            outer = next((k for k, _ in reversed(self.float_stack) if k != "sub"), "Figure")
            self.sub_counter += 1
            letter = chr(ord("a") + (self.sub_counter - 1) % 26)
            number = self.next_number(outer) + letter
            self.current = ("sub" + outer.lower(), number)
        else:
            number = self.step(kind.lower())
            self.sub_counter = 0
            outer = kind
            # Set before the text is rendered: a \label inside the caption refers here.
            self.current = (kind.lower(), number)
        text = self.one_line(latex)
        if outer == "Figure":
            placeholder = self.block(f"[Figure {number}: {text}]")
            if kind != "sub" and self.caption_slots:
                # The files shown since the float's last caption are this caption's
                # (a float of minipages holds several figures, each over its caption).
                self.caption_slots[-1].append((len(self.blocks) - 1, self.figure_graphics[-1]))
                self.figure_graphics[-1] = []
        else:
            placeholder = self.block(f"**{outer} {number}:** {text}")
        self.last_caption = placeholder
        return placeholder

    def float_block(self, body: str, kind: str) -> str:
        _, k = read_optional(body, 0)
        if body[k:].lstrip().startswith("{"):  # wrapfigure{r}{0.5\textwidth}
            _, k2 = read_group(body, k)
            if body[k2:].lstrip().startswith("{"):
                _, k2 = read_group(body, k2)
            k = k2
        if kind == "Algorithm" and self.algorithm2e:
            return self.algorithm2e_float(body[k:])
        number = self.next_number(kind)
        self.float_stack.append((kind, number))
        saved = self.sub_counter
        self.sub_counter = 0
        self.last_caption = ""
        self.figure_graphics = [*self.figure_graphics, []]  # GraphicsMixin collects here
        self.caption_slots = [*self.caption_slots, []]
        try:
            rendered = self.render(body[k:])
        finally:
            self.float_stack.pop()
            self.sub_counter = saved
            leftover = self.figure_graphics[-1]
            slots = self.caption_slots[-1]
            self.figure_graphics = self.figure_graphics[:-1]
            self.caption_slots = self.caption_slots[:-1]
        if kind == "Figure" and slots:
            # Files after the last caption are its own (a caption set above its figure).
            slots[-1] = (slots[-1][0], slots[-1][1] + leftover)
            for index, graphics in slots:
                if graphics and "<!-- figure:" not in self.blocks[index]:
                    self.blocks[index] += origin_comment(graphics)
        if kind == "Algorithm" and self.last_caption and self.last_caption in rendered:
            # Algorithm floats print their caption above the pseudocode.
            rendered = self.last_caption + rendered.replace(self.last_caption, "", 1)
        return rendered

    def name_figure(self, first_block: int, head: str, graphics: list) -> bool:
        """Write the files into the first caption marker made since ``first_block``
        that starts with ``head`` and names none yet; False when there is none."""
        for i in range(first_block, len(self.blocks)):
            if self.blocks[i].startswith(head) and "<!-- figure:" not in self.blocks[i]:
                self.blocks[i] += origin_comment(graphics)
                return True
        return False

    def sub_render(self, render):
        """Run ``render()`` for a subfigure: its files go into its own caption's
        marker ("Figure 8a"), or to the float's when it has no caption."""
        first_block = len(self.blocks)
        self.figure_graphics = [*self.figure_graphics, []]
        try:
            return render()
        finally:
            graphics = self.figure_graphics[-1]
            self.figure_graphics = self.figure_graphics[:-1]
            if graphics and not self.name_figure(first_block, "[Figure ", graphics):
                if self.figure_graphics:
                    self.figure_graphics[-1].extend(graphics)

    def subfloat_environment(self, base: str, body: str) -> str:
        """subcaption's ``subfigure``/``subtable`` environment: width, then content."""
        _, k = read_optional(body, 0)
        if base != "subfloat":
            _, k = read_group(body, k)  # width
        self.float_stack.append(("sub", ""))
        try:
            return self.sub_render(lambda: self.render(body[k:]))
        finally:
            self.float_stack.pop()

    def cmd_subfloat(self, s, j):
        """``\\subfloat[list entry][caption]{content}`` (subfig), ``\\subfigure[caption]
        {content}`` (subfigure): a lettered caption and the content."""
        first, j = read_optional(s, j)
        second, j = read_optional(s, j)
        content, j = read_group(s, j)
        caption = second if second is not None else first
        self.float_stack.append(("sub", ""))

        def render():
            parts = [self.caption(caption)] if caption is not None else []
            return "".join([*parts, self.render(content or "")])

        try:
            return self.sub_render(render), j
        finally:
            self.float_stack.pop()

    cmd_subfigure = cmd_subtable = cmd_subfloat

    def cmd_subcaptionbox(self, s, j):
        """subcaption's ``\\subcaptionbox[list entry]{caption}[width]{content}``."""
        if s.startswith("*", j):
            j += 1
        _, j = read_optional(s, j)
        caption, j = read_group(s, j)
        _, j = read_optional(s, j)
        _, j = read_optional(s, j)
        content, j = read_group(s, j)
        self.float_stack.append(("sub", ""))
        try:
            return self.sub_render(
                lambda: self.caption(caption or "") + self.render(content or "")
            ), j
        finally:
            self.float_stack.pop()
