"""A paper laid out line by line on PDF pages (`Writer`), for the PDF reader's tests:
one column at x=72, a page number at the foot and a running head atop every page
after the first, paragraphs wrapped at about 80 characters."""

from __future__ import annotations

from pdf_writer import Pdf

BODY = 10
FILLER = (
    "Stage balance keeps every device of the pipeline busy while frames flow through it, "
    "and the schedule decides when each micro-batch moves on to the next stage."
)


class Writer:
    """Lines on pages, top to bottom, one column at x=72 (or a given x)."""

    def __init__(self, title: str = "", header: str = "") -> None:
        self.pdf = Pdf(title=title)
        self.header = header
        self.page = None
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.page = self.pdf.page()
        number = len(self.pdf.pages)
        if self.header and number > 1:
            self.page.text(72, 40, self.header, size=8)
        self.page.text(300, 770, str(number), size=9)
        self.y = 72.0

    def line(self, text, size: float = BODY, font: str = "helv", x: float = 72, gap: float = 0):
        self.y += gap
        if self.y > 720:
            self.new_page()
        self.page.text(x, self.y, text, size=size, font=font)
        self.y += size * 1.3

    def para(self, words: str = FILLER, indent: bool = True, font: str = "helv") -> None:
        """A paragraph wrapped at about 80 characters, first line indented."""
        lines, cur = [], ""
        for w in words.split():
            if len(cur) + len(w) > 80:
                lines.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}".strip()
        lines.append(cur)
        for i, text in enumerate(lines):
            self.line(text, font=font, x=84 if i == 0 and indent else 72)

    def save(self, path):
        return self.pdf.save(path)
